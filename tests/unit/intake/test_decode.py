"""Header and file-name decoding: the broken variants real clients send."""

from __future__ import annotations

import base64
from io import BytesIO

import pytest

from formkit.intake.decode import codec_for, decode_header, decode_param
from formkit.intake.mail import project_codes, safe_name
from formkit.intake.mailboxes import iter_mbox


def b64(text: str, charset: str, encoding: str | None = None) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(encoding or charset)).decode()}?="


@pytest.mark.parametrize(("label", "codec"), [("GB2312", "gb18030"), ("gbK", "gb18030"), ("x-gbk", "gb18030"),
                                              ("Big5", "big5"), ("ks_c_5601-1987", "cp949"), ("nonsense", None)])
def test_codecs(label: str, codec: str | None) -> None:
    assert codec_for(label) == codec


def test_gb2312_label_with_gbk_characters() -> None:
    assert decode_header(b64("王喆的验收单", "gb2312", "gbk")) == "王喆的验收单"


def test_words_split_inside_a_character_are_joined() -> None:
    raw = "验收单".encode()
    words = f"=?utf-8?B?{base64.b64encode(raw[:2]).decode()}?= =?utf-8?B?{base64.b64encode(raw[2:]).decode()}?="
    assert decode_header(words) == "验收单"


def test_raw_8bit_headers() -> None:
    gbk = "【P2026-001】验收单".encode("gbk").decode("ascii", "surrogateescape")
    assert decode_header(gbk) == "【P2026-001】验收单"
    big5 = "驗收單".encode("big5").decode("ascii", "surrogateescape")
    assert decode_header(big5, hint="big5") == "驗收單"
    assert decode_header("ciële") == "ciële"


def test_rfc2231_tuple_and_quoted_encoded_words() -> None:
    raw = "验收单.docx".encode("gb18030").decode("latin-1")
    assert decode_param(("gb2312", "", raw)) == "验收单.docx"
    assert decode_param(f'"{b64("验收单.docx", "utf-8")}"') == "验收单.docx"


def test_project_codes_in_subjects() -> None:
    assert project_codes("回复：【P2026-001】验收单 P2026-002") == ["P2026-001", "P2026-002"]
    assert project_codes("[SLAT-talk] 新片") == ["SLAT-talk"]  # a candidate only if such a project exists
    assert project_codes("无代号") == []


@pytest.mark.parametrize(("name", "safe"), [("../../x.docx", "x.docx"), ("..\\..\\evil.docx", "evil.docx"),
                                            ("/etc/passwd", "passwd"), ("..", "附件1"), ("a\x00b.docx", "ab.docx")])
def test_safe_names(name: str, safe: str) -> None:
    assert safe_name(name, "application/octet-stream", 1)[0] == safe


def test_mbox_separators_and_escapes() -> None:
    box = (b"From a@b Sat Aug 29 09:30:00 2026\nSubject: one\n\nHello\n\nFrom time to time\n>From here\n\n"
           b"From - \nSubject: two\n\nbody\n")
    messages = [m for m, _, _ in iter_mbox(BytesIO(box))]
    assert len(messages) == 2
    assert b"From time to time\nFrom here\n" in messages[0]
