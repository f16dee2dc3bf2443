"""Mail intake: one message -> its raw original, its forms, one messages row.

For each message: skip it when it was recorded before (by Message-ID, else
the sha256 of its bytes); parse it; keep the raw message as an original;
then every attachment, and every file inside a forwarded message, a .zip or
a winmail.dat, is kept as an original with the message's provenance (sender,
date, subject, Message-ID). Forms are imported (.docx; PDF; scans and
photographed forms, as PDF or pictures; .doc, .rtf and .odt through
LibreOffice); what formkit cannot open (.rar, .7z) is held for review;
signature logos, inline images and other files are kept and skipped, each
with the reason. The project: the document's own identity
first, then a code in the subject (【P2026-001】, [P2026-001], P2026-001),
then the project of an earlier message of the same thread, then --project,
else the form is held for review saying so.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from formkit.config import limits
from formkit.errors import FormkitError, LimitError, SettingError
from formkit.intake import archives
from formkit.intake.core import NO_PROJECT as FILE_NO_PROJECT
from formkit.intake.core import ImportResult, convert_first, keep, keep_only, record
from formkit.intake.mailboxes import RawMessage
from formkit.intake.mime import Attachment, ParsedMail, _message_id, parse_mime
from formkit.intake.outlook import is_msg, parse_msg
from formkit.intake.parsing import Pending, parse_job, parse_pending, worker_result
from formkit.jobs import Handle, Workers
from formkit.store import Message, Project, Source, Store, now, sha256_of

SMALL_IMAGE = 30 * 1024  # an image smaller than this is a logo or an icon, not a scanned form

FORM_SUFFIXES = (".docx", ".docm")
DOCUMENT_SUFFIXES = (".pdf", ".doc", ".dot", ".wps", ".rtf", ".odt", ".ofd", ".xls", ".xlsx", ".et", ".ods",
                     ".tif", ".tiff")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".heic", ".emf", ".wmf")

NO_PROJECT = ("文档和邮件主题都没有项目代号：请在审核时指定项目（formkit accept --project），"
              "或请发件人在主题中注明，如【P2026-001】")

_BRACKETED = re.compile(r"[【\[［〔(（]\s*([A-Za-z0-9][A-Za-z0-9_\-]{1,31})\s*[】\]］〕)）]")
_BARE = re.compile(r"(?<![A-Za-z0-9_\-])([A-Za-z]{1,4}\d{4}-\d{2,4})(?![A-Za-z0-9_\-])")
_LOOKS_LIKE_CODE = re.compile(r"^[A-Za-z]{1,4}\d{4}-\d{2,4}$")


@dataclass
class MessageResult:
    """What happened to one message. ``status``: imported | seen (recorded before) | failed."""

    label: str
    status: str
    key: str = ""
    subject: str = ""
    sender: str | None = None
    project_code: str | None = None
    notes: list[str] = field(default_factory=list)
    results: list[ImportResult] = field(default_factory=list)


@dataclass
class _Deferred:
    """A file kept and waiting to be parsed (in a worker when ``handle`` is
    set, else here) and recorded when its message's turn comes. ``forward``:
    the project of a forwarded message met before it in the walk, which is its
    project when the subject and the thread name none."""

    pending: Pending
    handle: Handle[Any] | None
    forward: str | None


@dataclass
class _Context:
    store: Store
    raw: RawMessage | None  # None: a .zip given as a file (or found in a folder), not mail
    mail: ParsedMail | None
    source: Source
    project: str | None  # --project
    label: str
    mail_info: dict[str, Any]
    subject_code: str | None = None  # from the subject (the thread's project is looked up when recording)
    results: list[ImportResult | _Deferred] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counter: int = 0
    no_project: str = NO_PROJECT
    parsing: Parsing | None = None  # None: every file is parsed here, when it is recorded
    forward: str | None = None  # the first forwarded message's project code met so far


@dataclass
class Prepared:
    """A message read and kept, its files kept and being parsed: what
    :func:`finish_message` records once the messages before it are recorded."""

    ctx: _Context
    key: str
    sha256: str


class Parsing:
    """Where a run's files are parsed: here, or in ``workers`` once starting
    them pays off. A worker costs about WORKER_START_S of CPU to start (as
    much as reading 30 to 100 forms), so workers start only once the run has
    met ``start`` files to parse and, when how far the run is (``done``, a
    fraction) is known, the parse time spent here so far, scaled to the rest
    of the run, exceeds what the workers cost to start: a mailbox whose
    messages seldom carry a form never starts one. Files that LibreOffice
    converts are read here, where the run's conversions are."""

    def __init__(self, workers: Workers | None = None, job: Callable[[Pending], Any] = parse_job,
                 start: int = 0) -> None:
        self.workers, self.job, self.start, self.seen = workers, job, start, 0
        self.started = False
        self.spent = 0.0  # CPU seconds spent parsing here
        self.done: float | None = None  # how far the run is, 0 to 1 (None: unknown)

    @property
    def parallel(self) -> bool:
        return self.workers is not None and self.workers.parallel

    def submit(self, pending: Pending) -> Handle[Any] | None:
        if not self.parallel or pending.hold is not None:
            return None
        from formkit.parse.converted import KINDS, kind_of

        if kind_of(pending.data) in KINDS:
            return None
        self.seen += 1
        if not self.started:
            if self.seen < self.start or not self._pays_off():
                return None
            self.started = True
        assert self.workers is not None
        return self.workers.submit(self.job, pending)

    def _pays_off(self) -> bool:
        from formkit.jobs import WORKER_START_S

        if self.done is None or self.done <= 0:
            return True  # the size of the run is unknown: by the count of files alone
        assert self.workers is not None
        rest = self.spent * (1 - self.done) / self.done
        return rest >= self.workers.jobs * WORKER_START_S

    def here(self, pending: Pending) -> tuple[Any, list[Any]]:
        """Parse ``pending`` in this process, timed in CPU seconds (as the cost of
        a worker is: a busy machine does not make parsing look dearer)."""
        import time

        begin = time.process_time()
        try:
            return parse_pending(pending)
        finally:
            self.spent += time.process_time() - begin


def message_key(data: bytes) -> tuple[str, str | None]:
    """(key, Message-ID): the Message-ID when there is one, else sha256:<hex>."""
    try:
        if is_msg(data):
            mid = None  # read with the message itself (extract-msg)
        else:
            headers = BytesHeaderParser(policy=compat32).parsebytes(data[:256 * 1024])
            mid = _message_id(headers.get("message-id"))
    except (ValueError, TypeError, LookupError):
        mid = None
    return (mid or f"sha256:{sha256_of(data)}"), mid


def import_message(store: Store, raw: RawMessage, *, project: str | None = None) -> MessageResult:
    """Import one message (see the module docstring). Never raises for bad mail;
    its results hold one row per attachment, or one row saying why there is none."""
    prepared = prepare_message(store, raw, project=project)
    return prepared if isinstance(prepared, MessageResult) else finish_message(prepared)


def prepare_message(store: Store, raw: RawMessage, *, project: str | None = None, parsing: Parsing | None = None,
                    key: str | None = None) -> Prepared | MessageResult:
    """The first part of importing a message, in the order of the run: read
    it, keep it and every file it carries as originals (before anything
    parses them), and hand its forms to ``parsing``. A message recorded
    before is done here (MessageResult). Several messages may be prepared
    before the first is finished, as long as none of them is in flight twice
    (the caller's look-ahead window). ``key``: its :func:`message_key`, when known."""
    key = key or message_key(raw.data)[0]
    seen = _recorded(store, key)
    if seen is not None:
        return _seen_again(store, raw, seen)
    mail, notes = _parse(raw)
    if mail.message_id and key.startswith("sha256:") and is_msg(raw.data):
        key = mail.message_id
        seen = _recorded(store, key)
        if seen is not None:
            return _seen_again(store, raw, seen)
    over = list(mail.over_limits)  # limits that cut the reading short: the message is held for review
    if raw.truncated:
        over.insert(0, _truncated(raw))
    # what the reader noticed (no readable header, an attachment of an unknown kind) is recorded too
    notes.extend(dict.fromkeys([*mail.notes, *over]))
    source = Source(kind="mail", path=raw.source, sender=mail.sender, subject=mail.subject or None,
                    message_id=mail.message_id, mail_date=mail.date)
    original, _ = store.keep_original(raw.data, _message_filename(mail, raw), source)
    code = _subject_code(store, mail)
    info = {"message": key, "subject": mail.subject, "sender": mail.sender,
            "date": mail.date.isoformat() if mail.date else None, "source": raw.source}
    ctx = _Context(store, raw, mail, source, project, raw.label, info, code, notes=notes,
                   parsing=parsing or Parsing())
    convert_first(store, [a.data for a in mail.attachments])  # its .doc files in one LibreOffice call
    for attachment in mail.attachments:
        _attachment(ctx, attachment, depth=0)
    if over:
        _hold(ctx, raw.data, _message_filename(mail, raw), raw.label, "；".join(over))
    if not ctx.results:
        why = "；".join(ctx.notes) or "邮件没有附件"
        ctx.results.append(_with_mail(ctx, ImportResult(raw.label, "skipped", message=why,
                                                        reason="邮件没有附件" if not notes else "邮件无法解析")))
    return Prepared(ctx, key, original.sha256)


def finish_message(prepared: Prepared) -> MessageResult:
    """The second part, in the order of the run: the project (the subject's,
    else the thread's, as recorded by the messages before this one), then each
    file parsed and recorded, then the message itself."""
    ctx, mail = prepared.ctx, prepared.ctx.mail
    assert mail is not None and ctx.raw is not None
    code = ctx.subject_code or _thread_project(ctx.store, mail)
    results = _finish(ctx, code)
    code = code or next((r.project_code for r in results if r.project_code), None)
    _record(ctx, prepared.key, prepared.sha256, code)
    return MessageResult(ctx.raw.label, "imported", prepared.key, mail.subject, mail.sender, code, ctx.notes,
                         results)


def _finish(ctx: _Context, code: str | None) -> list[ImportResult]:
    """Parse (or take from its worker) and record each deferred file, in order.
    Its project: the document's own, else ``code`` (subject or thread), else a
    forwarded message's, else --project."""
    results = []
    for item in ctx.results:
        if isinstance(item, _Deferred):
            pending = item.pending
            pending.project = code or item.forward or ctx.project
            if item.handle is None:
                parsed, problems = ctx.parsing.here(pending) if ctx.parsing else parse_pending(pending)
            else:
                assert ctx.parsing is not None and ctx.parsing.workers is not None
                parsed, problems = worker_result(ctx.parsing.workers, item.handle, pending)
            item = _with_mail(ctx, record(ctx.store, pending, parsed, problems))
        results.append(item)
    ctx.results = list(results)
    return results


def _truncated(raw: RawMessage) -> str:
    cap = limits()
    found = f"邮件有 {cap.show('mail_size', raw.size)}" if raw.size and raw.size > cap.mail_size else ""
    return cap.message("mail_size", raw.label, found, f"只读取了前 {cap.show('mail_size')}（原邮件已按读到的内容保存）",
                       raw.size)


def seen_result(raw: RawMessage, row: Message) -> MessageResult:
    """A message recorded before: one "duplicate" row, nothing imported twice."""
    message = f"这封邮件已导入过（邮件 #{row.id}，{row.imported_at:%Y-%m-%d %H:%M}），跳过"
    info = {"message": row.key, "subject": row.subject, "sender": row.sender,
            "date": row.mail_date.isoformat() if row.mail_date else None, "source": raw.source}
    result = ImportResult(raw.label, "duplicate", project_code=row.project_code, message=message,
                          reason="邮件已导入过", mail=info)
    return MessageResult(raw.label, "seen", row.key, row.subject or "", row.sender, row.project_code,
                         [message], [result])


def _seen_again(store: Store, raw: RawMessage, row: Message) -> MessageResult:
    """A message recorded before: nothing is imported twice, but bytes that
    differ from the recorded message (same Message-ID) are kept as an original."""
    if sha256_of(raw.data) != row.sha256:
        source = Source(kind="mail", path=raw.source, sender=row.sender, subject=row.subject,
                        message_id=row.message_id, mail_date=row.mail_date)
        keep_only(store, raw.data, _message_filename(ParsedMail(subject=row.subject or ""), raw), source)
    return seen_result(raw, row)


def _recorded(store: Store, key: str) -> Message | None:
    with store.transaction() as session:
        return store.message_for(session, key)


def _parse(raw: RawMessage) -> tuple[ParsedMail, list[str]]:
    try:
        if is_msg(raw.data):
            return parse_msg(raw.data, raw.label), []
        return parse_mime(raw.data, raw.label), []
    except SettingError:
        raise
    except LimitError as e:  # nothing read (the header is over the limit): the message is held for review
        mail = ParsedMail(label=raw.label)
        mail.over(str(e))
        return mail, []
    except FormkitError as e:
        return ParsedMail(), [str(e)]
    except (ValueError, LookupError, TypeError, AttributeError, IndexError, AssertionError) as e:
        # The email package raises assorted errors on hostile input; the raw
        # message is still kept and recorded, nothing else is read from it.
        return ParsedMail(), [f"邮件格式有误，无法解析（{type(e).__name__}），原邮件已保存，待人工处理"]


def _message_filename(mail: ParsedMail, raw: RawMessage) -> str:
    stem = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", mail.subject or "")[:80].strip(" ._") or "邮件"
    return f"{stem}.{'msg' if is_msg(raw.data) else 'eml'}"


def project_codes(subject: str) -> list[str]:
    """Project codes a subject names, bracketed ones (【P2026-001】, [P2026-001]) first."""
    found = [m.group(1) for m in _BRACKETED.finditer(subject or "")]
    found += [m.group(1) for m in _BARE.finditer(subject or "")]
    return list(dict.fromkeys(found))


def _subject_code(store: Store, mail: ParsedMail) -> str | None:
    """A code from the subject (or a forwarded message's)."""
    candidates = [c for s in (mail.subject, *mail.inner_subjects) for c in project_codes(s)]
    if not candidates:
        return None
    with store.transaction() as session:
        known = set(session.scalars(select(Project.code).where(
            Project.code.in_(candidates + [c.upper() for c in candidates]))))
    for code in candidates:
        for variant in (code, code.upper()):
            if variant in known:
                return variant
    for code in candidates:
        if _LOOKS_LIKE_CODE.match(code):
            return code.upper()
    return None


def _thread_project(store: Store, mail: ParsedMail) -> str | None:
    """The project of the latest earlier message of the thread that has one
    (asked when the message is recorded, after the messages before it)."""
    if not mail.references:
        return None
    with store.transaction() as session:
        row = session.scalar(select(Message).where(Message.message_id.in_(mail.references[-50:]),
                                                   Message.project_code.is_not(None)).order_by(Message.id.desc()))
        return row.project_code if row is not None else None


# -- attachments ----------------------------------------------------------------

def safe_name(name: str | None, content_type: str, n: int) -> tuple[str, str | None]:
    """A display name with no path in it, and a note when the sender's had one."""
    if not name:
        ext = mimetypes.guess_extension(content_type or "") or ".bin"
        return f"附件{n}{ext}", None
    cleaned = re.sub(r"[\x00-\x1f\x7f]", "", name)
    base = re.split(r"[\\/]", cleaned)[-1].strip()
    base = re.sub(r"^[.\s]+", "", base)
    if not base:
        base = f"附件{n}"
    note = f"附件名“{name[:120]}”含路径或非法字符，已按“{base}”处理（文件按内容保存，不按名称写入）" \
        if base != name else None
    return base[:200], note


def _attachment(ctx: _Context, att: Attachment, depth: int) -> None:
    ctx.counter += 1
    name, note = safe_name(att.name, att.content_type, ctx.counter)
    via = " › ".join(att.via)
    label = f"{ctx.label} › {via + ' › ' if via else ''}{name}" if ctx.raw is not None or depth else ctx.label
    if note:
        ctx.notes.append(note)
    cap = limits()
    if att.size > cap.attachment_size or len(att.data) > cap.attachment_size:
        size = max(att.size, len(att.data))
        _skip(ctx, label, "附件过大", cap.message("attachment_size", name, f"附件有 {cap.show('attachment_size', size)}",
                                                "未单独保存（原邮件已保存），请人工处理", size), keep=None)
        return
    data = att.data
    lower = name.lower()
    if not data:
        _skip(ctx, label, "空附件", "附件是空的（0 字节）", keep=None)
        return
    if depth > cap.nesting:
        _hold(ctx, data, name, label, cap.message("nesting", name, "", "未再展开（原件已保存），待人工处理"))
        return
    if archives.is_tnef(data, att.name, att.content_type):
        _container(ctx, att, name, label, depth, archives.expand_tnef)
    elif lower.endswith(".msg") and is_msg(data) or att.content_type == "application/vnd.ms-outlook" and is_msg(data):
        _embedded_mail(ctx, att, name, label, depth, outlook=True)
    elif lower.endswith(".eml") or att.content_type in ("message/rfc822", "message/global"):
        _embedded_mail(ctx, att, name, label, depth, outlook=False)
    elif lower.endswith(FORM_SUFFIXES) or (archives.is_zip(data) and _is_word(data) and not lower.endswith(".zip")):
        _import(ctx, data, name if lower.endswith(FORM_SUFFIXES) else f"{name}.docx", label)
    elif archives.is_zip(data) and (lower.endswith(".zip") or not lower.endswith(DOCUMENT_SUFFIXES)):
        _container(ctx, att, name, label, depth, archives.expand_zip)
    elif data.startswith(archives.RAR_MAGIC) or lower.endswith(".rar"):
        _hold(ctx, data, name, label, f"{name}：RAR 压缩包无法自动解压（没有维护中的纯 Python RAR 解压库），"
                                      "原件已保存，请解压后导入其中的表单")
    elif data.startswith(archives.SEVEN_ZIP_MAGIC) or lower.endswith(".7z"):
        _hold(ctx, data, name, label, f"{name}：7z 压缩包暂不能自动解压，原件已保存，请解压后导入其中的表单")
    elif att.content_type.startswith("image/") or lower.endswith(IMAGE_SUFFIXES):
        if att.inline or att.content_id or len(data) < SMALL_IMAGE:
            _skip(ctx, label, "签名或内嵌图片", "图片（邮件签名或正文内嵌图片），已保存原件，不作为表单", keep=data,
                  name=name)
        else:  # a scanned or photographed form: the scan reader knows it by its QR code, or says why not
            _import(ctx, data, name, label)
    elif lower.endswith(DOCUMENT_SUFFIXES) or att.content_type in ("application/pdf", "application/msword"):
        _import(ctx, data, name, label)
    else:
        kind = name.rsplit(".", 1)[-1] if "." in name else att.content_type
        _skip(ctx, label, "不是表单文件", f"不是表单文件（{kind}），已保存原件", keep=data, name=name)


def is_archive(data: bytes, name: str) -> bool:
    """A .zip to open (not a Word document, a spreadsheet or another zip-based document)."""
    lower = name.lower()
    return (archives.is_zip(data) and not lower.endswith(FORM_SUFFIXES + DOCUMENT_SUFFIXES)
            and (lower.endswith(".zip") or not _is_word(data)))


def _is_word(data: bytes) -> bool:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _container(ctx: _Context, att: Attachment, name: str, label: str, depth: int,
               expand: Callable[[bytes, str], archives.Expanded]) -> None:
    """A .zip or winmail.dat: kept as an original, then each file inside handled."""
    data = att.data
    keep_only(ctx.store, data, name, ctx.source)
    try:
        expanded = expand(data, name)
    except archives.ArchiveRefused as e:
        _skip(ctx, label, "压缩包无法展开", f"{e}；原件已保存", keep=None)
        ctx.notes.append(str(e))
        return
    ctx.notes.extend(expanded.problems)
    convert_first(ctx.store, [m.data for m in expanded.members])
    if expanded.encrypted:
        names = "、".join(expanded.encrypted[:5])
        _hold(ctx, data, name, label, f"{name}：压缩包中的 {len(expanded.encrypted)} 个文件有密码保护（{names}），"
                                      "无法读取，原件已保存，待人工处理")
    if not expanded.members and not expanded.encrypted:
        _skip(ctx, label, "空压缩包", f"{name} 中没有可读取的文件，原件已保存", keep=None)
    via = (*att.via, name) if ctx.raw is not None or depth else att.via  # a file's label names it already
    for member in expanded.members:
        ctype = mimetypes.guess_type(member.name)[0] or "application/octet-stream"
        _attachment(ctx, Attachment(member.name, member.data, ctype, via=via), depth + 1)


def _embedded_mail(ctx: _Context, att: Attachment, name: str, label: str, depth: int, *, outlook: bool) -> None:
    """A message attached to the message (a forward saved as .eml or .msg): its attachments count."""
    keep_only(ctx.store, att.data, name, ctx.source)
    try:
        inner = parse_msg(att.data, name) if outlook else parse_mime(att.data, name)
    except SettingError:
        raise
    except LimitError as e:
        _hold(ctx, att.data, name, label, str(e))
        return
    except FormkitError as e:
        _skip(ctx, label, "无法读取的邮件附件", f"{e}；原件已保存", keep=None)
        return
    except (ValueError, LookupError, TypeError, AttributeError, IndexError, AssertionError) as e:
        _skip(ctx, label, "无法读取的邮件附件", f"附带的邮件格式有误（{type(e).__name__}），原件已保存", keep=None)
        return
    codes = [c for c in project_codes(inner.subject) if _LOOKS_LIKE_CODE.match(c)]
    if ctx.forward is None and codes:  # a forward of a message whose subject named the project
        ctx.forward = codes[0].upper()
    ctx.notes.extend(inner.notes)
    if inner.over_limits:
        _hold(ctx, att.data, name, label, "；".join(inner.over_limits))
    if not inner.attachments:
        _skip(ctx, label, "不是表单文件", "附带的邮件中没有附件，已保存原件", keep=None)
    prefix = (*att.via, f"附带的邮件“{inner.subject or name}”")
    for sub in inner.attachments:
        sub.via = (*prefix, *sub.via)
        _attachment(ctx, sub, depth + 1)


def _import(ctx: _Context, data: bytes, name: str, label: str) -> None:
    """A file to read as a form: kept now, parsed and recorded in :func:`_finish`."""
    _defer(ctx, keep(ctx.store, data, name, ctx.source, display=label, no_project=ctx.no_project))


def _hold(ctx: _Context, data: bytes, name: str, label: str, message: str) -> None:
    _defer(ctx, keep(ctx.store, data, name, ctx.source, display=label, hold=message))


def _defer(ctx: _Context, kept: Pending | ImportResult) -> None:
    if isinstance(kept, ImportResult):  # imported before: a duplicate
        ctx.results.append(_with_mail(ctx, kept))
        return
    handle = ctx.parsing.submit(kept) if ctx.parsing is not None else None
    ctx.results.append(_Deferred(kept, handle, ctx.forward))


def _skip(ctx: _Context, label: str, reason: str, message: str, *, keep: bytes | None, name: str = "") -> None:
    if keep is not None:
        keep_only(ctx.store, keep, name, ctx.source)
    ctx.results.append(_with_mail(ctx, ImportResult(label, "skipped", message=message, reason=reason)))


def import_archive(store: Store, data: bytes, filename: str, source: Source, *, project: str | None = None,
                   display: str | None = None) -> list[ImportResult]:
    """A .zip given as a file (or found in a folder): kept as an original with
    ``source``, then opened like a zip attached to mail (the same limits,
    names, nesting). Each file inside is kept with the zip's path as its
    provenance (``kind`` "zip") and imported; the results are in order."""
    keep_only(store, data, filename, source)
    cap = limits()
    if len(data) > cap.attachment_size:  # the cap of one attachment, said for a file
        message = cap.message("attachment_size", filename, f"压缩包有 {cap.show('attachment_size', len(data))}",
                              "未展开（原件已保存），请人工处理", len(data))
        return [ImportResult(display or filename, "skipped", message=message, reason="压缩包过大")]
    inside = Source(kind="zip", path=source.path)
    ctx = _Context(store, None, None, inside, project, display or filename, None, no_project=FILE_NO_PROJECT)
    _attachment(ctx, Attachment(filename, data, "application/zip"), depth=0)
    _finish(ctx, None)
    if ctx.notes and not any(n in r.message for r in ctx.results for n in ctx.notes):
        # a member that could not be read, a name with a path: said on the zip's own row
        notes = "；".join(dict.fromkeys(ctx.notes))
        ctx.results.append(ImportResult(display or filename, "skipped", message=f"压缩包“{filename}”：{notes}",
                                        reason="压缩包中的提示"))
    return [r for r in ctx.results if isinstance(r, ImportResult)]


def _with_mail(ctx: _Context, result: ImportResult) -> ImportResult:
    result.mail = ctx.mail_info
    return result


def _record(ctx: _Context, key: str, sha: str, code: str | None) -> None:
    assert ctx.mail is not None and ctx.raw is not None
    counts = {k: sum(r.outcome == k for r in ctx.results) for k in ("accepted", "review", "skipped", "duplicate")}
    attachments = sum(r.reason not in ("邮件没有附件", "邮件无法解析") for r in ctx.results)
    mail = ctx.mail
    row = Message(key=key[:500], message_id=mail.message_id, sha256=sha, sender=mail.sender,
                  subject=mail.subject or None, mail_date=mail.date, source_kind=ctx.raw.kind,
                  source=ctx.raw.source, project_code=(code or None) and code[:32],
                  attachments=attachments, accepted=counts["accepted"], review=counts["review"],
                  skipped=counts["skipped"] + counts["duplicate"], notes=list(dict.fromkeys(ctx.notes)),
                  imported_at=now())
    try:
        with ctx.store.transaction() as session:
            session.add(row)
    except IntegrityError:
        pass  # another importer recorded the same message meanwhile: its forms were deduplicated by content
