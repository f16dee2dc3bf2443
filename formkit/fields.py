"""Field types shared by every form: what people type, and the one value kept.

Every parser applies NFKC first, so full-width digits and punctuation
(２０２６－０３－０５, ￥, ％, （）) read like their ASCII twins. Bad input raises
:class:`~formkit.errors.FieldValueError` with a Chinese message that quotes what
was typed and shows the expected format.

Canonical values
----------------
- Dates: ``datetime.date``; printed as ``2026年3月5日`` (:func:`format_date`).
  Read: 2026-03-05, 2026-3-5, 2026/3/5, 2026.3.5, 20260305, 2026年3月5日 (spaces
  and 号 allowed), 二〇二六年三月五日 (〇/零/○/O; 十一, 二十三, 廿三). Years 1900–2199.
- Money: ``Decimal`` quantized to 0.01; printed as ``1,200,000.00``
  (:func:`format_money`). Read: 1200000, 1,200,000.00, ¥/￥/RMB/人民币, 元/元整,
  120万元, 1.2亿, and 大写 (routed to :func:`parse_daxie`). More than two decimals
  is an error, never rounded.
- 大写 (:func:`to_daxie`), after the PBOC rules 《正确填写票据和结算凭证的基本规定》,
  without the 人民币 prefix: 整 after 元 only (壹佰贰拾万元整, 伍角, 叁角伍分);
  one 零 per run of zeros inside the integer, also across 万/亿
  (壹拾万零柒仟元); no 零 between 元 and 角 (壹亿元伍角, 壹仟陆佰捌拾元叁角贰分,
  both forms are allowed, and this one is written); 零 after 元 when 角 is 0
  and 分 is not (壹拾元零伍分); 壹拾 keeps its 壹; 0 is 零元整; up to 万亿.
  :func:`parse_daxie` also reads the other allowed forms (元零伍角, 壹拾万柒仟),
  圆/正/两/〇 and traditional characters, and a missing 零 where the units still
  fix the value (壹仟伍拾元). It rejects a 零 that stands for no zero, repeated
  or out-of-order units, and a unitless digit after a gap (壹佰伍: 150 or 105?).
- Percent: ``Decimal`` 0..100 without trailing zeros; printed ``30%``. A number
  is always the percentage itself: 0.3 means 0.3 %, never 30 %.
- Phone: mobile ``13812345678``; landline ``010-12345678`` / ``0755-1234567``,
  extension ``010-12345678-123``; service ``400-123-4567``.
- Booleans and choices: see :func:`parse_bool` and :func:`parse_choice`.

Blank and "none" cells are told apart by :func:`classify`; callers filter blanks
before parsing, and every parser (and pydantic type) rejects a blank string.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from formkit.errors import FieldValueError

__all__ = [
    "MAX_DAXIE",
    "NONE_TEXT",
    "DateValue",
    "Money",
    "Percent",
    "Phone",
    "Quantity",
    "classify",
    "format_date",
    "format_money",
    "format_percent",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "parse_daxie",
    "parse_decimal",
    "parse_money",
    "parse_percent",
    "parse_phone",
    "parse_quantity",
    "to_daxie",
]

NONE_TEXT = "无"
"""What an explicitly empty field is stored and shown as."""

MAX_DAXIE = Decimal("9999999999999.99")
"""The largest amount :func:`to_daxie` and :func:`parse_daxie` handle (万亿)."""

_CENT = Decimal("0.01")

_HINTS = {
    "日期": "请填写如 2026-03-05 或 2026年3月5日",
    "金额": "请填写如 1200000、1,200,000.00、120万元 或 壹佰贰拾万元整",
    "大写金额": "请填写如 壹佰贰拾万元整 或 壹仟零伍元伍角",
    "百分比": "请填写 0 到 100 之间的数，如 30、30% 或 百分之三十",
    "电话号码": "请填写手机号（如 13812345678）或带区号的座机号（如 010-12345678）",
    "数字": "请填写如 12 或 1,200.50",
    "数量": "请填写如 3、2.5 或 3台",
    "是/否": "请填写 是 或 否，或勾选 ☑ / ☐",
}


# --- text helpers -----------------------------------------------------------

_WS = re.compile(r"\s+")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\ufe0f", "")


def _compact(text: str) -> str:
    """NFKC without any whitespace: the form every comparison uses."""
    return _WS.sub("", _nfkc(text))


@functools.lru_cache(maxsize=1024)
def _compact_placeholder(placeholder: str) -> str:
    """A placeholder's compact form: a form has few, compared on every read."""
    return _compact(placeholder)


def _shown(text: object) -> str:
    """The typed text as quoted back in a message (long text cut short)."""
    s = "" if text is None else str(text).strip()
    return s if len(s) <= 40 else s[:40] + "…"


def _bad(what: str, text: object, why: str = "") -> FieldValueError:
    reason = f"（{why}）" if why else ""
    return FieldValueError(f"无法识别的{what}“{_shown(text)}”{reason}，{_HINTS[what]}")


def _blank(what: str) -> FieldValueError:
    return FieldValueError(f"{what}未填写，{_HINTS[what]}")


def _filled(text: object, what: str) -> str:
    """The text, stripped; raise when it is not a string or is left blank."""
    if text is None:
        raise _blank(what)
    if not isinstance(text, str):
        raise _bad(what, text)
    if not text.strip():
        raise _blank(what)
    if classify(text) == "blank":
        raise FieldValueError(f"{what}未填写（“{_shown(text)}”是提示文字），{_HINTS[what]}")
    return text.strip()


# --- blank / none / value ---------------------------------------------------

_NONE_WORDS = frozenset({"无", "暂无", "没有", "不适用", "无此项", "n/a", "na", "n.a", "none"})
_DASHES = frozenset("/\\-—–―─‐‑‒")
_PROMPT = re.compile(
    r"请?(?:单击|点击|轻触|轻按)(?:或(?:单击|点击|轻触|轻按))?(?:此处|这里)?以?"
    r"(?:输入|选择|键入|填写|添加).{0,12}"
    r"|请(?:输入|填写|选择|键入).{0,15}"
    r"|选择一项[。.]?"
    r"|(?:click|tap)(?:or(?:tap|click))?(?:here)?to(?:enter|add|choose|select).{0,12}"
    r"|chooseanitem\.?"
    r"|[_.]+"
)


def classify(text: str | None, placeholder: str | None = None) -> Literal["blank", "none", "value"]:
    """Tell a cell that was not filled ("blank") from one filled with 无 ("none").

    Blank: None, whitespace, the field's own ``placeholder`` left in place
    (compared without whitespace), a generic Word/WPS prompt such as
    “单击或点击此处输入文字。” / “Click or tap here to enter text.”, or a line of
    underscores. None: 无, 暂无, 没有, 不适用, N/A, / and dashes (—, ——, -).
    """
    if text is None:
        return "blank"
    compact = _compact(text)
    if not compact:
        return "blank"
    if placeholder is not None and compact == _compact_placeholder(placeholder):
        return "blank"
    folded = compact.casefold()
    if _PROMPT.fullmatch(folded):
        return "blank"
    word = folded.strip("。.")
    if word[:1] + word[-1:] in {"()", "[]", "【】"} and len(word) > 2:
        word = word[1:-1]
    if word in _NONE_WORDS or (word and set(word) <= _DASHES):
        return "none"
    return "value"


# --- Chinese numerals (dates and percents) ----------------------------------

_DAXIE_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_DIGIT_OF = {c: i for i, c in enumerate(_DAXIE_DIGITS)}
_UNIT_EXP = {"拾": 1, "佰": 2, "仟": 3}
_LOWER_AS_DAXIE = str.maketrans({
    "〇": "零", "○": "零", "O": "零", "o": "零", "0": "零",
    "一": "壹", "二": "贰", "两": "贰", "三": "叁", "四": "肆", "五": "伍",
    "六": "陆", "七": "柒", "八": "捌", "九": "玖", "十": "拾", "百": "佰",
    "千": "仟", "廿": "贰拾", "卅": "叁拾",
})


def _cn_digits(text: str) -> str | None:
    """二〇二六 → "2026" (digit by digit); None when not all digits."""
    daxie = text.translate(_LOWER_AS_DAXIE)
    if not all(c in _DIGIT_OF or c.isdigit() for c in daxie):
        return None
    return "".join(str(_DIGIT_OF[c]) if c in _DIGIT_OF else c for c in daxie)


def _cn_int(text: str) -> int | None:
    """A small whole number: 5, 05, 五, 〇五, 十一, 二十三, 一百; None if not one."""
    if text.isdigit():
        return int(text)
    daxie = text.translate(_LOWER_AS_DAXIE)
    if not any(c in _UNIT_EXP for c in daxie):
        digits = _cn_digits(text)
        return int(digits) if digits else None
    try:
        return _daxie_section(daxie)
    except _Malformed:
        return None


# --- dates ------------------------------------------------------------------

_CN_NUM = r"[0-9〇○Oo零一二两三四五六七八九十廿卅]{1,6}"
_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(rf"(?P<y>{_CN_NUM})年(?P<m>{_CN_NUM})月(?P<d>{_CN_NUM})[日号]?"),
)
_DATE_TAIL = re.compile(
    r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?|\s*\(?(?:星期|周|礼拜)[一二三四五六日天]\)?)\s*$"
)


def parse_date(text: str) -> date:
    """Read a typed date (see the module docstring for the forms accepted).

    A trailing time (``2026-03-05 10:00``) or weekday (``（星期四）``) is ignored.
    """
    s = _filled(text, "日期")
    body = _compact(_DATE_TAIL.sub("", _nfkc(s)))
    for form in _DATE_FORMS:
        m = form.fullmatch(body)
        if m:
            return _date_of(m["y"], m["m"], m["d"], s)
    raise _bad("日期", s)


def _date_of(y: str, m: str, d: str, typed: str) -> date:
    year_digits = _cn_digits(y)
    year = int(year_digits) if year_digits and len(year_digits) == 4 else None
    month, day = _cn_int(m), _cn_int(d)
    if year is None or month is None or day is None:
        raise _bad("日期", typed)
    if not 1900 <= year <= 2199:
        raise _bad("日期", typed, f"年份 {year} 不在 1900–2199 之间")
    try:
        return date(year, month, day)
    except ValueError as e:
        raise _bad("日期", typed, f"{year}年没有{month}月{day}日") from e


def format_date(d: date) -> str:
    """2026年3月5日 (no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


# --- plain numbers ----------------------------------------------------------

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_DECIMAL_RE = re.compile(rf"(?P<sign>[-+]?)(?P<num>{_NUMBER})")
_QUANTITY_RE = re.compile(rf"(?P<sign>[-+]?)(?P<num>{_NUMBER})(?P<unit>[A-Za-z\u4e00-\u9fff/·]{{1,8}}[23]?)?")


def _number(sign: str, num: str) -> Decimal:
    value = Decimal(num.replace(",", ""))
    return -value if sign == "-" else value


def _native(value: object, what: str) -> Decimal:
    """int / float / Decimal as an exact, finite Decimal (floats via repr)."""
    if value is None:
        raise _blank(what)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _bad(what, value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise _bad(what, value)
    return number


def _plain(d: Decimal) -> Decimal:
    """Without trailing zeros and without an exponent: 2.50 → 2.5, 1E+2 → 100."""
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _signed_text(text: str) -> str:
    return _compact(text).replace("−", "-")


def parse_decimal(text: str | int | float | Decimal) -> Decimal:
    """A plain number such as a unit price: 12, -3.5, 1,200.50, １２００. Exact, as typed."""
    if not isinstance(text, str):
        return _native(text, "数字")
    s = _filled(text, "数字")
    m = _DECIMAL_RE.fullmatch(_signed_text(s))
    if not m:
        raise _bad("数字", s)
    return _number(m["sign"], m["num"])


def parse_quantity(text: str | int | float | Decimal) -> Decimal:
    """A count or amount of something, ≥ 0; a trailing unit (3台, 2.5 m, 10㎡) is dropped."""
    if not isinstance(text, str):
        value = _native(text, "数量")
    else:
        s = _filled(text, "数量")
        m = _QUANTITY_RE.fullmatch(_signed_text(s))
        if not m:
            raise _bad("数量", s)
        value = _number(m["sign"], m["num"])
    if value < 0:
        raise _bad("数量", text, "数量不能为负数")
    return value


# --- money ------------------------------------------------------------------

_MONEY_RE = re.compile(
    rf"(?P<s1>[-+])?(?:人民币|rmb|cny|¥|小写|:)*(?P<s2>[-+])?(?P<num>{_NUMBER})"
    r"(?P<mult>万亿|亿|万)?(?:元|圆)?整?",
    re.IGNORECASE,
)
_MULTIPLIER = {None: 1, "万": 10**4, "亿": 10**8, "万亿": 10**12}
_DAXIE_MARKS = frozenset("零〇壹贰貳叁參叄肆伍陆陸柒捌玖拾佰仟角分圆圓")


def parse_money(text: str | int | float | Decimal, *, allow_negative: bool = False) -> Decimal:
    """An amount in 元, quantized to 0.01; 大写 text is handed to :func:`parse_daxie`.

    Negative amounts are rejected unless ``allow_negative``; more than two
    decimals is rejected, not rounded.
    """
    if not isinstance(text, str):
        value = _native(text, "金额")
    else:
        s = _filled(text, "金额")
        compact = _signed_text(s)
        if "大写" in compact or (not re.search(r"\d", compact) and _DAXIE_MARKS & set(compact)):
            return parse_daxie(s)
        value = _money_of(compact, s)
    return _to_cents(value, text, allow_negative)


def _money_of(compact: str, typed: str) -> Decimal:
    m = _MONEY_RE.fullmatch(compact)
    if not m or (m["s1"] and m["s2"]):
        raise _bad("金额", typed)
    return _number(m["s1"] or m["s2"] or "", m["num"]) * _MULTIPLIER[m["mult"]]


def _to_cents(value: Decimal, typed: object, allow_negative: bool) -> Decimal:
    if value < 0 and not allow_negative:
        raise _bad("金额", typed, "金额不能为负数")
    try:
        cents = value.quantize(_CENT)
    except InvalidOperation as e:
        raise _bad("金额", typed, "数额过大") from e
    if cents != value:
        raise _bad("金额", typed, "金额最多精确到分，即两位小数")
    return cents


def format_money(d: Decimal | int | str) -> str:
    """1,200,000.00 (thousands separators, two decimals)."""
    return format(parse_money(d, allow_negative=True), ",.2f")


# --- 大写 -------------------------------------------------------------------

class _Malformed(Exception):
    """Why a 大写 amount cannot be read; becomes part of the message."""


_DAXIE_VARIANTS = str.maketrans({
    "〇": "零", "○": "零", "圆": "元", "圓": "元", "正": "整", "两": "贰", "兩": "贰",
    "貳": "贰", "參": "叁", "叄": "叁", "陸": "陆", "萬": "万", "億": "亿", "伯": "佰",
})
_DAXIE_PREFIX = re.compile(r"^(?:人民币|rmb|cny|大写|金额|[:()¥])*", re.IGNORECASE)
_DAXIE_CHARS = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+")
_FRACTION = re.compile(
    r"(?P<z1>零)?(?:(?P<jiao>[零壹贰叁肆伍陆柒捌玖])角)?(?P<z2>零)?(?:(?P<fen>[壹贰叁肆伍陆柒捌玖])分)?"
)


def parse_daxie(text: str) -> Decimal:
    """Read a 大写 amount (壹佰贰拾万元整 → 1200000.00); 人民币 / 大写： prefixes ignored."""
    s = _filled(text, "大写金额")
    body = _DAXIE_PREFIX.sub("", _compact(s).translate(_DAXIE_VARIANTS)).rstrip("。.")
    try:
        if not _DAXIE_CHARS.fullmatch(body):
            raise _Malformed("含有大写数字和单位以外的字")
        cents = _daxie_cents(body)
    except _Malformed as e:
        raise _bad("大写金额", s, str(e)) from e
    amount = Decimal(cents) / 100
    if amount > MAX_DAXIE:
        raise _bad("大写金额", s, "超出 9,999,999,999,999.99 元")
    return amount.quantize(_CENT)


def _daxie_cents(body: str) -> int:
    if body.endswith("整"):
        body = body[:-1]
    if "整" in body:
        raise _Malformed("“整”只能写在最后")
    if body.count("元") > 1:
        raise _Malformed("“元”重复")
    if "元" in body:
        whole, fraction = body.split("元")
        if not whole:
            raise _Malformed("“元”前缺少数字")
    elif body.endswith(("角", "分")):
        whole, fraction = "", body
    else:
        whole, fraction = body, ""
    if not whole and not fraction:
        raise _Malformed("没有数字")
    yuan = _daxie_int(whole) if whole else 0
    return yuan * 100 + _daxie_fraction(fraction, yuan)


def _daxie_int(text: str) -> int:
    """壹亿零贰拾万 → 100200000; the part before 亿 may hold 万 (万亿)."""
    if text == "零":
        return 0
    return _daxie_level(text, "亿", 10**8, _daxie_wan)


def _daxie_wan(text: str) -> int:
    return _daxie_level(text, "万", 10**4, _daxie_section)


def _daxie_level(text: str, unit: str, base: int, parse_part: Callable[[str], int]) -> int:
    parts = text.split(unit)
    if len(parts) > 2:
        raise _Malformed(f"“{unit}”重复")
    if len(parts) == 1:
        return parse_part(text)
    high_text, low_text = parts
    if not high_text:
        raise _Malformed(f"“{unit}”前缺少数字")
    high = parse_part(high_text)
    return high * base + _daxie_low(high, low_text, base, parse_part)


def _daxie_low(high: int, text: str, base: int, parse_part: Callable[[str], int]) -> int:
    """The part after 万 or 亿, with the 零 rules at that boundary."""
    if not text:
        return 0
    zero = text.startswith("零")
    body = text[1:] if zero else text
    if not body:
        raise _Malformed("“零”后缺少数字")
    if body.startswith("拾"):
        raise _Malformed("“拾”前缺少“壹”")
    low = parse_part(body)
    if zero and low >= base // 10 and high % 10:
        raise _Malformed("多余的“零”")
    if not zero and body in _DIGIT_OF:
        raise _Malformed(f"“{body}”没有数位，看不出是几位数")
    return low


def _daxie_section(text: str) -> int:
    """One group of up to four digits: 壹仟零伍 → 1005, 拾伍 → 15."""
    if text.startswith("拾"):
        text = "壹" + text
    value, last_exp, zero, i = 0, 4, False, 0
    while i < len(text):
        ch = text[i]
        if ch == "零":
            if zero or not value:
                raise _Malformed("“零”的位置不对")
            zero, i = True, i + 1
            continue
        if ch not in _DIGIT_OF:
            raise _Malformed(f"“{ch}”重复或前面缺少数字")
        unit = text[i + 1 : i + 2]
        exp = _UNIT_EXP.get(unit, 0)
        i += 2 if unit in _UNIT_EXP else 1
        _check_digit(ch, exp, last_exp, zero, bare=unit not in _UNIT_EXP and value > 0)
        value += _DIGIT_OF[ch] * 10**exp
        last_exp, zero = exp, False
    if zero:
        raise _Malformed("“零”后缺少数字")
    return value


def _check_digit(ch: str, exp: int, last_exp: int, zero: bool, *, bare: bool) -> None:
    if exp >= last_exp:
        raise _Malformed("数位重复或顺序不对")
    if zero and last_exp - exp < 2:
        raise _Malformed("多余的“零”")
    if bare and not zero and last_exp - exp > 1:
        raise _Malformed(f"“{ch}”没有数位，看不出是几位数")


def _daxie_fraction(text: str, yuan: int) -> int:
    """角 and 分 as cents: 伍角 → 50, 零伍分 → 5."""
    if not text:
        return 0
    m = _FRACTION.fullmatch(text)
    if not m or not (m["jiao"] or m["fen"]):
        raise _Malformed("角、分写得不对")
    if m["z1"] and m["jiao"] and (m["jiao"] == "零" or yuan % 10):
        raise _Malformed("“角”前多余的“零”")
    if (m["z2"] or (m["z1"] and not m["jiao"])) and m["jiao"]:
        raise _Malformed("“分”前多余的“零”")
    jiao = _DIGIT_OF[m["jiao"]] if m["jiao"] else 0
    fen = _DIGIT_OF[m["fen"]] if m["fen"] else 0
    return jiao * 10 + fen


def to_daxie(amount: Decimal | int | str) -> str:
    """The standard 大写 of an amount, without 人民币: 1200000 → 壹佰贰拾万元整.

    See the module docstring for the conventions. Raises FieldValueError for
    negative amounts, more than two decimals, or more than 9,999,999,999,999.99.
    """
    value = parse_money(amount)
    if value > MAX_DAXIE:
        raise _bad("金额", amount, "大写最多写到 9,999,999,999,999.99 元")
    yuan, cents = divmod(int(value * 100), 100)
    jiao, fen = divmod(cents, 10)
    if not yuan and not cents:
        return "零元整"
    text = _int_daxie(yuan) + "元" if yuan else ""
    if jiao:
        text += _DAXIE_DIGITS[jiao] + "角"
    if fen:
        text += ("零" if yuan and not jiao else "") + _DAXIE_DIGITS[fen] + "分"
    return text if cents else text + "整"


def _int_daxie(n: int) -> str:
    for base, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= base:
            high, low = divmod(n, base)
            text = _int_daxie(high) + unit
            if low and (low < base // 10 or high % 10 == 0):
                text += "零"
            return text + (_int_daxie(low) if low else "")
    return _section_daxie(n)


def _section_daxie(n: int) -> str:
    """1 ≤ n ≤ 9999: 1005 → 壹仟零伍, 10 → 壹拾."""
    text, zero = "", False
    for exp, ch in zip((3, 2, 1, 0), f"{n:04d}", strict=True):
        if ch == "0":
            zero = bool(text)
            continue
        text += ("零" if zero else "") + _DAXIE_DIGITS[int(ch)] + ("仟佰拾"[3 - exp] if exp else "")
        zero = False
    return text


# --- percent ----------------------------------------------------------------

_PERCENT_RE = re.compile(r"(?P<num>[-+]?(?:\d+(?:\.\d+)?|\.\d+))%?")
_CN_PERCENT_RE = re.compile(r"百分之(?P<whole>[^点]+)(?:点(?P<frac>.+))?")


def parse_percent(text: str | int | float | Decimal) -> Decimal:
    """A percentage 0..100: 30, 30%, 30.5 %, ３０％, 百分之三十, 百分之三十五点五.

    The number is the percentage itself: 0.3 means 0.3 %, not 30 % (a ratio is
    never scaled). Returned without trailing zeros (30.50 → 30.5).
    """
    if not isinstance(text, str):
        value = _native(text, "百分比")
    else:
        s = _filled(text, "百分比")
        value = _percent_of(_compact(s), s)
    if not 0 <= value <= 100:
        raise _bad("百分比", text, "应在 0 到 100 之间")
    return _plain(value)


def _percent_of(compact: str, typed: str) -> Decimal:
    m = _PERCENT_RE.fullmatch(compact)
    if m:
        return Decimal(m["num"])
    m = _CN_PERCENT_RE.fullmatch(compact)
    whole = None if not m else 100 if m["whole"] == "百" else _cn_int(m["whole"])
    frac = _cn_digits(m["frac"]) if m and m["frac"] else ""
    if whole is None or frac is None:
        raise _bad("百分比", typed)
    return Decimal(f"{whole}.{frac}" if frac else whole)


def format_percent(d: Decimal | int | str) -> str:
    """30%, 30.5% (no trailing .0)."""
    return format(parse_percent(d), "f") + "%"


# --- phone ------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")
_SERVICE = re.compile(r"[48]00\d{7}")
_PHONE_DASH = re.compile(r"[—–‐‑‒―~]")
_PHONE_EXT = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_COUNTRY = re.compile(r"^\s*(?:\(\s*\+?\s*86\s*\)|(?:\+|00)\s*86)[\s-]*")
_PHONE_CHARS = re.compile(r"[\d\s\-().]+")


def parse_phone(text: str) -> str:
    """A phone number in its canonical form (see the module docstring).

    Accepts +86 / 0086 / 86 before a mobile, spaces and dashes anywhere,
    (010)12345678, and an extension after 转, 分机, ext, x, # or a third dash group.
    """
    s = _filled(text, "电话号码")
    rest, ext = _split_extension(_PHONE_DASH.sub("-", _nfkc(s)))
    rest, international = _COUNTRY.subn("", rest)
    if not _PHONE_CHARS.fullmatch(rest):
        raise _bad("电话号码", s)
    groups = re.findall(r"\d+", rest)
    if international and groups and groups[0][0] != "0" and not _MOBILE.fullmatch("".join(groups)) \
            and not _SERVICE.fullmatch("".join(groups)):
        groups[0] = "0" + groups[0]  # +86 10 12345678 → 010-12345678
    digits = "".join(groups)
    if len(digits) == 13 and digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    number = _phone_of(digits, groups, ext)
    if number is None:
        raise _bad("电话号码", s)
    return number


def _split_extension(text: str) -> tuple[str, str]:
    m = _PHONE_EXT.search(text)
    return (text[: m.start()], m[1]) if m else (text, "")


def _phone_of(digits: str, groups: list[str], ext: str) -> str | None:
    if _MOBILE.fullmatch(digits):
        return None if ext else digits
    if _SERVICE.fullmatch(digits):
        return None if ext else f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    for main, extension in _landline_splits(digits, groups, ext):
        number = _landline(main)
        if number and len(extension) <= 6:
            return f"{number}-{extension}" if extension else number
    return None


def _landline_splits(digits: str, groups: list[str], ext: str) -> list[tuple[str, str]]:
    """Where the extension may start: 010-12345678-123 before 0755-1234-5678."""
    if ext:
        return [(digits, ext)]
    splits = [(digits, "")]
    if len(groups) >= 3 and len(groups[1]) >= 7:
        splits.insert(0, (groups[0] + groups[1], "".join(groups[2:])))
    if len(groups) >= 2:
        splits.append(("".join(groups[:-1]), groups[-1]))
    return splits


def _landline(digits: str) -> str | None:
    """0101234567x → 010-1234567x; 3-digit area codes are 010 and 02x, others 4."""
    if not digits.startswith("0") or len(digits) < 3:
        return None
    split = 3 if digits[1] in "12" else 4
    area, local = digits[:split], digits[split:]
    return f"{area}-{local}" if re.fullmatch(r"[1-9]\d{6,7}", local) else None


# --- ticks, yes/no and choices ----------------------------------------------

_TRUE_WORDS = frozenset({"☑", "☒", "■", "√", "✔", "✓", "x", "✗", "✘", "是", "有", "对", "yes", "y", "true", "1"})
_FALSE_WORDS = frozenset({"☐", "□", "否", "无", "没有", "no", "n", "false", "0", ""})
_TICK = r"[\[(【]\s*[xX√✓✔✗✘☑☒■●]\s*[\])】]|[☑☒■√✔✓✗✘xX●▣◉]"
_BOX = r"[\[(【]\s*[\])】]|[☐□○◯]"


def parse_bool(text: str) -> bool:
    """A checkbox or yes/no: ☑ ☒ ■ √ ✔ ✓ x ✗ [x] 是 有 对 yes true 1 → True;
    ☐ □ [ ] 否 无 没有 no false 0 → False; also a line like “☑是 ☐否”.

    “×” is rejected on purpose: in Chinese it reads as 错 as often as as ticked.
    """
    s = _filled(text, "是/否")
    word = _compact(s).casefold()
    if re.fullmatch(r"[\[(【].?[\])】]", word):
        word = word[1:-1]
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    for yes, no in (("是", "否"), ("有", "无")):
        try:
            return parse_choice(s, (yes, no)) == yes
        except FieldValueError:
            continue
    raise _bad("是/否", s)


def parse_choice(text: str, options: Sequence[str]) -> str:
    """One of ``options``: its text typed (NFKC, whitespace and case ignored), or
    a line where exactly one option is ticked: “☑通过 ☐不通过 ☐补充信息”, “通过√”.

    A mark belongs to the option it stands closest to; on a tie, to the option
    after it when the line starts with a mark, otherwise to the one before it.
    """
    if not options:
        raise ValueError("parse_choice needs at least one option")
    listed = "、".join(options)
    if not isinstance(text, str) or not text.strip():
        raise FieldValueError(f"未选择，请从“{listed}”中选择一项")
    wanted = _compact(text).casefold().strip("。.")
    for option in options:
        if _compact(option).casefold() == wanted:
            return option
    ticked = _ticked_options(_nfkc(text), options)
    if len(ticked) == 1:
        return ticked[0]
    if len(ticked) > 1:
        raise FieldValueError(f"选项“{_shown(text)}”勾选了多项（{'、'.join(ticked)}），请从“{listed}”中选择一项")
    raise FieldValueError(f"无法识别的选项“{_shown(text)}”，请从“{listed}”中选择一项")


def _ticked_options(text: str, options: Sequence[str]) -> list[str]:
    """The options a marked line ticks, in the order given."""
    by_length = sorted(options, key=lambda o: -len(_compact(o)))
    alternatives = [r"\s*".join(map(re.escape, _compact(o))) for o in by_length]
    pattern = "|".join(f"(?P<o{i}>{a})" for i, a in enumerate(alternatives))
    scanner = re.compile(rf"{pattern}|(?P<tick>{_TICK})|(?P<box>{_BOX})", re.IGNORECASE)
    tokens = [(m.lastgroup or "", m.start(), m.end()) for m in scanner.finditer(text)]
    found = [(by_length[int(k[1:])], a, b) for k, a, b in tokens if k.startswith("o")]
    if not found or not tokens:
        return []
    prefix_style = not tokens[0][0].startswith("o")
    ticked = {_nearest(found, a, b, prefix_style) for k, a, b in tokens if k == "tick"}
    return [o for o in options if o in ticked]


def _nearest(found: list[tuple[str, int, int]], start: int, end: int, prefix_style: bool) -> str:
    before = [(start - b, o) for o, a, b in found if b <= start]
    after = [(a - end, o) for o, a, b in found if a >= end]
    if not before or not after:
        return (before[-1] if before else after[0])[1]
    gap_before, gap_after = before[-1][0], after[0][0]
    if gap_before == gap_after:
        return after[0][1] if prefix_style else before[-1][1]
    return after[0][1] if gap_after < gap_before else before[-1][1]


# --- pydantic types ---------------------------------------------------------

def _pydantic(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap a parser so pydantic reports its Chinese message as is."""

    def validate(value: Any) -> Any:
        try:
            return parse(value)
        except FieldValueError as e:
            raise PydanticCustomError("formkit_value", str(e)) from e

    return validate


def _date_input(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(value)


def _phone_input(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return parse_phone(value)


def _decimal_schemas(example: str, maximum: int | None = None) -> tuple[WithJsonSchema, WithJsonSchema]:
    number: dict[str, Any] = {"type": "number", "minimum": 0}
    if maximum is not None:
        number["maximum"] = maximum
    return (
        WithJsonSchema({"anyOf": [{"type": "string"}, number], "examples": [example]}, mode="validation"),
        WithJsonSchema({"type": "string", "format": "decimal", "examples": [example]}, mode="serialization"),
    )


DateValue = Annotated[date, BeforeValidator(_pydantic(_date_input))]
"""A date; accepts every form :func:`parse_date` reads. JSON: ISO string."""

Money = Annotated[
    Decimal,
    BeforeValidator(_pydantic(parse_money)),
    PlainSerializer(lambda d: format(d, "f"), return_type=str, when_used="json"),
    *_decimal_schemas("1200000.00"),
]
"""An amount ≥ 0 in 元, quantized to 0.01. JSON: "1200000.00"."""

Percent = Annotated[
    Decimal,
    BeforeValidator(_pydantic(parse_percent)),
    PlainSerializer(lambda d: format(_plain(d), "f"), return_type=str, when_used="json"),
    *_decimal_schemas("30", maximum=100),
]
"""A percentage 0..100 (0.3 is 0.3 %). JSON: "30", "30.5"."""

Quantity = Annotated[
    Decimal,
    BeforeValidator(_pydantic(parse_quantity)),
    PlainSerializer(lambda d: format(_plain(d), "f"), return_type=str, when_used="json"),
    *_decimal_schemas("3"),
]
"""A quantity ≥ 0; a trailing unit word is dropped. JSON: "3", "2.5"."""

Phone = Annotated[
    str,
    BeforeValidator(_pydantic(_phone_input)),
    WithJsonSchema({"type": "string", "examples": ["13812345678", "010-12345678"]}),
]
"""A phone number in canonical form (see :func:`parse_phone`)."""
