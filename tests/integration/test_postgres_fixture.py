"""The throwaway PostgreSQL server of tests/support/postgres.py and its fixtures."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

import tests.support.postgres as pg
from tests.support.postgres import PostgresServer, PostgresStartError, start_postgres

metadata = sa.MetaData()
projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(32), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("budget", sa.Numeric(14, 2)),
)


def test_url_is_sqlalchemy_psycopg(postgres_url: str):
    url = sa.engine.make_url(postgres_url)
    assert (url.drivername, url.host) == ("postgresql+psycopg", "127.0.0.1")
    assert url.port and url.username and url.database


def test_round_trip_of_a_table(fresh_postgres_db: str):
    engine = sa.create_engine(fresh_postgres_db)
    try:
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(projects.insert(), [
                {"code": "XM-2024-017", "name": "园区安防工程", "budget": Decimal("1200000.00")},
                {"code": "XM-2024-018", "name": "软件实施", "budget": None},
            ])
        with engine.connect() as conn:
            rows = conn.execute(sa.select(projects.c.code, projects.c.name, projects.c.budget).order_by(projects.c.code)).all()
            encoding = conn.execute(sa.text("SHOW server_encoding")).scalar_one()
        assert [tuple(r) for r in rows] == [
            ("XM-2024-017", "园区安防工程", Decimal("1200000.00")),
            ("XM-2024-018", "软件实施", None),
        ]
        assert encoding == "UTF8"
    finally:
        engine.dispose()


@pytest.fixture
def other_fresh_db(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.create_database("other_fresh_db")
    yield url
    postgres_server.drop_database("other_fresh_db")


def test_fresh_databases_are_independent(fresh_postgres_db: str, other_fresh_db: str, postgres_url: str):
    assert len({fresh_postgres_db, other_fresh_db, postgres_url}) == 3
    first, second = sa.create_engine(fresh_postgres_db), sa.create_engine(other_fresh_db)
    try:
        metadata.create_all(first)
        with first.begin() as conn:
            conn.execute(projects.insert().values(code="A", name="甲"))
        assert "projects" not in sa.inspect(second).get_table_names()
        metadata.create_all(second)
        with second.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(projects)).scalar_one() == 0
    finally:
        first.dispose()
        second.dispose()


def test_each_test_gets_an_empty_database(fresh_postgres_db: str):
    engine = sa.create_engine(fresh_postgres_db)
    try:
        assert sa.inspect(engine).get_table_names() == []  # the round-trip test's table is gone
    finally:
        engine.dispose()


def test_database_is_dropped_even_with_a_connection_left_open(postgres_server: PostgresServer):
    url = postgres_server.create_database("left_open")
    engine = sa.create_engine(url)
    conn = engine.connect()
    try:
        postgres_server.drop_database("left_open")
        admin = sa.create_engine(postgres_server.url)
        with admin.connect() as c:
            names = c.execute(sa.text("SELECT datname FROM pg_database")).scalars().all()
        admin.dispose()
        assert "left_open" not in names
    finally:
        conn.invalidate()
        engine.dispose()


def test_server_stops_and_frees_its_port(tmp_path: Path):
    server = start_postgres(tmp_path)
    pid = server._proc.pid
    assert server.start_seconds > 0
    server.stop()
    server.stop()  # idempotent
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    engine = sa.create_engine(server.url, connect_args={"connect_timeout": 2})
    with pytest.raises(sa.exc.OperationalError):
        engine.connect()
    engine.dispose()
    assert not server.data_dir.exists()


def test_a_server_that_cannot_start_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(pg._SETTINGS, "shared_buffers", "not-a-size")
    with pytest.raises(PostgresStartError, match="无法启动") as info:
        start_postgres(tmp_path)
    assert "shared_buffers" in str(info.value)  # the log tail names the bad setting


def test_work_directories_of_killed_test_processes_are_removed(tmp_path: Path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    for name, owner in (("formkit-pg-dead", str(dead.pid)), ("formkit-pg-live", str(os.getpid())), ("formkit-pg-new", None)):
        (tmp_path / name).mkdir()
        if owner is not None:
            (tmp_path / name / pg._OWNER).write_text(owner)
    pg._remove_stale(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["formkit-pg-live", "formkit-pg-new"]
