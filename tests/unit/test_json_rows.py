"""`formkit import --json` prints its rows one by one (JsonRows): the text must be
exactly what printing the whole list at once gave (the machine interface)."""

from __future__ import annotations

import json

import pytest

from formkit.cli.common import JsonRows

ROWS = [{"file": "a/验收单.docx", "outcome": "accepted", "problems": [], "mail": {"subject": "多行\n主题"}},
        {"file": "b.zip › c.docx", "outcome": "review", "problems": [{"path": "x", "message": "“引号”"}]},
        {"file": "d", "outcome": "skipped", "problems": [], "reason": "空附件"}]


@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []])
def test_rows_printed_one_by_one_are_the_list(rows: list[dict], capsys: pytest.CaptureFixture[str]) -> None:
    printer = JsonRows()
    for row in rows:
        printer.add(row)
    printer.close()
    assert capsys.readouterr().out == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
