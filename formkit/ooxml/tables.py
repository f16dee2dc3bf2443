"""The body's tables as text: rows of cells, each cell's text as it reads.

What a reader needs when a form's content controls are gone (the document was
copied into a new one, or saved by software that flattens controls): the
labels and values are still in the table cells. Paragraphs and line breaks
in a cell become "\\n"; tracked changes are read accepted; a cell merged
across columns (w:gridSpan) is one cell with its ``span``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from formkit.ooxml._stream import children, mark_deleted, text_of
from formkit.ooxml._xml import qn, w_attr

if TYPE_CHECKING:
    from formkit.ooxml.package import Package

_TBL, _TR, _TC, _TCPR, _SPAN = qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:gridSpan")


@dataclass(frozen=True)
class TableCell:
    text: str
    span: int = 1


def read_tables(package: "Package") -> list[list[list[TableCell]]]:
    """Top-level tables of the main document: tables -> rows -> cells."""
    body = package.xml(package.main_part)
    tables = []
    for tbl in body.iter(_TBL):
        if any(a.tag == _TBL for a in tbl.iterancestors()):
            continue  # nested tables are read as their cell's text
        rows = []
        for tr in children(tbl):
            if tr.tag != _TR or mark_deleted(tr):
                continue
            cells = []
            for tc in children(tr):
                if tc.tag != _TC:
                    continue
                span = w_attr(tc.find(f"{_TCPR}/{_SPAN}"))
                cells.append(TableCell(text_of(tc), int(span) if span and span.isdigit() else 1))
            rows.append(cells)
        tables.append(rows)
    return tables
