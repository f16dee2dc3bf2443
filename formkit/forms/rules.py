"""Building blocks for cross-field rules; each yields (path, Chinese message)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from formkit.errors import FieldValueError
from formkit.fields import format_date, format_money, parse_daxie, to_daxie

CENT = Decimal("0.01")


def daxie_agrees(amount: Decimal | None, daxie: str | None, path: str, amount_label: str) -> Iterator[tuple[str, str]]:
    """The 大写 written beside an amount must say the same amount."""
    if amount is None or not daxie or daxie.strip() in {"无", "/"}:
        return
    try:
        said = parse_daxie(daxie)
    except FieldValueError as e:
        yield path, str(e)
        return
    if said != amount:
        yield path, (f"大写“{daxie}”是 {format_money(said)} 元，与{amount_label} {format_money(amount)} 元不一致；"
                     f"应为“{to_daxie(amount)}”")


def not_before(earlier: date | None, later: date | None, path: str, earlier_label: str) -> Iterator[tuple[str, str]]:
    if earlier is not None and later is not None and later < earlier:
        yield path, f"{format_date(later)} 早于{earlier_label} {format_date(earlier)}"


def sum_agrees(total: Decimal | None, parts: Iterable[Decimal | None], path: str, what: str) -> Iterator[tuple[str, str]]:
    values = [p for p in parts if p is not None]
    if total is None or not values:
        return
    expected = sum(values, Decimal(0)).quantize(CENT)
    if total != expected:
        yield path, f"{format_money(total)} 与{what}之和 {format_money(expected)} 不符"


def product_agrees(amount: Decimal | None, quantity: Decimal | None, price: Decimal | None, path: str) -> Iterator[tuple[str, str]]:
    if amount is None or quantity is None or price is None:
        return
    expected = (quantity * price).quantize(CENT)
    if amount != expected:
        yield path, f"金额 {format_money(amount)} 不等于 数量 × 单价 = {format_money(expected)}"
