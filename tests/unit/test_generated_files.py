"""schemas/ and templates/ are generated; fail when they are stale.

Regenerate with ``formkit schema`` and ``formkit templates``.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from formkit.forms import all_forms
from formkit.project import schema_text
from formkit.render.builder import build_template
from tests.support.data import ROOT

SPECS = list(all_forms())


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_schema_file_is_current(spec) -> None:
    path = ROOT / "schemas" / f"{spec.id}.json"
    assert path.exists(), f"{path} 不存在：请运行 formkit schema"
    assert path.read_text(encoding="utf-8") == schema_text(spec), f"{path} 已过期：请运行 formkit schema"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n.endswith((".xml", ".rels"))}


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_template_file_is_current(spec) -> None:
    path = ROOT / "templates" / f"{spec.id}.docx"
    assert path.exists(), f"{path} 不存在：请运行 formkit templates"
    assert _parts(path.read_bytes()) == _parts(build_template(spec.model)), f"{path} 已过期：请运行 formkit templates"


def test_no_stray_generated_files() -> None:
    ids = {s.id for s in SPECS}
    assert {p.stem for p in (ROOT / "schemas").glob("*.json")} == ids
    assert {p.stem for p in (ROOT / "templates").glob("*.docx")} == ids
