"""Build a form's Word template from its model.

Adding a field to a model adds it to the template: nothing here names a form.
The layout is the one of a Chinese company form: a title, the form number and
version, the project identity block, then numbered sections as bordered
label/value tables (two pairs a row, long texts on a row of their own), list
fields as tables with a header row and one repeated row, nested blocks (a
stage of the tracking sheet) as a table of their own.

The template is WordprocessingML with Jinja in it; ``render`` fills it with
docxtpl. Every fillable value is an inline content control (see controls.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args, get_origin

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.shared import Cm, Pt, RGBColor
from pydantic.fields import FieldInfo

from formkit.forms.base import FormModel, Section, field_meta, list_item, section_type, unwrap_optional
from formkit.render import xml as X
from formkit.render.controls import ControlSpec, control
from formkit.render.qr import QR_PLACEHOLDER, QR_SIZE_CM, qr_png

CN_NUMBERS = "一二三四五六七八九十"
LABEL_SHADE = "F2F2F2"
HEADER_SHADE = "D9D9D9"


def _base_type(annotation: Any) -> Any:
    annotation = unwrap_optional(annotation)
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


_KINDS: dict[int, tuple[FieldInfo, tuple[str, tuple[str, ...]]]] = {}


def control_kind(info: FieldInfo) -> tuple[str, tuple[str, ...]]:
    """The control type of a scalar field and, for dropdowns, its options."""
    cached = _KINDS.get(id(info))
    if cached is not None and cached[0] is info:
        return cached[1]
    kind = _control_kind(info)
    _KINDS[id(info)] = (info, kind)
    return kind


def _control_kind(info: FieldInfo) -> tuple[str, tuple[str, ...]]:
    base = _base_type(info.annotation)
    if base is bool:
        return "checkbox", ()
    if base is date:
        return "date", ()
    if get_origin(base) is Literal:
        return "dropdown", tuple(get_args(base))
    return ("multiline" if field_meta(info).get("multiline") else "text"), ()


def _view(path: str) -> str:
    return f"f[{path!r}]"


@dataclass
class _Builder:
    model: type[FormModel]
    parts: list[str] = field(default_factory=list)
    section_no: int = 0

    # -- pieces --------------------------------------------------------
    def spec(self, info: FieldInfo, tag: str, alias: str, view: str) -> ControlSpec:
        kind, options = control_kind(info)
        return ControlSpec(kind, tag, alias, view, field_meta(info).get("hint", ""), options)

    def label_cell(self, text: str, width: float, *, shade: str = LABEL_SHADE) -> str:
        return X.cell(X.para(X.run(text), align="center"), width, shade=shade)

    def value_cell(self, ctl: str, width: float, span: int = 1) -> str:
        return X.cell(X.para(ctl), width, span=span)

    def heading(self, text: str) -> None:
        self.section_no += 1
        numbered = f"{CN_NUMBERS[self.section_no - 1]}、{text}" if self.section_no <= 10 else text
        self.parts.append(X.para(X.run(numbered, font=X.HEADING_FONT, bold=True, size=12),
                                 before=200, after=80, keep_next=True, font=X.HEADING_FONT))

    # -- blocks --------------------------------------------------------
    def title(self) -> None:
        m = self.model
        self.parts.append(X.para(X.run(m.TITLE, font=X.HEADING_FONT, bold=True, size=18),
                                 align="center", after=60, font=X.HEADING_FONT, size=18))
        line = (f"表单编号：{m.FORM_NO}　版本：{m.VERSION}　文档编号："
                "{{ identity.document_id }}")
        self.parts.append(X.para(X.run(line, size=9, color="595959"), align="right", after=120, size=9))

    def pairs_table(self, names: list[str]) -> None:
        """Label/value rows, two short fields a row, wide fields alone."""
        widths = [3.2, 5.3, 3.2, 5.3]
        fields = self.model.model_fields
        rows: list[str] = []
        pending: list[str] = []

        def flush() -> None:
            if not pending:
                return
            cells = ""
            for name in pending:
                info = fields[name]
                ctl = control(self.spec(info, name, info.title or name, _view(name)))
                cells += self.label_cell(info.title or name, widths[0]) + self.value_cell(ctl, widths[1])
            if len(pending) == 1:
                cells += self.label_cell("", widths[2], shade="FFFFFF") + self.value_cell("", widths[3])
            signing = any(field_meta(fields[n]).get("sign") for n in pending)
            rows.append(X.row(cells, min_height_cm=1.3 if signing else 0.8))
            pending.clear()

        for name in names:
            info = fields[name]
            if field_meta(info).get("wide"):
                flush()
                ctl = control(self.spec(info, name, info.title or name, _view(name)))
                height = 1.6 if field_meta(info).get("multiline") else 0.8
                rows.append(X.row(self.label_cell(info.title or name, widths[0])
                                  + self.value_cell(ctl, sum(widths[1:]), span=3),
                                  cant_split=False, min_height_cm=height))
            else:
                pending.append(name)
                if len(pending) == 2:
                    flush()
        flush()
        self.parts.append(X.table("".join(rows), widths))

    def rows_table(self, name: str, info: FieldInfo) -> None:
        row_model = section_type(info.annotation)
        assert row_model is not None
        names = list(row_model.model_fields)
        widths = X.scale([field_meta(row_model.model_fields[n]).get("width", 3.0) for n in names])
        header = "".join(self.label_cell(row_model.model_fields[n].title or n, w, shade=HEADER_SHADE)
                         for n, w in zip(names, widths))
        label = info.title or name
        cells = ""
        for n, w in zip(names, widths):
            sub = row_model.model_fields[n]
            tag = f"{name}[{{{{ loop.index0 }}}}].{n}"
            alias = f"{label}第{{{{ loop.index }}}}行·{sub.title or n}"
            cells += self.value_cell(control(self.spec(sub, tag, alias, f"row[{n!r}]")), w)
        loop_open = X.row(X.cell(X.para(f'<w:r><w:t xml:space="preserve">{{%tr for row in rows[{name!r}] %}}</w:t></w:r>'), 17.0, span=len(names)))
        loop_close = X.row(X.cell(X.para('<w:r><w:t xml:space="preserve">{%tr endfor %}</w:t></w:r>'), 17.0, span=len(names)))
        self.heading(label)
        # No repeated header row (w:tblHeader): with it, LibreOffice 25.2 drops the
        # rows after a page break from its layout and PDF when the table's heading
        # keeps with next and its rows cannot split (seen on 项目总结's 团队成员评价).
        body = X.row(header) + loop_open + X.row(cells) + loop_close
        self.parts.append(X.table(body, widths))

    def block(self, name: str, info: FieldInfo) -> None:
        """A nested section: fixed notes, then one row per sub-field."""
        sub_model = section_type(info.annotation)
        assert sub_model is not None
        meta = field_meta(info)
        label = info.title or name
        self.parts.append(X.para(X.run(meta.get("heading", label), font=X.HEADING_FONT, bold=True, size=12),
                                 before=240, after=80, keep_next=True, font=X.HEADING_FONT))
        widths = [2.9, 14.1]
        rows: list[str] = []
        for heading, text in meta.get("notes", []):
            rows.append(X.row(self.label_cell("成功标准", widths[0])
                              + X.cell(X.para(X.run(f"{heading}：", bold=True)) + X.para(X.run(text)), widths[1]),
                              cant_split=False))
        for sub_name, sub in sub_model.model_fields.items():
            path = f"{name}.{sub_name}"
            sub_label = f"{label}·{sub.title or sub_name}"
            content = self.block_content(sub_model, sub_name, sub, path, sub_label)
            rows.append(X.row(self.label_cell(sub.title or sub_name, widths[0]) + X.cell(content, widths[1]),
                              cant_split=False))
        self.parts.append(X.table("".join(rows), widths))

    def block_content(self, owner: type[Section], name: str, info: FieldInfo, path: str, alias: str) -> str:
        inner = section_type(info.annotation)
        if inner is not None:  # e.g. 判断 by four roles: one line each
            out = ""
            for n, sub in inner.model_fields.items():
                ctl = control(self.spec(sub, f"{path}.{n}", f"{alias}·{sub.title or n}", _view(f"{path}.{n}")))
                out += X.para(X.run(f"{sub.title or n}：", bold=True) + ctl, after=40)
            return out
        checklist = field_meta(owner.model_fields[name]).get("checklist")
        if list_item(info.annotation) is not None and checklist:
            out, index = "", 0
            for group in checklist:
                out += X.para(X.run(f"{group['heading']}：", bold=True), after=20)
                for number, text in enumerate(group["items"], 1):
                    item_path = f"{path}[{index}]"
                    spec = ControlSpec("checkbox", item_path, f"{alias}({index + 1})", _view(item_path))
                    out += X.para(control(spec) + X.run(f" （{number}）{text}"), after=20)
                    index += 1
            return out
        ctl = control(self.spec(info, path, alias, _view(path)))
        return X.para(ctl)

    # -- the whole form ------------------------------------------------
    def body(self) -> str:
        self.title()
        fields = self.model.model_fields
        groups: list[tuple[str, list[str]]] = []
        for name, info in fields.items():
            meta = field_meta(info)
            if section_type(info.annotation) is not None:
                groups.append(("__list__" if list_item(info.annotation) else "__block__", [name]))
                continue
            section = meta.get("section", "")
            if groups and groups[-1][0] == section:
                groups[-1][1].append(name)
            else:
                groups.append((section, [name]))
        for section, names in groups:
            if section == "__list__":
                self.rows_table(names[0], fields[names[0]])
            elif section == "__block__":
                self.block(names[0], fields[names[0]])
            else:
                if section != "identity":
                    self.heading(section)
                self.pairs_table(names)
        # Word needs a paragraph after the last table; keep it 1 pt high so it
        # never spills onto an otherwise blank last page.
        self.parts.append(X.para(X.run("", size=1), after=0, line=20, size=1, exact=True))
        return "".join(self.parts)


def template_body_xml(model: type[FormModel]) -> str:
    """The template's body content (Jinja included), without w:body."""
    return _Builder(model).body()


def build_template(model: type[FormModel]) -> bytes:
    """The .docx template of a form, ready for docxtpl."""
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _footer(doc)
    _qr_header(doc)
    _protect(doc)
    body = doc.element.body
    sect = body.sectPr
    for child in list(body):
        if child is not sect:
            body.remove(child)
    wrapped = (f'<w:body xmlns:w="{X.W_NS}" xmlns:w14="{X.W14_NS}">'
               f"{template_body_xml(model)}</w:body>")
    for child in parse_xml(wrapped):
        sect.addprevious(child)
    doc.core_properties.title = model.TITLE
    doc.core_properties.subject = f"{model.FORM_ID} {model.VERSION}"
    doc.core_properties.author = "formkit"
    doc.core_properties.language = "zh-CN"
    doc.core_properties.comments = ""
    doc.core_properties.revision = 1
    fixed = datetime(2026, 1, 1)
    doc.core_properties.created = fixed
    doc.core_properties.modified = fixed
    doc.core_properties.last_printed = fixed
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(1.8)
    section.header_distance = Cm(0.5)
    section.footer_distance = Cm(0.8)


def _styles(doc: Any) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = X.LATIN_FONT
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set("{%s}eastAsia" % X.W_NS, X.BODY_FONT)
    lang = parse_xml(f'<w:lang xmlns:w="{X.W_NS}" w:val="en-US" w:eastAsia="zh-CN"/>')
    rpr.append(lang)
    defaults = doc.styles.element.find(f"{{{X.W_NS}}}docDefaults")
    if defaults is not None:
        for node in defaults.iter(f"{{{X.W_NS}}}lang"):
            node.set(f"{{{X.W_NS}}}eastAsia", "zh-CN")
    placeholder = doc.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    placeholder.element.set(f"{{{X.W_NS}}}styleId", "PlaceholderText")
    placeholder.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def _protect(doc: Any) -> None:
    """Protect for "filling in forms" (no password): the labels and wording
    cannot be changed by accident, the controls can be filled. To add rows
    to a list, stop protection (审阅 → 限制编辑 → 停止保护)."""
    settings = doc.settings.element
    anchor = settings.find(f"{{{X.W_NS}}}defaultTabStop")
    protection = parse_xml(f'<w:documentProtection xmlns:w="{X.W_NS}" w:edit="forms" w:enforcement="1"/>')
    lang = parse_xml(f'<w:themeFontLang xmlns:w="{X.W_NS}" w:val="en-US" w:eastAsia="zh-CN"/>')
    anchor.addprevious(protection)
    old = settings.find(f"{{{X.W_NS}}}themeFontLang")
    if old is not None:
        old.addprevious(lang)
        settings.remove(old)


def _qr_header(doc: Any) -> None:
    """A QR code of the document's identity, top right of every page, so a
    printed and scanned page is recognised without guessing. The template
    holds a placeholder image; each rendered document gets its own."""
    header = doc.sections[0].header
    p = header.paragraphs[0]
    p.alignment = 2  # right
    p.paragraph_format.space_after = Pt(0)
    p.add_run().add_picture(io.BytesIO(qr_png(QR_PLACEHOLDER)), width=Cm(QR_SIZE_CM))


def _footer(doc: Any) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    identity = ("表单 {{ identity.form }} · 版本 {{ identity.schema_version }} · "
                "项目 {{ identity.project_code }} · 文档 {{ identity.document_id }}")
    xml = (f'<w:p xmlns:w="{X.W_NS}"><w:pPr><w:tabs><w:tab w:val="right" w:pos="{17 * X.CM}"/></w:tabs>'
           f'{X.rpr(size=8)}</w:pPr>{X.run(identity, size=8, color="595959")}'
           f'<w:r>{X.rpr(size=8)}<w:tab/></w:r>{X.run("第 ", size=8)}'
           f'<w:fldSimple w:instr=" PAGE ">{X.run("1", size=8)}</w:fldSimple>{X.run(" 页 / 共 ", size=8)}'
           f'<w:fldSimple w:instr=" NUMPAGES ">{X.run("1", size=8)}</w:fldSimple>{X.run(" 页", size=8)}</w:p>')
    new = parse_xml(xml)
    p._p.addprevious(new)
    p._p.getparent().remove(p._p)
