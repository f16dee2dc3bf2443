"""Intake: files and mail -> originals -> parsed submissions -> record.

Every file is stored first (content-addressed), then parsed in a separate
transaction that records the submission and, when it is valid and agrees
with the record, updates the record. A process killed in between leaves the
original stored and no submission: importing again finishes the job. Mail
messages are recorded once each (formkit.intake.mail).

The names below are loaded when first used, so a worker process that only
parses (formkit.intake.parsing) does not load the store and the mail code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "ImportResult": "core", "import_bytes": "core",
    "ImapLocation": "imap", "MailboxError": "imap", "imap_source": "imap", "parse_url": "imap",
    "MessageResult": "mail", "import_message": "mail",
    "MailSource": "mailboxes", "RawMessage": "mailboxes", "source_for": "mailboxes",
    "ImportReport": "run", "Progress": "run", "import_mail": "run", "import_paths": "run",
    "import_sources": "run", "plan": "run",
}
__all__ = sorted(_WHERE)

if TYPE_CHECKING:
    from formkit.intake.core import ImportResult, import_bytes
    from formkit.intake.imap import ImapLocation, MailboxError, imap_source, parse_url
    from formkit.intake.mail import MessageResult, import_message
    from formkit.intake.mailboxes import MailSource, RawMessage, source_for
    from formkit.intake.run import ImportReport, Progress, import_mail, import_paths, import_sources, plan


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'formkit.intake' has no attribute {name!r}")
    return getattr(importlib.import_module(f"formkit.intake.{_WHERE[name]}"), name)
