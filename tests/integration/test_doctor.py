"""formkit doctor: every original against its sha256, dangling rows, interrupted imports."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from formkit import project as api
from formkit.cli import app
from formkit.forms import get_form
from formkit.render.render import render_form
from formkit.store import Original, Source, Store, now
from formkit.store.doctor import check
from tests.support.data import SAMPLES, sample

runner = CliRunner()


def _imported(tmp_path: Path) -> Path:
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    path = tmp_path / "验收单.docx"
    path.write_bytes(render_form(get_form("acceptance"), sample("anfang", "acceptance")).content)
    api.import_files([path])
    return path


def test_doctor_clean_store_exits_0(tmp_path: Path) -> None:
    _imported(tmp_path)
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "数据完整" in result.stdout
    doc = json.loads(runner.invoke(app, ["doctor", "--json"]).stdout)
    assert doc == {"clean": True, "originals": 1, "submissions": 1, "problems": [], "interrupted": []}


def test_doctor_finds_a_damaged_original(tmp_path: Path) -> None:
    _imported(tmp_path)
    with Store() as store, store.transaction() as session:
        row = session.scalars(select(Original)).one()
        path = store.config.home / row.stored_path
    path.write_bytes(path.read_bytes()[:-1] + b"!")
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "原始文件已损坏：验收单.docx" in result.stdout
    path.unlink()
    doc = json.loads(runner.invoke(app, ["doctor", "--json"]).stdout)
    assert doc["clean"] is False and "原始文件缺失" in doc["problems"][0]


def test_doctor_finds_a_submission_without_its_original(tmp_path: Path) -> None:
    _imported(tmp_path)
    with Store() as store:  # a damaged database: the foreign key was not enforced
        db = store.config.home / "formkit.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("UPDATE submissions SET sha256 = ?", ("0" * 64,))
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "的原始文件没有登记" in result.stdout


def test_doctor_names_an_interrupted_import_and_rerun_finishes_it(tmp_path: Path) -> None:
    path = _imported(tmp_path)
    other = tmp_path / "中断.docx"
    other.write_bytes(render_form(get_form("acceptance"),
                                  sample("anfang", "acceptance") | {"filled_by": "中断"}).content)
    with Store() as store:  # killed after keeping the original, before parsing
        row, _ = store.keep_original(other.read_bytes(), other.name, Source(path=str(other)))
        assert check(store).interrupted == []  # younger than a minute: may still be running
        report = check(store, at=now() + timedelta(minutes=2))
        stray = store.config.originals / "ab" / ".incoming-xyz"
        stray.parent.mkdir(exist_ok=True)
        stray.write_bytes(b"partial")
        old = time.time() - 300
        os.utime(stray, (old, old))
        later = check(store)
    assert report.clean and len(report.interrupted) == 1
    assert "导入未完成：中断.docx" in report.interrupted[0] and "重新运行" in report.interrupted[0]
    assert any("临时文件" in n for n in later.interrupted)
    stray.unlink()
    api.import_files([path, other])
    with Store() as store:
        assert check(store, at=now() + timedelta(minutes=2)).interrupted == []
