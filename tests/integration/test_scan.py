"""Scans: render -> LibreOffice PDF -> 200 dpi, noise, 1.5° rotation, red stamp -> parse.

One form per session fixture keeps OCR time bounded (~10 s); bench/scan.py
measures all core forms. Bad PDFs and images exit 2 and are kept as originals.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formkit.forms import get_form
from formkit.office import convert
from formkit.parse import parse_bytes
from formkit.parse.values import OCR
from formkit.render.render import render_form
from tests.integration.test_roundtrip import canonical
from tests.support.data import flatten, sample
from tests.support.scans import scan_of, to_bytes


@pytest.fixture(scope="module")
def acceptance_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict, str]:
    folder = tmp_path_factory.mktemp("scan")
    data = sample("anfang", "acceptance")
    rendered = render_form(get_form("acceptance"), data)
    docx = folder / "acceptance.docx"
    docx.write_bytes(rendered.content)
    (pdf,) = convert([docx], "pdf", folder)
    return to_bytes(scan_of(pdf, seed=3)), data, rendered.identity.document_id


@pytest.mark.office
def test_scan_is_recognised_by_its_qr_code_and_read(acceptance_scan: tuple[bytes, dict, str]) -> None:
    content, data, document_id = acceptance_scan
    parsed = parse_bytes(content, "验收单扫描件.pdf")
    assert (parsed.identity.form, parsed.identity.project_code, parsed.identity.document_id) == \
        ("acceptance", data["project_code"], document_id)
    expected = {k: v for k, v in flatten(canonical("acceptance", data)).items() if not isinstance(v, bool)}
    got = flatten(parsed.data)
    squash = lambda v: v.replace(" ", "") if isinstance(v, str) else v  # noqa: E731
    right = sum(squash(got.get(k)) == squash(v) for k, v in expected.items())
    assert right / len(expected) >= 0.9, {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
    assert set(parsed.sources.values()) == {OCR}
    assert all(0 <= c <= 1 for c in parsed.confidence.values())
    assert parsed.data["customer_stamped"] is True
    assert any("红色印章" in n for n in parsed.notices)


def _bad_files(tmp: Path) -> dict[str, bytes]:
    import pypdf

    good = render_form(get_form("acceptance"), project_code="P2026-001").content
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    import io

    encrypted = io.BytesIO()
    writer.write(encrypted)
    blank = io.BytesIO()
    plain = pypdf.PdfWriter()
    plain.add_blank_page(595, 842)
    plain.write(blank)
    return {
        "corrupt.pdf": b"%PDF-1.7\n1 0 obj <<>> garbage",
        "encrypted.pdf": encrypted.getvalue(),
        "blank.pdf": blank.getvalue(),
        "not-an-image.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        "huge.pdf": b"%PDF-1.4\n" + b" " * (51 * 1024 * 1024),
        "named-pdf-but-docx.pdf": good,
    }


def test_bad_pdfs_and_images_exit_2_with_a_chinese_message(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from formkit.cli import app

    runner = CliRunner()
    for name, content in _bad_files(tmp_path).items():
        path = tmp_path / name
        path.write_bytes(content)
        result = runner.invoke(app, ["parse", str(path)])
        if name == "named-pdf-but-docx.pdf":
            assert result.exit_code == 1, result.output  # read by content: a blank form with problems
            continue
        assert result.exit_code == 2, (name, result.output)
        assert "Traceback" not in result.output


def test_import_keeps_bad_files_as_originals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit import project

    monkeypatch.setenv("FORMKIT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FORMKIT_DB", raising=False)
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in _bad_files(tmp_path).items():
        if name != "huge.pdf":
            (folder / name).write_bytes(content)
    results = project.import_files([folder])
    assert len(results) == 5
    assert all(r.outcome == "review" for r in results), [r.as_dict() for r in results]
    originals = list((tmp_path / "home" / "originals").rglob("*"))
    assert len([p for p in originals if p.is_file()]) >= 5
