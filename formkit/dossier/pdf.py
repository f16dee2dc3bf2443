"""The PDF dossier: LibreOffice's PDF of the Word dossier, then the originals.

Every original PDF and every scan (an image; each frame of a multi-page TIFF)
is appended behind a cover sheet of its own, under the bookmark 附录 → 附件N,
so a signed and stamped form is in the archive as it arrived: PDF pages are
copied as they are, images are wrapped into pages without re-encoding
(img2pdf), fitted to A4.

Memory stays bounded whatever the scans weigh: images are converted one at a
time to PDF files on disk, and the final file is written object by object,
each stream read from its source as it is written (pdfjoin).
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from formkit.dossier.content import OriginalEntry
from formkit.errors import FormkitError

A4_PT = (595.2756, 841.8898)
INSTALL = "请安装 pikepdf 与 img2pdf（pip install pikepdf img2pdf）"


class PdfAssemblyError(FormkitError, RuntimeError):
    """The PDF dossier cannot be put together."""


@dataclass
class Attachment:
    """An original as it will be appended: its PDF (the file itself, or the scan
    wrapped into pages), its page count, or why it cannot be appended."""

    entry: OriginalEntry
    pdf: Path | None
    pages: int
    problem: str | None = None


def outline(path: Path) -> list[tuple[int, str, int]]:
    """The bookmarks of a PDF in order: (level from 1, title, page index from 0)."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    out: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return out


def prepare(entries: list[OriginalEntry], workdir: Path) -> list[Attachment]:
    """Check each appendable original and wrap scans into PDF pages, one at a time."""
    try:
        import pikepdf
    except ImportError as e:
        raise PdfAssemblyError(f"无法生成 PDF 版项目档案：{INSTALL}") from e
    out = []
    for entry in entries:
        if not entry.appendable:
            continue
        if entry.kind == "pdf":
            try:
                with pikepdf.open(entry.path, access_mode=pikepdf.AccessMode.stream) as pdf:
                    out.append(Attachment(entry, entry.path, len(pdf.pages)))
            except pikepdf.PasswordError:
                out.append(Attachment(entry, None, 0, "原件 PDF 设有打开密码，无法附入，请见压缩包中的原件"))
            except pikepdf.PdfError:
                out.append(Attachment(entry, None, 0, "原件 PDF 已损坏，无法附入，请见压缩包中的原件"))
        else:
            target = workdir / f"scan-{entry.number:04d}.pdf"
            problem = _image_pdf(entry.path, target)
            if problem:
                out.append(Attachment(entry, None, 0, problem))
            else:
                with pikepdf.open(target, access_mode=pikepdf.AccessMode.stream) as pdf:
                    out.append(Attachment(entry, target, len(pdf.pages)))
    return out


def _image_pdf(source: Path, target: Path) -> str | None:
    """Wrap an image into PDF pages (A4, fitted); None, or why it cannot be."""
    import img2pdf
    from PIL import Image, UnidentifiedImageError

    layout = img2pdf.get_layout_fun(A4_PT, fit=img2pdf.FitMode.into, auto_orient=True)
    try:
        with target.open("wb") as out:
            img2pdf.convert(str(source), layout_fun=layout, outputstream=out)
        return None
    except (img2pdf.AlphaChannelError, img2pdf.UnsupportedColorspaceError, img2pdf.JpegColorspaceError,
            img2pdf.ExifOrientationError):
        pass  # re-encode below: flattened onto white, or converted to RGB
    except (img2pdf.ImageOpenError, img2pdf.NegativeDimensionError, img2pdf.PdfTooLargeError, OSError,
            ValueError) as e:
        target.unlink(missing_ok=True)
        return f"图片无法读取（{type(e).__name__}），无法附入，请见压缩包中的原件"
    try:
        with Image.open(source) as image:
            rgb = image.convert("RGBA")
            flat = Image.new("RGB", rgb.size, "white")
            flat.paste(rgb, mask=rgb.getchannel("A"))
            dpi = max(flat.width / (A4_PT[0] / 72), flat.height / (A4_PT[1] / 72), 1)
            flat.save(target, "PDF", resolution=dpi)
        return None
    except (UnidentifiedImageError, OSError, ValueError) as e:
        target.unlink(missing_ok=True)
        return f"图片无法读取（{type(e).__name__}），无法附入，请见压缩包中的原件"


def assemble(main: Path, covers: Path | None, attachments: list[Attachment], target: Path) -> int:
    """Write ``main`` + (cover sheet + pages) for each attachment to ``target``,
    with ``main``'s bookmarks, then 附录 and one child per attachment. Returns
    the page count. Streams are copied one at a time (see pdfjoin)."""
    import pikepdf

    from formkit.dossier.pdfjoin import Joiner, Mark

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    try:
        with partial.open("wb") as f:
            joiner = Joiner(f)
            with joiner.source(main) as source:
                source.add_pages()
                source.take_document()
            appendix: list[Mark] = []
            with ExitStack() as stack:
                sheets = stack.enter_context(joiner.source(covers)) if covers is not None and attachments else None
                if sheets is not None and len(sheets.pdf.pages) != len(attachments):
                    raise PdfAssemblyError(f"附件封页有 {len(sheets.pdf.pages)} 页，应为 {len(attachments)} 页")
                for i, attachment in enumerate(attachments):
                    start = sheets.add_pages([i]) if sheets is not None else None
                    if attachment.pdf is not None:
                        with joiner.source(attachment.pdf) as source:
                            first = source.add_pages()
                        start = first if start is None else start
                    if start is not None:
                        title = f"附件{attachment.entry.number}　{attachment.entry.filename}"
                        appendix.append(Mark(title, joiner.page_dest(start)))
            if appendix:
                joiner.marks.append(Mark("附录　原件", appendix[0].dest, children=appendix))
            count = joiner.close()
        partial.replace(target)
        return count
    except pikepdf.PdfError as e:
        raise PdfAssemblyError(f"PDF 版项目档案无法合成：{e}") from e
    finally:
        partial.unlink(missing_ok=True)
