"""A reader that says which process ran it (formkit.intake.run.PARSE_JOB):
each call appends the process id to the file named by FORMKIT_TEST_PIDS, so
a test can tell the files read in workers from those read in the importer."""

from __future__ import annotations

import os
from typing import Any

from formkit.intake.parsing import Pending, parse_job


def recording_parse_job(pending: Pending) -> Any:
    with open(os.environ["FORMKIT_TEST_PIDS"], "a", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\n")
    return parse_job(pending)
