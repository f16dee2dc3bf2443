"""Review comments (w:comment) anchored on content controls.

A comment on a tag covers every control with that tag: w:commentRangeStart
before the w:sdt, w:commentRangeEnd after it, then the run holding
w:commentReference (a control that holds whole paragraphs or rows is covered
from the start of its first paragraph to the end of its last). A comment without
a tag, or whose tag no control has, is a point comment at the start of the first
body paragraph. The comments part, its content-type Override and its
relationship are created when missing; an existing one is appended to.
"""

from __future__ import annotations

import copy
import posixpath
import re
from datetime import datetime, timezone

from lxml import etree

from formkit.errors import NotAFormError
from formkit.ooxml._xml import NS, RT_PREFIX, label, qn
from formkit.ooxml._zipsafe import UNREADABLE
from formkit.ooxml.package import Package, open_package
from formkit.ooxml._parts import has_override, rewrite, serialize, with_override, with_relationship

COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
RT_COMMENTS = RT_PREFIX + "comments"
EAST_ASIA_FONT = "宋体"
LANG = "zh-CN"

_W_P, _W_PPR, _W_SDT, _W_TAG, _W_ID = qn("w:p"), qn("w:pPr"), qn("w:sdt"), qn("w:tag"), qn("w:id")
_ID_HOLDERS = (qn("w:comment"), qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference"))
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def add_comments(
    docx_bytes: bytes,
    comments: list[tuple[str | None, str]],
    *,
    author: str = "formkit 审核",
    initials: str = "FK",
    date: datetime | None = None,
) -> bytes:
    """A copy of the package with one Word comment per (tag, text).

    `text` may span lines (one comment paragraph each); characters XML cannot
    hold become U+FFFD. `date` (naive: local time) defaults to now and is written
    in UTC. Only controls of the main document are looked at. Every part
    but the main document, the comments part, [Content_Types].xml and the main
    document's relationships is copied byte for byte.
    """
    for item in comments:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], str)
                and (item[0] is None or isinstance(item[0], str))):
            raise TypeError(f"批注须为 (标签或 None, 文字) 二元组，而不是 {item!r}")
    stamp = _stamp(date)
    if not comments:
        open_package(docx_bytes).close()  # still refuse what is not a .docx
        return bytes(docx_bytes)
    with open_package(docx_bytes) as pkg:
        if not pkg.has_part("[Content_Types].xml"):
            raise NotAFormError("文件已损坏或不是 Word 文档（.docx）：缺少 [Content_Types].xml。")
        document = copy.deepcopy(pkg.xml(pkg.main_part))
        replaced: dict[str, bytes] = {}
        part = _comments_part(pkg)
        if part is None:
            part = _free_name(pkg, posixpath.join(posixpath.dirname(pkg.main_part), "comments.xml"))
            root = etree.Element(qn("w:comments"), nsmap={"w": NS["w"]})
            base = posixpath.dirname(pkg.main_part)
            rels_name = posixpath.join(base, "_rels", posixpath.basename(pkg.main_part) + ".rels")
            replaced[rels_name] = with_relationship(pkg, rels_name, RT_COMMENTS, posixpath.relpath(part, base or "."))
        else:
            root = copy.deepcopy(pkg.xml(part))
        if not has_override(pkg, "/" + part):
            replaced["[Content_Types].xml"] = with_override(pkg, "/" + part, COMMENTS_CT)
        next_id = 1 + max((int(v) for v in _ids(root, document)), default=-1)
        controls = _controls_by_tag(document)
        for tag, text in comments:
            targets = controls.get(tag, []) if tag is not None else []
            for start, end in _anchors(document, targets):
                _mark(start, end, next_id)
                root.append(_comment(next_id, text, author, initials, stamp))
                next_id += 1
        replaced[pkg.main_part] = serialize(document)
        replaced[part] = serialize(root)
        try:
            return rewrite(docx_bytes, replaced)
        except UNREADABLE as e:
            raise NotAFormError(f"文件已损坏或不是 Word 文档（.docx）：{label(pkg.name)}有部件无法解压。") from e


# -- anchors ------------------------------------------------------------------
def _controls_by_tag(document: etree._Element) -> dict[str, list[etree._Element]]:
    found: dict[str, list[etree._Element]] = {}
    for sdt in document.iter(_W_SDT):
        tag = sdt.find(f"{qn('w:sdtPr')}/{_W_TAG}")
        if tag is not None and tag.get(qn("w:val")):
            found.setdefault(tag.get(qn("w:val")), []).append(sdt)
    return found


def _anchors(document: etree._Element, targets: list[etree._Element]) -> list[tuple[tuple, tuple]]:
    """(where the range starts, where it ends and the reference goes), each as (how, element).

    how: "before"/"after" the element, or at the "start"/"end" of a paragraph. No
    target that can hold a range: a point at the start of the first paragraph.
    """
    out = []
    for sdt in targets:
        if any(a.tag == _W_P for a in sdt.iterancestors()):  # inline: runs inside a paragraph
            out.append((("before", sdt), ("after", sdt)))
            continue
        paragraphs = list(sdt.iter(_W_P))
        if paragraphs:  # block, cell or row level
            out.append((("start", paragraphs[0]), ("end", paragraphs[-1])))
    if not out:
        first = _first_paragraph(document)
        out.append((("start", first), ("start", first)))
    return out


def _first_paragraph(document: etree._Element) -> etree._Element:
    body = document.find(qn("w:body"))
    if body is None:
        raise NotAFormError("文件已损坏或不是 Word 文档（.docx）：正文缺少 w:body。")
    first = next(body.iter(_W_P), None)
    if first is None:
        first = etree.Element(_W_P)
        sect = body.find(qn("w:sectPr"))
        (sect.addprevious if sect is not None else body.append)(first)
    return first


def _mark(start: tuple, end: tuple, cid: int) -> None:
    range_start = etree.Element(qn("w:commentRangeStart"), {_W_ID: str(cid)})
    range_end = etree.Element(qn("w:commentRangeEnd"), {_W_ID: str(cid)})
    reference = etree.Element(qn("w:r"))
    reference.append(_run_properties())
    etree.SubElement(reference, qn("w:commentReference"), {_W_ID: str(cid)})
    _place(start, [range_start], first=True)
    _place(end, [range_end, reference], first=False)


def _place(where: tuple, elements: list[etree._Element], *, first: bool) -> None:
    how, el = where
    if how == "before":
        for new in elements:
            el.addprevious(new)
    elif how == "after":
        for new in reversed(elements):
            el.addnext(new)
    elif how == "start":  # after w:pPr and any range marks already placed there
        index = 0
        while index < len(el) and (el[index].tag == _W_PPR or (not first and el[index].tag in _ID_HOLDERS)):
            index += 1
        for offset, new in enumerate(elements):
            el.insert(index + offset, new)
    else:  # "end"
        el.extend(elements)


# -- the comments part ----------------------------------------------------------
def _comment(cid: int, text: str, author: str, initials: str, stamp: str) -> etree._Element:
    comment = etree.Element(qn("w:comment"))
    comment.set(_W_ID, str(cid))
    comment.set(qn("w:author"), _clean(author))
    comment.set(qn("w:date"), stamp)
    comment.set(qn("w:initials"), _clean(initials))
    for n, line in enumerate(_clean(text).splitlines() or [""]):
        p = etree.SubElement(comment, _W_P)
        p.append(etree.Element(_W_PPR))
        p[0].append(_run_properties())
        if n == 0:  # the comment's own mark, as Word writes it
            mark = etree.SubElement(p, qn("w:r"))
            mark.append(_run_properties())
            etree.SubElement(mark, qn("w:annotationRef"))
        if line:
            run = etree.SubElement(p, qn("w:r"))
            run.append(_run_properties())
            t = etree.SubElement(run, qn("w:t"))
            t.text = line
            t.set(_XML_SPACE, "preserve")
    return comment


def _run_properties() -> etree._Element:
    rpr = etree.Element(qn("w:rPr"))
    etree.SubElement(rpr, qn("w:rFonts"), {qn("w:eastAsia"): EAST_ASIA_FONT, qn("w:hint"): "eastAsia"})
    etree.SubElement(rpr, qn("w:lang"), {qn("w:val"): LANG, qn("w:eastAsia"): LANG})
    return rpr


def _comments_part(pkg: Package) -> str | None:
    for rtype, target in pkg.relationships(pkg.main_part):
        if rtype == RT_COMMENTS and pkg.has_part(target):
            return target
    return None


def _free_name(pkg: Package, wanted: str) -> str:
    """`wanted`, or comments2.xml … when a part of that name exists but is not the comments."""
    stem, ext = posixpath.splitext(wanted)
    name, n = wanted, 1
    while pkg.has_part(name):
        n += 1
        name = f"{stem}{n}{ext}"
    return name


def _ids(root: etree._Element, document: etree._Element) -> list[str]:
    return [v for tree in (root, document) for el in tree.iter(*_ID_HOLDERS)
            if (v := el.get(_W_ID) or "").isdigit()]




def _stamp(date: datetime | None) -> str:
    when = datetime.now(timezone.utc) if date is None else date
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # naive: local time


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)
