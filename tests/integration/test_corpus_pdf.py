"""Every real-world PDF of ../shared/corpus/pdf_* goes through parse and inspect without a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from formkit.cli import app
from tests.support.data import SHARED

PDFS = sorted((SHARED / "corpus").glob("pdf_*/*.pdf"))


@pytest.mark.parametrize("path", PDFS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parse_and_inspect_never_crash(path: Path) -> None:
    runner = CliRunner()
    parsed = runner.invoke(app, ["parse", str(path)])
    assert parsed.exit_code in (0, 1, 2), parsed.output
    assert parsed.exception is None or isinstance(parsed.exception, SystemExit), repr(parsed.exception)
    inspected = runner.invoke(app, ["inspect", str(path), "--json"])
    assert inspected.exit_code in (0, 2), inspected.output
    assert inspected.exception is None or isinstance(inspected.exception, SystemExit), repr(inspected.exception)
