"""Settings read from the environment; nothing else in formkit reads os.environ.

- FORMKIT_HOME: the folder of the default store (originals and the SQLite
  database). Default: the ``formkit`` folder in the user's data directory.
- FORMKIT_DB: any SQLAlchemy URL (PostgreSQL for a shared, multi-user store).
  Default: SQLite in FORMKIT_HOME.
- FORMKIT_PROCESS: a process definition file (YAML) replacing the default.
- FORMKIT_MAX_*: the safety limits (pages, sizes, nesting …), see formkit/limits.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir

if TYPE_CHECKING:
    from formkit.limits import Limits

DEFAULT_PROCESS = Path(__file__).resolve().parent / "data" / "process.yaml"


@dataclass(frozen=True)
class Settings:
    home: Path
    db_url: str
    process_file: Path

    @property
    def originals(self) -> Path:
        return self.home / "originals"


def settings() -> Settings:
    home = Path(os.environ.get("FORMKIT_HOME") or user_data_dir("formkit", appauthor=False)).expanduser()
    db_url = os.environ.get("FORMKIT_DB") or f"sqlite:///{(home / 'formkit.db').as_posix()}"
    process = Path(os.environ.get("FORMKIT_PROCESS") or DEFAULT_PROCESS).expanduser()
    return Settings(home, db_url, process)


def limits() -> Limits:
    """The safety limits: defaults raised by FORMKIT_MAX_* variables (SettingError for a bad value)."""
    from formkit.limits import Limits

    return Limits.from_env(os.environ)
