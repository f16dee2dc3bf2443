"""Where messages come from: .eml and .msg files, mbox files, Maildir folders,
Foxmail .box files (and IMAP, in imap.py). Each source yields RawMessage
objects one at a time, so a mailbox of any size is read in bounded memory.

The mbox reader streams line by line (it never builds an index of the file,
unlike ``mailbox.mbox``). A ``From `` line separates messages only when it
looks like a real separator (``From sender date``, ``From -``, or ``From
sender`` after a blank line), so "From time to time" in a body does not split
a message; a
Content-Length header (mboxcl2) is honoured when the next message really
starts where it says. ``>From `` escapes (mboxrd) are undone.
"""

from __future__ import annotations

import mailbox as std_mailbox
import mmap
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from formkit.config import limits

# One message is read up to the limit FORMKIT_MAX_MAIL_MB (formkit/limits.py);
# a bigger one is kept truncated and reported.

MBOX_SUFFIXES = (".mbox", ".mbx", ".mbs")
BOX_SUFFIXES = (".box",)
MAIL_SUFFIXES = (".eml", ".msg", *MBOX_SUFFIXES, *BOX_SUFFIXES)

_FROM_DATED = re.compile(rb"^From \S+ +(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b|\d{1,2} \w{3} \d{4}).*\r?\n?$")
_FROM_BARE = re.compile(rb"^From (\S+)[ \t]*\r?\n?$")
_CONTENT_LENGTH = re.compile(rb"(?i)^content-length:\s*(\d{1,12})\s*$")
_ESCAPED_FROM = re.compile(rb"^>(>*From )")
_BOX_MARKER = re.compile(rb"\x10{4,}[\x10\x11\xff]{2,10}S\r?\n")


@dataclass
class RawMessage:
    data: bytes
    kind: str            # eml | msg | mbox | maildir | box | imap
    source: str          # the file or folder, or imap://user@host/FOLDER (never a password)
    label: str           # what to call it in messages: file name, "收件箱.mbox 第 12 封"
    progress: int = 0    # how far the source is once this message is done (its unit)
    truncated: bool = False
    ack: Callable[[], None] | None = None  # called once the message is recorded (IMAP: mark \\Seen)
    size: int | None = None  # the whole message's size, when it was truncated and the size is known


@dataclass
class MailSource:
    """A place holding messages: iterate it for RawMessage objects."""

    label: str
    kind: str
    total: int | None      # in ``unit``; None when unknown
    unit: str              # "bytes" | "messages"
    reader: Callable[[], Iterator[RawMessage]]
    #: Set by a consumer that acknowledges messages after reading the last one
    #: (a look-ahead): a reader that acknowledges through a connection (IMAP)
    #: then keeps it open when done, until :meth:`close`.
    keep_open: bool = False
    closer: Callable[[], None] | None = None

    def __iter__(self) -> Iterator[RawMessage]:
        return self.reader()

    def close(self) -> None:
        """Release what the reader kept open for the acknowledgements (IMAP: log out)."""
        closer, self.closer = self.closer, None
        if closer is not None:
            closer()


def is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def is_mail_file(path: Path) -> bool:
    return path.suffix.lower() in MAIL_SUFFIXES


def source_for(path: Path) -> MailSource:
    """The mail source for a Maildir folder or a mail file (by its suffix)."""
    if is_maildir(path):
        return maildir_source(path)
    suffix = path.suffix.lower()
    if suffix in MBOX_SUFFIXES:
        return mbox_source(path)
    if suffix in BOX_SUFFIXES:
        return box_source(path)
    return file_source(path, "msg" if suffix == ".msg" else "eml")


def file_source(path: Path, kind: str) -> MailSource:
    def read() -> Iterator[RawMessage]:
        most, size = limits().mail_size, path.stat().st_size
        yield RawMessage(_read_capped(path, most), kind, str(path.resolve()), path.name, progress=1,
                         truncated=size > most, size=size)

    return MailSource(path.name, kind, 1, "messages", read)


def _read_capped(path: Path, most: int) -> bytes:
    with path.open("rb") as f:
        return f.read(most)


def mbox_source(path: Path) -> MailSource:
    def read() -> Iterator[RawMessage]:
        with path.open("rb") as f:
            begin = 0
            for n, (data, truncated, position) in enumerate(iter_mbox(f), 1):
                yield RawMessage(data, "mbox", str(path.resolve()), f"{path.name} 第 {n} 封", position, truncated,
                                 size=position - begin)
                begin = position

    return MailSource(path.name, "mbox", path.stat().st_size, "bytes", read)


def iter_mbox(f: BinaryIO) -> Iterator[tuple[bytes, bool, int]]:
    """(message bytes, truncated, byte position) for each message of an mbox stream."""
    most = limits().mail_size
    chunks: list[bytes] = []
    size = 0
    truncated = False
    started = False
    previous_blank = True
    in_headers = False
    protected_until = -1  # a Content-Length body: no separator before this offset
    position = f.tell()
    for line in f:
        start, position = position, position + len(line)
        if start >= protected_until and line.startswith(b"From ") and _is_separator(line, previous_blank):
            if started:
                yield _finish(chunks), truncated, start
            chunks, size, truncated, started, in_headers, protected_until = [], 0, False, True, True, -1
            previous_blank = False
            continue
        bare = line.rstrip(b"\r\n")
        if not started:
            if not bare:
                continue
            started, in_headers = True, True  # no From_ line at the top: take it as a message anyway
        if in_headers:
            if not bare:
                in_headers = False
                length = _content_length(chunks)
                if length is not None and _starts_message(f, position + length):
                    protected_until = position + length
            elif _ESCAPED_FROM.match(line):
                line = line[1:]
        elif _ESCAPED_FROM.match(line):
            line = line[1:]
        previous_blank = not bare
        if size + len(line) <= most:
            chunks.append(line)
            size += len(line)
        else:
            truncated = True
    if started and chunks:
        yield _finish(chunks), truncated, position


def _finish(chunks: list[bytes]) -> bytes:
    data = b"".join(chunks)
    if data.endswith(b"\r\n\r\n"):
        return data[:-2]
    if data.endswith(b"\n\n"):
        return data[:-1]  # the blank line before the next From_ line is the separator's
    return data


def _content_length(header_lines: list[bytes]) -> int | None:
    for line in header_lines:
        found = _CONTENT_LENGTH.match(line.rstrip(b"\r\n"))
        if found:
            return int(found.group(1))
    return None


def _starts_message(f: BinaryIO, offset: int) -> bool:
    """Does a From_ line (or the end of the file) follow at ``offset``?"""
    try:
        here = f.tell()
    except OSError:
        return False
    try:
        f.seek(offset)
        ahead = f.read(200)
    finally:
        f.seek(here)
    ahead = ahead.lstrip(b"\r\n")
    return not ahead or _is_separator(ahead.split(b"\n", 1)[0] + b"\n", True)


def _is_separator(line: bytes, previous_blank: bool) -> bool:
    """``From sender date`` anywhere; ``From sender`` alone only after a blank
    line, or as ``From -`` / ``From a@b`` (Netscape writes those with no date)."""
    if _FROM_DATED.match(line):
        return True
    bare = _FROM_BARE.match(line)
    return bool(bare) and (previous_blank or bare.group(1) == b"-" or b"@" in bare.group(1))


def maildir_source(path: Path) -> MailSource:
    box = std_mailbox.Maildir(str(path), factory=None, create=False)
    keys = sorted(box.keys())

    def read() -> Iterator[RawMessage]:
        most = limits().mail_size
        for n, key in enumerate(keys, 1):
            try:
                data = box.get_bytes(key)
            except (KeyError, OSError):
                continue  # moved or deleted by a mail client meanwhile
            yield RawMessage(data[:most], "maildir", str(path.resolve()), f"{path.name} 第 {n} 封", n,
                             len(data) > most, size=len(data))

    return MailSource(path.name, "maildir", len(keys), "messages", read)


def box_source(path: Path) -> MailSource:
    """A Foxmail .box file: RFC 822 messages between binary record markers."""
    def read() -> Iterator[RawMessage]:
        with path.open("rb") as f:
            if path.stat().st_size == 0:
                return
            most = limits().mail_size
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as view:
                marks = [(m.start(), m.end()) for m in _BOX_MARKER.finditer(view)]  # type: ignore[call-overload]
                spans = [(end, marks[i + 1][0] if i + 1 < len(marks) else len(view))
                         for i, (_, end) in enumerate(marks)] or [(0, len(view))]
                for n, (begin, end) in enumerate(spans, 1):
                    data = bytes(view[begin:min(end, begin + most)])
                    if data.strip():
                        yield RawMessage(data, "box", str(path.resolve()), f"{path.name} 第 {n} 封", end,
                                         end - begin > most, size=end - begin)

    return MailSource(path.name, "box", path.stat().st_size, "bytes", read)
