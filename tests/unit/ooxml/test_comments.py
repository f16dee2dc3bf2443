"""add_comments: review comments anchored on content controls, read back by python-docx and LibreOffice."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import docx
import pytest
from lxml import etree

from formkit.errors import NotAFormError
from formkit.forms import get_form
from formkit.ooxml import add_comments
from formkit.ooxml._xml import qn
from formkit.ooxml.comments import COMMENTS_CT, RT_COMMENTS
from formkit.parse.docx import parse_docx
from formkit.render.render import render_form
from tests.support.data import sample

from .builders import build_docx, run, sdt

W_ID = qn("w:id")
WHEN = datetime(2026, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=8)))
REVIEW = [
    ("project_name", "项目名称与合同不一致，请核对。"),
    ("checks[0].result", "验收结果未选择。\n请选择“合格”或“不合格”。"),
    (None, "总体意见：请补全后重新提交。"),
]


@pytest.fixture(scope="module")
def blank() -> bytes:
    return render_form(get_form("acceptance")).content


@pytest.fixture(scope="module")
def reviewed(blank: bytes) -> bytes:
    return add_comments(blank, REVIEW, date=WHEN)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def comments_of(data: bytes) -> list[tuple[int, str, str, str | None, datetime | None]]:
    document = docx.Document(io.BytesIO(data))
    return [(c.comment_id, c.text, c.author, c.initials, c.timestamp) for c in document.comments]


def body(data: bytes) -> etree._Element:
    return etree.fromstring(members(data)["word/document.xml"])


def enclosed_tags(root: etree._Element, cid: int) -> list[str] | None:
    """Tags of the controls between a comment's range start and end (None: no range)."""
    start = next((e for e in root.iter(qn("w:commentRangeStart")) if e.get(W_ID) == str(cid)), None)
    if start is None:
        return None
    tags, el = [], start.getnext()
    while el is not None and not (el.tag == qn("w:commentRangeEnd") and el.get(W_ID) == str(cid)):
        tags += [t.get(qn("w:val")) for t in el.iter(qn("w:tag"))]
        el = el.getnext()
    assert el is not None, f"comment {cid}: range end is not a sibling of its start"
    reference = el.getnext()
    assert reference is not None and reference.find(qn("w:commentReference")).get(W_ID) == str(cid)
    return tags


def ids_by_text(data: bytes) -> dict[str, int]:
    return {text: cid for cid, text, *_ in comments_of(data)}


# --- python-docx reads them --------------------------------------------------------

def test_three_comments_with_text_author_and_date(reviewed: bytes):
    found = comments_of(reviewed)
    assert [(text, author, initials) for _, text, author, initials, _ in found] == [
        (text, "formkit 审核", "FK") for _, text in REVIEW
    ]
    assert {when for *_, when in found} == {datetime(2026, 3, 5, 1, 30, tzinfo=timezone.utc)}
    assert len({cid for cid, *_ in found}) == 3


def test_each_comment_encloses_its_control(reviewed: bytes):
    root, ids = body(reviewed), ids_by_text(reviewed)
    assert enclosed_tags(root, ids[REVIEW[0][1]]) == ["project_name"]
    assert enclosed_tags(root, ids[REVIEW[1][1]]) == ["checks[0].result"]
    general = ids[REVIEW[2][1]]
    assert enclosed_tags(root, general) == []  # a point at the start of the first paragraph
    first = root.find(f"{qn('w:body')}/{qn('w:p')}")
    assert first.find(qn("w:commentRangeStart")).get(W_ID) == str(general)
    assert "".join(first.itertext()) == "项目验收单"


def test_comment_runs_are_chinese_and_lines_are_paragraphs(reviewed: bytes):
    comments = etree.fromstring(members(reviewed)["word/comments.xml"])
    second = comments.findall(qn("w:comment"))[1]
    assert len(second.findall(qn("w:p"))) == 2
    runs = list(comments.iter(qn("w:r")))
    assert runs
    for r in runs:
        assert r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "宋体"
        assert r.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia")) == "zh-CN"


def test_part_override_relationship_and_other_parts_unchanged(blank: bytes, reviewed: bytes):
    before, after = members(blank), members(reviewed)
    assert "word/comments.xml" not in before
    assert set(after) - set(before) == {"word/comments.xml"}
    changed = {n for n in before if before[n] != after[n]}
    assert changed == {"[Content_Types].xml", "word/document.xml", "word/_rels/document.xml.rels"}
    types = etree.fromstring(after["[Content_Types].xml"])
    assert any(o.get("PartName") == "/word/comments.xml" and o.get("ContentType") == COMMENTS_CT
               for o in types.iter(qn("ct:Override")))
    rels = etree.fromstring(after["word/_rels/document.xml.rels"])
    assert [r.get("Target") for r in rels.iter(qn("rel:Relationship")) if r.get("Type") == RT_COMMENTS] == ["comments.xml"]
    assert len({r.get("Id") for r in rels.iter(qn("rel:Relationship"))}) == len(rels)


@pytest.mark.parametrize("prefilled", [False, True], ids=["blank", "prefilled"])
def test_the_form_parses_the_same(prefilled: bool):
    content = render_form(get_form("acceptance"), sample("anfang", "acceptance") if prefilled else None).content
    before = parse_docx(content).as_dict()
    after = parse_docx(add_comments(content, REVIEW)).as_dict()
    assert after == before


def test_adding_to_a_document_that_has_comments(reviewed: bytes):
    again = add_comments(reviewed, [("site", "地点写到区县"), ("project_name", "第二条意见")], author="张三", initials="ZS")
    found = comments_of(again)
    assert [text for _, text, *_ in found] == [t for _, t in REVIEW] + ["地点写到区县", "第二条意见"]
    assert len({cid for cid, *_ in found}) == 5
    assert [a for _, _, a, *_ in found[3:]] == ["张三", "张三"]
    root, ids = body(again), ids_by_text(again)
    assert enclosed_tags(root, ids["地点写到区县"]) == ["site"]
    assert enclosed_tags(root, ids["第二条意见"]) == ["project_name"]
    assert enclosed_tags(root, ids[REVIEW[0][1]]) == ["project_name"]  # the first range is intact
    rels = etree.fromstring(members(again)["word/_rels/document.xml.rels"])
    assert sum(r.get("Type") == RT_COMMENTS for r in rels) == 1
    types = members(again)["[Content_Types].xml"]
    assert types == members(reviewed)["[Content_Types].xml"]


def test_adding_to_comments_made_by_python_docx():
    document = docx.Document()
    paragraph = document.add_paragraph("已有批注的段落")
    document.add_comment(paragraph.runs, text="原有批注", author="李四", initials="LS")
    out = io.BytesIO()
    document.save(out)
    data = add_comments(out.getvalue(), [(None, "新批注")])
    assert [(text, author) for _, text, author, *_ in comments_of(data)] == [("原有批注", "李四"), ("新批注", "formkit 审核")]


# --- anchoring rules on small documents ---------------------------------------------

def _control(tag: str, text: str) -> str:
    return sdt(run(text), f'<w:tag w:val="{tag}"/>')


def test_every_control_with_the_tag_is_commented():
    data = build_docx(f"<w:p>{_control('a', '一')}</w:p><w:p>{run('中间')}{_control('a', '二')}</w:p>")
    out = add_comments(data, [("a", "两处都要改")])
    found = comments_of(out)
    assert [text for _, text, *_ in found] == ["两处都要改", "两处都要改"]
    root = body(out)
    assert [enclosed_tags(root, cid) for cid, *_ in found] == [["a"], ["a"]]


def test_block_level_control_is_covered_paragraph_by_paragraph():
    block = sdt(f"<w:p>{run('第一段')}</w:p><w:p>{run('第二段')}</w:p>", '<w:tag w:val="notes"/>')
    out = add_comments(build_docx(block), [("notes", "意见")])
    root = body(out)
    paragraphs = list(root.iter(qn("w:p")))
    assert paragraphs[0].find(qn("w:commentRangeStart")) is not None
    assert paragraphs[1][-2].tag == qn("w:commentRangeEnd")
    assert paragraphs[1][-1].find(qn("w:commentReference")) is not None


def test_unknown_tag_becomes_a_general_comment_and_bad_characters_are_replaced():
    data = build_docx(f"<w:p>{run('正文')}</w:p>")
    out = add_comments(data, [("no_such_tag", "找不到\x01控件")])
    assert [text for _, text, *_ in comments_of(out)] == ["找不到\ufffd控件"]
    first = body(out).find(f"{qn('w:body')}/{qn('w:p')}")
    assert first[0].tag == qn("w:commentRangeStart")


def test_no_comments_leaves_the_document_as_it_is(blank: bytes):
    assert add_comments(blank, []) == blank
    with pytest.raises(NotAFormError):
        add_comments(b"not a docx", [])


def test_a_block_control_without_paragraphs_falls_back_to_a_general_comment():
    data = build_docx(f"<w:p>{run('正文')}</w:p>" + sdt("", '<w:tag w:val="empty"/>'))
    out = add_comments(data, [("empty", "空控件")])
    assert [text for _, text, *_ in comments_of(out)] == ["空控件"]
    assert body(out).find(f"{qn('w:body')}/{qn('w:p')}")[0].tag == qn("w:commentRangeStart")


def test_bad_items_are_refused(blank: bytes):
    with pytest.raises(TypeError):
        add_comments(blank, [("project_name",)])  # type: ignore[list-item]


# --- LibreOffice keeps them -----------------------------------------------------------

@pytest.mark.office
def test_libreoffice_keeps_the_comments(reviewed: bytes, tmp_path: Path):
    from formkit.office import convert

    source = tmp_path / "in" / "reviewed.docx"
    source.parent.mkdir()
    source.write_bytes(reviewed)
    [saved] = convert([source], "docx", tmp_path / "out")
    data = saved.read_bytes()
    found = comments_of(data)
    assert sorted((text, author, initials) for _, text, author, initials, _ in found) == sorted(
        (text, "formkit 审核", "FK") for _, text in REVIEW
    )
    root, ids = body(data), ids_by_text(data)
    assert enclosed_tags(root, ids[REVIEW[0][1]]) == ["project_name"]
    assert enclosed_tags(root, ids[REVIEW[1][1]]) == ["checks[0].result"]
    # LibreOffice renumbers comments in document order and keeps an empty range as a
    # point: only the reference run is left, at the start of the first paragraph.
    general = ids[REVIEW[2][1]]
    assert enclosed_tags(root, general) is None
    first = root.find(f"{qn('w:body')}/{qn('w:p')}")
    assert first.find(f"{qn('w:r')}/{qn('w:commentReference')}").get(W_ID) == str(general)
    assert parse_docx(data).as_dict()["data"] == parse_docx(reviewed).as_dict()["data"]
