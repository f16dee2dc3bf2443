#!/usr/bin/python3
"""Fill a .docx form's content controls in LibreOffice, the way a person would.

Run with the system python that has ``uno`` (python3-uno), not formkit's:

    /usr/bin/python3 tests/office/uno_fill.py INPUT.docx VALUES.json OUTPUT.docx

VALUES.json maps a control's tag to its value: a string for text (``\\n`` for
a new line, typed as a line break), ``"YYYY-MM-DD"`` for a date control, the
display text for a dropdown, true/false for a checkbox. Each control is filled
as LibreOffice's own UI does it (SwWrtShell::Insert / GotoContentControl):
the content is replaced, the placeholder flag cleared; a date control gets its
CurrentDate and the text its DateFormat shows; a checkbox gets Checked and its
checked/unchecked glyph. A box that already shows the wanted state is left
alone, as a person would leave it.

A tag ``rows[N].col`` beyond the rows the form has is filled the way a person
adds a row: the last row of that table is copied (with its controls, so their
tags repeat) and the copy is filled.

Starts a private soffice (``$SOFFICE`` or ``soffice``; own profile, own pipe),
opens a private copy of INPUT, saves as "MS Word 2007 XML", and always stops
soffice again (also on SIGTERM). Prints a JSON summary on stdout. This script
does not import formkit.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.text.ControlCharacter import LINE_BREAK

CONNECT_TIMEOUT = 60.0
ROW_TAG = re.compile(r"^(?P<name>[A-Za-z_]\w*)\[(?P<index>\d+)\]\.(?P<col>\w+)$")


def _prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


class Office:
    """A private headless soffice reached over a named pipe."""

    def __init__(self, soffice=None):
        self.profile = tempfile.mkdtemp(prefix="uno-fill-profile-")
        self.pipe = "formkit_uno_" + uuid.uuid4().hex
        self.proc = None
        self.desktop = None
        self.soffice = soffice or os.environ.get("SOFFICE", "soffice")

    def start(self):
        self.proc = subprocess.Popen(
            [self.soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
             "--nolockcheck", "-env:UserInstallation=" + uno.systemPathToFileUrl(self.profile),
             "--accept=pipe,name=%s;urp;" % self.pipe],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)  # own process group: stop() reaches soffice.bin too
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % self.pipe)
                break
            except NoConnectException:
                if self.proc.poll() is not None:
                    raise RuntimeError("soffice exited with code %s before accepting" % self.proc.returncode)
                if time.monotonic() > deadline:
                    raise RuntimeError("soffice did not accept a connection in %.0f s" % CONNECT_TIMEOUT)
                time.sleep(0.1)
        self.context = ctx
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        return self

    def stop(self):
        if self.desktop is not None:
            try:
                self.desktop.terminate()
            except Exception:  # the bridge goes down with the office: expected
                pass
            self.desktop = None
        if self.proc is not None:
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=15)
            self.proc = None
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()


# --- finding the controls -------------------------------------------------------

def content_controls(text, table=None, row=None):
    """(control, table name, row) for every content control of a text, tables included."""
    paragraphs = text.createEnumeration()
    while paragraphs.hasMoreElements():
        par = paragraphs.nextElement()
        if par.supportsService("com.sun.star.text.TextTable"):
            for name in par.getCellNames():
                r = int(re.match(r"[A-Za-z]+(\d+)", name).group(1)) - 1
                yield from content_controls(par.getCellByName(name), par.getName(), r)
            continue
        if not par.supportsService("com.sun.star.text.Paragraph"):
            continue
        portions = par.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            if portion.TextPortionType == "ContentControl":
                yield portion.ContentControl, table, row


def controls_by_tag(doc):
    found = {}
    for cc, table, row in content_controls(doc.Text):
        found.setdefault(cc.Tag, []).append((cc, table, row))
    return found


# --- filling one control ---------------------------------------------------------

def replace_content(cc, text):
    """Replace a control's whole content with text; new lines become line breaks."""
    cursor = cc.createTextCursor()
    cursor.gotoEnd(True)
    lines = text.split("\n")
    cc.insertString(cursor, lines[0], True)
    cursor.collapseToEnd()
    for line in lines[1:]:
        cc.insertControlCharacter(cursor, LINE_BREAK, False)
        cc.insertString(cursor, line, False)
    # What SwWrtShell::Insert does once a person has typed into the control.
    cc.ShowingPlaceHolder = False


def fill(cc, value):
    """Fill one control. Returns 'filled', 'unchanged' or raises ValueError."""
    if cc.Checkbox:
        if not isinstance(value, bool):
            raise ValueError("checkbox %s needs true/false, got %r" % (cc.Tag, value))
        if bool(cc.Checked) == value:
            return "unchanged"
        cc.Checked = value
        replace_content(cc, cc.CheckedState if value else cc.UncheckedState)
        return "filled"
    if not isinstance(value, str):
        raise ValueError("control %s needs a string, got %r" % (cc.Tag, value))
    if cc.Date:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("date control %s needs YYYY-MM-DD, got %r" % (cc.Tag, value))
        cc.CurrentDate = value + "T00:00:00Z"
        shown = cc.DateString
        if not shown:
            raise ValueError("date control %s: LibreOffice gave no DateString for %s" % (cc.Tag, value))
        replace_content(cc, shown)
        return "filled"
    if cc.DropDown or cc.ComboBox:
        shown = [dict((p.Name, p.Value) for p in item).get("DisplayText", "") for item in cc.ListItems]
        if cc.DropDown and value not in shown:
            raise ValueError("dropdown %s has no item %r (items: %s)" % (cc.Tag, value, shown))
    replace_content(cc, value)
    return "filled"


# --- adding a row, as a person copies the last row ---------------------------------

def add_row(doc, table, row):
    """Copy table row ``row`` to a new row right below it (controls included)."""
    controller = doc.getCurrentController()
    columns = table.getColumns().getCount()
    last = _column_name(columns - 1)
    table.getRows().insertByIndex(row + 1, 1)
    controller.select(table.getCellRangeByName("A%d:%s%d" % (row + 1, last, row + 1)))
    copied = controller.getTransferable()
    controller.select(table.getCellRangeByName("A%d:%s%d" % (row + 2, last, row + 2)))
    controller.insertTransferable(copied)


def _column_name(i):
    name = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        name = chr(ord("A") + rem) + name
    return name


def list_rows(found, name):
    """{(table, row): {column: control}} of the rows holding list ``name``'s controls."""
    rows, tables = {}, {}
    for tag, hits in found.items():
        m = ROW_TAG.match(tag or "")
        if m and m["name"] == name:
            for cc, table, row in hits:
                tables.setdefault(table, len(tables))
                rows.setdefault((table, row), {})[m["col"]] = cc
    return dict(sorted(rows.items(), key=lambda kv: (tables[kv[0][0]], kv[0][1])))


def ensure_rows(doc, values):
    """Add rows for tags past the last row of their list. Returns (rows added, controls by tag)."""
    need = {}
    for tag in values:
        m = ROW_TAG.match(tag)
        if m:
            need[m["name"]] = max(need.get(m["name"], 0), int(m["index"]) + 1)
    found = controls_by_tag(doc)  # walking the document over UNO is the slow part: walk rarely
    added = 0
    for name, count in need.items():
        rows = list_rows(found, name)
        while rows and len(rows) < count:
            table, row = list(rows)[-1]
            add_row(doc, doc.getTextTables().getByName(table), row)
            added += 1
            found = controls_by_tag(doc)
            before, rows = len(rows), list_rows(found, name)
            if len(rows) <= before:
                raise RuntimeError("copying the last row of %s did not add a row of controls" % name)
    return added, found


def target(found, tag):
    """The control a tag is filled into; a row tag lands on the Nth row of its list."""
    m = ROW_TAG.match(tag)
    if not m:
        hits = found.get(tag)
        return hits[0][0] if hits else None
    rows = list(list_rows(found, m["name"]).values())
    index = int(m["index"])
    return rows[index].get(m["col"]) if index < len(rows) else None


# --- main ---------------------------------------------------------------------------

def fill_document(office, src, values, dst):
    # Open a private copy: LibreOffice puts a .~lock file next to what it opens,
    # and will not open (headless: returns None) a file whose lock file is stale.
    work = os.path.join(office.profile, "input" + os.path.splitext(src)[1])
    shutil.copyfile(src, work)
    doc = office.desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(work), "_blank", 0, (_prop("Hidden", True),))
    if doc is None:
        raise RuntimeError("LibreOffice could not open %s" % src)
    try:
        added, found = ensure_rows(doc, values)
        summary = {"controls": sum(len(v) for v in found.values()), "filled": 0, "unchanged": 0,
                   "rows_added": added, "not_found": [], "errors": []}
        for tag, value in values.items():
            cc = target(found, tag)
            if cc is None:
                summary["not_found"].append(tag)
                continue
            try:
                summary[fill(cc, value)] += 1
            except ValueError as e:
                summary["errors"].append(str(e))
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)),
                       (_prop("FilterName", "MS Word 2007 XML"), _prop("Overwrite", True)))
    finally:
        try:
            doc.close(True)
        except Exception:  # soffice gone or busy: Office.stop() ends it anyway
            pass
    return summary


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: uno_fill.py INPUT.docx VALUES.json OUTPUT.docx\n")
        return 2
    src, values_path, dst = argv[1:]
    with open(values_path, encoding="utf-8") as fh:
        values = json.load(fh)
    # A SIGTERM (a caller's timeout) must still reach the finally that stops soffice.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    with Office() as office:
        summary = fill_document(office, src, values, dst)
    summary["seconds"] = round(time.monotonic() - started, 2)
    json.dump(summary, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
