"""Telling .doc, RTF and .odt files by their content, and the messages for the
ones formkit cannot convert (no LibreOffice needed: it is never started)."""

from __future__ import annotations

import io
import zipfile

import pytest

from formkit import office
from formkit.errors import NeedsOfficeError, NotAFormError, OfficeError
from formkit.parse import parse_bytes
from formkit.parse.converted import OLE_MAGIC, kind_of


def _odt() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def test_kinds_are_told_by_content() -> None:
    assert kind_of(b"{\\rtf1\\ansi hello}") == "rtf"
    assert kind_of(b"\xef\xbb\xbf{\\rtf1 hello}") == "rtf"
    assert kind_of(_odt()) == "odt"
    assert kind_of(OLE_MAGIC + b"\0" * 4088) == "damaged"
    assert kind_of(b"PK\x03\x04" + b"\0" * 100) is None  # a .docx, or a broken zip: the .docx reader says
    assert kind_of(b"%PDF-1.7") is None and kind_of(b"") is None


def test_without_libreoffice_the_message_names_the_file_and_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> str:
        raise OfficeError(f"找不到 LibreOffice（soffice），无法转换文档：{office.INSTALL}")

    monkeypatch.setattr(office, "find_soffice", missing)
    with pytest.raises(NeedsOfficeError) as caught:
        parse_bytes(b"{\\rtf1\\ansi hello}", "意见.rtf")
    message = str(caught.value)
    for words in ("“意见.rtf”是RTF 文档（.rtf）", "找不到 LibreOffice", "LibreOffice 25.2", "重新导入", "另存为"):
        assert words in message, message


def test_a_damaged_compound_file_is_refused_without_starting_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "convert", lambda *a, **k: pytest.fail("LibreOffice started"))
    with pytest.raises(NotAFormError, match="文件已损坏：“旧版.doc”.*另存为"):
        parse_bytes(OLE_MAGIC + b"\1" * 4088, "旧版.doc")
