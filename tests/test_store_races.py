"""Two worker processes write to one order at once: exactly one wins, the other gets the policy's answer,
and the exported store equals the seed plus the winners (bench/race_bench.py runs 200 such races)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from race_bench import KINDS, bench  # noqa: E402

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


def test_races_have_exactly_one_winner_and_lose_nothing(store_copy):
    result = bench(str(store_copy()), 12)
    assert result["races"] == 12 and {k: v["races"] for k, v in result["by_kind"].items()} == dict.fromkeys(KINDS, 4)
    assert result["races_correct"] == 12, result["failures"]
    assert result["payments_lost_or_duplicated"] == result["refunds_lost_or_duplicated"] == 0
