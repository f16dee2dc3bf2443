"""Generated forms kept as data: random values for every core form, drawn once
from tests/support/strategies.py and frozen in tests/data/generated_forms.yaml.

The scan benchmark and the scan tests read the same forms on every machine and
in every process: hypothesis's derandomized examples are not (they changed with
its version, and between one process and another that had drawn other values
before). Regenerate after a form's fields change:

    python -m tests.support.generated
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from tests.support.data import CORE

FILE = Path(__file__).resolve().parent.parent / "data" / "generated_forms.yaml"
PER_FORM = 6


@lru_cache(maxsize=1)
def _all() -> dict[str, list[dict[str, Any]]]:
    return yaml.safe_load(FILE.read_text(encoding="utf-8"))


def generated_forms(form: str, n: int = PER_FORM) -> list[dict[str, Any]]:
    """The first n frozen generated values of a core form."""
    forms = _all()[form]
    if n > len(forms):
        raise ValueError(f"{FILE.name} holds {len(forms)} generated {form} forms, not {n}: regenerate it")
    return forms[:n]


def main() -> None:
    from formkit.forms import get_form
    from tests.support.strategies import examples, form_data

    drawn = {form: examples(form_data(get_form(form).model), PER_FORM) for form in CORE}
    text = yaml.safe_dump(drawn, allow_unicode=True, sort_keys=False, width=1000)
    if yaml.safe_load(text) != drawn:
        raise SystemExit("the generated values do not survive YAML: not written")
    FILE.write_text("# drawn by python -m tests.support.generated (tests/support/strategies.py); do not edit\n"
                    + text, encoding="utf-8")
    print(f"{FILE}: {PER_FORM} forms of each of {', '.join(CORE)}")


if __name__ == "__main__":
    main()
