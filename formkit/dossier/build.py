"""Building a dossier: content -> Word (-> PDF with the originals) (-> zip).

The table of contents gets its page numbers from LibreOffice: the Word
dossier is laid out once (headless, the copy whose contents are PAGEREF
fields, which LibreOffice computes), the PDF's bookmarks give each heading's
page, and the Word file is saved with a TOC field already showing those
numbers. That one layout is also the PDF dossier, so the PDF's contents and
the Word file's agree. Without LibreOffice the Word file is still written,
with a TOC Word offers to update, and a warning says so.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from formkit import office
from formkit.dossier import text as T
from formkit.dossier.archive import write_zip
from formkit.dossier.chart import ChartError, timeline_png
from formkit.dossier.content import DossierContent, load_content
from formkit.dossier.pdf import Attachment, assemble, outline, prepare
from formkit.dossier.word import WordDossier, build_cover_sheets
from formkit.errors import FormkitError, OfficeError
from formkit.fields import format_date
from formkit.process import Process
from formkit.store import Store


class DossierError(FormkitError, RuntimeError):
    """A dossier that cannot be built as asked."""


@dataclass
class DossierResult:
    code: str
    docx: Path
    pdf: Path | None = None
    zip: Path | None = None
    contents: list[tuple[int, str, int | None]] = field(default_factory=list)  # level, title, page
    pages: int | None = None  # pages of the dossier itself (before the appended originals)
    pdf_pages: int | None = None
    forms: int = 0
    originals: int = 0
    appended: list[str] = field(default_factory=list)
    version: int = 0  # the project record's version it shows
    history: int = 0  # the record's changes up to that version
    warnings: list[str] = field(default_factory=list)


def default_name(code: str, stage: str | None = None) -> str:
    return f"项目档案-{code}-{stage}.docx" if stage else f"项目档案-{code}.docx"


def build_dossier(store: Store, code: str, process: Process, output: Path, *, pdf: bool = False,
                  zip: bool = False, stage: str | None = None, generated: datetime | None = None) -> DossierResult:
    """Write the Word dossier to ``output`` (and ``output``.pdf / .zip beside it)."""
    if output.suffix.lower() != ".docx":
        raise DossierError(f"项目档案的 Word 文件名应以 .docx 结尾：{output}")
    content = load_content(store, code, process, stage=stage, generated=generated)
    return write_dossier(content, output, pdf=pdf, zip=zip)


def write_dossier(content: DossierContent, output: Path, *, pdf: bool = False, zip: bool = False) -> DossierResult:
    """Write a dossier from its content (no store: it runs in a worker process
    for ``formkit dossier --all``; the originals are read from their files)."""
    if output.suffix.lower() != ".docx":
        raise DossierError(f"项目档案的 Word 文件名应以 .docx 结尾：{output}")
    result = DossierResult(content.code, output, forms=len(content.forms), originals=len(content.originals),
                           version=content.version, history=content.history_entries)
    chart = _chart(content, result.warnings)
    word = WordDossier(content, chart=chart)
    with tempfile.TemporaryDirectory(prefix="formkit-dossier-") as tmp:
        work = Path(tmp)
        attachments = prepare(content.originals, work) if pdf else []
        main = work / "dossier.docx"
        main.write_bytes(word.save(toc_field=False))
        sources = [main]
        covers = None
        if attachments:
            covers = work / "covers.docx"
            covers.write_bytes(build_cover_sheets(content, [(a.entry, a.pages, a.problem) for a in attachments]))
            sources.append(covers)
        try:
            converted = office.convert(sources, "pdf", work / "pdf")
        except OfficeError as e:
            if pdf:
                raise
            result.warnings.append(f"未能用 LibreOffice 排版（{e}）：目录页码需在 Word 中打开后更新（右键目录 → 更新域）")
            _write(output, word.save(pages=None, toc_field=True))
            result.contents = [(h.level, h.text, None) for h in word.headings]
            if zip:
                result.zip = _zip(content, output, [output])
            return result
        pages = _pages(word, converted[0], result)
        _write(output, word.save(pages=pages, toc_field=True))
        files = [output]
        if pdf:
            result.pdf = output.with_suffix(".pdf")
            result.pdf_pages = assemble(converted[0], converted[1] if covers else None, attachments, result.pdf)
            result.appended = [a.entry.filename for a in attachments if a.pdf is not None]
            result.warnings += [f"附件{a.entry.number} {a.entry.filename}：{a.problem}"
                                for a in attachments if a.problem]
            files.append(result.pdf)
        if zip:
            result.zip = _zip(content, output, files)
    return result


def _chart(content: DossierContent, warnings: list[str]) -> bytes | None:
    title = f"项目阶段进度（截至 {format_date(T.local_date(content.generated))}）"
    try:
        return timeline_png(content.stages, title=title)
    except ChartError as e:
        warnings.append(str(e))
        return None


def _pages(word: WordDossier, laid_out: Path, result: DossierResult) -> dict[str, int]:
    """Each heading's page, from the bookmarks LibreOffice wrote for the headings."""
    from pypdf import PdfReader

    marks = outline(laid_out)
    result.pages = len(PdfReader(laid_out).pages)
    headings = word.headings
    titles = [t.replace(" ", "").replace("\u3000", "") for _, t, _ in marks]
    wanted = [h.text.replace(" ", "").replace("\u3000", "") for h in headings]
    if titles != wanted:
        raise DossierError("LibreOffice 排出的书签与项目档案的标题不一致，无法确定目录页码："
                           f"应为 {len(wanted)} 个，得到 {len(titles)} 个")
    pages = {h.bookmark: page + 1 for h, (_, _, page) in zip(headings, marks)}
    result.contents = [(h.level, h.text, pages[h.bookmark]) for h in headings]
    return pages


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


def _zip(content: DossierContent, output: Path, files: list[Path]) -> Path:
    target = output.with_suffix(".zip")
    write_zip(target, content, files)
    return target


__all__ = ["Attachment", "DossierError", "DossierResult", "build_dossier", "default_name", "write_dossier"]
