"""The dossier archive: a .zip with the dossier and every original, in Chinese folders.

    P2026-001-滨江科技园区安防监控系统工程-项目档案/
        项目档案-P2026-001.docx (.pdf)
        原件清单.csv                    every original: number, name, type, checksum, …
        原件校验值-SHA256.txt            ``sha256sum -c`` reads it
        原件/01-项目立项/003-立项申请表-已填.docx
        原件/11-项目验收/027-验收单扫描件（待审核）.jpg
        原件/未归入阶段/…               files that are not a known form

Names are stored in UTF-8 with the zip's UTF-8 flag (what Windows' Explorer,
macOS and 7-Zip read correctly). Originals are copied in chunks straight from
the store, so the archive of 50 MB of scans never holds them in memory, and
each is hashed as it is copied: the archive holds exactly what arrived.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

from formkit.dossier import text as T
from formkit.dossier.content import DossierContent, OriginalEntry
from formkit.errors import FormkitError

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
CHUNK = 1 << 20


class ArchiveError(FormkitError, RuntimeError):
    """The archive cannot be written, or an original changed while it was copied."""


def safe_name(name: str, limit: int = 100) -> str:
    """A file or folder name any system accepts: no separators, no reserved characters."""
    name = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    if not name:
        return "未命名"
    if len(name) > limit:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: limit - len(suffix) - 1] + "." + suffix) if dot and len(suffix) <= 10 else name[:limit]
    return name


def root_folder(content: DossierContent) -> str:
    scope = f"-{content.stage_filter}阶段" if content.stage_filter else ""
    return safe_name(f"{content.code}-{content.name}-项目档案{scope}")


def original_path(content: DossierContent, entry: OriginalEntry) -> str:
    stages = [s.name for s in content.stages]
    folder = (f"{stages.index(entry.stage) + 1:02d}-{entry.stage}" if entry.stage in stages else "未归入阶段")
    name = safe_name(entry.filename)
    if entry.status_label != "已接受" or not entry.intact:
        mark = entry.status_label if entry.intact else "校验不符"
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem}（{mark}）.{suffix}" if dot else f"{name}（{mark}）"
    return f"原件/{safe_name(folder)}/{entry.number:03d}-{name}"


def write_zip(target: Path, content: DossierContent, dossier_files: list[Path]) -> list[str]:
    """Write the archive; returns the names it holds."""
    root = root_folder(content)
    stamp = content.generated.astimezone(T.BEIJING).timetuple()[:6]
    names: list[str] = []
    partial = target.with_name(f".{target.name}.part")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            for path in dossier_files:
                name = f"{root}/{safe_name(path.name)}"
                _copy(zf, path, name, stamp, compress=True)
                names.append(name)
            sums: list[str] = []
            rows: list[list[str]] = []
            for entry in content.originals:
                inner = original_path(content, entry)
                if entry.kind == "missing":
                    rows.append(_csv_row(entry, "（原件缺失，未收录）"))
                    continue
                digest = _copy(zf, entry.path, f"{root}/{inner}", stamp, compress=False)
                if entry.intact and digest != entry.sha256:
                    raise ArchiveError(f"原件 {entry.filename} 在打包时发生变化（校验值不符），请重新生成")
                names.append(f"{root}/{inner}")
                sums.append(f"{entry.sha256}  {inner}")
                rows.append(_csv_row(entry, inner))
            listing = io.StringIO()
            writer = csv.writer(listing)
            writer.writerow(["序号", "文件名", "类型", "大小（字节）", "SHA-256", "收到时间", "来源",
                             "提交", "表单", "阶段", "状态", "校验", "在压缩包中的位置"])
            writer.writerows(rows)
            for name, text in ((f"{root}/原件清单.csv", "\ufeff" + listing.getvalue()),
                               (f"{root}/原件校验值-SHA256.txt", "\n".join(sums) + "\n")):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, text.encode("utf-8"))
                names.append(name)
        partial.replace(target)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise ArchiveError(f"无法写出项目档案压缩包 {target}：{e.strerror or e}") from e
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return names


def _csv_row(entry: OriginalEntry, where: str) -> list[str]:
    return [str(entry.number), entry.filename, entry.kind_label, str(entry.size), entry.sha256, entry.received,
            entry.source, f"#{entry.submission}" if entry.submission else "", entry.form_title, entry.stage or "",
            entry.status_label, "一致" if entry.intact else "不符", where]


def _copy(zf: zipfile.ZipFile, source: Path, name: str, stamp: tuple[int, ...], *, compress: bool) -> str:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.file_size = source.stat().st_size
    digest = hashlib.sha256()
    with source.open("rb") as src, zf.open(info, "w") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()
