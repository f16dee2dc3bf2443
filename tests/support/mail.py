"""Build mail messages for the intake tests, byte by byte, the way real
clients (Outlook, Foxmail, web mail) write them, broken encodings included."""

from __future__ import annotations

import base64
import io
import mailbox
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from email.utils import format_datetime
from datetime import datetime, timezone
from typing import Any

from formkit import ooxml
from formkit.forms import get_form
from formkit.render.render import control_values, render_form
from tests.support.data import sample

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def filled_form(form: str, project: str = "anfang", *, identity: bool = True, **changes: Any) -> bytes:
    """A returned form: rendered for the project (its code in the document's
    identity), or a blank form filled in by someone who left 项目代号 empty
    (the document names no project)."""
    data = sample(project, form) | changes
    spec = get_form(form)
    if identity:
        return render_form(spec, data).content
    data.pop("project_code", None)
    blank = render_form(spec, None).content
    return ooxml.fill_controls(blank, control_values(spec.model, data))


@dataclass
class Part:
    """One MIME leaf: ``headers`` are written exactly as given (bytes allowed)."""

    body: bytes
    headers: list[tuple[str, str | bytes]] = field(default_factory=list)
    encode: bool = True  # base64 the body (and say so)


def attachment(name: str, data: bytes, ctype: str = "application/octet-stream", *,
               disposition: str = "attachment", content_id: str | None = None) -> Part:
    """An attachment with a plain (ASCII or raw UTF-8) quoted file name."""
    headers: list[tuple[str, str | bytes]] = [("Content-Type", f'{ctype}; name="{name}"'),
                                               ("Content-Disposition", f'{disposition}; filename="{name}"')]
    if content_id:
        headers.append(("Content-ID", f"<{content_id}>"))
    return Part(data, headers)


def text_part(text: str, charset: str = "utf-8") -> Part:
    return Part(text.encode(charset), [("Content-Type", f"text/plain; charset={charset}")])


def message(subject: str | bytes, parts: list[Part], *, sender: str = "张工 <zhang@example.com>",
            message_id: str | None = "<auto>", date: datetime | None = None,
            headers: list[tuple[str, str | bytes]] = (), boundary: str = "==formkit-test==") -> bytes:
    """A multipart/mixed message. ``subject`` as bytes is written raw (8-bit)."""
    date = date or datetime(2026, 8, 29, 9, 30, tzinfo=timezone.utc)
    top: list[tuple[str, str | bytes]] = [("From", sender), ("To", "项目部 <pm@example.com>"),
                                          ("Subject", subject), ("Date", format_datetime(date))]
    if message_id == "<auto>":
        message_id = f"<{abs(hash((subject, len(parts), date))) % 10**12}.test@example.com>"
    if message_id:
        top.append(("Message-ID", message_id))
    top += list(headers)
    top += [("MIME-Version", "1.0"), ("Content-Type", f'multipart/mixed; boundary="{boundary}"')]
    out = io.BytesIO()
    _headers(out, top)
    out.write(b"\r\n")
    for part in [text_part("您好，附件是填好的表单，请查收。"), *parts]:
        out.write(f"--{boundary}\r\n".encode())
        write_part(out, part)
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue()


def write_part(out: io.BytesIO, part: Part) -> None:
    headers = list(part.headers)
    if part.encode:
        headers.append(("Content-Transfer-Encoding", "base64"))
    _headers(out, headers)
    out.write(b"\r\n")
    if part.encode:
        out.write(base64.encodebytes(part.body).replace(b"\n", b"\r\n"))
    else:
        out.write(part.body if part.body.endswith(b"\n") else part.body + b"\r\n")


def _headers(out: io.BytesIO, headers: list[tuple[str, str | bytes]]) -> None:
    for name, value in headers:
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        out.write(name.encode() + b": " + raw + b"\r\n")


def forwarded(inner: bytes, *, base64_encoded: bool = False, name: str | None = None) -> Part:
    """A forwarded message as a message/rfc822 part (base64-encoded the way
    SwiftMailer and GroupWise send it, when asked)."""
    headers: list[tuple[str, str | bytes]] = [("Content-Type", "message/rfc822")]
    if name:
        headers.append(("Content-Disposition", f'attachment; filename="{name}"'))
    return Part(inner, headers, encode=base64_encoded)


class _GbkName(zipfile.ZipInfo):
    """A member whose name is written as GBK bytes with flag bit 11 unset."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's own hook for the name bytes
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def zip_of(members: dict[str, bytes], *, gbk_names: bool = False) -> bytes:
    """A zip; with ``gbk_names`` the member names are GBK bytes with the UTF-8
    flag unset, as Windows' built-in zip and WinRAR write them on Chinese Windows."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = _GbkName(name) if gbk_names else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def zip_bomb(size: int = 300 * 1024 * 1024) -> bytes:
    """A small zip that claims and holds ``size`` bytes of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("报价单.docx", "w", force_zip64=True) as f:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                f.write(chunk)
    return buf.getvalue()


def write_mbox(path: Path, raws: list[bytes]) -> Path:
    """An mbox at ``path`` holding the messages ``raws``, in that order."""
    box = mailbox.mbox(str(path))
    for raw in raws:
        box.add(raw)
    box.flush()
    box.close()
    return path


def write_maildir(path: Path, raws: list[bytes]) -> Path:
    """A Maildir at ``path`` holding the messages ``raws``."""
    box = mailbox.Maildir(str(path), create=True)
    for raw in raws:
        box.add(raw)
    return path
