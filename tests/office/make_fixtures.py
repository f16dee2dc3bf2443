"""Make the "filled in LibreOffice" fixtures: python -m tests.office.make_fixtures

For each form: render it blank (project code P2026-001), fill every control
with the anfang sample data through LibreOffice's UNO API (uno_fill.py, run
by the system python that has python3-uno), and keep the saved .docx with the
values that were filled:

    tests/data/lo_filled/<form>.docx
    tests/data/lo_filled/<form>.values.json   tag -> value, as filled

About 3 s per document, so the results are committed and the test suite reads
them without LibreOffice. Re-run after changing the templates.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from formkit.forms import all_forms, get_form
from formkit.forms.validate import validate_form
from formkit.render.render import render_form

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "anfang"
OUT = ROOT / "tests" / "data" / "lo_filled"
UNO_FILL = Path(__file__).with_name("uno_fill.py")
UNO_PYTHON = "/usr/bin/python3"
PROJECT_CODE = "P2026-001"


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested form values -> {tag: value}: ``items[0].name``, ``a.b.c``, ``a.conditions[0]``."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(data, list):
        out = {}
        for i, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{i}]"))
        return out
    return {prefix: data}


def sample_values(form: str) -> dict[str, Any]:
    """The sample's values as the form model writes them (ISO dates, 1200000.00), flattened."""
    spec = get_form(form)
    raw = yaml.safe_load((SAMPLES / f"{form}.yaml").read_text(encoding="utf-8"))
    checked = validate_form(spec.model, raw, check_required=False)
    if checked.model is None:
        raise SystemExit(f"{form}: sample data does not validate: {checked.problems}")
    return flatten(checked.data)


def document_id(form: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"formkit-tests/lo_filled/{form}").hex


def make(form: str, out: Path) -> dict[str, Any]:
    values = sample_values(form)
    blank = render_form(get_form(form), project_code=PROJECT_CODE, document_id=document_id(form)).content
    with tempfile.TemporaryDirectory(prefix="lo-fixture-") as tmp:
        src, values_path = Path(tmp) / "blank.docx", Path(tmp) / "values.json"
        src.write_bytes(blank)
        values_path.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
        proc = subprocess.Popen([UNO_PYTHON, str(UNO_FILL), str(src), str(values_path), str(out / f"{form}.docx")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            stdout, stderr = proc.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            proc.terminate()  # uno_fill stops its soffice on SIGTERM
            proc.communicate(timeout=60)
            raise SystemExit(f"{form}: uno_fill timed out") from None
    if proc.returncode != 0:
        raise SystemExit(f"{form}: uno_fill failed ({proc.returncode}):\n{stdout}\n{stderr}")
    summary = json.loads(stdout)
    filled = {tag: value for tag, value in values.items() if tag not in summary["not_found"]}
    (out / f"{form}.values.json").write_text(
        json.dumps(filled, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("forms", nargs="*", help="form ids (default: every form)")
    parser.add_argument("--jobs", type=int, default=2, help="documents filled at once (each its own soffice)")
    args = parser.parse_args(argv)
    forms = args.forms or [spec.id for spec in all_forms()]
    OUT.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for form, summary in zip(forms, pool.map(lambda f: make(f, OUT), forms)):
            sys.stdout.write(f"{form}: {json.dumps(summary, ensure_ascii=False)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
