"""Fuzzing: each parser's harness (tests/support/fuzz.py) run for a while.

    run() -> {"fuzz_docx_per_s": inputs per second through the .docx harness,
              "fuzz_docx_clean_s": seconds it ran without a finding,
              "fuzz_docx_findings": crashes found (0: none),
              ... the same for pdf, mail and fields}

    python -m bench.fuzz [SECONDS]   # per harness (default 30); prints JSON and any finding
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 10  # examples per hypothesis run; runs repeat, each with fresh randomness, until time is up


def fuzz_one(name: str, seconds: float) -> dict[str, Any]:
    from hypothesis import HealthCheck, Phase, given, settings

    from tests.support.fuzz import HARNESSES

    harness, strategy = HARNESSES[name]
    count = 0

    @settings(max_examples=CHUNK, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(data: object) -> None:
        nonlocal count
        count += 1
        harness(data)

    started = time.monotonic()
    finding = None
    while time.monotonic() - started < seconds:
        try:
            run()
        except Exception as e:  # noqa: BLE001 - a finding, reported with its input by hypothesis
            finding = f"{type(e).__name__}: {e}"[:2000]
            break
    elapsed = time.monotonic() - started
    return {"per_s": count / elapsed, "clean_s": elapsed,
            "findings": 0 if finding is None else 1, "examples": count, "finding": finding}


def run(seconds: float = 30) -> dict[str, Any]:
    from tests.support.fuzz import HARNESSES

    figures: dict[str, Any] = {}
    for name in HARNESSES:
        result = fuzz_one(name, seconds)
        figures[f"fuzz_{name}_per_s"] = round(result["per_s"], 1)
        figures[f"fuzz_{name}_clean_s"] = round(result["clean_s"], 1)
        figures[f"fuzz_{name}_findings"] = result["findings"]
        if result["finding"]:
            figures[f"fuzz_{name}_finding"] = result["finding"]
    return figures


if __name__ == "__main__":
    print(json.dumps(run(float(sys.argv[1]) if len(sys.argv) > 1 else 30), ensure_ascii=False, indent=2))
