"""A folder of forms imports in bounded memory: the importing process keeps no
row per file (--json is printed row by row) and at most a few files per worker
are in flight. Ten times the files, the same peak (400 against 40 here, both
above formkit.jobs.PARALLEL_MIN so both use workers; bench/core.py bench_import
measures 1,000)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.core import ROOT, _fresh_home, _timed_rss, _write_forms
from formkit.jobs import PARALLEL_MIN


def peak_rss(folder: Path, home: Path) -> float:
    env = _fresh_home(home)
    return _timed_rss([sys.executable, "-m", "formkit", "import", str(folder), "--json"], env)[1]


def test_peak_rss_does_not_grow_with_the_folder(tmp_path: Path) -> None:
    assert 40 >= PARALLEL_MIN  # both runs take the same (parallel) path
    _write_forms(tmp_path / "small", 40)
    _write_forms(tmp_path / "large", 400)
    small = peak_rss(tmp_path / "small", tmp_path / "home-small")
    large = peak_rss(tmp_path / "large", tmp_path / "home-large")
    assert large < small * 1.15 + 5, (small, large)
    # and the rows printed as they went are the documented list
    env = _fresh_home(tmp_path / "home-json")
    out = subprocess.run([sys.executable, "-m", "formkit", "import", str(tmp_path / "small"), "--json", "--jobs", "2"],
                         env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    rows = json.loads(out)
    assert len(rows) == 40 and {r["outcome"] for r in rows} == {"accepted"}
