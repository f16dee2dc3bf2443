"""Commands on the project store: project, show, import, review, status, stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer
from rich.table import Table

from formkit.cli.common import JsonRows, api, app, err, fail, out, print_json
from formkit.errors import FormkitError

project_app = typer.Typer(help="项目：新建、列表。", no_args_is_help=True)
app.add_typer(project_app, name="project")

OUTCOMES = {"accepted": "[green]已接受[/green]", "review": "[yellow]待审核[/yellow]",
            "duplicate": "[dim]重复，未更改[/dim]", "failed": "[red]无法读取[/red]"}
STATE_STYLE = {"done": "green", "current": "bold yellow", "not_started": "dim",
               "accepted": "green", "review": "yellow", "rejected": "red", "missing": "dim"}


@project_app.command("new")
def project_new(
    code: Optional[str] = typer.Argument(None, help="项目代号，如 P2026-001"),
    name: Optional[str] = typer.Option(None, "--name", help="项目名称"),
    customer: Optional[str] = typer.Option(None, "--customer", help="客户名称"),
    region: Optional[str] = typer.Option(None, "--region", help="项目所在地区"),
    from_file: Optional[Path] = typer.Option(None, "--from", help="从 YAML/JSON 文件读取项目信息"),
) -> None:
    """新建项目。"""
    try:
        if from_file:
            created = api.project_from_file(from_file)
        else:
            if not code or not name:
                raise typer.BadParameter("请给出项目代号和 --name 项目名称，或用 --from 文件")
            created = api.new_project(code, name, customer=customer, region=region)
    except FormkitError as e:
        raise fail(e) from None
    out.print(f"已新建项目 {created['code']}：{created['name']}")


@project_app.command("list")
def project_list(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出全部项目及其当前阶段。"""
    status_cmd(None, as_json)


@app.command("show")
def show_cmd(code: str = typer.Argument(..., help="项目代号"),
             as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """显示项目记录：基本信息、各表单的当前值、变更历史和提交。"""
    try:
        record = api.show(code)
    except FormkitError as e:
        raise fail(e) from None
    if as_json:
        print_json(record.model_dump(mode="json"))
        return
    out.print(f"[bold]{record.code} {record.name}[/bold]  客户：{record.customer or '—'}  地区：{record.region or '—'}"
              f"  当前阶段：{record.stage}")
    from formkit.forms import get_form
    from formkit.forms.base import label_for
    from formkit.record import SHARED, flatten

    table = Table("项目信息", "值")
    for key, value in record.shared.items():
        table.add_row(SHARED.get(key, key), _shown(value))
    out.print(table)
    for form, data in record.forms.items():
        spec = get_form(form)
        table = Table(f"《{spec.title}》字段", "当前值", title_justify="left")
        for path, value in flatten(data).items():
            table.add_row(label_for(spec.model, path), _shown(value))
        out.print(table)
    if record.history:
        table = Table("时间", "字段", "原值", "新值", "来源")
        for h in record.history[-30:]:
            source = f"#{h.submission_id} {h.file or ''} {h.sender or ''}".strip() if h.submission_id else "新建项目"
            table.add_row(h.at[:19].replace("T", " "), h.label, _shown(h.old), _shown(h.new), source)
        out.print(table)
    table = Table("提交", "表单", "状态", "文件", "来源", "收到时间")
    for s in record.submissions:
        origin = "，".join(v for v in (s.source.get("sender"), s.source.get("subject"), s.source.get("date", "")[:10])
                          if v) or s.source.get("path", "—")
        table.add_row(f"#{s.id}", s.title or "—", s.status_label, s.source.get("filename", ""), origin,
                      s.received_at[:19].replace("T", " "))
    out.print(table)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "☑" if value else "☐"
    if isinstance(value, list):
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) < 80 else f"{len(value)} 行"
    return str(value)


@app.command("import")
def import_cmd(
    paths: Optional[list[Path]] = typer.Argument(
        None, help="文件或文件夹（递归）；也可以是邮件：.eml、Outlook .msg、.mbox 文件和 Maildir 文件夹"),
    project: Optional[str] = typer.Option(None, "--project", help="文档和邮件主题都没有项目代号时指定"),
    imap: Optional[str] = typer.Option(
        None, "--imap", help="读取 IMAP 邮箱：imaps://用户名@服务器\\[:端口]\\[/文件夹]（imap:// 为不加密连接）；"
                             "密码取自环境变量 FORMKIT_IMAP_PASSWORD，未设置时提示输入"),
    folder: Optional[str] = typer.Option(None, "--folder", help="IMAP 文件夹（默认 INBOX）"),
    include_seen: bool = typer.Option(False, "--all", help="IMAP：已读邮件也导入（默认只导入未读邮件）"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                       help="并行读取文件的进程数（默认：全部 CPU 核心；1 为逐个读取）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """导入回收的表单（文件、文件夹、邮件、IMAP 邮箱）：保存原件、识别表单和项目、校验、更新项目记录。

    每封邮件只导入一次；导入的 IMAP 邮件标为已读。
    """
    import os
    import sys

    from formkit.cli.import_view import ImportProgress, summary_line, summary_table

    if not paths and not imap:
        raise typer.BadParameter("请给出要导入的文件、文件夹或邮件，或用 --imap 指定邮箱")
    password = None
    if imap:
        password = os.environ.get("FORMKIT_IMAP_PASSWORD")
        if password is None:
            if not sys.stdin.isatty():
                err.print("[red]错误：[/red]请设置环境变量 FORMKIT_IMAP_PASSWORD（邮箱密码），或在终端中运行以便输入密码")
                raise typer.Exit(2)
            password = typer.prompt("IMAP 邮箱密码", hide_input=True, err=True)

    def show(r: Any) -> None:
        shown = {**OUTCOMES, "skipped": "[dim]跳过[/dim]"}.get(r.outcome, r.outcome)
        out.print(f"{shown} {r.name}：{r.message}")

    rows = JsonRows() if as_json else None
    try:
        with ImportProgress(err, enabled=not as_json) as progress:
            report = api.import_all(list(paths or []), project=project, imap=imap, imap_password=password,
                                    folder=folder, include_seen=include_seen, keep_results=False,
                                    on_result=(lambda r: rows.add(r.as_dict())) if rows else show,
                                    on_progress=progress.update, on_start=progress.start, jobs=jobs)
    except FormkitError as e:
        if rows and rows.count:
            rows.close()
        raise fail(e) from None
    if rows:
        rows.close()
        return
    out.print(summary_table(report))
    out.print(summary_line(report))


@app.command("review")
def review_cmd(
    project: Optional[str] = typer.Option(None, "--project", help="只看一个项目"),
    reply: Optional[int] = typer.Option(None, "--reply", help="为该提交写出带批注的回复文档"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="回复文档的输出文件"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出待审核的提交；--reply ID -o 文件 写出带批注的回复文档。"""
    try:
        if reply is not None:
            target = output or Path(f"退回修改-{reply}.docx")
            api.reply(reply, target)
            out.print(f"已写出带批注的回复文档：{target}")
            return
        items = api.review_list(project)
    except FormkitError as e:
        raise fail(e) from None
    if as_json:
        print_json(items)
        return
    if not items:
        out.print("没有待审核的提交。")
        return
    table = Table("编号", "项目", "表单", "文件", "问题")
    for item in items:
        problems = item["problems"]
        first = f"{problems[0]['label']}：{problems[0]['message']}" if problems else ""
        more = f"（另 {len(problems) - 1} 个）" if len(problems) > 1 else ""
        table.add_row(f"#{item['id']}", item.get("project_code") or "—", item["title"] or "—",
                      item["source"].get("filename", ""), first + more)
    out.print(table)


@app.command("accept")
def accept_cmd(
    submission: int = typer.Argument(..., help="提交编号"),
    project: Optional[str] = typer.Option(None, "--project", help="指定项目代号"),
    note: Optional[str] = typer.Option(None, "--note", help="审核意见"),
) -> None:
    """接受一个待审核的提交，更新项目记录。"""
    try:
        result = api.accept(submission, project=project, note=note)
    except FormkitError as e:
        raise fail(e) from None
    out.print(f"已接受提交 #{result['id']}，项目 {result['project_code']} 更新了 {result['changed']} 项。")


@app.command("reject")
def reject_cmd(
    submission: int = typer.Argument(..., help="提交编号"),
    note: Optional[str] = typer.Option(None, "--note", help="退回原因"),
) -> None:
    """退回一个提交（原件保留，不更新项目记录）。"""
    try:
        api.reject(submission, note=note)
    except FormkitError as e:
        raise fail(e) from None
    out.print(f"已退回提交 #{submission}。")


@app.command("status")
def status_cmd(
    code: Optional[str] = typer.Argument(None, help="项目代号；省略时列出全部项目"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """项目进度：每个阶段的状态、表单收到/接受/缺少/待审核，以及卡在哪里。"""
    try:
        result = api.status(code)
    except FormkitError as e:
        raise fail(e) from None
    if as_json:
        print_json(result)
        return
    if code is None:
        out.print(projects_table(result))
        return
    out.print(f"[bold]{result['code']} {result['name']}[/bold]  当前阶段：[bold yellow]{result['current_stage']}[/bold yellow]")
    table = Table("阶段", "状态", "表单", "卡在", show_lines=True)
    for stage in result["stages"]:
        forms = "\n".join(f"[{STATE_STYLE[f['state']]}]{f['title']}：{f['state_label']}[/]" for f in stage["forms"]) or "—"
        style = STATE_STYLE[stage["state"]]
        table.add_row(f"[{style}]{stage['name']}[/]", f"[{style}]{stage['state_label']}[/]", forms,
                      "\n".join(stage["blockers"]) or "—")
    out.print(table)


def projects_table(projects: list[dict[str, Any]]) -> Table:
    """All projects, one line each: stage, forms accepted, waiting, what blocks."""
    table = Table("项目代号", "项目名称", "客户", "当前阶段", "已接受表单", "待审核", "卡在")
    for p in projects:
        table.add_row(p["code"], p["name"], p["customer"] or "—", p["current_stage"],
                      f"{p['accepted']}/{p['forms']}", str(p["review"]) if p["review"] else "—",
                      "；".join(p["blockers"][:2]) or "—")
    return table


@app.command("stage")
def stage_cmd(
    stage: str = typer.Argument(..., help="阶段名称，如 商务谈判"),
    projects: Optional[list[str]] = typer.Option(None, "--project", help="项目代号（可重复，为多个项目生成）"),
    all_projects: bool = typer.Option(False, "--all", help="为数据库中的全部项目生成"),
    output: Path = typer.Option(Path("."), "-o", "--output", help="输出目录"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                       help="并行生成的进程数（默认：全部 CPU 核心；1 为逐个生成）"),
) -> None:
    """为项目生成某一阶段的全部表单（按项目记录预填），可直接发出。"""
    if not projects and not all_projects:
        raise typer.BadParameter("请用 --project 指定项目（可重复），或用 --all 为全部项目生成")
    try:
        codes = api.project_codes() if all_projects else list(projects or [])
        made = api.render_stages(stage, codes, output, jobs=jobs,
                                 on_done=lambda code, spec, path: out.print(f"已生成{spec.title}：{path}"))
    except FormkitError as e:
        raise fail(e) from None
    if not made:
        err.print(f"阶段“{stage}”没有表单。" if codes else "数据库中还没有项目。")
