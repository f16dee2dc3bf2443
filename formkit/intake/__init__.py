"""Intake: files and mail -> originals -> parsed submissions -> record.

Every file is stored first (content-addressed), then parsed in a separate
transaction that records the submission and, when it is valid and agrees
with the record, updates the record. A process killed in between leaves the
original stored and no submission: importing again finishes the job. Mail
messages are recorded once each (formkit.intake.mail).
"""

from formkit.intake.core import ImportResult, import_bytes
from formkit.intake.imap import ImapLocation, MailboxError, imap_source, parse_url
from formkit.intake.mail import MessageResult, import_message
from formkit.intake.mailboxes import MailSource, RawMessage, source_for
from formkit.intake.run import ImportReport, Progress, import_mail, import_paths, import_sources, plan

__all__ = [
    "ImapLocation", "ImportReport", "ImportResult", "MailSource", "MailboxError", "MessageResult", "Progress",
    "RawMessage", "imap_source", "import_bytes", "import_mail", "import_message", "import_paths",
    "import_sources", "parse_url", "plan", "source_for",
]
