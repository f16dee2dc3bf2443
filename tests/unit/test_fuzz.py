"""Each parser's fuzzing harness, for a bounded time (bench/fuzz.py runs them longer)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.support.fuzz import HARNESSES

EXAMPLES = {"docx": 40, "pdf": 25, "mail": 60, "fields": 300}


@pytest.mark.parametrize("name", sorted(HARNESSES))
def test_fuzz_harness_finds_nothing(name: str) -> None:
    harness, strategy = HARNESSES[name]

    @settings(max_examples=EXAMPLES[name], deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(data: object) -> None:
        harness(data)

    run()
