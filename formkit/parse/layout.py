"""The layout of a rendered form, told from its model: which tables, rows and
cells it has, which cell holds which label and which value.

The template builder (formkit/render/builder.py) lays a form out from its
model alone, so a reader can know the same layout without the template:
tables in order; pairs tables (label, value, label, value; a wide field is a
label and a value spanning three columns); list tables (a header row of
column labels, then one row per item); block tables (a stage of the tracking
sheet: 成功标准 notes, then 符合条件 ticks, 实际情况, and 判断/跟进措施 with one
"营销人员：…" line per role). Column widths are in cm of the 17 cm text width.

Readers that see cells but no content controls (a flattened .docx, a PDF's
text, a scan) map cells to field paths with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from formkit.forms.base import FormModel, field_meta, list_item, section_type
from formkit.render.builder import control_kind

PAIR_WIDTHS = (3.2, 5.3, 3.2, 5.3)
BLOCK_WIDTHS = (2.9, 14.1)
TEXT_WIDTH = 17.0


@dataclass(frozen=True)
class Cell:
    """One cell of a laid-out row.

    kind: label (fixed ``text``), value (``path``), blank, notes (fixed text),
    checklist (``items``: (path, fixed text) per tick), roles (``items``:
    (role label, path) per line).
    """

    kind: str
    width: float
    text: str = ""
    path: str = ""
    items: tuple[tuple[str, str], ...] = ()
    control: str = ""  # the value's control kind: text, multiline, date, dropdown, checkbox


@dataclass(frozen=True)
class Row:
    kind: str  # pair | wide | header | item | notes | block
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    kind: str  # pairs | list | block
    rows: tuple[Row, ...]
    name: str = ""  # the list or block field
    key: str = ""  # what identifies a block table: its first 成功标准 heading
    item: Row | None = None  # a list table's row, paths with "{i}" for the row index

    @property
    def widths(self) -> tuple[float, ...]:
        if self.kind == "pairs":
            return PAIR_WIDTHS
        if self.kind == "block":
            return BLOCK_WIDTHS
        assert self.item is not None
        return tuple(c.width for c in self.item.cells)


def norm(text: str) -> str:
    """Text compared without white space (labels wrap inside their cells)."""
    return re.sub(r"\s+", "", text or "")


def _value(info: Any, path: str, width: float) -> Cell:
    return Cell("value", width, path=path, control=control_kind(info)[0])


def _pairs(model: type[FormModel], names: list[str]) -> Table:
    fields = model.model_fields
    w = PAIR_WIDTHS
    rows: list[Row] = []
    pending: list[str] = []

    def flush() -> None:
        if not pending:
            return
        cells: list[Cell] = []
        for name in pending:
            info = fields[name]
            cells += [Cell("label", w[0], text=info.title or name), _value(info, name, w[1])]
        if len(pending) == 1:
            cells += [Cell("blank", w[2]), Cell("blank", w[3])]
        rows.append(Row("pair", tuple(cells)))
        pending.clear()

    for name in names:
        info = fields[name]
        if field_meta(info).get("wide"):
            flush()
            rows.append(Row("wide", (Cell("label", w[0], text=info.title or name),
                                     _value(info, name, sum(w[1:])))))
        else:
            pending.append(name)
            if len(pending) == 2:
                flush()
    flush()
    return Table("pairs", tuple(rows))


def _scale(widths: list[float]) -> list[float]:
    factor = TEXT_WIDTH / sum(widths)
    return [x * factor for x in widths]


def _list(name: str, info: Any) -> Table:
    row_model = section_type(info.annotation)
    assert row_model is not None
    names = list(row_model.model_fields)
    widths = _scale([field_meta(row_model.model_fields[n]).get("width", 3.0) for n in names])
    header = Row("header", tuple(Cell("label", wd, text=row_model.model_fields[n].title or n)
                                 for n, wd in zip(names, widths)))
    item = Row("item", tuple(_value(row_model.model_fields[n], f"{name}[{{i}}].{n}", wd)
                             for n, wd in zip(names, widths)))
    return Table("list", (header,), name=name, item=item)


def _block(name: str, info: Any) -> Table:
    sub_model = section_type(info.annotation)
    assert sub_model is not None
    meta = field_meta(info)
    w = BLOCK_WIDTHS
    rows: list[Row] = []
    notes = meta.get("notes", [])
    for heading, text in notes:
        rows.append(Row("notes", (Cell("label", w[0], text="成功标准"),
                                  Cell("notes", w[1], text=f"{heading}：\n{text}"))))
    for sub_name, sub in sub_model.model_fields.items():
        path = f"{name}.{sub_name}"
        label = Cell("label", w[0], text=sub.title or sub_name)
        inner = section_type(sub.annotation)
        checklist = field_meta(sub).get("checklist")
        if inner is not None:
            items = tuple((r.title or n, f"{path}.{n}") for n, r in inner.model_fields.items())
            content = Cell("roles", w[1], path=path, items=items)
        elif list_item(sub.annotation) is not None and checklist:
            ticks: list[tuple[str, str]] = []
            for group in checklist:
                for text in group["items"]:
                    ticks.append((f"{path}[{len(ticks)}]", text))
            content = Cell("checklist", w[1], path=path, items=tuple(ticks))
        else:
            content = _value(sub, path, w[1])
        rows.append(Row("block", (label, content)))
    key = norm(notes[0][0]) if notes else norm(info.title or name)
    return Table("block", tuple(rows), name=name, key=key)


@lru_cache(maxsize=None)
def form_layout(model: type[FormModel]) -> tuple[Table, ...]:
    """The form's tables in document order (the builder's order)."""
    fields = model.model_fields
    groups: list[tuple[str, list[str]]] = []
    for name, info in fields.items():
        if section_type(info.annotation) is not None:
            groups.append(("__list__" if list_item(info.annotation) else "__block__", [name]))
            continue
        section = field_meta(info).get("section", "")
        if groups and groups[-1][0] == section:
            groups[-1][1].append(name)
        else:
            groups.append((section, [name]))
    tables: list[Table] = []
    for section, names in groups:
        if section == "__list__":
            tables.append(_list(names[0], fields[names[0]]))
        elif section == "__block__":
            tables.append(_block(names[0], fields[names[0]]))
        else:
            tables.append(_pairs(model, names))
    return tuple(tables)


@dataclass
class Labels:
    """What identifies rows of a form by their text."""

    pairs: dict[str, Cell] = field(default_factory=dict)  # label -> value cell
    lists: dict[tuple[str, ...], Table] = field(default_factory=dict)  # header labels -> list table
    blocks: dict[str, Table] = field(default_factory=dict)  # key -> block table


@lru_cache(maxsize=None)
def form_labels(model: type[FormModel]) -> Labels:
    out = Labels()
    for table in form_layout(model):
        if table.kind == "pairs":
            for row in table.rows:
                for label, value in zip(row.cells, row.cells[1:]):
                    if label.kind == "label" and value.kind == "value":
                        out.pairs[norm(label.text)] = value
        elif table.kind == "list":
            out.lists[tuple(norm(c.text) for c in table.rows[0].cells)] = table
        else:
            out.blocks[table.key] = table
    return out
