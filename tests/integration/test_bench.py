"""The benchmark command runs and reports numbers (its figures live in bench/RESULTS.md)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.data import ROOT


def test_bench_quick_reports_ratios_as_numbers() -> None:
    out = subprocess.run([sys.executable, "-m", "bench", "--quick", "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    for key in ("render_vs_docxtpl", "parse_docx_vs_lxml", "import_docx_per_s_10", "import_docx_s_10_jobs_1",
                "import_jobs_speedup_10", "stage_render_s_15_jobs_1", "stage_jobs_speedup_15"):
        assert isinstance(figures[key], (int, float)) and figures[key] > 0
    assert figures["render_vs_docxtpl"] < 1  # compiled rendering beats plain docxtpl


def test_parse_profile_accounts_for_the_whole_parse() -> None:
    """bench/profile.py's steps add up to (about) the whole parse: no step is left out."""
    from bench.profile import steps

    figures = steps(count=5, rounds=2)
    whole = figures.pop("parse_docx, whole")
    base = figures.pop("baseline: zipfile + lxml walk")
    assert whole > 0 and base > 0
    assert 0.6 * whole <= sum(figures.values()) <= 1.6 * whole, (figures, whole)
