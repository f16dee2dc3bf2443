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


def not_after(bound: date | None, value: date | None, path: str, bound_label: str) -> Iterator[tuple[str, str]]:
    """A date that must fall on or before another (a visit before its report)."""
    if bound is not None and value is not None and value > bound:
        yield path, f"{format_date(value)} 晚于{bound_label} {format_date(bound)}"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def ratios_sum_to_100(ratios: Iterable[Decimal | None], path: str, what: str) -> Iterator[tuple[str, str]]:
    """Percentages that split a whole (payment terms, weights) add up to 100."""
    values = [r for r in ratios if r is not None]
    if values and sum(values, Decimal(0)) != 100:
        yield path, f"{what}之和为 {_plain(sum(values, Decimal(0)))}%，应为 100%"


def share_agrees(amount: Decimal | None, whole: Decimal | None, ratio: Decimal | None, path: str,
                 whole_label: str) -> Iterator[tuple[str, str]]:
    """An amount written beside its percentage of a whole: amount = whole × ratio."""
    if amount is None or whole is None or ratio is None:
        return
    expected = (whole * ratio / 100).quantize(CENT)
    if amount != expected:
        yield path, f"金额 {format_money(amount)} 不等于 {whole_label} × 比例 = {format_money(expected)}"


def weighted_score(total: Decimal | None, pairs: Iterable[tuple[Decimal | None, Decimal | None]],
                   path: str, what: str) -> Iterator[tuple[str, str]]:
    """A weighted score = Σ 权重(%) × 得分 / 100, to one decimal place (±0.05)."""
    rows = [(w, s) for w, s in pairs if w is not None and s is not None]
    if total is None or not rows:
        return
    expected = sum((w * s for w, s in rows), Decimal(0)) / 100
    if abs(total - expected) > Decimal("0.05"):
        yield path, f"{_plain(total)} 与按权重计算的{what} {_plain(expected.quantize(Decimal('0.1')))} 不符"


def at_most(value: Decimal | None, limit: Decimal | None, path: str, message: str) -> Iterator[tuple[str, str]]:
    if value is not None and limit is not None and value > limit:
        yield path, message
