"""Read a form returned as a PDF exported by an office suite.

Form fields first: LibreOffice exports content controls as AcroForm fields
whose tooltip (/TU) is the control's alias, the field's unique Chinese label.
Otherwise the text layer and the table rulings (pypdfium2: path objects and
character boxes, a few ms a page): cells are cut from the rulings, their
characters assembled into lines, and a line that ends well before the cell's
right edge (the next word would have fitted) ends a paragraph, else the text
wrapped. Rows go to formkit/parse/labels.py in page order; a row split over a
page break is joined back, a list's header repeated on the next page is
skipped. The identity comes from the footer line, else the document
properties kept in the PDF metadata (title, subject "form version").

A PDF with no text layer is a scan: formkit/parse/scan.py reads it.

Limits (formkit/limits.py): the file's size, its objects, each stream's
decoded size (through its Flate, LZW, RunLength and ASCII filters, in order)
and each image's /Width × /Height are checked on the bytes before pdfium
opens them, the pages once it has; reading runs under the time limit,
checked per page, per table row and every 1,024 objects and characters.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import io
import math
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterator
from typing import Any, BinaryIO

from formkit.config import limits
from formkit.errors import NotAFormError, UnknownFormError
from formkit.forms import get_form
from formkit.forms.base import Problem
from formkit.limits import Limits, check_time, timed
from formkit.forms.registry import FormSpec
from formkit.ooxml.summary import _parse_identity_line
from formkit.parse.labels import TextRow, read_by_labels
from formkit.parse.values import PDF_FIELD, PDF_TEXT, ParsedForm, RawValue, finish, named_form, read_values, value_paths

Source = str | Path | bytes | BinaryIO
_RULE = 2.5  # pt: thinner than this is a ruling, not a shaded area
_TOL = 1.2  # pt


class EncryptedPdfError(NotAFormError):
    """A PDF that needs a password."""


def read_bytes(source: Source, label: str) -> bytes:
    cap = limits()
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, (str, Path)):
        try:
            size = Path(source).stat().st_size
            if size > cap.pdf_size:
                raise _too_large(cap, label, size)
            data = Path(source).read_bytes()
        except OSError as e:
            raise NotAFormError(f"{label}：无法读取文件（{e.strerror or e}）") from e
    else:
        data = source.read(cap.pdf_size + 1)
    if len(data) > cap.pdf_size:
        raise _too_large(cap, label, len(data))
    return data


def _too_large(cap: Limits, label: str, size: int) -> NotAFormError:
    found = f"文件大于 {cap.show('pdf_size')}" if size == cap.pdf_size + 1 else f"文件有 {cap.show('pdf_size', size)}"
    return cap.error("pdf_size", label, found, "不像是一份表单，未读取", size)


def open_pdf(data: bytes, label: str) -> Any:
    """A pypdfium2 document, or NotAFormError with a clear reason."""
    import pypdfium2 as pdfium

    cap = limits()
    check_bytes(data, label, cap)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise EncryptedPdfError(f"{label}：PDF 已加密（需要密码），无法读取。请发送未加密的文件") from e
        raise NotAFormError(f"{label}：PDF 文件已损坏或不完整，无法打开") from e
    if len(doc) == 0:
        doc.close()
        raise NotAFormError(f"{label}：PDF 没有任何页面")
    if len(doc) > cap.pdf_pages:
        pages = len(doc)
        doc.close()
        raise cap.error("pdf_pages", label, f"PDF 有 {pages} 页", "不像是一份表单，未读取", pages)
    return doc


# -- limits checked on the bytes, before pdfium parses them -----------------------------------

_OBJ_STREAM = re.compile(rb"/Type\s*/ObjStm")
_N = re.compile(rb"/N\s+(\d{1,9})")
_WS = rb"(?:\s|%[^\r\n]*)*"  # white space and comments
# what a small file is looked into for: a chain of filters, LZW, RunLength, an image, a name spelled with #xx
_LOOK = re.compile(rb"/(?:Filter" + _WS + rb"\[|LZW|RL|RunLength|Image\b|[^\s/\[\]<>()%]*#[0-9A-Fa-f]{2})")
_ESCAPED = re.compile(rb"#([0-9A-Fa-f]{2})")
_FILTER = re.compile(rb"/Filter" + _WS + rb"(\[[^\]]*\]|/[^\s/\[\]<>()%]+)")
_PARMS = re.compile(rb"/DecodeParms" + _WS + rb"(\[.*?\]|<<.*?>>)", re.S)
_PARM = re.compile(rb"null|<<.*?>>", re.S)
_NAME = re.compile(rb"/([^\s/\[\]<>()%]+)")
_COMMENT = re.compile(rb"%[^\r\n]*")
_EARLY_0 = re.compile(rb"/EarlyChange" + _WS + rb"0\b")
_IMAGE = re.compile(rb"/Subtype" + _WS + rb"/Image\b")
_WIDTH = re.compile(rb"/Width" + _WS + rb"(\d+)")
_HEIGHT = re.compile(rb"/Height" + _WS + rb"(\d+)")
_WHITE = re.compile(rb"\s")
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
_A85 = re.compile(rb"(?:z|[!-u]{5})*(?:[!-u]{2,4}$)?")  # whole groups (“z”: four zeros), a short last one
_A85_GROUP = re.compile(rb"z|[!-u]{2,5}")
_ABBREVIATIONS = {b"Fl": b"FlateDecode", b"LZW": b"LZWDecode", b"RL": b"RunLengthDecode",
                  b"AHx": b"ASCIIHexDecode", b"A85": b"ASCII85Decode"}

# The most each filter can grow a stream, in bytes out per byte in: a stream whose size times
# its filters' ratios cannot reach the limit is not decoded.
_MAX_INFLATE = 1100  # Flate: at most ~1032 (a 258-byte match coded in 2 bits: 258 × 8 / 2)
_MAX_LZW = 2560  # LZW: a code emits one table entry; at 12 bits (1.5 bytes) the entries 258-4095 are
# each one byte longer than an earlier one (258: 2 bytes), so at most 3,839 bytes: 3839 / 1.5 < 2560
_MAX_RUN = 64  # RunLength: 2 bytes (257 - n, a byte) repeat the byte at most 128 times
_MAX_A85 = 4  # ASCII85: “z”, one byte, stands for four zero bytes
_MAX_HEX = 1  # ASCIIHex only shrinks: two digits a byte
_MAX_CRYPT = 1  # Crypt: the Identity crypt filter passes the data as it is


def check_bytes(data: bytes, label: str, cap: Limits) -> None:
    """The object count, each stream's decoded size and each image's pixels, from
    the bytes (a cheap scan: a small file of plain Flate streams is not looked
    into, a stream that cannot reach the limit through its filters is not decoded)."""
    objects = count_objects(data)
    if objects > cap.pdf_objects:
        raise cap.error("pdf_objects", label, f"PDF 约有 {objects} 个对象", "不像是一份表单，未读取", objects)
    limit = cap.pdf_stream_size
    if len(data) * _MAX_INFLATE <= limit and not _LOOK.search(data):
        return
    for start, end in _streams(data):
        head = _stream_dict(data, start)
        _check_image(head, label, cap)
        filters = _filters(head)
        if not filters or (end - start) * math.prod(_DECODERS[f][0] for f, _ in filters) <= limit:
            continue
        size = decoded_size(data[start:end], filters, limit)
        if size > limit:
            raise cap.error("pdf_stream_size", label, f"一个数据流解压后大于 {cap.show('pdf_stream_size', size)}",
                            "疑似“压缩炸弹”，未读取", size)


def _streams(data: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each stream's data (bytes.find: a regex would cost more than the check)."""
    at = data.find(b"stream")
    while at >= 0:
        start = at + 6
        eol = data[start:start + 2]
        if data[at - 3:at] != b"end" and eol[:1] in (b"\r", b"\n"):
            start += 2 if eol == b"\r\n" else 1
            end = data.find(b"endstream", start)
            if end < 0:
                yield start, len(data)
                return
            yield start, end
            at = data.find(b"stream", end + 9)
        else:
            at = data.find(b"stream", start)


def count_objects(data: bytes) -> int:
    """About how many objects a PDF holds: ``n g obj`` headers, and the
    objects packed in object streams (their /N)."""
    count = data.count(b"obj") - data.count(b"endobj")  # each "endobj" holds an "obj" too
    for m in _OBJ_STREAM.finditer(data):
        n = _N.search(data, max(0, m.start() - 512), m.end() + 512)
        count += int(n.group(1)) if n else 0
    return count


def _stream_dict(data: bytes, start: int) -> bytes:
    """The dictionary of the stream starting at ``start`` (its last 1 KiB), a name's
    #xx spelled out as pdfium reads it (/LZW#44ecode is /LZWDecode)."""
    head = data[max(0, start - 1024):start]
    head = head[head.rfind(b"obj") + 1:]
    return _ESCAPED.sub(lambda m: bytes.fromhex(m[1].decode()), head) if b"#" in head else head


def _check_image(head: bytes, label: str, cap: Limits) -> None:
    """pdfium decodes an image at the /Width × /Height its dictionary says, whatever
    the size of its data: a 1 KiB CCITT stream can say 100000 × 100000."""
    if not _IMAGE.search(head):
        return
    width, height = _WIDTH.search(head), _HEIGHT.search(head)
    if width and height and int(width[1]) * int(height[1]) > cap.image_pixels:
        w, h = int(width[1]), int(height[1])
        raise cap.error("image_pixels", label, f"PDF 中的一张图片有 {w * h:,} 像素（{w}×{h}）",
                        "不像是一份表单，未读取", w * h)


def _filters(head: bytes) -> list[tuple[bytes, bytes]]:
    """The stream's filters (full names) and their /DecodeParms, in order, up to the
    first one not measured: an image codec, whose output is the image's pixels."""
    found = _FILTER.search(head)
    if not found:
        return []
    names = [_ABBREVIATIONS.get(n, n) for n in _NAME.findall(_COMMENT.sub(b" ", found[1]))]
    parms = _PARMS.search(head)
    if parms and parms[1].startswith(b"["):
        each = _PARM.findall(parms[1])
    else:
        each = [parms[1] if parms else b""] * len(names)
    chain = []
    for name, parm in zip(names, each + [b""] * len(names)):
        if name not in _DECODERS:
            break
        chain.append((name, parm))
    return chain


def decoded_size(body: bytes, filters: list[tuple[bytes, bytes]], limit: int) -> int:
    """How large ``body`` decodes through ``filters`` (name, /DecodeParms) in order,
    keeping no more than ``limit`` bytes between two filters and only counting the
    last one's output; stops once over ``limit``. A damaged stream counts what
    decoded before the damage (pdfium decides). A predictor is not applied: it
    never makes the data larger."""
    size, data = len(body), body
    for n, (name, parms) in enumerate(filters):
        size, data = _DECODERS[name][1](data, limit, n + 1 < len(filters), parms)
        if size > limit:
            break
    return size


def _inflate(data: bytes, limit: int, keep: bool, parms: bytes) -> tuple[int, bytes]:
    """Flate, 1 MiB at a time: the size, and the bytes when ``keep`` (a filter follows)."""
    inflate, kept, size, rest = zlib.decompressobj(), [], 0, data
    try:
        while rest and size <= limit and not inflate.eof:
            out = inflate.decompress(rest, 1 << 20)
            size += len(out)
            if keep:
                kept.append(out)
            if not out and len(inflate.unconsumed_tail) == len(rest):
                break  # no progress: damaged
            rest = inflate.unconsumed_tail
        if size <= limit:
            tail = inflate.flush()
            size += len(tail)
            if keep:
                kept.append(tail)
    except zlib.error:
        pass
    return size, b"".join(kept)


_LZW_LENGTHS = [1] * 256 + [0, 0]  # the table of the lengths: 256 bytes, then clear and end
_LZW_BYTES = [bytes((i,)) for i in range(256)] + [b"", b""]


def _lzw(data: bytes, limit: int, keep: bool, parms: bytes) -> tuple[int, bytes]:
    """LZW as pdfium decodes it: a code emits a table entry and adds one (the entry
    before and the first byte of this one) but right after a clear; a code past the
    table emits the entry before and its first byte (KwKwK). The table holds each
    entry's length, never its bytes, unless a filter follows (then 4,096 entries
    of at most 3,839 bytes). Stops once over ``limit``."""
    first = _LZW_BYTES if keep else _LZW_LENGTHS
    table, before, size, kept = list(first), None, 0, []
    for code in _lzw_codes(data, 0 if _EARLY_0.search(parms) else 1):
        if code == 256:
            table, before = list(first), None
            continue
        if code < len(table):
            entry = table[code]
        elif before is None:
            break  # damaged: past the table right after a clear
        else:
            entry = before + before[:1] if keep else before + 1
        if before is not None and len(table) < 4096:
            table.append(before + entry[:1] if keep else before + 1)
        before = entry
        if keep:
            kept.append(entry)
        size += len(entry) if keep else entry
        if size > limit:
            break
    return size, b"".join(kept)


def _lzw_codes(data: bytes, early: int) -> Iterator[int]:
    """The codes up to the end code (257): 9 bits wide, one bit more once the table
    reaches 512 - ``early`` entries, 1024 - ``early``, 2048 - ``early``. The table
    grows by one entry a code, but for a clear (back to 258) and the code after it."""
    buffer = bits = 0
    width, entries, cleared = 9, 258, True
    for byte in data:
        buffer, bits = buffer << 8 | byte, bits + 8
        if bits < width:  # a code spans two bytes or three, so a byte ends one at most
            continue
        bits -= width
        code = buffer >> bits
        buffer &= (1 << bits) - 1
        if code == 257:
            return
        yield code
        if code == 256:
            entries, cleared = 258, True
        elif cleared:
            cleared = False
        elif entries < 4096:
            entries += 1
        width = min(12, (entries + early).bit_length())


def _run_length(data: bytes, limit: int, keep: bool, parms: bytes) -> tuple[int, bytes]:
    """RunLength: a length byte n, then n + 1 bytes to copy (n < 128) or one byte to
    repeat 257 - n times (n > 128); 128 ends. Counted run by run, expanded only when
    a filter follows; stops once over ``limit``."""
    size, at, end, kept = 0, 0, len(data), []
    while at < end and size <= limit and data[at] != 128:
        n = data[at]
        copy = n < 128
        length = min(n + 1, end - at - 1) if copy else 257 - n if at + 1 < end else 0
        if keep:
            kept.append(data[at + 1:at + 1 + length] if copy else data[at + 1:at + 2] * length)
        size += length
        at += n + 2 if copy else 2
    return size, b"".join(kept)


def _ascii_hex(data: bytes, limit: int, keep: bool, parms: bytes) -> tuple[int, bytes]:
    """ASCIIHex: two digits a byte up to “>”, white space skipped, an odd last digit
    followed by 0; damaged, the digits before the damage."""
    digits = _WHITE.sub(b"", data.split(b">", 1)[0])
    bad = _NOT_HEX.search(digits)
    digits = digits[:bad.start()] if bad else digits
    decoded = binascii.a2b_hex(digits + b"0" * (len(digits) % 2))
    return len(decoded), decoded


def _ascii85(data: bytes, limit: int, keep: bool, parms: bytes) -> tuple[int, bytes]:
    """ASCII85 up to “~>”, white space skipped; damaged, the groups before the damage
    (a group over 2³² found group by group)."""
    text = _WHITE.sub(b"", data.split(b"~>", 1)[0]).removeprefix(b"<~")
    text = _A85.match(text)[0]
    try:
        decoded = base64.a85decode(text)
    except ValueError:
        groups = []
        for group in _A85_GROUP.findall(text):
            try:
                groups.append(base64.a85decode(group))
            except ValueError:
                break
        decoded = b"".join(groups)
    return len(decoded), decoded


def _crypt(data: bytes, limit: int, keep: bool, parms: bytes) -> tuple[int, bytes]:
    """Crypt: the data as it is, which is what the Identity crypt filter gives (a
    stream really encrypted then fails the next filter, as in an encrypted file)."""
    return len(data), data


# each filter measured: its worst ratio, its decoder
_DECODERS = {b"FlateDecode": (_MAX_INFLATE, _inflate), b"LZWDecode": (_MAX_LZW, _lzw),
             b"RunLengthDecode": (_MAX_RUN, _run_length), b"ASCIIHexDecode": (_MAX_HEX, _ascii_hex),
             b"ASCII85Decode": (_MAX_A85, _ascii85), b"Crypt": (_MAX_CRYPT, _crypt)}


# -- identity ---------------------------------------------------------------------------

def identity_of(doc: Any, texts: list[str]) -> dict[str, str | None]:
    """Identity from the footer line (any page), else the PDF metadata."""
    found: dict[str, str | None] = dict.fromkeys(("form", "schema_version", "project_code", "document_id"))
    for text in texts:
        for line in text.splitlines():
            if "表单" in line and "文档" in line:
                parsed = _parse_identity_line(line)
                if parsed.get("form"):
                    for key, value in parsed.items():
                        found[key] = found[key] or value
        if found["form"]:
            break
    for key in ("form", "schema_version", "project_code", "document_id"):
        if found[key]:
            found[key] = found[key].split()[0]  # the page number follows the id on the same line
    if not found["form"]:
        meta = metadata(doc)
        subject = (meta.get("Subject") or "").split()
        if len(subject) == 2 and _known(subject[0]):
            found["form"], found["schema_version"] = subject
        elif meta.get("Title") and _known(meta["Title"]):
            found["form"] = get_form(meta["Title"]).id
    return found


def metadata(doc: Any) -> dict[str, str]:
    try:
        return {k: v for k, v in doc.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
    except Exception:  # noqa: BLE001 - broken metadata is only missing metadata
        return {}


def _known(name: str) -> bool:
    try:
        get_form(name)
    except UnknownFormError:
        return False
    return True


# -- AcroForm fields ---------------------------------------------------------------------

def _has_acroform(doc: Any) -> bool:
    import pypdfium2.raw as raw

    return raw.FPDF_GetFormType(doc.raw) != raw.FORMTYPE_NONE

def acroform_fields(data: bytes) -> list[dict[str, Any]]:
    """Every terminal field: name, tooltip, type, value (pypdf; [] when none or unreadable)."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return []
        fields = reader.get_fields() or {}
    except Exception:  # noqa: BLE001 - pypdf raises many types on damaged files
        return []
    out = []
    for name, fld in fields.items():
        value = fld.get("/V")
        if isinstance(value, bytes):
            value = value.decode("latin-1", "replace")
        out.append({"name": str(name), "tooltip": str(fld.get("/TU") or ""), "type": str(fld.get("/FT") or ""),
                    "value": value if isinstance(value, (str, list)) or value is None else str(value)})
    return out


def _field_values(spec: FormSpec, version: str | None, fields: list[dict[str, Any]]) -> list[RawValue]:
    paths = value_paths(spec.model_for(version))
    out = []
    for fld in fields:
        path = paths.get(fld["tooltip"].strip())
        if path is None:
            continue
        value = fld["value"]
        if fld["type"] == "/Btn":
            value = str(value or "").lstrip("/") not in ("", "Off")
        elif isinstance(value, list):
            value = "\n".join(map(str, value))
        row = None
        m = re.match(r"(\w+)\[(\d+)\]\.", path)
        if m:
            row = (m.group(1), int(m.group(2)))
        out.append(RawValue(path, value, PDF_FIELD, 1.0, row=row))
    return out


# -- the text layer -------------------------------------------------------------------------

@dataclass
class Line:
    chars: list[tuple[str, float, float, float, float]] = field(default_factory=list)  # ch, l, t, r, b
    space_after: bool = False  # ended by a space (kept when the line wrapped there)

    @property
    def left(self) -> float:
        return self.chars[0][1]

    @property
    def right(self) -> float:
        return max(c[3] for c in self.chars)

    @property
    def middle(self) -> float:
        return sum((c[2] + c[4]) / 2 for c in self.chars) / len(self.chars)

    @property
    def text(self) -> str:
        return "".join(c[0] for c in self.chars)


@dataclass
class PdfCell:
    left: float
    right: float
    top: float
    bottom: float
    chars: list[tuple[str, float, float, float, float]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def text(self) -> str:
        return join_lines(self.lines, self.right - 4.25)  # cell margin 85 twips


@dataclass
class PdfRow:
    page: int
    top: float
    bottom: float
    cells: list[PdfCell]


def join_lines(lines: list[Line], limit: float) -> str:
    """Lines of a cell -> its text. A line the next word would have fitted
    on ended a paragraph (newline); a full one wrapped (joined, with the
    space it wrapped at when only the space kept the next word off it)."""
    out = ""
    spaced = _spaced(lines)
    for i, line in enumerate(lines):
        if i:
            out += _joint(lines[i - 1], line, limit, spaced)
        out += line.text
    return out


_MIXED = re.compile(r"[A-Za-z0-9][\u3400-\u9fff]|[\u3400-\u9fff][A-Za-z0-9]")
_MIXED_SPACED = re.compile(r"[A-Za-z0-9] [\u3400-\u9fff]|[\u3400-\u9fff] [A-Za-z0-9]")


def _spaced(lines: list[Line]) -> bool:
    """Does this text put a space between Latin and Chinese (“8T 硬盘”)? Then
    a wrap between them was at a space (a space ending a line is not drawn)."""
    text = "\n".join(line.text for line in lines)
    return len(_MIXED_SPACED.findall(text)) > len(_MIXED.findall(text))


_SPACE = 2.6  # pt, a space at 10.5 pt


_NO_START = set("，。、；：！？）)]】」』》〉”’%,.;:!?-")  # cannot begin a line: they go with the char before
_NO_END = set("（([【「『《〈“‘")  # cannot end a line: they go with the char after


def _joint(prev: Line, line: Line, limit: float, spaced: bool = False) -> str:
    """What joined two lines of a cell: "\n", " " or nothing. The first
    unbreakable unit of the second line (a Latin word up to a hyphen, a
    Chinese character with the punctuation that cannot start a line) would
    have fitted on the first line unless the text wrapped."""
    first = line.chars[0]
    end = first[3]
    latin_word = first[0].isascii() and not first[0].isspace()
    for before, ch in zip(line.chars, line.chars[1:]):
        if ch[0].isspace() or (before[0] in "-/" and not ch[0].isdigit()):
            break  # a hyphen before a digit is no break opportunity (UAX #14: HY × NU)
        if (latin_word and ch[0].isascii()) or ch[0] in _NO_START or before[0] in _NO_END:
            end = ch[3]
            continue
        break
    width = end - first[1]
    room = limit - 0.5 - prev.right
    latin = prev.chars[-1][0].isascii() or first[0].isascii()
    if room >= width + (_SPACE if latin else 0):
        return "\n"  # the next word would have fitted: a line break
    if prev.space_after or (latin and room >= width):
        return " "  # wrapped at a space
    if spaced and _MIXED.fullmatch(prev.chars[-1][0] + first[0]):
        return " "
    return ""


def _lines(chars: list[tuple[str, float, float, float, float]]) -> list[Line]:
    lines: list[Line] = []
    middle = 0.0
    for ch in sorted(chars, key=lambda c: (c[2] + c[4], c[1])):
        mid, height = (ch[2] + ch[4]) / 2, max(ch[4] - ch[2], 3.0)
        if lines and abs(middle - mid) < height * 0.6:
            lines[-1].chars.append(ch)
        else:
            lines.append(Line([ch]))
            middle = mid
    for line in lines:
        line.chars.sort(key=lambda c: c[1])
        while line.chars[-1][0].isspace() and len(line.chars) > 1:
            line.chars.pop()  # a space left at a wrap
            line.space_after = True
    return lines


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOL:
            out.append(v)
    return out


def page_rows(page: Any, number: int) -> tuple[list[PdfRow], str]:
    """The ruled table rows of one page (top to bottom) with their characters, and the page text."""
    import pypdfium2.raw as raw

    height = page.get_height()
    hlines: list[tuple[float, float, float]] = []
    vlines: list[tuple[float, float, float]] = []
    for k, obj in enumerate(page.get_objects(max_depth=4)):
        if not k & 1023:
            check_time()
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if h < _RULE and w > _RULE:
            hlines.append((height - (top + bottom) / 2, left, right))
        elif w < _RULE and h > _RULE:
            vlines.append(((left + right) / 2, height - top, height - bottom))
    rows: list[PdfRow] = []
    ys = _cluster([y for y, _, _ in hlines])
    for top, bottom in zip(ys, ys[1:]):
        check_time()
        mid = (top + bottom) / 2
        xs = _cluster([x for x, y0, y1 in vlines if y0 - _TOL <= top + 0.5 and y1 + _TOL >= bottom - 0.5
                       and y0 < mid < y1])
        cells = [PdfCell(a, b, top, bottom) for a, b in zip(xs, xs[1:]) if b - a > 3
                 and _covered(hlines, top, a, b) and _covered(hlines, bottom, a, b)]
        if cells:
            rows.append(PdfRow(number, top, bottom, cells))
    textpage = page.get_textpage()
    count = textpage.count_chars()
    tops = [r.top for r in rows]
    for i in range(count):
        if not i & 1023:
            check_time()
        if raw.FPDFText_IsGenerated(textpage.raw, i):
            continue
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        if code in (0, 0xFFFE, 0xFFFF) or code < 32 and code not in (2, 9):
            continue
        ch = "-" if code == 2 else chr(code)  # pdfium reports a hyphen ending a line as 0x02
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        cx, cy = (left + right) / 2, height - (top + bottom) / 2
        at = bisect.bisect_right(tops, cy) - 1
        if at < 0 or cy > rows[at].bottom:
            continue
        for cell in rows[at].cells:
            if cell.left <= cx < cell.right:
                cell.chars.append((ch, left, height - top, right, height - bottom))
                break
    text = textpage.get_text_range()
    textpage.close()
    for row in rows:
        for cell in row.cells:
            cell.lines = _lines(cell.chars)
    return rows, text


def _covered(hlines: list[tuple[float, float, float]], y: float, a: float, b: float) -> bool:
    mid = (a + b) / 2
    return any(abs(hy - y) <= _TOL and x0 - _TOL <= mid <= x1 + _TOL for hy, x0, x1 in hlines)


def join_pages(rows: list[PdfRow]) -> list[PdfRow]:
    """A row cut by a page break continues at the top of the next page with
    an empty first cell and the same columns: put its lines back together."""
    out: list[PdfRow] = []
    for row in rows:
        prev = out[-1] if out else None
        if (prev is not None and row.page != prev.page and not row.cells[0].lines and len(row.cells) == len(prev.cells)
                and all(abs(a.left - b.left) < 2 and abs(a.right - b.right) < 2 for a, b in zip(row.cells, prev.cells))
                and _first_on_page(rows, row)):
            for a, b in zip(prev.cells, row.cells):
                a.lines = a.lines + b.lines
            continue
        out.append(row)
    return out


def _first_on_page(rows: list[PdfRow], row: PdfRow) -> bool:
    return min((r.top for r in rows if r.page == row.page), default=row.top) == row.top


def text_rows(doc: Any, label: str = "文件") -> tuple[list[PdfRow], list[str]]:
    import pypdfium2 as pdfium

    rows: list[PdfRow] = []
    texts: list[str] = []
    for number in range(len(doc)):
        check_time()
        try:
            page = doc[number]
        except pdfium.PdfiumError as e:  # a damaged page tree: the document opens, a page does not
            raise NotAFormError(f"{label}：PDF 文件已损坏，第 {number + 1} 页无法读取") from e
        page_rows_, text = page_rows(page, number)
        page.close()
        rows += page_rows_
        texts.append(text)
    return join_pages(rows), texts


# -- the whole reader ------------------------------------------------------------------------

@timed("文件")
def parse_pdf(source: Source, form: str | None = None, *, name: str | None = None) -> ParsedForm:
    """Parse a returned form exported as PDF. Raises NotAFormError for a PDF
    that is not one (and reads an image-only PDF as a scan)."""
    label = name or (str(source) if isinstance(source, (str, Path)) else "文件")
    data = read_bytes(source, label)
    doc = open_pdf(data, label)
    try:
        rows, texts = text_rows(doc, label)
        if not "".join(texts).strip():
            from formkit.parse.scan import parse_scan

            doc.close()
            doc = None
            return parse_scan(data, form, name=label)
        identity = identity_of(doc, texts)
        has_form = _has_acroform(doc)
    finally:
        if doc is not None:
            doc.close()
    spec = _which_form(identity, form, label)
    version = identity.get("schema_version") or spec.version
    model = spec.model_for(version)
    notices: list[str] = []
    lost: list[Problem] = []
    fields = _field_values(spec, version, acroform_fields(data)) if has_form else []
    if fields:
        reading = read_values(model, fields)
        notices.append("已从 PDF 表单域读取填写内容")
    else:
        reading, lost = read_by_labels(model, [TextRow([c.text() for c in r.cells]) for r in rows], PDF_TEXT, "PDF ")
    if reading.empty and not identity.get("form"):
        raise NotAFormError(f"{label}：PDF 中没有找到{spec.title}的内容，无法读取")
    return finish(spec, identity, reading, notices=notices, problems=lost)


def _which_form(identity: dict[str, Any], form: str | None, label: str) -> FormSpec:
    spec = named_form(identity, form, label)
    if spec is None:
        raise NotAFormError(f"{label}：不是 formkit 表单（PDF 中没有表单标识）。如确为某一表单，请用 --form 指定表单名称")
    return spec


@timed("文件")
def inspect_pdf(source: Source, *, name: str | None = None) -> dict[str, Any]:
    """Identity, AcroForm fields and a text summary of any PDF."""
    label = name or (str(source) if isinstance(source, (str, Path)) else "文件")
    data = read_bytes(source, label)
    doc = open_pdf(data, label)
    try:
        pages = len(doc)
        rows, texts = text_rows(doc, label)
        identity = identity_of(doc, texts)
        meta = metadata(doc)
    finally:
        doc.close()
    text = "".join(texts)
    return {
        "identity": identity,
        "pages": pages,
        "metadata": meta,
        "form_fields": acroform_fields(data),
        "text_chars": len(text.strip()),
        "table_rows": len(rows),
        "text": text.strip()[:400],
        "scanned": not text.strip(),
    }


__all__ = ["EncryptedPdfError", "inspect_pdf", "parse_pdf"]
