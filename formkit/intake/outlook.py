"""Outlook .msg files (OLE2 compound documents) -> ParsedMail, with extract-msg.

Non-Unicode .msg files store their strings in the sender's ANSI code page.
extract-msg falls back to ISO-8859-15 when PR_MESSAGE_CODEPAGE is absent,
which turns Big5 or GBK subjects into mojibake: the code page is derived from
the message locale (PR_MESSAGE_LOCALE_ID) first, as Outlook itself does.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from formkit.config import limits
from formkit.errors import NotAFormError
from formkit.intake.mime import Attachment, ParsedMail, _message_id, header_too_large

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# LCID -> ANSI code page (the languages a Chinese company's mail comes in, and a few more).
_LCID_CODEPAGE = {
    0x0804: "gb18030", 0x1004: "gb18030", 0x0404: "cp950", 0x0C04: "cp950", 0x1404: "cp950",
    0x0411: "cp932", 0x0412: "cp949", 0x0419: "cp1251", 0x0422: "cp1251", 0x0423: "cp1251",
    0x0408: "cp1253", 0x041F: "cp1254", 0x040D: "cp1255", 0x0401: "cp1256", 0x041E: "cp874",
    0x0405: "cp1250", 0x0415: "cp1250", 0x040E: "cp1250", 0x042A: "cp1258",
}
_WINDOWS_CODEPAGE = {936: "gb18030", 54936: "gb18030", 950: "cp950", 932: "cp932", 949: "cp949", 874: "cp874",
                     **{n: f"cp{n}" for n in range(1250, 1259)}, 65001: "utf-8", 28591: "cp1252"}


def is_msg(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC)


def parse_msg(data: bytes, name: str = ".msg") -> ParsedMail:
    try:
        import extract_msg
        from extract_msg.exceptions import ExMsgBaseException
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise NotAFormError("读取 Outlook .msg 邮件需要 extract-msg：pip install extract-msg") from e
    logging.getLogger("extract_msg").setLevel(logging.CRITICAL)
    try:
        msg = extract_msg.openMsg(data, delayAttachments=False)
        encoding = _ansi_codepage(msg)
        if encoding and getattr(msg, "stringEncoding", "utf-16-le") != "utf-16-le":
            current = getattr(msg, "stringEncoding", None)
            if encoding != current:
                msg.close()
                msg = extract_msg.openMsg(data, delayAttachments=False, overrideEncoding=encoding)
    except (ExMsgBaseException, OSError, ValueError, KeyError, TypeError, LookupError) as e:
        raise NotAFormError(f"{name}：不是可读取的 Outlook 邮件（{type(e).__name__}）") from e
    try:
        _check_header(msg, name)
        mail = ParsedMail(label=name)
        mail.subject = _text(getattr(msg, "subject", None))
        mail.sender = _text(getattr(msg, "sender", None))[:500] or None
        mail.date = _when(getattr(msg, "date", None))
        mail.message_id = _message_id(_text(getattr(msg, "messageId", None)))
        refs = _text(_header(msg, "References")) + " " + _text(_header(msg, "In-Reply-To"))
        mail.references = [r for r in refs.split() if r.startswith("<")]
        _attachments(msg, mail, depth=0, via=())
        return mail
    finally:
        msg.close()


def _check_header(msg: Any, name: str) -> None:
    """The transport headers an Outlook message carries (the header block of
    the mail it was received as, kept as text) must be under the mail header
    limit, as a MIME message's header block must (counted in UTF-8 bytes)."""
    cap = limits()
    try:
        text = msg.headerText or ""
    except (AttributeError, KeyError, ValueError, TypeError, LookupError):
        return  # no readable transport headers: nothing to measure
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > cap.mail_header_size:
        raise header_too_large(name, size, cap)


def _ansi_codepage(msg: Any) -> str | None:
    def prop(tag: str) -> Any:
        try:
            entry = msg.props.get(tag)
        except (AttributeError, KeyError, ValueError):
            return None
        return getattr(entry, "value", None) if entry is not None else None

    codepage = prop("3FFD0003")  # PR_MESSAGE_CODEPAGE
    if codepage in _WINDOWS_CODEPAGE:
        return _WINDOWS_CODEPAGE[codepage]
    locale = prop("3FF10003")  # PR_MESSAGE_LOCALE_ID
    if locale in _LCID_CODEPAGE:
        return _LCID_CODEPAGE[locale]
    internet = prop("3FDE0003")  # PR_INTERNET_CPID: only a Windows code page helps here
    return _WINDOWS_CODEPAGE.get(internet) if internet else None


def _header(msg: Any, name: str) -> Any:
    try:
        header = msg.header
        return header.get(name) if header is not None else None
    except (AttributeError, KeyError, ValueError, TypeError):
        return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).replace("\x00", "").split())


def _when(value: Any) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _attachments(msg: Any, mail: ParsedMail, depth: int, via: tuple[str, ...]) -> None:
    cap = limits()
    if depth > cap.mail_depth:
        mail.over(cap.message("mail_depth", mail.label, "", "更深的部分未读取（原邮件已保存）"))
        return
    for att in getattr(msg, "attachments", []) or []:
        if len(mail.attachments) >= cap.mail_parts:
            mail.over(cap.message("mail_parts", mail.label, "", "其余未读取（原邮件已保存）"))
            return
        name = _text(getattr(att, "longFilename", None) or getattr(att, "shortFilename", None)
                     or getattr(att, "name", None)) or None
        data = getattr(att, "data", None)
        if isinstance(data, (bytes, bytearray)):
            mail.attachments.append(Attachment(name, bytes(data), _text(getattr(att, "mimetype", None))
                                               or "application/octet-stream",
                                               inline=bool(getattr(att, "hidden", False)),
                                               content_id=_text(getattr(att, "contentId", None)) or None, via=via))
        elif data is not None and hasattr(data, "attachments"):  # an embedded Outlook message
            subject = _text(getattr(data, "subject", None))
            if subject:
                mail.inner_subjects.append(subject)
            _attachments(data, mail, depth + 1, (*via, f"转发的邮件“{subject or name or '无主题'}”"))
        else:
            mail.notes.append(f"附件“{name or '未命名'}”无法读取（Outlook 附件类型不受支持），原邮件已保存")
