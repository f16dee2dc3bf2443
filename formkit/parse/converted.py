"""Old and foreign word-processor files, read through LibreOffice.

A Word 97-2003 document (.doc, also what WPS saves as .wps or .doc), an RTF
file or an OpenDocument text (.odt) is converted to .docx by LibreOffice 24
or newer (formkit.office: headless, private profile, macros never run) in a
temporary folder, then read by the .docx reader. The Word 97 format has no
content controls: the values of a formkit form saved as .doc come back through
the label and table reading of a stripped .docx. The parsed form says so in a
notice and in each value's source.

Starting LibreOffice is the slow part (~1.5 s, then ~0.3 s a file): an import
run converts all its files in one call first (``prepare``); ``parse_converted``
then finds the result in a small in-process cache, or converts the one file.

The file's kind is told by its content: an OLE compound file with a
``WordDocument`` stream that is not encrypted, ``{\\rtf``, or a zip whose first
member says ``application/vnd.oasis.opendocument.text``. A password (an
encrypted .doc, or a .docx saved with a password, which is an OLE file too)
and a damaged compound file are refused with a message at once, without
starting LibreOffice.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

from formkit.errors import NeedsOfficeError, NotAFormError, OfficeError
from formkit.ooxml._xml import label
from formkit.parse.values import ParsedForm

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT = b"mimetypeapplication/vnd.oasis.opendocument.text"
CONVERTED = "LibreOffice 转换"
# kind -> (what it is, its usual extension)
KINDS = {"doc": ("旧版 Word 97-2003 文档", ".doc"), "rtf": ("RTF 文档", ".rtf"),
         "odt": ("OpenDocument 文本文档", ".odt")}
_SUFFIXES = {"doc": (".doc", ".dot", ".wps"), "rtf": (".rtf",), "odt": (".odt",)}
_SAVE_AS = "也可请发件人在 Word 或 WPS 中“另存为”Word 文档（.docx）后重新提交"
_CACHE_BYTES = 64 * 1024 * 1024
_lock = threading.Lock()
_ready: OrderedDict[str, bytes | str] = OrderedDict()  # sha256 -> .docx bytes, or why it failed


def timeout_per_file() -> float:
    """Seconds LibreOffice may take for one file (FORMKIT_MAX_CONVERT_SECONDS, default 60)."""
    from formkit.config import limits

    return limits().convert_seconds


def kind_of(data: bytes) -> str | None:
    """"doc", "rtf" or "odt" for a file to convert; "encrypted" or "damaged"
    for an OLE file that cannot be; None for anything else (a .docx, a PDF,
    an OLE file that is not a Word document: the other readers say what it is)."""
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    if data.lstrip(b"\xef\xbb\xbf")[:5] == b"{\\rtf":
        return "rtf"
    if data.startswith(b"PK\x03\x04") and data[30:30 + len(_ODT)] == _ODT:
        return "odt"
    return None


def _ole_kind(data: bytes) -> str | None:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
                return "encrypted"  # a .docx/.docm saved with a password
            if not ole.exists("WordDocument"):
                return None
            fib = ole.openstream("WordDocument").read(12)
    except (OSError, ValueError, IndexError, KeyError, TypeError, EOFError, OverflowError, struct.error):
        return "damaged"  # olefile raises these for a truncated or mangled compound file
    if len(fib) < 12 or fib[:2] not in (b"\xec\xa5", b"\xdc\xa5"):  # wIdent of Word 97+ / Word 6-95
        return "damaged"
    return "encrypted" if struct.unpack_from("<H", fib, 10)[0] & 0x0100 else "doc"  # FIB fEncrypted


def _what(kind: str, name: str) -> tuple[str, str]:
    """(what the file is, the extension to name) for messages."""
    what, ext = KINDS[kind]
    suffix = Path(name).suffix.lower()
    return what, suffix if suffix in _SUFFIXES[kind] else ext


def refusal(kind: str, name: str) -> str | None:
    """The message for a file that is refused without converting, else None."""
    who = label(name)
    if kind == "encrypted":
        return f"{who}设置了打开密码，无法读取：请在 Word 或 WPS 中取消密码，另存为 .docx 后重新提交。"
    if kind == "damaged":
        return (f"文件已损坏：{who}是旧版 Office 文件（如 Word 97-2003 .doc），但其内部结构无法读取，"
                f"请发件人在 Word 或 WPS 中打开确认，另存为 Word 文档（.docx）后重新提交。")
    return None


def prepare(items: Iterable[Path | bytes], *, wanted: Callable[[str], bool] | None = None) -> int:
    """Convert every convertible file among ``items`` (paths or contents) in
    one LibreOffice call and keep the results for ``parse_converted``.
    ``wanted(sha256)`` skips files that need no reading (imported before).
    Returns how many were converted; does nothing when LibreOffice is missing
    (each file then says so when it is read)."""
    todo: dict[str, tuple[bytes, str]] = {}
    for item in items:
        data = _read(item) if isinstance(item, Path) else item
        if data is None or not _maybe(data[:len(_ODT) + 30]) or len(data) > _CACHE_BYTES // 4:
            continue
        kind = kind_of(data)
        sha = hashlib.sha256(data).hexdigest()
        with _lock:
            known = sha in _ready
        if kind in KINDS and not known and sha not in todo and (wanted is None or wanted(sha)):
            todo[sha] = (data, kind)
    if len(todo) < 2:
        return 0  # one file is converted when it is read: no gain in doing it now
    try:
        results = _convert(todo)
    except OfficeError:
        return 0
    for sha, result in results.items():
        _remember(sha, result)
    return sum(isinstance(r, bytes) for r in results.values())


def _read(path: Path) -> bytes | None:
    """A file's content when its first bytes say it may need converting."""
    try:
        with path.open("rb") as f:
            head = f.read(len(_ODT) + 30)
            if not _maybe(head) or os.fstat(f.fileno()).st_size > _CACHE_BYTES // 4:
                return None
            return head + f.read()
    except OSError:
        return None


def _maybe(head: bytes) -> bool:
    return head.startswith((OLE_MAGIC, b"{\\rtf", b"\xef\xbb\xbf{\\rtf")) or head[30:] == _ODT


def parse_converted(data: bytes, kind: str, name: str, form: str | None = None) -> ParsedForm:
    """Convert a .doc/.rtf/.odt with LibreOffice and read it as a .docx.
    NotAFormError with a message naming the file and what to do otherwise."""
    from formkit.parse.docx import LOST_CONTROLS, parse_docx

    refused = refusal(kind, name)
    if refused:
        raise NotAFormError(refused)
    what, ext = _what(kind, name)
    who = label(name)
    sha = hashlib.sha256(data).hexdigest()
    with _lock:
        result = _ready.pop(sha, None)
    if result is None:
        try:
            result = _convert({sha: (data, kind)})[sha]
        except OfficeError as e:
            raise NeedsOfficeError(f"{who}是{what}（{ext}），formkit 可以用 LibreOffice 自动转换读取，"
                                   f"但本机无法使用 LibreOffice（{e}）。安装 LibreOffice 25.2 后重新导入该文件即可；"
                                   f"{_SAVE_AS}") from e
    if isinstance(result, str):
        raise NotAFormError(f"{who}是{what}（{ext}），但 LibreOffice 未能把它转换为 .docx（{result}），"
                            f"文件可能已损坏或设置了密码：请发件人在 Word 或 WPS 中打开确认，另存为 Word 文档（.docx）"
                            f"后重新提交。")
    try:
        parsed = parse_docx(result, form, name=name)
    except NotAFormError as e:
        raise NotAFormError(f"{e}（此文件是{what}，已由 LibreOffice 转换为 .docx 后读取）") from e
    by_labels = LOST_CONTROLS in parsed.notices
    note = f"由 LibreOffice 从 {ext}（{what}）转换为 .docx 后读取"
    if by_labels:
        note += f"：{ext} 格式不保留填写框（内容控件），已按标签和表格结构读取，请核对"
    parsed.notices = [note, *(n for n in parsed.notices if n != LOST_CONTROLS)]
    parsed.sources = {path: f"{how}（{CONVERTED}）" for path, how in parsed.sources.items()}
    return parsed


def _convert(todo: dict[str, tuple[bytes, str]]) -> dict[str, bytes | str]:
    """sha256 -> .docx bytes, or why LibreOffice could not convert it. One
    soffice call for all; when that call fails as a whole (timeout, crash),
    each file once more on its own so one bad file does not sink the rest.
    OfficeError when LibreOffice is missing or too old."""
    from formkit import office

    office.find_soffice()
    per_file = timeout_per_file()
    out: dict[str, bytes | str] = {}
    with tempfile.TemporaryDirectory(prefix="formkit-convert-") as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        paths: dict[str, Path] = {}
        for n, (sha, (data, kind)) in enumerate(todo.items()):
            paths[sha] = inputs / f"{n}{KINDS[kind][1]}"
            paths[sha].write_bytes(data)
        pending = list(paths)
        if len(pending) > 1:
            try:
                _collect(out, paths, pending, Path(tmp) / "all", per_file + 10 * (len(pending) - 1))
                pending = []
            except OfficeError:
                pass  # one file hung or crashed LibreOffice: try each on its own
        for n, sha in enumerate(pending):
            try:
                _collect(out, paths, [sha], Path(tmp) / f"one{n}", per_file)
            except OfficeError as e:
                out[sha] = str(e)
                if "超时" in out[sha]:  # say how to give it longer
                    out[sha] += f"；如该文件确实需要更长时间，请设置环境变量 FORMKIT_MAX_CONVERT_SECONDS（现为 {per_file:g} 秒）"
    return out


def _collect(out: dict[str, bytes | str], paths: dict[str, Path], shas: list[str], outdir: Path,
             timeout: float) -> None:
    from formkit import office

    targets = office.convert([paths[s] for s in shas], "docx", outdir, timeout=timeout, strict=False)
    for sha, target in zip(shas, targets):
        out[sha] = target.read_bytes() if target.is_file() else "LibreOffice 无法打开该文件"


def _remember(sha: str, result: bytes | str) -> None:
    with _lock:
        _ready[sha] = result
        while sum(len(r) for r in _ready.values()) > _CACHE_BYTES or len(_ready) > 512:
            _ready.popitem(last=False)


__all__ = ["CONVERTED", "KINDS", "kind_of", "parse_converted", "prepare", "refusal", "timeout_per_file"]
