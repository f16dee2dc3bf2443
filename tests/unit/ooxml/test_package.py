"""open_package: sources, closing, and refusing damaged or hostile files."""

from __future__ import annotations

import io
import warnings
import zipfile

import pytest

from formkit.errors import NotAFormError, UnsafeFileError
from formkit.ooxml import Package, open_package

from .builders import build_docx, rezip, run

DOC = build_docx(f"<w:p>{run('你好')}</w:p>")
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_opens_bytes_path_and_stream(tmp_path):
    path = tmp_path / "立项申请表.docx"
    path.write_bytes(DOC)
    for source in (DOC, bytearray(DOC), path, str(path), io.BytesIO(DOC)):
        with open_package(source) as pkg:
            assert pkg.main_part == "word/document.xml"
            assert pkg.xml("/word/document.xml").tag.endswith("}document")


def test_closes_only_what_it_opened(tmp_path):
    stream = io.BytesIO(DOC)
    with open_package(stream):
        pass
    assert not stream.closed
    path = tmp_path / "a.docx"
    path.write_bytes(DOC)
    pkg = open_package(path)
    handle = pkg._opened
    pkg.close()
    assert handle.closed


def test_non_seekable_stream_is_buffered():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._inner = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, b):
            return self._inner.readinto(b)

    with open_package(io.BufferedReader(Pipe(DOC))) as pkg:
        assert isinstance(pkg, Package)


def test_part_names_are_case_insensitive_and_missing_parts_raise_keyerror():
    with open_package(DOC) as pkg:
        assert pkg.has_part("WORD/Document.xml")
        with pytest.raises(KeyError):
            pkg.xml("word/nothing.xml")


def test_main_part_found_through_relationships():
    moved = rezip(
        DOC,
        replace={
            "word/document.xml": None,
            "_rels/.rels": open_package(DOC).raw("_rels/.rels").replace(b"word/document.xml", b"/word/main.xml"),
        },
        add={"word/main.xml": open_package(DOC).raw("word/document.xml")},
    )
    with open_package(moved) as pkg:
        assert pkg.main_part == "word/main.xml"


@pytest.mark.parametrize(
    "data, needle",
    [
        (b"", "文件是空的"),
        (b"just some text", "文件已损坏或不是 Word 文档（.docx）"),
        (b"%PDF-1.7\n", "PDF"),
        (b"{\\rtf1\\ansi}", "RTF"),
        (DOC[: len(DOC) // 2], "文件已损坏或不是 Word 文档（.docx）"),
    ],
)
def test_not_a_docx(data, needle):
    with pytest.raises(NotAFormError) as err:
        open_package(data)
    assert needle in str(err.value)
    assert "\n" not in str(err.value)


def test_message_names_the_file(tmp_path):
    path = tmp_path / "客户意见反馈表.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(NotAFormError, match="客户意见反馈表.docx"):
        open_package(path)


def test_missing_file(tmp_path):
    with pytest.raises(NotAFormError, match="找不到该文件"):
        open_package(tmp_path / "没有.docx")


def test_old_doc_is_told_to_save_as_docx(tmp_path):
    path = tmp_path / "旧表格.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "WordDocument".encode("utf-16-le"))
    with pytest.raises(NotAFormError) as err:
        open_package(path)
    assert "旧表格.doc" in str(err.value) and ".doc" in str(err.value) and "另存为" in str(err.value)
    assert not isinstance(err.value, UnsafeFileError)


def test_password_protected_docx():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(NotAFormError, match="密码"):
        open_package(data)


def test_zip_without_document():
    data = rezip(DOC, replace={"word/document.xml": None})
    with pytest.raises(NotAFormError, match="word/document.xml"):
        open_package(data)


def test_odt_is_recognised():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<x/>")
    with pytest.raises(NotAFormError, match="OpenDocument"):
        open_package(out.getvalue())


def test_damaged_member_data():
    raw = bytearray(DOC)
    start = raw.index(b"word/document.xml") + len(b"word/document.xml")  # local header name, then data
    for i in range(start + 20, start + 60):
        raw[i] ^= 0x55
    with pytest.raises(NotAFormError, match="文件已损坏"):
        open_package(bytes(raw))


def test_broken_xml_is_damaged_not_crash():
    with pytest.raises(NotAFormError, match="word/document.xml 不是有效的 XML"):
        open_package(rezip(DOC, replace={"word/document.xml": b"<w:document><w:body>"}))


def test_zip_bomb_ratio():
    bomb = rezip(DOC, add={"word/media/image1.png": b"\0" * (20 << 20)})
    assert len(bomb) < 100_000
    with pytest.raises(UnsafeFileError, match="压缩"):
        open_package(bomb)


def test_total_size_and_member_caps(monkeypatch):
    monkeypatch.setenv("FORMKIT_MAX_DOCX_MB", "0.001")
    with pytest.raises(UnsafeFileError, match="解压后共 .* KiB，超过上限 1.02 KiB.*FORMKIT_MAX_DOCX_MB=1"):
        open_package(DOC)
    monkeypatch.delenv("FORMKIT_MAX_DOCX_MB")
    monkeypatch.setenv("FORMKIT_MAX_DOCX_PARTS", "3")
    with pytest.raises(UnsafeFileError, match="个部件，超过上限 3 个.*FORMKIT_MAX_DOCX_PARTS="):
        open_package(DOC)


def test_path_traversal_and_duplicate_members():
    with pytest.raises(UnsafeFileError, match="路径"):
        open_package(rezip(DOC, add={"../../etc/evil.xml": b"<x/>"}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it writes
        dup = rezip(DOC, add={"word/document.xml": f"<w:document {W_NS}/>".encode()})
    with pytest.raises(UnsafeFileError, match="重复"):
        open_package(dup)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + f"]><w:document {W_NS}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    f"<w:document {W_NS}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "external-entity"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_tricks_are_unsafe(xml, encoding):
    data = xml.replace('version="1.0"?>', f'version="1.0" encoding="{encoding}"?>', 1).encode(encoding)
    with pytest.raises(UnsafeFileError, match="DTD"):
        open_package(rezip(DOC, replace={"word/document.xml": data}))


def test_unsafe_is_a_not_a_form_error():
    assert issubclass(UnsafeFileError, NotAFormError)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_a_dtd_without_a_declaration_is_unsafe_in_every_encoding(encoding):
    """The DTD check looks for the byte "!" first: every encoding's marker holds it."""
    data = BILLION_LAUGHS.replace('<?xml version="1.0"?>', "", 1).encode(encoding)
    if encoding != "utf-8":
        data = "\ufeff".encode(encoding) + data
    with pytest.raises(UnsafeFileError, match="DTD"):
        open_package(rezip(DOC, replace={"word/document.xml": data}))


def test_the_main_part_is_inflated_once_for_its_checks(monkeypatch):
    pkg = open_package(DOC)
    reads: list[str] = []
    real = pkg._zip.read
    monkeypatch.setattr(pkg._zip, "read", lambda name, *a: reads.append(name) or real(name, *a))
    assert pkg.simple(pkg.main_part)
    assert reads == []  # simple() used the bytes the tree was parsed from
    pkg._simple.clear()
    assert pkg.simple(pkg.main_part) and reads == ["word/document.xml"]  # once dropped, read again
    pkg.close()


def test_part_names_normalise_as_normpath_does():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    import posixpath

    from formkit.ooxml.package import _norm

    @settings(max_examples=500, deadline=None)
    @given(st.text(st.sampled_from("ab./\\"), max_size=12))
    def check(name: str) -> None:
        assert _norm(name) == posixpath.normpath(name.replace("\\", "/").lstrip("/"))

    check()
    assert _norm("word/document.xml") == "word/document.xml"
    assert _norm("/word/../word/./document.xml") == "word/document.xml"


def test_relationships_are_read_once_and_handed_out_as_copies(monkeypatch):
    pkg = open_package(DOC)
    first = pkg.relationships(pkg.main_part)
    first.clear()
    monkeypatch.setattr(pkg, "xml", lambda *a: pytest.fail("relationships parsed again"))
    assert pkg.relationships(pkg.main_part) and pkg.relationships(None)
    pkg.close()
