"""One rule for tests that need something from outside the repository.

A test that needs an input it cannot provide itself -- the datasets in `../shared/data` beside the
clone, a Redis server, the `redis-server` binary, Chromium, Graphviz -- calls `require(present, what,
how)`. On a developer's machine a missing input skips the test with a reason that names it; under
the environment variable `CI` (set by `.ci/run`) it fails the test, so CI never passes by skipping.

`tests/test_ci_guards.py` scans every test file: a skip that does not go through `require` must
carry a reason from its allowed list, so a new silent skip fails the suite.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# `../shared/data` relative to the repository root (the datasets are not in the repository);
# `.ci/run` checks TAU_TASKS before running anything.
SHARED_DATA = ROOT.parent / "shared" / "data"
TAU_TASKS = SHARED_DATA / "tau_retail" / "tasks_train.json"

SKIP_PREFIX = "missing input: "


def in_ci() -> bool:
    """True when the environment variable CI is set to anything but empty, 0, false or no."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(present: bool, what: str, how: str) -> None:
    """Skip (locally) or fail (under CI) unless `present`; `how` tells how to provide `what`."""
    if present:
        return
    if in_ci():
        pytest.fail(f"CI is set but {what} is missing ({how})", pytrace=False)
    pytest.skip(f"{SKIP_PREFIX}{what} ({how}); under CI this fails")
