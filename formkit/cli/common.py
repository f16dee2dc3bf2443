"""The Typer app and the consoles every command prints to."""

from __future__ import annotations

import importlib
import json
import sys
from types import ModuleType
from typing import Any

import typer
from rich.console import Console

from formkit.errors import FormkitError

app = typer.Typer(
    name="formkit",
    help="项目流程表单工具：生成可填写的 Word 表单，读取回收的表单。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(e: FormkitError) -> typer.Exit:
    err.print(f"[red]错误：[/red]{e}")
    return typer.Exit(e.exit_code)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")




class JsonRows:
    """A JSON list printed one row at a time, the same text as ``print_json(rows)``:
    a long run prints as it goes and keeps no row in memory."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, row: Any) -> None:
        text = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        sys.stdout.write(("[\n  " if self.count == 0 else ",\n  ") + text)
        sys.stdout.flush()
        self.count += 1

    def close(self) -> None:
        sys.stdout.write("[]\n" if self.count == 0 else "\n]\n")


class _Later:
    """A module imported when a command first uses it: ``formkit forms`` or
    ``formkit parse`` need not load the store, the mail code and the dossier
    (start-up was ~1.2 s of imports for every command)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


api: Any = _Later("formkit.project")  # the library facade every command calls
