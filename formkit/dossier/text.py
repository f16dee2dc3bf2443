"""How record values and times read in the dossier.

Record values are JSON (dates as ISO strings, money as decimal strings);
the dossier prints them the way the forms do: 2026年3月5日, 1,180,000.00,
30%, 是/否, and a list of rows as its rows. Times are Beijing time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic.fields import FieldInfo

from formkit.errors import FormkitError
from formkit.fields import Money, Percent, format_date, format_money, format_percent, to_daxie
from formkit.forms import get_form
from formkit.forms.base import field_at, section_type, unwrap_optional
from formkit.record import SHARED

BEIJING = timezone(timedelta(hours=8), "北京时间")
EMPTY = "（空）"
LIST_LIMIT = 160


def field_info(key: str) -> FieldInfo | None:
    """The field a record key names (shared keys: as the first form that has it)."""
    if key in SHARED:
        from formkit.forms import all_forms

        for spec in all_forms():
            if key in spec.model.model_fields:
                return spec.model.model_fields[key]
        return None
    form, _, path = key.partition(".")
    try:
        return field_at(get_form(form).model, path)
    except (FormkitError, KeyError, ValueError):
        return None


def is_money(info: FieldInfo | None) -> bool:
    return info is not None and unwrap_optional(info.annotation) == Money


def is_date(info: FieldInfo | None) -> bool:
    if info is None:
        return False
    base = unwrap_optional(info.annotation)
    while hasattr(base, "__metadata__"):
        base = base.__origin__
    return base is date


def as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def money_text(value: Any) -> str:
    try:
        return format_money(str(value))
    except (FormkitError, InvalidOperation, ValueError):
        return str(value)


def daxie(value: Any) -> str:
    try:
        return to_daxie(Decimal(str(value)))
    except (FormkitError, InvalidOperation, ValueError):
        return "—"


def shown(value: Any, info: FieldInfo | None = None) -> str:
    """A value as the dossier prints it; None is （空）."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return _list_text(value, info)
    if isinstance(value, dict):
        return "；".join(f"{k}：{shown(v)}" for k, v in value.items())
    if is_money(info):
        return money_text(value)
    if info is not None and unwrap_optional(info.annotation) == Percent:
        try:
            return format_percent(str(value))
        except FormkitError:
            return str(value)
    if is_date(info):
        day = as_date(value)
        return format_date(day) if day else str(value)
    return str(value)


def _list_text(rows: list[Any], info: FieldInfo | None) -> str:
    if not rows:
        return EMPTY
    if all(isinstance(r, bool) for r in rows):
        return f"已勾选 {sum(rows)}/{len(rows)} 项（" + "".join("☑" if r else "☐" for r in rows) + "）"
    inner = section_type(info.annotation) if info is not None else None
    parts = []
    for i, row in enumerate(rows, 1):
        if isinstance(row, dict):
            cells = []
            for name, value in row.items():
                sub = inner.model_fields.get(name) if inner is not None else None
                if value not in (None, ""):
                    cells.append(shown(value, sub))
            parts.append(f"第{i}行：" + "，".join(cells))
        else:
            parts.append(str(row))
    text = "；".join(parts)
    if len(text) > LIST_LIMIT:
        text = text[:LIST_LIMIT].rstrip("；，") + f"……（共 {len(rows)} 行）"
    return text


def when(value: datetime | str | None, *, seconds: bool = False) -> str:
    """A moment in Beijing time, as system records print it: 2026-08-28 10:02."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    local = value.astimezone(BEIJING)
    return f"{local:%Y-%m-%d %H:%M:%S}" if seconds else f"{local:%Y-%m-%d %H:%M}"


def local_date(value: datetime | str | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(BEIJING).date()


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
