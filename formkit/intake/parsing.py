"""Step 2 of an import: read a kept file, with no store (so a worker process
can run it). Importing this module loads the readers and nothing of the store
or the mail code: a worker starts in about half the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from formkit.errors import FormkitError, NeedsOfficeError, SettingError
from formkit.forms.base import Problem
from formkit.parse.values import ParsedForm

if TYPE_CHECKING:
    from formkit.jobs import Handle, Workers


@dataclass
class Pending:
    """A file kept as an original, waiting to be parsed and recorded."""

    sha256: str
    data: bytes
    filename: str
    name: str
    project: str | None
    hold: str | None
    no_project: str


def parse_pending(pending: Pending) -> tuple[ParsedForm | None, list[Problem]]:
    """Step 2, pure (no store): read the file, or hold it unread."""
    if pending.hold is not None:
        return None, [Problem("", "文件", pending.hold, kind="file")]
    return _parse(pending.data, pending.filename, pending.name)


def _parse(data: bytes, filename: str, name: str) -> tuple[ParsedForm | None, list[Problem]]:
    """Any returned form (.docx, PDF, scan: told by content, not name); a
    reader's crops of unsure values are kept for review and named."""
    from dataclasses import replace

    from formkit.intake.crops import save_crops
    from formkit.parse import parse_bytes

    try:
        parsed = parse_bytes(data, name)
    except SettingError:
        raise  # a bad FORMKIT_MAX_* value is the setup's fault, not this file's: stop the run
    except FormkitError as e:
        kind = "office" if isinstance(e, NeedsOfficeError) else "file"  # read when imported again with LibreOffice
        return None, [Problem("", "文件", f"{str(e).rstrip('。')}；原件已保存，待人工处理", kind=kind)]
    except Exception as e:  # noqa: BLE001 - a reader's bug must not stop an import run
        return None, [Problem("", "文件", f"{name}：读取时出错（{type(e).__name__}），原件已保存，待人工处理",
                              kind="file")]
    try:
        crops = save_crops(parsed, data)
    except OSError:
        crops = {}
    problems = [replace(p, message=f"{p.message}（截图：{crops[p.path]}）") if p.path in crops else p
                for p in parsed.problems]
    return parsed, problems


def parse_job(pending: Pending) -> tuple[ParsedForm | None, list[Problem]]:
    """Step 2 in a worker process: what :func:`record` needs, picklable and
    small (the validated model and the crops, already saved, stay behind)."""
    parsed, problems = parse_pending(pending)
    if parsed is not None:
        parsed.model, parsed.crops = None, {}
    return parsed, problems


def worker_result(workers: Workers, handle: Handle[Any], pending: Pending) -> tuple[ParsedForm | None, list[Problem]]:
    """What ``handle`` (``pending`` parsed by a worker, or here) gave. A worker
    that died, or a result that would not pickle, is that file's problem
    (:func:`crashed`); a bad FORMKIT_MAX_* value still stops the run."""
    try:
        return workers.result(handle)
    except SettingError:
        raise
    except Exception as e:  # noqa: BLE001 - a worker that died (or a result that would not pickle)
        return None, crashed(pending, e)


def crashed(pending: Pending, e: BaseException) -> list[Problem]:
    """The problem of a file whose reader died (a worker process killed or crashed)."""
    return [Problem("", "文件", f"{pending.name}：读取时出错（{type(e).__name__}：读取进程异常退出），原件已保存，待人工处理",
                    kind="file")]
