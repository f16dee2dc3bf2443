"""The project dossier end to end: a project with every core form accepted, a
changed value, a submission held for review with a conflict, a signed and
stamped acceptance form that came back as a scan (JPEG) and as a PDF.

The dossier is built once for the module (LibreOffice lays it out) and every
test reads what came out: the Word file, the PDF and the zip.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pypdf import PdfReader
from typer.testing import CliRunner

from formkit import office
from formkit import project as api
from formkit.cli import app
from formkit.errors import FormkitError, OfficeError
from formkit.forms import get_form
from formkit.record import ProjectRecord
from formkit.render.render import control_values, render_form
from tests.support.data import CORE, SAMPLES, sample

CODE = "P2026-001"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECTIONS = ["一、项目概况", "二、阶段进度", "三、项目表单", "四、变更记录", "五、待审核事项与冲突", "六、原件清单"]


@dataclass
class Built:
    result: Any
    record: ProjectRecord
    scan: bytes
    scan_pdf: bytes
    conflict_id: int
    scan_id: int
    second_id: int
    tmp: Path


def _write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _form_file(folder: Path, form: str, name: str | None = None, **changes: Any) -> Path:
    data = sample("anfang", form) | changes
    return _write(folder / f"{name or get_form(form).title}.docx", render_form(get_form(form), data).content)


def _stamp(jpeg: Path) -> None:
    """Sign and stamp the scan: a red seal and a signature stroke, as a customer would."""
    from PIL import Image, ImageDraw

    with Image.open(jpeg) as page:
        page = page.convert("RGB")
        draw = ImageDraw.Draw(page)
        w, h = page.size
        cx, cy, r = int(w * 0.70), int(h * 0.80), int(w * 0.09)
        for k in range(4):
            draw.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=(200, 20, 20))
        draw.regular_polygon((cx, cy, r // 3), 5, fill=(200, 20, 20))
        draw.line([(int(w * 0.30), int(h * 0.82)), (int(w * 0.36), int(h * 0.80)), (int(w * 0.42), int(h * 0.83))],
                  fill=(20, 20, 90), width=3)
        page.save(jpeg, "JPEG", quality=80)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("dossier")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FORMKIT_HOME", str(tmp / "home"))
        mp.delenv("FORMKIT_DB", raising=False)
        mp.delenv("FORMKIT_PROCESS", raising=False)
        api.project_from_file(SAMPLES / "anfang" / "project.yaml")
        first = api.import_files([_form_file(tmp / "in", form) for form in CORE])
        assert [r.outcome for r in first] == ["accepted"] * len(CORE), [r.message for r in first]
        # History: the 立项申请表 comes back a second time with a new budget.
        [second] = api.import_files([_form_file(tmp / "in2", "project_initiation", budget="1250000",
                                                budget_daxie="壹佰贰拾伍万元整", success_rate="70")])
        assert second.outcome == "accepted", second.message
        # Review: a 验收单 naming the customer differently (a stable field: a conflict).
        [conflict] = api.import_files([_form_file(tmp / "in3", "acceptance", "验收单-客户名称不同",
                                                  customer_name="杭州滨江科技园区管委会")])
        assert conflict.outcome == "review"
        # The signed and stamped 验收单, scanned: printed (LibreOffice PDF), scanned at 100 dpi, stamped.
        signed = _form_file(tmp / "scan", "acceptance", "验收单-签字盖章")
        [pdf] = office.convert([signed], "pdf", tmp / "scan")
        subprocess.run(["pdftoppm", "-r", "100", "-jpeg", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(tmp / "scan" / "验收单扫描件")], check=True)
        scan = tmp / "scan" / "验收单扫描件.jpg"
        _stamp(scan)
        # Kept as originals whatever comes of reading them (a scan is held for review today).
        held = api.import_files([scan, pdf], project=CODE)
        assert all(r.submission_id for r in held)
        result = api.dossier(CODE, tmp / "out" / f"项目档案-{CODE}.docx", pdf=True, zip=True)
        record = api.show(CODE)
    return Built(result, record, scan.read_bytes(), pdf.read_bytes(), conflict.submission_id,
                 held[0].submission_id, second.submission_id, tmp)


# -- reading what came out ------------------------------------------------------------

def docx_paragraphs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(reader: PdfReader, pages: range) -> str:
    return "\n".join(reader.pages[i].extract_text() or "" for i in pages)


def flat_outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return out


def form_texts(record: ProjectRecord, form: str) -> list[str]:
    """Every value of a form as the form prints it (what a control shows)."""
    shown = control_values(get_form(form).model, record.form_values(form))
    texts = []
    for value in shown.values():
        if isinstance(value, str):
            texts += [line for line in value.split("\n") if line.strip()]
    return texts


# -- the Word dossier -------------------------------------------------------------

@pytest.mark.office
def test_every_form_value_is_in_the_word_dossier(built: Built) -> None:
    text = squash("\n".join(docx_paragraphs(built.result.docx)))
    for form in CORE:
        values = form_texts(built.record, form)
        assert values, form
        missing = [v for v in values if squash(v) not in text]
        assert not missing, f"{form}: {missing}"
    # The record's current value, not the first one.
    assert "1,250,000.00" in text and "壹佰贰拾伍万元整" in text


@pytest.mark.office
def test_forms_are_read_only_and_in_process_order(built: Built) -> None:
    with zipfile.ZipFile(built.result.docx) as z:
        body = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert "<w:sdt>" not in body and "<w:sdt " not in body  # no content controls left
    assert "点击输入" not in body and "documentProtection" not in settings
    titles = [t for level, t, _ in built.result.contents if level == 2]
    in_process = [form for stage in api.process().stages for form in stage.forms if form in CORE]
    assert titles == [get_form(f).title for f in in_process]


@pytest.mark.office
def test_table_of_contents_has_page_numbers_without_updating(built: Built) -> None:
    result = built.result
    with zipfile.ZipFile(result.docx) as z:
        body = z.read("word/document.xml").decode()
    assert 'w:dirty="true"' not in body and " TOC \\o" in body
    # Each contents line: title, a dot-leader tab, the page number LibreOffice laid it out on.
    paragraphs = docx_paragraphs(result.docx)
    contents = result.contents
    assert [t for _, t, _ in contents][:3] == SECTIONS[:3] and [t for lvl, t, _ in contents if lvl == 1] == SECTIONS
    for level, title, page in contents:
        assert page is not None and page > 2
        assert f"{title}{page}" in paragraphs, title
    pages = [page for _, _, page in contents]
    assert pages == sorted(pages)
    # The PDF's contents page shows the same numbers, and its bookmarks point there.
    reader = PdfReader(result.pdf)
    toc_page = squash(reader.pages[1].extract_text())
    marks = {(lvl, t): p for lvl, t, p in flat_outline(reader)}
    for level, title, page in contents:
        assert re.search(re.escape(title) + r"\.+" + str(page), toc_page), title
        assert marks[(level, title)] == page - 1


@pytest.mark.office
def test_summary_timeline_history_reviews_and_originals(built: Built) -> None:
    paragraphs = docx_paragraphs(built.result.docx)
    text = "\n".join(paragraphs)
    # Summary: amounts with 大写, the people and what they did.
    assert "1,180,000.00（大写：壹佰壹拾捌万元整）" in text
    assert "刘海波" in paragraphs and "张卫东" in paragraphs
    # The timeline picture is there.
    with zipfile.ZipFile(built.result.docx) as z:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in z.namelist())
    # History: the budget change, old -> new, with its submission and file.
    i = paragraphs.index("立项申请表·预算金额(元)")
    assert paragraphs[i + 1: i + 3] == ["1,200,000.00", "1,250,000.00"]
    assert f"提交 #{built.second_id}《立项申请表》" in paragraphs[i + 3]
    # Review: the conflicting 验收单 and whatever else is held, with what is wrong.
    for sub in built.record.submissions:
        if sub.status == "review":
            assert f"提交 #{sub.id}　{sub.title or '（未识别的文件）'}" in paragraphs
    j = paragraphs.index(f"提交 #{built.conflict_id}　项目验收单")
    block = paragraphs[j:j + 30]
    k = block.index("与项目记录冲突的栏目：")
    assert block[k + 4: k + 7] == ["客户名称", "杭州滨江科技园区管理有限公司", "杭州滨江科技园区管委会"]
    # Index of originals: every file with its type and checksum.
    for sha, kind in ((hashlib.sha256(built.scan).hexdigest(), "JPEG 图片"),
                      (hashlib.sha256(built.scan_pdf).hexdigest(), "PDF 文件")):
        assert any(sha[:32] in p and sha[32:] in p for p in paragraphs)
        assert kind in paragraphs
    assert "验收单扫描件.jpg" in text and "验收单-签字盖章.pdf" in text


# -- the PDF dossier -----------------------------------------------------------------

@pytest.mark.office
def test_pdf_has_bookmarks_per_section_form_and_original(built: Built) -> None:
    reader = PdfReader(built.result.pdf)
    marks = flat_outline(reader)
    titles = [(lvl, t) for lvl, t, _ in marks]
    for section in SECTIONS:
        assert (1, section) in titles
    for form in CORE:
        assert (2, get_form(form).title) in titles
    appendix = [m for m in marks if m[1].startswith("附件")]
    assert [t.split("　", 1)[1] for _, t, _ in appendix] == ["验收单扫描件.jpg", "验收单-签字盖章.pdf"]
    assert (1, "附录　原件") in titles and all(lvl == 2 for lvl, _, _ in appendix)
    assert reader.metadata.title and "项目档案" in reader.metadata.title


@pytest.mark.office
def test_originals_are_appended_as_they_arrived(built: Built) -> None:
    result = built.result
    reader = PdfReader(result.pdf)
    original_pdf = PdfReader(io.BytesIO(built.scan_pdf))
    assert result.pdf_pages == len(reader.pages) == result.pages + 2 + 1 + len(original_pdf.pages)
    marks = {t.split("　", 1)[1]: p for _, t, p in flat_outline(reader) if t.startswith("附件")}
    # The scan: its cover sheet, then one page holding the JPEG exactly as it came.
    cover = marks["验收单扫描件.jpg"]
    assert cover == result.pages
    assert "附件" in reader.pages[cover].extract_text() and hashlib.sha256(built.scan).hexdigest()[:32] in \
        squash(reader.pages[cover].extract_text())
    [image] = [x.get_object() for x in reader.pages[cover + 1]["/Resources"]["/XObject"].values()]
    assert image["/Filter"] == "/DCTDecode" and image.get_data() == built.scan  # not re-encoded
    assert not (reader.pages[cover + 1].extract_text() or "").strip()
    # The PDF: every page of it, same text, behind its own cover sheet.
    start = marks["验收单-签字盖章.pdf"] + 1
    for k, page in enumerate(original_pdf.pages):
        assert squash(reader.pages[start + k].extract_text()) == squash(page.extract_text())


@pytest.mark.office
def test_pdf_text_has_every_form_value(built: Built) -> None:
    reader = PdfReader(built.result.pdf)
    pages = {t: p for lvl, t, p in flat_outline(reader) if lvl == 2}
    ends = sorted(pages.values()) + [built.result.pages]
    for form in CORE:
        start = pages[get_form(form).title]
        end = min(e for e in ends if e > start)
        text = squash(pdf_text(reader, range(start, end)))
        # A long value wraps inside its table cell: its first line is what reads whole.
        missing = [v for v in form_texts(built.record, form) if squash(v)[:8] not in text]
        assert not missing, f"{form}: {missing}"


# -- the archive -------------------------------------------------------------------------

@pytest.mark.office
def test_zip_holds_dossier_and_every_original_in_chinese_folders(built: Built) -> None:
    with zipfile.ZipFile(built.result.zip) as z:
        infos = z.infolist()
        names = [i.filename for i in infos]
        assert all(i.flag_bits & 0x800 for i in infos if not i.filename.isascii())
        root = f"{CODE}-滨江科技园区安防监控系统工程-项目档案/"
        assert all(n.startswith(root) for n in names)
        assert f"{root}项目档案-{CODE}.docx" in names and f"{root}项目档案-{CODE}.pdf" in names
        held = next(s for s in built.record.submissions if s.id == built.scan_id)
        mark = "" if held.status == "accepted" else f"（{held.status_label}）"
        folder = "/原件/11-项目验收/" if held.form == "acceptance" else "/原件/未归入阶段/"
        scan = [n for n in names if n.endswith(f"-验收单扫描件{mark}.jpg")]
        assert len(scan) == 1 and folder in scan[0]
        assert z.read(scan[0]) == built.scan
        accepted = [n for n in names if "/原件/11-项目验收/" in n]
        assert any(n.endswith("-项目验收单.docx") for n in accepted)
        sums = z.read(f"{root}原件校验值-SHA256.txt").decode().splitlines()
        assert len(sums) == len(built.record.submissions)
        for line in sums:
            sha, inner = line.split("  ", 1)
            assert hashlib.sha256(z.read(root + inner)).hexdigest() == sha
        listing = z.read(f"{root}原件清单.csv").decode("utf-8-sig")
        assert "验收单扫描件.jpg" in listing and "JPEG 图片" in listing


# -- partial dossiers, the command, and no LibreOffice -------------------------------------

@pytest.mark.office
def test_stage_dossier_from_the_command(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMKIT_HOME", str(built.tmp / "home"))
    out = built.tmp / "stage"
    run = CliRunner().invoke(app, ["dossier", CODE, "-o", str(out), "--stage", "项目验收", "--json"])
    assert run.exit_code == 0, run.output
    made = json.loads(run.stdout)
    assert made["docx"] == str(out / f"项目档案-{CODE}-项目验收.docx") and made["pdf"] is None
    assert [c["title"] for c in made["contents"] if c["level"] == 2] == ["项目验收单"]
    # The 验收单 submissions: accepted, conflicting, and the scan and PDF when they were read as one.
    assert made["originals"] == sum(s.form == "acceptance" for s in built.record.submissions) >= 2
    text = "\n".join(docx_paragraphs(Path(made["docx"])))
    assert "（项目验收阶段）" in text and "立项申请表·预算金额(元)" not in text


def test_unknown_project_and_stage_are_one_chinese_line(tmp_path: Path) -> None:
    runner = CliRunner()
    run = runner.invoke(app, ["dossier", "P2099-404", "-o", str(tmp_path)])
    assert run.exit_code == 2 and "项目 P2099-404 不存在" in run.output
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    run = runner.invoke(app, ["dossier", CODE, "--stage", "没有的阶段", "-o", str(tmp_path)])
    assert run.exit_code == 2 and "流程中没有名为“没有的阶段”的阶段" in run.output


def test_without_libreoffice_the_word_file_asks_word_to_number_the_contents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*_args: Any, **_kwargs: Any) -> list[Path]:
        raise OfficeError("找不到 LibreOffice（soffice），无法转换文档")

    monkeypatch.setattr(office, "convert", missing)
    api.project_from_file(SAMPLES / "anfang" / "project.yaml")
    api.import_files([_form_file(tmp_path / "in", "acceptance")])
    result = api.dossier(CODE, tmp_path / "档案.docx")
    assert result.docx.exists() and any("更新域" in w for w in result.warnings)
    with zipfile.ZipFile(result.docx) as z:
        assert 'w:dirty="true"' in z.read("word/document.xml").decode()
    assert "项目验收单" in docx_paragraphs(result.docx)
    with pytest.raises(FormkitError, match="LibreOffice"):
        api.dossier(CODE, tmp_path / "档案.docx", pdf=True)


# Word refuses a file whose property elements are out of schema order; LibreOffice does not mind.
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
           "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
           "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
           "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
           "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
           "cs em lang eastAsianLayout specVanish oMath",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc hidden",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
             "tblInd tblBorders shd tblLayout tblCellMar tblLook",
}


@pytest.mark.office
def test_word_file_elements_are_in_schema_order(built: Built) -> None:
    with zipfile.ZipFile(built.result.docx) as z:
        parts = [n for n in z.namelist() if re.fullmatch(r"word/(document|styles|header\d*|footer\d*)\.xml", n)]
        wrong = []
        for part in parts:
            root = etree.fromstring(z.read(part))
            for tag, order in ORDER.items():
                names = order.split()
                for el in root.iter(f"{W}{tag}"):
                    seen = [c.tag[len(W):] for c in el if isinstance(c.tag, str) and c.tag.startswith(W)]
                    ranks = [names.index(n) if n in names else -1 for n in seen]
                    if -1 in ranks or ranks != sorted(ranks):
                        wrong.append((part, tag, seen))
    assert not wrong, wrong[:5]
