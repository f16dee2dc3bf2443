"""Tests for formkit.fields: every input form, every canonical output, every rejection.

The 大写 conventions are checked against the worked examples of the PBOC rules
《正确填写票据和结算凭证的基本规定》 (支付结算办法 附一), where the rules allow two
writings, we assert the one to_daxie writes and that parse_daxie reads both.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from formkit.errors import FieldValueError
from formkit.fields import (
    MAX_DAXIE,
    NONE_TEXT,
    DateValue,
    Money,
    Percent,
    Phone,
    Quantity,
    classify,
    format_date,
    format_money,
    format_percent,
    parse_bool,
    parse_choice,
    parse_date,
    parse_daxie,
    parse_decimal,
    parse_money,
    parse_percent,
    parse_phone,
    parse_quantity,
    to_daxie,
)

D = Decimal


def assert_rejects(parse, text, *args, **kwargs):
    """The parser raises FieldValueError and the message quotes what was typed."""
    with pytest.raises(FieldValueError) as info:
        parse(text, *args, **kwargs)
    assert str(text).strip() in str(info.value)
    return str(info.value)


# --- classify ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    None, "", "   ", "\u3000\n", "点击输入…", "点击或点击此处输入文字。", "单击或点击此处输入日期。",
    "单击此处输入文字。", "单击或点击以输入日期。", "Click or tap here to enter text.",
    "Click here to enter a date.", "选择一项。", "Choose an item.", "请输入项目名称", "________",
])
def test_classify_blank(text):
    assert classify(text) == "blank"


def test_classify_blank_when_the_placeholder_is_left_in_place():
    assert classify(" 填写项目 名称 ", placeholder="填写项目名称") == "blank"
    assert classify("ＸＸ项目", placeholder="XX项目") == "blank"
    assert classify("智慧园区项目", placeholder="填写项目名称") == "value"


@pytest.mark.parametrize("text", [
    "无", " 无 ", "无。", "（无）", "暂无", "没有", "/", "／", "—", "——", "-", "－", "N/A", "n/a", "不适用",
])
def test_classify_none(text):
    assert classify(text) == "none"


@pytest.mark.parametrize("text", ["0", "[ ]", "☐", "无锡分公司", "2026-03-05", "x", "否", "请假"])
def test_classify_value(text):
    assert classify(text) == "value"


def test_none_text():
    assert NONE_TEXT == "无"


# --- dates ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2026-03-05", "2026-3-5", "2026/3/5", "2026/03/05", "2026.3.5", "20260305", " 2026-03-05 ",
    "2026年3月5日", "2026年03月05日", "2026 年 3 月 5 日", "2026年3月5号", "2026年3月5",
    "二〇二六年三月五日", "二零二六年三月五日", "二○二六年三月五日", "二O二六年三月五日",
    "２０２６－０３－０５", "２０２６年３月５日", "2026年三月五日", "二〇二六年〇三月〇五日",
    "2026-03-05 10:30", "2026-03-05T00:00:00", "2026年3月5日（星期四）", "2026年3月5日 星期四",
])
def test_parse_date_forms(text):
    assert parse_date(text) == date(2026, 3, 5)


@pytest.mark.parametrize(("text", "expected"), [
    ("二〇二六年十月一日", date(2026, 10, 1)),
    ("二〇二六年十一月十日", date(2026, 11, 10)),
    ("二〇二六年十二月二十三日", date(2026, 12, 23)),
    ("二〇二六年十二月三十一日", date(2026, 12, 31)),
    ("二〇二六年一月廿三日", date(2026, 1, 23)),
    ("一九九九年二月二十八日", date(1999, 2, 28)),
    ("2024-02-29", date(2024, 2, 29)),
])
def test_parse_date_chinese_numerals(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "2026-02-30", "2026-13-01", "2026年2月30日", "二〇二六年十三月一日", "2025-02-29", "26-3-5",
    "3/5/2026", "2026-03", "2026-3/5", "明天", "2026年3月三十二日", "1899-12-31", "abc",
])
def test_parse_date_rejects(text):
    message = assert_rejects(parse_date, text)
    assert "2026-03-05 或 2026年3月5日" in message


def test_parse_date_message_names_the_missing_day():
    message = assert_rejects(parse_date, "2026-02-30")
    assert message.startswith("无法识别的日期“2026-02-30”")
    assert "2026年没有2月30日" in message


@pytest.mark.parametrize("text", [None, "", "  ", "单击或点击此处输入日期。"])
def test_parse_date_rejects_blank(text):
    with pytest.raises(FieldValueError, match="日期未填写"):
        parse_date(text)


def test_format_date():
    assert format_date(date(2026, 3, 5)) == "2026年3月5日"
    assert format_date(date(2026, 12, 31)) == "2026年12月31日"


_CN_DIGIT = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..31 in the way dates are written: 五, 十, 十一, 二十, 二十三, 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _CN_DIGIT[tens] + "十"
    return head + (_CN_DIGIT[ones] if ones else "")


def chinese_date(d: date) -> str:
    year = "".join(_CN_DIGIT[int(c)] for c in str(d.year))
    return f"{year}年{chinese_number(d.month)}月{chinese_number(d.day)}日"


def test_chinese_date_helper():
    assert chinese_date(date(2026, 3, 5)) == "二〇二六年三月五日"
    assert chinese_date(date(2026, 12, 31)) == "二〇二六年十二月三十一日"
    assert chinese_date(date(2010, 10, 20)) == "二〇一〇年十月二十日"


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))


@settings(max_examples=200, deadline=None)
@given(dates)
def test_date_round_trips(d):
    assert parse_date(format_date(d)) == d
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.year}/{d.month}/{d.day}") == d
    assert parse_date(d.strftime("%Y%m%d")) == d
    assert parse_date(chinese_date(d)) == d


# --- money ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "1200000", "1,200,000", "1,200,000.00", "1200000.0", "¥1,200,000", "￥1,200,000", "RMB 1,200,000",
    "rmb1200000", "人民币1,200,000.00", "1200000元", "1200000元整", "¥ 1 200 000", "120万", "120万元",
    "0.012亿", "１，２００，０００．００", "小写：¥1,200,000.00", "壹佰贰拾万元整", "人民币壹佰贰拾万元整",
    "大写：壹佰贰拾万元整", 1200000, 1200000.0, D("1200000"), D("1200000.000"),
])
def test_parse_money_forms(text):
    value = parse_money(text)
    assert value == D("1200000") and value.as_tuple().exponent == -2


@pytest.mark.parametrize(("text", "expected"), [
    ("1.2亿", D("120000000.00")), ("1.5万元", D("15000.00")), ("0.5", D("0.50")), (".5", D("0.50")),
    ("1,234.56", D("1234.56")), ("0", D("0.00")), (1234.56, D("1234.56")), (0, D("0.00")),
    ("1.23456万", D("12345.60")), ("叁角伍分", D("0.35")),
])
def test_parse_money_values(text, expected):
    assert parse_money(text) == expected


def test_parse_money_negative_only_when_allowed():
    assert_rejects(parse_money, "-100")
    assert_rejects(parse_money, -100)
    assert parse_money("-100", allow_negative=True) == D("-100.00")
    assert parse_money("-¥1,000.5", allow_negative=True) == D("-1000.50")
    assert parse_money("¥-1,000.5", allow_negative=True) == D("-1000.50")


@pytest.mark.parametrize("text", [
    "abc", "1,20,000", "1.234", "1.2345678万元", "3千", "1.2.3", "¥¥", "-¥-100", "100美元", "壹佰佰元",
    "一百万", "1200000（大写：壹佰贰拾万元整）",
])
def test_parse_money_rejects(text):
    assert_rejects(parse_money, text)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), D("NaN"), True, [1], 0.1 + 0.2])
def test_parse_money_rejects_natives(value):
    with pytest.raises(FieldValueError):
        parse_money(value)


def test_parse_money_rejects_blank():
    for text in (None, "", "点击或点击此处输入文字。"):
        with pytest.raises(FieldValueError, match="金额未填写"):
            parse_money(text)


@pytest.mark.parametrize(("value", "text"), [
    (D("1200000"), "1,200,000.00"), (D("0"), "0.00"), (D("0.5"), "0.50"), (1234, "1,234.00"),
    (D("-1000.5"), "-1,000.50"), ("¥1200000", "1,200,000.00"),
])
def test_format_money(value, text):
    assert format_money(value) == text


# --- 大写 -------------------------------------------------------------------

KNOWN_DAXIE = [
    # from the brief
    ("1200000", "壹佰贰拾万元整"),
    ("1005", "壹仟零伍元整"),
    ("100000000.5", "壹亿元伍角"),
    ("10.05", "壹拾元零伍分"),
    ("0.35", "叁角伍分"),
    ("0", "零元整"),
    ("1010101.01", "壹佰零壹万零壹佰零壹元零壹分"),
    ("9999999999999.99", "玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    # PBOC worked examples (the rules allow 元零叁角 and 壹拾万柒仟 too; we write these)
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("107000.53", "壹拾万零柒仟元伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    # more edges
    ("1.05", "壹元零伍分"),
    ("0.5", "伍角"),
    ("0.05", "伍分"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("10005", "壹万零伍元整"),
    ("100000", "壹拾万元整"),
    ("10005000", "壹仟万零伍仟元整"),
    ("100200000", "壹亿零贰拾万元整"),
    ("100001000000", "壹仟亿零壹佰万元整"),
    ("1000000000000", "壹万亿元整"),
    ("1000000010000", "壹万亿零壹万元整"),
    ("1000500000000", "壹万零伍亿元整"),
]


@pytest.mark.parametrize(("amount", "daxie"), KNOWN_DAXIE)
def test_to_daxie_known_values(amount, daxie):
    assert to_daxie(D(amount)) == daxie
    assert parse_daxie(daxie) == D(amount)


@pytest.mark.parametrize(("text", "expected"), [
    ("壹仟零伍元伍角", "1005.50"),
    ("人民币壹万元整", "10000"),
    ("大写：壹万元整", "10000"),
    ("人民币（大写）：壹万元整", "10000"),
    ("壹 佰 贰 拾 万 元 整", "1200000"),
    ("壹佰贰拾万圆整", "1200000"),
    ("壹佰贰拾万元正", "1200000"),
    ("壹佰贰拾万元", "1200000"),
    ("壹佰贰拾万", "1200000"),
    ("两万元整", "20000"),
    ("壹仟〇伍元整", "1005"),
    ("壹萬貳仟圓整", "12000"),
    ("拾元整", "10"),
    ("拾伍万元整", "150000"),
    ("伍角整", "0.50"),
    ("零元伍角", "0.50"),
    ("零伍分", "0.05"),
    ("壹亿元零伍角", "100000000.50"),  # the other allowed writing
    ("壹仟陆佰捌拾元零叁角贰分", "1680.32"),
    ("壹拾万柒仟元零伍角叁分", "107000.53"),
    ("壹拾元伍分", "10.05"),  # 零 missing but the unit fixes the value
    ("壹仟伍拾元整", "1050"),
    ("壹元零角伍分", "1.05"),
    ("零元整", "0"),
])
def test_parse_daxie_variants(text, expected):
    assert parse_daxie(text) == D(expected)


@pytest.mark.parametrize("text", [
    "壹佰元元", "壹佰佰元", "壹拾佰元", "壹佰壹仟元", "伍万壹亿元", "壹亿亿元",
    "壹佰伍元",  # 150 or 105?
    "壹万伍元",
    "壹仟零伍佰元", "壹万零伍仟元", "壹佰零元", "零零元", "零壹元", "壹仟零零伍元",
    "整壹佰元", "壹佰元整整", "壹佰元整伍角", "伍角零伍分", "壹佰壹拾壹元零伍角",
    "元整", "壹佰元伍", "壹佰元伍角伍", "壹百元整", "壹佰元整ABC", "壹拾万亿元整", "佰元", "壹万拾元",
])
def test_parse_daxie_rejects(text):
    message = assert_rejects(parse_daxie, text)
    assert message.startswith("无法识别的大写金额")


@pytest.mark.parametrize("value", [D("-1"), D("0.001"), D("10000000000000"), "abc"])
def test_to_daxie_rejects(value):
    with pytest.raises(FieldValueError):
        to_daxie(value)


def test_max_daxie():
    assert to_daxie(MAX_DAXIE).startswith("玖万玖仟")


cents = st.integers(min_value=0, max_value=999_999_999_999_999)


@settings(max_examples=500, deadline=None)
@given(cents)
def test_daxie_round_trips(n):
    amount = D(n) / 100
    daxie = to_daxie(amount)
    assert parse_daxie(daxie) == amount
    assert parse_money(daxie) == amount
    assert parse_money("人民币" + daxie) == amount


@settings(max_examples=200, deadline=None)
@given(cents)
def test_format_money_round_trips(n):
    amount = (D(n) / 100).quantize(D("0.01"))
    assert parse_money(format_money(amount)) == amount
    assert parse_money("¥" + format_money(amount)) == amount


# --- percent ----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("30", "30"), ("30%", "30"), ("30 %", "30"), ("30.5 %", "30.5"), ("３０％", "30"), ("30.50%", "30.5"),
    ("百分之三十", "30"), ("百分之三十五点五", "35.5"), ("百分之百", "100"), ("百分之一百", "100"),
    ("百分之零点五", "0.5"), ("百分之5", "5"), ("0", "0"), ("100", "100"),
    ("0.3", "0.3"),  # 0.3 percent, never 30 percent
    (30, "30"), (D("12.50"), "12.5"), (0.3, "0.3"),
])
def test_parse_percent(text, expected):
    value = parse_percent(text)
    assert value == D(expected) and str(value) == expected


@pytest.mark.parametrize("text", ["101", "-1", "100.01%", "百分之一百零一", "abc", "30%%", "三十", "百分之", 150])
def test_parse_percent_rejects(text):
    assert_rejects(parse_percent, text)


@pytest.mark.parametrize(("value", "text"), [
    (D("30"), "30%"), (D("30.0"), "30%"), (D("30.5"), "30.5%"), (D("100"), "100%"), (D("0"), "0%"), (7, "7%"),
])
def test_format_percent(value, text):
    assert format_percent(value) == text


# --- phones -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("(+86)13812345678", "13812345678"),
    ("0086-13812345678", "13812345678"),
    ("86 13812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("010-12345678", "010-12345678"),
    ("01012345678", "010-12345678"),
    ("(010)12345678", "010-12345678"),
    ("（010）12345678", "010-12345678"),
    ("010 1234 5678", "010-12345678"),
    ("0755-1234567", "0755-1234567"),
    ("0755-12345678", "0755-12345678"),
    ("0755-1234-5678", "0755-12345678"),
    ("021—12345678", "021-12345678"),
    ("010-12345678转123", "010-12345678-123"),
    ("010-12345678 转 123", "010-12345678-123"),
    ("010-12345678-123", "010-12345678-123"),
    ("0755-1234567-8", "0755-1234567-8"),
    ("01012345678-123", "010-12345678-123"),
    ("010-12345678 分机 8001", "010-12345678-8001"),
    ("010-12345678 ext. 12", "010-12345678-12"),
    ("+86 10 12345678", "010-12345678"),
    ("+86-755-1234567", "0755-1234567"),
    ("400-123-4567", "400-123-4567"),
    ("4001234567", "400-123-4567"),
    ("800 123 4567", "800-123-4567"),
])
def test_parse_phone(text, expected):
    assert parse_phone(text) == expected


@pytest.mark.parametrize("text", [
    "12345678", "1381234567", "138123456789", "12812345678", "010-1234567890", "010-0123456",
    "abc", "138-1234-5678转12", "010-12345678转1234567", "0755", "电话：13812345678x", "+1 415 555 0100",
])
def test_parse_phone_rejects(text):
    message = assert_rejects(parse_phone, text)
    assert "13812345678" in message and "010-12345678" in message


# --- yes / no ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "☑", "☒", "■", "√", "✔", "✔️", "✓", "x", "X", "✗", "[x]", "[ x ]", "[√]", "(√)", "（√）", "【√】",
    "是", "有", "对", "yes", "Yes", "TRUE", "true", "1", " 是 ", "☑是 ☐否", "☐否 ☑是", "是√  否",
])
def test_parse_bool_true(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", [
    "☐", "□", "否", "无", "没有", "no", "NO", "false", "0", "[ ]", "[]", "( )", "☐是 ☑否", "☐有 ■无",
])
def test_parse_bool_false(text):
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["×", "也许", "2", "☑是 ☑否", "yesno", "待定"])
def test_parse_bool_rejects(text):
    assert_rejects(parse_bool, text)


# --- choices ----------------------------------------------------------------

GATE = ("通过", "不通过", "补充信息")
REVIEW = ("通过", "修改后通过", "不通过")


@pytest.mark.parametrize(("text", "expected"), [
    ("通过", "通过"), ("不通过", "不通过"), (" 补充 信息 ", "补充信息"), ("补充信息。", "补充信息"),
    ("☑通过 ☐不通过 ☐补充信息", "通过"),
    ("☐通过 ☑不通过 ☐补充信息", "不通过"),
    ("☐通过 ☐不通过 ☒补充信息", "补充信息"),
    ("■通过 □不通过 □补充信息", "通过"),
    ("□通过 ■不通过 □补充信息", "不通过"),
    ("☐通过☑不通过☐补充信息", "不通过"),
    ("通过√", "通过"),
    ("通过√ 不通过 补充信息", "通过"),
    ("通过 不通过√ 补充信息", "不通过"),
    ("通过 √不通过 补充信息", "不通过"),
    ("√通过 不通过 补充信息", "通过"),
    ("[x] 通过 [ ] 不通过 [ ] 补充信息", "通过"),
    ("☐√通过 ☐不通过 ☐补充信息", "通过"),
    ("通过（√） 不通过（ ） 补充信息（ ）", "通过"),
    ("☑ 补充信息（缺预算明细）", "补充信息"),
])
def test_parse_choice(text, expected):
    assert parse_choice(text, GATE) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("☐通过 ☑修改后通过 ☐不通过", "修改后通过"),
    ("☑通过 ☐修改后通过 ☐不通过", "通过"),
    ("修改后通过", "修改后通过"),
])
def test_parse_choice_options_inside_options(text, expected):
    assert parse_choice(text, REVIEW) == expected


@pytest.mark.parametrize("text", [
    "☑通过 ☑不通过 ☐补充信息", "☐通过 ☐不通过 ☐补充信息", "同意", "通过吧", "x", "通过 不通过",
])
def test_parse_choice_rejects(text):
    message = assert_rejects(parse_choice, text, GATE)
    assert "请从“通过、不通过、补充信息”中选择一项" in message


def test_parse_choice_names_the_ticked_options_when_ambiguous():
    message = assert_rejects(parse_choice, "☑通过 ☑不通过 ☐补充信息", GATE)
    assert "勾选了多项（通过、不通过）" in message


def test_parse_choice_case_and_width_insensitive():
    assert parse_choice("ｙｅｓ", ("Yes", "No")) == "Yes"


# --- decimals and quantities ------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("12", "12"), ("1,200.50", "1200.50"), ("１２００", "1200"), ("-3.5", "-3.5"), (".5", "0.5"),
    (3, "3"), (2.5, "2.5"), (D("7.25"), "7.25"),
])
def test_parse_decimal(text, expected):
    assert parse_decimal(text) == D(expected)


@pytest.mark.parametrize("text", ["3台", "1,2,00", "abc", "1.2.3", "12元"])
def test_parse_decimal_rejects(text):
    assert_rejects(parse_decimal, text)


@pytest.mark.parametrize(("text", "expected"), [
    ("3", "3"), ("3台", "3"), ("3 套", "3"), ("10个", "10"), ("2项", "2"), ("2.5m", "2.5"), ("2.5 m", "2.5"),
    ("100㎡", "100"), ("1,000 平方米", "1000"), ("４台", "4"), (3, "3"), (D("2.50"), "2.5"),
])
def test_parse_quantity(text, expected):
    assert parse_quantity(text) == D(expected)


@pytest.mark.parametrize("text", ["-1台", "三台", "台", "3台4", "abc", -1])
def test_parse_quantity_rejects(text):
    assert_rejects(parse_quantity, text)


# --- pydantic types ---------------------------------------------------------

class Sample(BaseModel):
    signed_on: DateValue
    budget: Money
    rate: Percent
    count: Quantity
    phone: Phone


GOOD = {"signed_on": "二〇二六年三月五日", "budget": "壹佰贰拾万元整", "rate": "30%", "count": "2.50台",
        "phone": "+86 138 1234 5678"}


def test_pydantic_types_parse_strings():
    sample = Sample(**GOOD)
    assert sample.signed_on == date(2026, 3, 5)
    assert sample.budget == D("1200000.00")
    assert sample.rate == D("30")
    assert sample.count == D("2.5")
    assert sample.phone == "13812345678"


def test_pydantic_types_accept_native_values():
    sample = Sample(signed_on=datetime(2026, 3, 5, 9, 30), budget=1200000, rate=30.5, count=3, phone=13812345678)
    assert sample.signed_on == date(2026, 3, 5)
    assert sample.budget == D("1200000.00") and sample.budget.as_tuple().exponent == -2
    assert sample.rate == D("30.5")


def test_pydantic_json_round_trip():
    dumped = Sample(**GOOD).model_dump(mode="json")
    assert dumped == {"signed_on": "2026-03-05", "budget": "1200000.00", "rate": "30", "count": "2.5",
                      "phone": "13812345678"}
    assert Sample.model_validate_json(Sample(**GOOD).model_dump_json()) == Sample(**GOOD)
    assert isinstance(Sample(**GOOD).model_dump()["budget"], Decimal)


def test_pydantic_validates_json_numbers():
    sample = Sample.model_validate_json(
        '{"signed_on": "2026/3/5", "budget": 1234.56, "rate": 30, "count": 3, "phone": "010-12345678"}')
    assert sample.budget == D("1234.56") and sample.count == D("3")


@pytest.mark.parametrize(("field", "bad"), [
    ("signed_on", "2026-02-30"), ("budget", "-5"), ("budget", "壹佰佰元"), ("rate", "130%"),
    ("count", "-1"), ("phone", "12345"), ("signed_on", ""), ("budget", "  "), ("signed_on", 20260305),
])
def test_pydantic_errors_are_clean_chinese(field, bad):
    with pytest.raises(ValidationError) as info:
        Sample(**{**GOOD, field: bad})
    (error,) = info.value.errors()
    assert error["type"] == "formkit_value"
    assert error["loc"] == (field,)
    assert not error["msg"].startswith("Value error")
    assert str(bad).strip() in error["msg"] or "未填写" in error["msg"]


def test_pydantic_error_message_with_braces_is_kept():
    with pytest.raises(ValidationError) as info:
        Sample(**{**GOOD, "signed_on": "{x}"})
    assert "“{x}”" in info.value.errors()[0]["msg"]


def test_json_schema():
    validation = Sample.model_json_schema()["properties"]
    serialization = Sample.model_json_schema(mode="serialization")["properties"]
    assert validation["signed_on"]["type"] == "string" and validation["signed_on"]["format"] == "date"
    assert {"type": "string"} in validation["budget"]["anyOf"]
    assert {"type": "number", "minimum": 0} in validation["budget"]["anyOf"]
    assert validation["budget"]["examples"] == ["1200000.00"]
    assert {"type": "number", "minimum": 0, "maximum": 100} in validation["rate"]["anyOf"]
    assert serialization["budget"].items() >= {"type": "string", "format": "decimal", "examples": ["1200000.00"]}.items()
    assert serialization["count"]["type"] == "string"
    assert validation["phone"]["type"] == "string"
