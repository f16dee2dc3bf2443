"""Rendered forms as read-only copies: controls unwrapped, prompts and spare rows gone."""

from __future__ import annotations

from lxml import etree

from formkit.forms import get_form
from formkit.ooxml.readonly import read_only_body
from formkit.render.render import render_form
from tests.support.data import sample

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def texts(body: list[etree._Element]) -> str:
    return "".join(t.text or "" for el in body for t in el.iter(f"{W}t"))


def table_rows(body: list[etree._Element]) -> list[int]:
    return [len(el.findall(f"{W}tr")) for el in body if el.tag == f"{W}tbl"]


def test_filled_form_keeps_every_value_and_no_control() -> None:
    spec = get_form("acceptance")
    body = read_only_body(render_form(spec, sample("anfang", "acceptance")).content)
    assert not [el for b in body for el in b.iter(f"{W}sdt")]
    text = texts(body)
    for value in ("HT-2026-0517", "1,180,000.00", "2026年8月28日", "前端摄像机", "保存不少于 90 天", "通过", "☑"):
        assert value in text
    assert "点击" not in text  # prompts of the fields left blank are gone
    assert body[0].tag == f"{W}p" and texts(body[:1]) == "项目验收单"
    assert all(el.tag != f"{W}sectPr" for el in body)


def test_spare_rows_go_but_an_empty_list_keeps_one_row() -> None:
    spec = get_form("acceptance")
    data = sample("anfang", "acceptance") | {"deliverables": []}
    full = table_rows(read_only_body(render_form(spec, sample("anfang", "acceptance")).content))
    empty = table_rows(read_only_body(render_form(spec, data).content))
    blank = table_rows(read_only_body(render_form(spec).content))
    # checks: header + 4 rows (no spare); deliverables: header + 3, or header + 1 when empty
    assert 5 in full and 4 in full
    assert 5 in empty and 2 in empty
    assert len(blank) == len(full)  # a blank form keeps every table, each list one row
