"""Every real-world message in ../shared/corpus goes through the mail intake
without a crash, with subjects and attachment names decoded right. The
expected decodings are those of shared/corpus/EMAIL_NOTES.md (the hard cases
where Python's email package, munpack and ripmime disagree)."""

from __future__ import annotations

from pathlib import Path

import pytest

from formkit import project as api
from formkit.intake.archives import expand_tnef, expand_zip
from formkit.intake.mailboxes import source_for
from formkit.intake.mime import parse_mime
from formkit.intake.outlook import parse_msg
from tests.support.data import SHARED
from tests.support.mail import attachment, message

CORPUS = SHARED / "corpus"


def files(folder: str) -> list[Path]:
    return sorted((CORPUS / folder).iterdir())


@pytest.mark.parametrize("folder", ["eml_cjk", "eml_misc", "msg", "mbox"])
def test_every_message_goes_through_the_intake(folder: str) -> None:
    paths = files(folder)
    assert paths, f"{CORPUS / folder} is empty"
    report = api.import_all(paths)
    s = report.summary()
    assert s["failed"] == 0
    assert s["messages"] >= len(paths)
    for result in report.results:
        assert "Traceback" not in result.message and "\ufffd" not in result.name, result


@pytest.mark.parametrize("folder", ["tnef", "zip"])
def test_every_container_goes_through_the_intake_as_an_attachment(folder: str) -> None:
    parts = [attachment(p.name, p.read_bytes(), "application/ms-tnef" if folder == "tnef" else "application/zip")
             for p in files(folder)]
    report = api.import_all([_write(message(f"{folder} 附件", parts))])
    assert report.summary()["failed"] == 0 and report.summary()["messages"] == 1


def _write(raw: bytes) -> Path:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "corpus.eml"
    path.write_bytes(raw)
    return path


SUBJECTS = {
    "demisto_chinese_raw_utf8_subject.eml": "示例邮件",
    "letters_zh_mixed_gb18030_qp.eml": "📧 Test 施氏食狮史",
    "letters_zh_mixed_gbk_b64.eml": "📧 Test 施氏食狮史",
    "letters_zh_plain_gb18030_b64.eml": "📧 Test 施氏食狮史",
    "letters_zh_related_gbk_qp.eml": "📧 Test 施氏食狮史",
    "letters_zh_signed_gb18030_b64.eml": "📧 Signed Test 施氏食狮史",
    "mailparser_test_12_gb2312.eml": "代开各地增值税发票",
    # labelled gb2312 but uses GBK-only characters: read as GB18030, no U+FFFD
    "mailparser_test_9_gb2312.eml": "我把镜头拉近些，你们看看这个是什么屄，这种场合自然少不了内射",
    "mimekit_japanese.eml": "日本語メールテスト (testing Japanese emails)",
    "sa_gb2312_2.eml": "RE: 装硬碟问题",
    "sa_spam_unicode2_zh.eml": "外贸客户开发，势在必行",
    # raw 8-bit GB2312 / Big5 bytes in the Subject, decoded with the body's charset
    "sa_gb2312_1.eml": "全新原装进口，送货上门，货到付款－台湾鑫龙商贸集团公司向您拜年!",
    # Big5 bytes already mangled to Latin-1 and re-encoded as UTF-8 in the fixture
    "mail_big5_8bit_subject.eml": "4d8119\u3000(大補泡麵專賣) 大家說英語 每日聽MP3 (2004年6月份)",
}


@pytest.mark.parametrize("name", sorted(SUBJECTS))
def test_subjects(name: str) -> None:
    subject = parse_mime((CORPUS / "eml_cjk" / name).read_bytes()).subject
    assert subject.startswith(SUBJECTS[name]), subject
    assert "\ufffd" not in subject


def test_big5_raw_subject() -> None:
    subject = parse_mime((CORPUS / "eml_cjk" / "sa_big5_base64_1.eml").read_bytes()).subject
    assert subject.startswith("[SLAT-talk] 鉅靡6月17日新片又到")


def test_split_encoded_word_and_long_subject() -> None:
    subject = parse_mime((CORPUS / "eml_cjk" / "sa_nice_unicode2_tw.eml").read_bytes()).subject
    assert subject.startswith("【重要訊息】台電105年3月電費，委託金融機構扣繳成功電子繳費憑證")


NAMES = {
    "eml_cjk/enmime_bad-8bit-filename.eml": ["管理.doc"],
    # split inside a UTF-8 character in a quoted name, and an unquoted name==?utf-8?B?…?=
    "eml_cjk/rspamd_fname_korean.eml": ["[삼성생명]2020.08.14 데일리 경제뉴스.pdf",
                                        "01029_402110_10620_RGT06902_PRT180ML_20200803_101820.pdf"],
    "eml_cjk/mail_japanese_attachment_long_name.eml": ["かきくけこかきくけこかきくけこかきくけこかきくけこ.txt"],
    "eml_misc/zbateson_m3004_2231.eml": ["HasenundFrösche.txt"],
    "eml_misc/mail_attachment_with_quoted_filename.eml": ["Eelanalüüsi päring.jpg"],
    "eml_misc/mail_attachment_nonascii_filename.eml": ["ciële.txt"],
    "eml_misc/phpmmp_m0018_tnef_korean.eml": ["사진.JPG", "ATT00001.txt"],
    "eml_misc/phpmmp_m0013_tnef_pdf.eml": ["50032266 CAR 11_MNPA00A01_9PTX_H00 ATT N° 1467829.pdf"],
    "eml_misc/phpmmp_m0024_2047name.eml": ["Biodiversité de semaine en semaine.doc"],
    "eml_misc/unst_email-equals-attachment-filename.eml": ["odd=file=name.txt"],
    # message/rfc822 sent base64-encoded: the forwarded mail's 4 files are found too
    "eml_misc/phpmmp_issue274.eml": ["Hello from SwiftMailer.docx", "Hello from SwiftMailer.pdf",
                                     "Hello from SwiftMailer.odt", "Cours-Tutoriels-Serge-Tahé-1568x268.png"] * 2,
    "eml_misc/mail_attachment_message_rfc822.eml": ["broken.pdf"],
    "eml_misc/tika_testRFC822-mixed-with-pdf-inline.eml": ["tzora-titan-4-hummer-xl-manual.pdf"],
    # filename= wins over name= when they disagree
    "eml_cjk/letters_zh_mixed_gbk_b64.eml": [
        "inline-jpg-image-without-disposition.jpg", "inline-jpg-image-filename.jpg", "attached-pdf-filename.pdf",
        "attached-pdf-without-disposition.pdf", "attached-json-filename.json", "attached-text-plain-filename.txt",
        "attached-text-html-filename.html"],
}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_attachment_names(name: str) -> None:
    mail = parse_mime((CORPUS / name).read_bytes())
    assert [a.name for a in mail.attachments] == NAMES[name]


def test_forwarded_base64_message_is_decoded() -> None:
    mail = parse_mime((CORPUS / "eml_misc" / "phpmmp_issue274.eml").read_bytes())
    assert [a.via for a in mail.attachments][4:] == [("转发的邮件“test-localhost”",)] * 4
    group = parse_mime((CORPUS / "eml_misc" / "tika_testGroupWiseEml.eml").read_bytes())
    assert "test2" in group.inner_subjects


def test_illegal_header_line_does_not_hide_content_type() -> None:
    # A broken fold in an Exchange x-ms header: stdlib stops reading headers there.
    mail = parse_mime((CORPUS / "eml_misc" / "mimekit_issue358_tnef.eml").read_bytes())
    assert mail.subject == "R: R: R: I: FR-selca LA selcaE" and mail.attachments == []
    letters = parse_mime((CORPUS / "eml_cjk" / "letters_zh_related_gbk_qp.eml").read_bytes())
    assert [a.content_id for a in letters.attachments] == ["<inline-jpg-image.jpg@example.com>"]


MSG = {
    # non-Unicode .msg: code page from the message locale, not ISO-8859-15
    "poi_chinese-traditional.msg": ("Alfresco MSG format testing ( MSG 格式測試 )", "Tests Chang@FT (張毓倫)"),
    "hiraoka_nonUnicodeCP932.msg": ("日本語 Non Unicode タイトル", None),
    "msgreader_SpecialChars_ansi.msg": ("Un sujet bien défini Àéroport mañana être ouïe électricité", None),
    "poi_cyrillic_message.msg": ("Автоматический ответ подсистемы обмена данными", None),
    "hiraoka_newOutlook.msg": ("Microsoft Outlook テスト メッセージ", "Microsoft Outlook <ku@digitaldolphins.jp>"),
}


@pytest.mark.parametrize("name", sorted(MSG))
def test_msg_subjects(name: str) -> None:
    mail = parse_msg((CORPUS / "msg" / name).read_bytes(), name)
    subject, sender = MSG[name]
    assert mail.subject.startswith(subject) and "\x00" not in mail.subject
    if sender:
        assert mail.sender == sender


def test_msg_attachments_and_embedded_messages() -> None:
    four = parse_msg((CORPUS / "msg" / "hiraoka_attachmentsOrder.msg").read_bytes())
    assert [a.name for a in four.attachments] == ["A.docx", "B.docx", "C.docx", "D.docx"]
    nested = parse_msg((CORPUS / "msg" / "hiraoka_msgInMsgInMsg.msg").read_bytes())
    assert "I have attachments!" in nested.inner_subjects
    assert {a.name for a in nested.attachments} >= {"blue.png", "green.png"}


def test_a_msg_that_is_really_mime_is_sniffed() -> None:
    report = api.import_all([CORPUS / "msg" / "mimekit_gmail_is_rfc822.msg"])
    assert report.summary()["messages"] == 1 and report.summary()["failed"] == 0
    assert not any("Outlook" in r.message for r in report.results)


TNEF = {
    "poi_quick-winmail.dat": ["quick.doc", "quick.html", "quick.pdf", "quick.txt", "quick.xml"],
    "poi_bug63955-winmail.dat": ["SI-61597.pdf", "SI-61598.pdf"],
    "poi_bug52400-winmail-with-attachments.dat": ["scion_tc_2007_maintenanceguide.pdf", "Duke_Wave.png"],
    "mimekit_MAPI_ATTACH_DATA_OBJ.tnef": ["VIA_Nytt_1402.doc", "VIA_Nytt_1402.pdf", "VIA_Nytt_14021.htm"],
    "mimekit_missing-filenames.tnef": ["generpts.src", "TechlibDEC99.doc", "TechlibDEC99-JAN00.doc",
                                       "TechlibNOV99.doc"],
    "mimekit_garbage-at-end.tnef": [],
    "mimekit_body.tnef": [],
}


@pytest.mark.parametrize("name", sorted(TNEF))
def test_tnef_contents(name: str) -> None:
    assert sorted(m.name for m in expand_tnef((CORPUS / "tnef" / name).read_bytes(), name).members) == sorted(TNEF[name])


def test_zip_member_names() -> None:
    gbk = expand_zip((CORPUS / "zip" / "tika_gbk.zip").read_bytes(), "tika_gbk.zip")
    assert [m.name for m in gbk.members] == ["审计压缩包文件检索测试/集团邮件审计系统2021年自动巡检需求文档_V4.0.doc"]
    encrypted = expand_zip((CORPUS / "zip" / "tika_testZipEncrypted.zip").read_bytes(), "e.zip")
    assert (encrypted.encrypted, [m.name for m in encrypted.members]) == (["encrypted.txt"], ["unencrypted.txt"])
    nested = expand_zip((CORPUS / "zip" / "tika_test-zip-of-zip.zip").read_bytes(), "z.zip")
    assert any(m.name.endswith(".zip") for m in nested.members)


MBOX = {"cpython_mailbox_01.mbox": 1,  # "From time to time" in a body is not a separator
        "mimekit_content-length.mbox": 29, "mimekit_simple.mbox": 3, "mimekit_issue1189.mbox": 4,
        "sa_nice.mbox": 3, "tika_complex.mbox": 3, "tika_simple.mbox": 2, "tika_testFOXMAIL.box": 5}


@pytest.mark.parametrize("name", sorted(MBOX))
def test_mbox_message_counts(name: str) -> None:
    assert len(list(source_for(CORPUS / "mbox" / name))) == MBOX[name]


def test_foxmail_box_subjects() -> None:
    subjects = [parse_mime(m.data).subject for m in source_for(CORPUS / "mbox" / "tika_testFOXMAIL.box")]
    assert subjects[0] == "欢迎使用 Foxmail 6.5 ！"
