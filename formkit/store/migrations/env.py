"""Alembic environment: runs on the connection the store hands over."""

from __future__ import annotations

from alembic import context

from formkit.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    if connection.dialect.name == "postgresql":  # one migrator at a time
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7271828)")
    context.run_migrations()
