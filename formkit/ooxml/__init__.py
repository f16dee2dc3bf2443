"""Raw WordprocessingML: the only place in formkit that knows w:sdt and its XPath.

Returned files are read defensively: zip limits are checked, XML is parsed
without entities or DTDs, and bad input raises NotAFormError or UnsafeFileError
(formkit.errors) with a one-line Chinese message naming the file.

What callers must know:
- Control.value is the text as it reads with tracked changes accepted, including
  placeholder text: check `showing_placeholder` (editors may leave it set after
  real text was typed, so compare with the template's placeholder too).
- Paragraphs inside a control become "\\n" (trailing empty paragraphs too), w:br
  and w:cr "\\n", w:tab "\\t"; a literal line feed inside w:t is a space, as in Word.
- A w14:checkbox is checked by its visible glyph when that is a known tick-box
  glyph, else by w14:checked (another editor may change one and not the other).
- Control.tracked is "inserted"/"deleted" when the control itself is a pending
  change; `pending_changes` is True then or when anything inside is.
- row/table are indexes within Control.part; a row-level control has row None.
- Of mc:AlternateContent only the first mc:Choice is read, so a control in a
  text box is reported once. Glossary and comment parts are not read.
"""

from formkit.ooxml.changes import fixed_text, tracked_changes
from formkit.ooxml.comments import add_comments
from formkit.ooxml.controls import Control, read_controls
from formkit.ooxml.fill import fill_controls
from formkit.ooxml.legacy import LegacyField, read_legacy_fields
from formkit.ooxml.package import Package, open_package
from formkit.ooxml.properties import write_custom_properties
from formkit.ooxml.summary import IDENTITY_PROPERTIES, inspect, read_identity

__all__ = [
    "IDENTITY_PROPERTIES",
    "Control",
    "LegacyField",
    "Package",
    "add_comments",
    "fill_controls",
    "fixed_text",
    "inspect",
    "open_package",
    "read_controls",
    "read_identity",
    "read_legacy_fields",
    "tracked_changes",
    "write_custom_properties",
]
