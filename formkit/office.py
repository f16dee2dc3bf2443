"""LibreOffice, headless: find it and convert documents in batches.

One soffice process converts a whole list of files (starting it is the slow
part: ~1.5 s with a fresh profile, then ~0.3 s per document). Each call gets a
private, fresh profile, so calls never share state or lock one another out.
Only LibreOffice 24 or newer is used: older ones (Debian 12's 7.4) destroy
content controls on a round trip.
"""

from __future__ import annotations

import functools
import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from formkit.errors import OfficeError

MIN_MAJOR = 24
INSTALL = "请运行 bash .ci/install-system 安装 LibreOffice 25.2（bookworm-backports）"
FILTERS = {"pdf": "pdf", "docx": "docx:MS Word 2007 XML", "doc": "doc:MS Word 97", "odt": "odt:writer8",
           "rtf": "rtf:Rich Text Format"}
# Content controls as AcroForm fields (each field's tooltip is the control's alias).
PDF_WITH_FIELDS = 'pdf:writer_pdf_Export:{"ExportFormFields":{"type":"boolean","value":"true"}}'


def _candidates() -> list[str]:
    found = [shutil.which("soffice"), "/usr/bin/soffice",
             *sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True)]
    unique: dict[str, str] = {}  # real path -> first name it was found under
    for path in found:
        if path and os.access(path, os.X_OK):
            unique.setdefault(os.path.realpath(path), path)
    return list(unique.values())


@functools.lru_cache(maxsize=None)
def _version(path: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60,
                             stdin=subprocess.DEVNULL).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"LibreOffice\s+(\d+)\.(\d+)", out)
    return (int(match[1]), int(match[2])) if match else None


def find_soffice() -> str:
    """The first soffice of LibreOffice 24 or newer (PATH, /usr/bin, /opt/libreoffice*)."""
    candidates = _candidates()
    if not candidates:
        raise OfficeError(f"找不到 LibreOffice（soffice），无法转换文档：{INSTALL}")
    versions = [(path, _version(path)) for path in candidates]
    for path, version in versions:
        if version is not None and version[0] >= MIN_MAJOR:
            return path
    seen = "，".join(f"{p} 为 {v[0]}.{v[1]}" if v else f"{p} 版本未知" for p, v in versions)
    raise OfficeError(f"LibreOffice 版本过旧（{seen}），需要 {MIN_MAJOR} 或更新：{INSTALL}")


def convert(paths: list[Path], to: str, outdir: Path, *, timeout: float = 180,
            form_fields: bool = False, strict: bool = True) -> list[Path]:
    """Convert every file in one soffice call; return the outputs in input order.

    ``to`` is one of FILTERS ("pdf", "docx", "doc" …); outputs are ``outdir/<stem>.<to>``. An
    output may not replace one of the inputs (docx -> docx into the input's
    folder). ``form_fields`` exports a PDF's content controls as form fields.
    ``strict=False``: a file LibreOffice could not convert (damaged) has no
    output (its target path does not exist) instead of failing the batch.
    """
    if to not in FILTERS:
        raise ValueError(f"unsupported target {to!r}; use one of {sorted(FILTERS)}")
    sources = [Path(p).resolve() for p in paths]
    if not sources:
        return []
    outdir = Path(outdir).resolve()
    targets = [outdir / f"{src.stem}.{to}" for src in sources]
    if len(set(targets)) != len(targets):
        raise ValueError("two inputs have the same name: their outputs would overwrite each other")
    if set(targets) & set(sources):
        raise ValueError("an output would overwrite its input: choose another outdir")
    missing = [src for src in sources if not src.is_file()]
    if missing:
        raise OfficeError(f"要转换的文件不存在：{missing[0]}")
    soffice = find_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="formkit-office-") as tmp:
        profile, staging = Path(tmp) / "profile", Path(tmp) / "out"
        staging.mkdir()
        _run([soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
              "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
              "--convert-to", PDF_WITH_FIELDS if form_fields and to == "pdf" else FILTERS[to], "--outdir", str(staging), *map(str, sources)], timeout)
        failed = [src.name for src in sources if not (staging / f"{src.stem}.{to}").is_file()]
        if failed and strict:
            raise OfficeError(f"LibreOffice 未能把 {'、'.join(failed)} 转换为 {to.upper()}"
                              f"（文件损坏，或 LibreOffice 安装不完整：{INSTALL}）")
        for src, target in zip(sources, targets):
            if (staging / f"{src.stem}.{to}").is_file():
                shutil.move(staging / f"{src.stem}.{to}", target)
    return targets


def _run(cmd: list[str], timeout: float) -> None:
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        raise OfficeError(f"无法启动 LibreOffice（{e.strerror}）：{INSTALL}") from e
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise OfficeError(f"LibreOffice 转换超时（{timeout:g} 秒），已终止；如反复出现，{INSTALL}") from None
    except BaseException:
        _kill(proc)
        raise
    if proc.returncode != 0:
        last = next((ln for ln in reversed(err.decode(errors="replace").splitlines()) if ln.strip()), "")
        raise OfficeError(f"LibreOffice 转换失败（退出码 {proc.returncode}{'：' + last.strip() if last else ''}）；{INSTALL}")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop soffice and the soffice.bin it started (its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()


__all__ = ["FILTERS", "convert", "find_soffice"]
