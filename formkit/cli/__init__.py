"""The ``formkit`` command. It parses arguments, calls formkit.project, prints.

Human output is Chinese; ``--json`` output is the stable machine interface
documented in the README. Errors become one Chinese line on stderr and an
exit code (1: the form has problems; 2: not a readable form or bad input).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from formkit.errors import FormkitError
from formkit.forms import all_forms, get_form

from formkit.cli.common import api as project
from formkit.cli.common import app, err, fail, out, print_json

_fail = fail
_print_json = print_json


@app.command("forms")
def forms_cmd(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出所有表单（编号、名称、阶段、版本）。"""
    specs = [s.as_dict() for s in all_forms()]
    if as_json:
        _print_json(specs)
        return
    table = Table("表单 ID", "名称", "编号", "阶段", "版本")
    for s in specs:
        table.add_row(s["id"], s["title"], s["form_no"], s["stage"], s["version"])
    out.print(table)


@app.command("render")
def render_cmd(
    form: str = typer.Argument(..., help="表单 ID 或中文名称，如 acceptance 或 项目验收单"),
    data: Optional[Path] = typer.Option(None, "--data", help="预填数据（JSON 或 YAML）"),
    blank: bool = typer.Option(False, "--blank", help="生成空白表单"),
    project_code: Optional[str] = typer.Option(None, "--project", help="项目代号：按项目记录预填"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="输出文件或目录"),
) -> None:
    """生成可填写的 Word 表单（空白或预填）。给出 --project 时按项目记录预填并登记发出的文档。"""
    try:
        spec = get_form(form)
        values = None if blank or data is None else project.load_data(data)
        code = project_code or (values or {}).get("project_code")
        target = output or project.default_output(spec, code, blank or (values is None and not project_code))
        if target.is_dir():
            target = target / project.default_output(spec, code, blank)
        if project_code:
            rendered = project.render_for_project(spec.id, project_code, target, blank=blank, data=values)
        else:
            rendered = project.render_to_file(spec.id, target, values)
    except FormkitError as e:
        raise _fail(e) from None
    out.print(f"已生成{spec.title}：{target}（文档编号 {rendered.identity.document_id}）")
    for w in rendered.warnings:
        err.print(f"[yellow]提示：[/yellow]{w.label}：{w.message}")


@app.command("parse")
def parse_cmd(
    file: Path = typer.Argument(..., help="回收的表单：.docx、PDF 或扫描件（JPG/PNG）"),
    form: Optional[str] = typer.Option(None, "--form", help="文档没有标识时指定表单"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """读取回收的表单，校验并列出每个问题。退出码：0 通过，1 有问题，2 无法读取。"""
    try:
        parsed = project.parse_file(file, form)
    except FormkitError as e:
        raise _fail(e) from None
    if as_json:
        _print_json(parsed.as_dict())
    else:
        _print_parsed(parsed)
    raise typer.Exit(0 if parsed.ok else 1)


def _print_parsed(parsed: Any) -> None:
    ident = parsed.identity
    out.print(f"{parsed.spec.title}（{ident.form} 版本 {ident.schema_version}）"
              f" 项目 {ident.project_code or '未知'} 文档 {ident.document_id or '未知'}")
    table = Table("字段", "值", "读取方式", "置信度")
    for path, label, value in _flat_values(parsed):
        conf = parsed.confidence.get(path)
        table.add_row(label, value, parsed.sources.get(path, ""), "" if conf is None else f"{conf:.2f}")
    out.print(table)
    for note in parsed.notices:
        out.print(f"[yellow]注意：[/yellow]{note}")
    if parsed.problems:
        out.print(f"[red]发现 {len(parsed.problems)} 个问题：[/red]")
        for p in parsed.problems:
            out.print(f"  - {p.label}：{p.message}")
    else:
        out.print("[green]校验通过，没有问题。[/green]")


def _flat_values(parsed: Any) -> list[tuple[str, str, str]]:
    from formkit.forms.base import label_for

    rows: list[tuple[str, str, str]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else k)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        else:
            shown = {True: "☑", False: "☐"}.get(value, value) if isinstance(value, bool) else value
            rows.append((path, label_for(parsed.spec.model, path), str(shown)))

    walk(parsed.data, "")
    return rows


@app.command("inspect")
def inspect_cmd(
    file: Path = typer.Argument(..., help="任意 .docx、PDF 或图片文件"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """显示文件的表单标识；.docx 的全部内容控件、旧式窗体域和未处理的修订；PDF 的表单域和文字概况。"""
    try:
        info = project.inspect_file(file)
    except FormkitError as e:
        raise _fail(e) from None
    if as_json:
        _print_json(info)
        return
    ident = info["identity"]
    out.print("表单标识：" + "，".join(f"{k}={v or '无'}" for k, v in ident.items()))
    if info.get("kind") in ("pdf", "image"):
        _print_pdf_info(info)
        return
    table = Table("tag", "alias", "类型", "值", "勾选")
    for c in info["controls"]:
        checked = "" if c["checked"] is None else ("☑" if c["checked"] else "☐")
        table.add_row(c["tag"] or "", c["alias"] or "", c["type"], (c["value"] or "")[:60], checked)
    out.print(table)
    for f in info.get("legacy_fields", []):
        out.print(f"旧式窗体域：{f}")
    changes = info.get("tracked_changes") or {}
    if any(changes.values()):
        out.print("未处理的修订：" + "，".join(f"{k} {v}" for k, v in changes.items() if v))


def _print_pdf_info(info: dict[str, Any]) -> None:
    kind = "扫描件（无文字层）" if info.get("scanned") or info["kind"] == "image" else "文字 PDF"
    out.print(f"{kind}，{info.get('pages', 0)} 页")
    if info.get("kind") == "pdf":
        out.print(f"文字 {info['text_chars']} 字，表格行 {info['table_rows']} 行；"
                  f"标题：{info['metadata'].get('Title') or '无'}")
        fields = info.get("form_fields") or []
        if fields:
            table = Table("表单域", "提示(TU)", "类型", "值")
            for f in fields:
                table.add_row(f["name"], f["tooltip"], f["type"], str(f["value"] if f["value"] is not None else "")[:60])
            out.print(table)
        if info.get("text"):
            out.print("文字开头：" + " ".join(info["text"].split())[:120])


@app.command("schema")
def schema_cmd(
    form: Optional[str] = typer.Argument(None, help="只输出一个表单"),
    output: Path = typer.Option(Path("schemas"), "-o", "--output", help="输出目录"),
) -> None:
    """为每个表单写出 JSON Schema。"""
    try:
        written = project.write_schemas(output, form)
    except FormkitError as e:
        raise _fail(e) from None
    for path in written:
        out.print(f"已写出 {path}")


@app.command("templates")
def templates_cmd(
    output: Path = typer.Option(Path("templates"), "-o", "--output", help="输出目录"),
) -> None:
    """由表单模型重新生成 templates/ 中的 Word 模板。"""
    for path in project.write_templates(output):
        out.print(f"已写出 {path}")


@app.command("demo")
def demo_cmd(directory: Path = typer.Argument(Path("formkit-demo"), help="输出目录")) -> None:
    """完整演示：在全新的数据目录中新建示例项目，按项目记录生成表单、模拟填写、导入并显示进度。"""
    try:
        run = project.run_demo(directory)
    except FormkitError as e:
        raise _fail(e) from None
    table = Table("表单", "类型", "文件", "读回校验")
    for f in run.files:
        status = ""
        if f.parsed is not None:
            status = "通过" if f.parsed.ok else f"{len(f.parsed.problems)} 个问题"
        table.add_row(f.form.title, f.kind, str(f.path.relative_to(directory)), status)
    out.print(table)
    accepted = sum(r.outcome == "accepted" for r in run.imports)
    out.print(f"导入回收的表单 {len(run.imports)} 份：已接受 {accepted}，待审核 {len(run.imports) - accepted}")
    for r in run.imports:
        if r.outcome != "accepted":
            out.print(f"  [yellow]待审核[/yellow] {Path(r.name).name}：{r.message}")
    out.print(records.projects_table(run.projects))
    if run.dossier is not None:
        made = [p for p in (run.dossier.docx, run.dossier.pdf, run.dossier.zip) if p]
        out.print("项目档案：" + "，".join(str(p.relative_to(directory)) for p in made))
        for warning in run.dossier.warnings:
            err.print(f"[yellow]提示：[/yellow]{warning}")
    out.print(f"演示完成：文件在 {directory}，数据目录在 {run.home}。"
              f"查看项目：FORMKIT_HOME={run.home} formkit status P2026-001")


from formkit.cli import records, web  # noqa: E402,F401  (register their commands)
from formkit.cli import dossier  # noqa: E402,F401  (registers the dossier command)
from formkit.cli import doctor as _doctor  # noqa: E402,F401  (registers the doctor command)


def main() -> None:
    app()
