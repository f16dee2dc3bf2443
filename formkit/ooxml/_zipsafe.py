"""Limits that keep a hostile zip (bomb, traversal, ambiguity) from being read."""

from __future__ import annotations

import zipfile
import zlib

from formkit.errors import UnsafeFileError
from formkit.ooxml._xml import label

MAX_MEMBERS = 5000
MAX_TOTAL_UNCOMPRESSED = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, checked for members above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024

# What zipfile raises for damaged, encrypted or exotic members.
UNREADABLE = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError)


def check_limits(infos: list[zipfile.ZipInfo], name: str | None) -> None:
    """Raise UnsafeFileError for too many members, bombs, traversal or duplicate names."""
    if len(infos) > MAX_MEMBERS:
        raise UnsafeFileError(f"{label(name)}包含 {len(infos)} 个部件，超过上限 {MAX_MEMBERS}，可能是恶意构造的文件，已拒绝处理。")
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
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeFileError(f"{label(name)}的部件 {member[:80]} 压缩比异常（疑似“压缩炸弹”），已拒绝处理。")
    if total > MAX_TOTAL_UNCOMPRESSED:
        mib = MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)
        raise UnsafeFileError(f"{label(name)}解压后超过 {mib} MiB（疑似“压缩炸弹”），已拒绝处理。")
