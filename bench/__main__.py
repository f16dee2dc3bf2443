"""formkit benchmarks: every figure against its baseline, in the same run.

    python -m bench            # the full run (a few minutes)
    python -m bench --quick    # small sizes, for a smoke test
    python -m bench --json     # machine-readable figures

Ratios are formkit's time divided by the baseline's (lower is better),
medians over repeated runs, on generated realistic data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import core  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    args = parser.parse_args(argv)
    figures, rows = core.run_all(quick=args.quick)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        core.print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
