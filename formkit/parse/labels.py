"""Values by labels: rows of table cells (text only) -> field values.

For forms whose content controls are gone: a flattened .docx, a PDF's text
layer. Rows come in document order, pages one after the other; the form's
layout (formkit/parse/layout.py) says which label names which value: in a
pairs row the cell after a label, in a list table the columns under the
header row (repeated on a new page, counted once), in a stage block the
row's content by its label, ticks by their ☑/☐ glyphs and opinions by their
"营销人员：" prefixes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from formkit.forms.base import FormModel, Problem, label_for
from formkit.parse.layout import Cell, Row, Table, form_labels, form_layout, norm
from formkit.parse.values import RawValue, Reading, read_values

TICKED = "☑☒■√✓✔"
UNTICKED = "☐□"
_BOX = re.compile(rf"^\s*([{TICKED}{UNTICKED}])")


@dataclass
class TextRow:
    """One table row as text; ``confidence`` per cell when a reader has one."""

    cells: list[str]
    confidence: list[float] | None = None


def read_by_labels(model: type[FormModel], rows: Iterable[TextRow], how: str, where: str
                   ) -> tuple[Reading, list[Problem]]:
    """The values of a document's table rows, found by their labels, and a
    problem for each fixed row it does not have (missing_rows; ``where``
    names the document: "PDF ", "文档")."""
    mapped = list(_map(model, rows, how))
    return read_values(model, mapped), missing_rows(model, (v.path for v in mapped), where)


def _map(model: type[FormModel], rows: Iterable[TextRow], how: str) -> Iterator[RawValue]:
    labels = form_labels(model)
    table: Table | None = None
    count = 0
    for row in rows:
        texts = [norm(c) for c in row.cells]
        conf = row.confidence or [1.0] * len(row.cells)
        header = tuple(texts)
        if header in labels.lists:
            if table is None or table is not labels.lists[header]:
                table, count = labels.lists[header], 0
            continue  # a header repeated on a new page continues the list
        if len(texts) == 2 and texts[0] == "成功标准":
            block = next((b for key, b in labels.blocks.items() if texts[1].startswith(key)), None)
            if block is not None:
                table = block
            continue
        if table is not None and table.kind == "block" and len(texts) == 2:
            cell = next((r.cells[1] for r in table.rows if r.kind == "block" and norm(r.cells[0].text) == texts[0]),
                        None)
            if cell is not None:
                yield from _block_cell(cell, row.cells[1], how, conf[1])
                continue
        pairs = [(i, labels.pairs[texts[i]]) for i in (0, 2) if i < len(texts) - 1 and texts[i] in labels.pairs]
        if pairs:
            table = None
            for i, cell in pairs:
                yield RawValue(cell.path, row.cells[i + 1], how, conf[i + 1])
            continue
        if table is not None and table.kind == "list" and table.item is not None \
                and len(texts) == len(table.item.cells):
            for cell, text, c in zip(table.item.cells, row.cells, conf):
                yield RawValue(cell.path.format(i=count), text, how, c, row=(table.name, count))
            count += 1
            continue


def row_paths(row: Row) -> list[str]:
    """The paths a fixed row holds values for: its value cells, and a block
    row's roles or ticks (by the block field's path)."""
    return [c.path for c in row.cells if c.kind in ("value", "roles", "checklist") and c.path]


def missing_rows(model: type[FormModel], found: Iterable[str], where: str) -> list[Problem]:
    """A problem for each value of a fixed row (a label and its value, a
    block's row; not a list's rows, which may be any number) that the document
    does not have at all: ``found`` (the paths of the rows it has) holds none
    of its paths. Not blank but lost, and said so: LibreOffice 25.2 leaves a
    row out of its PDF at a page's foot now and then, and a row can be
    deleted from a copied form."""
    have: set[str] = set()
    for path in found:  # items[0].name and judgement.sales have their rows' paths too
        have.update(path[:m.start()] for m in re.finditer(r"[.\[]", path))
        have.add(path)
    out = []
    for table in form_layout(model):
        if table.kind == "list":
            continue
        for row in table.rows:
            paths = row_paths(row)
            if paths and not have.intersection(paths):
                for path in paths:
                    label = label_for(model, path)
                    out.append(Problem(path, label, f"{where}中没有“{label}”这一行，无法读取"
                                       "（可能在导出或复制时丢失），请对照原件核对", kind="missing_row"))
    return out


def _block_cell(cell: Cell, text: str, how: str, conf: float) -> Iterator[RawValue]:
    if cell.kind == "value":
        yield RawValue(cell.path, text, how, conf)
    elif cell.kind == "checklist":
        ticks = [m.group(1) in TICKED for m in (_BOX.match(line) for line in text.split("\n")) if m]
        for (path, _), ticked in zip(cell.items, ticks):
            yield RawValue(path, ticked, how, conf)
    elif cell.kind == "roles":
        yield from (RawValue(path, value, how, conf) for path, value in split_roles(cell, text).items())


def split_roles(cell: Cell, text: str) -> dict[str, str]:
    """'营销人员：甲\\n部门主管：乙…' -> {path: text} (lines without a role
    prefix continue the role before them)."""
    prefixes = [(re.compile(rf"^\s*{re.escape(role)}\s*[:：]\s*"), path) for role, path in cell.items]
    out: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.split("\n"):
        for pattern, path in prefixes:
            m = pattern.match(line)
            if m:
                current = path
                out[current] = [line[m.end():]]
                break
        else:
            if current is not None:
                out[current].append(line)
    return {path: "\n".join(lines).strip("\n") for path, lines in out.items()}
