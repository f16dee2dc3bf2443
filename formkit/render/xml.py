"""WordprocessingML snippets as strings, for the template builder.

The builder writes the template body as XML text with Jinja between and
inside elements (docxtpl renders it), so these helpers return strings. Every
run sets its East-Asian font and language so Chinese text takes the CJK font
whatever the reader's defaults are.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

CM = 567  # twips per centimetre
PAGE_WIDTH_CM = 17.0  # A4 (21 cm) less 2 cm margins each side

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
TICK_FONT = "MS Gothic"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"


def rpr(*, font: str = BODY_FONT, bold: bool = False, size: float | None = None,
        color: str | None = None, style: str | None = None) -> str:
    """Run properties: always the East-Asian font and zh-CN language."""
    parts = []
    if style:
        parts.append(f'<w:rStyle w:val="{style}"/>')
    latin = TICK_FONT if font == TICK_FONT else LATIN_FONT
    parts.append(f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{font}" w:cs="{latin}" w:hint="eastAsia"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size:
        half = int(size * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    parts.append('<w:lang w:val="en-US" w:eastAsia="zh-CN"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def run(text: str, **fmt: object) -> str:
    """A run of fixed text (escaped)."""
    return f'<w:r>{rpr(**fmt)}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'  # type: ignore[arg-type]


def para(content: str, *, align: str | None = None, before: int = 0, after: int = 0,
         keep_next: bool = False, line: int | None = None, indent_first: int | None = None,
         font: str = BODY_FONT, size: float | None = None, bold: bool = False, exact: bool = False) -> str:
    """A paragraph. Spacing in twips; ``line`` in 240ths of a line (or in twips, ``exact``)."""
    ppr = []
    if keep_next:
        ppr.append("<w:keepNext/>")
    spacing = f'<w:spacing w:before="{before}" w:after="{after}"'
    rule = "exact" if exact else "auto"
    spacing += f' w:line="{line}" w:lineRule="{rule}"/>' if line else "/>"
    ppr.append(spacing)
    if indent_first:
        ppr.append(f'<w:ind w:firstLineChars="{indent_first}"/>')
    if align:
        ppr.append(f'<w:jc w:val="{align}"/>')
    ppr.append(rpr(font=font, size=size, bold=bold))
    return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{content}</w:p>"


def cell(content: str, width_cm: float, *, span: int = 1, shade: str | None = None,
         valign: str = "center") -> str:
    """A table cell; ``content`` is one or more paragraphs."""
    tcpr = [f'<w:tcW w:w="{round(width_cm * CM)}" w:type="dxa"/>']
    if span > 1:
        tcpr.append(f'<w:gridSpan w:val="{span}"/>')
    if shade:
        tcpr.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>')
    tcpr.append(f'<w:vAlign w:val="{valign}"/>')
    return f"<w:tc><w:tcPr>{''.join(tcpr)}</w:tcPr>{content}</w:tc>"


def row(cells: str, *, header: bool = False, cant_split: bool = True, min_height_cm: float | None = 0.8) -> str:
    trpr = []
    if cant_split:
        trpr.append("<w:cantSplit/>")
    if min_height_cm:
        trpr.append(f'<w:trHeight w:val="{round(min_height_cm * CM)}" w:hRule="atLeast"/>')
    if header:
        trpr.append("<w:tblHeader/>")
    return f"<w:tr><w:trPr>{''.join(trpr)}</w:trPr>{cells}</w:tr>"


def table(rows: str, widths_cm: list[float]) -> str:
    """A bordered, fixed-layout table filling the text width."""
    grid = "".join(f'<w:gridCol w:w="{round(w * CM)}"/>' for w in widths_cm)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    total = round(sum(widths_cm) * CM)
    tblpr = (f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
             f"<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
             '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>')
    return f"<w:tbl><w:tblPr>{tblpr}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"


def attr(value: str) -> str:
    """An escaped, quoted XML attribute value."""
    return quoteattr(value)


def scale(widths: list[float], total: float = PAGE_WIDTH_CM) -> list[float]:
    factor = total / sum(widths)
    return [w * factor for w in widths]
