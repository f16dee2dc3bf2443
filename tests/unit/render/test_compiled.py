"""The compiled renderer makes the documents docxtpl makes."""

from __future__ import annotations

import io
import zipfile

import pytest

from formkit.forms import all_forms, get_form
from formkit.parse.docx import parse_docx
from formkit.render.render import Identity, _render_bytes, build_context, render_with_docxtpl
from formkit.forms.validate import validate_form
from tests.support.data import SAMPLES, sample

SPECS = list(all_forms())


def both(spec, data: dict | None) -> tuple[bytes, bytes]:
    instance = validate_form(spec.model, data, check_required=False).model if data else None
    identity = Identity(spec.id, spec.version, "P2026-001", "0123456789abcdef0123456789abcdef")
    props = {f"formkit.{k}": v for k, v in identity.as_dict().items()}
    fast = _render_bytes(spec.model, build_context(spec.model, instance, identity), props)
    slow = render_with_docxtpl(spec.model, build_context(spec.model, instance, identity), props)
    return fast, slow


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_same_document_as_docxtpl(spec) -> None:
    data = sample("anfang", spec.id) if (SAMPLES / "anfang" / f"{spec.id}.yaml").exists() else None
    for values in (None, data):
        fast, slow = both(spec, values)
        assert parse_docx(fast).as_dict() == parse_docx(slow).as_dict()
        with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(slow)) as b:
            assert sorted(a.namelist()) == sorted(b.namelist())
            assert a.testzip() is None


def test_tabs_and_unwritable_characters() -> None:
    spec = get_form("acceptance")
    data = sample("anfang", "acceptance") | {"customer_opinion": "第一项\t合格\x07\x0c结束\r\n第二行"}
    fast, slow = both(spec, data)
    parsed = parse_docx(fast)
    assert parsed.data["customer_opinion"] == "第一项\t合格  结束\n第二行"
    assert parsed.as_dict() == parse_docx(slow).as_dict()
