"""Every integration test gets its own empty FORMKIT_HOME (SQLite store);
`backend` runs a test on SQLite and again on a throwaway PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def formkit_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "formkit-home"
    monkeypatch.setenv("FORMKIT_HOME", str(home))
    monkeypatch.delenv("FORMKIT_DB", raising=False)
    monkeypatch.delenv("FORMKIT_PROCESS", raising=False)
    return home


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "postgresql":
        monkeypatch.setenv("FORMKIT_DB", request.getfixturevalue("fresh_postgres_db"))
    return request.param
