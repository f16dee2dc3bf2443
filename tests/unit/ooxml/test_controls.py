"""read_controls on small documents built in code."""

from __future__ import annotations

import pytest

from formkit.ooxml import Control, open_package, read_controls

from .builders import build_docx, run, sdt

INS = 'w:id="{}" w:author="李四" w:date="2024-05-06T10:00:00Z"'


def tagpr(name: str) -> str:
    return f'<w:tag w:val="{name}"/>'


def controls(body: str, **kw) -> list[Control]:
    with open_package(build_docx(body, **kw)) as pkg:
        return read_controls(pkg)


def one(body: str) -> Control:
    (found,) = controls(body)
    return found


def inline(content: str, pr: str = "") -> str:
    return f"<w:p>{run('标签：')}{sdt(content, pr)}</w:p>"


def test_split_runs_proof_errors_bookmarks_smart_tags_and_rsids():
    content = (
        '<w:proofErr w:type="spellStart"/>'
        '<w:r w:rsidR="00A1B2C3" w:rsidRPr="00D4E5F6"><w:rPr><w:b/></w:rPr><w:t>智慧</w:t></w:r>'
        '<w:bookmarkStart w:id="7" w:name="_Hlk1"/>'
        '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
        '<w:smartTagPr><w:attr w:name="x" w:val="y"/></w:smartTagPr>'
        '<w:r><w:t xml:space="preserve">园区 </w:t></w:r></w:smartTag>'
        '<w:bookmarkEnd w:id="7"/><w:proofErr w:type="spellEnd"/>'
        '<w:customXml w:element="x"><w:r><w:t>一期</w:t></w:r></w:customXml>'
    )
    c = one(inline(content, '<w:alias w:val="项目名称"/><w:tag w:val="project_name"/><w:text/>'))
    assert (c.tag, c.alias, c.type, c.value, c.level) == ("project_name", "项目名称", "text", "智慧园区 一期", "inline")
    assert c.checked is None and c.pending_changes is False and c.showing_placeholder is False
    assert c.row is None and c.table is None and c.part == "word/document.xml"


def test_tracked_insertions_and_deletions_are_accepted():
    content = (
        f"{run('张')}"
        f'<w:del {INS.format(1)}><w:r><w:delText>三</w:delText></w:r></w:del>'
        f'<w:ins {INS.format(2)}>{run("四")}</w:ins>'
        f'<w:moveFrom {INS.format(3)}><w:r><w:t>（旧）</w:t></w:r></w:moveFrom>'
        f'<w:moveTo {INS.format(4)}>{run("（新）")}</w:moveTo>'
    )
    c = one(inline(content, '<w:tag w:val="applicant"/><w:text/>'))
    assert c.value == "张四（新）"
    assert c.pending_changes is True
    assert c.tracked is None


def test_format_change_counts_as_pending():
    content = f'<w:r><w:rPr><w:b/><w:rPrChange {INS.format(1)}><w:rPr/></w:rPrChange></w:rPr><w:t>是</w:t></w:r>'
    c = one(inline(content))
    assert c.value == "是" and c.pending_changes is True


def test_control_inside_tracked_insertion_and_deletion():
    ins = f'<w:p><w:ins {INS.format(1)}>{sdt(run("新"), tagpr("a"))}</w:ins></w:p>'
    dele = f'<w:p><w:del {INS.format(2)}>{sdt("<w:r><w:delText>旧</w:delText></w:r>", tagpr("b"))}</w:del></w:p>'
    a, b = controls(ins + dele)
    assert (a.tag, a.value, a.tracked, a.pending_changes) == ("a", "新", "inserted", True)
    assert (b.tag, b.value, b.tracked, b.pending_changes) == ("b", "", "deleted", True)


def test_control_in_a_tracked_table_row():
    def row(mark: str, tag: str) -> str:
        return f"<w:tr><w:trPr>{mark}</w:trPr><w:tc><w:p>{sdt(run(tag), tagpr(tag))}</w:p></w:tc></w:tr>"

    body = "<w:tbl>" + row(f"<w:ins {INS.format(1)}/>", "added") + row(f"<w:del {INS.format(2)}/>", "removed") + row("", "kept") + "</w:tbl>"
    got = {c.tag: (c.tracked, c.pending_changes, c.row) for c in controls(body)}
    assert got == {"added": ("inserted", True, 0), "removed": ("deleted", True, 1), "kept": (None, False, 2)}


def test_w14_checkbox():
    box = (
        '<w14:checkbox><w14:checked w14:val="{}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>'
    )
    body = (
        inline(run("☒"), '<w:tag w:val="key_client"/>' + box.format(1))
        + inline(run("☐"), '<w:tag w:val="site_visit"/>' + box.format(0))
        # another editor changed the glyph but not the flag: the page wins
        + inline(run("☒"), '<w:tag w:val="stale_flag"/>' + box.format(0))
        + inline("", '<w:tag w:val="empty"/>' + box.format("true"))
    )
    got = {c.tag: (c.type, c.value, c.checked) for c in controls(body)}
    assert got == {
        "key_client": ("checkbox", "☒", True),
        "site_visit": ("checkbox", "☐", False),
        "stale_flag": ("checkbox", "☒", True),
        "empty": ("checkbox", "", True),
    }


def test_wingdings_checkbox_states():
    box = (
        '<w14:checkbox><w14:checked w14:val="0"/>'
        '<w14:checkedState w14:val="00FE" w14:font="Wingdings"/>'
        '<w14:uncheckedState w14:val="00A8" w14:font="Wingdings"/></w14:checkbox>'
    )
    sym = '<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>'
    c = one(inline(sym, box))
    assert (c.value, c.checked) == ("☑", True)


@pytest.mark.parametrize(
    "content, value, checked",
    [
        (run("√"), "√", True),
        (run(" ✔ "), " ✔ ", True),
        (run("■"), "■", True),
        (run("□"), "□", False),
        (run("☐"), "☐", False),
        (run("是"), "是", None),
        (run("☑☐"), "☑☐", None),
        ('<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>', "☑", True),
        ('<w:r><w:sym w:font="Wingdings 2" w:char="F052"/></w:r>', "☑", True),
        ('<w:r><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>', "◻", False),
        ('<w:r><w:sym w:font="Symbol" w:char="F0D6"/></w:r>', "√", True),
        ('<w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>\u00fe</w:t></w:r>', "☑", True),
        ('<w:r><w:sym w:font="宋体" w:char="221A"/></w:r>', "√", True),
        ('<w:r><w:sym w:font="Wingdings" w:char="F021"/></w:r>', "\ufffd", None),
        ('<w:r><w:sym w:font="宋体" w:char="D800"/></w:r>', "\ufffd", None),
        ('<w:r><w:sym w:font="宋体" w:char="zz"/></w:r>', "\ufffd", None),
    ],
)
def test_tick_glyphs_in_ordinary_controls(content, value, checked):
    c = one(inline(content))
    assert (c.type, c.value, c.checked) == ("richtext", value, checked)


def test_dropdown_and_combobox_keep_display_text_and_values():
    items = (
        '<w:listItem w:displayText="请选择" w:value=""/>'
        '<w:listItem w:displayText="竞争投标项目" w:value="competitive_bid"/>'
        '<w:listItem w:value="strategic"/>'
    )
    body = inline(run("竞争投标项目"), f'<w:tag w:val="project_type"/><w:dropDownList>{items}</w:dropDownList>')
    body += inline(run("其他"), f'<w:tag w:val="level"/><w:comboBox>{items}</w:comboBox>')
    dd, combo = controls(body)
    assert (dd.type, dd.value) == ("dropdown", "竞争投标项目")
    assert dd.list_items == [("请选择", ""), ("竞争投标项目", "competitive_bid"), ("strategic", "strategic")]
    assert (combo.type, combo.value, combo.list_items) == ("combobox", "其他", dd.list_items)


def test_date_control():
    pr = (
        '<w:tag w:val="sign_date"/><w:lock w:val="sdtLocked"/>'
        '<w:date w:fullDate="2024-03-15T00:00:00Z"><w:dateFormat w:val="yyyy年M月d日"/>'
        '<w:lid w:val="zh-CN"/><w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>'
    )
    c = one(inline(run("2024年3月15日"), pr))
    assert (c.type, c.value, c.date_full, c.date_format, c.lock) == (
        "date",
        "2024年3月15日",
        "2024-03-15T00:00:00Z",
        "yyyy年M月d日",
        "sdtLocked",
    )


def test_line_breaks_tabs_and_paragraphs():
    text = '<w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:cr/><w:t>A</w:t><w:tab/><w:t>B</w:t></w:r>'
    c = one(inline(text, "<w:text w:multiLine=\"1\"/>"))
    assert c.value == "第一行\n第二行\nA\tB"
    block = sdt(f"<w:p>{run('第一段')}</w:p><w:p/><w:p>{run('第三段')}</w:p>", '<w:tag w:val="remarks"/>')
    c = one(block)
    assert (c.level, c.value) == ("block", "第一段\n\n第三段")


def test_deleted_paragraph_mark_joins_paragraphs():
    merged = f'<w:p><w:pPr><w:rPr><w:del {INS.format(9)}/></w:rPr></w:pPr>{run("上半")}</w:p><w:p>{run("下半")}</w:p>'
    assert one(sdt(merged)).value == "上半下半"


def test_tab_stops_in_paragraph_properties_are_not_text():
    p = f'<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>{run("甲")}</w:p>'
    assert one(sdt(p)).value == "甲"


def test_whitespace_rules_of_w_t():
    c = one(inline('<w:r><w:t>  trimmed\n</w:t><w:t xml:space="preserve"> kept </w:t></w:r>'))
    assert c.value == "trimmed kept "


def test_field_results_are_read_and_instructions_are_not():
    content = (
        '<w:fldSimple w:instr=" DOCPROPERTY 项目 "><w:r><w:t>P-001</w:t></w:r></w:fldSimple>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DATE \\@ "yyyy" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>/2024</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    assert one(inline(content)).value == "P-001/2024"


def test_nested_controls_are_all_listed_outer_first():
    inner = sdt(run("王五"), '<w:alias w:val="联系人"/><w:tag w:val="contact"/><w:text/>')
    outer = sdt(f"<w:p>{run('联系人：')}{inner}</w:p><w:p>{run('电话：')}</w:p>", '<w:tag w:val="contact_block"/><w:group/>')
    a, b = controls(outer)
    assert (a.tag, a.type, a.level, a.value) == ("contact_block", "group", "block", "联系人：王五\n电话：")
    assert (b.tag, b.type, b.level, b.value) == ("contact", "text", "inline", "王五")


def test_controls_in_table_rows_cells_and_nested_tables():
    def cell(inner: str) -> str:
        return f"<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>{inner}</w:tc>"

    def p(inner: str) -> str:
        return f"<w:p>{inner}</w:p>"

    nested = f"<w:tbl><w:tr>{cell(p(sdt(run('内'), tagpr('deep'))))}</w:tr></w:tbl>"
    table0 = (
        "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w=\"2000\"/></w:tblGrid>"
        f"<w:tr>{cell(p(run('名称')))}{cell(p(sdt(run('服务器'), tagpr('item_name'))))}</w:tr>"
        f"<w:tr>{cell(p(run('数量')))}{sdt(cell(p(run('3'))), tagpr('qty'))}</w:tr>"
        f"{sdt('<w:tr>' + cell(p(run('整行'))) + '</w:tr>', tagpr('whole_row'))}"
        f"<w:tr>{cell(p(run('外')) + nested)}</w:tr>"
        "</w:tbl>"
    )
    table1 = f"<w:tbl><w:tr>{cell(sdt(p(run('备注内容')), tagpr('remark')))}</w:tr></w:tbl>"
    body = f"<w:p>{sdt(run('正文'), tagpr('outside'))}</w:p>" + table0 + "<w:p/>" + table1
    got = {c.tag: (c.level, c.row, c.table, c.value) for c in controls(body)}
    assert got == {
        "outside": ("inline", None, None, "正文"),
        "item_name": ("inline", 0, 0, "服务器"),
        "qty": ("cell", 1, 0, "3"),
        "whole_row": ("row", None, 0, "整行"),
        "deep": ("inline", 4, 0, "内"),  # innermost row: the nested table's only row
        "remark": ("block", 5, 1, "备注内容"),
    }


def test_placeholder_and_lock_are_reported_not_hidden():
    c = one(inline(run("单击此处输入文字。"), '<w:lock w:val="contentLocked"/><w:showingPlcHdr/><w:text/>'))
    assert (c.value, c.showing_placeholder, c.lock) == ("单击此处输入文字。", True, "contentLocked")


def test_types():
    kinds = {
        "t": "<w:text/>",
        "r": "<w:richText/>",
        "n": "",
        "p": "<w:picture/>",
        "g": "<w:group/>",
        "rs": "<w15:repeatingSection/>",
        "ri": "<w15:repeatingSectionItem/>",
        "c": "<w:citation/>",
        "o": '<w:docPartObj><w:docPartGallery w:val="Cover Pages"/></w:docPartObj>',
    }
    body = "".join(inline(run("x"), f'<w:tag w:val="{k}"/>{pr}') for k, pr in kinds.items())
    got = {c.tag: c.type for c in controls(body)}
    assert got == {
        "t": "text",
        "r": "richtext",
        "n": "richtext",
        "p": "picture",
        "g": "group",
        "rs": "repeating",
        "ri": "group",
        "c": "citation",
        "o": "other",
    }


def test_alternate_content_is_read_once():
    box = sdt(f"<w:p>{run('框内')}</w:p>", '<w:tag w:val="in_box"/>')
    ac = (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>'
        f"<w:txbxContent>{box}</w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><w:txbxContent>{box}</w:txbxContent></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    (c,) = controls(ac)
    assert (c.tag, c.value, c.level) == ("in_box", "框内", "block")


def test_header_and_footer_controls_carry_their_part():
    header = f"<w:p>{sdt(run('页眉值'), tagpr('hdr'))}</w:p>"
    body = inline(run("正文值"), '<w:tag w:val="body"/>')
    got = [(c.tag, c.part) for c in controls(body, header_xml=header)]
    assert got[0] == ("body", "word/document.xml")
    assert got[1][0] == "hdr" and got[1][1].startswith("word/header")


def test_element_is_kept_but_not_compared():
    a, b = controls(inline(run("x")) + inline(run("x")))
    assert a.element is not None and a.element is not b.element
    assert a == b and "element" not in repr(a)
