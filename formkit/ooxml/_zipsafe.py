"""Limits that keep a hostile zip (bomb, traversal, ambiguity) from being read.

The limits themselves (members, total size, compression ratio) are settings:
formkit/limits.py, FORMKIT_MAX_DOCX_*."""

from __future__ import annotations

import zipfile
import zlib

from formkit.config import limits
from formkit.errors import UnsafeFileError
from formkit.ooxml._xml import label

RATIO_FLOOR = 1024 * 1024  # the compression ratio is checked for members larger than this

# What zipfile raises for damaged, encrypted or exotic members.
UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError)


def check_limits(infos: list[zipfile.ZipInfo], name: str | None) -> None:
    """Raise UnsafeFileError for too many members, bombs, traversal or duplicate names."""
    cap = limits()
    if len(infos) > cap.docx_parts:
        raise cap.error("docx_parts", label(name), f"包含 {len(infos)} 个部件", "可能是恶意构造的文件，已拒绝处理",
                        len(infos))
    total = 0
    seen: set[str] = set()
    for info in infos:
        member = info.filename
        parts = member.replace("\\", "/").split("/")
        if member.startswith(("/", "\\")) or ".." in parts or (len(member) > 1 and member[1] == ":"):
            raise UnsafeFileError(f"{label(name)}包含可疑的部件路径（{member[:80]}），已拒绝处理。")
        if member.lower() in seen:
            raise UnsafeFileError(f"{label(name)}包含重复的部件（{member[:80]}），已拒绝处理。")
        seen.add(member.lower())
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > cap.docx_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise cap.error("docx_ratio", label(name), f"部件 {member[:80]} 的压缩比为 {ratio:.0f} 倍",
                            "疑似“压缩炸弹”，已拒绝处理", ratio)
    if total > cap.docx_size:
        raise cap.error("docx_size", label(name), f"解压后共 {cap.show('docx_size', total)}",
                        "疑似“压缩炸弹”，已拒绝处理", total)
