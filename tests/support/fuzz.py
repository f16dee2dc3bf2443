"""Fuzzing harnesses, one per parser, shared by the suite (few examples) and
bench/fuzz.py (many). A harness feeds one input to a parser; the errors
formkit raises on purpose (FormkitError and its subclasses) are the expected
outcome of bad input, anything else is a finding.

Inputs are real files (a rendered form, corpus PDFs and mails) truncated,
bit-flipped, spliced and overwritten by hypothesis.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache

from hypothesis import strategies as st

from formkit import fields
from formkit.errors import FormkitError
from tests.support.data import SHARED, sample

# What the email package raises on hostile input and formkit.intake.mail
# deliberately turns into "原邮件已保存，待人工处理" (mail._parse).
MAIL_HANDLED = (FormkitError, ValueError, LookupError, TypeError, AttributeError, IndexError, AssertionError)


@cache
def docx_seeds() -> list[bytes]:
    from formkit.forms import get_form
    from formkit.render.render import render_form

    return [render_form(get_form("acceptance"), sample("anfang", "acceptance")).content,
            render_form(get_form("payment_request"), None).content]


@cache
def pdf_seeds() -> list[bytes]:
    paths = sorted((SHARED / "corpus").glob("pdf_*/*.pdf"), key=lambda p: p.stat().st_size)[:4]
    return [p.read_bytes() for p in paths]


@cache
def mail_seeds() -> list[bytes]:
    from tests.support.mail import attachment, message

    paths = sorted((SHARED / "corpus").glob("eml_*/*.eml"), key=lambda p: p.stat().st_size)[:4]
    made = message("【P2026-001】验收单", [attachment("验收单.docx", docx_seeds()[0][:2000])])
    return [made, *(p.read_bytes() for p in paths)]


@st.composite
def mutated(draw: st.DrawFn, seeds: Callable[[], list[bytes]]) -> bytes:
    """A seed file, damaged: truncated, bits flipped, a run overwritten or duplicated."""
    data = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        kind = draw(st.sampled_from(["flip", "overwrite", "truncate", "splice"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at:at + len(chunk)] = chunk
        elif kind == "truncate":
            del data[at:]
        else:
            end = min(len(data), at + draw(st.integers(1, 256)))
            data[at:at] = data[at:end]
    return bytes(data)


def fuzz_docx(data: bytes) -> None:
    from formkit import ooxml
    from formkit.parse.docx import parse_docx

    try:
        with ooxml.open_package(data) as pkg:
            ooxml.read_controls(pkg)
    except FormkitError:
        pass
    try:
        parse_docx(data, name="模糊.docx")
    except FormkitError:
        pass


def fuzz_pdf(data: bytes) -> None:
    from formkit.parse import parse_bytes

    try:
        parse_bytes(data, "模糊.pdf")
    except FormkitError:
        pass


def fuzz_mail(data: bytes) -> None:
    from formkit.intake.mail import message_key
    from formkit.intake.mime import parse_mime

    message_key(data)  # never raises
    try:
        parse_mime(data)
    except MAIL_HANDLED:
        pass


NORMALISERS: list[Callable[[str], object]] = [
    fields.parse_date, fields.parse_decimal, fields.parse_quantity, fields.parse_money, fields.parse_daxie,
    fields.parse_percent, fields.parse_phone, fields.parse_bool, fields.classify,
]


def fuzz_fields(text: str) -> None:
    for parse in NORMALISERS:
        try:
            value = parse(text)
        except FormkitError:
            continue
        if parse is fields.parse_money and isinstance(value, Decimal) and value.is_finite() and abs(value) < 10**12:
            fields.to_daxie(value)  # what was read can be written back in 大写


# Field text: the characters people type into these fields, and anything else.
FIELD_TEXT = st.one_of(
    st.text(alphabet="0123456789〇零一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟圆元角分整正年月日号"
                     "-./:：,，.。%％¥￥+() 　负约", max_size=30),
    st.text(max_size=40),
)

HARNESSES: dict[str, tuple[Callable[[object], None], st.SearchStrategy[object]]] = {
    "docx": (fuzz_docx, mutated(docx_seeds)),
    "pdf": (fuzz_pdf, mutated(pdf_seeds)),
    "mail": (fuzz_mail, mutated(mail_seeds)),
    "fields": (fuzz_fields, FIELD_TEXT),
}
