"""Fixtures shared by the whole suite."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest

from tests.support.postgres import PostgresServer, PostgresStartError, start_postgres

_db_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the session; fails (never skips) when it cannot start."""
    try:
        server = start_postgres(tmp_path_factory.mktemp("postgres"))
    except PostgresStartError as e:  # the README's test command installs PostgreSQL: missing is a failure
        pytest.fail(str(e), pytrace=False)
    with server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """SQLAlchemy URL (postgresql+psycopg://…) of the session server's database."""
    return postgres_server.url


@pytest.fixture
def fresh_postgres_db(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """URL of a new empty database for this test, dropped afterwards (open connections too)."""
    stem = re.sub(r"\W+", "_", request.node.name, flags=re.ASCII).strip("_").lower()[:40]
    name = f"t{next(_db_numbers)}_{stem}"
    url = postgres_server.create_database(name)
    try:
        yield url
    finally:
        postgres_server.drop_database(name)
