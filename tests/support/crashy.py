"""Readers that fail inside a worker process (formkit.intake.run.PARSE_JOB):
a file whose name starts with 出错 raises, one starting with 崩溃 kills the
worker outright, as a crash in a C library would."""

from __future__ import annotations

import os
from typing import Any

from formkit.intake.parsing import Pending, parse_job


def failing_parse_job(pending: Pending) -> Any:
    stem = os.path.basename(pending.filename)
    if stem.startswith("出错"):
        raise RuntimeError("a reader's bug")
    if stem.startswith("崩溃"):
        os._exit(70)
    return parse_job(pending)
