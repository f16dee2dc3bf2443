"""Every limit of formkit/limits.py: an input just over it is refused (or cut
short) with a message naming the file and the variable that raises it; the
variable set higher lets the same input through (at least past that check);
a value that is not a positive number is a Chinese error naming the variable.
Inputs are generated here, with small limits so the tests stay fast."""

from __future__ import annotations

import base64
import io
import os
import random
import re
import struct
import time
import zlib
from pathlib import Path

import pytest

from formkit.config import limits
from formkit.errors import LimitError, NotAFormError, SettingError
from formkit.intake import archives
from formkit.intake.mime import parse_mime
from formkit.intake.outlook import parse_msg
from formkit.limits import Limits, check_time, time_limit
from formkit.ooxml import open_package
from formkit.parse import parse_bytes
from formkit.parse.pdf import count_objects, decoded_size, open_pdf
from formkit.parse.scan import load_pages
from tests.support.data import SHARED
from tests.support.mail import attachment, forwarded, message, zip_bomb, zip_of
from tests.support.pdfs import grid, simple_pdf
from tests.unit.ooxml.builders import build_docx, rezip, run

ROOT = Path(__file__).resolve().parents[2]
SPECS = Limits.specs()


@pytest.fixture(autouse=True)
def _no_limit_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for spec in SPECS:
        monkeypatch.delenv(spec.env, raising=False)


def refused(excinfo: pytest.ExceptionInfo[BaseException] | str, file: str, env: str) -> str:
    text = excinfo if isinstance(excinfo, str) else str(excinfo.value)
    assert file in text and env in text and "超过上限" in text, text
    assert re.search(r"[\u4e00-\u9fff]", text)
    return text


def pdf_refused_then_opened(monkeypatch: pytest.MonkeyPatch, pdf: bytes, file: str, env: str, below: str,
                            above: str, says: str = "") -> str:
    """The PDF is refused with ``env`` at ``below`` (the message names the file and
    the setting, ``says`` what to set it to), and opens with it at ``above``."""
    monkeypatch.setenv(env, below)
    with pytest.raises(LimitError) as e:
        parse_bytes(pdf, file)
    text = refused(e, file, says or env)
    monkeypatch.setenv(env, above)
    open_pdf(pdf, file).close()
    return text


# -- the settings ---------------------------------------------------------------------------

def test_every_limit_has_a_name_a_unit_and_its_own_variable() -> None:
    assert len(SPECS) >= 19
    assert len({s.env for s in SPECS}) == len(SPECS)
    defaults = Limits()
    for spec in SPECS:
        assert spec.env.startswith("FORMKIT_MAX_") and re.search(r"[\u4e00-\u9fff]", spec.name), spec
        assert getattr(defaults, spec.key) == spec.default * spec.scale > 0
    assert limits() == defaults


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.env)
def test_a_bad_value_names_the_variable(spec, monkeypatch: pytest.MonkeyPatch) -> None:
    for bad in ("abc", "0", "-5", "nan", "inf", *(["2.5"] if spec.whole else [])):
        monkeypatch.setenv(spec.env, bad)
        with pytest.raises(SettingError) as e:
            limits()
        assert spec.env in str(e.value) and "无效" in str(e.value) and spec.name in str(e.value)
    monkeypatch.setenv(spec.env, "3")
    assert getattr(limits(), spec.key) == 3 * spec.scale
    monkeypatch.setenv(spec.env, "")
    assert limits() == Limits()  # empty: the default


def test_readme_lists_every_limit_with_its_default() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\|.*`(FORMKIT_MAX_\w+)`.*\|$", readme, re.M)}
    for spec in SPECS:
        assert spec.env in rows, spec.env
        default = f"{spec.default:,}" if spec.default >= 100_000 else f"{spec.default:g}"
        assert default in rows[spec.env] and spec.unit in rows[spec.env], (spec.env, rows[spec.env])


def test_a_bad_value_stops_the_parser_with_its_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMKIT_MAX_PDF_PAGES", "sixty")
    with pytest.raises(SettingError, match="FORMKIT_MAX_PDF_PAGES"):
        parse_bytes(simple_pdf([b""]), "表.pdf")


# -- Word documents -------------------------------------------------------------------------

DOC = build_docx(f"<w:p>{run('你好')}</w:p>")


def _docx(tmp_path: Path, data: bytes, name: str = "合同.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_docx_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    parts = len(zipfile.ZipFile(io.BytesIO(DOC)).infolist())
    path = _docx(tmp_path, DOC)
    monkeypatch.setenv("FORMKIT_MAX_DOCX_PARTS", str(parts - 1))
    with pytest.raises(LimitError) as e:
        open_package(path)
    assert f"包含 {parts} 个部件，超过上限 {parts - 1} 个" in refused(e, "合同.docx", f"FORMKIT_MAX_DOCX_PARTS={parts}")
    monkeypatch.setenv("FORMKIT_MAX_DOCX_PARTS", str(parts))
    open_package(path).close()


def test_docx_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _docx(tmp_path, rezip(DOC, add={"word/media/photo.bin": os.urandom(1536 * 1024)}))
    monkeypatch.setenv("FORMKIT_MAX_DOCX_MB", "2")  # python-docx's parts are 0.8 MiB, the photo 1.5 MiB
    with pytest.raises(LimitError) as e:
        open_package(path)
    assert re.search(r"解压后共 2\.\d+ MiB，超过上限 2 MiB", refused(e, "合同.docx", "FORMKIT_MAX_DOCX_MB=3"))
    monkeypatch.setenv("FORMKIT_MAX_DOCX_MB", "3")
    open_package(path).close()


def test_docx_size_of_a_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    class Pipe(io.RawIOBase):
        name = "管道.docx"

        def __init__(self) -> None:
            self.inner = io.BytesIO(DOC)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def read(self, n: int = -1) -> bytes:
            return self.inner.read(n)

    monkeypatch.setenv("FORMKIT_MAX_DOCX_MB", "0.001")
    with pytest.raises(LimitError) as e:
        open_package(Pipe())
    refused(e, "管道.docx", "FORMKIT_MAX_DOCX_MB")
    monkeypatch.setenv("FORMKIT_MAX_DOCX_MB", "1")
    open_package(Pipe()).close()


def test_docx_ratio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _docx(tmp_path, rezip(DOC, add={"word/media/zeros.bin": b"\0" * (2 * 1024 * 1024)}))
    with pytest.raises(LimitError) as e:
        open_package(path)
    assert "压缩炸弹" in refused(e, "合同.docx", "FORMKIT_MAX_DOCX_RATIO")
    monkeypatch.setenv("FORMKIT_MAX_DOCX_RATIO", "5000")
    open_package(path).close()


# -- PDF ------------------------------------------------------------------------------------

def test_pdf_size(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = simple_pdf([b"BT /F1 9 Tf 20 20 Td (" + b"x" * 1500 + b") Tj ET"])
    monkeypatch.setenv("FORMKIT_MAX_PDF_MB", "0.001")
    with pytest.raises(LimitError) as e:
        parse_bytes(pdf, "报价.pdf")
    assert "不像是一份表单" in refused(e, "报价.pdf", "FORMKIT_MAX_PDF_MB")
    monkeypatch.setenv("FORMKIT_MAX_PDF_MB", "1")
    with pytest.raises(NotAFormError) as e:
        parse_bytes(pdf, "报价.pdf")
    assert "FORMKIT_MAX" not in str(e.value)  # past the check: it is only not a formkit form


def test_pdf_size_of_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit.parse.pdf import read_bytes

    path = tmp_path / "报价.pdf"
    path.write_bytes(simple_pdf([b""]) + b"%" * 3000)
    monkeypatch.setenv("FORMKIT_MAX_PDF_MB", "0.001")
    with pytest.raises(LimitError) as e:
        read_bytes(path, path.name)
    assert "文件有 " in refused(e, "报价.pdf", "FORMKIT_MAX_PDF_MB=1")
    monkeypatch.setenv("FORMKIT_MAX_PDF_MB", "0.01")
    assert read_bytes(path, path.name)


def test_pdf_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    for _ in range(61):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(LimitError) as e:
        parse_bytes(out.getvalue(), "报价.pdf")
    assert str(e.value).startswith("报价.pdf：PDF 有 61 页，超过上限 60 页，不像是一份表单，未读取；")
    refused(e, "报价.pdf", "FORMKIT_MAX_PDF_PAGES=61")
    monkeypatch.setenv("FORMKIT_MAX_PDF_PAGES", "61")
    doc = open_pdf(out.getvalue(), "报价.pdf")
    assert len(doc) == 61
    doc.close()


def test_pdf_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = simple_pdf([b""], extra_objects=40)
    assert count_objects(pdf) == 44  # catalog, pages, page, its content and 40 more
    monkeypatch.setenv("FORMKIT_MAX_PDF_OBJECTS", "43")
    with pytest.raises(LimitError) as e:
        parse_bytes(pdf, "对象.pdf")
    assert "约有 44 个对象" in refused(e, "对象.pdf", "FORMKIT_MAX_PDF_OBJECTS=44")
    monkeypatch.setenv("FORMKIT_MAX_PDF_OBJECTS", "44")
    open_pdf(pdf, "对象.pdf").close()


def test_pdf_objects_in_object_streams() -> None:
    packed = b"7 0 obj\n<< /Type /ObjStm /N 5000 /First 10 /Length 3 >>\nstream\nabc\nendstream\nendobj\n"
    assert count_objects(simple_pdf([b""]) + packed) == 4 + 1 + 5000


def test_pdf_stream_size(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = simple_pdf([b"%" + b" " * (3 * 1024 * 1024)], flate=1)
    assert len(pdf) < 20_000
    assert "压缩炸弹" in pdf_refused_then_opened(monkeypatch, pdf, "炸弹.pdf", "FORMKIT_MAX_PDF_STREAM_MB", "2", "4")


def test_pdf_stream_bomb_through_two_filters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMKIT_MAX_PDF_STREAM_MB", "32")
    bomb = zlib.compress(zlib.compress(b"\0" * (40 * 1024 * 1024), 9), 9)  # 40 MiB in < 1 KiB
    pdf = simple_pdf([b""]).replace(b"%%EOF", b"9 0 obj\n<< /Filter [/FlateDecode /FlateDecode] /Length "
                                    + str(len(bomb)).encode() + b" >>\nstream\n" + bomb + b"\nendstream\nendobj\n%%EOF")
    assert len(pdf) < 2000
    with pytest.raises(LimitError) as e:
        parse_bytes(pdf, "双层.pdf")
    refused(e, "双层.pdf", "FORMKIT_MAX_PDF_STREAM_MB")


def test_a_stream_with_bytes_after_its_end_is_measured_once() -> None:
    """Found by the mail corpus (an image in poi_bug63955-winmail.dat): the
    bytes between the end of the Flate data and ``endstream`` made the
    measuring loop spin forever."""
    assert decoded_size(zlib.compress(b"x" * 1000) + b"\r\n\r\n", FLATE, 10_000) == 1000
    assert decoded_size(zlib.compress(b"x" * 1000)[:-3], FLATE, 10_000) <= 1000  # cut short: what inflated


FLATE, LZW, RUN_LENGTH = [(b"FlateDecode", b"")], [(b"LZWDecode", b"")], [(b"RunLengthDecode", b"")]


def _with_stream(dictionary: bytes, data: bytes) -> bytes:
    """A blank page and an object holding a stream of ``data`` (the check reads the bytes)."""
    obj = b"9 0 obj\n<< " + dictionary + b" /Length " + str(len(data)).encode() + b" >>\nstream\n"
    return simple_pdf([b""]).replace(b"%%EOF", obj + data + b"\nendstream\nendobj\n%%EOF")


def _lzw_codes(data: bytes) -> list[int]:
    """A plain LZW encoder: a clear code first and again before the table is full
    (at 4,094 entries), the end code last."""
    codes, table, next_code, word = [256], {}, 258, None  # table: (code of a prefix, byte) -> code
    for byte in data:
        if word is None:
            word = byte
        elif (word, byte) in table:
            word = table[word, byte]
        else:
            codes.append(word)
            table[word, byte], next_code, word = next_code, next_code + 1, byte
            if next_code == 4094:
                codes.append(256)
                table, next_code = {}, 258
    return codes + ([] if word is None else [word]) + [257]


def _lzw_pack(codes: list[int], early: int = 1) -> bytes:
    """Codes packed as a reader reads them: 9 bits wide, one bit more once its table
    (one entry a code, but for a clear and the code after it) reaches 512 - ``early``
    entries, 1024 - ``early``, 2048 - ``early``."""
    out, buffer, bits, entries, cleared = bytearray(), 0, 0, 258, True
    for code in codes:
        width = min(12, (entries + early).bit_length())
        buffer, bits = buffer << width | code, bits + width
        while bits >= 8:
            bits -= 8
            out.append(buffer >> bits & 0xFF)
        buffer &= (1 << bits) - 1
        if code == 256:
            entries, cleared = 258, True
        elif cleared:
            cleared = False
        elif entries < 4096:
            entries += 1
    return bytes(out + (bytes([buffer << (8 - bits) & 0xFF]) if bits else b""))


# A run of zeros by hand: 0, then each code the next entry (KwKwK), one zero longer than the
# one before, up to 4095 (the table full): 1 + 2 + … + 3,839 zeros (7 MiB) in 5.6 KiB.
LZW_BOMB_CODES = [256, 0, *range(258, 4096), 257]
LZW_BOMB = _lzw_pack(LZW_BOMB_CODES)
LZW_BOMB_SIZE = 3839 * 3840 // 2


def test_lzw_is_measured_exactly() -> None:
    """The LZW counter gives the length a reference decoder (pypdf's) produces:
    text, a run of one byte (its codes are KwKwK: each the entry the reader is
    about to add), random bytes (the table fills: clear codes), a full table,
    /EarlyChange 0, and as the first filter of two. Damaged data is counted up
    to the damage, never an exception."""
    from pypdf.filters import LZWDecode

    noise = random.Random(7).randbytes(30_000)
    cases = {"text": "合同编号 HT-2024-001，甲方：某某有限公司。\n".encode() * 200, "run": b"a" * 5000,
             "pairs": b"ab" * 3000, "noise": noise, "empty": b""}
    assert _lzw_codes(cases["run"])[:5] == [256, 97, 258, 259, 260]  # KwKwK, code after code
    assert _lzw_codes(noise).count(256) >= 5  # the table cleared again and again
    for name, data in cases.items():
        codes = _lzw_codes(data)
        assert LZWDecode.decode(_lzw_pack(codes)) == data, name
        assert decoded_size(_lzw_pack(codes), LZW, 10**9) == len(data), name
        early_0 = [(b"LZWDecode", b"<< /EarlyChange 0 >>")]
        assert decoded_size(_lzw_pack(codes, early=0), early_0, 10**9) == len(data), name
        chain = _lzw_pack(_lzw_codes(zlib.compress(data)))
        assert decoded_size(chain, LZW + FLATE, 10**9) == len(data), name
    assert len(LZWDecode.decode(LZW_BOMB)) == LZW_BOMB_SIZE == decoded_size(LZW_BOMB, LZW, 10**9)
    assert decoded_size(LZW_BOMB, LZW, 1_000_000) <= 1_000_000 + 4096  # stops once over
    text = _lzw_pack(_lzw_codes(cases["text"]))
    assert decoded_size(text[:len(text) // 2], LZW, 10**9) < len(cases["text"])  # cut short: what decoded
    assert decoded_size(_lzw_pack([256, 300, 65]), LZW, 10**9) == 0  # past the table after a clear
    assert decoded_size(noise, LZW, 10**9) >= 0  # bytes that are not LZW: counted, no exception


def test_run_length_is_measured_exactly() -> None:
    data = bytes([2]) + b"abc" + bytes([254]) + b"x" + bytes([129]) + b"y" + bytes([128]) + b"ignored"
    assert decoded_size(data, RUN_LENGTH, 10**9) == 3 + 3 + 128
    assert decoded_size(data[:3], RUN_LENGTH, 10**9) == 2  # a copy cut short: what is there
    assert decoded_size(b"\x00a\x81", RUN_LENGTH, 10**9) == 1  # a repeat without its byte: nothing
    assert decoded_size(zlib.compress(data), FLATE + RUN_LENGTH, 10**9) == 134


def test_pdf_stream_size_of_an_lzw_bomb(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _with_stream(b"/Filter /LZWDecode", LZW_BOMB)
    assert len(pdf) < 7000
    assert "压缩炸弹" in pdf_refused_then_opened(monkeypatch, pdf, "炸弹.pdf", "FORMKIT_MAX_PDF_STREAM_MB", "2", "8")


@pytest.mark.parametrize("name", [b"/RunLengthDecode", b"/RL", b"/Run#4cengthDecode"])
def test_pdf_stream_size_of_a_run_length_bomb(monkeypatch: pytest.MonkeyPatch, name: bytes) -> None:
    pdf = _with_stream(b"/Filter " + name, bytes([129, 0]) * 12288 + bytes([128]))  # 1.5 MiB of zeros
    assert "压缩炸弹" in pdf_refused_then_opened(monkeypatch, pdf, "炸弹.pdf", "FORMKIT_MAX_PDF_STREAM_MB", "1", "2",
                                                says="FORMKIT_MAX_PDF_STREAM_MB=2")


@pytest.mark.parametrize("filters, data", [
    (b"[/FlateDecode /RunLengthDecode]", zlib.compress(bytes([129, 0]) * 24576 + bytes([128]), 9)),  # 3 MiB
    (b"[/Fl /RL]", zlib.compress(bytes([129, 0]) * 24576 + bytes([128]), 9)),
    (b"[/ASCII85Decode /LZWDecode]", base64.a85encode(LZW_BOMB) + b"~>"),  # 7 MiB
    (b"[/AHx /LZW]", LZW_BOMB.hex().encode() + b">"),
    (b"[/Crypt /FlateDecode /RunLengthDecode] /DecodeParms [<< /Name /Identity >> null null]",
     zlib.compress(bytes([129, 0]) * 24576 + bytes([128]), 9)),
], ids=["Flate+RunLength", "abbreviated", "ASCII85+LZW", "ASCIIHex+LZW", "Identity+Flate+RunLength"])
def test_pdf_stream_size_through_a_chain_of_filters(monkeypatch: pytest.MonkeyPatch, filters: bytes,
                                                     data: bytes) -> None:
    pdf = _with_stream(b"/Filter " + filters, data)
    assert len(pdf) < 15_000
    assert "压缩炸弹" in pdf_refused_then_opened(monkeypatch, pdf, "多层.pdf", "FORMKIT_MAX_PDF_STREAM_MB", "2", "8")


def test_pdf_image_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfium would decode the 16 bytes of this image to 100000 × 100000 pixels."""
    pdf = _with_stream(b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 100000 >>",
                       b"\0" * 16)
    text = pdf_refused_then_opened(monkeypatch, pdf, "巨图.pdf", "FORMKIT_MAX_IMAGE_PIXELS", "60000000", "10000000000",
                                   says="FORMKIT_MAX_IMAGE_PIXELS=10000000000")
    assert "图片有 10,000,000,000 像素（100000×100000），超过上限 60,000,000 像素" in text and "未读取" in text


def test_read_seconds_stops_a_slow_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    slow = simple_pdf([grid(160, 850)], size=850)  # cutting its table takes seconds
    monkeypatch.setenv("FORMKIT_MAX_READ_SECONDS", "0.2")
    with pytest.raises(LimitError) as e:
        parse_bytes(slow, "慢.pdf")
    assert "已停止读取" in refused(e, "慢.pdf", "FORMKIT_MAX_READ_SECONDS")
    # The same file read to its end with the limit raised is the proof the limit stopped it
    # (a wall-clock ratio of the two reads flaked on a busy machine).
    monkeypatch.setenv("FORMKIT_MAX_READ_SECONDS", "600")
    started = time.monotonic()
    with pytest.raises(NotAFormError) as e:
        parse_bytes(slow, "慢.pdf")
    assert "FORMKIT_MAX" not in str(e.value)
    assert time.monotonic() - started > 0.2  # reading it takes longer than the limit that stopped it


@pytest.mark.parametrize("reader", ["parse_scan", "inspect_scan"])
def test_read_seconds_stops_reading_or_inspecting_a_scan(monkeypatch: pytest.MonkeyPatch, reader: str) -> None:
    """Reading a scan, and `formkit inspect` of one, run under the read-time limit."""
    import formkit.parse.scan as scan

    run = getattr(scan, reader)
    monkeypatch.setenv("FORMKIT_MAX_READ_SECONDS", "0.001")
    load = scan.load_pages
    monkeypatch.setattr(scan, "load_pages", lambda data, label: (time.sleep(0.01), load(data, label))[1])
    with pytest.raises(LimitError) as e:
        run(_png(40, 40), name="扫描.png")
    refused(e, "扫描.png", "FORMKIT_MAX_READ_SECONDS")
    monkeypatch.setenv("FORMKIT_MAX_READ_SECONDS", "600")
    if reader == "inspect_scan":
        assert run(_png(40, 40), name="扫描.png")["pages"] == 1
    else:
        with pytest.raises(NotAFormError) as e:  # a blank picture: no form's QR code
            run(_png(40, 40), name="扫描.png")
        assert "FORMKIT_MAX" not in str(e.value)


def test_the_clock_is_the_outer_readers() -> None:
    fast = Limits(read_seconds=0.05)
    with time_limit("外.pdf", fast):
        with time_limit("内.pdf", Limits()):
            time.sleep(0.08)
            with pytest.raises(LimitError, match="外.pdf"):
                check_time()
    check_time()  # no reader running: no limit


# -- images ---------------------------------------------------------------------------------

def _png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))  # noqa: E731
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_image_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMKIT_MAX_IMAGE_PIXELS", "1599")
    with pytest.raises(LimitError) as e:
        load_pages(_png(40, 40), "照片.png")
    assert "图片有 1,600 像素（40×40）" in refused(e, "照片.png", "FORMKIT_MAX_IMAGE_PIXELS=1600")
    monkeypatch.setenv("FORMKIT_MAX_IMAGE_PIXELS", "1600")
    assert load_pages(_png(40, 40), "照片.png")[0].shape == (40, 40, 3)


def test_a_huge_image_says_it_is_too_large_not_damaged() -> None:
    with pytest.raises(LimitError) as e:
        parse_bytes(_png_header(100_000, 100_000), "巨图.png")
    text = refused(e, "巨图.png", "FORMKIT_MAX_IMAGE_PIXELS")
    assert "10,000,000,000 像素" in text and "60,000,000 像素" in text and "损坏" not in text


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_pixels_above_pils_own_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)  # restored afterwards
    monkeypatch.setenv("FORMKIT_MAX_IMAGE_PIXELS", "200000000")
    with pytest.raises(LimitError) as e:  # PIL alone would refuse it as a “decompression bomb”
        load_pages(_png_header(15_000, 14_000), "大图.png")
    assert "210,000,000 像素（15000×14000）" in refused(e, "大图.png", "FORMKIT_MAX_IMAGE_PIXELS")


# -- mail -----------------------------------------------------------------------------------

def test_mail_header_size(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = message("信头", [attachment("a.txt", b"x")], headers=[("X-Long", "y" * 3000)])
    monkeypatch.setenv("FORMKIT_MAX_MAIL_HEADER_KB", "2")
    with pytest.raises(LimitError) as e:
        parse_mime(raw, "长信头.eml")
    assert "邮件信头有 3" in refused(e, "长信头.eml", "FORMKIT_MAX_MAIL_HEADER_KB=4")
    monkeypatch.setenv("FORMKIT_MAX_MAIL_HEADER_KB", "4")
    assert [a.name for a in parse_mime(raw, "长信头.eml").attachments] == ["a.txt"]



def test_outlook_header_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """An Outlook .msg keeps the header block it was received with as text
    (572 characters in this one): the same limit holds for it."""
    data = (SHARED / "corpus" / "msg" / "hiraoka_attach_eml_received.msg").read_bytes()
    monkeypatch.setenv("FORMKIT_MAX_MAIL_HEADER_KB", "0.5")
    with pytest.raises(LimitError) as e:
        parse_msg(data, "收到.msg")
    assert "邮件信头有 " in refused(e, "收到.msg", "FORMKIT_MAX_MAIL_HEADER_KB=1")
    monkeypatch.setenv("FORMKIT_MAX_MAIL_HEADER_KB", "1")
    assert parse_msg(data, "收到.msg").message_id

def test_mail_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = message("附件多", [attachment(f"{n}.txt", b"x") for n in range(4)])
    monkeypatch.setenv("FORMKIT_MAX_MAIL_PARTS", "3")
    mail = parse_mime(raw, "附件多.eml")
    assert len(mail.attachments) == 3
    [note] = mail.over_limits
    assert "其余未读取" in refused(note, "附件多.eml", "FORMKIT_MAX_MAIL_PARTS")
    monkeypatch.setenv("FORMKIT_MAX_MAIL_PARTS", "4")
    mail = parse_mime(raw, "附件多.eml")
    assert len(mail.attachments) == 4 and not mail.over_limits


def _nested(levels: int) -> bytes:
    raw = message("最里层", [attachment("深处.txt", b"x")])
    for n in range(levels):
        raw = message(f"转发 {n}", [forwarded(raw)], boundary=f"==b{n}==")
    return raw


def test_mail_depth(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _nested(5)  # each forward is two levels: the multipart and the message
    monkeypatch.setenv("FORMKIT_MAX_MAIL_DEPTH", "8")
    mail = parse_mime(raw, "转发.eml")
    assert not mail.attachments
    [note] = mail.over_limits
    assert "更深的部分未读取" in refused(note, "转发.eml", "FORMKIT_MAX_MAIL_DEPTH")
    monkeypatch.setenv("FORMKIT_MAX_MAIL_DEPTH", "12")
    mail = parse_mime(raw, "转发.eml")
    assert [a.name for a in mail.attachments] == ["深处.txt"] and not mail.over_limits


# -- zip archives (mail attachments) --------------------------------------------------------

def _zip_refused_then_read(monkeypatch: pytest.MonkeyPatch, data: bytes, name: str, hint: str,
                           raised: str) -> tuple[str, archives.Expanded]:
    """Expanding ``data`` is refused with a message naming ``name`` and the
    setting (``hint``, e.g. "FORMKIT_MAX_ZIP_FILES=201"); with the setting at
    ``raised`` it is expanded. Returns (the message, the expanded archive)."""
    with pytest.raises(archives.ArchiveRefused) as e:
        archives.expand_zip(data, name)
    message = refused(str(e.value), name, hint)
    monkeypatch.setenv(hint.split("=")[0], raised)
    return message, archives.expand_zip(data, name)


def test_zip_files(monkeypatch: pytest.MonkeyPatch) -> None:
    many = zip_of({f"{n}.txt": b"x" for n in range(201)})
    message, read = _zip_refused_then_read(monkeypatch, many, "很多.zip", "FORMKIT_MAX_ZIP_FILES=201", "201")
    assert "包含 201 个文件，超过上限 200 个" in message
    assert len(read.members) == 201


def test_zip_size(monkeypatch: pytest.MonkeyPatch) -> None:
    big = zip_of({"a.bin": os.urandom(700 * 1024), "b.bin": os.urandom(700 * 1024)})
    monkeypatch.setenv("FORMKIT_MAX_ZIP_MB", "1")
    _, read = _zip_refused_then_read(monkeypatch, big, "大.zip", "FORMKIT_MAX_ZIP_MB=2", "2")
    assert len(read.members) == 2


def test_zip_member_size(monkeypatch: pytest.MonkeyPatch) -> None:
    one = zip_of({"照片.jpg": os.urandom(1536 * 1024)})
    monkeypatch.setenv("FORMKIT_MAX_ZIP_MEMBER_MB", "1")
    message, read = _zip_refused_then_read(monkeypatch, one, "照片.zip", "FORMKIT_MAX_ZIP_MEMBER_MB=2", "2")
    assert "照片.jpg" in message
    assert len(read.members) == 1


def test_zip_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = zip_bomb(20 * 1024 * 1024)
    message, read = _zip_refused_then_read(monkeypatch, bomb, "炸弹.zip", "FORMKIT_MAX_ZIP_RATIO", "100000")
    assert "压缩炸弹" in message
    assert len(read.members[0].data) == 20 * 1024 * 1024
