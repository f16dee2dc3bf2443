"""Mailbox import with worker processes (``--jobs``): the store and the --json
output of ``--jobs 2`` are those of ``--jobs 1`` for an mbox and a Maildir
whose messages depend on each other (a reply takes the project of the message
it answers, a message repeats one still in flight, a form repeats an earlier
one), a second run has nothing to do, and a reader that fails in a worker
loses nothing and costs only its own file."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from formkit import project as api
from formkit.cli import app
from formkit.intake import run as intake_run
from formkit.store import Message, Original, Store, Submission
from tests.support.data import SAMPLES
from tests.support.mail import (DOCX, PNG_1PX, attachment, filled_form, forwarded, message, write_maildir, write_mbox,
                                 zip_of)

runner = CliRunner()
CODE = "P2026-001"


@pytest.fixture(autouse=True)
def workers_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start once the run meets 3 files to parse (32 in real use, and
    only once the parse time spent so far says they pay off), so the first two
    are read here and the rest in workers."""
    from formkit import jobs

    monkeypatch.setattr(jobs, "PARALLEL_MIN", 3)
    monkeypatch.setattr(jobs, "WORKER_START_S", 0.0)


def stable(value: Any) -> Any:
    """A --json document without its timestamps (when a row was written, also
    in a message: “这封邮件已导入过（邮件 #5，2026-11-22 09:41）”)."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k != "at" and not k.endswith("_at")}
    if isinstance(value, list):
        return [stable(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "TIME", value)
    return value


def mixed_messages() -> list[bytes]:
    """Messages that a look-ahead could get wrong if it read them out of turn."""
    form = filled_form("acceptance", customer_opinion="第一份意见")
    no_code = filled_form("acceptance", identity=False, customer_opinion="回复里的意见")
    raws = [
        message("【P2026-001】验收单", [attachment("验收单.docx", form, DOCX)], message_id="<m0@example.com>"),
        message("【P2026-001】请填写验收单", [], message_id="<ask@example.com>"),
        # the project of the thread: the message just before it, still in flight when this one is read
        message("Re: 请填写验收单", [attachment("回复.docx", no_code, DOCX)], message_id="<reply@example.com>",
                headers=[("In-Reply-To", "<ask@example.com>"), ("References", "<ask@example.com>")]),
        # the same form again (another message): a duplicate of the first one's submission
        message("【P2026-001】再发一次", [attachment("验收单-再发.docx", form, DOCX)], message_id="<m3@example.com>"),
        # the first message again, other bytes (another mailbox's copy): seen, its bytes kept
        message("【P2026-001】验收单（副本）", [attachment("验收单.docx", form, DOCX)], message_id="<m0@example.com>"),
        # a forward whose inner subject names the project; the outer one does not
        message("转发：资料", [forwarded(message("【P2026-001】立项申请",
                                                 [attachment("立项.docx", filled_form("project_initiation",
                                                                                      identity=False), DOCX)],
                                                 message_id="<inner@example.com>"))],
                message_id="<fwd@example.com>"),
        message("【P2026-001】签名和图片", [attachment("logo.png", PNG_1PX, "image/png", disposition="inline",
                                                   content_id="logo1")], message_id="<logo@example.com>"),
        message("【P2026-001】压缩包", [attachment("表单.zip", zip_of({
            "周报.docx": filled_form("weekly_report"), "可研.docx": filled_form("feasibility_report", identity=False)},
            gbk_names=True), "application/zip")], message_id="<zip@example.com>"),
        message("【P2026-001】RAR", [attachment("表单.rar", b"Rar!\x1a\x07\x00" + b"\0" * 100)],
                message_id="<rar@example.com>"),
        message("【P2026-001】坏文件", [attachment("坏文件.docx", b"PK\x03\x04 not a zip at all", DOCX),
                                      attachment("报价.pdf", b"%PDF-1.4\n" + b"x" * 2000, "application/pdf")],
                message_id="<bad@example.com>"),
        message("【P2026-001】客户名称不同", [attachment("不同.docx", filled_form(
            "acceptance", customer_name="另一家客户"), DOCX)], message_id="<conflict@example.com>"),
        message("没有项目", [attachment("无代号.docx", filled_form("customer_info", identity=False), DOCX)],
                message_id="<nocode@example.com>"),
        message("无此项目 P2099-999", [attachment("无此项目.docx", filled_form("contact_info", identity=False), DOCX)],
                message_id="<unknown@example.com>"),
        message("没有 Message-ID", [attachment("无编号.docx", filled_form(
            "acceptance", customer_opinion="没有编号的邮件"), DOCX)], message_id=None),
    ]
    raws += [message(f"【P2026-001】第 {n} 份", [attachment(f"验收单-{n}.docx", filled_form(
        "acceptance", customer_opinion=f"第 {n} 次意见"), DOCX)], message_id=f"<n{n}@example.com>") for n in range(6)]
    # a reply to a message six places back (recorded by then in both runs)
    raws.append(message("Re: 第 0 份", [attachment("又一份.docx", filled_form("visit_report", identity=False), DOCX)],
                        message_id="<late@example.com>", headers=[("References", "<n0@example.com>")]))
    return raws


def store_contents() -> dict[str, Any]:
    """What the store holds, timestamps left out."""
    with Store() as store, store.transaction() as session:
        messages = [(m.id, m.key, m.message_id, m.sha256, m.sender, m.subject, m.source_kind, m.project_code,
                     m.attachments, m.accepted, m.review, m.skipped, m.notes)
                    for m in session.scalars(select(Message).order_by(Message.id))]
        subs = [(s.id, s.sha256, s.status, s.form, s.project_code, s.schema_version, s.document_id, s.data,
                 s.problems, s.conflicts, s.notices, s.explicit_none)
                for s in session.scalars(select(Submission).order_by(Submission.id))]
        originals = sorted((o.sha256, o.size, o.filename, o.stored_path, o.source_kind, o.source_path, o.sender,
                            o.subject, o.message_id) for o in session.scalars(select(Original)))
    with Store() as store:
        assert store.integrity_problems() == []
    return {"messages": messages, "submissions": subs, "originals": originals}


def import_with(jobs: int, home: Path, box: Path | str, monkeypatch: pytest.MonkeyPatch,
                before: Any = None) -> dict[str, Any]:
    """Import ``box`` (a path, or an IMAP URL) twice with ``--jobs``; what the
    runs printed and what the store holds."""
    from tests.support import pids

    if before is not None:
        before()

    monkeypatch.setenv("FORMKIT_HOME", str(home))
    monkeypatch.setenv("FORMKIT_TEST_PIDS", str(home.parent / f"pids-{home.name}"))
    monkeypatch.setattr(intake_run, "PARSE_JOB", pids.recording_parse_job)
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    out: dict[str, Any] = {}
    source = ["--imap", box] if isinstance(box, str) else [str(box)]
    for run in ("first", "second"):
        result = runner.invoke(app, ["import", *source, "--json", "--jobs", str(jobs)])
        assert result.exit_code in (0, 1), (result.output, result.exception)
        out[run] = stable(json.loads(result.stdout))
    out["show"] = stable(json.loads(runner.invoke(app, ["show", CODE, "--json"]).stdout))
    out["store"] = store_contents()
    return out


def worker_pids(home: Path) -> list[int]:
    pids = home.parent / f"pids-{home.name}"
    return [int(p) for p in pids.read_text().split()] if pids.exists() else []


@pytest.mark.parametrize("kind", ["mbox", "maildir"])
def test_mail_import_jobs_2_is_jobs_1(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raws = mixed_messages()
    box = (write_mbox(tmp_path / "收件箱.mbox", raws) if kind == "mbox"
           else write_maildir(tmp_path / "Maildir", raws))
    serial = import_with(1, tmp_path / "home1", box, monkeypatch)
    parallel = import_with(2, tmp_path / "home2", box, monkeypatch)
    assert parallel["first"] == serial["first"]
    assert parallel["second"] == serial["second"]
    assert parallel["show"] == serial["show"]
    assert parallel["store"] == serial["store"]
    # the files were read in workers (but the first two, before they start), in the serial run here
    assert worker_pids(tmp_path / "home1") == []
    in_workers = worker_pids(tmp_path / "home2")
    assert len(in_workers) >= 10 and os.getpid() not in in_workers
    # what the mailbox asks of the run, so that equal runs are also right ones
    rows = serial["first"]
    by_file = {r["file"].split(" › ")[-1]: r for r in rows}
    assert by_file["回复.docx"]["outcome"] == "accepted" and by_file["回复.docx"]["project_code"] == CODE
    assert by_file["立项.docx"]["project_code"] == CODE
    assert by_file["验收单-再发.docx"]["outcome"] == "duplicate"
    assert [r["outcome"] for r in rows if r.get("mail", {}).get("message") == "<m0@example.com>"] == [
        "accepted", "duplicate"]
    assert by_file["不同.docx"]["outcome"] == "review" and by_file["无此项目.docx"]["outcome"] == "review"
    assert by_file["又一份.docx"]["project_code"] == CODE
    assert all(r["outcome"] == "duplicate" for r in serial["second"]) and len(serial["second"]) == len(raws)
    assert len(serial["store"]["messages"]) == len(raws) - 1  # the repeated Message-ID is recorded once


def test_a_reader_failing_in_a_worker_costs_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support import crashy

    forms = [filled_form("acceptance", customer_opinion=f"第 {n} 次意见") for n in range(8)]
    raws = [message(f"【P2026-001】第 {n} 份", [attachment(f"验收单-{n}.docx", form, DOCX)],
                    message_id=f"<c{n}@example.com>") for n, form in enumerate(forms)]
    crash, error = forms[3] + b"\0", forms[5] + b"\0\0"  # other bytes: their own originals
    raws.insert(4, message("【P2026-001】两份", [attachment("崩溃-1.docx", crash, DOCX),
                                              attachment("验收单-好的.docx", forms[0] + b"\0\0\0", DOCX)],
                           message_id="<crash@example.com>"))
    raws.insert(7, message("【P2026-001】出错", [attachment("出错-1.docx", error, DOCX)],
                           message_id="<error@example.com>"))
    box = write_mbox(tmp_path / "收件箱.mbox", raws)
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    monkeypatch.setattr(intake_run, "PARSE_JOB", crashy.failing_parse_job)
    report = api.import_all([box], jobs=2)
    results = {r.name.split(" › ")[-1]: r for r in report.results}
    assert results["崩溃-1.docx"].outcome == "review"
    assert "读取进程异常退出" in results["崩溃-1.docx"].message
    assert results["出错-1.docx"].outcome == "review" and "读取时出错（RuntimeError" in results["出错-1.docx"].message
    assert results["验收单-好的.docx"].outcome == "accepted"  # beside the crash, in the same message
    assert all(results[f"验收单-{n}.docx"].outcome == "accepted" for n in range(8))
    assert report.summary()["messages_new"] == len(raws)
    with Store() as store, store.transaction() as session:
        kept = set(session.scalars(select(Original.sha256)))
        subs = {s.sha256: s.status for s in session.scalars(select(Submission))}
        assert len(session.scalars(select(Message)).all()) == len(raws)
    for data in (crash, error):
        sha = hashlib.sha256(data).hexdigest()
        assert sha in kept and subs[sha] == "review"
    with Store() as store:
        assert store.integrity_problems() == []
    again = api.import_all([box], jobs=2)
    assert again.summary()["messages_seen"] == len(raws) and again.summary()["accepted"] == 0


def test_imap_import_jobs_2_is_jobs_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same with an IMAP folder (Dovecot on loopback): each message marked
    read once recorded, also those read ahead of the one being recorded."""
    from imap_tools import AND, MailBoxUnencrypted

    from tests.support.dovecot import DovecotStartError, start_dovecot

    try:
        server = start_dovecot()
    except DovecotStartError as e:
        pytest.fail(str(e), pytrace=False)
    raws = mixed_messages()

    def fill() -> None:
        server.reset()
        for raw in raws:
            server.deliver(raw)

    def unseen() -> int:
        with MailBoxUnencrypted("127.0.0.1", server.imap_port).login(server.user, server.password) as box:
            return len(box.uids(AND(seen=False)))

    with server:
        monkeypatch.setenv("FORMKIT_IMAP_PASSWORD", server.password)
        serial = import_with(1, tmp_path / "home1", server.imap_url, monkeypatch, before=fill)
        assert unseen() == 0
        parallel = import_with(2, tmp_path / "home2", server.imap_url, monkeypatch, before=fill)
        assert unseen() == 0
    assert parallel == serial
    assert len(serial["first"]) > len(raws) and serial["second"] == []  # read once, then nothing unseen
    assert len(worker_pids(tmp_path / "home2")) >= 10


def test_workers_start_only_when_they_pay_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mailbox whose forms take less time to read than workers take to
    start is read here, whatever the count of files."""
    from formkit import jobs

    monkeypatch.setattr(jobs, "WORKER_START_S", 1000.0)
    box = write_mbox(tmp_path / "收件箱.mbox", mixed_messages())
    run = import_with(2, tmp_path / "home", box, monkeypatch)
    assert worker_pids(tmp_path / "home") == []
    assert sum(r["outcome"] == "accepted" for r in run["first"]) >= 10
