"""The scan reader's steps that need no office suite: the QR code through noise,
where a line of small marks is cropped, what check_glyphs mends (on drawn glyphs and
on real line crops), and how rows cut by a page break are put together."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from formkit.forms import get_form
from formkit.parse import scan
from formkit.parse.labels import missing_rows, row_paths
from formkit.parse.layout import form_layout
from formkit.render.qr import QR_SIZE_CM, qr_payload, qr_png
from tests.support.scans import degrade

EM = 29.0  # 10.5 pt at 200 dpi


def test_qr_code_is_read_through_salt_and_pepper_noise() -> None:
    """The header's code scanned with grain and specks (tests/support/scans.degrade, 1.5°):
    specks on its finder patterns once cost the identity of a whole page."""
    payload = qr_payload("acceptance", "1.0", "P2026-001", "bf642847ffb148768b95a94d85542086")
    side = round(QR_SIZE_CM / 2.54 * 200)
    code = Image.open(io.BytesIO(qr_png(payload))).convert("RGB").resize((side, side), Image.NEAREST)
    page = Image.new("RGB", (800, 400), "white")
    page.paste(code, (500, 60))
    for seed in range(10):
        ident, angle = scan.find_qr(np.asarray(degrade(page, seed=seed)))
        assert ident is not None and ident["project_code"] == "P2026-001", seed
        assert angle is not None and abs(angle + 1.5) < 0.2, (seed, angle)


def _cell(height: int = 50, width: int = 120) -> np.ndarray:
    return np.full((height, width), 255, dtype=np.uint8)


def test_a_lone_apostrophe_is_cropped_at_the_top_of_its_line() -> None:
    """Cropped about its own ink, a lone ' sat in the middle of the crop and read as a
    full stop; the line's box is where the cell's text is (centred in the cell)."""
    cell = _cell()
    cell[12:19, 20:23] = 0  # an apostrophe: the top of a line centred in the cell
    lines = scan.text_lines(cell, EM)
    assert len(lines) == 1
    [crop] = scan.line_crops(cell, lines, EM)
    ink = np.flatnonzero((crop < 128).any(axis=1))
    assert crop.shape[0] >= 1.2 * EM
    assert ink.mean() < 0.4 * crop.shape[0], (ink, crop.shape)


def test_a_line_of_marks_below_a_line_of_text_keeps_the_line_pitch() -> None:
    cell = _cell(110)
    cell[16:42, 10:38] = 0  # a Chinese character's ink, line 1
    cell[16 + 53 + 19:16 + 53 + 25, 10:16] = 0  # a comma on line 2, at its bottom
    lines = scan.text_lines(cell, EM)
    assert len(lines) == 2
    centres = scan.line_centres(cell.shape[0], lines, EM)
    assert abs(centres[1] - (29 + 53.5)) <= 3, centres


def _glyph(line: np.ndarray, x: int, width: int = 26) -> None:
    line[6:32, x:x + width] = 0
    line[10:28, x + 4:x + width - 4] = 255  # a hollow box (口): not a ring, corners inked


def test_a_full_stop_where_the_line_has_no_dot_is_dropped() -> None:
    line = np.full((38, 120), 255, dtype=np.uint8)
    _glyph(line, 8)
    _glyph(line, 50)
    line[22, 44] = 180  # a grey speck between them: no ink
    assert scan.check_glyphs(line, "口.口", [28.0, 48.0, 70.0], EM) == "口口"
    line[27:31, 40:44] = 0  # a real dot
    assert scan.check_glyphs(line, "口.口", [28.0, 44.0, 70.0], EM) == "口.口"


def test_a_ring_after_a_paren_is_put_back_as_ling() -> None:
    """〇 after '(' was lost: the paren's CTC column, at its right edge, was taken for the ring's."""
    line = np.full((38, 90), 255, dtype=np.uint8)
    line[8:34, 10:13] = 0  # "(" as a bar, the ring touching distance after it
    cv2.circle(line, (29, 20), 13, 0, 2)
    assert scan.check_glyphs(line, "(", [13.5], EM) == "(〇"
    assert scan.check_glyphs(line, "(O", [13.5, 33.0], EM) == "(〇"
    assert scan.check_glyphs(line, "(口", [13.5, 33.0], EM) == "(口"  # read as another character: left alone


def test_a_small_letter_touching_a_slash_keeps_its_case() -> None:
    """z/ printed as one blot: the blot is as high as a capital, the z's own columns are not
    (the slash's CTC column at the blot's right edge once let the whole blot count)."""
    line = np.full((38, 80), 255, dtype=np.uint8)
    cv2.line(line, (36, 14), (46, 14), 0, 1)  # z, 13 px high (x-height)
    cv2.line(line, (46, 14), (36, 26), 0, 1)
    cv2.line(line, (36, 26), (48, 26), 0, 1)
    cv2.line(line, (48, 26), (54, 7), 0, 1)  # / from the z's foot, 20 px high
    assert scan.check_glyphs(line, "Z/", [45.0, 55.0], EM) == "z/"
    assert scan.check_glyphs(line, "z/", [45.0, 55.0], EM) == "z/"


_LINES = Path(__file__).resolve().parents[2] / "data" / "scan_lines"


_CROPS = [
    ("full-stop-between-latin", "部门主管：6y户）C:。)二CA"),  # 。 read as o between Latin letters
    ("full-stop-first", "。统5"),  # 。 at the start of a line, dropped
    ("apostrophe-dot-apostrophe", "部门主管：程<:-4(监三7张'.'<张3"),  # '.' read as '.
    ("apostrophe-after-chinese", "户&统'防>"),  # the apostrophe dropped
    ("percent", "6%程3"),  # the lower ring of % is not a 。
    ("slash-before-digit", "/4"),  # read as 14
    ("slash-paren", "/)"),  # read as 1
    ("lone-paren", "("),  # read as C
    ("paren-pair", "()"),  # read as O
    ("digit-one", "%客1z6目%6'王x.王"),  # an upright 1 stays 1
    ("ideographic-comma-and-full-stop", "、.、x"),  # read as 、..x
    ("mu", "7程3户控）目李监"),  # 目 read as 日 (a stroke of 目 broken by noise)
    ("ling-after-dash", "控2户-〇。&'（验y;"),  # 〇 lost: the dash's column at the ring's edge
    ("no-dot-after-full-stop", "张(。〇>项<目y&"),  # a phantom . in 。's blank half
    ("zero-after-b", "（B0(客验验工&"),  # 0 read as O: it is as narrow as a digit
    ("ling-read-as-space", "y9;〇BB,。4(31王4>"),  # 〇 read as a space, the ; column at its edge
    ("dot-beside-full-stop", ".。李z工统目4程A（防目"),  # read right: the . is not made a 。
    ("zero-touching-slash", "1/0"),  # read right: its blot holds the / too, so its width says nothing
    ("slash-left-out", "（/安(王"),  # the / had no CTC column of its own
]


@pytest.mark.parametrize(("name", "printed"), _CROPS, ids=[name for name, _ in _CROPS])
def test_line_crops_from_a_generated_scan_read_as_printed(name: str, printed: str) -> None:
    """Lines cut from generated forms scanned at 200 dpi (tests/support/scans: noise, 1.5°)
    that the reader once misread; compared as bench/scan.py compares generated text
    (punctuation width and white space folded)."""
    line = np.asarray(Image.open(_LINES / f"{name}.png").convert("L"))
    [(text, _confidence)] = scan.recognise_many([line], EM)

    def folded(s: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))

    assert folded(text) == folded(printed)


def _scanned(model: type, *, cut: int | None = None, lost: int | None = None
             ) -> tuple[list[scan.ScanRow], list[np.ndarray]]:
    """The rows of a form's tables as a scan finds them (80 px each, labels inked,
    list headers grey), on pages of 2,339 px. ``cut``: that table's first row is cut
    by a page break (its rest, with no label, on the next page); ``lost``: that
    table's last row falls at a page's foot and is missing, as LibreOffice 25.2
    lost a row that could not split."""
    height, width = 2339, 1654
    pages = [np.full((height, width), 255, dtype=np.uint8) for _ in range(4)]
    rows: list[scan.ScanRow] = []
    page, top = 0, 100
    for k, table in enumerate(form_layout(model)):
        layout_rows = list(table.rows) + ([table.item] if table.item is not None else [])
        if k == cut:  # its first row starts 40 px above the page's foot
            top = max(top, height - 140)
        for r, layout in enumerate(layout_rows):
            n = len(layout.cells)
            cells = [(100 + i * 1400 // n, 100 + (i + 1) * 1400 // n) for i in range(n)]
            if k == cut and r == 0:
                rows.append(scan.ScanRow(page, top, top + 40, cells, False))
                page, top = page + 1, 100
                rows.append(scan.ScanRow(page, top, top + 60, cells, False))  # the rest: no label
                top += 60
                continue
            if k == lost and r == len(layout_rows) - 1:
                page, top = page + 1, 100
                continue
            if top + 80 > height - 100:
                page, top = page + 1, 100
            row = scan.ScanRow(page, top, top + 80, cells, r > 0)
            x0, _, x1, _ = row.box(0)
            if layout.kind == "header":
                pages[page][top + 2:top + 78, x0 + 2:x1 - 2] = 200  # a list's header: grey
            pages[page][top + 30:top + 50, x0 + 20:x0 + 60] = 0  # the label's ink
            rows.append(row)
            top += 80
        top += 60
    return rows, pages


def test_a_row_cut_by_a_page_break_stays_one_row_whatever_its_kind() -> None:
    """A block table's first row (成功标准, fixed notes) cut by a page break: its rest on
    the next page, with an empty label cell, is that row's continuation, not the next
    layout row (which shifted every row of the table by one: 签字 read from 跟进)."""
    model = get_form("tracking_sheet").model
    tables = form_layout(model)
    target = next(k for k, t in enumerate(tables) if t.kind == "block" and t.rows[0].kind == "notes" and k > 1)
    placed, notes = scan.place_rows(model, *_scanned(model, cut=target))
    assert not notes
    mine = [p for p in placed if p.table is tables[target]]
    assert [p.layout for p in mine] == list(tables[target].rows)
    assert len(mine[0].parts) == 1 and mine[0].parts[0].page == mine[0].row.page + 1


def test_a_table_whose_last_row_was_lost_at_a_page_break_ends_there() -> None:
    """negotiation_plan's 价格与付款 ended a page without its 折扣权限 row: the next page's
    first table (付款方式, three columns) is not that row, and every table after it is
    read where it is (was: 付款方式 and all after it skipped, seven values lost)."""
    model = get_form("negotiation_plan").model
    tables = form_layout(model)
    lost = next(k for k, t in enumerate(tables) if t.kind == "pairs" and t.rows[0].cells[1].path == "quote_amount")
    placed, notes = scan.place_rows(model, *_scanned(model, lost=lost))
    assert not notes
    paths = [c.path for p in placed for c in p.layout.cells if c.path]
    assert "max_discount" not in paths
    assert "payments[{i}].milestone" in paths and "gm_date" in paths
    # and the lost row is said, not read as blank
    lost = missing_rows(model, (path for p in placed if p.item is None for path in row_paths(p.layout)), "扫描件")
    assert [(p.path, p.label, p.kind) for p in lost] == [("max_discount", "折扣权限(%)", "missing_row")]
    assert lost[0].message.startswith("扫描件中没有“折扣权限(%)”这一行")


_CELLS = Path(__file__).resolve().parents[2] / "data" / "scan_cells"


def _cell_png(name: str) -> np.ndarray:
    return np.asarray(Image.open(_CELLS / f"{name}.png").convert("L"))


@pytest.mark.parametrize("name", ["blank-signer", "blank-narrow"])
def test_a_cell_left_blank_holds_no_ink(name: str) -> None:
    """Cells left blank on generated scans (tests/data/scan_cells), as the reader sees them:
    only the grey prompt 点击输入… of the control, wrapped in a narrow column, and on the
    signer's cell the grey remains of the red stamp. The scanner's noise made a few of
    the prompt's pixels as dark as ink, and blank cells read as 点击输内音 or 俞."""
    assert not scan.has_ink(_cell_png(name), EM)


def test_a_role_left_blank_ends_at_its_label() -> None:
    """跟进 on a generated scan: 销售经理's line holds the label and the grey prompt,
    which read as 销售经理：点击; the other roles are filled."""
    cell = _cell_png("roles-one-blank")
    lines = scan.text_lines(cell, EM)
    read = [text for text, _ in scan.recognise_many(scan.line_crops(cell, lines, EM), EM)]
    assert "销售经理：" in read, read
    assert any(text.startswith("营销人员：") and len(text) > 6 for text in read), read


def test_thin_marks_alone_are_ink() -> None:
    """。 / and 〇 print strokes a pixel thin, as grey as the prompt: alone in a cell
    they are still what a person wrote."""
    cell = _cell_png("full-stop-alone")  # a generated form's 项目名称: "。"
    assert scan.has_ink(cell, EM)
    lines = scan.text_lines(cell, EM)
    assert [text for text, _ in scan.recognise_many(scan.line_crops(cell, lines, EM), EM)] == ["。"]
    slash = _cell()
    cv2.line(slash, (50, 38), (58, 14), 100, 1)
    ring = _cell()
    cv2.circle(ring, (60, 25), 13, 100, 1)
    for drawn in (slash, ring):
        assert scan.has_ink(drawn, EM)
        assert len(scan.text_lines(drawn, EM)) == 1


def test_lone_specks_are_dropped_before_the_page_is_turned() -> None:
    """Salt and pepper pixels take their neighbourhood's value; strokes, even a pixel
    thin, are left as they are. Turned first, one black pixel would be smeared over
    four and look like a grey prompt's dark core."""
    page = np.full((40, 60, 3), 250, dtype=np.uint8)
    page[10:12, 5:40] = 140  # a grey stroke two pixels wide
    page[10, 20] = 0  # a black speck on it
    page[30, 50] = 0  # and one on paper
    page[25, 5:40] = 30  # a black line a pixel thin
    page[5, 50] = 255
    page[4:7, 49] = page[4:7, 51] = page[4, 50] = page[6, 50] = 20  # a white speck in black ink
    out = scan.drop_specks(page)
    assert out[10, 20].tolist() == [140] * 3 and out[30, 50].tolist() == [250] * 3
    assert out[5, 50].tolist() == [20] * 3
    unchanged = np.ones(page.shape[:2], dtype=bool)
    unchanged[[10, 30, 5], [20, 50, 50]] = False
    assert (out[unchanged] == page[unchanged]).all()


@pytest.mark.parametrize(("name", "ticked"), [
    ("checklist-under-heading", [False, True, False, True, True, True]),  # its third item wraps
    ("checklist-blank", [False, False, False, False]),  # a stage left blank
])
def test_tick_boxes_are_found_under_the_checklists_heading(name: str, ticked: list[bool]) -> None:
    """The left of two 符合条件 cells on a generated scan: the bold heading's 项 and 目
    are squares of the boxes' size, and were taken for the first two boxes, every
    tick after them read from the box above."""
    assert scan.checklist_ticks(_cell_png(name), EM) == ticked


@pytest.mark.parametrize("shape", [(0, 40), (40, 0), (0, 0)])
def test_an_empty_crop_holds_nothing(shape: tuple[int, int]) -> None:
    """A row's sliver on the next page can be thinner than the crop's inset: OpenCV
    crashes the process (a segmentation fault) on an empty image, so each step
    that reads a cell's part looks first. A checklist is now read from every part."""
    empty = np.zeros(shape, dtype=np.uint8)
    assert not scan.has_ink(empty, EM)
    assert scan.text_lines(empty, EM) == []
    assert scan.checklist_ticks(empty, EM) == []
    assert scan.tick_state(empty) is None
    assert not scan.ink_mask(empty, EM).any()


def test_a_signature_cell_not_found_is_not_said_to_be_blank() -> None:
    """A photographed 验收单 whose signature table was skipped (its rulings broken under
    the stamp) said 签字处空白 for cells it never looked at."""
    model = get_form("acceptance").model
    read = scan._Read(inked={"customer_signer": True, "our_pm": False})
    _, notes = scan._signatures_and_stamp(model, read, stamped=False)
    assert notes == ["客户验收人(签字)：签字处有笔迹", "我方项目经理(签字)：签字处空白",
                     "监理(可选)：签字处未能读取（扫描件中没有找到这一行），请对照原件核对"]
