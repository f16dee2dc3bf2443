"""bench/fuzz.py reports throughput and clean time for every harness."""

from __future__ import annotations

from bench.fuzz import run


def test_bench_fuzz_reports_every_harness() -> None:
    figures = run(0.5)
    for name in ("docx", "pdf", "mail", "fields"):
        assert figures[f"fuzz_{name}_per_s"] > 0
        assert figures[f"fuzz_{name}_findings"] == 0, figures.get(f"fuzz_{name}_finding")
        assert figures[f"fuzz_{name}_clean_s"] >= 0.5
