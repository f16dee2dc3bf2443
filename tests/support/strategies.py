"""Hypothesis strategies that generate valid values for any form model."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args, get_origin

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from formkit.fields import Money, Percent, Phone, Quantity, classify
from formkit.forms.base import Section, field_meta, list_item, section_type, unwrap_optional

# Text people write: CJK, Latin, digits, punctuation and the XML specials.
_ALPHABET = st.sampled_from(list("项目验收安防监控系统工程客户张王李〇一二三ABCxyz0123456789 ,.;:()（）、。<>&\"'%#-/"))
_TEXT = st.text(_ALPHABET, min_size=1, max_size=30).map(str.strip).filter(
    lambda s: classify(s, "点击输入…") == "value")
_MULTILINE = st.lists(_TEXT, min_size=1, max_size=3).map("\n".join)


def _scalar(annotation: Any, meta: dict[str, Any]) -> st.SearchStrategy[Any]:
    annotation = unwrap_optional(annotation)
    if annotation == Money:
        return st.decimals(0, 10**10, places=2, allow_nan=False, allow_infinity=False).map(lambda d: f"{d:.2f}")
    if annotation == Percent:
        return st.integers(0, 100).map(str)
    if annotation == Quantity:
        return st.integers(0, 10000).map(str)
    if annotation == Phone:
        return st.integers(3, 9).flatmap(lambda d: st.integers(10**8, 10**9 - 1).map(lambda n: f"1{d}{n}"))
    base = annotation
    while get_origin(base) is Annotated:
        base = get_args(base)[0]
    if base is bool:
        return st.booleans()
    if base is date:
        return st.dates(date(2000, 1, 1), date(2099, 12, 31))
    if get_origin(base) is Literal:
        return st.sampled_from(get_args(base))
    if base is str:
        return _MULTILINE if meta.get("multiline") else _TEXT
    raise TypeError(f"no strategy for {annotation!r}")


@st.composite
def section_data(draw: st.DrawFn, model: type[Section]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        meta = field_meta(info)
        inner = section_type(info.annotation)
        if name == "project_code":
            out[name] = draw(st.from_regex(r"P20[2-3][0-9]-[0-9]{3}", fullmatch=True))
            continue
        if not draw(st.booleans()) and not meta.get("required"):
            continue
        if inner is not None and list_item(info.annotation) is not None:
            out[name] = draw(st.lists(section_data(inner), min_size=1, max_size=4)
                             .filter(lambda rows: all(any(v not in (None, False) for v in r.values()) for r in rows)))
        elif inner is not None:
            out[name] = draw(section_data(inner))
        elif list_item(info.annotation) is not None:
            count = sum(len(g["items"]) for g in meta.get("checklist", []))
            out[name] = draw(st.lists(st.booleans(), min_size=count, max_size=count))
        else:
            out[name] = draw(_scalar(info.annotation, meta))
    return out


def form_data(model: type[Section]) -> st.SearchStrategy[dict[str, Any]]:
    return section_data(model)


def examples(strategy: st.SearchStrategy[Any], n: int) -> list[Any]:
    """n generated values, the same on every run (the first, simplest one skipped)."""
    found: list[Any] = []

    @settings(max_examples=n + 1, derandomize=True, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), deadline=None)
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found[1:n + 1]
