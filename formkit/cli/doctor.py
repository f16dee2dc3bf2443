"""The doctor command: the store's integrity check."""

from __future__ import annotations

import typer

from formkit.cli.common import api, app, err, fail, out, print_json
from formkit.errors import FormkitError


@app.command("doctor")
def doctor_cmd(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """检查数据完整性：逐一核对原件的 SHA-256、悬空的记录与未完成的导入。退出码：0 正常，1 有问题。"""
    try:
        report = api.doctor()
    except FormkitError as e:
        raise fail(e) from None
    if as_json:
        print_json(report.as_dict())
    else:
        for problem in report.problems:
            out.print(f"[red]问题：[/red]{problem}")
        for note in report.interrupted:
            out.print(f"[yellow]未完成：[/yellow]{note}")
        verdict = "数据完整" if report.clean else f"发现 {len(report.problems)} 个问题"
        out.print(f"已检查原件 {report.originals} 份、提交 {report.submissions} 份：{verdict}"
                  + (f"；{len(report.interrupted)} 个导入未完成" if report.interrupted else "") + "。")
        if report.problems:
            err.print("请从备份恢复损坏或缺失的原件，或重新导入对应文件。")
    if not report.clean:
        raise typer.Exit(1)
