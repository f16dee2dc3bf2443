"""Every safety limit of formkit in one place, and how a limit speaks.

Files come from strangers, so each reader stops at a limit: the pages of a
PDF, the pixels of an image, the members of a zip, the depth of a forwarded
mail … Each limit has a default, a Chinese name, a unit and an environment
variable that raises it (read by ``formkit.config.limits()``; nothing else
reads the environment). A file over a limit gets one message that names the
file, what was found, the limit, and the setting to raise it::

    报价.pdf：PDF 有 80 页，超过上限 60 页，不像是一份表单，未读取；如确需读取，
    请设置环境变量 FORMKIT_MAX_PDF_PAGES=80（或更大）后重试

Sizes are kept in bytes and shown in MiB or KiB. The time limit is a
cooperative deadline: a reader runs under ``time_limit()`` and calls
``check_time()`` in its loops (per page, every few hundred objects).
"""

from __future__ import annotations

import functools
import math
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from formkit.errors import LimitError, SettingError

KiB = 1024
MiB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """What a limit is: its name, unit, variable and default (in ``unit``)."""

    key: str
    name: str        # 中文名称
    unit: str        # as shown: 页, 个, MiB, KiB, 像素, 倍, 层, 秒
    env: str         # the environment variable that sets it
    default: float   # in ``unit``
    scale: int = 1   # base units (bytes) per ``unit``
    whole: bool = True  # the setting must be a whole number

    def show(self, value: float) -> str:
        """A value in base units as people read it: “60 页”, “50 MiB”, “0.5 秒”
        (a size too small for its unit in KiB or bytes: “600 字节”)."""
        if self.scale > 1:
            for scale, unit in ((MiB, "MiB"), (KiB, "KiB"), (1, "字节")):
                if scale <= self.scale and (value >= scale or scale == 1):
                    return f"{_number(round(value / scale, 2) if scale > 1 else value)} {unit}"
        return f"{_number(value / self.scale)} {self.unit}"

    def parse(self, raw: str) -> int | float:
        """The value of the environment variable, in base units; SettingError when unusable."""
        text = raw.strip().replace(",", "").replace("_", "")
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number <= 0 or (self.whole and number != int(number)):
            kind = "正整数" if self.whole else "正数"
            raise SettingError(f"环境变量 {self.env} 的值“{raw[:40]}”无效：{self.name}上限应为{kind}"
                               f"（单位：{self.unit}，默认 {_number(self.default)}）。请改正或删除该变量后重试")
        value = number * self.scale
        return max(1, int(value)) if self.scale > 1 or self.whole else value


def _number(x: float) -> str:
    if x == int(x):
        return f"{int(x):,}" if abs(x) >= 100_000 else str(int(x))
    return f"{x:.2f}".rstrip("0").rstrip(".") if x >= 1 else f"{x:.2g}"


def _limit(key: str, env: str, default: float, name: str, unit: str, *, scale: int = 1, whole: bool = True) -> Any:
    spec = Limit(key, name, unit, f"FORMKIT_MAX_{env}", default, scale, whole)
    value = default * scale
    return field(default=int(value) if whole or scale > 1 else value, metadata={"limit": spec})


@dataclass(frozen=True)
class Limits:
    """Every limit's value, in base units (bytes, counts, seconds). The field
    metadata holds its Limit (name, unit, variable, default)."""

    # Word documents (.docx): the zip package
    docx_parts: int = _limit("docx_parts", "DOCX_PARTS", 5000, "Word 文档部件数", "个")
    docx_size: int = _limit("docx_size", "DOCX_MB", 256, "Word 文档解压后大小", "MiB", scale=MiB, whole=False)
    docx_ratio: float = _limit("docx_ratio", "DOCX_RATIO", 200, "Word 文档部件压缩比", "倍", whole=False)
    # PDF
    pdf_size: int = _limit("pdf_size", "PDF_MB", 50, "PDF 文件大小", "MiB", scale=MiB, whole=False)
    pdf_pages: int = _limit("pdf_pages", "PDF_PAGES", 60, "PDF 页数", "页")
    pdf_objects: int = _limit("pdf_objects", "PDF_OBJECTS", 100_000, "PDF 对象数", "个")
    pdf_stream_size: int = _limit("pdf_stream_size", "PDF_STREAM_MB", 128, "PDF 单个数据流解压后大小", "MiB",
                                  scale=MiB, whole=False)
    read_seconds: float = _limit("read_seconds", "READ_SECONDS", 300, "读取一个 PDF 或扫描件的时间", "秒",
                                 whole=False)
    convert_seconds: float = _limit("convert_seconds", "CONVERT_SECONDS", 60,
                                    "LibreOffice 转换一个文件（.doc、.rtf、.odt）的时间", "秒", whole=False)
    # images (scans, photos)
    image_pixels: int = _limit("image_pixels", "IMAGE_PIXELS", 60_000_000, "图片像素数", "像素")
    # mail
    mail_size: int = _limit("mail_size", "MAIL_MB", 100, "一封邮件的大小", "MiB", scale=MiB, whole=False)
    mail_header_size: int = _limit("mail_header_size", "MAIL_HEADER_KB", 512, "邮件信头大小", "KiB",
                                   scale=KiB, whole=False)
    mail_parts: int = _limit("mail_parts", "MAIL_PARTS", 500, "一封邮件的附件数", "个")
    mail_depth: int = _limit("mail_depth", "MAIL_DEPTH", 8, "邮件嵌套层数", "层")
    attachment_size: int = _limit("attachment_size", "ATTACHMENT_MB", 50, "单个附件大小", "MiB",
                                  scale=MiB, whole=False)
    nesting: int = _limit("nesting", "NESTING", 6, "附件嵌套层数（压缩包、转发的邮件）", "层")
    # .zip archives (attachments)
    zip_files: int = _limit("zip_files", "ZIP_FILES", 200, "压缩包文件数", "个")
    zip_size: int = _limit("zip_size", "ZIP_MB", 200, "压缩包解压后总大小", "MiB", scale=MiB, whole=False)
    zip_member_size: int = _limit("zip_member_size", "ZIP_MEMBER_MB", 50, "压缩包单个文件解压后大小", "MiB",
                                  scale=MiB, whole=False)
    zip_ratio: float = _limit("zip_ratio", "ZIP_RATIO", 100, "压缩包文件压缩比", "倍", whole=False)

    @staticmethod
    def specs() -> list[Limit]:
        """Every limit, in the order above."""
        return [f.metadata["limit"] for f in fields(Limits)]

    @staticmethod
    def spec(key: str) -> Limit:
        for f in fields(Limits):
            if f.name == key:
                return f.metadata["limit"]
        raise KeyError(key)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Limits:
        """The defaults, raised (or lowered) by the FORMKIT_MAX_* variables set in ``environ``."""
        values = {spec.key: spec.parse(environ[spec.env]) for spec in cls.specs()
                  if (environ.get(spec.env) or "").strip()}
        return cls(**values)

    def show(self, key: str, value: float | None = None) -> str:
        """``value`` (default: this limit) in the limit's unit: “60 页”, “50 MiB”."""
        return self.spec(key).show(getattr(self, key) if value is None else value)

    def hint(self, key: str, found: float | None = None) -> str:
        """How to raise the limit: the variable and a value that lets ``found`` through."""
        spec = self.spec(key)
        current = getattr(self, key) / spec.scale
        wanted = found / spec.scale if found is not None and found / spec.scale > current else current * 2
        return f"如确需读取，请设置环境变量 {spec.env}={math.ceil(wanted)}（或更大）后重试"

    def message(self, key: str, file: str, found_text: str, result: str, found: float | None = None) -> str:
        """“FILE：FOUND_TEXT，超过上限 LIMIT，RESULT；如确需读取，请设置环境变量 …”;
        without ``found_text`` (not known): “FILE：NAME超过上限 LIMIT，…”."""
        found_text = f"{found_text}，" if found_text else self.spec(key).name
        return f"{file}：{found_text}超过上限 {self.show(key)}，{result}；{self.hint(key, found)}"

    def error(self, key: str, file: str, found_text: str, result: str = "未读取",
              found: float | None = None) -> LimitError:
        return LimitError(self.message(key, file, found_text, result, found))


# -- the time limit -------------------------------------------------------------------------

_deadline: ContextVar[tuple[float, float, str, Limits] | None] = ContextVar("formkit_deadline", default=None)


@contextmanager
def time_limit(file: str, limits: Limits) -> Iterator[None]:
    """Run a reader under the time limit; a reader started inside another one
    (a PDF read as a scan) runs on the outer one's clock."""
    if _deadline.get() is not None:
        yield
        return
    start = time.monotonic()
    token = _deadline.set((start + limits.read_seconds, start, file, limits))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Raise LimitError when the reader running in this context is over its time."""
    current = _deadline.get()
    if current is None:
        return
    end, start, file, limits = current
    now = time.monotonic()
    if now > end:
        spent = now - start
        raise limits.error("read_seconds", file, f"读取用时 {_number(round(spent, 1))} 秒", "已停止读取", spent)


F = TypeVar("F", bound=Callable[..., Any])


def timed(default_label: str) -> Callable[[F], F]:
    """Decorate a reader ``fn(source, …, name=None)`` to run under the time limit,
    naming the file as the reader does (``name``, else a path, else ``default_label``)."""
    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def run(source: Any, *args: Any, **kwargs: Any) -> Any:
            from formkit.config import limits

            name = kwargs.get("name")
            label = name or (str(source) if isinstance(source, (str, os.PathLike)) else default_label)
            with time_limit(label, limits()):
                return fn(source, *args, **kwargs)
        return run  # type: ignore[return-value]
    return decorate


__all__ = ["KiB", "Limit", "Limits", "MiB", "check_time", "time_limit", "timed"]
