"""Scans and PDFs: speed against the underlying libraries, OCR accuracy.

    run() -> {"scan_vs_fullpage_ocr": t(parse_scan) / t(rapidocr on every whole page: detection,
                                      direction and recognition, by the same engine),
              "scan_field_accuracy": typed fields read exactly (white space
                                      between Chinese and Latin ignored),
              "scan_field_accuracy_strict": exactly, white space included,
              "scan_identity_accuracy": forms whose QR identity was right,
              "parse_pdf_vs_pdfplumber": t(parse_pdf) / t(pdfplumber extract_tables)}

The core forms' samples are rendered, exported by LibreOffice (one call),
rasterised at 200 dpi with noise, a 1.5° rotation and a red stamp.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORE = ["tracking_sheet", "project_initiation", "solution_spec", "negotiation_plan", "acceptance"]
_SPACE = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) +(?=[\u3400-\u9fff])")


def _typed(flat: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in flat.items() if not isinstance(v, bool)}


def run() -> dict[str, float]:
    import numpy as np
    import pdfplumber

    from formkit.forms import get_form
    from formkit.office import convert
    from formkit.parse.pdf import parse_pdf
    from formkit.parse.scan import _Engine, parse_scan
    from formkit.render.render import render_form
    from tests.integration.test_roundtrip import canonical
    from tests.support.data import flatten, sample
    from tests.support.scans import scan_of, to_bytes

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docs = []
        for form in CORE:
            path = folder / f"{form}.docx"
            path.write_bytes(render_form(get_form(form), sample("anfang", form)).content)
            docs.append(path)
        pdfs = convert(docs, "pdf", folder / "pdf")
        t_pdf = t_plumber = t_scan = t_full = 0.0
        right = strict = total = identities = 0
        _Engine.get()
        for form, pdf in zip(CORE, pdfs):
            parse_pdf(str(pdf))
            start = time.perf_counter()
            parse_pdf(str(pdf))
            t_pdf += time.perf_counter() - start
            start = time.perf_counter()
            with pdfplumber.open(pdf) as doc:
                for page in doc.pages:
                    page.extract_tables()
            t_plumber += time.perf_counter() - start
            pages = scan_of(pdf, seed=7)
            data = to_bytes(pages)
            start = time.perf_counter()
            parsed = parse_scan(data)
            t_scan += time.perf_counter() - start
            start = time.perf_counter()
            for page in pages:  # a whole-page OCR: detection, direction and recognition, said explicitly
                _Engine.get()(np.asarray(page), use_det=True, use_cls=True, use_rec=True)
            t_full += time.perf_counter() - start
            data_in = sample("anfang", form)
            identities += (parsed.identity.form, parsed.identity.project_code) == (form, data_in["project_code"])
            expected = _typed(flatten(canonical(form, data_in)))
            got = flatten(parsed.data)
            for key, value in expected.items():
                total += 1
                strict += got.get(key) == value
                right += isinstance(value, str) and isinstance(got.get(key), str) and \
                    _SPACE.sub("", got[key]) == _SPACE.sub("", value) or got.get(key) == value
    return {"scan_vs_fullpage_ocr": round(t_scan / t_full, 3),
            "scan_field_accuracy": round(right / total, 4),
            "scan_field_accuracy_strict": round(strict / total, 4),
            "scan_identity_accuracy": identities / len(CORE),
            "parse_pdf_vs_pdfplumber": round(t_pdf / t_plumber, 3)}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
