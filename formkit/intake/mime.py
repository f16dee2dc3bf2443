"""One RFC 822/MIME message (bytes) -> a ParsedMail: decoded headers and attachments.

Built on ``email`` with the compat32 policy (fast, lenient, keeps raw header
bytes), with the fixes real mail needs (shared/corpus/EMAIL_NOTES.md):
header blocks cut short by an illegal line are repaired and parsed again;
``message/rfc822`` parts sent base64- or QP-encoded are decoded first; names
come from ``filename`` before ``name``, in every broken encoding clients use;
inline parts count (an inline PDF is still an attachment).
"""

from __future__ import annotations

import base64
import binascii
import email
import email.errors
import email.utils
import quopri
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import Message
from email.policy import compat32

from formkit.config import limits
from formkit.errors import LimitError
from formkit.intake.decode import decode_header, decode_param
from formkit.limits import Limits


@dataclass
class Attachment:
    """One file carried by a message (or by an archive or TNEF inside it)."""

    name: str | None
    data: bytes
    content_type: str = "application/octet-stream"
    inline: bool = False
    content_id: str | None = None
    size: int = 0               # the real size, also when ``data`` was dropped as too large
    via: tuple[str, ...] = ()   # containers it came out of: forwarded mail, zip, winmail.dat

    def __post_init__(self) -> None:
        self.size = self.size or len(self.data)


@dataclass
class ParsedMail:
    subject: str = ""
    sender: str | None = None
    date: datetime | None = None
    message_id: str | None = None
    references: list[str] = field(default_factory=list)
    charset: str | None = None  # the body's charset: a hint for unlabelled 8-bit headers
    attachments: list[Attachment] = field(default_factory=list)
    inner_subjects: list[str] = field(default_factory=list)  # subjects of forwarded messages
    notes: list[str] = field(default_factory=list)
    label: str = "邮件"  # what to call the message in notes: its file, "收件箱.mbox 第 12 封"
    over_limits: list[str] = field(default_factory=list)  # a limit (formkit.limits) cut the reading short: why

    def over(self, message: str) -> None:
        """A limit stopped part of the reading: say so once, in the notes too."""
        if message not in self.over_limits:
            self.over_limits.append(message)
            self.notes.append(message)


def parse_mime(raw: bytes, label: str = "邮件") -> ParsedMail:
    """Parse one message; LimitError when its header block is over the limit
    (nothing can be read from it then: the caller keeps the raw message)."""
    cap = limits()
    _check_header(raw, label, cap)
    msg = _parse(raw)
    hint = _body_charset(msg)
    mail = ParsedMail(charset=hint, label=label)
    mail.subject = decode_header(_raw_header(msg, "subject"), hint=hint)
    mail.sender = _address(_raw_header(msg, "from") or _raw_header(msg, "sender"), hint)
    mail.date = _date(_raw_header(msg, "date"))
    mail.message_id = _message_id(_raw_header(msg, "message-id"))
    refs = f"{_raw_header(msg, 'in-reply-to') or ''} {_raw_header(msg, 'references') or ''}"
    mail.references = list(dict.fromkeys(re.findall(r"<[^<>\s]{1,490}>", refs)))
    if not msg.keys():
        mail.notes.append("邮件没有可识别的信头（格式有误）")
    _walk(msg, mail, hint, depth=0, via=(), cap=cap)
    return mail


def _check_header(raw: bytes, label: str, cap: Limits) -> None:
    """The header block (up to the first blank line) must be under the limit."""
    most = cap.mail_header_size
    ends = [at for at in (raw.find(b"\n\n", 0, most + 2), raw.find(b"\n\r\n", 0, most + 3)) if at >= 0]
    if ends or len(raw) <= most:
        return
    ends = [at for at in (raw.find(b"\n\n"), raw.find(b"\n\r\n")) if at >= 0]
    raise header_too_large(label, min(ends) + 1 if ends else len(raw), cap)


def header_too_large(label: str, size: int, cap: Limits) -> LimitError:
    """The error of a message whose header block (``size`` bytes) is over the limit."""
    return cap.error("mail_header_size", label, f"邮件信头有 {cap.show('mail_header_size', size)}",
                     "未解析（原邮件已保存，待人工处理）", size)


def _parse(raw: bytes) -> Message:
    msg = email.message_from_bytes(raw, policy=compat32)
    if _has_defect(msg, email.errors.MissingHeaderBodySeparatorDefect):
        msg = email.message_from_bytes(repair_headers(raw), policy=compat32)
    return msg


def _has_defect(msg: Message, kind: type) -> bool:
    return any(isinstance(d, kind) for part in msg.walk() for d in part.defects)


_HEADER_LINE = re.compile(rb"^(?:[\x21-\x39\x3b-\x7e]+:|[ \t]|From )")
_BOUNDARY = re.compile(rb'(?i)boundary\s*=\s*"?([^";\r\n]+)"?')
_EMBEDDED = re.compile(rb"(?im)^content-type:\s*message/(?:rfc822|global)")
_ENCODED_BODY = re.compile(rb"(?im)^content-transfer-encoding:\s*(?:base64|quoted-printable)")


def repair_headers(raw: bytes) -> bytes:
    """Fold illegal lines inside header blocks into the header above them.

    The stdlib parser ends a header block at the first line that is not a
    header (an Exchange fold without leading space, ``X-Script/<TAB>…:``), so
    every header after it (Content-Type!) is lost. Header blocks are found
    the way MIME nests them: the message start, after each boundary line,
    and after the headers of an embedded message/rfc822.
    """
    out: list[bytes] = []
    block: list[bytes] = []
    boundaries: set[bytes] = set()
    in_headers = True
    for line in raw.splitlines(keepends=True):
        bare = line.rstrip(b"\r\n")
        if in_headers:
            if not bare:
                text = b"".join(block)
                boundaries.update(b.strip() for b in _BOUNDARY.findall(text))
                in_headers = bool(_EMBEDDED.search(text)) and not _ENCODED_BODY.search(text)
                block = []
            else:
                if block and not _HEADER_LINE.match(line):
                    line = b" " + line.lstrip()
                block.append(line)
        elif bare.startswith(b"--") and bare[2:].rstrip() in boundaries:
            in_headers, block = True, []
        out.append(line)
    return b"".join(out)


def _raw_header(msg: Message, name: str) -> str | None:
    for key, value in msg.raw_items():
        if key.lower() == name:
            return value
    return None


def _body_charset(msg: Message) -> str | None:
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            charset = part.get_param("charset")
            if isinstance(charset, str) and charset.lower() not in ("us-ascii", "ascii"):
                return charset
    return None


def _address(value: str | None, hint: str | None) -> str | None:
    if not value:
        return None
    name, addr = email.utils.parseaddr(value)
    if not addr or "=?" in addr or not addr.isascii():
        return decode_header(value, hint=hint)[:500] or None
    name = decode_header(name, hint=hint) if name else ""
    return (f"{name} <{addr}>" if name and addr else name or addr)[:500]


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(str(value).strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _message_id(value: str | None) -> str | None:
    if not value:
        return None
    text = re.sub(r"\s+", "", str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    found = re.search(r"<[^<>]+>", text)
    text = found.group(0) if found else text
    return text if 3 <= len(text) <= 500 else None


def _walk(part: Message, mail: ParsedMail, hint: str | None, depth: int, via: tuple[str, ...],
          cap: Limits) -> None:
    if depth > cap.mail_depth:
        mail.over(cap.message("mail_depth", mail.label, "", "更深的部分未读取（原邮件已保存）"))
        return
    ctype = part.get_content_type()
    if ctype in ("message/rfc822", "message/global"):
        inner = _embedded(part)
        if inner is None:
            return
        subject = decode_header(_raw_header(inner, "subject"), hint=hint)
        if subject:
            mail.inner_subjects.append(subject)
        _walk(inner, mail, hint, depth + 1, (*via, f"转发的邮件“{subject or '无主题'}”"), cap)
        return
    if part.is_multipart():
        payload = part.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            _walk(sub, mail, hint, depth + 1, via, cap)
        return
    if ctype.startswith("multipart/") or ctype.startswith("message/"):
        return  # a multipart with no parts (no boundary), a delivery status: text
    name = _filename(part, hint)
    disposition = part.get_content_disposition()
    if part.get_content_maintype() == "text" and not name and disposition != "attachment":
        return  # the body
    if len(mail.attachments) >= cap.mail_parts:
        mail.over(cap.message("mail_parts", mail.label, "", "其余未读取（原邮件已保存）"))
        return
    data = part.get_payload(decode=True) or b""
    cid = part.get("content-id")
    mail.attachments.append(Attachment(name, data, ctype, inline=disposition == "inline",
                                       content_id=str(cid).strip() if cid else None, via=via))


def _embedded(part: Message) -> Message | None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding in ("base64", "quoted-printable"):
        # Not allowed by RFC 2046, but SwiftMailer and GroupWise do it: the
        # parser took the encoded text for a message; decode it, then parse.
        text = inner.as_bytes() if isinstance(inner, Message) else str(payload or "").encode("ascii", "replace")
        if isinstance(inner, Message) and not inner.keys():
            body = inner.get_payload()
            text = body.encode("ascii", "surrogateescape") if isinstance(body, str) else text
        data = _b64(text) if encoding == "base64" else quopri.decodestring(text)
        return email.message_from_bytes(data, policy=compat32) if data else None
    return inner if isinstance(inner, Message) else None


def _b64(text: bytes) -> bytes:
    cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", text)
    cleaned = cleaned[: len(cleaned) - len(cleaned) % 4]
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return b""


def _filename(part: Message, hint: str | None) -> str | None:
    """``filename`` (Content-Disposition) before ``name`` (Content-Type)."""
    for param, header in (("filename", "content-disposition"), ("name", "content-type")):
        raw = _raw_header(part, header)
        if raw is None:
            continue
        if raw.isascii():
            value = part.get_param(param, header=header)
            if value is None or (isinstance(value, str) and value.startswith("=") and not value.startswith("=?")):
                value = _loose_param(raw, param) or value
        else:  # raw 8-bit bytes: the parser would replace them with U+FFFD
            value = _loose_param(raw, param)
        name = decode_param(value, hint=hint)
        if name:
            return name
    return None


_PARAM = r'(?i)(?:^|;)\s*{}\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)'


def _loose_param(raw: str, param: str) -> str | None:
    """A parameter read straight from the raw header: unquoted encoded-words
    (``name==?utf-8?B?...?=``) and raw 8-bit names, which the parser loses."""
    found = re.search(_PARAM.format(re.escape(param)), raw.replace("\r", "").replace("\n", ""))
    if not found:
        return None
    value = found.group(1).strip()
    return value or None
