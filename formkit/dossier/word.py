"""The Word dossier: cover, table of contents, summary, timeline, forms, history,
review items and the index of originals, as one .docx.

Page numbers of the table of contents are not computed here: ``pages`` gives
them (from a LibreOffice layout, see build.py). With ``toc_field`` the
contents are a real Word TOC field whose shown result already holds those
numbers, so Word shows them on opening and can still update the table;
without it (the copy LibreOffice lays out) each entry is a PAGEREF field,
which LibreOffice computes itself. Both read the same, so both paginate alike.

Each form is the form itself (render_form with the record's values) made
read-only (formkit.ooxml.readonly): it looks exactly like the form people
filled in, its title a level-2 heading.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.shared import Cm, Pt
from lxml import etree

from formkit.dossier import text as T
from formkit.dossier.content import DossierContent, FormEntry, OriginalEntry
from formkit.errors import FormkitError
from formkit.fields import format_date
from formkit.forms import get_form
from formkit.ooxml.readonly import read_only_body
from formkit.render import xml as X
from formkit.render.render import render_form

W = X.W_NS
TEXT_TWIPS = round(X.PAGE_WIDTH_CM * X.CM)
LABEL_SHADE = "F2F2F2"
HEADER_SHADE = "D9D9D9"
CN = "一二三四五六七八九十"
MONO = "Courier New"


@dataclass(frozen=True)
class Heading:
    bookmark: str
    level: int
    text: str


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# -- small XML pieces ------------------------------------------------------------

def _lines(text: str, **fmt: Any) -> str:
    """Runs of ``text`` with its line breaks kept."""
    out = []
    for i, line in enumerate(str(text).split("\n")):
        if i:
            out.append("<w:r><w:br/></w:r>")
        out.append(X.run(line, **fmt))
    return "".join(out)


def _p(text: str, *, size: float | None = None, bold: bool = False, font: str = X.BODY_FONT,
       color: str | None = None, **para: Any) -> str:
    return X.para(_lines(text, size=size, bold=bold, font=font, color=color), font=font, size=size, **para)


def _cell(text: str, width: float, *, size: float = 9, bold: bool = False, shade: str | None = None,
          align: str | None = None, span: int = 1, extra: str = "") -> str:
    body = X.para(_lines(text, size=size, bold=bold) + extra, align=align, size=size)
    return X.cell(body, width, span=span, shade=shade)


def _table(header: list[str], rows: list[list[str]], widths: list[float], *, size: float = 9,
           align: dict[int, str] | None = None) -> str:
    align = align or {}
    head = "".join(_cell(h, w, size=size, bold=True, shade=HEADER_SHADE, align="center")
                   for h, w in zip(header, widths))
    body = [X.row(head, header=True, min_height_cm=0.7)]
    for cells in rows:
        body.append(X.row("".join(_cell(c, w, size=size, align=align.get(i))
                                  for i, (c, w) in enumerate(zip(cells, widths))), min_height_cm=0.6))
    return X.table("".join(body), widths)


def _pairs(rows: list[tuple[str, str]], widths: tuple[float, float] = (3.6, 13.4)) -> str:
    body = "".join(X.row(_cell(label, widths[0], size=10.5, shade=LABEL_SHADE, align="center")
                         + _cell(value, widths[1], size=10.5), min_height_cm=0.75)
                   for label, value in rows)
    return X.table(body, list(widths))


def _sub(text: str) -> str:
    return _p(text, font=X.HEADING_FONT, bold=True, size=12, before=240, after=120, keep_next=True)


def _note(text: str) -> str:
    return _p(text, size=9, color="595959", before=60, after=60)


def _two_lines(moment: str) -> str:
    """2026-08-28 10:02 on two lines: date above time, for narrow columns."""
    return moment.replace(" ", "\n", 1)


def _heading(h: Heading, number: int, *, new_page: bool = False) -> str:
    style = f"Heading{h.level}"
    brk = "<w:pageBreakBefore/>" if new_page else ""
    return (f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{brk}</w:pPr>'
            f'<w:bookmarkStart w:id="{number}" w:name="{h.bookmark}"/>'
            f"{X.run(h.text, font=X.HEADING_FONT, bold=True, size=16 if h.level == 1 else 14)}"
            f'<w:bookmarkEnd w:id="{number}"/></w:p>')


def _field(instr: str, shown: str, **fmt: Any) -> str:
    """A complex field showing ``shown`` until it is updated."""
    return (f'<w:r>{X.rpr(**fmt)}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{X.rpr(**fmt)}<w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
            f'<w:r>{X.rpr(**fmt)}<w:fldChar w:fldCharType="separate"/></w:r>'
            f"{X.run(shown, **fmt)}"
            f'<w:r>{X.rpr(**fmt)}<w:fldChar w:fldCharType="end"/></w:r>')


# -- the builder -------------------------------------------------------------------

class _Builder:
    def __init__(self, content: DossierContent) -> None:
        self.c = content
        self.headings: list[Heading] = []
        self.blocks: list[str | etree._Element] = []
        self.section_no = 0

    def heading(self, text: str, level: int = 1) -> Heading:
        h = Heading(f"_Toc{len(self.headings) + 1:08d}", level, text)
        self.headings.append(h)
        return h

    def h1(self, text: str) -> None:
        self.section_no += 1
        h = self.heading(f"{CN[self.section_no - 1]}、{text}")
        self.blocks.append(_heading(h, len(self.headings)))

    # -- sections --------------------------------------------------------------
    def summary(self) -> None:
        c = self.c
        self.h1("项目概况")
        self.blocks.append(_sub("（一）基本信息"))
        self.blocks.append(_pairs(c.basics))
        self.blocks.append(_sub("（二）金额汇总"))
        if c.amounts:
            self.blocks.append(_table(["表单", "项目", "金额（元）", "大写"],
                                      [list(a) for a in c.amounts], [4.0, 3.6, 3.4, 6.0], align={2: "right"}))
        else:
            self.blocks.append(_p("已接受的表单中没有金额。"))
        self.blocks.append(_sub("（三）项目大事记"))
        if c.chronicle:
            self.blocks.append(_table(["日期", "事项", "出处"],
                                      [[format_date(d), e, w] for d, e, w in c.chronicle], [3.4, 5.0, 8.6]))
        else:
            self.blocks.append(_p("已接受的表单中没有日期。"))
        self.blocks.append(_sub("（四）项目相关人员"))
        if c.people:
            self.blocks.append(_table(["姓名", "在本项目中的角色（表单·栏目）"],
                                      [[n, r] for n, r in c.people], [2.6, 14.4]))
        else:
            self.blocks.append(_p("已接受的表单中没有人员信息。"))

    def timeline(self, picture: etree._Element | None) -> None:
        c = self.c
        self.h1("阶段进度")
        if picture is not None:
            self.blocks.append(picture)
        self.blocks.append(_note(f"图中每一阶段的起止日期取自该阶段已接受表单的填表日期；截至 {format_date(T.local_date(c.generated))}。"))
        rows = []
        for i, s in enumerate(c.stages, 1):
            rows.append([str(i), s.name, s.state_label, format_date(s.start) if s.start else "—",
                         format_date(s.end) if s.end else "—", f"{s.accepted}/{s.total}",
                         "\n".join(s.blockers) or "—"])
        self.blocks.append(_table(["序号", "阶段", "状态", "开始日期", "完成日期", "已接受表单", "待办"],
                                  rows, [1.0, 2.2, 1.6, 3.0, 3.0, 2.0, 4.2], align={0: "center", 5: "center"}))

    def forms(self) -> None:
        c = self.c
        self.h1("项目表单")
        if not c.forms:
            self.blocks.append(_p("尚无已接受的表单。"))
            return
        self.blocks.append(_p(f"以下按流程顺序收录已接受的表单 {len(c.forms)} 份。每份表单按其原格式排版，"
                              "内容为项目记录的当前值（只读）；表单编号下方注明所依据的提交。", after=120,
                              line=360))
        rows = [[str(i), f.stage, f.title, f.form_no, "、".join(f"#{n}" for n in f.submissions)]
                for i, f in enumerate(c.forms, 1)]
        self.blocks.append(_table(["序号", "阶段", "表单名称", "表单编号", "依据提交"], rows,
                                  [1.2, 3.0, 6.4, 2.6, 3.8], align={0: "center", 3: "center"}))
        for entry in c.forms:
            self.form(entry)

    def form(self, entry: FormEntry) -> None:
        h = self.heading(entry.title, 2)
        number = len(self.headings)
        try:
            rendered = render_form(get_form(entry.form), entry.values, project_code=self.c.code,
                                   document_id=entry.document_id or "—")
            body = read_only_body(rendered.content)
        except FormkitError as e:
            self.blocks.append(_heading(h, number, new_page=True))
            self.blocks.append(_note(f"该表单无法按模板排版（{e}），以下按栏目列出记录中的值。"))
            self.blocks.append(_pairs([(k, T.shown(v)) for k, v in entry.values.items()]))
            return
        title = body[0] if body and body[0].tag == _q("p") else None
        if title is None:
            self.blocks.append(_heading(h, number, new_page=True))
        else:
            _make_heading(title, h, number)
        provenance = _note(entry.source)
        for i, element in enumerate(body):
            self.blocks.append(element)
            if i == 1 or (i == 0 and len(body) == 1):
                self.blocks.append(provenance)

    def history(self) -> None:
        c = self.c
        self.h1("变更记录")
        self.blocks.append(_note("项目记录每一栏目的每次改动都有记录：原值、新值、时间、依据的提交及其来源。"
                                 "时间均为北京时间。"))
        self.blocks.append(_sub("（一）栏目变更"))
        if c.changes:
            rows = []
            for i, ch in enumerate(c.changes, 1):
                source = f"提交 #{ch.submission}" if ch.submission else "手工录入"
                if ch.form_title:
                    source += f"《{ch.form_title}》"
                if ch.file:
                    source += f"\n{ch.file}"
                if ch.sender:
                    source += f"\n{ch.sender}"
                rows.append([str(i), _two_lines(ch.at), ch.label, ch.old, ch.new, source])
            self.blocks.append(_table(["序号", "时间", "栏目", "原值", "新值", "依据"], rows,
                                      [1.0, 2.2, 3.2, 3.4, 3.4, 3.8], size=8.5, align={0: "center"}))
        else:
            self.blocks.append(_p("没有栏目在首次填写后被改动过。"))
        self.blocks.append(_sub("（二）首次填写"))
        if c.fills:
            rows = [[f"#{f.submission}" if f.submission else "—", f.title, f.file, f.sender, _two_lines(f.at),
                     str(f.count)]
                    for f in c.fills]
            self.blocks.append(_table(["提交", "表单", "文件", "来源", "时间", "填入栏目数"], rows,
                                      [1.3, 3.8, 5.0, 2.6, 2.3, 2.0], size=8.5, align={0: "center", 5: "center"}))
        else:
            self.blocks.append(_p("无。"))

    def reviews(self) -> None:
        c = self.c
        self.h1("待审核事项与冲突")
        if not c.reviews:
            self.blocks.append(_p("截至档案生成时，没有待审核的提交。"))
        for r in c.reviews:
            self.blocks.append(_sub(f"提交 #{r.submission}　{r.title}"))
            self.blocks.append(_pairs([("文件", r.file), ("收到时间", r.received), ("来源", r.sender)]))
            if r.problems:
                self.blocks.append(_p("需处理的问题：", bold=True, before=120, after=60, keep_next=True))
                self.blocks.append(_table(["栏目", "问题"], [[label, msg] for label, msg in r.problems],
                                          [4.0, 13.0]))
            if r.conflicts:
                self.blocks.append(_p("与项目记录冲突的栏目：", bold=True, before=120, after=60, keep_next=True))
                self.blocks.append(_table(["栏目", "项目记录中的值", "本次提交的值"],
                                          [list(x) for x in r.conflicts], [4.0, 6.5, 6.5]))
        if c.rejected:
            self.blocks.append(_sub("已退回的提交"))
            rows = [[f"#{r.submission}", r.title, r.file, r.decided, r.note] for r in c.rejected]
            self.blocks.append(_table(["提交", "表单", "文件", "退回时间", "退回原因"], rows,
                                      [1.4, 3.6, 4.6, 3.0, 4.4]))

    def originals(self) -> None:
        c = self.c
        self.h1("原件清单")
        self.blocks.append(_note("以下是本项目收到的全部原始文件（按收到时间排列），以 SHA-256 校验值标识。"
                                 "PDF 版项目档案在正文之后按序号附入 PDF 文件与扫描件的原件；"
                                 "项目档案压缩包的“原件”文件夹收录全部原件。"))
        if not c.originals:
            self.blocks.append(_p("尚未收到任何文件。"))
            return
        widths = [1.0, 5.3, 2.2, 1.8, 2.4, 2.3, 2.0]
        head = "".join(_cell(h, w, bold=True, shade=HEADER_SHADE, align="center")
                       for h, w in zip(["序号", "文件名 / SHA-256", "类型", "大小", "收到时间", "来源", "提交"],
                                       widths))
        rows = [X.row(head, header=True, min_height_cm=0.7)]
        for o in c.originals:
            check = "" if o.intact else "（校验不符或缺失！）"
            sha = (f'<w:r><w:br/></w:r><w:r><w:rPr><w:rFonts w:ascii="{MONO}" w:hAnsi="{MONO}" w:cs="{MONO}"/>'
                   f'<w:color w:val="404040"/><w:sz w:val="13"/><w:szCs w:val="13"/></w:rPr>'
                   f'<w:t xml:space="preserve">{o.sha256[:32]}</w:t><w:br/><w:t xml:space="preserve">{o.sha256[32:]}</w:t></w:r>') + (X.run(check, size=8, color="C00000")
                                                                            if check else "")
            submission = f"#{o.submission}\n{o.status_label}" if o.submission else o.status_label
            rows.append(X.row(
                _cell(str(o.number), widths[0], align="center")
                + _cell(o.filename, widths[1], extra=sha)
                + _cell(o.kind_label, widths[2]) + _cell(T.size_text(o.size), widths[3], align="right")
                + _cell(_two_lines(o.received), widths[4], align="center") + _cell(o.source, widths[5])
                + _cell(submission, widths[6], align="center"), min_height_cm=0.6))
        self.blocks.append(X.table("".join(rows), widths))

    # -- cover and contents ----------------------------------------------------------
    def cover(self) -> str:
        c = self.c
        top = X.table(X.row(
            _bare_cell(X.run(f"密级：{c.classification}", font=X.HEADING_FONT, size=12), 8.5)
            + _bare_cell(X.run(f"档案编号：{c.code}", size=12), 8.5, align="right"), cant_split=True,
            min_height_cm=None), [8.5, 8.5])
        top = _borderless(top)
        parts = [top,
                 _p(c.name, font=X.HEADING_FONT, bold=True, size=22, align="center", before=3000, after=360),
                 _p("项　目　档　案", font=X.HEADING_FONT, bold=True, size=30, align="center", after=240)]
        if c.stage_filter:
            parts.append(_p(f"（{c.stage_filter}阶段）", font=X.HEADING_FONT, size=16, align="center", after=240))
        info = [("项目代号", c.code), ("项目名称", c.name), ("客户名称", c.customer or "—"),
                ("项目所在地区", c.region or "—"), ("当前阶段", c.current_stage),
                ("生成日期", format_date(T.local_date(c.generated)))]
        rows = "".join(X.row(_bare_cell(X.run(f"{label}：", font=X.HEADING_FONT, size=14), 4.0, align="right")
                             + _bare_cell(X.run(value, size=14), 9.0, underline=True), min_height_cm=1.0)
                       for label, value in info)
        parts.append(_p("", before=1800))
        parts.append(_borderless(X.table(rows, [4.0, 9.0])))
        parts.append(_p("本档案由 formkit 依据项目记录生成，时间均为北京时间。", size=9, color="7F7F7F",
                        align="center", before=2400))
        return "".join(parts)

    def contents(self, pages: dict[str, int] | None, field: bool) -> str:
        title = _p("目　　录", font=X.HEADING_FONT, bold=True, size=16, align="center", after=360)
        title = title.replace("<w:pPr>", "<w:pPr><w:pageBreakBefore/>", 1)
        out = [title]
        last = len(self.headings) - 1
        for i, h in enumerate(self.headings):
            size = 12 if h.level == 1 else 10.5
            font = X.HEADING_FONT if h.level == 1 else X.BODY_FONT
            shown = str(pages[h.bookmark]) if pages and h.bookmark in pages else ""
            runs = ""
            if field and i == 0:
                flag = ' w:dirty="true"' if pages is None else ""
                runs += (f'<w:r><w:fldChar w:fldCharType="begin"{flag}/></w:r>'
                         '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
                         '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
            pageref = _field(f"PAGEREF {h.bookmark} \\h", shown, font=font, size=size)
            runs += (f'<w:hyperlink w:anchor="{h.bookmark}" w:history="1">'
                     f"{X.run(h.text, font=font, size=size)}<w:r>{X.rpr(font=font, size=size)}<w:tab/></w:r>"
                     f"{pageref}</w:hyperlink>")
            if field and i == last:
                runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            out.append(f'<w:p><w:pPr><w:pStyle w:val="TOC{h.level}"/>'
                       f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_TWIPS}"/></w:tabs></w:pPr>'
                       f"{runs}</w:p>")
        return "".join(out)


_BORDERS = re.compile(r"<w:tblBorders>.*?</w:tblBorders>", re.S)
_NO_BORDERS = "<w:tblBorders>" + "".join(
    f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>"


def _borderless(table: str) -> str:
    return _BORDERS.sub(_NO_BORDERS, table, count=1)


def _bare_cell(runs: str, width: float, *, align: str | None = None, underline: bool = False) -> str:
    border = ('<w:tcBorders><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:tcBorders>'
              if underline else "")
    tcpr = f'<w:tcW w:w="{round(width * X.CM)}" w:type="dxa"/>{border}<w:vAlign w:val="bottom"/>'
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{X.para(runs, align=align)}</w:tc>"


def _make_heading(p: etree._Element, h: Heading, number: int) -> None:
    """A rendered form's title paragraph becomes a level-2 heading on a new page."""
    ppr = p.find(_q("pPr"))
    if ppr is None:
        ppr = etree.Element(_q("pPr"))
        p.insert(0, ppr)
    ppr.insert(0, etree.Element(_q("pageBreakBefore")))
    style = etree.Element(_q("pStyle"))
    style.set(_q("val"), f"Heading{h.level}")
    ppr.insert(0, style)
    start = etree.Element(_q("bookmarkStart"))
    start.set(_q("id"), str(number))
    start.set(_q("name"), h.bookmark)
    end = etree.Element(_q("bookmarkEnd"))
    end.set(_q("id"), str(number))
    ppr.addnext(start)
    p.append(end)


# -- the document ------------------------------------------------------------------

_STYLES = f"""
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>
<w:pPr><w:keepNext/><w:keepLines/><w:pageBreakBefore/><w:spacing w:before="0" w:after="240"/><w:outlineLvl w:val="0"/></w:pPr>
<w:rPr><w:rFonts w:ascii="{X.LATIN_FONT}" w:hAnsi="{X.LATIN_FONT}" w:eastAsia="{X.HEADING_FONT}" w:cs="{X.LATIN_FONT}"/>
<w:b/><w:bCs/><w:color w:val="000000"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr>
<w:rPr><w:rFonts w:ascii="{X.LATIN_FONT}" w:hAnsi="{X.LATIN_FONT}" w:eastAsia="{X.HEADING_FONT}" w:cs="{X.LATIN_FONT}"/>
<w:b/><w:bCs/><w:color w:val="000000"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/>
<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>
<w:pPr><w:spacing w:before="100" w:after="20" w:line="360" w:lineRule="exact"/></w:pPr>
<w:rPr><w:rFonts w:eastAsia="{X.HEADING_FONT}"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/>
<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>
<w:pPr><w:spacing w:before="0" w:after="0" w:line="300" w:lineRule="exact"/><w:ind w:left="420"/></w:pPr></w:style>
</w:styles>"""


def _setup(doc: Any, content: DossierContent, *, footer_text: str | None = None) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance, section.footer_distance = Cm(1.0), Cm(0.9)
    section.different_first_page_header_footer = True
    styles = doc.styles.element
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("ascii", "hAnsi", "cs"):
        fonts.set(_q(attr), X.LATIN_FONT)
    fonts.set(_q("eastAsia"), X.BODY_FONT)
    rpr.append(parse_xml(f'<w:lang xmlns:w="{W}" w:val="en-US" w:eastAsia="zh-CN"/>'))
    for node in styles.iter(_q("lang")):
        node.set(_q("eastAsia"), "zh-CN")
    for new in parse_xml(_STYLES):
        old = [s for s in styles.findall(_q("style")) if s.get(_q("styleId")) == new.get(_q("styleId"))]
        for s in old:
            styles.remove(s)
        styles.append(new)
    settings = doc.settings.element
    old_lang = settings.find(_q("themeFontLang"))
    if old_lang is not None:
        old_lang.set(_q("eastAsia"), "zh-CN")
    header_text = f"{content.code}　{content.name}　{content.title}"
    header = (f'<w:p xmlns:w="{W}"><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="7F7F7F"/>'
              f'</w:pBdr><w:tabs><w:tab w:val="right" w:pos="{TEXT_TWIPS}"/></w:tabs>{X.rpr(size=8)}</w:pPr>'
              f'{X.run(header_text, size=8, color="595959")}<w:r>{X.rpr(size=8)}<w:tab/></w:r>'
              f'{X.run(f"密级：{content.classification}", size=8, color="595959")}</w:p>')
    numbers = (f'{X.run("第 ", size=9)}<w:fldSimple w:instr=" PAGE ">{X.run("1", size=9)}</w:fldSimple>'
               f'{X.run(" 页 / 共 ", size=9)}<w:fldSimple w:instr=" NUMPAGES ">{X.run("1", size=9)}</w:fldSimple>'
               f'{X.run(" 页", size=9)}')
    footer = (f'<w:p xmlns:w="{W}"><w:pPr><w:jc w:val="center"/>{X.rpr(size=9)}</w:pPr>'
              f'{X.run(footer_text, size=9) if footer_text else numbers}</w:p>')
    for part, xml in ((section.header, header), (section.footer, footer)):
        p = part.paragraphs[0]._p
        p.addprevious(parse_xml(xml))
        p.getparent().remove(p)
    for part in (section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False
    props = doc.core_properties
    props.title = f"{content.name} {content.title}"
    props.subject = content.code
    props.author = "formkit"
    props.language = "zh-CN"
    props.comments = ""
    props.created = props.modified = content.generated.replace(tzinfo=None, microsecond=0)


def _picture(doc: Any, png: bytes) -> etree._Element:
    doc.add_picture(io.BytesIO(png), width=Cm(16.5))
    p = doc.paragraphs[-1]._p
    p.getparent().remove(p)
    ppr = p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:jc xmlns:w="{W}" w:val="center"/>'))
    return p


class WordDossier:
    """The built dossier: its headings, and its bytes with a given table of contents.

    The body is built once; ``save`` only writes the contents in front of it,
    so the copy LibreOffice paginates and the final Word file share one body.
    """

    def __init__(self, content: DossierContent, *, chart: bytes | None = None) -> None:
        self.doc = Document()
        _setup(self.doc, content)
        picture = _picture(self.doc, chart) if chart else None
        self._builder = b = _Builder(content)
        b.summary()
        b.timeline(picture)
        b.forms()
        b.history()
        b.reviews()
        b.originals()
        body = self.doc.element.body
        self._sect = body.sectPr
        for child in list(body):
            if child is not self._sect:
                body.remove(child)
        self._insert([b.cover()])
        self._toc_anchor = self._sect.getprevious()
        self._insert(b.blocks)
        self._toc: list[etree._Element] = []

    @property
    def headings(self) -> list[Heading]:
        return self._builder.headings

    def _insert(self, blocks: list[str | etree._Element], before: etree._Element | None = None) -> list[etree._Element]:
        anchor = before if before is not None else self._sect
        added: list[etree._Element] = []
        pending: list[str] = []

        def flush() -> None:
            if pending:
                wrapped = f'<w:body xmlns:w="{W}" xmlns:w14="{X.W14_NS}">{"".join(pending)}</w:body>'
                for child in list(parse_xml(wrapped)):
                    anchor.addprevious(child)
                    added.append(child)
                pending.clear()

        for block in blocks:
            if isinstance(block, str):
                pending.append(block)
            else:
                flush()
                anchor.addprevious(block)
                added.append(block)
        flush()
        return added

    def save(self, *, pages: dict[str, int] | None = None, toc_field: bool = True) -> bytes:
        """The .docx with its contents: page numbers from ``pages`` (bookmark -> page);
        without them a TOC field Word is asked to update."""
        for element in self._toc:
            element.getparent().remove(element)
        first_body = self._toc_anchor.getnext()
        self._toc = self._insert([self._builder.contents(pages, toc_field)], before=first_body)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def build_cover_sheets(content: DossierContent, items: list[tuple[OriginalEntry, int, str | None]]) -> bytes:
    """One page per appended original, telling what follows: number, file, checksum,
    when and from whom it came, and how many pages of it follow (or why none)."""
    doc = Document()
    _setup(doc, content, footer_text="附录　原件")
    doc.sections[0].different_first_page_header_footer = False
    parts = []
    for i, (entry, pages, problem) in enumerate(items):
        title = _p(f"附件 {entry.number}", font=X.HEADING_FONT, bold=True, size=22, align="center",
                   before=2400, after=240)
        if i:
            title = title.replace("<w:pPr>", "<w:pPr><w:pageBreakBefore/>", 1)
        parts.append(title)
        parts.append(_p(entry.filename, font=X.HEADING_FONT, size=14, align="center", after=600))
        form = entry.form_title if entry.form_title.startswith("（") else f"《{entry.form_title}》"
        submission = f"#{entry.submission}{form}，{entry.status_label}" if entry.submission else entry.status_label
        follows = problem or f"其后 {pages} 页为该原件，原样收录。"
        parts.append(_pairs([("原件序号", str(entry.number)), ("文件名", entry.filename),
                             ("类型", entry.kind_label), ("大小", f"{T.size_text(entry.size)}（{entry.size:,} 字节）"),
                             ("SHA-256", f"{entry.sha256[:32]}\n{entry.sha256[32:]}"), ("收到时间", entry.received),
                             ("来源", entry.source),
                             ("关联提交", submission), ("说明", follows)]))
    body = doc.element.body
    sect = body.sectPr
    for child in list(body):
        if child is not sect:
            body.remove(child)
    for child in parse_xml(f'<w:body xmlns:w="{W}">{"".join(parts)}</w:body>'):
        sect.addprevious(child)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
