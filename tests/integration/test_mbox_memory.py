"""An mbox of 1,000 messages imports in bounded memory, and a second run
imports nothing (bench/mbox.py measures the same thing for `python -m bench`)."""

from __future__ import annotations

from pathlib import Path

from bench.mbox import measure


def test_peak_rss_does_not_grow_with_the_mbox(tmp_path: Path) -> None:
    small = measure(100, tmp_path)
    large = measure(1000, tmp_path)
    # Peak RSS of the importing process: the same for 100 and for 1,000 messages
    # (what is left is the interpreter, SQLAlchemy, lxml and one message at a time).
    assert large["rss_mb"] < small["rss_mb"] * 1.15 + 5, (small, large)
    assert large["first_summary"].startswith("共 邮件 1000 封") and "已接受 100" in large["first_summary"]
    assert large["second_summary"] == "共 邮件 1000 封，1000 个文件：已接受 0，待审核 0，重复 1000，无法读取 0，跳过 0"
