"""Custom/core properties, write_custom_properties and inspect()."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from formkit.errors import NotAFormError
from formkit.ooxml import inspect, open_package, read_identity, write_custom_properties

from .builders import build_docx, rezip, run, sdt

IDENTITY = {
    "formkit.form": "project_initiation",
    "formkit.schema_version": "3",
    "formkit.project_code": "XM-2024-017",
    "formkit.document_id": "D-8F3A",
}
CUSTOM_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="formkit.form"><vt:lpwstr>old</vt:lpwstr></property>'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="份数"><vt:i4>2</vt:i4></property>'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="已审"><vt:bool>true</vt:bool></property>'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="7" name="签发"><vt:filetime>2024-01-02T03:04:05Z</vt:filetime></property>'
    "</Properties>"
)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def test_write_creates_part_override_and_relationship():
    before = build_docx(f"<w:p>{run('正文')}</w:p>")
    after = write_custom_properties(before, IDENTITY)
    old, new = members(before), members(after)
    changed = {"[Content_Types].xml", "_rels/.rels", "docProps/custom.xml"}
    assert set(new) == set(old) | {"docProps/custom.xml"}
    assert list(new)[: len(old)] == list(old)  # same order, new part appended
    assert all(new[name] == old[name] for name in old if name not in changed)
    assert b'PartName="/docProps/custom.xml"' in new["[Content_Types].xml"]
    assert b"relationships/custom-properties" in new["_rels/.rels"]
    with open_package(after) as pkg:
        assert pkg.custom_properties() == IDENTITY
    assert docx.Document(io.BytesIO(after)).paragraphs[-1].text == "正文"


def test_write_replaces_same_name_and_keeps_others():
    before = write_custom_properties(build_docx(), {"formkit.form": "x"})
    before = rezip(before, replace={"docProps/custom.xml": CUSTOM_XML.encode()})
    after = write_custom_properties(before, {"formkit.form": "acceptance", "新属性": "值 <&>"})
    with open_package(after) as pkg:
        assert pkg.custom_properties() == {
            "formkit.form": "acceptance",
            "份数": "2",
            "已审": "true",
            "签发": "2024-01-02T03:04:05Z",
            "新属性": "值 <&>",
        }
        props = pkg.xml("docProps/custom.xml")
        pids = [p.get("pid") for p in props]
        assert pids == ["2", "3", "4", "7", "8"]
    assert members(after)["[Content_Types].xml"] == members(before)["[Content_Types].xml"]


def test_write_repairs_a_dangling_relationship():
    data = write_custom_properties(build_docx(), {"a": "1"})
    dangling = rezip(data, replace={"docProps/custom.xml": None})
    fixed = write_custom_properties(dangling, {"b": "2"})
    rels = members(fixed)["_rels/.rels"]
    assert rels.count(b"relationships/custom-properties") == 1
    assert members(fixed)["[Content_Types].xml"].count(b"/docProps/custom.xml") == 1
    with open_package(fixed) as pkg:
        assert pkg.custom_properties() == {"b": "2"}


def test_write_rejects_bad_input():
    with pytest.raises(TypeError):
        write_custom_properties(build_docx(), {"a": 1})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        write_custom_properties(build_docx(), {"a": "bell\x07"})
    with pytest.raises(NotAFormError):
        write_custom_properties(b"not a docx", {"a": "b"})


def test_core_properties():
    document = docx.Document()
    document.core_properties.title = "立项申请表"
    document.core_properties.author = "张三"
    out = io.BytesIO()
    document.save(out)
    with open_package(out.getvalue()) as pkg:
        core = pkg.core_properties()
    assert core["title"] == "立项申请表" and core["creator"] == "张三"


def test_inspect_reads_identity_from_custom_properties():
    pr = '<w:alias w:val="项目名称"/><w:tag w:val="project_name"/><w:text/>'
    body = f"<w:p>{run('项目名称：')}{sdt(run('智慧园区'), pr)}</w:p>"
    data = write_custom_properties(build_docx(body), IDENTITY)
    report = inspect(data)
    assert report["identity"] == {
        "form": "project_initiation",
        "schema_version": "3",
        "project_code": "XM-2024-017",
        "document_id": "D-8F3A",
    }
    assert report["controls"] == [
        {
            "tag": "project_name",
            "alias": "项目名称",
            "type": "text",
            "value": "智慧园区",
            "checked": None,
            "showing_placeholder": False,
            "part": "word/document.xml",
        }
    ]
    assert report["legacy_fields"] == []
    assert report["tracked_changes"]["total"] == 0


def test_inspect_falls_back_to_the_footer_line_key_by_key():
    footer = "表单 acceptance · 版本 2 · 项目 XM-9 · 文档 D-1"
    assert inspect(build_docx(footer=footer))["identity"] == {
        "form": "acceptance",
        "schema_version": "2",
        "project_code": "XM-9",
        "document_id": "D-1",
    }
    partial = write_custom_properties(build_docx(footer=footer), {"formkit.document_id": "D-from-props"})
    with open_package(partial) as pkg:
        assert read_identity(pkg) == inspect(pkg)["identity"]
        assert read_identity(pkg)["document_id"] == "D-from-props"
        assert read_identity(pkg)["form"] == "acceptance"


def test_inspect_identity_missing_is_none(tmp_path):
    path = tmp_path / "空白.docx"
    path.write_bytes(build_docx(footer="第 1 页"))
    assert inspect(path)["identity"] == dict.fromkeys(["form", "schema_version", "project_code", "document_id"])


def test_inspect_accepts_an_open_package_and_streams():
    data = build_docx()
    with open_package(data) as pkg:
        assert inspect(pkg)["controls"] == []
    assert inspect(io.BytesIO(data))["tracked_changes"]["total"] == 0
