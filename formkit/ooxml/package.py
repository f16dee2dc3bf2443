"""Open a returned .docx safely and hand out its XML parts.

Accepts a path, bytes or a binary stream; closes only what it opened.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
from types import TracebackType
from typing import IO, Union

from lxml import etree

from formkit.config import limits
from formkit.errors import NotAFormError
from formkit.ooxml import _sniff, _stream, _zipsafe
from formkit.ooxml._zipsafe import UNREADABLE
from formkit.ooxml._xml import RT_OFFICE_DOCUMENT, RT_PREFIX, RT_STRICT_PREFIX, label, parse_xml, qn

Source = Union[str, os.PathLike, bytes, bytearray, memoryview, IO[bytes]]

# Parts that hold text a person can fill in, in the order they are reported.
STORY_TYPES = ("header", "footer", "footnotes", "endnotes")


def open_package(source: Source) -> "Package":
    """Open `source` as a WordprocessingML package, or raise NotAFormError/UnsafeFileError."""
    return Package(source)


class Package:
    """A checked .docx: zip limits verified, main document located and parseable.

    Parts are read lazily: a stream passed in must stay open while the Package
    is used. `xml()` hands out the cached tree; treat it as read-only.
    """

    def __init__(self, source: Source) -> None:
        self._cache: dict[str, etree._Element] = {}
        self._bytes: dict[str, bytes] = {}  # bytes of parsed parts until simple() has looked at them
        self._simple: dict[str, bool] = {}
        self._scans: dict[str, _stream.Scan | None] = {}
        self._rels: dict[str | None, list[tuple[str, str]]] = {}
        self._stories: list[tuple[str, str]] | None = None
        self.name: str | None  # the file name, for messages (None for bytes)
        self._opened: IO[bytes] | None  # what close() must close
        stream, self.name, self._opened = _stream_of(source)
        try:
            self._zip = self._open_zip(stream)
            self._names = {n.lower(): n for n in self._zip.namelist()}
            self.main_part = self._find_main_part()
            if self.xml(self.main_part).tag != qn("w:document"):
                raise NotAFormError(_damaged(self.name, "正文不是常规的 Word 文档格式，可能是“严格 Open XML”格式"))
        except BaseException:
            self.close()
            raise

    # -- public ---------------------------------------------------------------
    def part_names(self) -> list[str]:
        return list(self._zip.namelist())

    def has_part(self, partname: str) -> bool:
        return _norm(partname).lower() in self._names

    def raw(self, partname: str) -> bytes:
        """The bytes of one part; KeyError when the package has no such part."""
        real = self._names.get(_norm(partname).lower())
        if real is None:
            raise KeyError(partname)
        try:
            return self._zip.read(real)
        except UNREADABLE as e:
            raise NotAFormError(_damaged(self.name, f"{real} 无法解压")) from e

    def xml(self, partname: str) -> etree._Element:
        """The parsed root element of one part (cached); KeyError when missing."""
        key = _norm(partname).lower()
        if key not in self._cache:
            data = self.raw(partname)
            self._cache[key] = parse_xml(data, partname=_norm(partname), filename=self.name)
            if key not in self._simple:
                self._bytes[key] = data  # for simple(), which a parse asks next (dropped on close)
        return self._cache[key]

    def simple(self, partname: str) -> bool:
        """The part holds no tracked changes, fields, alternate content or symbol fonts
        (see formkit/ooxml/_stream.py): its readers may take the fast walk."""
        key = _norm(partname).lower()
        if key not in self._simple:
            root = self.xml(partname)
            data = self._bytes.pop(key, None)  # inflated once: when the tree was parsed
            self._simple[key] = _stream.simple(root, data if data is not None else self.raw(partname))
        return self._simple[key]

    def scan(self, partname: str) -> "_stream.Scan | None":
        """The controls, their text and place, and the fixed text of a `simple()` part,
        read in one walk (cached); None for a part that is not simple."""
        key = _norm(partname).lower()
        if key not in self._scans:
            self._scans[key] = _stream.scan(self.xml(partname)) if self.simple(partname) else None
        return self._scans[key]

    def is_parsed(self, partname: str) -> bool:
        """True when the part's tree is cached: `xml()` of it costs nothing."""
        return _norm(partname).lower() in self._cache

    def relationships(self, partname: str | None = None) -> list[tuple[str, str]]:
        """(type, target partname) of the internal relationships of a part (None: the package)."""
        key = None if partname is None else _norm(partname)  # as given: targets are joined to it
        if key not in self._rels:
            self._rels[key] = self._relationships(partname)
        return list(self._rels[key])

    def _relationships(self, partname: str | None) -> list[tuple[str, str]]:
        base = "" if partname is None else posixpath.dirname(_norm(partname))
        rels_name = "_rels/.rels" if partname is None else posixpath.join(base, "_rels", posixpath.basename(_norm(partname)) + ".rels")
        if not self.has_part(rels_name):
            return []
        out = []
        for rel in self.xml(rels_name).iter(qn("rel:Relationship")):
            target = rel.get("Target")
            if not target or rel.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            rtype = (rel.get("Type") or "").replace(RT_STRICT_PREFIX, RT_PREFIX)
            out.append((rtype, _norm(path)))
        return out

    def story_parts(self) -> list[tuple[str, str]]:
        """(kind, partname) of the main document, then headers, footers, footnotes, endnotes."""
        if self._stories is None:
            self._stories = self._story_parts()
        return list(self._stories)

    def _story_parts(self) -> list[tuple[str, str]]:
        by_kind: dict[str, set[str]] = {kind: set() for kind in STORY_TYPES}
        for rtype, target in self.relationships(self.main_part):
            names = by_kind.get(rtype.rsplit("/", 1)[-1])
            if names is not None and self.has_part(target):
                names.add(target)
        return [("document", self.main_part), *((kind, n) for kind in STORY_TYPES for n in sorted(by_kind[kind]))]

    def custom_properties(self) -> dict[str, str]:
        from formkit.ooxml.properties import read_custom_properties

        return read_custom_properties(self)

    def core_properties(self) -> dict[str, str]:
        from formkit.ooxml.properties import read_core_properties

        return read_core_properties(self)

    def close(self) -> None:
        self._bytes.clear()
        zf = getattr(self, "_zip", None)
        if zf is not None:
            zf.close()
        if self._opened is not None:
            self._opened.close()
            self._opened = None

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- checks ---------------------------------------------------------------
    def _open_zip(self, stream: IO[bytes]) -> zipfile.ZipFile:
        stream.seek(0)
        head = stream.read(8)
        stream.seek(0)
        if not zipfile.is_zipfile(stream):
            raise NotAFormError(_sniff.explain_not_zip(head, stream, self.name))
        stream.seek(0)
        try:
            zf = zipfile.ZipFile(stream)
        except UNREADABLE as e:
            raise NotAFormError(_damaged(self.name, "压缩包结构损坏")) from e
        try:
            _zipsafe.check_limits(zf.infolist(), self.name)
        except BaseException:
            zf.close()
            raise
        return zf

    def _find_main_part(self) -> str:
        try:
            rels = self.relationships(None)
        except NotAFormError:
            rels = []  # a broken package .rels: fall back to the usual name
        for rtype, target in rels:
            if rtype == RT_OFFICE_DOCUMENT and self.has_part(target):
                return self._names[target.lower()]
        if self.has_part("word/document.xml"):
            return self._names["word/document.xml"]
        raise NotAFormError(_sniff.explain_no_document(self._names, self.name))


def _stream_of(source: Source) -> tuple[IO[bytes], str | None, IO[bytes] | None]:
    """(seekable stream, file name for messages, the handle we opened ourselves)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source)), None, None
    if isinstance(source, (str, os.PathLike)):
        name = os.path.basename(os.fspath(source))
        try:
            handle = open(source, "rb")
        except OSError as e:
            raise NotAFormError(f"无法打开文件{label(name)}：{_os_reason(e)}。") from e
        return handle, name, handle
    if not hasattr(source, "read"):
        raise TypeError(f"open_package 需要路径、bytes 或二进制流，而不是 {type(source).__name__}")
    raw_name = getattr(source, "name", None)
    name = os.path.basename(raw_name) if isinstance(raw_name, str) else None
    if hasattr(source, "seekable") and source.seekable():
        return source, name, None
    cap = limits()
    data = source.read(cap.docx_size + 1)
    if len(data) > cap.docx_size:
        raise cap.error("docx_size", label(name), f"大于 {cap.show('docx_size')}", "已拒绝处理")
    return io.BytesIO(data), name, None


def _os_reason(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "找不到该文件"
    if isinstance(e, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(e, PermissionError):
        return "没有读取权限"
    return e.strerror or type(e).__name__


def _norm(partname: str) -> str:
    if partname and "\\" not in partname and "//" not in partname and "/." not in partname \
            and partname[0] not in "/." and partname[-1] != "/":
        return partname  # nothing normpath would change (most names: looked up many times a parse)
    return posixpath.normpath(partname.replace("\\", "/").lstrip("/"))


def _damaged(name: str | None, detail: str) -> str:
    return f"文件已损坏或不是 Word 文档（.docx）：{label(name)}（{detail}）。请用 Word 或 WPS 打开确认后另存为 .docx 再提交。"
