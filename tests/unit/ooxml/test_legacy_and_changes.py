"""Legacy form fields, tracked-change counts and fixed text."""

from __future__ import annotations

from formkit.ooxml import LegacyField, fixed_text, open_package, read_legacy_fields, tracked_changes

from .builders import build_docx, run, sdt

REV = 'w:id="{}" w:author="审核人" w:date="2024-05-06T10:00:00Z"'


def legacy_field(ff: str, instr: str, result: str | None) -> str:
    """A complex field with w:ffData; result None means no separate mark at all."""
    begin = f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:enabled/><w:calcOnExit w:val="0"/>{ff}</w:ffData></w:fldChar></w:r>'
    middle = f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
    if result is not None:
        middle += f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{result}'
    return begin + middle + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def read(body: str) -> list[LegacyField]:
    with open_package(build_docx(body)) as pkg:
        return read_legacy_fields(pkg)


def test_formtext_checkbox_and_dropdown():
    empty = "\u2002" * 5
    body = "<w:p>" + "".join(
        [
            run("客户名称："),
            legacy_field('<w:name w:val="Text1"/><w:textInput><w:default w:val="请填写"/></w:textInput>', "FORMTEXT", run("华东") + '<w:r><w:br/><w:t>电力</w:t></w:r>'),
            legacy_field('<w:name w:val="Text2"/><w:textInput/>', "FORMTEXT", f"<w:r><w:t>{empty}</w:t></w:r>"),
            legacy_field('<w:name w:val="Check1"/><w:checkBox><w:sizeAuto/><w:default w:val="0"/><w:checked/></w:checkBox>', "FORMCHECKBOX", None),
            legacy_field('<w:name w:val="Check2"/><w:checkBox><w:sizeAuto/><w:default w:val="1"/></w:checkBox>', "FORMCHECKBOX", None),
            legacy_field('<w:name w:val="Check3"/><w:checkBox><w:default w:val="1"/><w:checked w:val="0"/></w:checkBox>', "FORMCHECKBOX", ""),
            legacy_field(
                '<w:name w:val="Drop1"/><w:ddList><w:result w:val="2"/><w:default w:val="1"/>'
                '<w:listEntry w:val="高"/><w:listEntry w:val="中"/><w:listEntry w:val="低"/></w:ddList>',
                "FORMDROPDOWN",
                None,
            ),
            legacy_field('<w:name w:val="Drop2"/><w:ddList/>', "FORMDROPDOWN", None),
        ]
    ) + "</w:p>"
    got = [(f.name, f.type, f.value, f.checked, f.default) for f in read(body)]
    assert got == [
        ("Text1", "text", "华东\n电力", None, "请填写"),
        ("Text2", "text", "", None, None),
        ("Check1", "checkbox", "☒", True, False),
        ("Check2", "checkbox", "☒", True, True),
        ("Check3", "checkbox", "☐", False, True),
        ("Drop1", "dropdown", "低", None, "中"),
        ("Drop2", "dropdown", "", None, None),
    ]


def test_ordinary_fields_are_not_form_fields_and_nested_results_count():
    page = '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>' \
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    text = legacy_field('<w:name w:val="T"/><w:textInput/>', "FORMTEXT", run("第") + page + run("页"))
    (field,) = read(f"<w:p>{text}</w:p>")
    assert (field.name, field.value) == ("T", "第1页")


def test_tracked_changes_inside_a_formtext_result():
    result = run("甲") + f'<w:del {REV.format(1)}><w:r><w:delText>乙</w:delText></w:r></w:del><w:ins {REV.format(2)}>{run("丙")}</w:ins>'
    (field,) = read("<w:p>" + legacy_field('<w:name w:val="T"/><w:textInput/>', "FORMTEXT", result) + "</w:p>")
    assert field.value == "甲丙"


def test_legacy_fields_inside_tables():
    box = legacy_field('<w:name w:val="InCell"/><w:checkBox><w:default w:val="1"/></w:checkBox>', "FORMCHECKBOX", None)
    cell = f"<w:tc><w:p>{box}</w:p></w:tc>"
    body = f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>"
    assert [(f.name, f.checked) for f in read(body)] == [("InCell", True)]


def test_tracked_change_counts():
    body = (
        f'<w:p><w:ins {REV.format(1)}>{run("新")}</w:ins><w:del {REV.format(2)}><w:r><w:delText>旧</w:delText></w:r></w:del>'
        f'<w:moveFrom {REV.format(3)}>{run("移")}</w:moveFrom><w:moveTo {REV.format(4)}>{run("移")}</w:moveTo>'
        f'<w:r><w:rPr><w:b/><w:rPrChange {REV.format(5)}><w:rPr/></w:rPrChange></w:rPr><w:t>粗</w:t></w:r></w:p>'
        f'<w:p><w:pPr><w:jc w:val="center"/><w:pPrChange {REV.format(6)}><w:pPr/></w:pPrChange>'
        f'<w:rPr><w:ins {REV.format(7)}/></w:rPr></w:pPr>{sdt(f"<w:del {REV.format(8)}><w:r><w:delText>控</w:delText></w:r></w:del>")}</w:p>'
    )
    with open_package(build_docx(body)) as pkg:
        assert tracked_changes(pkg) == {"insertions": 2, "deletions": 2, "moves": 2, "format_changes": 2, "total": 8}
    with open_package(build_docx(f"<w:p>{run('干净')}</w:p>")) as pkg:
        assert tracked_changes(pkg)["total"] == 0


def test_fixed_text_removes_control_content_and_accepts_changes():
    inline = sdt(run("智慧园区"), '<w:tag w:val="project_name"/>')
    block = sdt(f"<w:p>{run('整段备注')}</w:p>", '<w:tag w:val="remarks"/>')
    label = run("客户\t名称")
    form = legacy_field('<w:name w:val="T"/><w:textInput/>', "FORMTEXT", run("填写值"))
    body = (
        f"<w:p>{run('项目名称：')}{inline}{run('  （必填）')}</w:p>"
        f"{block}<w:p/><w:p>{run('   ')}</w:p>"
        f'<w:p>{run("金额")}<w:ins {REV.format(1)}>{run("（元）")}</w:ins><w:del {REV.format(2)}><w:r><w:delText>（万元）</w:delText></w:r></w:del></w:p>'
        f"<w:tbl><w:tr><w:tc><w:p>{label}</w:p></w:tc><w:tc><w:p>{form}</w:p></w:tc></w:tr></w:tbl>"
        f'<w:p><w:pPr><w:rPr><w:del {REV.format(3)}/></w:rPr></w:pPr>{run("签字")}</w:p><w:p>{run("日期")}</w:p>'
    )
    with open_package(build_docx(body)) as pkg:
        assert fixed_text(pkg) == ["项目名称： （必填）", "金额（元）", "客户 名称", "签字日期"]
