"""Where the time of parsing a returned .docx goes, step by step, next to the
baseline (zipfile + lxml walk of the controls) measured in the same run.

    python -m bench.profile [COUNT]

Each step of formkit.parse.docx is timed on its own over COUNT rendered
项目验收单 (default 100), CPU time of this process (other jobs on the machine
change it less than wall time), best of five rounds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def steps(count: int = 100, rounds: int = 5) -> dict[str, float]:
    """Milliseconds per document of each step, and of the baseline (``lxml_walk``)."""
    from bench.core import _contexts, lxml_walk
    from formkit import ooxml
    from formkit.parse import docx
    from formkit.parse.values import finish
    from formkit.render.render import _render_bytes

    spec, contexts = _contexts("acceptance", count)
    docs = [_render_bytes(spec.model, c, p) for c, p in contexts]
    docx.parse_docx(docs[0])  # warm the caches a batch warms once
    best: dict[str, float] = {}
    for _ in range(rounds):
        spent: dict[str, float] = {}

        def timed(name: str, fn: Callable[[], Any]) -> Any:
            start = time.process_time()
            result = fn()
            spent[name] = spent.get(name, 0.0) + time.process_time() - start
            return result

        for content in docs:
            pkg = timed("open (zip checks, main part parsed)", lambda: ooxml.open_package(content))
            identity = timed("identity (custom properties)", lambda: ooxml.read_identity(pkg))
            timed("simple() (byte and tree checks)", lambda: pkg.simple(pkg.main_part))
            timed("one walk: controls' text and place, fixed text", lambda: pkg.scan(pkg.main_part))
            controls = timed("content controls (Control objects)", lambda: ooxml.read_controls(pkg, body_only=True))
            legacy = timed("legacy form fields", lambda: ooxml.read_legacy_fields(pkg))
            timed("tracked changes", lambda: ooxml.tracked_changes(pkg))
            text = timed("fixed text", lambda: ooxml.fixed_text(pkg))
            reading = timed("values (tags -> fields)", lambda: docx._read_controls(spec.model, controls, legacy))
            fixed = timed("fixed text compared", lambda: docx._fixed_text_problems(spec.model, text))
            timed("validation (pydantic, rules, dump)",
                  lambda: finish(spec, identity, reading, notices=[], problems=fixed))
            held = [pkg, controls, legacy]  # controls and fields hold elements: the tree lives while they do
            del pkg, controls, legacy
            timed("close (zip closed, tree freed)", lambda: (held[0].close(), held.clear()))
        start = time.process_time()
        for content in docs:
            docx.parse_docx(content)
        spent["parse_docx, whole"] = time.process_time() - start
        start = time.process_time()
        for content in docs:
            lxml_walk(content)
        spent["baseline: zipfile + lxml walk"] = time.process_time() - start
        for name, seconds in spent.items():
            best[name] = min(best.get(name, float("inf")), seconds * 1000 / count)
    return best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    figures = steps(count)
    base = figures["baseline: zipfile + lxml walk"]
    print(f"{'step':48} {'ms/份':>8} {'× baseline':>11}")
    for name, ms in figures.items():
        print(f"{name:48} {ms:8.3f} {ms / base:11.2f}")


if __name__ == "__main__":
    main()
