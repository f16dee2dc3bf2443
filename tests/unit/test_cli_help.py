"""Every command's --help renders: rich markup in a help text ([/文件夹]) once made
`formkit import --help` crash with a traceback."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from formkit.cli import app


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            found += _commands(command, (*prefix, name))
    return found


COMMANDS = _commands(typer.main.get_command(app))


def test_the_walk_finds_the_commands() -> None:
    assert {("import",), ("dossier",), ("project",), ("doctor",)} <= set(COMMANDS)
    assert any(len(c) == 2 for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_renders(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_the_command_loads_the_store_only_when_a_command_needs_it() -> None:
    """`formkit forms`, `parse`, `render` … start without SQLAlchemy, Alembic, the mail
    code or the web app (importing them took ~0.7 s of every command's start)."""
    import subprocess
    import sys

    code = ("import sys, formkit.cli; "
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'formkit.store', 'formkit.intake.mail', 'fastapi') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out
