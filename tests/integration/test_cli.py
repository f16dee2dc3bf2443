"""The formkit command as people and scripts use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from formkit.cli import app
from tests.support.data import SAMPLES, SHARED
from tests.support.wordlike import word_fill

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_forms_json_lists_the_catalog() -> None:
    result = run("forms", "--json")
    assert result.exit_code == 0
    forms = json.loads(result.stdout)
    assert {"id", "title", "stage", "version", "form_no"} <= set(forms[0])
    assert "acceptance" in {f["id"] for f in forms}
    assert "项目验收单" in run("forms").stdout


def test_render_prefilled_then_parse_json(tmp_path: Path) -> None:
    out = tmp_path / "验收单.docx"
    result = run("render", "项目验收单", "--data", str(SAMPLES / "anfang" / "acceptance.yaml"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "已生成项目验收单" in result.stdout
    parsed = run("parse", str(out), "--json")
    assert parsed.exit_code == 0, parsed.output
    doc = json.loads(parsed.stdout)
    assert {"form", "schema_version", "project_code", "document_id", "data", "problems"} <= set(doc)
    assert doc["form"] == "acceptance" and doc["project_code"] == "P2026-001"
    assert doc["data"]["contract_amount"] == "1180000.00"
    assert doc["data"]["acceptance_date"] == "2026-08-28"
    assert doc["problems"] == []


def test_render_json_data_and_blank(tmp_path: Path) -> None:
    data = tmp_path / "d.json"
    data.write_text(json.dumps({"project_code": "P2026-009", "project_name": "测试", "budget": 880000}), encoding="utf-8")
    assert run("render", "project_initiation", "--data", str(data), "-o", str(tmp_path / "a.docx")).exit_code == 0
    assert run("project", "new", "P2026-009", "--name", "测试项目").exit_code == 0
    result = run("render", "acceptance", "--blank", "--project", "P2026-009", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "项目验收单-空白.docx").exists()


def test_parse_exit_1_lists_problems_by_label(tmp_path: Path) -> None:
    blank = tmp_path / "blank.docx"
    run("project", "new", "P2026-001", "--name", "滨江科技园区安防监控系统工程")
    run("render", "acceptance", "--blank", "--project", "P2026-001", "-o", str(blank))
    filled = tmp_path / "filled.docx"
    filled.write_bytes(word_fill(blank.read_bytes(), {"contract_amount": "壹佰万元整", "acceptance_date": "下周"}))
    result = run("parse", str(filled))
    assert result.exit_code == 1
    assert "验收日期" in result.stdout and "下周" in result.stdout
    doc = json.loads(run("parse", str(filled), "--json").stdout)
    assert doc["data"]["contract_amount"] == "1000000.00"
    problem = next(p for p in doc["problems"] if p["path"] == "acceptance_date")
    assert problem["label"] == "验收日期" and "message" in problem


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04garbage"])
def test_parse_unreadable_file_exits_2_with_one_chinese_line(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(content)
    result = run("parse", str(bad))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误：") and "坏文件.docx" in lines[0]
    assert "Traceback" not in result.output


def test_parse_foreign_docx_exits_2() -> None:
    foreign = SHARED / "corpus" / "docx_tables" / "pt_HC004-ResumeTemplate_zh.docx"
    result = run("parse", str(foreign))
    assert result.exit_code == 2
    assert "不是 formkit 表单" in result.stderr


def test_parse_missing_file_exits_2(tmp_path: Path) -> None:
    result = run("parse", str(tmp_path / "none.docx"))
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_inspect_json_shape_on_a_real_world_file() -> None:
    path = SHARED / "corpus" / "docx_sdt" / "pt_HC030-Content-Controls.docx"
    result = run("inspect", str(path), "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert set(info["identity"]) == {"form", "schema_version", "project_code", "document_id"}
    assert info["controls"] and {"tag", "alias", "type", "value", "checked"} <= set(info["controls"][0])
    assert run("inspect", str(path)).exit_code == 0


def test_schema_writes_one_file_per_form(tmp_path: Path) -> None:
    result = run("schema", "-o", str(tmp_path))
    assert result.exit_code == 0
    schema = json.loads((tmp_path / "acceptance.json").read_text(encoding="utf-8"))
    assert schema["title"] == "项目验收单" and schema["x-schema-version"] == "1.0"
    assert schema["properties"]["contract_amount"]["title"] == "合同金额(元)"


def test_unknown_form_names_the_choices() -> None:
    result = run("render", "验收", "--blank")
    assert result.exit_code == 2 and "acceptance（项目验收单）" in result.stderr


def test_demo_runs_the_whole_loop_in_a_fresh_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("demo", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "演示完成" in result.stdout and "导入回收的表单" in result.stdout
    returned = list(tmp_path.rglob("回收/*.docx"))
    assert len(returned) >= 8  # every sample form of both projects
    folder = tmp_path / "P2026-001-滨江科技园区安防监控系统工程"
    assert all((folder / f"项目档案-P2026-001.{ext}").stat().st_size for ext in ("docx", "pdf", "zip"))
    assert "项目档案：P2026-001-滨江科技园区安防监控系统工程/项目档案-P2026-001.docx" in result.stdout
    monkeypatch.setenv("FORMKIT_HOME", str(tmp_path / "formkit-home"))
    projects = json.loads(run("status", "--json").stdout)
    assert {p["code"] for p in projects} == {"P2026-001", "P2026-014"}
    shown = json.loads(run("show", "P2026-001", "--json").stdout)
    assert len(shown["submissions"]) >= 5
    assert {"id", "form", "status", "sha256", "source", "received_at"} <= set(shown["submissions"][0])
    assert shown["forms"]["project_initiation"]["budget"] == "1200000.00"
    # Running it again starts from a fresh store: same outcome, no duplicates.
    assert run("demo", str(tmp_path)).exit_code == 0
    again = json.loads(run("show", "P2026-001", "--json").stdout)
    assert len(again["submissions"]) == len(shown["submissions"])


def test_console_script_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "formkit", "forms", "--json"], capture_output=True, text=True)
    assert out.returncode == 0 and json.loads(out.stdout)
