"""Containers found in mail: .zip archives and winmail.dat (TNEF).

Everything stays in memory: a member's name is only ever a label, never a
path, so ``../../x.docx`` inside a zip cannot write anywhere. Zip limits
(members, total size, compression ratio, one member's size; settings
FORMKIT_MAX_ZIP_*, formkit/limits.py) stop bombs before anything is
decompressed; the read itself is bounded too, in case a header lies about
the size.

RAR: no maintained pure-Python RAR decompressor exists (rarfile and
libarchive call external programs or C libraries), so a .rar is kept as an
original and held for review, saying so.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from formkit.config import limits
from formkit.intake.decode import decode_bytes
from formkit.limits import Limits

RATIO_FLOOR = 1024 * 1024  # the compression ratio is checked for members larger than this

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
RAR_MAGIC = b"Rar!\x1a\x07"
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
TNEF_MAGIC = b"\x78\x9f\x3e\x22"

_UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError,
               struct.error)


class ArchiveRefused(ValueError):
    """An archive that must not be opened (bomb, too many members): the message says why."""


@dataclass
class Member:
    name: str
    data: bytes


@dataclass
class Expanded:
    members: list[Member] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # members that could not be read, and why
    encrypted: list[str] = field(default_factory=list)


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: UTF-8 when flagged (bit 11) or in the Info-ZIP
    Unicode Path extra field; else the raw bytes as UTF-8, then GB18030
    (Chinese Windows writes GBK names with no flag), then as zipfile read them."""
    if info.flag_bits & 0x800:
        return info.filename
    unicode_path = _unicode_path_extra(info.extra)
    if unicode_path:
        return unicode_path
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    return decode_bytes(raw, "utf-8") if _valid_utf8(raw) else decode_bytes(raw, "gb18030")


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _unicode_path_extra(extra: bytes) -> str | None:
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4:pos + 4 + size]
        if tag == 0x7075 and len(body) > 5 and body[0] == 1:
            try:
                return body[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
        pos += 4 + size
    return None


def expand_zip(data: bytes, label: str) -> Expanded:
    """The files inside a zip, in memory. Raises ArchiveRefused for a bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _UNREADABLE as e:
        raise ArchiveRefused(f"压缩包“{label}”已损坏，无法打开（{type(e).__name__}）") from e
    cap = limits()
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        _check_limits(infos, label, cap)
        out = Expanded()
        for info in infos:
            name = member_name(info)
            if info.flag_bits & 0x1:
                out.encrypted.append(name)
                continue
            try:
                with archive.open(info) as stream:
                    content = stream.read(cap.zip_member_size + 1)
            except _UNREADABLE as e:
                out.problems.append(f"压缩包“{label}”中的“{name}”无法解压（{type(e).__name__}）")
                continue
            if len(content) > cap.zip_member_size:
                raise ArchiveRefused(cap.message("zip_member_size", f"压缩包“{label}”",
                                                 f"其中的“{name[:80]}”解压后大于 {cap.show('zip_member_size')}",
                                                 "疑似“压缩炸弹”，已拒绝解压", len(content)))
            out.members.append(Member(name, content))
        return out


def _check_limits(infos: list[zipfile.ZipInfo], label: str, cap: Limits) -> None:
    file = f"压缩包“{label}”"
    if len(infos) > cap.zip_files:
        raise ArchiveRefused(cap.message("zip_files", file, f"包含 {len(infos)} 个文件", "已拒绝解压", len(infos)))
    total = 0
    for info in infos:
        total += info.file_size
        member = member_name(info)[:80]
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > cap.zip_ratio:
            raise ArchiveRefused(cap.message("zip_ratio", file, f"其中的“{member}”压缩比为 {ratio:.0f} 倍",
                                             "疑似“压缩炸弹”，已拒绝解压", ratio))
        if info.file_size > cap.zip_member_size:
            raise ArchiveRefused(cap.message(
                "zip_member_size", file, f"其中的“{member}”解压后有 {cap.show('zip_member_size', info.file_size)}",
                "疑似“压缩炸弹”，已拒绝解压", info.file_size))
    if total > cap.zip_size:
        raise ArchiveRefused(cap.message("zip_size", file, f"解压后共 {cap.show('zip_size', total)}",
                                         "疑似“压缩炸弹”，已拒绝解压", total))


def is_tnef(data: bytes, name: str | None, content_type: str) -> bool:
    return (data.startswith(TNEF_MAGIC) or content_type in ("application/ms-tnef", "application/vnd.ms-tnef")
            or (name or "").lower() == "winmail.dat")


def expand_tnef(data: bytes, label: str) -> Expanded:
    """The files inside a winmail.dat (Outlook's TNEF), with tnefparse."""
    try:
        import tnefparse
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise ArchiveRefused("读取 winmail.dat 需要 tnefparse：pip install tnefparse") from e
    import logging

    logging.getLogger("tnefparse").setLevel(logging.CRITICAL)
    try:
        tnef = tnefparse.TNEF(data)
    except (ValueError, KeyError, IndexError, struct.error, TypeError, UnicodeError) as e:
        raise ArchiveRefused(f"“{label}”不是可读取的 winmail.dat（TNEF）：{type(e).__name__}") from e
    out = Expanded()
    for n, att in enumerate(tnef.attachments, 1):
        try:
            name = att.long_filename() or att.name or f"附件{n}"
        except (UnicodeError, AttributeError, TypeError):
            name = f"附件{n}"
        content = att.data if isinstance(att.data, (bytes, bytearray)) else b""
        if isinstance(name, bytes):
            name = decode_bytes(name)
        out.members.append(Member(str(name).replace("\x00", "").strip() or f"附件{n}", bytes(content)))
    return out
