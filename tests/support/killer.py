"""Kill ``formkit import`` at many random moments, cheaply.

Run as ``python -m tests.support.killer ROOT RUNS SEED``. formkit is imported
once; each run forks a child that runs the ``formkit import`` command on a new
small folder (ROOT/run-NNN) and is killed with SIGKILL at a random moment of
its work. After every kill the store is checked; one JSON line reports the
kills, the submissions seen after each and every integrity problem found.
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
        pid = os.fork()
        if pid == 0:
            _child(path)
        time.sleep(rng.uniform(0, 0.9 * whole))
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
