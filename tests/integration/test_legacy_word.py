"""Old Word 97-2003 (.doc), RTF and OpenDocument files: converted by LibreOffice
and read like a .docx; without LibreOffice, held with a message and read when
imported again once it is installed; damaged or password-protected ones (and
.docm) get a message naming the file and saying what to do.

The .doc files are real: formkit forms filled as Word would and saved as .doc
by LibreOffice (the Word 97 format has no content controls, so the values come
back through the label and table reading).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from formkit import office
from formkit import project as api
from formkit.errors import NotAFormError, OfficeError
from formkit.forms import get_form
from formkit.parse import parse_bytes
from formkit.parse.converted import CONVERTED, kind_of
from formkit.parse.docx import parse_docx
from formkit.render.render import render_form
from formkit.store import Original, Store, Submission
from tests.integration.test_roundtrip import _typed, canonical
from tests.support.data import SAMPLES, flatten, sample
from tests.support.wordlike import word_fill

pytestmark = pytest.mark.office

CODE = "P2026-001"
FORMS = ("acceptance", "project_initiation")


@pytest.fixture(scope="module")
def returned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """form -> (the filled .docx, the same saved as .doc by LibreOffice)."""
    docx = tmp_path_factory.mktemp("docx")
    for form in FORMS:
        data = sample("anfang", form)
        blank = render_form(get_form(form), project_code=data["project_code"]).content
        (docx / f"{form}.docx").write_bytes(word_fill(blank, _typed(flatten(data)), seed=3))
    paths = [docx / f"{form}.docx" for form in FORMS]
    docs = office.convert(paths, "doc", tmp_path_factory.mktemp("doc"))
    return {form: (d, doc) for form, d, doc in zip(FORMS, paths, docs)}


def _folder(tmp_path: Path, returned: dict[str, tuple[Path, Path]], name: str = "来件") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for form, (_, doc) in returned.items():
        (folder / f"{form}.doc").write_bytes(doc.read_bytes())
    return folder


def _no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> str:
        raise OfficeError(f"找不到 LibreOffice（soffice），无法转换文档：{office.INSTALL}")

    monkeypatch.setattr(office, "find_soffice", missing)


def test_doc_saved_by_libreoffice_is_read_like_the_docx(returned: dict[str, tuple[Path, Path]]) -> None:
    for form, (docx, doc) in returned.items():
        assert kind_of(doc.read_bytes()) == "doc"
        parsed = parse_bytes(doc.read_bytes(), doc.name)
        assert parsed.data == parse_docx(str(docx)).data == canonical(form, sample("anfang", form))
        assert parsed.ok, parsed.problems
        assert parsed.identity.form == form and parsed.identity.project_code == CODE
        assert parsed.notices[0].startswith("由 LibreOffice 从 .doc（旧版 Word 97-2003 文档）转换为 .docx 后读取")
        assert set(parsed.sources.values()) == {f"标签（{CONVERTED}）"}  # .doc keeps no content controls


def test_formkit_import_converts_doc_files_into_the_record(returned: dict[str, tuple[Path, Path]],
                                                           tmp_path: Path) -> None:
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    folder = _folder(tmp_path, returned)
    proc = subprocess.run([sys.executable, "-m", "formkit", "import", str(folder), "--json"],
                          env=os.environ.copy(), capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = json.loads(proc.stdout)
    assert [r["outcome"] for r in rows] == ["accepted", "accepted"], rows
    with Store() as store, store.transaction() as session:
        subs = {s.form: s for s in session.scalars(select(Submission))}
    for form, (docx, doc) in returned.items():
        assert subs[form].data == parse_docx(str(docx)).data
        assert subs[form].status == "accepted" and subs[form].project_code == CODE
        assert "由 LibreOffice 从 .doc" in subs[form].notices[0]
    record = api.show(CODE)
    assert {h.submission_id for h in record.history} >= {s.id for s in subs.values()}
    doctor = subprocess.run([sys.executable, "-m", "formkit", "doctor"], env=os.environ.copy(), capture_output=True)
    assert doctor.returncode == 0, doctor.stdout.decode()


def test_an_import_run_converts_all_its_doc_files_in_one_libreoffice_call(
        returned: dict[str, tuple[Path, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    folder = _folder(tmp_path, returned)
    odt = office.convert([returned["acceptance"][0]], "odt", tmp_path / "odt")[0]
    (folder / "验收单.odt").write_bytes(odt.read_bytes())
    calls: list[int] = []
    real = office.convert

    def counting(paths: list[Path], *args: object, **kwargs: object) -> list[Path]:
        calls.append(len(paths))
        return real(paths, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(office, "convert", counting)
    results = api.import_files([folder])
    assert calls == [3], calls
    assert [r.outcome for r in results] == ["accepted"] * 3, [r.message for r in results]
    with Store() as store, store.transaction() as session:
        notices = [s.notices[0] for s in session.scalars(select(Submission).order_by(Submission.id))]
    assert sorted(n.split("（")[0] for n in notices) == ["由 LibreOffice 从 .doc"] * 2 + ["由 LibreOffice 从 .odt"]
    again = api.import_files([folder])
    assert calls == [3] and {r.outcome for r in again} == {"duplicate"}  # nothing converted for nothing


def test_doc_without_libreoffice_is_held_and_read_once_it_is_installed(
        returned: dict[str, tuple[Path, Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    folder = _folder(tmp_path, returned)
    with monkeypatch.context() as patch:
        _no_libreoffice(patch)
        held = api.import_files([folder])
        assert [r.outcome for r in held] == ["review", "review"]
        for r in held:
            assert Path(r.name).name in r.message, r.message
            for words in ("旧版 Word 97-2003 文档", "找不到 LibreOffice", "安装 LibreOffice 25.2 后重新导入",
                          "另存为", "原件已保存"):
                assert words in r.message, r.message
        with Store() as store:
            for form, (_, doc) in returned.items():
                sha = hashlib.sha256(doc.read_bytes()).hexdigest()
                assert store.original_path(sha).read_bytes() == doc.read_bytes()
        still = api.import_files([folder])  # still no LibreOffice: nothing changes, and it says why
        assert [r.outcome for r in still] == ["duplicate", "duplicate"]
        assert all("仍无法读取" in r.message and "LibreOffice" in r.message for r in still)
    read = api.import_files([folder])  # LibreOffice is back: the held submissions are read
    assert [r.outcome for r in read] == ["accepted", "accepted"], [r.message for r in read]
    assert [r.submission_id for r in read] == [r.submission_id for r in held]
    with Store() as store:
        with store.transaction() as session:
            assert len(list(session.scalars(select(Submission)))) == 2
            assert len(list(session.scalars(select(Original)))) == 2
        assert store.integrity_problems() == []
    assert {r.outcome for r in api.import_files([folder])} == {"duplicate"}


def _encrypted_docx(docx: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(docx)).encrypt("secret", out)
    return out.getvalue()


def _with_encrypted_flag(doc: Path, tmp: Path) -> bytes:
    """The .doc with the FIB's fEncrypted bit set (as Word writes a .doc with a password)."""
    import olefile

    copy = tmp / "flag.doc"
    copy.write_bytes(doc.read_bytes())
    with olefile.OleFileIO(str(copy), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        stream[11] |= 0x01
        ole.write_stream("WordDocument", bytes(stream))
    return copy.read_bytes()


def test_damaged_and_password_protected_files_are_held_with_a_message(
        returned: dict[str, tuple[Path, Path]], tmp_path: Path) -> None:
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    doc = returned["acceptance"][1].read_bytes()
    docx = returned["acceptance"][0].read_bytes()
    folder = tmp_path / "坏文件"
    folder.mkdir()
    files = {
        "截断.doc": (doc[: len(doc) // 2], "文件已损坏"),
        "头部.doc": (doc[:512] + b"\0" * 3584, "文件已损坏"),
        "加密.doc": (_with_encrypted_flag(returned["acceptance"][1], tmp_path), "设置了打开密码"),
        "加密.docx": (_encrypted_docx(docx), "设置了打开密码"),
        "乱码.rtf": (b"{\\rtf1\\ansi " + bytes(range(256)) * 8, "LibreOffice 未能把它转换为 .docx"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    results = {Path(r.name).name: r for r in api.import_files([folder])}
    for name, (data, words) in files.items():
        r = results[name]
        assert r.outcome == "review", (name, r.message)
        assert name in r.message and words in r.message, (name, r.message)
        assert "另存为" in r.message or "请用 --form" in r.message, (name, r.message)  # what to do
        assert "读取时出错" not in r.message
    with Store() as store:
        assert store.integrity_problems() == []
        for data, _ in files.values():
            assert store.original_path(hashlib.sha256(data).hexdigest()).read_bytes() == data


def test_docm_is_imported_with_a_notice_and_its_macros_never_run(tmp_path: Path) -> None:
    """A macro-enabled form is read from its XML (formkit never runs a macro),
    accepted, and the submission says it had macros."""
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    accept = render_form(get_form("acceptance"), sample("anfang", "acceptance")).content
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(accept)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            out.writestr(info, body)
        out.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (tmp_path / "宏.docm").write_bytes(buf.getvalue())
    [result] = api.import_files([tmp_path / "宏.docm"])
    assert result.outcome == "accepted", result.message
    with Store() as store, store.transaction() as session:
        sub = session.get(Submission, result.submission_id)
        assert any("宏.docm" in n and "不会运行宏" in n and "另存为" in n for n in sub.notices), sub.notices


def test_a_conversion_over_its_time_is_stopped_and_says_which_setting_gives_more(
        returned: dict[str, tuple[Path, Path]], monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice really runs out of time here (0.05 s is less than it needs to start)."""
    import formkit.parse.converted as converted

    monkeypatch.setattr(converted, "_ready", type(converted._ready)())  # nothing converted before
    doc = returned["acceptance"][1].read_bytes()
    monkeypatch.setenv("FORMKIT_MAX_CONVERT_SECONDS", "0.05")
    with pytest.raises(NotAFormError) as e:
        parse_bytes(doc, "验收单.doc")
    message = str(e.value)
    assert "验收单.doc" in message and "超时" in message and "FORMKIT_MAX_CONVERT_SECONDS" in message, message
    monkeypatch.setenv("FORMKIT_MAX_CONVERT_SECONDS", "120")
    assert parse_bytes(doc, "验收单.doc").spec.id == "acceptance"
