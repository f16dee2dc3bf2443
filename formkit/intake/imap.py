"""An IMAP mailbox as a mail source, with imap-tools.

``imaps://user@host[:port][/FOLDER]`` (TLS, certificate checked) or
``imap://…`` (plain, for a server on this machine or a trusted network). The
password is never part of the URL formkit stores or prints. Only unseen
messages are read unless ``include_seen``; each message is fetched with
BODY.PEEK (reading does not mark it) and marked \\Seen only once it is
recorded, so a run that is interrupted leaves the rest unseen.
"""

from __future__ import annotations

import ssl
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from formkit.config import limits
from formkit.errors import FormkitError
from formkit.intake.mailboxes import MailSource, RawMessage

TIMEOUT_S = 60


class MailboxError(FormkitError, RuntimeError):
    """An IMAP mailbox that cannot be reached, logged into or read."""


@dataclass(frozen=True)
class ImapLocation:
    secure: bool
    host: str
    port: int
    user: str
    folder: str

    @property
    def display(self) -> str:
        scheme = "imaps" if self.secure else "imap"
        return f"{scheme}://{self.user}@{self.host}:{self.port}/{self.folder}"


def parse_url(url: str, folder: str | None = None) -> ImapLocation:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("imap", "imaps"):
        raise MailboxError(f"邮箱地址“{url}”格式不正确：应为 imaps://用户名@服务器[:端口][/文件夹] 或 imap://…")
    if not parts.hostname:
        raise MailboxError(f"邮箱地址“{url}”缺少服务器名")
    if not parts.username:
        raise MailboxError(f"邮箱地址“{url}”缺少用户名：如 imaps://user@example.com@imap.example.com")
    if parts.password:
        raise MailboxError("请不要把密码写在邮箱地址里：用环境变量 FORMKIT_IMAP_PASSWORD，或在提示时输入")
    try:
        port = parts.port or (993 if parts.scheme == "imaps" else 143)
    except ValueError as e:
        raise MailboxError(f"邮箱地址“{url}”的端口不正确") from e
    path_folder = unquote(parts.path.lstrip("/")) if parts.path not in ("", "/") else ""
    return ImapLocation(parts.scheme == "imaps", parts.hostname, port, unquote(parts.username),
                        folder or path_folder or "INBOX")


@contextmanager
def connect(location: ImapLocation, password: str) -> Iterator[Any]:
    try:
        from imap_tools import MailBox, MailBoxUnencrypted
        from imap_tools.errors import MailboxLoginError, UnexpectedCommandStatusError
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise MailboxError("读取 IMAP 邮箱需要 imap-tools：pip install imap-tools") from e
    import imaplib
    import socket

    try:
        if location.secure:
            box = MailBox(location.host, location.port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT_S)
        else:
            box = MailBoxUnencrypted(location.host, location.port, timeout=TIMEOUT_S)
    except (OSError, socket.timeout, imaplib.IMAP4.error) as e:
        raise MailboxError(f"无法连接邮箱服务器 {location.host}:{location.port}：{e}") from e
    try:
        try:
            box.login(location.user, password, initial_folder=None)
        except MailboxLoginError as e:
            raise MailboxError(f"邮箱 {location.user}@{location.host} 登录失败：用户名或密码不正确") from e
        try:
            box.folder.set(location.folder)
        except (UnexpectedCommandStatusError, imaplib.IMAP4.error) as e:
            raise MailboxError(f"邮箱中没有文件夹“{location.folder}”") from e
        yield box
    except (OSError, imaplib.IMAP4.abort) as e:
        raise MailboxError(f"与邮箱服务器 {location.host} 的连接中断：{e}") from e
    finally:
        try:
            box.logout()
        except (OSError, imaplib.IMAP4.error, AttributeError):
            pass


def imap_source(location: ImapLocation, password: str, *, include_seen: bool = False,
                mark_seen: bool = True) -> MailSource:
    """The messages of one folder, unseen ones only by default."""
    from imap_tools import AND, MailMessageFlags

    state: dict[str, Any] = {}

    def read() -> Iterator[RawMessage]:
        most = limits().mail_size
        stack = ExitStack()
        box = stack.enter_context(connect(location, password))
        try:
            uids = box.uids(AND(all=True) if include_seen else AND(seen=False))
            state["total"] = len(uids)
            source.total = len(uids)
            for n, uid in enumerate(uids, 1):
                data = _fetch(box, uid)
                if data is None:
                    continue

                def ack(uid: str = uid) -> None:
                    if mark_seen:
                        box.flag(uid, MailMessageFlags.SEEN, True)

                yield RawMessage(data[:most], "imap", location.display, f"{location.folder} 第 {n} 封（UID {uid}）",
                                 n, len(data) > most, ack, size=len(data))
        except BaseException:
            if not stack.__exit__(*sys.exc_info()):  # connect() says what went wrong, and logs out
                raise
            return
        if source.keep_open:  # the messages read ahead are marked \\Seen once recorded: log out after that
            source.closer = stack.close
        else:
            stack.close()

    source = MailSource(location.display, "imap", None, "messages", read)
    return source


def _fetch(box: Any, uid: str) -> bytes | None:
    """The raw message, read with BODY.PEEK[] so that reading does not mark it \\Seen."""
    status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data or []:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
            return item[1]
    return None
