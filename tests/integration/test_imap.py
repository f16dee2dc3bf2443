"""`formkit import --imap` against a real Dovecot server on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from imap_tools import AND, MailBoxUnencrypted
from typer.testing import CliRunner

from formkit import project as api
from formkit.cli import app
from formkit.intake import MailboxError
from tests.support.data import SAMPLES
from tests.support.dovecot import DovecotServer, DovecotStartError, start_dovecot
from tests.support.mail import DOCX, attachment, filled_form, message

CODE = "P2026-001"


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    """One throwaway Dovecot for this module; fails (never skips) when it cannot start."""
    try:
        server = start_dovecot()
    except DovecotStartError as e:
        pytest.fail(str(e), pytrace=False)
    with server:
        yield server


@pytest.fixture
def mailbox(dovecot: DovecotServer, monkeypatch: pytest.MonkeyPatch) -> DovecotServer:
    """An empty INBOX (and folders) for each test, the password in the environment."""
    dovecot.reset()
    monkeypatch.setenv("FORMKIT_IMAP_PASSWORD", dovecot.password)
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cafile))  # trust the test server's certificate
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    return dovecot


def unseen(server: DovecotServer, folder: str = "INBOX") -> list[str]:
    with MailBoxUnencrypted("127.0.0.1", server.imap_port).login(server.user, server.password,
                                                                 initial_folder=folder) as box:
        return [m.subject for m in box.fetch(AND(seen=False), mark_seen=False)]


def test_imports_unseen_messages_and_marks_them_seen(mailbox: DovecotServer) -> None:
    mailbox.deliver(message("【P2026-001】项目验收单", [attachment("验收单.docx", filled_form("acceptance"), DOCX)],
                            message_id="<imap-1@example.com>"))
    mailbox.deliver(message("【P2026-001】立项申请表", [attachment("立项.docx", filled_form("project_initiation"), DOCX)],
                            message_id="<imap-2@example.com>"), seen=True)
    runner = CliRunner()
    result = runner.invoke(app, ["import", "--imap", mailbox.imaps_url])  # TLS, certificate checked
    assert result.exit_code == 0, result.output
    assert "读取邮件" in result.output and "表单已接受" in result.output
    record = api.show(CODE)
    assert set(record.forms) == {"acceptance"}  # the seen message was left alone
    assert record.submissions[0].source["sender"] == "张工 <zhang@example.com>"
    assert record.submissions[0].source["path"] == f"imaps://{mailbox.user}@127.0.0.1:{mailbox.imaps_port}/INBOX"
    assert unseen(mailbox) == []  # marked \Seen once imported
    again = runner.invoke(app, ["import", "--imap", mailbox.imap_url, "--all", "--json"])
    rows = json.loads(again.stdout)
    assert sorted((r["mail"]["subject"], r["outcome"]) for r in rows) == [
        ("【P2026-001】立项申请表", "accepted"), ("【P2026-001】项目验收单", "duplicate")]
    third = runner.invoke(app, ["import", "--imap", mailbox.imap_url, "--all", "--json"])
    assert [r["outcome"] for r in json.loads(third.stdout)] == ["duplicate", "duplicate"]  # nothing twice


def test_a_chinese_folder(mailbox: DovecotServer) -> None:
    mailbox.deliver(message("【P2026-001】验收单", [attachment("验收单.docx", filled_form("acceptance"), DOCX)]),
                    folder="项目表单")
    report = api.import_all([], imap=mailbox.imap_url, imap_password=mailbox.password, folder="项目表单")
    assert report.summary()["accepted"] == 1
    assert unseen(mailbox, "项目表单") == []


def test_clear_errors(mailbox: DovecotServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MailboxError, match="登录失败"):
        api.import_all([], imap=mailbox.imap_url, imap_password="wrong")
    with pytest.raises(MailboxError, match="没有文件夹"):
        api.import_all([], imap=mailbox.imap_url, imap_password=mailbox.password, folder="不存在")
    with pytest.raises(MailboxError, match="不要把密码写在"):
        api.import_all([], imap=f"imap://u:p@127.0.0.1:{mailbox.imap_port}", imap_password="x")
    with pytest.raises(MailboxError, match="格式不正确"):
        api.import_all([], imap="pop3://u@127.0.0.1")
    monkeypatch.delenv("FORMKIT_IMAP_PASSWORD")
    result = CliRunner().invoke(app, ["import", "--imap", mailbox.imap_url], input="")
    assert result.exit_code == 2 and "FORMKIT_IMAP_PASSWORD" in result.output


def test_nothing_unseen(mailbox: DovecotServer, tmp_path: Path) -> None:
    report = api.import_all([], imap=mailbox.imap_url, imap_password=mailbox.password)
    assert report.summary()["messages"] == 0
