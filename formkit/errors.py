"""The one error tree of formkit. Imports nothing from formkit.

Every message is written for the person at the keyboard: Chinese, naming the
file, the form and the field where they are known, and saying what to do.
"""

from __future__ import annotations


class FormkitError(Exception):
    """Base of every error formkit raises on purpose."""

    exit_code = 2


class FieldValueError(FormkitError, ValueError):
    """A value typed into a field cannot be understood (bad date, bad 大写 …)."""

    exit_code = 1


class UnknownFormError(FormkitError, LookupError):
    """A form id or title that the registry does not know."""


class DataFileError(FormkitError, ValueError):
    """A --data file that cannot be read or does not fit the form."""


class NotAFormError(FormkitError, ValueError):
    """A file that is not a readable formkit form (damaged, foreign, not .docx)."""


class NeedsOfficeError(NotAFormError):
    """A file readable only once LibreOffice converts it (.doc, .rtf, .odt),
    and LibreOffice is missing or too old: importing it again later reads it."""


class UnsafeFileError(NotAFormError):
    """A file that tries something dangerous (zip bomb, entity expansion)."""


class LimitError(UnsafeFileError):
    """A file over one of formkit's limits (formkit.limits): too many pages,
    too large, too deeply nested, too slow to read. The message names the file,
    what was found, the limit and the environment variable that raises it."""


class SettingError(FormkitError, ValueError):
    """A setting (environment variable) whose value formkit cannot use."""


class TemplateError(FormkitError, RuntimeError):
    """A template that cannot be built or rendered: a bug, not bad input."""


class OfficeError(FormkitError, RuntimeError):
    """LibreOffice is missing or failed to convert a document."""
