"""What goes into a project dossier: read once from the store, printed by the builders.

Everything here is plain data (already worded in Chinese where a person reads
it), so the Word builder, the chart and the archive only lay it out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from formkit.dossier import text as T
from formkit.errors import FormkitError
from formkit.forms import all_forms, get_form
from formkit.process import Process
from formkit.record import SHARED, ProjectRecord
from formkit.status import project_status
from formkit.store import Original, Store, Submission, now
from formkit.store.records import STATUS_LABELS, get_project, load_record

DEFAULT_CLASSIFICATION = "内部"
_ROLE = re.compile(r"(人|经理|主管|代表|负责人|领导|监理|人员|签字|签收人)(\(.*\)|（.*）)?$")
_NOT_ROLE = re.compile(r"电话|日期|意见|单位|部门|地址|方式|号码")
_NAME_SPLIT = re.compile(r"[、,，;；/\s]+")
_ASIDE = re.compile(r"[（(][^）)]*[）)]")
_SNIFF = (
    (b"%PDF", "pdf", "PDF 文件"),
    (b"\xff\xd8\xff", "image", "JPEG 图片"),
    (b"\x89PNG\r\n\x1a\n", "image", "PNG 图片"),
    (b"II*\x00", "image", "TIFF 图片"),
    (b"MM\x00*", "image", "TIFF 图片"),
    (b"GIF8", "image", "GIF 图片"),
    (b"BM", "image", "BMP 图片"),
)


@dataclass
class StageEntry:
    name: str
    state: str  # done | current | not_started
    state_label: str
    start: date | None
    end: date | None
    accepted: int
    total: int
    blockers: list[str]


@dataclass
class FormEntry:
    form: str
    title: str
    form_no: str
    stage: str
    values: dict[str, Any]
    submissions: list[int]
    document_id: str | None
    source: str


@dataclass
class ChangeEntry:
    at: str
    label: str
    old: str
    new: str
    submission: int | None
    form_title: str | None
    file: str | None
    sender: str | None


@dataclass
class FillEntry:
    submission: int | None
    title: str
    file: str
    sender: str
    at: str
    count: int


@dataclass
class ReviewEntry:
    submission: int
    title: str
    file: str
    sender: str
    received: str
    problems: list[tuple[str, str]]
    conflicts: list[tuple[str, str, str]]


@dataclass
class RejectedEntry:
    submission: int
    title: str
    file: str
    decided: str
    note: str


@dataclass
class OriginalEntry:
    number: int
    sha256: str
    filename: str
    kind: str  # pdf | image | word | other | missing
    kind_label: str
    size: int
    received: str
    source: str
    submission: int | None
    form_title: str
    stage: str | None
    status_label: str
    intact: bool
    path: Path

    @property
    def appendable(self) -> bool:
        return self.intact and self.kind in ("pdf", "image")


@dataclass
class DossierContent:
    code: str
    name: str
    customer: str | None
    region: str | None
    classification: str
    generated: datetime
    current_stage: str
    stage_filter: str | None
    version: int = 0  # the project record's version the dossier shows (one per accepted form)
    history_entries: int = 0  # changes of the record up to that version
    basics: list[tuple[str, str]] = field(default_factory=list)
    amounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # form, label, figure, 大写
    chronicle: list[tuple[date, str, str]] = field(default_factory=list)  # date, event, where
    people: list[tuple[str, str]] = field(default_factory=list)  # name, roles
    stages: list[StageEntry] = field(default_factory=list)
    forms: list[FormEntry] = field(default_factory=list)
    changes: list[ChangeEntry] = field(default_factory=list)
    fills: list[FillEntry] = field(default_factory=list)
    reviews: list[ReviewEntry] = field(default_factory=list)
    rejected: list[RejectedEntry] = field(default_factory=list)
    originals: list[OriginalEntry] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"项目档案（{self.stage_filter}阶段）" if self.stage_filter else "项目档案"


def load_content(store: Store, code: str, process: Process, *, stage: str | None = None,
                 generated: datetime | None = None) -> DossierContent:
    """Read a project's dossier content; ``stage`` restricts it to that stage's forms."""
    wanted = set(process.stage(stage).forms) if stage else None
    with store.snapshot() as session:  # one committed state, whatever imports commit meanwhile
        version = get_project(session, code).version
        record = load_record(session, code)
        status = project_status(session, code, process)
        subs = list(session.scalars(select(Submission).where(Submission.project_code == code)
                                    .order_by(Submission.id)))
        originals = {o.sha256: o for o in session.scalars(
            select(Original).where(Original.sha256.in_([s.sha256 for s in subs])))}
    content = DossierContent(
        code=record.code, name=record.name, customer=record.customer, region=record.region,
        classification=str(record.info.get("classification") or DEFAULT_CLASSIFICATION),
        generated=generated or now(), current_stage=status["current_stage"], stage_filter=stage,
        version=version, history_entries=len(record.history))
    order = _process_order(process)
    accepted = [s for s in subs if s.status == "accepted" and s.form]
    in_scope = (lambda form: form in wanted) if wanted is not None else (lambda form: True)
    accepted_forms = sorted({s.form for s in accepted if in_scope(s.form)}, key=order)
    content.basics = _basics(record, status, len(accepted_forms), subs)
    content.stages = _stages(status, record, accepted)
    content.forms = [_form_entry(form, record, [s for s in accepted if s.form == form], originals, process)
                     for form in accepted_forms]
    content.amounts = _amounts(record, accepted_forms)
    content.chronicle = _chronicle(record, accepted_forms)
    content.people = _people(record, accepted_forms)
    by_id = {s.id: s for s in subs}
    scoped_subs = [s for s in subs if wanted is None or (s.form in wanted)]
    scoped_ids = {s.id for s in scoped_subs}
    content.changes, content.fills = _history(record, by_id, scoped_ids if wanted is not None else None)
    content.reviews = [_review_entry(s, originals.get(s.sha256)) for s in scoped_subs if s.status == "review"]
    content.rejected = [RejectedEntry(s.id, _title(s.form), _filename(originals.get(s.sha256)),
                                      T.when(s.decided_at), s.decision_note or "—")
                        for s in scoped_subs if s.status == "rejected"]
    content.originals = _originals(store, scoped_subs, originals, process)
    return content


# -- helpers -------------------------------------------------------------------

def _process_order(process: Process) -> Any:
    ranks: dict[str, int] = {}
    for stage in process.stages:
        for form in stage.forms:
            ranks.setdefault(form, len(ranks))
    catalog = {spec.id: i for i, spec in enumerate(all_forms())}
    return lambda form: (ranks.get(form, len(ranks)), catalog.get(form, len(catalog)), form)


def _title(form: str | None) -> str:
    if not form:
        return "（未识别的文件）"
    try:
        return get_form(form).title
    except FormkitError:
        return form


def _filename(original: Original | None) -> str:
    return original.filename if original is not None else "—"


def _sender(original: Original | None) -> str:
    if original is None:
        return "—"
    if original.sender:
        return original.sender
    return "文件导入" if original.source_kind == "file" else original.source_kind


def _basics(record: ProjectRecord, status: dict[str, Any], forms: int,
            subs: list[Submission]) -> list[tuple[str, str]]:
    rows = [("项目代号", record.code), ("项目名称", record.name),
            ("客户名称", record.customer or "—"), ("项目所在地区", record.region or "—")]
    for key in ("general_contractor", "department", "contract_no"):
        if record.shared.get(key):
            rows.append((SHARED[key], str(record.shared[key])))
    amount = record.shared.get("contract_amount")
    if amount:
        rows.append(("合同金额(元)", f"{T.money_text(amount)}（大写：{T.daxie(amount)}）"))
    rows.append(("当前阶段", status["current_stage"]))
    rows.append(("已接受表单", f"{forms} 份"))
    review = sum(s.status == "review" for s in subs)
    rows.append(("待审核提交", f"{review} 份" if review else "无"))
    return rows


def _date_of_form(record: ProjectRecord, form: str, subs: list[Submission]) -> date | None:
    filled = T.as_date(record.forms.get(form, {}).get("filled_date"))
    if filled:
        return filled
    decided = [s.decided_at or s.received_at for s in subs if s.form == form]
    return T.local_date(max(decided)) if decided else None


def _stages(status: dict[str, Any], record: ProjectRecord, accepted: list[Submission]) -> list[StageEntry]:
    out = []
    for stage in status["stages"]:
        forms = [f["form"] for f in stage["forms"]]
        dates = [d for f in forms if any(s.form == f for s in accepted)
                 if (d := _date_of_form(record, f, accepted)) is not None]
        done = sum(f["state"] == "accepted" for f in stage["forms"])
        out.append(StageEntry(stage["name"], stage["state"], stage["state_label"],
                              min(dates) if dates else None, max(dates) if dates else None,
                              done, len(forms), list(stage["blockers"])))
    return out


def _form_entry(form: str, record: ProjectRecord, subs: list[Submission],
                originals: dict[str, Original], process: Process) -> FormEntry:
    spec = get_form(form)
    last = subs[-1]
    original = originals.get(last.sha256)
    ids = "、".join(f"#{s.id}" for s in subs)
    source = (f"依据提交 {ids}；最近一次：{_filename(original)}，{T.when(last.received_at)} 收到，"
              f"来源：{_sender(original)}。内容为项目记录的当前值。")
    stage = process.stage_of(form)
    return FormEntry(form, spec.title, spec.form_no, stage.name if stage else spec.stage,
                     record.form_values(form), [s.id for s in subs], last.document_id, source)


def _top_fields(form: str) -> list[tuple[str, Any]]:
    return list(get_form(form).model.model_fields.items())


def _amounts(record: ProjectRecord, forms: list[str]) -> list[tuple[str, str, str, str]]:
    out = []
    for form in forms:
        values = record.forms.get(form, {})
        for name, info in _top_fields(form):
            if name in SHARED or not T.is_money(info) or values.get(name) in (None, ""):
                continue
            value = values[name]
            out.append((get_form(form).title, info.title or name, T.money_text(value), T.daxie(value)))
    return out


def _chronicle(record: ProjectRecord, forms: list[str]) -> list[tuple[date, str, str]]:
    events: dict[tuple[date, str], list[str]] = {}
    for form in forms:
        values = record.forms.get(form, {})
        for name, info in _top_fields(form):
            label = info.title or name
            if name == "filled_date" or not T.is_date(info) or "签字" in label or "出生" in label:
                continue
            day = T.as_date(values.get(name))
            if day is not None:
                events.setdefault((day, label), []).append(get_form(form).title)
    return [(day, label, "、".join(f"《{t}》" for t in titles))
            for (day, label), titles in sorted(events.items())]


def _people(record: ProjectRecord, forms: list[str]) -> list[tuple[str, str]]:
    roles: dict[str, list[str]] = {}
    filled: dict[str, int] = {}
    for form in forms:
        values = record.form_values(form)
        title = get_form(form).title
        for name, info in _top_fields(form):
            label = info.title or name
            value = values.get(name)
            if not isinstance(value, str) or not value.strip():
                continue
            if name == "filled_by":
                for person in _names(value):
                    filled[person] = filled.get(person, 0) + 1
                continue
            if not _ROLE.search(label) or _NOT_ROLE.search(label):
                continue
            role = re.sub(r"[（(]签字[）)]|签字$", "", label)
            for person in _names(value):
                roles.setdefault(person, []).append(f"{title}·{role}")
    for person, count in filled.items():
        roles.setdefault(person, []).append(f"填表人（{count} 份表单）")
    return sorted(((p, "；".join(r)) for p, r in roles.items()), key=lambda item: -len(roles[item[0]]))


def _names(value: str) -> list[str]:
    """张卫东、李明（信息中心主任） -> 张卫东, 李明: the people a field names."""
    plain = _ASIDE.sub("", value.strip())
    return [n for n in _NAME_SPLIT.split(plain) if n and n != "无" and len(n) <= 12]


def _history(record: ProjectRecord, subs: dict[int, Submission],
             scope: set[int] | None) -> tuple[list[ChangeEntry], list[FillEntry]]:
    changes: list[ChangeEntry] = []
    fills: dict[int | None, FillEntry] = {}
    for h in record.history:
        if scope is not None and h.submission_id not in scope:
            continue
        info = T.field_info(h.key)
        if h.old is None:
            sub = subs.get(h.submission_id) if h.submission_id else None
            entry = fills.get(h.submission_id)
            if entry is None:
                title = _title(sub.form) if sub else "新建项目"
                entry = fills[h.submission_id] = FillEntry(
                    h.submission_id, title, h.file or "—", h.sender or ("文件导入" if h.file else "—"),
                    T.when(h.at), 0)
            entry.count += 1
            continue
        changes.append(ChangeEntry(T.when(h.at), h.label, T.shown(h.old, info), T.shown(h.new, info),
                                   h.submission_id, _title(h.form) if h.form else None, h.file,
                                   h.sender or ("文件导入" if h.file else None)))
    return changes, list(fills.values())


def _review_entry(sub: Submission, original: Original | None) -> ReviewEntry:
    problems = []
    name = original.filename if original is not None else None
    for p in sub.problems or []:
        message = str(p.get("message", ""))
        if name:  # the importer names the file by the path it was read from: the name is enough
            message = re.sub(r"\S*[/\\]" + re.escape(name), name, message)
        typed = p.get("value")
        if typed not in (None, "") and str(typed) not in message:
            message += f"（填写的是“{typed}”）"
        problems.append((str(p.get("label") or "文件"), message))
    conflicts = [(str(c.get("label")), T.shown(c.get("current"), T.field_info(str(c.get("key")))),
                  T.shown(c.get("proposed"), T.field_info(str(c.get("key"))))) for c in sub.conflicts or []]
    return ReviewEntry(sub.id, _title(sub.form), _filename(original), _sender(original),
                       T.when(sub.received_at), problems, conflicts)


def _originals(store: Store, subs: list[Submission], originals: dict[str, Original],
               process: Process) -> list[OriginalEntry]:
    out = []
    for sub in sorted(subs, key=lambda s: (originals[s.sha256].received_at if s.sha256 in originals
                                           else s.received_at, s.id)):
        original = originals.get(sub.sha256)
        path = store.original_path(sub.sha256)
        kind, label, intact = _inspect(path, original.filename if original else "", sub.sha256)
        stage = process.stage_of(sub.form) if sub.form else None
        out.append(OriginalEntry(
            number=len(out) + 1, sha256=sub.sha256, filename=_filename(original), kind=kind, kind_label=label,
            size=original.size if original else (path.stat().st_size if path.exists() else 0),
            received=T.when(original.received_at if original else sub.received_at),
            source=_sender(original), submission=sub.id, form_title=_title(sub.form),
            stage=stage.name if stage else None, status_label=STATUS_LABELS.get(sub.status, sub.status),
            intact=intact, path=path))
    return out


def _inspect(path: Path, filename: str, sha: str) -> tuple[str, str, bool]:
    """(kind, label, intact): the type from the file's first bytes, and whether its
    content still has the sha256 it was stored under (read in chunks)."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
            digest = hashlib.sha256(head)
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return "missing", "原件缺失", False
    intact = digest.hexdigest() == sha
    for magic, kind, label in _SNIFF:
        if head.startswith(magic):
            return kind, label, intact
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image", "WebP 图片", intact
    suffix = Path(filename).suffix.lower()
    if head.startswith(b"PK") and suffix in (".docx", ".docm"):
        return "word", "Word 文档", intact
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "other", "Office 97-2003 文档", intact
    if suffix == ".eml":
        return "other", "邮件", intact
    return "other", f"其他文件（{suffix or '无扩展名'}）", intact
