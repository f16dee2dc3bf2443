"""The limits through an import (formkit/limits.py; the readers' own checks are
in tests/unit/test_limits.py): what is over a limit keeps its original and
is held for review or skipped with a message naming the file and the
variable; the variable raised lets it through; a bad value stops the run
before anything is stored."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any

import pypdf
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from formkit import project as api
from formkit.errors import SettingError
from formkit.store import Original, Store
from tests.support.data import SHARED
from tests.support.mail import attachment, forwarded, message, zip_of


def _kept() -> set[str]:
    with Store() as store, store.transaction() as session:
        return {o.sha256 for o in session.scalars(select(Original))}


def _pdf(pages: int) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _import(path: Path, data: bytes, monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> list[Any]:
    """Write ``data`` to ``path`` and import it with the setting ``variable`` at ``value``."""
    path.write_bytes(data)
    monkeypatch.setenv(variable, value)
    return api.import_files([path])


def test_a_pdf_over_the_page_limit_is_kept_and_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [result] = _import(path := tmp_path / "报价.pdf", _pdf(4), monkeypatch, "FORMKIT_MAX_PDF_PAGES", "3")
    assert result.outcome == "review"
    assert "报价.pdf：PDF 有 4 页，超过上限 3 页" in result.message and "FORMKIT_MAX_PDF_PAGES=4" in result.message
    assert hashlib.sha256(path.read_bytes()).hexdigest() in _kept()


def test_a_truncated_message_is_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = message("大邮件", [attachment("资料.txt", os.urandom(3000))], message_id="<big@example.com>")
    results = _import(tmp_path / "大邮件.eml", raw, monkeypatch, "FORMKIT_MAX_MAIL_MB", "0.002")  # 2 KiB
    [held] = [r for r in results if "FORMKIT_MAX_MAIL_MB" in r.message]
    assert held.outcome == "review" and "大邮件.eml：邮件有 " in held.message and "只读取了前 2.05 KiB" in held.message
    assert hashlib.sha256(raw[:int(0.002 * 2**20)]).hexdigest() in _kept()  # what was read is kept


def test_a_message_under_a_raised_size_limit_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = message("大邮件", [attachment("资料.txt", os.urandom(3000))], message_id="<big2@example.com>")
    results = _import(tmp_path / "大邮件.eml", raw, monkeypatch, "FORMKIT_MAX_MAIL_MB", "0.1")
    assert not [r for r in results if "FORMKIT_MAX" in r.message]
    assert [r.reason for r in results] == ["不是表单文件"]


def test_mail_depth_holds_the_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = message("最里层", [attachment("深处.txt", b"x" * 100)])
    for n in range(5):
        raw = message(f"转发 {n}", [forwarded(raw)], boundary=f"==b{n}==", message_id=f"<d{n}@example.com>")
    [held] = _import(tmp_path / "转发.eml", raw, monkeypatch, "FORMKIT_MAX_MAIL_DEPTH", "6")
    assert held.outcome == "review" and "转发.eml：邮件嵌套层数超过上限 6 层" in held.message
    assert "FORMKIT_MAX_MAIL_DEPTH" in held.message


def _zip_in_zip(levels: int) -> bytes:
    data = zip_of({"深处.txt": b"x" * 100})
    for n in range(levels):
        data = zip_of({f"第{n}层.zip": data})
    return data


def test_nesting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = message("套娃", [attachment("套娃.zip", _zip_in_zip(3), "application/zip")], message_id="<n@example.com>")
    results = _import(tmp_path / "套娃.eml", raw, monkeypatch, "FORMKIT_MAX_NESTING", "2")
    [held] = [r for r in results if r.outcome == "review"]
    assert "第0层.zip：附件嵌套层数（压缩包、转发的邮件）超过上限 2 层" in held.message
    assert "FORMKIT_MAX_NESTING=4" in held.message


def test_nesting_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = message("套娃", [attachment("套娃.zip", _zip_in_zip(3), "application/zip")], message_id="<n2@example.com>")
    results = _import(tmp_path / "套娃.eml", raw, monkeypatch, "FORMKIT_MAX_NESTING", "4")
    assert [r.name.rsplit(" › ", 1)[-1] for r in results if r.reason == "不是表单文件"] == ["深处.txt"]
    assert not [r for r in results if r.outcome == "review"]


def test_attachment_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = os.urandom(1536 * 1024)
    for limit, mid in (("1", "<a1@example.com>"), ("2", "<a2@example.com>")):
        raw = message("大附件", [attachment("资料.bin", data)], message_id=mid)
        [result] = _import(tmp_path / f"附件{limit}.eml", raw, monkeypatch, "FORMKIT_MAX_ATTACHMENT_MB", limit)
        if limit == "1":
            assert result.reason == "附件过大" and "资料.bin：附件有 1.5 MiB，超过上限 1 MiB" in result.message
            assert "FORMKIT_MAX_ATTACHMENT_MB=2" in result.message
        else:
            assert result.reason == "不是表单文件"


def test_a_bad_setting_stops_the_run_before_anything_is_kept(tmp_path: Path, formkit_home: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "报价.pdf"
    path.write_bytes(_pdf(1))
    monkeypatch.setenv("FORMKIT_MAX_PDF_PAGES", "很多")
    with pytest.raises(SettingError, match="FORMKIT_MAX_PDF_PAGES"):
        api.import_files([path])
    assert not (formkit_home / "originals").exists() or not any((formkit_home / "originals").rglob("*"))

    from formkit.cli import app

    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 2, result.output
    assert "环境变量 FORMKIT_MAX_PDF_PAGES 的值“很多”无效" in result.output and "Traceback" not in result.output


def test_parse_command_says_which_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit.cli import app

    path = tmp_path / "报价.pdf"
    path.write_bytes(_pdf(2))
    monkeypatch.setenv("FORMKIT_MAX_PDF_PAGES", "1")
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    assert "PDF 有 2 页，超过上限 1 页" in result.output and "FORMKIT_MAX_PDF_PAGES=2" in result.output


def test_mail_header_size_holds_the_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = message("信头", [attachment("a.txt", b"x")], headers=[("X-Long", "y" * 3000)], message_id="<h@example.com>")
    [held] = _import(tmp_path / "长信头.eml", raw, monkeypatch, "FORMKIT_MAX_MAIL_HEADER_KB", "2")
    assert held.outcome == "review" and "长信头.eml：邮件信头有 " in held.message
    assert "FORMKIT_MAX_MAIL_HEADER_KB=4" in held.message
    assert hashlib.sha256(raw).hexdigest() in _kept()


def test_outlook_header_size_holds_the_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (SHARED / "corpus" / "msg" / "hiraoka_attach_eml_received.msg").read_bytes()
    [held] = _import(tmp_path / "收到.msg", data, monkeypatch, "FORMKIT_MAX_MAIL_HEADER_KB", "0.5")
    assert held.outcome == "review" and "收到.msg：邮件信头有 " in held.message
    assert "FORMKIT_MAX_MAIL_HEADER_KB=1" in held.message
    assert hashlib.sha256(data).hexdigest() in _kept()
