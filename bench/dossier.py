"""The project dossier at size: 30 accepted forms and 50 MB of scans.

    python bench/dossier.py [--forms 30] [--scans-mb 50] [--json]

A fresh store gets the sample project P2026-001, 30 accepted form submissions
(the catalog's forms that have sample data, in turn: a form sent twice is a
later version of it) and scanned originals (A4 pages at 300 dpi, JPEG, each
one different; one of them a 3-page PDF) adding up to ``--scans-mb``. The
dossier (Word, PDF with every scan appended, zip) is then built by a separate
process, as ``formkit dossier P2026-001 --pdf --zip`` would, which reports its
time and its own peak RSS (LibreOffice, a process of its own, never sees the
scans).

``run()`` returns {"dossier_30_forms_s", "dossier_peak_rss_mb"} for
``python -m bench``. ``--scans-mb 0`` and ``--scans-mb 100`` show that the
peak does not grow with the scans.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CODE = "P2026-001"
CHILD = """
import json, sys, time
from pathlib import Path
from formkit import project
start = time.perf_counter()
result = project.dossier(sys.argv[1], Path(sys.argv[2]), pdf=True, zip=True)
elapsed = time.perf_counter() - start
# VmHWM, not ru_maxrss: after fork and exec, ru_maxrss still counts the parent's pages
hwm = int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0])
print(json.dumps({"seconds": elapsed, "pages": result.pages, "pdf_pages": result.pdf_pages,
                  "forms": result.forms, "originals": result.originals, "appended": len(result.appended),
                  "peak_kb": hwm, "pdf_mb": result.pdf.stat().st_size / 2**20,
                  "zip_mb": result.zip.stat().st_size / 2**20}))
"""


def _scan_base(work: Path) -> Path:
    """One realistic scan: a rendered 验收单 as LibreOffice prints it, at 300 dpi."""
    from formkit import office
    from formkit.forms import get_form
    from formkit.render.render import render_form

    sys.path.insert(0, str(ROOT))
    from tests.support.data import sample

    docx = work / "验收单.docx"
    docx.write_bytes(render_form(get_form("acceptance"), sample("anfang", "acceptance")).content)
    [pdf] = office.convert([docx], "pdf", work)
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(work / "scan-base")], check=True)
    return work / "scan-base.png"


def _scans(work: Path, total_mb: float) -> list[Path]:
    """Distinct JPEG scans (paper grain, a slight tint) up to ``total_mb``; the
    last three are also bound into one PDF, as a scanner's multi-page file."""
    import img2pdf
    import numpy as np
    from PIL import Image

    out: list[Path] = []
    if total_mb <= 0:
        return out
    base = np.asarray(Image.open(_scan_base(work)).convert("RGB"), dtype=np.int16)
    rng = np.random.default_rng(2026)
    size = 0
    folder = work / "scans"
    folder.mkdir()
    while size < total_mb * 2**20:
        grain = rng.normal(0, 14, base.shape[:2])[..., None]
        page = np.clip(base + grain + rng.integers(-6, 6, 3), 0, 255).astype(np.uint8)
        path = folder / f"扫描件-{len(out) + 1:03d}.jpg"
        Image.fromarray(page).save(path, "JPEG", quality=85, dpi=(300, 300))
        size += path.stat().st_size
        out.append(path)
    if len(out) >= 4:
        bound = folder / "扫描件-合订本.pdf"
        bound.write_bytes(img2pdf.convert([str(p) for p in out[-3:]]))
        for p in out[-3:]:
            p.unlink()
        out = out[:-3] + [bound]
    return out


def _forms(work: Path, count: int) -> list[Path]:
    from formkit.forms import all_forms
    from formkit.render.render import render_form

    sys.path.insert(0, str(ROOT))
    from tests.support.data import SAMPLES, sample

    specs = [s for s in all_forms() if (SAMPLES / "anfang" / f"{s.id}.yaml").exists()]
    folder = work / "forms"
    folder.mkdir()
    out = []
    for i in range(count):
        spec = specs[i % len(specs)]
        path = folder / f"{i + 1:03d}-{spec.title}.docx"
        path.write_bytes(render_form(spec, sample("anfang", spec.id)).content)
        out.append(path)
    return out


def measure(forms: int = 30, scans_mb: float = 50) -> dict[str, Any]:
    from formkit import project

    with tempfile.TemporaryDirectory(prefix="bench-dossier-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "FORMKIT_HOME": str(work / "home")}
        env.pop("FORMKIT_DB", None)
        with project.using_home(work / "home"):
            project.project_from_file(ROOT / "samples" / "anfang" / "project.yaml")
            results = project.import_files(_forms(work, forms))
            accepted = sum(r.outcome == "accepted" for r in results)
            scans = _scans(work, scans_mb)
            project.import_files(scans, project=CODE)
        scan_mb = sum(p.stat().st_size for p in scans) / 2**20
        proc = subprocess.run([sys.executable, "-c", CHILD, CODE, str(work / "out" / f"项目档案-{CODE}.docx")],
                              env=env, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise RuntimeError(f"dossier failed: {proc.stderr[-2000:]}")
        child = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"accepted_forms": accepted, "scans": len(scans), "scans_mb": scan_mb, **child}


def run() -> dict[str, float]:
    """The figures ``python -m bench`` reports."""
    m = measure()
    return {"dossier_30_forms_s": m["seconds"], "dossier_peak_rss_mb": m["peak_kb"] / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=30)
    parser.add_argument("--scans-mb", type=float, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    m = measure(args.forms, args.scans_mb)
    if args.json:
        print(json.dumps(m, ensure_ascii=False, indent=2))
    else:
        print(f"{m['accepted_forms']} accepted forms ({m['forms']} in the dossier), {m['scans']} scans "
              f"({m['scans_mb']:.1f} MB): {m['seconds']:.1f} s, peak RSS {m['peak_kb'] / 1024:.0f} MB; "
              f"{m['pages']} pages, with the originals {m['pdf_pages']} "
              f"PDF pages ({m['pdf_mb']:.1f} MB), zip {m['zip_mb']:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
