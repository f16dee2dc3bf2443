"""Forms coming back by email: a corpus of messages built here, one per case of
the issue, each asserting which forms landed in the record with which values."""

from __future__ import annotations

import base64
import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from formkit import project as api
from formkit.intake import archives
from formkit.store import Message, Original, Store, now, sha256_of
from tests.support.data import SAMPLES, SHARED
from tests.support.mail import (
    DOCX,
    PNG_1PX,
    Part,
    attachment,
    filled_form,
    forwarded,
    message,
    write_maildir,
    write_mbox,
    zip_bomb,
    zip_of,
)

CODE = "P2026-001"
OPINION = "系统运行稳定，同意验收。"


@pytest.fixture
def anfang() -> str:
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    return CODE


def eml(tmp_path: Path, raw: bytes, name: str = "mail.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(raw)
    return path


def run(*paths: Path, project: str | None = None) -> api.intake.ImportReport:
    return api.import_all(list(paths), project=project)


def accepted_forms() -> dict[str, dict]:
    return api.show(CODE).forms


def only(report: api.intake.ImportReport, outcome: str) -> list:
    return [r for r in report.results if r.outcome == outcome]


def messages() -> list[Message]:
    with Store() as store, store.transaction() as session:
        return list(session.scalars(select(Message).order_by(Message.id)))


# -- forms land, with provenance ---------------------------------------------------

def test_form_in_a_message_lands_with_its_provenance(anfang: str, tmp_path: Path) -> None:
    raw = message("【P2026-001】项目验收单（已签字）", [attachment("项目验收单.docx", filled_form("acceptance"), DOCX)],
                  message_id="<accept-1@example.com>")
    report = run(eml(tmp_path, raw))
    [form] = only(report, "accepted")
    assert form.form == "acceptance" and form.project_code == CODE
    assert form.mail["subject"] == "【P2026-001】项目验收单（已签字）"
    assert accepted_forms()["acceptance"]["customer_opinion"] == OPINION
    [sub] = api.show(CODE).submissions
    assert sub.source["kind"] == "mail"
    assert sub.source["sender"] == "张工 <zhang@example.com>"
    assert sub.source["subject"] == "【P2026-001】项目验收单（已签字）"
    assert sub.source["message_id"] == "<accept-1@example.com>"
    assert sub.source["date"].startswith("2026-08-29T09:30")
    assert sub.source["filename"] == "项目验收单.docx"
    [row] = messages()
    assert (row.key, row.accepted, row.review, row.project_code) == ("<accept-1@example.com>", 1, 0, CODE)
    with Store() as store, store.transaction() as session:
        kept = session.get(Original, row.sha256)  # the raw message is an original too
        assert kept.filename == "【P2026-001】项目验收单（已签字）.eml" and kept.size == len(raw)
        assert store.read_original(row.sha256) == raw


@pytest.mark.parametrize("subject", ["【P2026-001】验收单", "[P2026-001] 验收单", "回复：P2026-001 验收单",
                                     "转发: 〔P2026-001〕验收单"])
def test_project_from_the_subject_when_the_form_names_none(anfang: str, tmp_path: Path, subject: str) -> None:
    raw = message(subject, [attachment("验收单.docx", filled_form("acceptance", identity=False), DOCX)])
    [form] = run(eml(tmp_path, raw)).results
    # The subject names the project: the form's empty 项目代号 is that project's.
    assert (form.outcome, form.project_code) == ("accepted", CODE), form.problems
    assert accepted_forms()["acceptance"]["conclusion"] == "通过"
    [sub] = [s for s in api.show(CODE).submissions if s.id == form.submission_id]
    assert sub.source["subject"] == subject


def test_document_identity_wins_over_the_subject(anfang: str, tmp_path: Path) -> None:
    api.new_project("P2026-777", "另一个项目")
    raw = message("【P2026-777】验收单", [attachment("验收单.docx", filled_form("acceptance"), DOCX)])
    [form] = run(eml(tmp_path, raw)).results
    assert (form.outcome, form.project_code) == ("accepted", CODE)


def test_no_project_anywhere_is_held_for_review_saying_so(anfang: str, tmp_path: Path) -> None:
    raw = message("表单", [attachment("验收单.docx", filled_form("acceptance", identity=False), DOCX)])
    [form] = run(eml(tmp_path, raw)).results
    assert form.outcome == "review" and form.project_code is None
    assert any("邮件主题" in p["message"] and "项目代号" in p["message"] and p["kind"] == "project"
               for p in form.problems)
    assert "acceptance" not in accepted_forms()


def test_mailing_list_tags_are_not_project_codes(anfang: str, tmp_path: Path) -> None:
    raw = message("[SLAT-talk] 验收单", [attachment("验收单.docx", filled_form("acceptance", identity=False), DOCX)])
    [form] = run(eml(tmp_path, raw)).results
    assert form.outcome == "review" and form.project_code is None


def test_several_forms_in_one_message(anfang: str, tmp_path: Path) -> None:
    raw = message("【P2026-001】立项和验收", [
        attachment("立项申请表.docx", filled_form("project_initiation"), DOCX),
        attachment("项目验收单.docx", filled_form("acceptance"), DOCX)])
    report = run(eml(tmp_path, raw))
    assert sorted(r.form for r in only(report, "accepted")) == ["acceptance", "project_initiation"]
    forms = accepted_forms()
    assert forms["project_initiation"]["budget"] == "1200000.00"
    assert forms["acceptance"]["customer_opinion"] == OPINION
    [row] = messages()
    assert (row.attachments, row.accepted) == (2, 2)


def test_a_form_in_a_reply_thread_takes_the_threads_project(anfang: str, tmp_path: Path) -> None:
    first = message("【P2026-001】请填写验收单", [], message_id="<ask@example.com>")
    reply = message("Re: 请填写验收单", [attachment("验收单.docx", filled_form("acceptance", identity=False), DOCX)],
                    message_id="<reply@example.com>",
                    headers=[("In-Reply-To", "<ask@example.com>"), ("References", "<ask@example.com>")])
    run(eml(tmp_path, first, "1.eml"))
    [form] = run(eml(tmp_path, reply, "2.eml")).results
    assert (form.outcome, form.project_code) == ("accepted", CODE), form.problems
    assert accepted_forms()["acceptance"]["conclusion"] == "通过"


# -- real-world encodings ------------------------------------------------------------

def _b(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode('gbk' if charset.lower() == 'gb2312' else charset)).decode()}?="


def test_gbk_text_labelled_gb2312_and_raw_8bit_headers(anfang: str, tmp_path: Path) -> None:
    # 喆 and 镕 are GBK, not GB2312: a strict gb2312 decoder turns them into U+FFFD.
    subject = "【P2026-001】喆镕的验收单"
    name = "喆镕-验收单.docx"
    part = Part(filled_form("acceptance"), [("Content-Type", f'{DOCX}; name="{_b(name, "gb2312")}"'),
                                            ("Content-Disposition", f'attachment; filename="{_b(name, "gb2312")}"')])
    raw = message(_b(subject, "gb2312"), [part], sender=f"{_b('王喆', 'gb2312')} <wz@example.com>")
    [form] = run(eml(tmp_path, raw)).results
    assert form.outcome == "accepted"
    assert form.mail["subject"] == subject and form.mail["sender"] == "王喆 <wz@example.com>"
    assert form.name.endswith(name)
    raw8 = message(subject.encode("gbk"), [attachment("x.docx", filled_form("project_initiation"), DOCX)],
                   headers=[("X-Note", "raw 8-bit GBK subject, as old Foxmail sends it")])
    [form] = run(eml(tmp_path, raw8, "raw8.eml")).results
    assert form.mail["subject"] == subject


def test_rfc2231_big5_and_split_encoded_words(anfang: str, tmp_path: Path) -> None:
    name_2231 = "验收单（甲方签字）.docx"
    encoded = "".join(f"%{b:02X}" for b in name_2231.encode("gb18030"))
    big5 = "驗收單-繁體.docx"
    utf8 = "立项申请表-最终版.docx".encode()
    cut = 4  # inside the second character: the split the rspamd sample has
    split = (f'"=?UTF-8?B?{base64.b64encode(utf8[:cut]).decode()}?= '
             f'=?UTF-8?B?{base64.b64encode(utf8[cut:]).decode()}?="')
    parts = [
        Part(filled_form("acceptance"), [("Content-Type", DOCX),
                                         ("Content-Disposition", f"attachment; filename*=gb2312''{encoded}")]),
        Part(filled_form("solution_spec"), [("Content-Type", f'{DOCX}; name="{_b(big5, "big5")}"')]),
        Part(filled_form("project_initiation"), [("Content-Type", DOCX), ("Content-Disposition",
                                                                          f"attachment; filename={split}")]),
    ]
    report = run(eml(tmp_path, message("【P2026-001】三份表单", parts)))
    names = [r.name.rsplit(" › ", 1)[-1] for r in report.results]
    assert names == [name_2231, big5, "立项申请表-最终版.docx"]
    assert [r.outcome for r in report.results] == ["accepted"] * 3


def test_forwarded_messages_plain_and_base64(anfang: str, tmp_path: Path) -> None:
    inner = message("【P2026-001】验收单", [attachment("验收单.docx", filled_form("acceptance"), DOCX)],
                    message_id="<inner@example.com>", boundary="==inner1==")
    inner2 = message("立项申请表", [attachment("立项.docx", filled_form("project_initiation"), DOCX)],
                     message_id="<inner2@example.com>", boundary="==inner2==")
    raw = message("Fwd: 两份表单", [forwarded(inner), forwarded(inner2, base64_encoded=True, name="fwd.eml")])
    report = run(eml(tmp_path, raw))
    landed = {r.form: r.name for r in only(report, "accepted")}
    assert set(landed) == {"acceptance", "project_initiation"}
    assert "转发的邮件“【P2026-001】验收单”" in landed["acceptance"]
    forms = accepted_forms()
    assert forms["acceptance"]["customer_opinion"] == OPINION and forms["project_initiation"]["budget"] == "1200000.00"


def test_forms_inside_a_zip_with_gbk_names(anfang: str, tmp_path: Path) -> None:
    archive = zip_of({"回收表单/项目验收单.docx": filled_form("acceptance"),
                      "回收表单/立项申请表.docx": filled_form("project_initiation"),
                      "回收表单/说明.txt": "请查收".encode("gbk")}, gbk_names=True)
    raw = message("【P2026-001】表单打包", [attachment("表单.zip", archive, "application/zip")])
    report = run(eml(tmp_path, raw))
    accepted = only(report, "accepted")
    assert sorted(r.name.rsplit(" › ", 1)[-1] for r in accepted) == ["立项申请表.docx", "项目验收单.docx"]
    assert all(" › 表单.zip › " in r.name for r in accepted)
    assert [r.reason for r in only(report, "skipped")] == ["不是表单文件"]
    assert accepted_forms()["acceptance"]["customer_opinion"] == OPINION


def test_winmail_dat_is_opened(anfang: str, tmp_path: Path) -> None:
    tnef = (SHARED / "corpus" / "tnef" / "poi_quick-winmail.dat").read_bytes()
    raw = message("【P2026-001】Outlook 发来的", [attachment("winmail.dat", tnef, "application/ms-tnef")])
    report = run(eml(tmp_path, raw))
    names = sorted(r.name.rsplit(" › ", 1)[-1] for r in report.results)
    assert names == ["quick.doc", "quick.html", "quick.pdf", "quick.txt", "quick.xml"]
    assert {r.name.rsplit(" › ", 1)[-1] for r in only(report, "review")} == {"quick.doc", "quick.pdf"}


def test_inline_images_and_logos_are_kept_not_forms(anfang: str, tmp_path: Path) -> None:
    photo = b"\x89PNG\r\n\x1a\n" + os.urandom(200_000)
    raw = message("【P2026-001】验收单", [
        attachment("验收单.docx", filled_form("acceptance"), DOCX),
        attachment("image001.png", PNG_1PX, "image/png", disposition="inline", content_id="image001.png@01D9"),
        attachment("logo.png", PNG_1PX + b"\0" * 2000, "image/png"),
        attachment("现场照片.png", photo, "image/png")])
    report = run(eml(tmp_path, raw))
    outcome = {r.name.rsplit(" › ", 1)[-1]: (r.outcome, r.reason) for r in report.results}
    assert outcome == {"验收单.docx": ("accepted", ""), "image001.png": ("skipped", "签名或内嵌图片"),
                       "logo.png": ("skipped", "签名或内嵌图片"), "现场照片.png": ("review", "")}
    with Store() as store, store.transaction() as session:
        names = set(session.scalars(select(Original.filename)))
    assert {"image001.png", "logo.png", "现场照片.png"} <= names  # every one kept as an original


def test_rar_is_kept_and_held_for_review(anfang: str, tmp_path: Path) -> None:
    raw = message("【P2026-001】压缩包", [attachment("表单.rar", b"Rar!\x1a\x07\x00" + b"\0" * 100)])
    [held] = run(eml(tmp_path, raw)).results
    assert held.outcome == "review" and "RAR" in held.problems[0]["message"]
    assert held.project_code == CODE


# -- mailboxes ------------------------------------------------------------------------

def test_mbox_and_maildir_each_message_once(backend: str, anfang: str, tmp_path: Path) -> None:
    raws = [message(f"【P2026-001】第 {n} 份", [attachment(f"验收单{n}.docx", filled_form(
        "acceptance", customer_opinion=f"第 {n} 次意见"), DOCX)], message_id=f"<m{n}@example.com>") for n in range(3)]
    raws.append(message("没有 Message-ID", [], message_id=None))
    box = write_mbox(tmp_path / "收件箱.mbox", raws)
    first = run(box)
    assert first.summary()["messages"] == 4 and first.summary()["accepted"] == 3
    again = run(box)
    assert again.summary() | {"skipped": {}} == {"files": 0, "messages": 4, "messages_new": 0, "messages_seen": 4,
                                                  "accepted": 0, "review": 0, "duplicate": 4, "failed": 0,
                                                  "skipped": {}}
    assert all("已导入过" in r.message for r in again.results)
    third = run(write_maildir(tmp_path / "Maildir",
                              [*raws, message("【P2026-001】新的", [], message_id="<new@example.com>")]))
    assert (third.summary()["messages_seen"], third.summary()["messages_new"]) == (4, 1)
    keys = [m.key for m in messages()]
    assert len(keys) == len(set(keys)) == 5
    assert keys[3].startswith("sha256:")
    assert {h.new for h in api.show(CODE).history if h.key == "acceptance.customer_opinion"} == {
        "第 0 次意见", "第 1 次意见", "第 2 次意见"}
    with Store() as store:
        assert store.integrity_problems() == []


def test_the_same_eml_twice_and_a_crash_in_between(backend: str, anfang: str, tmp_path: Path) -> None:
    raw = message("【P2026-001】验收单", [attachment("验收单.docx", filled_form("acceptance"), DOCX)])
    path = eml(tmp_path, raw)
    run(path)
    with Store() as store, store.transaction() as session:  # as if killed before the message was recorded
        session.query(Message).delete()
    [again] = run(path).results
    assert again.outcome == "duplicate"  # the form is deduplicated by content
    [third] = run(path).results
    assert third.outcome == "duplicate" and "这封邮件已导入过" in third.message
    with Store() as store, store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1


def test_truncated_copy_with_a_seen_message_id_keeps_its_original(anfang: str, tmp_path: Path) -> None:
    """Found by the hostile corpus: a different message under a recorded
    Message-ID was skipped without keeping its bytes."""
    raw = message("【P2026-001】验收单", [attachment("验收单.docx", filled_form("acceptance"), DOCX)])
    run(eml(tmp_path, raw))
    [again] = run(eml(tmp_path, raw[: len(raw) // 2], "截断.eml")).results
    assert again.outcome == "duplicate"
    with Store() as store, store.transaction() as session:
        kept = set(session.scalars(select(Original.sha256)))
        assert session.scalar(select(func.count()).select_from(Message)) == 1
    assert sha256_of(raw[: len(raw) // 2]) in kept
    with Store() as store:
        from formkit.store.doctor import check
        assert check(store, at=now() + timedelta(minutes=5)).interrupted == []


# -- safety ---------------------------------------------------------------------------

def _snapshot(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def test_hostile_messages(anfang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          formkit_home: Path) -> None:
    monkeypatch.setenv("FORMKIT_MAX_ATTACHMENT_MB", "2")
    monkeypatch.chdir(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bomb = zip_bomb(300 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    cases = {
        "traversal.eml": message("【P2026-001】路径", [
            attachment("../../x.docx", filled_form("acceptance"), DOCX),
            attachment("..\\..\\..\\Windows\\evil.docx", filled_form("project_initiation"), DOCX)],
            message_id="<t@example.com>"),
        "zipslip.eml": message("【P2026-001】压缩包路径", [attachment("a.zip", zip_of(
            {"../../../etc/逃逸.docx": filled_form("solution_spec")}), "application/zip")], message_id="<z@example.com>"),
        "bomb.eml": message("【P2026-001】炸弹", [attachment("表单.zip", bomb, "application/zip")],
                            message_id="<b@example.com>"),
        "huge.eml": message("【P2026-001】大附件", [attachment("大.docx", os.urandom(3 * 1024 * 1024), DOCX)],
                            message_id="<h@example.com>"),
        "garbage.eml": os.urandom(5000),
        "truncated.eml": message("【P2026-001】截断", [attachment("验收单.docx", filled_form("acceptance"), DOCX)],
                                 message_id="<cut@example.com>")[:1500],
        "headers-only.eml": b"Subject: =?gb2312?B?\r\nFrom: <<<>>>\r\nContent-Type: multipart/mixed; boundary=\r\n",
    }
    for name, raw in cases.items():
        (inbox / name).write_bytes(raw)
    before = _snapshot(tmp_path) - _snapshot(formkit_home)
    report = run(inbox)
    after = _snapshot(tmp_path) - _snapshot(formkit_home)
    assert after == before  # nothing written outside FORMKIT_HOME
    assert not (tmp_path.parent / "x.docx").exists() and not Path("/etc/逃逸.docx").exists()
    by_name = {r.name: r for r in report.results}
    traversal = [r for r in report.results if r.mail and r.mail["message"] == "<t@example.com>"]
    assert [(r.outcome, r.name.rsplit(" › ", 1)[-1]) for r in traversal] == [("accepted", "x.docx"),
                                                                            ("accepted", "evil.docx")]
    [slip] = [r for r in report.results if r.mail and r.mail["message"] == "<z@example.com>"]
    assert slip.outcome == "accepted" and slip.name.endswith("a.zip › 逃逸.docx")  # a label, never a path
    [boom] = [r for r in report.results if r.mail and r.mail["message"] == "<b@example.com>"]
    assert boom.outcome == "skipped" and "压缩炸弹" in boom.message
    [huge] = [r for r in report.results if r.mail and r.mail["message"] == "<h@example.com>"]
    assert huge.outcome == "skipped" and huge.reason == "附件过大"
    assert "大.docx：附件有 3 MiB，超过上限 2 MiB" in huge.message and "FORMKIT_MAX_ATTACHMENT_MB=3" in huge.message
    assert len(messages()) == len(cases)  # every message recorded, even the broken ones
    notes = {m.key: m.notes for m in messages()}
    assert any("含路径" in n for n in notes["<t@example.com>"])
    assert any("../../../etc/逃逸.docx" in n for n in notes["<z@example.com>"])
    assert by_name  # and no exception reached the caller
    with Store() as store:
        assert store.integrity_problems() == []


def test_zip_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    many = zip_of({f"{n}.txt": b"x" for n in range(201)})
    with pytest.raises(archives.ArchiveRefused, match="many.zip.*包含 201 个文件，超过上限 200 个"):
        archives.expand_zip(many, "many.zip")
    with pytest.raises(archives.ArchiveRefused, match="压缩炸弹.*FORMKIT_MAX_ZIP_RATIO"):
        archives.expand_zip(zip_bomb(20 * 1024 * 1024), "bomb.zip")
    monkeypatch.setenv("FORMKIT_MAX_ZIP_MB", "0.001")
    with pytest.raises(archives.ArchiveRefused, match="big.zip.*超过上限 1.02 KiB.*FORMKIT_MAX_ZIP_MB"):
        archives.expand_zip(zip_of({"a.txt": b"x" * 600, "b.txt": b"y" * 600}), "big.zip")


# -- the command ----------------------------------------------------------------------

def test_cli_import_mail_shows_a_summary_and_json(anfang: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from formkit.cli import app

    raws = [message("【P2026-001】验收单", [attachment("验收单.docx", filled_form("acceptance"), DOCX),
                                           attachment("logo.png", PNG_1PX, "image/png")], message_id="<c1@x>"),
            message("你好", [], message_id="<c2@x>")]
    box = write_mbox(tmp_path / "box.mbox", raws)
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(box)])
    assert result.exit_code == 0, result.output
    assert "导入汇总" in result.output and "读取邮件" in result.output
    assert "跳过：签名或内嵌图片" in result.output and "跳过：邮件没有附件" in result.output
    again = runner.invoke(app, ["import", str(box), "--json"])
    rows = __import__("json").loads(again.stdout)
    assert [r["outcome"] for r in rows] == ["duplicate", "duplicate"]
    assert rows[0]["mail"]["subject"] == "【P2026-001】验收单" and rows[0]["reason"] == "邮件已导入过"
    nothing = runner.invoke(app, ["import"])
    assert nothing.exit_code == 2


def test_what_the_reader_noticed_is_recorded_with_the_message(tmp_path: Path) -> None:
    """A message with no readable header: the note says so on the message and in its row
    (it was once only on the parsed mail, and dropped)."""
    report = run(eml(tmp_path, b"\x00\x01 this is not a mail at all\r\n\r\nbody", "broken.eml"))
    (row,) = report.results
    assert row.outcome == "skipped" and "没有可识别的信头" in row.message, row
    (message,) = messages()
    assert any("没有可识别的信头" in n for n in message.notes)
