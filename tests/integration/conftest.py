"""Every integration test gets its own empty FORMKIT_HOME (SQLite store)."""

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
