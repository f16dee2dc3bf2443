"""Header and file-name decoding for the mail real clients send.

What the standard library gets wrong on Chinese mail (see
shared/corpus/EMAIL_NOTES.md), and what this module does instead:

- ``gb2312``/``gbk``-labelled text that uses GBK or GB18030 characters: every
  GB label is decoded as ``gb18030`` (a superset), Big5 as ``cp950`` then
  ``big5hkscs``, ``ks_c_5601-1987`` as ``cp949``.
- RFC 2047 encoded-words split in the middle of a multi-byte character:
  adjacent words in the same charset are joined as bytes before decoding.
- encoded-words inside quoted parameters (``filename="=?utf-8?B?...?="``) and
  unquoted (``name==?utf-8?B?...?=``): decoded like a header.
- raw 8-bit header bytes (no encoded-word): UTF-8 if valid, else the
  message's body charset, else GB18030 or Big5, whichever reads as CJK text.
- 8-bit bytes already mangled to Latin-1 and re-encoded as UTF-8
  (``Â¤j¸É``): undone and decoded with the body charset.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata

_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "euccn", "x-euc-cn", "csgb2312",
       "gb_2312-80", "chinese", "936", "windows-936"}
_BIG5 = {"big5", "big-5", "cp950", "x-big5", "csbig5", "big5-hkscs", "big5hkscs", "950", "ms950"}
_ALIASES = {"ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "euc-kr": "cp949", "x-sjis": "cp932",
            "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "iso-8859-1": "cp1252",
            "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "utf-8", "ascii": "utf-8",
            "unicode-1-1-utf-7": "utf-7", "utf8": "utf-8", "unknown-8bit": "utf-8", "x-unknown": "utf-8"}

_CJK = {"gb18030", "big5", "cp932", "cp949", "euc_jp", "shift_jis", "big5hkscs", "cp950"}

ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_SPACE_BETWEEN = re.compile(r"[ \t\r\n]+")  # not U+3000: 全角空格 is text


def codec_for(charset: str | None) -> str | None:
    """The Python codec to read text labelled ``charset``; None when unknown."""
    if not charset:
        return None
    name = charset.strip().strip('"').lower().split("*", 1)[0]  # RFC 2231 language suffix
    if name in _GB:
        return "gb18030"
    if name in _BIG5:
        return "big5"
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, charset: str | None = None, *, hint: str | None = None) -> str:
    """Bytes in ``charset`` (or unlabelled, guessed with ``hint``) -> text, never raising."""
    codec = codec_for(charset)
    if codec == "big5":
        return _big5(data)
    if codec is not None and codec not in ("utf-8", "cp1252"):
        return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if codec == "cp1252":
        return data.decode("cp1252", errors="replace")
    return guess_8bit(data, hint)


def guess_8bit(data: bytes, hint: str | None = None) -> str:
    """Unlabelled 8-bit text: UTF-8, the hinted charset, then GB18030 or Big5."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = codec_for(hint)
    if codec == "big5":
        return _big5(data)
    if codec and codec not in ("utf-8", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    candidates = []
    for guess in ("gb18030", "big5"):
        text = _big5(data) if guess == "big5" else data.decode(guess, errors="replace")
        candidates.append((_cjk_score(text), text))
    best = max(candidates, key=lambda c: c[0])
    return best[1] if best[0] > 0 else data.decode("cp1252", errors="replace")


def _big5(data: bytes) -> str:
    try:
        return data.decode("cp950")
    except UnicodeDecodeError:
        return data.decode("big5hkscs", errors="replace")


def _cjk_score(text: str) -> float:
    """How much ``text`` looks like real CJK text (common ideographs, no U+FFFD)."""
    if not text:
        return 0
    good = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    bad = sum(1 for ch in text if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cn", "Cc") and ch not in "\t\r\n")
    rare = sum(1 for ch in text if "\u3400" <= ch <= "\u4dbf" or "\U00020000" <= ch)
    return (good - 5 * bad - 2 * rare) / len(text)


def header_bytes(value: object) -> bytes:
    """A header value as the parser kept it (str with surrogate escapes) -> raw bytes."""
    if isinstance(value, bytes):
        return value
    text = str(value)
    return text.encode("utf-8", errors="surrogateescape")


def decode_header(value: object, *, hint: str | None = None) -> str:
    """A header value (Subject, a display name, a file name) -> clean text.

    Unfolds, decodes RFC 2047 words (GB labels as GB18030, split words joined
    as bytes), and raw 8-bit bytes as described in the module docstring.
    """
    if value is None:
        return ""
    raw = header_bytes(value)
    raw = re.sub(rb"\r?\n[ \t]", b" ", raw).replace(b"\r", b"").replace(b"\n", b"")
    text_parts: list[str] = []
    pending: tuple[str | None, bytearray] | None = None  # an encoded-word run in one charset
    pos = 0
    source = raw.decode("latin-1")  # 1:1 with bytes, so the regex sees every byte
    for match in ENCODED_WORD.finditer(source):
        between = source[pos:match.start()]
        if pending is not None and between.strip() == "":
            between = ""  # whitespace between two encoded-words is not text (RFC 2047 §6.2)
        if between:
            if pending is not None:
                text_parts.append(decode_bytes(bytes(pending[1]), pending[0], hint=hint))
                pending = None
            text_parts.append(_plain(between.encode("latin-1"), hint))
        charset, kind, payload = match.group(1), match.group(2).lower(), match.group(3)
        data = _word_bytes(kind, payload)
        if data is None:  # not really an encoded-word: keep it as written
            if pending is not None:
                text_parts.append(decode_bytes(bytes(pending[1]), pending[0], hint=hint))
                pending = None
            text_parts.append(match.group(0))
        elif pending is not None and codec_for(pending[0]) == codec_for(charset):
            pending[1].extend(data)
        else:
            if pending is not None:
                text_parts.append(decode_bytes(bytes(pending[1]), pending[0], hint=hint))
            pending = (charset, bytearray(data))
        pos = match.end()
    if pending is not None:
        text_parts.append(decode_bytes(bytes(pending[1]), pending[0], hint=hint))
    tail = source[pos:]
    if tail:
        text_parts.append(_plain(tail.encode("latin-1"), hint))
    text = "".join(text_parts)
    return _clean(text)


def _word_bytes(kind: str, payload: str) -> bytes | None:
    if kind == "b":
        cleaned = re.sub(r"[^A-Za-z0-9+/]", "", payload)
        cleaned += "=" * (-len(cleaned) % 4)
        try:
            return base64.b64decode(cleaned)
        except (binascii.Error, ValueError):
            return None
    out = bytearray()
    i, text = 0, payload.replace("_", " ")
    while i < len(text):
        if text[i] == "=" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 1:i + 3] or ""):
            out.append(int(text[i + 1:i + 3], 16))
            i += 3
        else:
            out.extend(text[i].encode("latin-1", errors="replace"))
            i += 1
    return bytes(out)


def _plain(data: bytes, hint: str | None) -> str:
    """Text outside encoded-words: ASCII, raw UTF-8 (RFC 6532) or raw legacy 8-bit."""
    if data.isascii():
        return data.decode("ascii")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return guess_8bit(data, hint)
    return _undo_latin1(text, hint)


def _undo_latin1(text: str, hint: str | None) -> str:
    """Big5/GB bytes that went through Latin-1 and UTF-8 on the way (double
    encoding). Only undone when the body says it is CJK and the bytes then
    decode cleanly: ``ciële`` stays ``ciële``."""
    codec = codec_for(hint)
    if codec not in _CJK or not any(ord(ch) > 0x7F for ch in text) or any(ord(ch) > 0xFF for ch in text):
        return text
    raw = text.encode("latin-1")
    try:
        fixed = raw.decode("cp950" if codec == "big5" else codec)
    except UnicodeDecodeError:
        return text
    return fixed if _cjk_score(fixed) > 0 else text


def _clean(text: str) -> str:
    text = text.replace("\x00", "")
    text = "".join(ch if ch in "\t" or unicodedata.category(ch) != "Cc" else " " for ch in text)
    return _SPACE_BETWEEN.sub(" ", text).strip()


def decode_param(value: object, *, hint: str | None = None) -> str | None:
    """A MIME parameter as ``email`` returns it (str, or an RFC 2231 tuple) -> text."""
    if value is None:
        return None
    if isinstance(value, tuple):  # RFC 2231: (charset, language, value as latin-1 code points)
        charset, _lang, text = value
        data = str(text).encode("latin-1", errors="surrogateescape") if text else b""
        decoded = decode_bytes(data, charset or None, hint=hint)
        return _clean(decoded) if not ENCODED_WORD.search(decoded) else decode_header(decoded, hint=hint)
    text = str(value)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return decode_header(text, hint=hint)
