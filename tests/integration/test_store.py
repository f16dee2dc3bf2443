"""The project record end to end, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from formkit import project as api
from formkit.errors import FormkitError
from formkit.forms import get_form
from formkit.parse.docx import parse_docx
from formkit.render.render import render_form
from formkit.store import Change, Store, Submission
from tests.support.data import SAMPLES, sample
from tests.support.wordlike import word_fill

CODE = "P2026-001"


@pytest.fixture
def anfang(backend: str) -> str:
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    return CODE


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def prefilled(tmp_path: Path, form: str, name: str | None = None, **changes: object) -> Path:
    data = sample("anfang", form) | changes
    return write(tmp_path / (name or f"{form}.docx"), render_form(get_form(form), data).content)


def test_project_codes_are_validated_and_unique(backend: str) -> None:
    api.new_project("P2026-100", "测试项目")
    with pytest.raises(FormkitError, match="已存在"):
        api.new_project("P2026-100", "另一个")
    with pytest.raises(FormkitError, match="格式不正确"):
        api.new_project("P 2026/1", "坏代号")
    assert [p["code"] for p in api.list_projects()] == ["P2026-100"]


def test_import_record_prefill_render(anfang: str, tmp_path: Path) -> None:
    [result] = api.import_files([prefilled(tmp_path, "project_initiation")])
    assert result.outcome == "accepted", result.message
    record = api.show(CODE)
    assert record.forms["project_initiation"]["budget"] == "1200000.00"
    assert record.shared["region"] == "浙江省杭州市滨江区"
    assert record.stage not in ("项目立项", None)  # the first gate is passed
    assert record.submissions[0].status == "accepted" and len(record.submissions[0].sha256) == 64
    # A form of a later stage carries what the record knows.
    out = tmp_path / "验收单.docx"
    api.render_for_project("acceptance", CODE, out)
    parsed = parse_docx(str(out))
    assert parsed.data["customer_name"] == "杭州滨江科技园区管理有限公司"
    assert parsed.data["project_name"] == "滨江科技园区安防监控系统工程"
    again = tmp_path / "立项申请表.docx"
    api.render_for_project("project_initiation", CODE, again)
    assert parse_docx(str(again)).data["budget"] == "1200000.00"


def test_duplicate_import_changes_nothing(anfang: str, tmp_path: Path) -> None:
    path = prefilled(tmp_path, "project_initiation")
    api.import_files([path])
    before = api.show(CODE)
    [again] = api.import_files([path])
    assert again.outcome == "duplicate" and "已导入过" in again.message
    after = api.show(CODE)
    assert after.model_dump() == before.model_dump()


def test_every_original_is_kept_before_parsing(anfang: str, tmp_path: Path, formkit_home: Path) -> None:
    junk = write(tmp_path / "报价.pdf", b"%PDF-1.4 not really")
    broken = write(tmp_path / "坏.docx", b"PK\x03\x04 broken")
    results = api.import_files([junk, broken])
    assert [r.outcome for r in results] == ["review", "review"]
    assert "坏.docx" in results[1].message
    stored = sorted(p.read_bytes() for p in (formkit_home / "originals").rglob("*") if p.is_file())
    assert stored == sorted([b"%PDF-1.4 not really", b"PK\x03\x04 broken"])
    assert {i["source"]["filename"] for i in api.review_list()} == {"报价.pdf", "坏.docx"}


def test_form_for_unknown_project_is_held_with_a_clear_message(backend: str, tmp_path: Path) -> None:
    [result] = api.import_files([prefilled(tmp_path, "acceptance")])
    assert result.outcome == "review"
    assert "项目 P2026-001 不存在" in result.message
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    decided = api.accept(result.submission_id)
    assert decided["status"] == "accepted"
    assert api.show(CODE).shared["contract_no"] == "HT-2026-0517"  # shared: one value for every form


def test_problems_hold_for_review_then_accept_or_reject(anfang: str, tmp_path: Path) -> None:
    blank = render_form(get_form("acceptance"), project_code=CODE).content
    bad = write(tmp_path / "验收单.docx", word_fill(blank, {"contract_no": "HT-1", "acceptance_date": "月底"}))
    [result] = api.import_files([bad])
    assert result.outcome == "review"
    [item] = api.review_list()
    assert item["id"] == result.submission_id and item["status_label"] == "待审核"
    assert {p["label"] for p in item["problems"]} >= {"验收日期", "合同金额(元)"}
    api.reject(result.submission_id, note="请重填")
    assert api.review_list() == []
    assert "acceptance" not in api.show(CODE).forms
    with pytest.raises(FormkitError, match="没有编号为 9999 的提交"):
        api.accept(9999)


def test_conflicting_stable_field_is_flagged(anfang: str, tmp_path: Path) -> None:
    api.import_files([prefilled(tmp_path, "project_initiation")])
    other = prefilled(tmp_path, "acceptance", customer_name="杭州滨江科技园区管委会")
    [result] = api.import_files([other])
    assert result.outcome == "review"
    [problem] = [p for p in result.problems if p["kind"] == "conflict"]
    assert problem["label"] == "客户名称" and "不应变更" in problem["message"]
    assert api.show(CODE).customer == "杭州滨江科技园区管理有限公司"  # not applied yet
    api.accept(result.submission_id, note="客户更名")
    record = api.show(CODE)
    assert record.customer == "杭州滨江科技园区管委会"
    change = [h for h in record.history if h.key == "customer_name"][-1]
    assert (change.old, change.new, change.submission_id) == ("杭州滨江科技园区管理有限公司", "杭州滨江科技园区管委会",
                                                            result.submission_id)


def test_blank_never_erases_but_wu_does(anfang: str, tmp_path: Path) -> None:
    api.import_files([prefilled(tmp_path, "acceptance")])
    blank = render_form(get_form("acceptance"), project_code=CODE).content
    values = {"project_name": "滨江科技园区安防监控系统工程", "project_code": CODE,
              "customer_name": "杭州滨江科技园区管理有限公司", "filled_by": "刘海波", "filled_date": "2026-09-01",
              "contract_no": "HT-2026-0517", "contract_amount": "1180000", "acceptance_date": "2026-09-01",
              "acceptance_type": "正式验收", "conclusion": "通过", "customer_signer": "张卫东",
              "checks[0].item": "前端摄像机", "checks[0].result": "合格",
              "customer_opinion": "无", "site": "无"}
    [result] = api.import_files([write(tmp_path / "第二份.docx", word_fill(blank, values))])
    assert result.outcome == "accepted", result.problems
    form = api.show(CODE).forms["acceptance"]
    assert form["start_date"] == "2026-06-01"  # left blank: kept
    assert form["site"] == "无"  # explicit 无: replaces 杭州市滨江区江南大道 588 号
    assert form["acceptance_date"] == "2026-09-01"


def _tracking_copy(tmp_path: Path, name: str, values: dict[str, object]) -> Path:
    """The tracking sheet as issued from the record, filled in by one person."""
    issued = tmp_path / f"issued-{name}.docx"
    api.render_for_project("tracking_sheet", CODE, issued)
    return write(tmp_path / f"{name}.docx", word_fill(issued.read_bytes(), values))


def test_tracking_sheet_roles_merge_their_parts(anfang: str, tmp_path: Path) -> None:
    api.import_files([prefilled(tmp_path, "tracking_sheet")])
    # Two copies sent at the same time; each person writes only their part.
    manager = _tracking_copy(tmp_path, "销售经理", {"initiation.judgement.sales_manager": "同意，尽快踏勘。"})
    boss = _tracking_copy(tmp_path, "总经理", {"initiation.follow_up.general_manager": "关注回款风险。",
                                               "negotiation.conditions[1]": True})
    assert [r.outcome for r in api.import_files([manager, boss])] == ["accepted", "accepted"]
    stage = api.show(CODE).forms["tracking_sheet"]["initiation"]
    assert stage["judgement"]["sales"] == "信息完整，可以跟踪。"
    assert stage["judgement"]["sales_manager"] == "同意，尽快踏勘。"
    assert stage["follow_up"]["general_manager"] == "关注回款风险。"
    assert api.show(CODE).forms["tracking_sheet"]["negotiation"]["conditions"] == [True, True]


def test_review_reply_puts_a_comment_on_each_field(anfang: str, tmp_path: Path) -> None:
    from docx import Document

    blank = render_form(get_form("acceptance"), project_code=CODE).content
    bad = write(tmp_path / "验收单.docx", word_fill(blank, {"contract_no": "HT-1", "acceptance_date": "月底",
                                                           "contract_amount": "一百万左右"}))
    [result] = api.import_files([bad])
    reply = api.reply(result.submission_id, tmp_path / "退回.docx")
    comments = [c.text for c in Document(str(reply)).comments]
    assert any(c.startswith("验收日期：") and "月底" in c for c in comments)
    assert any(c.startswith("合同金额(元)：") for c in comments)
    assert any("必填项未填写" in c for c in comments)
    assert parse_docx(str(reply)).data["contract_no"] == "HT-1"  # still the same form


def test_status_and_stage_rendering(anfang: str, tmp_path: Path) -> None:
    api.import_files([prefilled(tmp_path, "project_initiation")])
    status = api.status(CODE)
    stages = {s["name"]: s for s in status["stages"]}
    assert stages["项目立项"]["state"] == "done"
    assert stages["项目验收"]["state"] == "not_started"
    assert status["current_stage"] == stages[status["current_stage"]]["name"]
    listing = api.status()
    assert listing[0]["code"] == CODE and listing[0]["accepted"] == 1
    made = api.render_stage("商务谈判", CODE, tmp_path / "out")
    assert "negotiation_plan" in [spec.id for spec, _ in made]
    for spec, path in made:
        assert parse_docx(str(path)).identity.project_code == CODE


def test_approval_gate_blocks_until_it_reads_pass(anfang: str, tmp_path: Path) -> None:
    [r] = api.import_files([prefilled(tmp_path, "project_initiation", ops_assessment="补充信息")])
    assert r.outcome == "accepted"
    stage = api.status(CODE)["stages"][0]
    assert stage["state"] == "current"
    assert any("运营立项信息评估为“补充信息”" in b for b in stage["blockers"])


def test_every_change_is_counted_once(anfang: str, tmp_path: Path, formkit_home: Path) -> None:
    api.import_files([prefilled(tmp_path, "project_initiation")])
    with Store() as store, store.transaction() as session:
        changes = session.scalar(select(func.count()).select_from(Change))
        subs = session.scalar(select(func.count()).select_from(Submission))
    assert subs == 1 and changes > 20


def test_project_given_on_import_fills_an_empty_project_code(anfang: str, tmp_path: Path) -> None:
    data = sample("anfang", "acceptance")
    data.pop("project_code")
    path = write(tmp_path / "无代号.docx", render_form(get_form("acceptance"), data).content)
    [held] = api.import_files([path])
    assert held.outcome == "review" and any(p["path"] == "project_code" for p in held.problems)
    other = write(tmp_path / "无代号2.docx", render_form(get_form("acceptance"), data | {"filled_by": "王五"}).content)
    [result] = api.import_files([other], project=CODE)
    assert result.outcome == "accepted", result.problems
    assert api.show(CODE).shared["contract_no"] == "HT-2026-0517"


def test_a_snapshot_sees_one_committed_state_and_blocks_no_writer(anfang: str, tmp_path: Path) -> None:
    """A dossier or `show` reads the record in several queries: an import that
    commits between them must not show up in half of them (PostgreSQL's
    default READ COMMITTED would), and on SQLite the reader must not hold the
    write lock the importers queue on."""
    from formkit.store import Project

    with Store() as reader, Store() as writer:
        with reader.snapshot() as session:
            version = session.get(Project, CODE).version
            before = session.scalar(select(func.count()).select_from(Change))
            [result] = api.import_files([prefilled(tmp_path, "acceptance")])  # commits meanwhile, not blocked
            assert result.outcome == "accepted"
            with writer.transaction() as other:
                assert other.get(Project, CODE).version == version + 1
            assert session.scalar(select(func.count()).select_from(Change)) == before
            assert session.scalar(select(func.count()).select_from(Submission)) == 0
        with reader.snapshot() as session:
            assert session.get(Project, CODE).version == version + 1
            assert session.scalar(select(func.count()).select_from(Submission)) == 1
