"""Say what a file is when it is not a .docx, so the message tells people what to do."""

from __future__ import annotations

from typing import IO

from formkit.config import limits
from formkit.ooxml._xml import label

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "请在 Word 或 WPS 中“另存为”Word 文档（.docx）后重新提交。"


def explain_not_zip(head: bytes, stream: IO[bytes], name: str | None) -> str:
    """A one-line Chinese message for a file that is not a zip archive."""
    who = label(name)
    if head.startswith(OLE_MAGIC):
        stream.seek(0)
        body = stream.read(limits().docx_size)  # where to look for the markers: as far as a .docx may be
        stream.seek(0)
        if "EncryptedPackage".encode("utf-16-le") in body:
            return f"{who}设置了打开密码，无法读取：请在 Word 或 WPS 中取消密码后重新保存为 .docx 再提交。"
        if "WordDocument".encode("utf-16-le") in body:
            return (f"{who}是旧版 Word 97-2003 文档（.doc），这里只能读取 .docx：formkit import 会在安装了"
                    f" LibreOffice 25.2 时自动转换读取；或{_SAVE_AS}")
        return f"{who}是旧版 Office 文件（不是 .docx）：{_SAVE_AS}"
    if head.startswith(b"%PDF"):
        return f"{who}是 PDF 文件，不是 Word 文档（.docx）。"
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"{\\rtf"):
        return f"{who}是 RTF 格式，不是 .docx：{_SAVE_AS}"
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        return f"{who}是 XML/HTML 格式（如“Word XML 文档”或网页），不是 .docx：{_SAVE_AS}"
    if not head:
        return f"文件是空的：{who}没有任何内容，请重新保存后再提交。"
    return f"文件已损坏或不是 Word 文档（.docx）：{who}不是有效的 .docx 压缩包。{_SAVE_AS}"


def explain_no_document(names: dict[str, str], name: str | None) -> str:
    """A message for a zip archive without a WordprocessingML main document."""
    who = label(name)
    if "mimetype" in names and "content.xml" in names:
        return f"{who}是 OpenDocument 文件（如 .odt），不是 .docx：请在 LibreOffice 或 WPS 中另存为 Word 文档（.docx）后重新提交。"
    if "xl/workbook.xml" in names:
        return f"{who}是 Excel 工作簿，不是 Word 文档（.docx）。"
    if "ppt/presentation.xml" in names:
        return f"{who}是 PowerPoint 演示文稿，不是 Word 文档（.docx）。"
    return f"文件已损坏或不是 Word 文档（.docx）：{who}中没有 Word 正文（word/document.xml）。{_SAVE_AS}"
