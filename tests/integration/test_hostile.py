"""A generated corpus of hostile and broken files, imported into one store.

Truncated and bit-flipped .docx, PDF, PNG and .eml made from real rendered
forms, zip bombs, nested zips, billion laughs and XXE in .docx parts,
traversal member names, wrong extensions, an encrypted PDF, .docm, an OLE
.doc, empty files and a PNG claiming huge dimensions: no exception escapes,
every original is kept, nothing is written outside FORMKIT_HOME, and every
file that is not a form is held with a Chinese message naming it.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import struct
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from formkit import project as api
from formkit.forms import get_form
from formkit.office import convert
from formkit.render.render import render_form
from formkit.store import Original, Store, Submission
from tests.support.data import SAMPLES, sample
from tests.support.mail import attachment, message, zip_bomb, zip_of
from tests.support.scans import pages_of

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _truncations(data: bytes, count: int) -> list[bytes]:
    return [data[: max(1, len(data) * (i + 1) // (count + 1))] for i in range(count)]


def _flips(data: bytes, count: int, rng: random.Random, bits: int = 8) -> list[bytes]:
    out = []
    for _ in range(count):
        buf = bytearray(data)
        for _ in range(bits):
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        out.append(bytes(buf))
    return out


def _replace_member(docx: bytes, member: str, content: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info.filename, content if info.filename == member else src.read(info))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    idat = zlib.compress(b"\0" * 64)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + struct.pack(">I", len(idat)) + b"IDAT" + idat + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
            + b"\0\0\0\0IEND\xaeB`\x82")


def _encrypted_pdf(pdf: bytes, user: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user, owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _nested_zip(inner: bytes, depth: int) -> bytes:
    for level in range(depth):
        inner = zip_of({f"第{level}层.zip": inner})
    return inner


def _many_members(count: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(count):
            z.writestr(f"m{i}.xml", b"")
    return buf.getvalue()


def build_corpus(folder: Path, work: Path) -> dict[str, bytes]:
    """name -> bytes of every hostile file (at least 200)."""
    rng = random.Random(20261122)
    accept = render_form(get_form("acceptance"), sample("anfang", "acceptance")).content
    payment = render_form(get_form("payment_request"), sample("anfang", "payment_request")).content
    (work / "验收单.docx").write_bytes(accept)
    convert([work / "验收单.docx"], "pdf", work)
    pdf = (work / "验收单.pdf").read_bytes()
    page = pages_of(work / "验收单.pdf", dpi=60)[0]
    buf = io.BytesIO()
    page.save(buf, "PNG")
    png = buf.getvalue()
    eml = message("【P2026-001】验收单", [attachment("验收单.docx", accept)])
    files: dict[str, bytes] = {}

    def add(stem: str, ext: str, items: list[bytes]) -> None:
        for i, data in enumerate(items):
            files[f"{stem}-{i:02}{ext}"] = data

    add("截断验收单", ".docx", _truncations(accept, 10))
    add("截断回款申请", ".docx", _truncations(payment, 6))
    add("翻转验收单", ".docx", _flips(accept, 30, rng))
    add("翻转回款申请", ".docx", _flips(payment, 30, rng))
    add("截断PDF", ".pdf", _truncations(pdf, 8))
    add("翻转PDF", ".pdf", _flips(pdf, 25, rng))
    add("截断扫描", ".png", _truncations(png, 4))
    add("翻转扫描", ".png", _flips(png, 6, rng, bits=2))
    add("截断邮件", ".eml", _truncations(eml, 6))
    add("翻转邮件", ".eml", _flips(eml, 14, rng))
    add("随机字节", ".docx", [rng.randbytes(rng.randrange(1, 5000)) for _ in range(10)])
    add("随机字节", ".pdf", [b"%PDF-1.7\n" + rng.randbytes(rng.randrange(1, 5000)) for _ in range(6)])
    add("随机字节", ".png", [b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randrange(1, 2000)) for _ in range(4)])
    add("空文件", "", [b""])
    for ext in (".docx", ".pdf", ".png", ".zip", ".doc"):
        files[f"空文件{ext}"] = b""  # all the same content: one original
    files["炸弹.zip"] = zip_bomb(64 * 1024 * 1024)
    files["炸弹.docx"] = _replace_member(accept, "word/document.xml", b"<w:document/>",
                                       {"word/zeros.xml": b"\0" * (64 * 1024 * 1024)})
    files["成员过多.docx"] = _many_members(20000)
    files["嵌套.zip"] = _nested_zip(accept, 12)
    files["嵌套炸弹.zip"] = _nested_zip(zip_bomb(16 * 1024 * 1024), 3)
    files["十亿笑.docx"] = _replace_member(accept, "word/document.xml", BILLION_LAUGHS)
    files["十亿笑-类型.docx"] = _replace_member(accept, "[Content_Types].xml", BILLION_LAUGHS)
    files["十亿笑-属性.docx"] = _replace_member(accept, "docProps/custom.xml", BILLION_LAUGHS)
    files["XXE.docx"] = _replace_member(accept, "word/document.xml", XXE)
    files["XXE-关系.docx"] = _replace_member(accept, "word/_rels/document.xml.rels", XXE)
    files["XXE-属性.docx"] = _replace_member(accept, "docProps/custom.xml", XXE)
    for i, name in enumerate(["../../../逃逸.txt", "/etc/逃逸.txt", "..\\..\\逃逸.txt", "word/../../逃逸.xml",
                              "C:/Windows/逃逸.txt"]):
        files[f"穿越-{i}.docx"] = _replace_member(accept, "", b"", {name: b"escaped"})
        files[f"穿越-{i}.zip"] = zip_of({name: accept})
    files["伪装PDF.docx"] = pdf
    files["伪装Word.pdf"] = accept
    files["伪装图片.docx"] = png
    files["伪装邮件.txt"] = eml
    files["伪装Word.png"] = accept
    files["伪装文本.docx"] = "这不是表单".encode()
    files["加密.pdf"] = _encrypted_pdf(pdf, "secret")
    files["加密空口令.pdf"] = _encrypted_pdf(pdf, "")
    files["宏.docm"] = _replace_member(
        accept, "[Content_Types].xml",
        zipfile.ZipFile(io.BytesIO(accept)).read("[Content_Types].xml").replace(
            b"document.main+xml", b"document.macroEnabled.main+xml"),
        {"word/vbaProject.bin": OLE + b"\0" * 504})
    files["旧版.doc"] = OLE + b"\0" * 4088
    files["旧版伪装.docx"] = OLE + b"\1" * 4088
    files["巨图.png"] = _png_header(100_000, 100_000)
    files["巨图2.png"] = _png_header(2**31 - 1, 1)
    files["邮件炸弹.eml"] = message("炸弹", [attachment("炸弹.zip", zip_bomb(32 * 1024 * 1024))])
    files["邮件穿越.eml"] = message("穿越", [attachment("../../../邮件逃逸.docx", accept)])
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _tree(root: Path, skip: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if skip not in p.parents and p != skip}


def test_hostile_corpus_imports_without_a_crash(tmp_path: Path, formkit_home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder, work, private_tmp, cwd = (tmp_path / n for n in ("语料", "work", "tmp", "cwd"))
    for d in (folder, work, private_tmp, cwd):
        d.mkdir()
    files = build_corpus(folder, work)
    assert len(files) >= 200
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    monkeypatch.chdir(cwd)
    before = _tree(tmp_path, formkit_home)

    started = time.monotonic()
    results = api.import_files([folder])  # must not raise
    print(f"imported {len(files)} hostile files in {time.monotonic() - started:.1f} s")

    assert _tree(tmp_path, formkit_home) == before, "a file was written outside FORMKIT_HOME"
    assert not list(Path("/").glob("逃逸*")) and not (Path("/etc") / "逃逸.txt").exists()
    shas = {hashlib.sha256(d).hexdigest() for d in files.values()}
    with Store() as store, store.transaction() as session:
        kept = {o.sha256: o for o in session.scalars(select(Original))}
        subs = {s.sha256: s for s in session.scalars(select(Submission))}
    with Store() as store:
        assert store.integrity_problems() == []
    missing = sorted(n for n, d in files.items() if hashlib.sha256(d).hexdigest() not in kept)
    assert not missing, f"originals not kept: {missing}"
    plain = {sha for sha, o in kept.items() if o.source_kind == "file"}
    assert plain == {hashlib.sha256(d).hexdigest() for n, d in files.items() if not n.endswith(".eml")}
    assert not [r for r in results if "读取时出错" in r.message], "a reader crashed"
    by_name = {r.name: r for r in results}
    for name, data in files.items():
        if name.endswith(".eml"):
            continue
        if name.endswith(".zip") and data.startswith(b"PK"):
            # opened like a mail attachment: kept, then its files imported (or refused, saying why)
            rows = [r for r in results if r.name == str(folder / name) or r.name.startswith(f"{folder / name} › ")]
            assert rows, name
            refused = by_name.get(str(folder / name))
            if refused is not None:
                assert re.search(r"[\u4e00-\u9fff]", refused.message) and name in refused.message, refused
            continue
        sub = subs[hashlib.sha256(data).hexdigest()]
        if sub.status == "accepted" or sub.form is not None:
            continue  # a form survived the damage: its problems are named field by field
        messages = " ".join(p["message"] for p in sub.problems)
        assert re.search(r"[\u4e00-\u9fff]", messages), (name, messages)
        named = {n for n, d in files.items() if d == data}  # identical files: any of their names
        assert any(n in messages for n in named), (name, messages)
    for r in results:
        assert r.outcome in ("accepted", "review", "duplicate", "skipped"), (r.name, r.outcome, r.message)


def test_bitflipped_docx_part_names_the_file() -> None:
    """Found by the hostile corpus: a part that fails to decompress after the
    package opened (read lazily) gave a message saying 该文件, not the name."""
    from formkit.errors import NotAFormError
    from formkit.parse import parse_bytes

    accept = render_form(get_form("acceptance"), sample("anfang", "acceptance")).content
    src = zipfile.ZipFile(io.BytesIO(accept))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            stored = info.filename == "word/header1.xml"
            z.writestr(info.filename, src.read(info), zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    data = bytearray(buf.getvalue())
    at = data.find(b"<w:hdr") + 10
    data[at] ^= 0x01  # a bad CRC, seen only when the header is read
    with pytest.raises(NotAFormError, match="翻转.docx"):
        parse_bytes(bytes(data), "翻转.docx")


def test_ole_doc_says_it_is_an_old_word_file() -> None:
    """Found by the hostile corpus: an OLE .doc got the generic “not a form” message."""
    from formkit.errors import NotAFormError
    from formkit.parse import parse_bytes

    head = bytearray(OLE + b"\0" * 4088)
    head[1024:1024 + 24] = "WordDocument".encode("utf-16-le")
    with pytest.raises(NotAFormError, match="旧版.doc.*另存为"):
        parse_bytes(bytes(head), "旧版.doc")
    with pytest.raises(NotAFormError, match="旧版 Office 文件"):
        parse_bytes(OLE + b"\0" * 4088, "无名")


def test_docm_is_read_with_a_notice_about_its_macros() -> None:
    """Found by the hostile corpus: a .docm was accepted without a word about its macros."""
    from formkit.parse import parse_bytes

    accept = render_form(get_form("acceptance"), sample("anfang", "acceptance")).content
    docm = _replace_member(accept, "", b"", {"word/vbaProject.bin": OLE + b"\0" * 504})
    parsed = parse_bytes(docm, "宏.docm")
    assert any("宏.docm含有宏" in n and "不会运行宏" in n for n in parsed.notices), parsed.notices
