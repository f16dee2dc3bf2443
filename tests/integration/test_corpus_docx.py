"""Real-world .docx files (shared/corpus) through formkit.ooxml.

Every file must go through inspect() with no exception other than
NotAFormError; selected files are checked for the values a person sees.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from formkit.errors import NotAFormError
from formkit.ooxml import fixed_text, inspect, open_package, read_controls, read_legacy_fields, tracked_changes

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "corpus"
FILES = sorted([*CORPUS.glob("docx_sdt/*.docx"), *CORPUS.glob("docx_tables/*.docx")])



def test_the_corpus_is_there():
    # CI clones the repository with shared/ beside it; a missing corpus is a failure, not a skip.
    assert len(FILES) >= 50, f"共享语料库不存在或不完整：{CORPUS}"


def corpus(name: str) -> Path:
    (path,) = [f for f in FILES if f.name == name]
    return path


def controls(name: str):
    with open_package(corpus(name)) as pkg:
        return read_controls(pkg)


def legacy(name: str):
    with open_package(corpus(name)) as pkg:
        return read_legacy_fields(pkg)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_goes_through_inspect(path):
    try:
        with open_package(path) as pkg:
            report, lines = inspect(pkg), fixed_text(pkg)
    except NotAFormError:
        return
    assert set(report) == {"identity", "controls", "legacy_fields", "tracked_changes"}
    assert set(report["identity"]) == {"form", "schema_version", "project_code", "document_id"}
    for c in report["controls"]:
        assert isinstance(c["value"], str) and c["checked"] in (None, True, False)
    assert report["tracked_changes"]["total"] >= 0
    assert all(isinstance(line, str) and line == " ".join(line.split()) and line for line in lines)


def test_hc030_one_of_each_kind():
    got = {c.tag: c for c in controls("pt_HC030-Content-Controls.docx")}
    rich = got["RichTextContentControl"]
    assert (rich.type, rich.alias, rich.level) == ("richtext", "RichTextContentControl", "block")
    assert rich.value.startswith("Video provides a powerful way") and rich.value.endswith("best fits your document.")
    plain = got["Plain text content control"]
    assert (plain.type, plain.level, plain.value) == ("text", "inline", "make your document look professionally")
    box = got["CheckBoxContentControl"]
    assert (box.type, box.value, box.checked) == ("checkbox", "☐", False)
    combo = got["ComboBoxContentControl"]
    assert (combo.type, combo.value) == ("combobox", "Two")
    assert combo.list_items == [("One", "One"), ("Two", "Two"), ("Three", "Three")]
    assert got[None].type == "picture" and got[None].value == ""


def test_poi_checkboxes_legacy_states():
    got = [(f.name, f.type, f.checked) for f in legacy("poi_checkboxes.docx")]
    states = [True if c else False for _, _, c in got]
    assert {t for _, t, _ in got} == {"checkbox"}
    assert [n for n, _, _ in got][:4] == ["Check1", "Check2", "Check3", "Check4"]
    assert states == [False, True, False, True, False, True, True, False, True]


def test_d4j_legacy_forms_all_three_kinds():
    got = [(f.name, f.type, f.value, f.checked) for f in legacy("d4j_LegacyForms.docx")]
    assert got == [
        ("Text1", "text", "", None),
        ("Check1", "checkbox", "☐", False),
        ("Dropdown1", "dropdown", "", None),
    ]


def test_rp016_control_whose_boundary_is_deleted():
    (c,) = controls("pt_RP016-Deleted-CC.docx")
    assert (c.type, c.value, c.level, c.tracked, c.pending_changes) == ("text", "Video", "inline", "deleted", True)
    with open_package(corpus("pt_RP016-Deleted-CC.docx")) as pkg:
        assert tracked_changes(pkg)["deletions"] == 2


def test_rp017_control_whose_boundary_is_inserted():
    (c,) = controls("pt_RP017-Inserted-CC.docx")
    assert (c.type, c.value, c.tracked, c.pending_changes) == ("text", "Video", "inserted", True)


def test_nested_control_with_placeholder():
    outer, inner = controls("pt_NestedContentControl.docx")
    assert outer.value == "Developer, Title (Nested content control)." and not outer.showing_placeholder
    assert inner.value == "Title (Nested content control)." and inner.showing_placeholder
    assert (outer.level, inner.level) == ("block", "inline")


def test_sdt_in_text_box_is_found_once():
    in_box, in_body = controls("tika_testWORD_sdtInTextBox.docx")
    assert in_box.value.startswith("rich-text-content-control_inside-text-box")
    assert in_body.value == "rich-text-content-control"


def test_w14_checkboxes():
    assert [c.checked for c in controls("pt_HW010-Symbols02.docx")] == [True, False]
    hc006 = controls("pt_HC006-Test-01.docx")
    kinds = Counter(c.type for c in hc006)
    assert kinds == {"checkbox": 21, "repeating": 4, "group": 4}
    boxes = [c for c in hc006 if c.type == "checkbox"]
    assert [c.checked for c in boxes].count(True) == 1 and boxes[0].checked is True
    assert all(c.level == "cell" and c.row is not None and c.table is not None for c in boxes)
    vat = [c for c in controls("d4j_invoice2013.docx") if c.alias == "/invoice[1]/VAT[1]/@applies"]
    assert [(c.type, c.checked) for c in vat] == [("checkbox", True)]


def test_poi_54849_kinds_levels_and_parts():
    got = controls("poi_Bug54849.docx")
    by_value = {c.value: c for c in got}
    date = by_value["4/16/2013"]
    assert (date.type, date.date_full, date.date_format) == ("date", "2013-04-16T00:00:00Z", "M/d/yyyy")
    assert by_value["Dirt"].type == "dropdown" and by_value["Watermelon"].type == "combobox"
    assert by_value["Plain_text_with_newlines1\nplain_text_with_newlines2"].type == "text"
    assert by_value["Rich_text_in_cell"].level == "cell"
    assert by_value["rich_text_in_paragraph_in_cell"].level == "inline"
    assert (got[0].tag, got[0].alias) == ("MyTag", "MyTitle")
    parts = {c.value: c.part for c in got}
    assert parts["header_rich_text"] == "word/header1.xml"
    assert parts["Footer_rich_text"] == "word/footer1.xml"
    assert parts["Footnote_sdt"] == "word/footnotes.xml" and parts["Endnote_sdt"] == "word/endnotes.xml"


def test_unfilled_form_reports_placeholders():
    got = controls("pt_solar-system.docx")
    assert [c.tag for c in got][:3] == ["SolarOverview", "Sun", "Mercury"]
    assert all(c.showing_placeholder and c.value == "Click here to enter text." for c in got)


def test_row_and_cell_level_controls():
    (row,) = controls("pt_RowLevelContentControl.docx")
    (cell,) = controls("pt_CellLevelContentControl.docx")
    assert (row.level, cell.level) == ("row", "cell")
    assert row.table == 0 and cell.row == 0 and cell.showing_placeholder


def test_tika_2006ml_combobox_date_and_changes():
    got = {c.tag: c for c in controls("tika_testWORD_2006ml.docx")}
    combo = got["DropDownTag"]
    assert (combo.alias, combo.type, combo.value) == ("DropDownTitle", "combobox", "Drop down1")
    assert ("DropdownOption1", "DropdownValue1") in combo.list_items
    with open_package(corpus("tika_testWORD_2006ml.docx")) as pkg:
        assert tracked_changes(pkg) == {"insertions": 2, "deletions": 23, "moves": 4, "format_changes": 0, "total": 29}


def test_locked_controls_in_headers():
    got = controls("pt_HC061-Hyperlink-in-Field.docx")
    cote = [c for c in got if c.tag == "txtDocCote"]
    assert [(c.value, c.lock) for c in cote] == [("DOCUMENT COTE", "contentLocked")] * 2
    assert {c.part for c in cote} == {"word/header1.xml", "word/header2.xml"}


def test_wps_legacy_text_fields_in_chinese():
    got = {f.name: f for f in legacy("chatchat_wps_npp_guide_part6.docx")}
    assert got["ICS"].value == "27.120.99" and got["ICS"].default == "点击此处添加ICS号"
    assert got["StdName"].value == "核电厂定期安全评价指南\n第6部分：构筑物、系统和设备的实际状态"
    assert got["fm"].value == "国家能源局"


def test_legacy_form_counts():
    assert Counter(f.type for f in legacy("poi_form_footnotes.docx")) == {"text": 40, "checkbox": 29}
    assert Counter(f.type for f in legacy("poi_stress005.docx")) == {"text": 53, "checkbox": 12}
    assert Counter(f.type for f in legacy("tika_grpc_014760.docx")) == {"text": 122}
    (hc009,) = legacy("pt_HC009-Test-04.docx")
    assert (hc009.name, hc009.value) == ("Text19", "[frequency, date, time, and locations of meetings]")


def test_fixed_text_of_a_chinese_template():
    with open_package(corpus("pt_HC001-5DayTourPlanTemplate_zh.docx")) as pkg:
        lines = fixed_text(pkg)
    assert lines and any("\u4e00" <= ch <= "\u9fff" for line in lines for ch in line)


def _mutants(count: int, seed: int = 20240506):
    """Well-formed but scrambled copies of small corpus files: elements dropped or
    moved, attributes dropped or given odd values."""
    rng = random.Random(seed)
    small = [f for f in FILES if f.stat().st_size < 60_000]
    for _ in range(count):
        path = rng.choice(small)
        with zipfile.ZipFile(path) as zin:
            root = etree.fromstring(zin.read("word/document.xml"))
            elements = list(root.iter())
            for _ in range(rng.randint(1, 30)):
                el = rng.choice(elements)
                roll = rng.random()
                if roll < 0.4 and el.getparent() is not None:
                    el.getparent().remove(el)
                elif roll < 0.6:
                    other = rng.choice(elements)
                    if other is not el and other not in el.iterancestors() and other.getparent() is not None:
                        el.append(other)
                else:
                    for key in list(el.attrib):
                        el.attrib[key] = rng.choice(["", "x", "-1", "99999", "FFFFFFFF", "F0FE", "D800"])
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as zout:
                for info in zin.infolist():
                    data = etree.tostring(root) if info.filename == "word/document.xml" else zin.read(info)
                    zout.writestr(info.filename, data)
        yield path.name, out.getvalue()


def test_scrambled_documents_never_crash():
    for _name, data in _mutants(80):
        try:
            with open_package(data) as pkg:
                inspect(pkg)
                fixed_text(pkg)
        except NotAFormError:
            pass


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_file_goes_through_parse_without_a_crash(path):
    from formkit.errors import NotAFormError
    from formkit.parse.docx import parse_docx

    try:
        parsed = parse_docx(str(path))
    except NotAFormError as e:
        message = str(e)
        assert "\n" not in message and path.name in message
    else:  # a foreign file that looks enough like one of ours is read, with its problems named
        assert parsed.problems


def test_simple_parts_read_the_same_by_the_fast_walk():
    """Where simple() lets the fast walk read a part, it reads what the general walk reads
    (tests/unit/ooxml/test_stream_fast.py); the corpus has parts of both kinds."""
    from tests.unit.ooxml.test_stream_fast import assert_same_reading

    simple = complex_ = 0
    for path in FILES:
        try:
            pkg = open_package(path)
        except NotAFormError:
            continue
        with pkg:
            for _kind, part in pkg.story_parts():
                try:
                    fast = pkg.simple(part)
                except NotAFormError:
                    continue
                if fast:
                    simple += 1
                    assert_same_reading(pkg.xml(part))
                else:
                    complex_ += 1
    assert simple >= 100 and complex_ >= 40, (simple, complex_)
