"""Batch commands with worker processes (``--jobs``): the output of ``--jobs 2``
is the output of ``--jobs 1`` (files, --json, the record and its history),
and a reader that fails in a worker loses nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from formkit import project as api
from formkit.cli import app
from formkit.forms import get_form
from formkit.intake import run as intake_run
from formkit.render.render import render_form
from formkit.store import Original, Store, Submission
from tests.integration.test_store_processes import make_forms
from tests.support.data import SAMPLES, sample
from tests.support.mail import zip_of

runner = CliRunner()
CODE = "P2026-001"


@pytest.fixture(autouse=True)
def small_batches_in_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 8 and more use workers here (32 in real use: formkit/jobs.py)."""
    from formkit import jobs

    monkeypatch.setattr(jobs, "PARALLEL_MIN", 8)


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    return result.stdout


def stable(value: Any) -> Any:
    """A --json document without its timestamps (when a row was written)."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k != "at" and not k.endswith("_at")}
    if isinstance(value, list):
        return [stable(v) for v in value]
    return value


def mixed_folder(folder: Path) -> Path:
    """Forms of two projects, one filled twice (a conflict), an identical copy
    (a duplicate within the run), an unreadable file, a zip with forms inside."""
    make_forms(folder, 14, "甲")
    spec = get_form("acceptance")
    base = sample("anfang", "acceptance")
    shutil.copy(folder / "甲-003.docx", folder / "甲-003-副本.docx")
    (folder / "坏文件.docx").write_bytes(b"PK\x03\x04 not a zip at all")
    (folder / "客户名称不同.docx").write_bytes(render_form(spec, base | {"customer_name": "另一家客户"}).content)
    other = render_form(spec, base | {"project_code": "P2099-999", "filled_by": "无此项目"}).content
    (folder / "无此项目.docx").write_bytes(other)
    inner = {f"压缩包内-{i}.docx": render_form(spec, base | {"filled_by": f"压缩{i}"}).content for i in range(3)}
    (folder / "表单.zip").write_bytes(zip_of(inner))
    return folder


def import_with(jobs: int, home: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    monkeypatch.setenv("FORMKIT_HOME", str(home))
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    rows = json.loads(cli("import", str(folder), "--json", "--jobs", str(jobs)))
    return rows, stable(json.loads(cli("show", CODE, "--json")))


def test_import_jobs_2_is_jobs_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = mixed_folder(tmp_path / "in")
    rows1, record1 = import_with(1, tmp_path / "home1", folder, monkeypatch)
    rows2, record2 = import_with(2, tmp_path / "home2", folder, monkeypatch)
    assert rows2 == rows1
    assert record2 == record1
    outcomes = [r["outcome"] for r in rows1]
    assert outcomes.count("duplicate") == 1 and outcomes.count("accepted") >= 14
    assert any(r["file"].endswith("表单.zip › 压缩包内-2.docx") and r["outcome"] == "accepted" for r in rows1)
    assert len(record1["history"]) > 20 and len(record1["submissions"]) == len(rows1) - 3  # not the duplicate, 坏文件, 无此项目


def test_import_jobs_2_again_is_all_duplicates(tmp_path: Path) -> None:
    folder = make_forms(tmp_path / "in", 10, "乙")
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    first = api.import_files([folder], jobs=2)
    again = api.import_files([folder], jobs=2)
    assert [r.outcome for r in first] == ["accepted"] * 10
    assert [(r.outcome, r.submission_id) for r in again] == [("duplicate", r.submission_id) for r in first]


def test_a_reader_failing_in_a_worker_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support import crashy

    folder = make_forms(tmp_path / "in", 10, "丙")
    (folder / "出错-1.docx").write_bytes((folder / "丙-002.docx").read_bytes() + b"\0\0")
    data = (folder / "丙-004.docx").read_bytes()
    (folder / "崩溃-1.docx").write_bytes(data + b"\0")  # other bytes: its own original
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    monkeypatch.setattr(intake_run, "PARSE_JOB", crashy.failing_parse_job)
    results = {Path(r.name).name: r for r in api.import_files([folder], jobs=2)}
    assert results["出错-1.docx"].outcome == "review"
    assert "读取时出错（RuntimeError" in results["出错-1.docx"].message
    assert results["崩溃-1.docx"].outcome == "review"
    assert "读取进程异常退出" in results["崩溃-1.docx"].message
    assert all(results[f"丙-{i:03}.docx"].outcome == "accepted" for i in range(10))
    with Store() as store, store.transaction() as session:
        kept = set(session.scalars(select(Original.sha256)))
        subs = {s.sha256: s.status for s in session.scalars(select(Submission))}
    for name in ("出错-1.docx", "崩溃-1.docx"):
        sha = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert sha in kept and subs[sha] == "review"
    with Store() as store:
        assert store.integrity_problems() == []


def test_tiny_batches_run_without_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support import crashy

    folder = make_forms(tmp_path / "in", 3, "丁")
    shutil.copy(folder / "丁-001.docx", folder / "出错-2.docx")
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    monkeypatch.setattr(intake_run, "PARSE_JOB", crashy.failing_parse_job)
    results = api.import_files([folder], jobs=2)  # 4 files: below PARALLEL_MIN, parsed here
    assert [r.outcome for r in results] == ["accepted", "accepted", "accepted", "duplicate"]


# -- stage: many projects --------------------------------------------------------

def make_projects() -> list[str]:
    codes = []
    for folder in sorted(p for p in SAMPLES.iterdir() if (p / "project.yaml").exists()):
        codes.append(api.project_from_file(folder / "project.yaml")["code"])
    for i in range(3):
        codes.append(api.new_project(f"P2027-{i:03}", f"测试项目{i}", customer=f"客户{i}", region="浙江省杭州市")["code"])
    return codes


def without_ids(path: Path) -> dict[str, bytes]:
    """A rendered .docx's parts with its document id blanked (the QR code that encodes it left out)."""
    import zipfile

    from formkit.parse import parse_path

    doc_id = parse_path(path).identity.document_id
    assert doc_id and len(doc_id) == 32
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).replace(doc_id.encode(), b"ID") for n in z.namelist() if not n.startswith("word/media/")}


def issued() -> list[tuple[str, str, Any]]:
    from formkit.store import Document

    with Store() as store, store.transaction() as session:
        return [(d.project_code, d.form, d.data) for d in session.scalars(select(Document).order_by(Document.issued_at))]


def stage_with(jobs: int, home: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[Any]]:
    monkeypatch.setenv("FORMKIT_HOME", str(home))
    make_projects()
    printed = cli("stage", "商务谈判", "--all", "-o", str(out), "--jobs", str(jobs))
    return printed.replace(str(out), "OUT"), issued()


def test_stage_for_all_projects_jobs_2_is_jobs_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    printed1, issued1 = stage_with(1, tmp_path / "home1", tmp_path / "out1", monkeypatch)
    printed2, issued2 = stage_with(2, tmp_path / "home2", tmp_path / "out2", monkeypatch)
    assert printed2 == printed1
    assert issued2 == issued1 and len(issued1) >= 10
    files1 = sorted(p.name for p in (tmp_path / "out1").iterdir())
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == files1 and len(files1) == len(issued1)
    for name in files1:
        assert without_ids(tmp_path / "out2" / name) == without_ids(tmp_path / "out1" / name), name
    ids = [api.parse_file(p).identity.document_id for p in (tmp_path / "out2").iterdir()]
    assert len(set(ids)) == len(ids)


def test_stage_for_several_projects(tmp_path: Path) -> None:
    codes = make_projects()
    result = runner.invoke(app, ["stage", "商务谈判", "--project", codes[1], "--project", codes[0],
                                 "-o", str(tmp_path), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert [(c, f) for c, f, _ in issued()] == [(codes[1], "purchase_criteria"), (codes[1], "negotiation_plan"),
                                               (codes[0], "purchase_criteria"), (codes[0], "negotiation_plan")]
    missing = runner.invoke(app, ["stage", "商务谈判", "--project", "P2099-999", "-o", str(tmp_path)])
    assert missing.exit_code != 0 and "P2099-999" in missing.output


# -- dossier --all -----------------------------------------------------------------

def test_dossier_all_jobs_2_is_jobs_1(tmp_path: Path) -> None:
    import zipfile

    codes = make_projects()
    api.import_files([make_forms(tmp_path / "in", 3, "戊")])
    runs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        rows = json.loads(cli("dossier", "--all", "--zip", "-o", str(out), "--json", "--jobs", str(jobs)))
        runs[jobs] = (out, json.loads(json.dumps(rows).replace(str(out), "OUT")))
    (out1, rows1), (out2, rows2) = runs[1], runs[2]
    assert rows2 == rows1
    assert [r["code"] for r in rows1] == sorted(codes) and rows1[0]["forms"] >= 1 and rows1[0]["pages"] > 1
    names = sorted(p.name for p in out1.iterdir())
    assert sorted(p.name for p in out2.iterdir()) == names and len(names) == 2 * len(codes)
    for name in names:
        if name.endswith(".docx"):
            assert docx_parts((out2 / name).read_bytes()) == docx_parts((out1 / name).read_bytes()), name
            continue
        with zipfile.ZipFile(out1 / name) as a, zipfile.ZipFile(out2 / name) as b:
            assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
            for info in a.infolist():
                x, y = a.read(info), b.read(info.filename)
                if info.filename.endswith(".docx"):
                    x, y = docx_parts(x), docx_parts(y)
                assert x == y, (name, info.filename)


def docx_parts(data: bytes) -> dict[str, bytes]:
    """A dossier's parts, its time of writing (docProps/core.xml) blanked: two
    runs differ in that only (the zip's dates are those of the parts)."""
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["docProps/core.xml"] = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", b"T",
                                        parts["docProps/core.xml"])
    return parts


def _workers_of(pid: int) -> list[int]:
    """The worker processes (spawned by multiprocessing) whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_workers_end_when_the_import_is_killed(tmp_path: Path) -> None:
    """SIGKILL of `formkit import` (as the kill test does, or the OOM killer) must not
    leave its workers waiting for work forever (they once did: 30 of them after a suite)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = make_forms(tmp_path / "forms", 64, "庚")  # above the real PARALLEL_MIN (32; patched to 8 here)
    proc = subprocess.Popen([sys.executable, "-m", "formkit", "import", str(folder), "--jobs", "2"],
                            env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = _workers_of(proc.pid)
    assert len(workers) == 2, "the import never started its workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 15
    while any(_running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if _running(w)], "workers outlived the killed import"


# -- fork or spawn ---------------------------------------------------------------------

def test_workers_are_forked_only_when_that_is_safe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stage render forks its workers (started before the store opens), and
    output is as with --jobs 1 (test above); with a database connection open
    or a second thread running, workers are spawned instead."""
    import threading

    from formkit import jobs

    forked: list[bool] = []
    start = jobs.Workers.start

    def recording_start(self: jobs.Workers) -> None:
        start(self)
        forked.append(self.forked)

    monkeypatch.setattr(jobs.Workers, "start", recording_start)
    make_projects()
    cli("stage", "商务谈判", "--all", "-o", str(tmp_path / "out"), "--jobs", "2")
    assert forked == [True]
    assert jobs.fork_is_safe()
    with Store() as store, store.transaction():
        assert not jobs.fork_is_safe()
        with jobs.Workers(2, fork=True) as workers:
            workers.start()
            assert not workers.forked
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not jobs.fork_is_safe()
    finally:
        stop.set()
        thread.join()
