"""An import run: files, folders, mail files, Maildir folders and IMAP mailboxes,
with progress events and a report (messages read, forms imported, held for
review, skipped and why). Only counters grow with the run unless the caller
asks to keep every result, so a mailbox of any size imports in bounded memory.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formkit.intake.core import ImportResult, convert_first, keep, record
from formkit.intake.parsing import Pending, parse_job, parse_pending, worker_result
from formkit.intake.mail import (MessageResult, Parsing, Prepared, finish_message, import_archive, is_archive,
                                 message_key, prepare_message)
from formkit.intake.mailboxes import MailSource, RawMessage, is_mail_file, is_maildir, source_for
from formkit.intake.outlook import is_msg
from formkit.jobs import Handle, Workers, pool_size
from formkit.store import Source, Store

SKIPPED_NAMES = ("~$", ".~lock", "._")  # Office lock files, macOS resource forks
WINDOW = 4  # files in flight per worker: parsed ahead while the store records
MAIL_WINDOW = 4  # messages in flight per worker (prepared ahead: kept, their files being parsed)
MAIL_AHEAD_BYTES = 64 * 1024 * 1024  # and at most this much mail in flight (one message always)
PARSE_JOB = parse_job  # what a worker runs (the tests put a crashing reader here)


@dataclass(frozen=True)
class Progress:
    """How far one source is: ``done`` of ``total`` (None: unknown) ``unit``s."""

    task: str
    done: int
    total: int | None
    unit: str  # files | messages | bytes


@dataclass
class ImportReport:
    """Counters of a run, and its results when asked (``keep_results``)."""

    keep_results: bool = True
    results: list[ImportResult] = field(default_factory=list)
    files: int = 0
    messages: int = 0
    messages_new: int = 0
    messages_seen: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count

    def add(self, result: ImportResult) -> None:
        if self.keep_results:
            self.results.append(result)
        self.outcomes[result.outcome] += 1
        if result.outcome == "skipped":
            self.skipped[result.reason or "其他"] += 1

    def add_message(self, message: MessageResult) -> None:
        self.messages += 1
        if message.status == "seen":
            self.messages_seen += 1
        else:
            self.messages_new += 1

    def summary(self) -> dict[str, Any]:
        return {"files": self.files, "messages": self.messages, "messages_new": self.messages_new,
                "messages_seen": self.messages_seen, "accepted": self.outcomes["accepted"],
                "review": self.outcomes["review"], "duplicate": self.outcomes["duplicate"],
                "failed": self.outcomes["failed"], "skipped": dict(self.skipped)}


ResultCallback = Callable[[ImportResult], None]
ProgressCallback = Callable[[Progress], None]


def plan(paths: Iterable[Path]) -> tuple[list[Path], list[MailSource]]:
    """Plain files (folders walked, lock files skipped) and mail sources
    (.eml, .msg, .mbox, .box files and Maildir folders, also inside folders)."""
    files: list[Path] = []
    sources: list[MailSource] = []
    for path in paths:
        if is_maildir(path):
            sources.append(source_for(path))
        elif path.is_dir():
            maildirs = sorted(p for p in path.rglob("*") if p.is_dir() and is_maildir(p))
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.startswith(SKIPPED_NAMES) or any(m in child.parents for m in maildirs):
                    continue
                if is_mail_file(child):
                    sources.append(source_for(child))
                else:
                    files.append(child)
            sources.extend(source_for(m) for m in maildirs if not any(o in m.parents for o in maildirs))
        elif path.is_file() and is_mail_file(path):
            sources.append(source_for(path))
        else:
            files.append(path)
    return files, sources


def import_sources(store: Store, paths: Iterable[Path], *, project: str | None = None,
                   extra: Iterable[MailSource] = (), report: ImportReport | None = None,
                   on_result: ResultCallback | None = None, on_progress: ProgressCallback | None = None,
                   on_start: Callable[[list[Path], list[MailSource]], None] | None = None,
                   jobs: int = 1) -> ImportReport:
    """Import every file and every message of every mail source. ``jobs``:
    worker processes that parse files (the store is written here, in the
    order of a serial run, so the results are the same)."""
    report = report or ImportReport()
    store.sweep_incoming()  # what imports killed halfway left behind
    files, sources = plan(paths)
    sources = [*sources, *extra]
    if on_start:
        on_start(files, sources)
    with Workers(pool_size(jobs, len(files))) as workers:
        if not workers.parallel:  # here, where they are read: the run's .doc files in one LibreOffice call
            convert_first(store, files)
        done = 0
        for n, result in _import_files(store, files, project, workers):
            if n > done:  # a .zip is one file, with a row per file inside
                report.files, done = report.files + 1, n
            report.add(result)
            if on_result:
                on_result(result)
            if on_progress:
                on_progress(Progress("文件", n, len(files), "files"))
    if sources:
        from formkit import jobs as _jobs

        with Workers(jobs) as workers:  # started once the run meets PARALLEL_MIN files to parse
            parsing = Parsing(workers, PARSE_JOB, start=_jobs.PARALLEL_MIN)
            for n, source in enumerate(sources):
                import_mail(store, source, project=project, report=report, on_result=on_result,
                            on_progress=on_progress, parsing=parsing, share=(n, len(sources)))
    return report


def _import_files(store: Store, files: list[Path], project: str | None,
                  workers: Workers) -> Iterator[tuple[int, ImportResult]]:
    """Each file: keep (here), parse (in a worker), record (here, in order).
    At most ``WINDOW`` files per worker are in flight, so memory does not grow
    with the folder. A .zip is opened here, after what is in flight is recorded.
    Yields (how many files are done, a result)."""
    window: deque[tuple[int, ImportResult | tuple[Pending, Handle[Any]]]] = deque()
    ahead = WINDOW * workers.jobs if workers.parallel else 0
    for n, path in enumerate(files, 1):
        try:
            data = path.read_bytes()
        except OSError as e:
            window.append((n, ImportResult(str(path), "failed", message=f"无法读取文件：{e.strerror or e}")))
            continue
        source = Source(kind="file", path=str(path.resolve()))
        if is_archive(data, path.name):
            while window:
                done, item = window.popleft()
                yield done, _finish(store, workers, item)
            for result in import_archive(store, data, path.name, source, project=project, display=str(path)):
                yield n, result
            continue
        kept = keep(store, data, path.name, source, project=project, display=str(path))
        if isinstance(kept, ImportResult):
            window.append((n, kept))
        else:
            window.append((n, (kept, workers.submit(PARSE_JOB if workers.parallel else parse_pending, kept))))
        while len(window) > ahead:
            done, item = window.popleft()
            yield done, _finish(store, workers, item)
    while window:
        done, item = window.popleft()
        yield done, _finish(store, workers, item)


def _finish(store: Store, workers: Workers, item: ImportResult | tuple[Pending, Handle[Any]]) -> ImportResult:
    if isinstance(item, ImportResult):
        return item
    pending, handle = item
    return record(store, pending, *worker_result(workers, handle, pending))


def import_mail(store: Store, source: MailSource, *, project: str | None = None, report: ImportReport | None = None,
                on_result: ResultCallback | None = None, on_progress: ProgressCallback | None = None,
                parsing: Parsing | None = None, share: tuple[int, int] = (0, 1)) -> ImportReport:
    """Every message of one source, each recorded once. With ``parsing`` in
    workers, messages are prepared ahead (read, kept, their files handed to
    the workers) while the earlier ones are recorded, in order: at most
    ``MAIL_WINDOW`` per worker and ``MAIL_AHEAD_BYTES`` of mail, so memory
    does not grow with the mailbox. A message that may repeat one in flight
    (the same key, or an Outlook .msg, whose key is inside it) waits until
    those are recorded, so it is found "seen" as in a serial run. ``share``:
    this source is the n-th of so many (how far the run is: when workers pay off)."""
    report = report or ImportReport()
    parsing = parsing or Parsing()
    ahead = MAIL_WINDOW * parsing.workers.jobs if parsing.parallel and parsing.workers else 0
    window: deque[tuple[RawMessage, str, Prepared | MessageResult]] = deque()
    in_flight: Counter[str] = Counter()
    size = 0

    def finish() -> None:
        nonlocal size
        raw, key, item = window.popleft()
        in_flight[key] -= 1
        size -= len(raw.data)
        message = item if isinstance(item, MessageResult) else finish_message(item)
        report.add_message(message)
        for result in message.results:
            report.add(result)
            if on_result:
                on_result(result)
        if raw.ack is not None:
            raw.ack()
        if on_progress:
            on_progress(Progress(source.label, raw.progress, source.total, source.unit))

    source.keep_open = True  # messages read ahead are acknowledged after the reader is done
    try:
        try:
            for raw in source:
                key = message_key(raw.data)[0]
                parsing.done = (share[0] + min(raw.progress / source.total, 1.0)) / share[1] if source.total else None
                if in_flight[key] or is_msg(raw.data):
                    while window:
                        finish()
                window.append((raw, key, prepare_message(store, raw, project=project, parsing=parsing, key=key)))
                in_flight[key] += 1
                size += len(raw.data)
                while window and (len(window) > ahead or size > MAIL_AHEAD_BYTES):
                    finish()
        except OSError as e:
            while window:
                finish()
            result = ImportResult(source.label, "failed", message=f"无法读取邮件文件：{e.strerror or e}")
            report.add(result)
            if on_result:
                on_result(result)
        while window:
            finish()
    finally:
        source.close()
    return report


def import_paths(store: Store, paths: Iterable[Path], *, project: str | None = None,
                 on_result: ResultCallback | None = None, jobs: int = 1) -> list[ImportResult]:
    """Every result of importing ``paths`` (files, folders and mail), in order."""
    return import_sources(store, paths, project=project, on_result=on_result, jobs=jobs).results
