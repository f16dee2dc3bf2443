"""How the dossier prints values, and the names it gives files in the archive."""

from __future__ import annotations

from datetime import datetime, timezone

from formkit.dossier import text as T
from formkit.dossier.archive import safe_name


def test_values_print_as_the_forms_print_them() -> None:
    assert T.shown("1200000.00", T.field_info("contract_amount")) == "1,200,000.00"
    assert T.shown("2026-03-05", T.field_info("acceptance.acceptance_date")) == "2026年3月5日"
    assert T.shown("60", T.field_info("project_initiation.success_rate")) == "60%"
    assert T.shown(True) == "是" and T.shown(None) == "（空）"
    assert T.shown([True, False, True]) == "已勾选 2/3 项（☑☐☑）"
    rows = [{"item": "前端摄像机", "result": "合格"}, {"item": "录像存储", "result": None}]
    assert T.shown(rows, T.field_info("acceptance.checks")) == "第1行：前端摄像机，合格；第2行：录像存储"
    assert T.daxie("1180000.00") == "壹佰壹拾捌万元整" and T.daxie("不是数") == "—"


def test_times_are_beijing_time() -> None:
    moment = datetime(2026, 8, 28, 16, 30, tzinfo=timezone.utc)
    assert T.when(moment) == "2026-08-29 00:30"
    assert T.local_date(moment).isoformat() == "2026-08-29"
    assert T.size_text(126103) == "123.1 KB"


def test_archive_names_are_safe_on_every_system() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name('C:\\合同\\验收单:签字?.pdf') == "验收单_签字_.pdf"
    assert safe_name("   ") == "未命名"
    long = safe_name("验" * 300 + ".jpg")
    assert len(long) == 100 and long.endswith(".jpg")
