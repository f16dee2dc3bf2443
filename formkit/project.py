"""The library facade: what the CLI (and any other tool) calls.

Each function is one use case; none prints. Errors are FormkitError
subclasses with a Chinese message that names the file, form and field.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from collections.abc import Callable

from formkit import ooxml, review
from formkit.config import limits, settings
from formkit.errors import DataFileError
from formkit.forms import FormSpec, all_forms, get_form
from formkit.forms.validate import validate_form
from formkit.intake import ImportResult, import_paths
from formkit.jobs import Workers, default_jobs, pool_size, render_job
from formkit.parse.docx import ParsedForm
from formkit.process import Process, load_process
from formkit.record import ProjectRecord
from formkit.render.builder import build_template
from formkit.render.render import Rendered, control_values, render_form
from formkit.status import all_projects, current_stage, project_status
from formkit.store import Document, Store, now
from formkit.store.records import check_code, create_project, get_project, load_record

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def load_data(path: Path) -> dict[str, Any]:
    """Read a --data file (JSON or YAML) in the shape of the form's JSON Schema."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as e:
        raise DataFileError(f"找不到数据文件 {path}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(f"数据文件 {path} 无法读取（应为 UTF-8 编码的 JSON 或 YAML）：{e}") from e
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise DataFileError(f"数据文件 {path} 格式有误：{e}") from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DataFileError(f"数据文件 {path} 的顶层应为键值对（对象），而不是 {type(data).__name__}")
    return data


def render_to_file(form: str, output: Path, data: dict[str, Any] | None = None,
                   *, project_code: str | None = None) -> Rendered:
    spec = get_form(form)
    rendered = render_form(spec, data, project_code=project_code)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(rendered.content)
    return rendered


def default_output(spec: FormSpec, project_code: str | None, blank: bool) -> Path:
    suffix = "空白" if blank else (project_code or "")
    name = f"{spec.title}-{suffix}.docx" if suffix else f"{spec.title}.docx"
    return Path(name)


def parse_file(path: Path, form: str | None = None) -> ParsedForm:
    """A returned form: .docx, PDF or scan (JPG/PNG), told by its content."""
    from formkit.parse import parse_path

    return parse_path(path, form)


def inspect_file(path: Path) -> dict[str, Any]:
    from formkit.parse import inspect_path

    return inspect_path(path)


def json_schema(spec: FormSpec) -> dict[str, Any]:
    schema = spec.model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://formkit.local/schemas/{spec.id}.json",
        **schema,
        "title": spec.title,
        "x-form-id": spec.id,
        "x-schema-version": spec.version,
        "x-stage": spec.stage,
        "x-form-no": spec.form_no,
    }


def schema_text(spec: FormSpec) -> str:
    return json.dumps(json_schema(spec), ensure_ascii=False, indent=2) + "\n"


def write_schemas(directory: Path, form: str | None = None) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    specs = [get_form(form)] if form else list(all_forms())
    written = []
    for spec in specs:
        path = directory / f"{spec.id}.json"
        path.write_text(schema_text(spec), encoding="utf-8")
        written.append(path)
    return written


def write_templates(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in all_forms():
        path = directory / f"{spec.id}.docx"
        path.write_bytes(build_template(spec.model))
        written.append(path)
    return written


@dataclass
class DemoFile:
    form: FormSpec
    kind: str  # 空白 / 预填 / 回收
    path: Path
    parsed: ParsedForm | None = None


@dataclass
class DemoRun:
    home: Path
    files: list[DemoFile]
    imports: list[ImportResult]
    projects: list[dict[str, Any]]
    dossier: Any = None  # DossierResult of the first sample project


def sample_projects() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if (p / "project.yaml").exists())


@contextmanager
def using_home(path: Path) -> Iterator[None]:
    """Run the enclosed calls on the SQLite store in ``path`` (FORMKIT_HOME set,
    FORMKIT_DB unset), then put the environment back."""
    saved = {k: os.environ.get(k) for k in ("FORMKIT_HOME", "FORMKIT_DB")}
    os.environ["FORMKIT_HOME"] = str(path)
    os.environ.pop("FORMKIT_DB", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_demo(directory: Path) -> DemoRun:
    """The whole loop on the sample projects, in a fresh store under ``directory``:
    create the projects, render each form (blank, and prefilled from the
    record), fill it in as the people concerned would, import what comes
    back, and report where each project stands."""
    home = directory / "formkit-home"
    if home.exists():
        shutil.rmtree(home)
    files: list[DemoFile] = []
    returned: list[Path] = []
    with using_home(home):
        for project_dir in sample_projects():
            info = load_data(project_dir / "project.yaml")
            project_from_file(project_dir / "project.yaml")
            target = directory / f"{info['code']}-{info['name']}"
            for spec in all_forms():
                data_file = project_dir / f"{spec.id}.yaml"
                if not data_file.exists():
                    continue
                blank = target / "发出" / f"{spec.title}-空白.docx"
                render_for_project(spec.id, info["code"], blank, blank=True)
                files.append(DemoFile(spec, "空白", blank))
                sent = target / "发出" / f"{spec.title}.docx"
                render_for_project(spec.id, info["code"], sent)
                files.append(DemoFile(spec, "预填", sent))
                back = target / "回收" / f"{spec.title}-已填.docx"
                back.parent.mkdir(parents=True, exist_ok=True)
                values = control_values(spec.model, load_data(data_file))
                back.write_bytes(ooxml.fill_controls(sent.read_bytes(), values))
                files.append(DemoFile(spec, "回收", back, parse_file(back)))
                returned.append(back)
        imports = import_files(returned)
        projects = list_projects()
        made = demo_dossier(directory)
    return DemoRun(home, files, imports, projects, made)


# -- the project store (records, imports, review, status) ---------------------

def open_store() -> Store:
    return Store()


def process() -> Process:
    return load_process(settings().process_file)


def new_project(code: str, name: str, *, customer: str | None = None, region: str | None = None,
                info: dict[str, Any] | None = None) -> dict[str, Any]:
    with open_store() as store, store.transaction() as session:
        project = create_project(session, code, name, customer=customer, region=region, info=info, at=now())
        return {"code": project.code, "name": project.name, "customer": project.customer, "region": project.region}


def project_from_file(path: Path) -> dict[str, Any]:
    data = load_data(path)
    known = {"code", "name", "customer", "region"}
    if not data.get("code") or not data.get("name"):
        raise DataFileError(f"项目文件 {path} 须包含 code（项目代号）和 name（项目名称）")
    info = {k: v for k, v in data.items() if k not in known}
    return new_project(str(data["code"]), str(data["name"]), customer=data.get("customer"),
                       region=data.get("region"), info=info)


def list_projects() -> list[dict[str, Any]]:
    with open_store() as store, store.transaction() as session:
        return all_projects(session, process())


def show(code: str) -> ProjectRecord:
    with open_store() as store, store.snapshot() as session:
        record = load_record(session, code)
        record.stage = current_stage(session, code, process())
        return record


def import_files(paths: list[Path], *, project: str | None = None,
                 on_result: Callable[[ImportResult], None] | None = None, jobs: int = 1) -> list[ImportResult]:
    if project:
        check_code(project)
    limits()  # a bad FORMKIT_MAX_* value stops the run before anything is stored
    with open_store() as store:
        return import_paths(store, paths, project=project, on_result=on_result, jobs=jobs)


def doctor() -> Any:
    """The store's integrity check (formkit.store.doctor.DoctorReport)."""
    from formkit.store.doctor import check

    with open_store() as store:
        return check(store)


def review_list(project: str | None = None) -> list[dict[str, Any]]:
    with open_store() as store:
        return review.pending(store, project)


def accept(submission_id: int, *, project: str | None = None, note: str | None = None) -> dict[str, Any]:
    with open_store() as store:
        return review.accept(store, submission_id, project=project, note=note)


def reject(submission_id: int, *, note: str | None = None) -> dict[str, Any]:
    with open_store() as store:
        return review.reject(store, submission_id, note=note)


def reply(submission_id: int, output: Path) -> Path:
    with open_store() as store:
        content = review.reply_document(store, submission_id)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(content)
    return output


def status(code: str | None = None) -> Any:
    with open_store() as store, store.snapshot() as session:
        if code:
            return project_status(session, code, process())
        return all_projects(session, process())


def render_for_project(form: str, code: str, output: Path, *, blank: bool = False,
                       data: dict[str, Any] | None = None) -> Rendered:
    """Render a form for a project (prefilled from its record unless blank or
    data is given) and remember what was sent, so that the returned copy's
    unchanged values are not taken as changes."""
    spec = get_form(form)
    with open_store() as store:
        with store.transaction() as session:
            get_project(session, code)
            values = data if data is not None else ({} if blank else load_record(session, code).form_values(spec.id))
        rendered = render_form(spec, values or None, project_code=code)
        with store.transaction() as session:
            sent = rendered_values(spec, values)
            session.add(Document(document_id=rendered.identity.document_id, project_code=code, form=spec.id,
                                 schema_version=spec.version, data=sent, issued_at=now()))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(rendered.content)
    return rendered


def rendered_values(spec: FormSpec, values: dict[str, Any] | None) -> dict[str, Any]:
    """The values as a returned copy will read if nobody changes them."""
    if not values:
        return {}
    checked = validate_form(spec.model, values, check_required=False)
    return checked.data


def render_stage(stage: str, code: str, directory: Path) -> list[tuple[FormSpec, Path]]:
    return [(spec, path) for _, spec, path in render_stages(stage, [code], directory, jobs=1)]


def project_codes() -> list[str]:
    """Every project in the store, by code."""
    from sqlalchemy import select

    from formkit.store import Project

    with open_store() as store, store.transaction() as session:
        return sorted(session.scalars(select(Project.code)))


def render_stages(stage: str, codes: list[str], directory: Path, *, jobs: int | None = None,
                  on_done: Callable[[str, FormSpec, Path], None] | None = None) -> list[tuple[str, FormSpec, Path]]:
    """Every form of ``stage`` for each project of ``codes``, prefilled from its
    record, as ``directory/CODE-表单名称.docx``. The documents are rendered by
    ``jobs`` worker processes (default: every core), one form's documents to a
    task so that each worker prepares few templates; here, in the order of a
    serial run, each is registered as issued and written. The files are the
    files of a serial run, apart from each document's own id (random, unique)."""
    forms = [get_form(form) for form in process().stage(stage).forms]
    codes = list(dict.fromkeys(codes))
    made: list[tuple[str, FormSpec, Path]] = []
    with Workers(pool_size(jobs, len(codes) * len(forms)), fork=True) as workers:
        workers.start()  # before the store opens: forked (safe then: formkit.jobs.fork_is_safe), not spawned
        with open_store() as store:
            _render_blocks(store, workers, forms, codes, directory, made, on_done)
    return made


def _render_blocks(store: Store, workers: Workers, forms: list[FormSpec], codes: list[str], directory: Path,
                   made: list[tuple[str, FormSpec, Path]],
                   on_done: Callable[[str, FormSpec, Path], None] | None) -> None:
    """Each block of projects: read their values, render (in the workers), then
    register each document as issued and write it, in the order of a serial run."""
    for block in range(0, len(codes), STAGE_BLOCK):  # bounded memory: this many projects' documents at a time
        values: dict[tuple[str, str], dict[str, Any]] = {}
        for code in codes[block:block + STAGE_BLOCK]:
            with store.transaction() as session:
                get_project(session, code)
                record = load_record(session, code)
                values |= {(code, spec.id): record.form_values(spec.id) for spec in forms}
        block_codes = codes[block:block + STAGE_BLOCK]
        chunks_per_form = max(1, -(-workers.jobs // len(forms))) if workers.parallel else 1
        per_task = max(1, -(-len(block_codes) // chunks_per_form))
        handles = {}
        for spec in forms:
            for start in range(0, len(block_codes), per_task):
                chunk = [(code, values[code, spec.id]) for code in block_codes[start:start + per_task]]
                handles[spec.id, start] = workers.submit(render_job, spec.id, chunk)
        done: dict[tuple[str, str], tuple[Rendered, dict[str, Any]]] = {}
        for n, code in enumerate(block_codes):
            for spec in forms:
                if (code, spec.id) not in done:
                    start = n // per_task * per_task
                    results = workers.result(handles.pop((spec.id, start)))
                    done |= {(c, spec.id): r for c, r in zip(block_codes[start:start + per_task], results)}
                rendered, sent = done.pop((code, spec.id))
                with store.transaction() as session:
                    session.add(Document(document_id=rendered.identity.document_id, project_code=code,
                                         form=spec.id, schema_version=spec.version, data=sent, issued_at=now()))
                path = directory / f"{code}-{spec.title}.docx"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(rendered.content)
                made.append((code, spec, path))
                if on_done:
                    on_done(code, spec, path)


STAGE_BLOCK = 100  # projects whose documents are rendered before they are registered and written


# -- mail intake (files, mail files, Maildir, IMAP) with progress and a report --

from formkit import intake  # noqa: E402  (kept with the functions that use it)


def import_all(paths: list[Path], *, project: str | None = None, imap: str | None = None,
               imap_password: str | None = None, folder: str | None = None, include_seen: bool = False,
               keep_results: bool = True, on_result: Callable[[ImportResult], None] | None = None,
               on_progress: Callable[[Any], None] | None = None,
               on_start: Callable[[list[Path], list[Any]], None] | None = None,
               jobs: int | None = None) -> intake.ImportReport:
    """Import files, folders, .eml/.msg/.mbox files, Maildir folders and (with
    ``imap``) the unseen messages of an IMAP folder (all with ``include_seen``),
    marking each imported message \\Seen. Every message is recorded once.
    ``jobs``: processes that parse files (default: every core); the results
    are the same as with 1."""
    if project:
        check_code(project)
    limits()  # a bad FORMKIT_MAX_* value stops the run before anything is stored
    extra = []
    if imap:
        location = intake.parse_url(imap, folder)
        extra.append(intake.imap_source(location, imap_password or "", include_seen=include_seen))
    with open_store() as store:
        return intake.import_sources(store, paths, project=project, extra=extra,
                                     report=intake.ImportReport(keep_results),
                                     on_result=on_result, on_progress=on_progress, on_start=on_start,
                                     jobs=jobs or default_jobs())


# -- the project dossier (项目档案) ---------------------------------------------

def dossier(code: str, output: Path | None = None, *, pdf: bool = False, zip: bool = False,
            stage: str | None = None) -> Any:
    """Write the dossier of a project: the Word file (``output``, a .docx or a
    folder; default 项目档案-CODE.docx), with ``pdf`` its PDF with every original
    PDF and scan appended, with ``zip`` an archive of the dossier and all
    originals. ``stage`` restricts it to one stage. Returns a DossierResult."""
    from formkit.dossier import build_dossier, default_name

    target = output if output is not None else Path(default_name(code, stage))
    if target.is_dir() or not target.suffix:
        target = target / default_name(code, stage)
    with open_store() as store:
        return build_dossier(store, code, process(), target, pdf=pdf, zip=zip, stage=stage)


def dossiers(codes: list[str], directory: Path, *, pdf: bool = False, zip: bool = False, stage: str | None = None,
             jobs: int | None = None, on_done: Callable[[Any], None] | None = None) -> list[Any]:
    """The dossier of each project of ``codes`` into ``directory`` (项目档案-CODE.docx …),
    built by ``jobs`` worker processes (default: every core). The content of
    each is read here, with one date for the batch; workers lay it out (Word,
    LibreOffice, PDF, zip) and read the originals from their files. Returns
    the DossierResults in the order of ``codes``, as a serial run would."""
    from formkit.dossier import default_name, load_content

    generated = now()
    with open_store() as store:
        contents = [load_content(store, code, process(), stage=stage, generated=generated)
                    for code in dict.fromkeys(codes)]
    results = []
    # seconds a dossier; forked when safe (the store is closed by now: formkit.jobs.fork_is_safe)
    with Workers(pool_size(jobs, len(contents), at_least=2), fork=True) as workers:
        handles = [workers.submit(_dossier_job, content, directory / default_name(content.code, stage), pdf, zip)
                   for content in contents]
        for handle in handles:
            result = workers.result(handle)
            results.append(result)
            if on_done:
                on_done(result)
    return results


def _dossier_job(content: Any, output: Path, pdf: bool, zip: bool) -> Any:
    from formkit.dossier import write_dossier

    return write_dossier(content, output, pdf=pdf, zip=zip)


def demo_dossier(directory: Path, code: str = "P2026-001") -> Any:
    """The demo's last step: the dossier of a sample project, beside its forms
    (PDF and zip too when LibreOffice is there; the Word file alone otherwise)."""
    from formkit.errors import OfficeError

    target = directory / f"{code}-{show(code).name}" / f"项目档案-{code}.docx"
    try:
        return dossier(code, target, pdf=True, zip=True)
    except OfficeError as e:
        result = dossier(code, target, zip=True)
        result.warnings.insert(0, f"未生成 PDF 版：{e}")
        return result
