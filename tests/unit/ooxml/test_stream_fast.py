"""The fast walk of simple documents (formkit/ooxml/_stream.py) reads exactly
what the general walk reads.

`scan` replaces a Python walk per control (and one for the fixed text) with one
lxml iterwalk, but only where `simple()` says the tree has no tracked changes,
fields, alternate content or symbol fonts. Checked on every form formkit
renders (blank and filled), on random trees of the elements a simple document
holds, and on the shared corpus (tests/integration/test_corpus_docx.py); and
`simple()` must say no to each feature the fast walk does not know.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from formkit import ooxml
from formkit.forms import all_forms
from formkit.ooxml._stream import W_SDT, W_TBL, W_TR, scan, simple, text_of
from formkit.ooxml.changes import _collapsed, walk_fixed_text
from formkit.ooxml.controls import _place
from formkit.parse.docx import parse_docx
from formkit.render.render import render_form
from tests.support.data import sample
from tests.unit.ooxml.builders import NSDECL, build_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def assert_same_reading(root: etree._Element) -> None:
    """For a simple tree: the fast walks agree with the general one."""
    assert simple(root)
    walk = scan(root)
    sdts = list(root.iter(W_SDT))
    assert walk.sdts == sdts
    assert walk.texts == {sdt: text_of(sdt) for sdt in sdts}
    assert _collapsed(walk.fixed) == walk_fixed_text(root)
    rows = {tr: i for i, tr in enumerate(root.iter(W_TR))}
    tables = {t: i for i, t in enumerate(t for t in root.iter(W_TBL) if next(t.iterancestors(W_TBL), None) is None)}
    assert walk.places == {sdt: _place(sdt, rows, tables) for sdt in sdts}


def _rendered() -> list[tuple[str, bytes]]:
    out = []
    for spec in all_forms():
        out.append((f"{spec.id}-blank", render_form(spec, project_code="P2026-001").content))
        try:
            data = sample("anfang", spec.id)
        except (KeyError, FileNotFoundError):
            continue
        out.append((f"{spec.id}-filled", render_form(spec, data).content))
    return out


RENDERED = _rendered()


@pytest.mark.parametrize("content", [c for _, c in RENDERED], ids=[n for n, _ in RENDERED])
def test_every_rendered_form_is_simple_and_reads_the_same(content: bytes) -> None:
    with ooxml.open_package(content) as pkg:
        assert pkg.simple(pkg.main_part)  # the footer's PAGE field makes the footer not simple
        for _kind, part in pkg.story_parts():
            if pkg.simple(part):
                assert_same_reading(pkg.xml(part))


def test_filled_forms_parse_the_same_by_either_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    filled = [(n, c) for n, c in RENDERED if n.endswith("-filled")]
    assert len(filled) >= 5
    fast = [parse_docx(c) for _, c in filled]
    monkeypatch.setattr(ooxml.Package, "simple", lambda self, part: False)
    general = [parse_docx(c) for _, c in filled]
    for (name, _), a, b in zip(filled, fast, general):
        assert (a.data, a.sources, a.notices, [p.as_dict() for p in a.problems]) == \
            (b.data, b.sources, b.notices, [p.as_dict() for p in b.problems]), name


# -- random simple trees -----------------------------------------------------------------

_TEXT = st.text(st.sampled_from("ab 项目，\t\n\r  "), max_size=6)


def _t(text: str, preserve: bool) -> str:
    space = ' xml:space="preserve"' if preserve else ""
    return f"<w:t{space}>{text.replace('&', '&amp;').replace('<', '&lt;')}</w:t>"


RUN_CHILD = st.one_of(
    st.builds(_t, _TEXT, st.booleans()),
    st.sampled_from(["<w:tab/>", "<w:br/>", "<w:cr/>", "<w:noBreakHyphen/>", "<w:softHyphen/>", "<w:ptab/>",
                     '<w:rPr><w:rFonts w:ascii="宋体"/><w:b/></w:rPr>']),
)
RUN = st.lists(RUN_CHILD, max_size=4).map(lambda kids: "<w:r>" + "".join(kids) + "</w:r>")
PPR = st.sampled_from(["", '<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:jc w:val="center"/></w:pPr>',
                       "<w:pPr><w:rPr><w:b/></w:rPr></w:pPr>"])


def _sdt(content: str, tag: str) -> str:
    return (f'<w:sdt><w:sdtPr><w:tag w:val="{tag}"/><w:alias w:val="标签"/><w:text/></w:sdtPr>'
            f"<w:sdtContent>{content}</w:sdtContent></w:sdt>")


def _inline(children: Any) -> Any:
    return st.lists(st.one_of(RUN, st.builds(_sdt, children, st.sampled_from(["a", "b[0].c"])),
                              RUN.map(lambda r: f'<w:hyperlink w:history="1">{r}</w:hyperlink>')), max_size=4)


INLINE = st.recursive(RUN, lambda children: _inline(children).map("".join), max_leaves=8)
PARAGRAPH = st.builds(lambda ppr, kids: f"<w:p>{ppr}{''.join(kids)}</w:p>", PPR, st.lists(INLINE, max_size=3))


def _block(children: Any) -> Any:
    cell = st.lists(children, min_size=1, max_size=2).map(lambda ps: "<w:tc><w:tcPr/>" + "".join(ps) + "</w:tc>")
    row = st.lists(cell, min_size=1, max_size=2).map(lambda cs: "<w:tr><w:trPr/>" + "".join(cs) + "</w:tr>")
    table = st.lists(row, min_size=1, max_size=2).map(lambda rs: "<w:tbl><w:tblPr/>" + "".join(rs) + "</w:tbl>")
    return st.one_of(table, st.builds(_sdt, st.lists(children, min_size=1, max_size=2).map("".join),
                                      st.sampled_from(["rows", "x"])))


BLOCK = st.recursive(PARAGRAPH, _block, max_leaves=10)


@settings(max_examples=100, deadline=None)
@given(st.lists(BLOCK, max_size=5))
def test_random_simple_bodies_read_the_same(blocks: list[str]) -> None:
    root = etree.fromstring(f"<w:document {NSDECL}><w:body>{''.join(blocks)}<w:sectPr/></w:body></w:document>"
                            .encode())
    assert_same_reading(root)


# -- what simple() refuses -----------------------------------------------------------------

NOT_SIMPLE = {
    "tracked insertion": '<w:p><w:ins w:id="1" w:author="a"><w:r><w:t>x</w:t></w:r></w:ins></w:p>',
    "tracked deletion": '<w:p><w:del w:id="1" w:author="a"><w:r><w:delText>x</w:delText></w:r></w:del></w:p>',
    "deleted paragraph mark": '<w:p><w:pPr><w:rPr><w:del w:id="1" w:author="a"/></w:rPr></w:pPr></w:p>',
    "format change": '<w:p><w:r><w:rPr><w:rPrChange w:id="1" w:author="a"/></w:rPr><w:t>x</w:t></w:r></w:p>',
    "complex field": '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText>'
                     '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    "simple field": '<w:p><w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>',
    "symbol": '<w:p><w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r></w:p>',
    "symbol font": '<w:p><w:r><w:rPr><w:rFonts w:ascii=" WingDings 2"/></w:rPr><w:t>R</w:t></w:r></w:p>',
    "alternate content": '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>a</w:t></mc:Choice>'
                         '<mc:Fallback><w:t>b</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>',
    "moved row mark": '<w:tbl><w:tr><w:trPr><w:del w:id="1" w:author="a"/></w:trPr><w:tc><w:p/></w:tc></w:tr></w:tbl>',
}


@pytest.mark.parametrize("body", NOT_SIMPLE.values(), ids=NOT_SIMPLE.keys())
def test_simple_refuses_what_the_fast_walk_does_not_know(body: str) -> None:
    content = build_docx(body)
    with ooxml.open_package(content) as pkg:
        root = pkg.xml(pkg.main_part)
        assert not simple(root)
        assert not pkg.simple(pkg.main_part)  # the byte search for font names agrees with the tree's


def test_a_plain_document_is_simple() -> None:
    with ooxml.open_package(build_docx('<w:p><w:r><w:rPr><w:rFonts w:ascii="Arial"/></w:rPr><w:t>x</w:t></w:r></w:p>')) \
            as pkg:
        assert pkg.simple(pkg.main_part)
        assert simple(pkg.xml(pkg.main_part))


def test_a_parse_walks_the_main_part_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """read_controls and fixed_text share the one scan() of the main part."""
    from formkit.ooxml import _stream

    name, content = next((n, c) for n, c in RENDERED if n.endswith("-filled"))
    parse_docx(content)  # the form's expected fixed text (a blank form, walked once) is cached
    walked: list[str] = []
    real = _stream.scan
    monkeypatch.setattr(_stream, "scan", lambda root: walked.append(root.tag) or real(root))
    parse_docx(content)
    assert walked == [f"{W}document"], name
