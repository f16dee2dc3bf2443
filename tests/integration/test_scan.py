"""Scans: render -> LibreOffice PDF -> 200 dpi, noise, 1.5° rotation, red stamp -> parse.

The samples of two core forms and three generated forms of every core form are rendered,
exported by one LibreOffice call and rasterised once per session; each scan
is parsed once. bench/scan.py measures all core forms' samples. Bad PDFs and
images exit 2 and are kept as originals.

Generated text is random: half- and full-width punctuation side by side
(项,目 next to 项，目), lone symbols, 30 equal digits. A reader cannot tell
, from ， by their look alone, so generated values are compared with the
width of punctuation and white space folded; the samples, written the way
people write Chinese, must read exactly (white space between Chinese and
Latin aside, as in the benchmark).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from formkit.forms import get_form
from formkit.office import convert
from formkit.parse import parse_bytes
from formkit.parse.scan import _Engine
from formkit.parse.values import OCR, ParsedForm
from formkit.render.render import render_form
from tests.integration.test_roundtrip import canonical
from tests.support.data import CORE, flatten, left_blank, sample
from tests.support.scans import scan_of, to_bytes
from tests.support.generated import generated_forms

FORMS = ["acceptance", "negotiation_plan"]
GENERATED = 3
_CJK_LATIN_SPACE = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) +(?=[\u3400-\u9fff])")


@dataclass
class Scan:
    name: str
    form: str
    data: dict[str, Any]
    document_id: str
    content: bytes
    parsed: ParsedForm | None = None


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scan]:
    folder = tmp_path_factory.mktemp("scan")
    cases = [(f"sample-{form}", form, sample("anfang", form)) for form in FORMS]
    for form in CORE:
        cases += [(f"generated-{n}-{form}", form, data)
                  for n, data in enumerate(generated_forms(form, GENERATED))]
    docs, ids = [], []
    for name, form, data in cases:
        rendered = render_form(get_form(form), data)
        docs.append(folder / f"{name}.docx")
        docs[-1].write_bytes(rendered.content)
        ids.append(rendered.identity.document_id)
    pdfs = convert(docs, "pdf", folder / "pdf")
    out = {name: Scan(name, form, data, document_id, to_bytes(scan_of(pdf, seed=3)))
           for (name, form, data), document_id, pdf in zip(cases, ids, pdfs)}
    # the acceptance sample photographed by a phone: mild perspective, 150 dpi, uneven light, on a desk
    photo = out["sample-acceptance"]
    out["photo-acceptance"] = Scan("photo-acceptance", photo.form, photo.data, photo.document_id,
                                   to_bytes(scan_of(pdfs[0], seed=5, photographed=True)))
    return out


def _parsed(scan: Scan) -> ParsedForm:
    if scan.parsed is None:
        scan.parsed = parse_bytes(scan.content, f"{scan.name}.pdf")
    return scan.parsed


def _typed(form: str, data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in flatten(canonical(form, data)).items() if not isinstance(v, bool)}


def _misread(scan: Scan, fold: Any) -> dict[str, tuple[Any, Any]]:
    got = flatten(_parsed(scan).data)
    return {k: (v, got.get(k)) for k, v in _typed(scan.form, scan.data).items() if fold(got.get(k)) != fold(v)}


def _unspaced(value: Any) -> Any:
    return _CJK_LATIN_SPACE.sub("", value) if isinstance(value, str) else value


def _folded(value: Any) -> Any:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)) if isinstance(value, str) else value


@pytest.mark.office
def test_scan_is_recognised_by_its_qr_code_and_read(scans: dict[str, Scan]) -> None:
    scan = scans["sample-acceptance"]
    parsed = _parsed(scan)
    assert (parsed.identity.form, parsed.identity.project_code, parsed.identity.document_id) == \
        ("acceptance", scan.data["project_code"], scan.document_id)
    assert set(parsed.sources.values()) == {OCR}
    assert all(0 <= c <= 1 for c in parsed.confidence.values())
    assert parsed.data["customer_stamped"] is True
    assert any("红色印章" in n for n in parsed.notices)
    engine = _Engine.get()  # shared with whole-page OCR (bench/scan.py): its settings are left alone
    assert (engine.use_det, engine.use_cls, engine.use_rec) == (True, True, True)


@pytest.mark.office
def test_samples_read_at_the_target_accuracy(scans: dict[str, Scan]) -> None:
    """≥ 98% of typed fields exact (the issue's target), white space between Chinese and Latin aside."""
    total = wrong = 0
    misread = {}
    for form in FORMS:
        scan = scans[f"sample-{form}"]
        total += len(_typed(form, scan.data))
        misread[form] = _misread(scan, _unspaced)
        wrong += len(misread[form])
    assert 1 - wrong / total >= 0.98, misread


@pytest.mark.office
def test_photographed_form_is_flattened_identified_and_read(scans: dict[str, Scan]) -> None:
    """A phone photo (page not square to the camera, 150 dpi, one corner a quarter darker,
    a dark desk around it): the perspective is undone by the tables' outline and the page
    read like a scan, at the target accuracy."""
    scan = scans["photo-acceptance"]
    parsed = _parsed(scan)
    assert (parsed.identity.form, parsed.identity.project_code, parsed.identity.document_id) == \
        ("acceptance", scan.data["project_code"], scan.document_id)
    total = len(_typed(scan.form, scan.data))
    misread = _misread(scan, _unspaced)
    assert 1 - len(misread) / total >= 0.98, misread
    assert parsed.data["customer_stamped"] is True


@pytest.mark.office
def test_generated_forms_are_identified_and_read(scans: dict[str, Scan]) -> None:
    """Random text, punctuation width and white space folded, three generated forms of
    every core form. 0.85 when first written; 0.94 on 87 fields once the reader found
    ink by marks with a dark core, let a list run on to the next page and checked 〇 and
    the case of letters against the glyphs; ~0.97 once lines were read 1.5 times as wide
    (a run of equal characters, ::: or 30 nines, and narrow marks get columns of their
    own in the recogniser's CTC), a line of small marks was cropped where its text line
    is and a full stop where no dot is was dropped; 312 of 318 (0.981) since a row cut
    by a page break stays one row whatever its kind, a table whose last row the office
    suite lost ends there, and 。, apostrophes, slashes, parens, 、, 目 and 0 are checked
    against the glyphs (tests/unit/parse/test_scan_reading.py).

    The values are drawn once and frozen (tests/data/generated_forms.yaml), the same on
    every machine. bench/scan.py reports the issue's target (0.98) over six generated
    forms of every core form; this smaller test guards against regression at 0.97, a
    few misreads below what it reads here, because the recogniser's floating point may
    differ on another CPU."""
    total = wrong = 0
    misread = {}
    for scan in scans.values():
        if not scan.name.startswith("generated"):
            continue
        parsed = _parsed(scan)
        assert (parsed.identity.form, parsed.identity.project_code, parsed.identity.document_id) == \
            (scan.form, scan.data["project_code"], scan.document_id), scan.name
        total += len(_typed(scan.form, scan.data))
        misread[scan.name] = _misread(scan, _folded)
        wrong += len(misread[scan.name])
    print(f"generated scans: {total - wrong} of {total} typed fields read", {k: v for k, v in misread.items() if v})
    assert total >= 300
    assert 1 - wrong / total >= 0.97, misread


@pytest.mark.office
def test_fields_left_blank_read_as_blank(scans: dict[str, Scan]) -> None:
    """Every scan: a blank control prints its grey prompt (点击输入…), and specks and a
    scanner's noise once made a few of its pixels as dark as ink: 116 fields left blank
    on the 30 generated forms bench/scan.py reads were read as 点, 点击, 入, 瀚…, some
    sure enough (0.86) to enter the record unreviewed. A row the data does not have
    must not be read either."""
    phantom = {}
    blank = 0
    for scan in scans.values():
        written = _typed(scan.form, scan.data)
        blank += len(left_blank(scan.form, scan.data))
        phantom.update({f"{scan.name}: {k}": v for k, v in flatten(_parsed(scan).data).items()
                        if k not in written and not isinstance(v, bool) and v not in (None, "", [])})
    assert blank >= 300
    assert not phantom


@pytest.mark.office
def test_ticks_are_read_from_the_boxes(scans: dict[str, Scan]) -> None:
    """Every checklist item and checkbox of every scan as written, and no tick read in
    a block left blank (the stamp aside: every scan is stamped, whatever the data
    says). A checklist's bold heading once gave two boxes too many (its 项 and 目 are
    squares of their size), and the items after a page break were not read: 53 of 145
    ticks on the generated forms bench/scan.py reads were wrong."""
    wrong = {}
    total = 0
    for scan in scans.values():
        want = {k: v for k, v in flatten(canonical(scan.form, scan.data)).items()
                if isinstance(v, bool) and k != "customer_stamped"}
        got = flatten(_parsed(scan).data)
        total += len(want)
        wrong.update({f"{scan.name}: {k}": (v, got.get(k)) for k, v in want.items() if got.get(k) != v})
        wrong.update({f"{scan.name}: {k}": (None, True) for k, v in got.items()
                      if v is True and k not in want and k != "customer_stamped"})
    assert total >= 60
    assert not wrong


@pytest.mark.office
def test_signature_cells_say_whether_they_hold_ink(scans: dict[str, Scan], tmp_path: Path) -> None:
    """项目验收单's 签字 cells, each said to hold ink or to be blank: typed names (the
    sample), a blank form under the customer's red stamp (its grey remains and the
    controls' grey prompts are no ink), and a pen stroke (read as "www", sure enough
    to enter the record unchecked). What a signature cell is read as always goes to a
    person, with the cell's image."""
    import numpy as np
    from PIL import ImageDraw

    from formkit.parse import scan as reader
    from tests.support.scans import _over_last_table, degrade, pages_of

    def states(parsed: ParsedForm) -> list[str]:
        return [n for n in parsed.notices if "签字处" in n or "印章" in n]

    assert states(_parsed(scans["sample-acceptance"])) == [
        "客户验收人(签字)：签字处有笔迹", "我方项目经理(签字)：签字处有笔迹", "监理(可选)：签字处空白",
        "检测到红色印章（客户已盖章）"]
    spec = get_form("acceptance")
    docx = tmp_path / "blank.docx"
    docx.write_bytes(render_form(spec, {"project_code": "P2026-009"}).content)
    [pdf] = convert([docx], "pdf", tmp_path / "pdf")
    pages = pages_of(pdf)
    blank = parse_bytes(to_bytes(scan_of(pdf, seed=3)), "blank.pdf")
    assert states(blank) == ["客户验收人(签字)：签字处空白", "我方项目经理(签字)：签字处空白", "监理(可选)：签字处空白",
                             "检测到红色印章（客户已盖章）"]
    # the customer signs: a pen stroke across the cell the reader finds for 客户验收人
    found = [reader.table_rows(np.asarray(page.convert("L")), i) for i, page in enumerate(pages)]
    placed, _ = reader.place_rows(spec.model, [r for rows, _ in found for r in rows], [clean for _, clean in found])
    [(page, (x0, y0, x1, y1))] = [(p.row.page, p.row.box(i)) for p in placed for i, c in enumerate(p.layout.cells)
                                  if c.path == "customer_signer"]
    mid = (y0 + y1) // 2
    ImageDraw.Draw(pages[page]).line([(x0 + 30 + 12 * k, mid + (10 if k % 2 else -10)) for k in range(14)],
                                     fill=(20, 20, 90), width=3)
    signed = [degrade(p, seed=3 + i, stamp_at=_over_last_table(p) if i == len(pages) - 1 else None)
              for i, p in enumerate(pages)]
    parsed = parse_bytes(to_bytes(signed), "signed.pdf")
    assert states(parsed)[0] == "客户验收人(签字)：签字处有笔迹"
    assert states(parsed)[1:3] == ["我方项目经理(签字)：签字处空白", "监理(可选)：签字处空白"]
    assert [p.kind for p in parsed.problems if p.path == "customer_signer"] == ["ocr"]  # for a person to check
    assert "customer_signer" in parsed.crops
    # typed names are checked too: a signature's reading is never taken on trust
    typed = _parsed(scans["sample-acceptance"])
    assert [(p.path, p.message) for p in typed.problems if p.path in ("customer_signer", "our_pm")] == [
        ("customer_signer", "签字处的笔迹识别为“张卫东”，签名请对照原件核对"),
        ("our_pm", "签字处的笔迹识别为“刘海波”，签名请对照原件核对")]


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


@pytest.mark.office
def test_a_photographed_form_sent_by_mail_as_jpg_is_read(scans: dict[str, Scan], tmp_path: Path) -> None:
    """A JPG attachment that is a page of a form: read by its QR code (it was once held
    for review unread, as any picture), provenance OCR; a picture that is not a form is
    still held, saying why."""
    import io

    import pypdfium2 as pdfium

    from formkit import project as api
    from tests.support.data import SAMPLES
    from tests.support.mail import attachment, message

    scan = scans["sample-acceptance"]
    doc = pdfium.PdfDocument(scan.content)
    jpg = io.BytesIO()
    doc[0].render(scale=200 / 72).to_pil().convert("RGB").save(jpg, "JPEG", quality=92)  # the page as scanned (200 dpi)
    doc.close()
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    photo = io.BytesIO()
    from PIL import Image

    Image.effect_noise((1200, 900), 60).convert("RGB").save(photo, "JPEG")  # big enough not to be a logo
    raw = message("验收单扫描件", [attachment("验收单.jpg", jpg.getvalue(), "image/jpeg"),
                                  attachment("现场.jpg", photo.getvalue(), "image/jpeg")])
    (tmp_path / "scan.eml").write_bytes(raw)
    report = api.import_all([tmp_path / "scan.eml"])
    rows = {r.name.rsplit(" › ", 1)[-1]: r for r in report.results}
    form = rows["验收单.jpg"]
    assert (form.form, form.project_code) == ("acceptance", scan.data["project_code"]), form.message
    assert form.outcome in ("accepted", "review") and form.submission_id
    sub = api.show(scan.data["project_code"]).submissions
    assert any(s.form == "acceptance" for s in sub)
    other = rows["现场.jpg"]
    assert other.outcome == "review" and "二维码" in other.message, other
