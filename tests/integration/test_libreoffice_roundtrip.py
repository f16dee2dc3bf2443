"""The Word round trip after LibreOffice opened and saved the file.

This is what a real client does: open the form in LibreOffice, save it.
Prefilled samples, blank forms filled as Word would, and generated data
all go through one batched ``soffice --convert-to docx`` and must parse to
the same values.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis.errors import NonInteractiveExampleWarning

from formkit.forms import all_forms, get_form
from formkit.office import convert
from formkit.parse.docx import parse_docx
from formkit.render.render import render_form
from tests.integration.test_roundtrip import _typed, canonical
from tests.support.data import flatten, sample, sample_forms
from tests.support.strategies import form_data
from tests.support.wordlike import word_fill

pytestmark = pytest.mark.office


def _generated(count: int) -> list[tuple[str, dict]]:
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        for spec in all_forms():
            strategy = form_data(spec.model)
            out += [(spec.id, strategy.example()) for _ in range(count)]
    return out


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, dict, Path]]:
    """(name, form, expected data, LibreOffice-saved path) for every case."""
    folder = tmp_path_factory.mktemp("before")
    made: list[tuple[str, str, dict, Path]] = []
    for project, form in sample_forms():
        data = sample(project, form)
        spec = get_form(form)
        prefilled = folder / f"{project}-{form}-prefilled.docx"
        prefilled.write_bytes(render_form(spec, data).content)
        made.append((prefilled.stem, form, data, prefilled))
        blank = render_form(spec, project_code=data["project_code"]).content
        typed = folder / f"{project}-{form}-typed.docx"
        typed.write_bytes(word_fill(blank, _typed(flatten(data)), seed=3))
        made.append((typed.stem, form, data, typed))
    for n, (form, data) in enumerate(_generated(2)):
        path = folder / f"generated-{n}-{form}.docx"
        path.write_bytes(render_form(get_form(form), data).content)
        made.append((path.stem, form, data, path))
    saved = convert([c[3] for c in made], "docx", tmp_path_factory.mktemp("after"))
    return [(name, form, data, after) for (name, form, data, _), after in zip(made, saved)]


def test_every_case_survives_libreoffice(cases: list[tuple[str, str, dict, Path]]) -> None:
    assert len(cases) == 2 * len(sample_forms()) + 2 * len(list(all_forms()))
    failures = []
    for name, form, data, path in cases:
        parsed = parse_docx(str(path))
        if parsed.data != canonical(form, data):
            failures.append(name)
        if [p for p in parsed.problems if p.kind in ("value", "fixed_text")]:
            failures.append(f"{name}: {parsed.problems}")
        if parsed.identity.form != form or not parsed.identity.document_id:
            failures.append(f"{name}: identity {parsed.identity}")
    assert failures == []
