"""Mail intake in bounded memory: `formkit import BOX.mbox` on generated mboxes
of 100 and 1,000 messages, each run in a fresh store in a child process whose
peak RSS is measured. Peak RSS must not grow with the mbox size (messages
are read one at a time and only counters are kept); a second run imports
nothing.

    python -m bench.mbox          # prints the figures
    bench_mbox() -> {"mbox_messages_per_s": ..., "mbox_peak_rss_mb_100": ..., "mbox_peak_rss_mb_1000": ...}
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORM_EVERY = 10  # one message in ten carries a filled form; the others a small PDF, a logo, or nothing


def write_mbox(path: Path, count: int) -> Path:
    """An mbox of ``count`` realistic messages (Chinese subjects, GBK and UTF-8
    headers, forms, other attachments, replies), written one at a time."""
    from tests.support.mail import DOCX, PNG_1PX, attachment, filled_form, message

    form = filled_form("acceptance")
    with path.open("wb") as out:
        for n in range(count):
            parts = []
            if n % FORM_EVERY == 0:
                parts.append(attachment(f"验收单-{n}.docx", _vary(form, n), DOCX))
            elif n % 3 == 0:
                parts.append(attachment(f"报价-{n}.pdf", b"%PDF-1.4\n" + os.urandom(30_000), "application/pdf"))
            if n % 2:
                parts.append(attachment("logo.png", PNG_1PX, "image/png", disposition="inline", content_id=f"l{n}"))
            subject = f"【P2026-001】第 {n} 封：项目验收资料" if n % 4 else f"Re: 回复：P2026-001 第 {n} 封"
            raw = message(subject, parts, message_id=f"<bench-{n}@example.com>", boundary=f"==b{n}==")
            out.write(f"From bench@example.com Sat Aug 29 09:30:{n % 60:02d} 2026\n".encode())
            for line in raw.replace(b"\r\n", b"\n").splitlines(keepends=True):
                out.write(b">" + line if line.startswith(b"From ") else line)
            out.write(b"\n")
    return path


def _vary(docx: bytes, n: int) -> bytes:
    """The same form as a different file (one extra zip member), so each is imported."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(docx))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("customXml/bench.txt", str(n))
    return buf.getvalue()


def measure(count: int, workdir: Path) -> dict[str, float]:
    """Import an mbox of ``count`` messages twice in a fresh store (each run in a
    fresh measuring process, so RUSAGE_CHILDREN is that run's peak)."""
    box = write_mbox(workdir / f"inbox-{count}.mbox", count)
    home = workdir / f"home-{count}"
    env = {**os.environ, "FORMKIT_HOME": str(home)}
    env.pop("FORMKIT_DB", None)
    subprocess.run([sys.executable, "-m", "formkit", "project", "new", "--from", str(ROOT / "samples/anfang/project.yaml")],
                   env=env, check=True, capture_output=True)
    probe = [sys.executable, "-c", _PROBE, sys.executable, str(box)]
    first = json.loads(subprocess.run(probe, env=env, check=True, capture_output=True, text=True).stdout)
    second = json.loads(subprocess.run(probe, env=env, check=True, capture_output=True, text=True).stdout)
    return {"seconds": first["seconds"], "rss_mb": first["rss_mb"], "second_seconds": second["seconds"],
            "first_summary": first["summary"], "second_summary": second["summary"]}


# Runs `formkit import BOX` as its only child and reports that child's time and peak RSS.
_PROBE = r"""
import json, re, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run([sys.argv[1], "-m", "formkit", "import", sys.argv[2]], capture_output=True, text=True)
elapsed = time.perf_counter() - start
if proc.returncode:
    sys.exit(proc.stderr[-2000:])
line = [l for l in proc.stdout.splitlines() if l.startswith("共 ")][-1]
print(json.dumps({"seconds": elapsed, "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "summary": line}, ensure_ascii=False))
"""


def bench_mbox(sizes: tuple[int, int] = (100, 1000)) -> dict[str, float]:
    small, large = sizes
    with tempfile.TemporaryDirectory(prefix="formkit-bench-mbox-") as tmp:
        work = Path(tmp)
        a = measure(small, work)
        b = measure(large, work)
    return {"mbox_messages_per_s": round(large / b["seconds"], 1),
            f"mbox_peak_rss_mb_{small}": round(a["rss_mb"], 1),
            f"mbox_peak_rss_mb_{large}": round(b["rss_mb"], 1),
            f"mbox_second_run_s_{large}": round(b["second_seconds"], 2)}


def details(sizes: tuple[int, int] = (100, 1000)) -> dict[str, dict[str, object]]:
    with tempfile.TemporaryDirectory(prefix="formkit-bench-mbox-") as tmp:
        return {str(n): measure(n, Path(tmp)) for n in sizes}


if __name__ == "__main__":
    print(json.dumps(bench_mbox(), ensure_ascii=False, indent=2))
