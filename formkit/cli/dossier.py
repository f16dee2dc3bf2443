"""The dossier command: a project's 项目档案 as Word, PDF and a zip of every original."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from formkit.cli.common import api, app, err, fail, out, print_json
from formkit.errors import FormkitError


@app.command("dossier")
def dossier_cmd(
    code: Optional[str] = typer.Argument(None, help="项目代号（或用 --all 生成全部项目的档案）"),
    output: Optional[Path] = typer.Option(None, "-o", "--output",
                                          help="Word 文件（.docx）或目录；默认 项目档案-代号.docx"),
    pdf: bool = typer.Option(False, "--pdf", help="同时生成 PDF 版：书签齐全，附入收到的 PDF 与扫描件原件"),
    zip_: bool = typer.Option(False, "--zip", help="同时生成压缩包：项目档案与全部原件，按阶段分文件夹"),
    stage: Optional[str] = typer.Option(None, "--stage", help="只收录一个阶段，如 项目验收"),
    all_projects: bool = typer.Option(False, "--all", help="生成数据库中全部项目的档案（-o 为目录，默认当前目录）"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                       help="--all：并行生成的进程数（默认：全部 CPU 核心；1 为逐个生成）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """生成项目档案：封面、目录、项目概况、阶段进度图、全部已接受的表单、变更记录、待审核事项与原件清单。"""
    if all_projects == bool(code):
        raise typer.BadParameter("请给出一个项目代号，或用 --all 生成全部项目的档案（二者选一）")
    try:
        if all_projects:
            results = api.dossiers(api.project_codes(), output or Path("."), pdf=pdf, zip=zip_, stage=stage,
                                   jobs=jobs, on_done=None if as_json else _print)
        else:
            results = [api.dossier(code or "", output, pdf=pdf, zip=zip_, stage=stage)]
            if not as_json:
                _print(results[0])
    except FormkitError as e:
        raise fail(e) from None
    if as_json:
        print_json([_as_dict(r) for r in results] if all_projects else _as_dict(results[0]))
    elif all_projects and not results:
        err.print("数据库中还没有项目。")


def _print(result: Any) -> None:
    pages = f"{result.pages} 页，" if result.pages else ""
    out.print(f"已生成项目档案：{result.docx}（{pages}表单 {result.forms} 份，原件 {result.originals} 份）")
    if result.pdf:
        out.print(f"PDF 版：{result.pdf}（共 {result.pdf_pages} 页，附入原件 {len(result.appended)} 份）")
    if result.zip:
        out.print(f"压缩包：{result.zip}")
    for warning in result.warnings:
        err.print(f"[yellow]提示：[/yellow]{warning}")


def _as_dict(result: Any) -> dict[str, Any]:
    return {
        "code": result.code,
        "docx": str(result.docx),
        "pdf": str(result.pdf) if result.pdf else None,
        "zip": str(result.zip) if result.zip else None,
        "pages": result.pages,
        "pdf_pages": result.pdf_pages,
        "forms": result.forms,
        "originals": result.originals,
        "version": result.version,
        "history": result.history,
        "appended": result.appended,
        "contents": [{"level": level, "title": title, "page": page} for level, title, page in result.contents],
        "warnings": result.warnings,
    }
