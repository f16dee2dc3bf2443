"""Real processes against one store: killed imports, concurrent imports."""

from __future__ import annotations

import json
import mailbox
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from formkit import project as api
from formkit.forms import get_form
from formkit.render.render import render_form
from formkit.store import Change, Project, Store, Submission
from tests.support.data import SAMPLES, sample
from tests.support.mail import attachment, message

CODE = "P2026-001"


@pytest.fixture
def backend(backend: str) -> str:
    """The conftest's backend, with the sample project in it."""
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    return backend


def make_forms(folder: Path, count: int, tag: str) -> Path:
    folder.mkdir(parents=True)
    spec = get_form("acceptance")
    base = sample("anfang", "acceptance")
    for i in range(count):
        data = base | {"customer_opinion": f"{tag} 第 {i} 份意见", "filled_by": f"{tag}{i}"}
        (folder / f"{tag}-{i:03}.docx").write_bytes(render_form(spec, data).content)
    return folder


def formkit(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "formkit", *args], env=os.environ.copy(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def count_submissions() -> int:
    with Store() as store, store.transaction() as session:
        return session.scalar(select(func.count()).select_from(Submission)) or 0


def test_two_concurrent_imports_both_land(backend: str, tmp_path: Path) -> None:
    a = make_forms(tmp_path / "a", 12, "甲")
    b = make_forms(tmp_path / "b", 12, "乙")
    procs = [formkit("import", str(a)), formkit("import", str(b))]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err.decode()
    assert count_submissions() == 24
    record = api.show(CODE)
    assert all(s.status == "accepted" for s in record.submissions)
    opinions = {h.new for h in record.history if h.key == "acceptance.customer_opinion"}
    assert len(opinions) == 24  # every update applied, none lost
    with Store() as store:
        assert store.integrity_problems() == []


FORMS_KILLED = 120


def test_import_killed_at_random_moments_leaves_a_consistent_store(backend: str, tmp_path: Path) -> None:
    # 120 forms: more than formkit.jobs.PARALLEL_MIN, so the import parses in workers and
    # records in the parent; with 40 the workers finished before a kill could land halfway
    folder = make_forms(tmp_path / "in", FORMS_KILLED, "丙")
    rng = random.Random(20261122)
    seen = []
    for _ in range(4):
        before = count_submissions()
        proc = formkit("import", str(folder))
        deadline = time.monotonic() + 60
        while count_submissions() == before and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # wait until it is importing
        time.sleep(rng.uniform(0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        seen.append(count_submissions())
        with Store() as store:
            assert store.integrity_problems() == []
    assert any(0 < n < FORMS_KILLED for n in seen), seen  # the kills did land halfway
    final = formkit("import", str(folder))
    out, err = final.communicate(timeout=300)
    assert final.returncode == 0, err.decode()
    assert count_submissions() == FORMS_KILLED
    again = formkit("import", str(folder))
    out, _ = again.communicate(timeout=300)
    assert f"重复 {FORMS_KILLED}" in out.decode()
    assert count_submissions() == FORMS_KILLED
    with Store() as store:
        assert store.integrity_problems() == []


def test_import_killed_at_over_100_random_moments(tmp_path: Path) -> None:
    """SIGKILL at many random moments of `formkit import` (forked from one
    preloaded process, so a kill costs only the work it interrupts)."""
    _many_kills(120, tmp_path, min_kills=100)


def test_import_killed_at_random_moments_postgresql(fresh_postgres_db: str, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("FORMKIT_DB", fresh_postgres_db)
    _many_kills(25, tmp_path, min_kills=15)


def _many_kills(runs: int, tmp_path: Path, *, min_kills: int) -> None:
    from formkit.store.doctor import check
    from formkit.store import now
    from datetime import timedelta

    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    root = tmp_path / "runs"
    proc = subprocess.run([sys.executable, "-m", "tests.support.killer", str(root), str(runs), "20261122"],
                          env=os.environ.copy(), capture_output=True, timeout=600, cwd=Path(__file__).parents[2])
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    report = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert report["problems"] == []  # after every kill: no damage, at most interrupted imports
    assert report["kills"] >= min_kills, report
    halfway = sum(1 for a, b in zip(report["submissions"], report["submissions"][1:]) if 0 < b - a < report["per_run"])
    assert halfway >= runs // 12, report  # kills landed between the files of a run, not only before or after
    with Store() as store:  # a minute later: temporary files of killed writes are stale
        for tmp in store.config.originals.glob("*/.incoming-*"):
            os.utime(tmp, (time.time() - 120, time.time() - 120))
    final = formkit("import", str(root))
    out, err = final.communicate(timeout=300)
    assert final.returncode == 0, err.decode()
    assert count_submissions() == report["files"]  # finished, no duplicates
    again = formkit("import", str(root))
    out, _ = again.communicate(timeout=300)
    assert f"重复 {report['files']}" in out.decode()
    assert count_submissions() == report["files"]
    doctor = subprocess.run([sys.executable, "-m", "formkit", "doctor"], env=os.environ.copy(), capture_output=True)
    assert doctor.returncode == 0, doctor.stdout.decode()
    with Store() as store:
        later = check(store, at=now() + timedelta(minutes=2))
    assert later.problems == [] and later.interrupted == [], later


def _mbox(path: Path, forms: list[Path], also: list[Path]) -> Path:
    """First the forms of ``also`` (another importer's first files: the two
    race for them), then one message per form of ``forms``; the project in
    each subject."""
    box = mailbox.mbox(str(path))
    for n, form in enumerate([*also, *forms]):
        again = form in also
        box.add(message(f"{'转发：' if again else ''}【{CODE}】验收单 {n}", [attachment(form.name, form.read_bytes())],
                        message_id=f"<concurrent-{n}@example.com>"))
    box.flush()
    box.close()
    return path


def _record_history() -> tuple[int, list[int], list[int]]:
    """(the project's version, the ids of the accepted submissions in the order
    they were applied, and after each the number of history entries)."""
    with Store() as store, store.transaction() as session:
        version = session.get(Project, CODE).version
        changes = list(session.scalars(select(Change).where(Change.project_code == CODE).order_by(Change.id)))
    order: list[int] = []
    counts: list[int] = []
    for change in changes:
        if change.submission_id not in order:
            order.append(change.submission_id)
            counts.append(0)
        counts[-1] += 1
    return version, order, [sum(counts[: k + 1]) for k in range(len(counts))]


def _wait_for_submissions(count: int, procs: list[subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 120
    while count_submissions() < count and any(p.poll() is None for p in procs) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_three_importers_and_dossier_builds_at_once(backend: str, tmp_path: Path) -> None:
    """Issue 9, item 5: three importers (folders a and b; folders a and c:
    the two race for every file of a; an mbox forwarding a's first forms,
    and folder d) and two pairs of dossier builds, each pair started together
    while they run. No lost update (the record's version goes up once per
    accepted form, every change is in the history), no duplicate submission
    (PostgreSQL raised UniqueViolation before importers took turns on an
    original), each dossier shows one committed state of the record, and
    `formkit doctor` is clean afterwards."""
    a = make_forms(tmp_path / "a", 16, "丁")
    b = make_forms(tmp_path / "b", 12, "戊")
    c = make_forms(tmp_path / "c", 12, "庚")
    d = make_forms(tmp_path / "d", 8, "辛")
    box = _mbox(tmp_path / "收件箱.mbox", sorted(make_forms(tmp_path / "m", 12, "己").iterdir()),
                sorted(a.iterdir())[:3])
    unique = 16 + 12 + 12 + 8 + 12
    with Store() as store, store.transaction() as session:
        version = session.get(Project, CODE).version
    assert _record_history()[1] == []
    importers = [formkit("import", str(a), str(b)), formkit("import", str(a), str(c)),
                 formkit("import", str(box), str(d))]
    builds = []
    for round_ in range(2):  # two pairs, each started together: the first at once (it usually reads the
        if round_:           # record before the importers commit), the second once a third of the forms
            _wait_for_submissions(unique // 3, importers)  # are in, so it reads while they commit
        assert any(p.poll() is None for p in importers), "the importers finished before the builds started"
        builds += [formkit("dossier", CODE, "-o", str(tmp_path / f"档案-{round_}-{n}.docx"), "--json")
                   for n in range(2)]
    dossiers = []
    for build in builds:
        out, err = build.communicate(timeout=300)
        assert build.returncode == 0, err.decode()
        dossiers.append(json.loads(out))
    for proc in importers:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()

    assert count_submissions() == unique  # the forms several importers had: once each
    record = api.show(CODE)
    assert all(s.status == "accepted" for s in record.submissions)
    opinions = [h.new for h in record.history if h.key == "acceptance.customer_opinion"]
    assert len(opinions) == len(set(opinions)) == unique  # every update applied, none lost
    final, order, cumulative = _record_history()
    assert final == version + unique  # each accepted form bumped it once
    assert sorted(order) == sorted(s.id for s in record.submissions)
    assert len(record.history) == cumulative[-1]
    for d in dossiers:  # each one committed state: as many forms' originals and changes as its version says
        applied = d["version"] - version
        assert d["originals"] == applied, d
        assert d["history"] == (cumulative[applied - 1] if applied else 0), (d, cumulative)
        assert Path(d["docx"]).stat().st_size > 0
    print("forms applied in each dossier:", [d["version"] - version for d in dossiers], "of", unique)
    doctor = subprocess.run([sys.executable, "-m", "formkit", "doctor"], env=os.environ.copy(), capture_output=True)
    assert doctor.returncode == 0, doctor.stdout.decode()
