"""Each parser's fuzzing harness, for a bounded time (bench/fuzz.py runs them longer)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.support.fuzz import HARNESSES

EXAMPLES = {"docx": 40, "pdf": 25, "mail": 60, "fields": 300}


@pytest.mark.parametrize("name", sorted(HARNESSES))
def test_fuzz_harness_finds_nothing(name: str) -> None:
    harness, strategy = HARNESSES[name]

    @settings(max_examples=EXAMPLES[name], deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(data: object) -> None:
        harness(data)

    run()


def test_fuzz_pdf_page_fails_to_load() -> None:
    """Found by bench/fuzz.py: a PDF that opens but one of whose pages pdfium
    cannot load raised PdfiumError out of parse_pdf."""
    from formkit.errors import NotAFormError
    from formkit.parse import parse_bytes
    from formkit.parse.pdf import inspect_pdf
    from tests.support.data import ROOT

    data = (ROOT / "tests" / "data" / "fuzz" / "pdf-page-fails-to-load.pdf").read_bytes()
    with pytest.raises(NotAFormError, match="模糊.pdf：PDF 文件已损坏，第 .* 页无法读取"):
        parse_bytes(data, "模糊.pdf")
    with pytest.raises(NotAFormError, match="页无法读取"):
        inspect_pdf(data, name="模糊.pdf")
