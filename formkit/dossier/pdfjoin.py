"""Join PDF files into one, streaming: memory bounded by the largest single stream.

pikepdf (qpdf) reads the sources; objects are written here, renumbered, one at
a time, each stream's raw (still compressed, never re-encoded) bytes read from
its source as it is written. pikepdf's own page copying cannot be used for
this: it copies every foreign stream into memory at once (pikepdf asks qpdf
for immediate copies), which for 50 MB of scans means 50 MB and more held
until the file is saved.

A page keeps everything it uses (resources, annotations, the pages its links
point to) and gets the joined document's page tree as parent, with the
attributes it inherited from its old tree written into it. The first source
gives the document its catalog entries (structure tree, named destinations,
viewer preferences, language, metadata, open action) and its Info; the
outline is written anew from the sources' outlines and the extra bookmarks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
CATALOG_KEYS = ("/Names", "/Dests", "/ViewerPreferences", "/Lang", "/MarkInfo", "/StructTreeRoot", "/Metadata",
                "/OpenAction")


@dataclass
class Mark:
    """A bookmark: its title, where it leads (serialized destination or action), children."""

    title: str
    dest: bytes | None = None
    action: bytes | None = None
    children: list[Mark] = field(default_factory=list)


class _Out:
    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.offsets: dict[int, int] = {}
        self.count = 0
        f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def alloc(self) -> int:
        self.count += 1
        return self.count

    def obj(self, num: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[num] = self.f.tell()
        self.f.write(b"%d 0 obj\n" % num)
        self.f.write(body)
        if stream is not None:
            self.f.write(b"\nstream\n")
            self.f.write(stream)
            self.f.write(b"\nendstream")
        self.f.write(b"\nendobj\n")

    def finish(self, root: int, info: int | None) -> None:
        missing = [n for n in range(1, self.count + 1) if n not in self.offsets]
        if missing:
            raise RuntimeError(f"objects allocated but never written: {missing[:5]}")
        start = self.f.tell()
        lines = [b"xref\n0 %d\n0000000000 65535 f \n" % (self.count + 1)]
        lines += [b"%010d 00000 n \n" % self.offsets[n] for n in range(1, self.count + 1)]
        self.f.write(b"".join(lines))
        ident = os.urandom(16).hex().encode()
        info_ref = b" /Info %d 0 R" % info if info else b""
        self.f.write(b"trailer\n<< /Size %d /Root %d 0 R%s /ID [<%s><%s>] >>\nstartxref\n%d\n%%%%EOF\n"
                     % (self.count + 1, root, info_ref, ident, ident, start))


class _Copier:
    """Copies objects of one source document, renumbered into the output."""

    def __init__(self, out: _Out, pages_node: int) -> None:
        self.out = out
        self.pages_node = pages_node
        self.numbers: dict[tuple[int, int], int] = {}
        self.queue: list[Any] = []

    def ref(self, obj: Any) -> int:
        if isinstance(obj, Dictionary) and obj.get("/Type") == Name.Pages:
            return self.pages_node  # never drag a source's page tree along
        key = obj.objgen
        if key not in self.numbers:
            self.numbers[key] = self.out.alloc()
            self.queue.append(obj)
        return self.numbers[key]

    def value(self, obj: Any, *, top: bool = False) -> bytes:
        if isinstance(obj, bool):
            return b"true" if obj else b"false"
        if isinstance(obj, int):
            return b"%d" % obj
        if isinstance(obj, Decimal):
            return format(obj.normalize(), "f").encode()
        if isinstance(obj, float):
            return repr(obj).encode()
        if obj is None:
            return b"null"
        if not top and getattr(obj, "is_indirect", False):
            return b"%d 0 R" % self.ref(obj)
        if isinstance(obj, (Name, String)):
            return bytes(obj.unparse())
        if isinstance(obj, Array):
            return b"[" + b" ".join(self.value(item) for item in obj) + b"]"
        if isinstance(obj, Dictionary):
            return self._dict(obj)
        return bytes(obj.unparse())

    def _dict(self, obj: Any, override: dict[str, bytes] | None = None) -> bytes:
        override = dict(override or {})
        if obj.get("/Type") == Name.Page:
            override["/Parent"] = b"%d 0 R" % self.pages_node
            for key in INHERITED:
                if key not in obj and key not in override:
                    found = _inherited(obj, key)
                    if found is not None:
                        override[key] = self.value(found)
        parts = [b"<<"]
        for key in obj.keys():
            if key in override:
                continue
            parts.append(Name(key).unparse() + b" " + self.value(obj[key]))
        for key, raw in override.items():
            parts.append(Name(key).unparse() + b" " + raw)
        parts.append(b">>")
        return b" ".join(parts)

    def flush(self) -> None:
        """Write every object referenced so far (and what they reference)."""
        while self.queue:
            obj = self.queue.pop()
            num = self.numbers[obj.objgen]
            if isinstance(obj, Stream):
                raw = obj.read_raw_bytes()
                body = self._dict(obj.stream_dict, {"/Length": b"%d" % len(raw)})
                self.out.obj(num, body, raw)
                del raw
            else:
                self.out.obj(num, self.value(obj, top=True))


def _inherited(page: Any, key: str) -> Any:
    node = page.get("/Parent")
    for _ in range(64):  # a page tree is never that deep; a loop would be
        if node is None:
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _text(title: str) -> bytes:
    return bytes(String(title).unparse())


class Joiner:
    """Write pages from several PDFs into ``target``, one source at a time."""

    def __init__(self, f: BinaryIO) -> None:
        self.out = _Out(f)
        self.pages_node = self.out.alloc()
        self.kids: list[int] = []
        self.catalog: dict[str, bytes] = {}
        self.info: int | None = None
        self.marks: list[Mark] = []

    @contextmanager
    def source(self, path: Path) -> Iterator[_Source]:
        pdf = pikepdf.open(path, access_mode=pikepdf.AccessMode.stream)
        try:
            yield _Source(self, pdf)
        finally:
            pdf.close()

    def page_dest(self, index: int) -> bytes:
        return b"[%d 0 R /Fit]" % self.kids[index]

    def close(self) -> int:
        """Write the page tree, the outline, the catalog and the cross-reference table."""
        out = self.out
        kids = b" ".join(b"%d 0 R" % k for k in self.kids)
        out.obj(self.pages_node, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self.kids)))
        catalog = dict(self.catalog)
        if self.marks:
            catalog["/Outlines"] = b"%d 0 R" % self._outline()
            catalog["/PageMode"] = b"/UseOutlines"
        root = out.alloc()
        body = b" ".join([b"<< /Type /Catalog /Pages %d 0 R" % self.pages_node,
                          *(Name(k).unparse() + b" " + v for k, v in catalog.items()), b">>"])
        out.obj(root, body)
        out.finish(root, self.info)
        return len(self.kids)

    def _outline(self) -> int:
        root = self.out.alloc()

        def place(marks: list[Mark], parent: int) -> tuple[list[int], int]:
            nums = [self.out.alloc() for _ in marks]
            visible = len(marks)
            for i, (mark, num) in enumerate(zip(marks, nums)):
                parts = [b"<< /Title", _text(mark.title), b"/Parent %d 0 R" % parent]
                if i:
                    parts.append(b"/Prev %d 0 R" % nums[i - 1])
                if i + 1 < len(nums):
                    parts.append(b"/Next %d 0 R" % nums[i + 1])
                if mark.children:
                    kids, count = place(mark.children, num)
                    parts.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (kids[0], kids[-1], count))
                    visible += count
                if mark.dest is not None:
                    parts.append(b"/Dest " + mark.dest)
                elif mark.action is not None:
                    parts.append(b"/A " + mark.action)
                parts.append(b">>")
                self.out.obj(num, b" ".join(parts))
            return nums, visible

        nums, count = place(self.marks, root)
        self.out.obj(root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (nums[0], nums[-1], count))
        return root


class _Source:
    def __init__(self, joiner: Joiner, pdf: Any) -> None:
        self.joiner = joiner
        self.pdf = pdf
        self.copier = _Copier(joiner.out, joiner.pages_node)

    def add_pages(self, indexes: list[int] | None = None) -> int:
        """Append pages (all by default); returns the joined index of the first."""
        first = len(self.joiner.kids)
        pages = self.pdf.pages
        for i in indexes if indexes is not None else range(len(pages)):
            self.joiner.kids.append(self.copier.ref(pages[i].obj))
            self.copier.flush()
        return first

    def take_document(self) -> None:
        """This source's catalog entries, Info and outline become the joined document's."""
        root = self.pdf.Root
        for key in CATALOG_KEYS:
            if key in root:
                self.joiner.catalog[key] = self.copier.value(root[key])
        info = self.pdf.trailer.get("/Info")
        if info is not None:
            self.joiner.info = self.copier.ref(info)
        with self.pdf.open_outline() as outline:
            self.joiner.marks += [self._mark(item) for item in outline.root]
        self.copier.flush()

    def _mark(self, item: Any) -> Mark:
        dest = self.copier.value(item.destination) if item.destination is not None else None
        action = self.copier.value(item.action) if item.action is not None and dest is None else None
        return Mark(str(item.title), dest, action, [self._mark(child) for child in item.children])
