"""Open a store's database: engine, pragmas, migrations.

SQLite runs in WAL mode with a busy timeout, and every transaction starts
with BEGIN IMMEDIATE, so two imports at once queue instead of failing with
"database is locked" halfway. PostgreSQL locks the project row instead.

A snapshot (``SNAPSHOT`` execution options: Store.snapshot) is a read-only
transaction that sees one committed state in all its queries: a deferred
BEGIN on SQLite (WAL: it neither waits for nor blocks the writers), REPEATABLE
READ on PostgreSQL (READ COMMITTED, its default, would let an import that
commits between two queries show half of itself).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from formkit.errors import FormkitError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_S = 120
SNAPSHOT_OPTION = "formkit_snapshot"


class StoreError(FormkitError, RuntimeError):
    """The store cannot be opened or written."""


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
            snapshot = connection.get_execution_options().get(SNAPSHOT_OPTION)
            connection.exec_driver_sql("BEGIN" if snapshot else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def snapshot_options(engine: Engine) -> dict[str, object]:
    """Execution options of a read-only transaction that sees one committed state."""
    if engine.dialect.name == "postgresql":
        return {SNAPSHOT_OPTION: True, "isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    return {SNAPSHOT_OPTION: True}


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema (idempotent, safe to race).

    A database already at the newest schema is only read (a snapshot): on
    SQLite, opening the store then does not queue for the write lock behind
    running imports (a dossier build or `show` waited for all of them)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        if _at_head(engine, config):
            return
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as e:
        raise StoreError(f"无法打开或升级数据库 {engine.url.render_as_string(hide_password=True)}：{e}") from e


def _at_head(engine: Engine, config: Config) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect().execution_options(**snapshot_options(engine)) as connection, connection.begin():
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == heads
