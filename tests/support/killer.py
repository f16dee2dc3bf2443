"""Kill ``formkit import`` at many random moments, cheaply.

Run as ``python -m tests.support.killer ROOT RUNS SEED``. formkit is imported
once; each run forks a child that runs the ``formkit import`` command on a new
small folder (ROOT/run-NNN) and is killed with SIGKILL at a random moment of
its work. Odd runs are killed at a random moment of the whole run; even runs
once a random number of their files (1 to 4 of 5) has been recorded, so that
kills land between the files of a run however long start-up takes on the
machine (on a loaded CI machine start-up is most of a run). After every kill
the store is checked; one JSON line reports the kills, the submissions seen
after each and every integrity problem found.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from formkit.cli import app
from formkit.forms import get_form
from formkit.parse import docx as _docx  # noqa: F401  (preloaded: the child only imports)
from formkit.render.render import render_form
from formkit.store import Store, Submission
from formkit.store.doctor import check
from tests.support.data import sample

FILES_PER_RUN = 5
WARM_RUNS = 3


def _submissions() -> int:
    with Store() as store, store.transaction() as session:
        return session.scalar(select(func.count()).select_from(Submission)) or 0


def _wait_for_records(pid: int, count: int, *, deadline: float) -> int | None:
    """Until the store holds ``count`` submissions, the child has ended (its
    wait status is returned) or the deadline has passed. The store is opened
    after the fork and closed before the next one."""
    with Store() as store:
        while time.monotonic() < deadline:
            ended, status = os.waitpid(pid, os.WNOHANG)
            if ended:
                return status
            with store.transaction() as session:
                if (session.scalar(select(func.count()).select_from(Submission)) or 0) >= count:
                    return None
            time.sleep(0.002)
    return None


def _child(folder: Path) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    try:
        app(["import", str(folder)], standalone_mode=False)
    finally:
        os._exit(0)


def _run_once(folder: Path) -> float:
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(folder)
    os.waitpid(pid, 0)
    return time.monotonic() - started


def main(root: Path, runs: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    spec, base = get_form("acceptance"), sample("anfang", "acceptance")

    def folder(n: int) -> Path:
        path = root / f"run-{n:+04}"
        path.mkdir(parents=True)
        for i in range(FILES_PER_RUN):
            data = base | {"customer_opinion": f"第 {n} 轮第 {i} 份意见", "filled_by": f"杀{n}-{i}"}
            (path / f"{i}.docx").write_bytes(render_form(spec, data).content)
        return path

    warm = sorted(_run_once(folder(-k)) for k in range(WARM_RUNS))
    whole = warm[len(warm) // 2]  # how long an uninterrupted run takes (median)
    kills, problems, counts = 0, [], []
    for n in range(1, runs + 1):
        path = folder(n)
        before = _submissions()
        pid = os.fork()
        if pid == 0:
            _child(path)
        status = None
        if n % 2:
            time.sleep(rng.uniform(0, 0.9 * whole))
        else:
            status = _wait_for_records(pid, before + rng.randint(1, FILES_PER_RUN - 1),
                                       deadline=time.monotonic() + 10 * whole)
        if status is None:
            os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        kills += os.WIFSIGNALED(status)
        with Store() as store:  # closed before the next fork
            report = check(store)
        problems += report.problems
        counts.append(_submissions())
    return {"runs": runs, "kills": kills, "whole_run_s": round(whole, 3), "submissions": counts,
            "problems": problems, "files": (runs + WARM_RUNS) * FILES_PER_RUN, "per_run": FILES_PER_RUN}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])), ensure_ascii=False))
