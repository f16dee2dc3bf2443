"""How `formkit import` shows a long run: a rich progress bar on stderr (one
line per source: files, each mail file or folder, the IMAP mailbox) and a
summary table at the end. Prints only; the import itself is formkit.project."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from formkit.intake import ImportReport, MailSource
from formkit.intake import Progress as ProgressEvent

UNITS = {"files": "个文件", "messages": "封邮件"}


class ImportProgress:
    def __init__(self, console: Console, *, enabled: bool) -> None:
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                                 TextColumn("{task.fields[note]}"), TimeElapsedColumn(),
                                 console=console, transient=True, disable=not enabled)
        self.tasks: dict[str, TaskID] = {}
        self.counts: dict[str, int] = {}

    def __enter__(self) -> ImportProgress:
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.progress.stop()

    def start(self, files: list[Path], sources: list[MailSource]) -> None:
        if files:
            self.tasks["文件"] = self.progress.add_task("导入文件", total=len(files), note="")
        for source in sources:
            self.tasks[source.label] = self.progress.add_task(f"读取 {source.label}", total=source.total, note="")

    def update(self, event: ProgressEvent) -> None:
        task = self.tasks.get(event.task)
        if task is None:
            task = self.tasks[event.task] = self.progress.add_task(f"读取 {event.task}", total=event.total, note="")
        self.counts[event.task] = self.counts.get(event.task, 0) + 1
        unit = "封邮件" if event.unit == "bytes" else UNITS.get(event.unit, "")
        self.progress.update(task, completed=event.done, total=event.total, note=f"{self.counts[event.task]} {unit}")


def summary_table(report: ImportReport) -> Table:
    s = report.summary()
    table = Table("导入结果", "数量", title="导入汇总", title_justify="left")
    if s["messages"]:
        seen = f"（其中 {s['messages_seen']} 封已导入过，跳过）" if s["messages_seen"] else ""
        table.add_row("读取邮件", f"{s['messages']}{seen}")
    if s["files"]:
        table.add_row("读取文件", str(s["files"]))
    table.add_row("[green]表单已接受，已更新项目记录[/green]", str(s["accepted"]))
    table.add_row("[yellow]待审核[/yellow]", str(s["review"]))
    duplicates = s["duplicate"] - s["messages_seen"]
    if duplicates:
        table.add_row("[dim]重复文件（已导入过，未更改）[/dim]", str(duplicates))
    if s["failed"]:
        table.add_row("[red]无法读取[/red]", str(s["failed"]))
    for reason, count in sorted(s["skipped"].items(), key=lambda kv: -kv[1]):
        if reason != "邮件已导入过":
            table.add_row(f"[dim]跳过：{reason}[/dim]", str(count))
    return table


def summary_line(report: ImportReport) -> str:
    s: dict[str, Any] = report.summary()
    skipped = sum(s["skipped"].values())
    total = s["accepted"] + s["review"] + s["duplicate"] + s["failed"] + skipped
    mail = f"邮件 {s['messages']} 封，" if s["messages"] else ""
    return (f"共 {mail}{total} 个文件：已接受 {s['accepted']}，待审核 {s['review']}，"
            f"重复 {s['duplicate']}，无法读取 {s['failed']}，跳过 {skipped}")
