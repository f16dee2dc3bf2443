"""A .zip given to `formkit import` (or found in a folder) is opened like a zip
attached to mail: each file inside is imported, the zip itself is kept as an
original, and each member's original records the zip it came from."""

from __future__ import annotations

import hashlib
import os
import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from formkit import project as api
from formkit.cli import app
from formkit.forms import get_form
from formkit.render.render import render_form
from formkit.store import Original, Store
from tests.support.data import SAMPLES, sample
from tests.support.mail import zip_bomb, zip_of

runner = CliRunner()


def form(filled_by: str) -> bytes:
    return render_form(get_form("acceptance"), sample("anfang", "acceptance") | {"filled_by": filled_by}).content


def originals() -> dict[str, Original]:
    with Store() as store, store.transaction() as session:
        return {o.sha256: o for o in session.scalars(select(Original))}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_import_a_zip_file_with_gbk_names(tmp_path: Path) -> None:
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    inner = form("张三")
    path = tmp_path / "回收表单.zip"
    path.write_bytes(zip_of({"验收单（张三）.docx": inner, "说明.txt": "请查收".encode("gbk")}, gbk_names=True))
    result = runner.invoke(app, ["import", str(path), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["file"], r["outcome"]) for r in rows] == [
        (f"{path} › 验收单（张三）.docx", "accepted"), (f"{path} › 说明.txt", "skipped")]
    kept = originals()
    assert kept[sha(path.read_bytes())].source_kind == "file"
    member = kept[sha(inner)]
    assert (member.filename, member.source_kind, member.source_path) == ("验收单（张三）.docx", "zip", str(path.resolve()))
    again = api.import_all([path], jobs=1)
    assert again.files == 1 and again.summary()["duplicate"] == 1 and again.summary()["skipped"] == {"不是表单文件": 1}
    shown = json.loads(runner.invoke(app, ["show", "P2026-001", "--json"]).stdout)
    assert shown["submissions"][0]["source"]["kind"] == "zip"
    assert shown["submissions"][0]["source"]["filename"] == "验收单（张三）.docx"


def test_zips_in_a_folder_nested_and_hostile(tmp_path: Path, formkit_home: Path) -> None:
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    folder = tmp_path / "收件"
    folder.mkdir()
    nested_form, escaping = form("李四"), form("王五")
    (folder / "嵌套.zip").write_bytes(zip_of({"第二层.zip": zip_of({"验收单.docx": nested_form})}))
    (folder / "穿越.zip").write_bytes(zip_of({"../../../逃逸.docx": escaping, "/etc/逃逸.txt": b"x",
                                             "..\\..\\逃逸2.txt": b"y"}))
    bomb = zip_bomb(64 * 1024 * 1024)
    (folder / "炸弹.zip").write_bytes(bomb)
    before = {p for p in tmp_path.rglob("*") if formkit_home not in p.parents and p != formkit_home}

    results = {r.name: r for r in api.import_files([folder], jobs=2)}

    nested = results[f"{folder / '嵌套.zip'} › 第二层.zip › 验收单.docx"]
    assert nested.outcome == "accepted"
    escaped = results[f"{folder / '穿越.zip'} › 逃逸.docx"]
    assert escaped.outcome == "accepted"
    note = results[str(folder / "穿越.zip")]
    assert note.outcome == "skipped" and "含路径" in note.message
    refused = results[str(folder / "炸弹.zip")]
    assert refused.outcome == "skipped" and "压缩炸弹" in refused.message and "炸弹.zip" in refused.message
    after = {p for p in tmp_path.rglob("*") if formkit_home not in p.parents and p != formkit_home}
    assert after == before, "a file was written outside FORMKIT_HOME"
    assert not list(Path("/").glob("逃逸*")) and not Path("/etc/逃逸.txt").exists()
    kept = originals()
    for name in ("嵌套.zip", "穿越.zip", "炸弹.zip"):
        assert kept[sha((folder / name).read_bytes())].source_kind == "file"
    assert kept[sha(nested_form)].source_path == str((folder / "嵌套.zip").resolve())
    assert kept[sha(escaping)].filename == "逃逸.docx"
    assert all(Path(formkit_home / o.stored_path).resolve().is_relative_to(formkit_home.resolve())
               for o in kept.values())
    with Store() as store:
        assert store.integrity_problems() == []


def test_a_zip_over_the_attachment_limit_is_kept_not_opened(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("FORMKIT_MAX_ATTACHMENT_MB", "1")
    path = tmp_path / "大压缩包.zip"
    path.write_bytes(zip_of({"填充.bin": os.urandom(2 * 1024 * 1024)}))
    [row] = api.import_files([path])
    assert row.outcome == "skipped" and "大压缩包.zip" in row.message and "原件已保存" in row.message
    assert sha(path.read_bytes()) in originals()
