"""Canaries: plant a known bug in a copy of a flow and check that the suite catches it.

A suite that still passes with a confirmation removed before a store write, or with an answer
sent to another flow, is not testing the product. Each canary runs the shipped conversation
tests (`tests/conversations/`, through the trained router) against the planted copy and asserts
which test fails and why; the unplanted flows passing the same tests is
`test_designer_conversations.py::test_shipped_conversation_tests_pass`.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import without_confirm
from engine.flows.loader import load_flows
from engine.testing.cli import load_tests
from engine.testing.runner import Harness, run_test

ROOT = Path(__file__).resolve().parents[1]
ORDERS = ROOT / "tests" / "conversations" / "orders.yaml"


@pytest.fixture(scope="module")
def harness():
    return Harness(ROOT, "auto")


def _run(harness: Harness, flows, name: str):
    tests, problems = load_tests(ROOT, [str(ORDERS)])
    assert not problems
    (test,) = [t for t in tests if t.name == name]
    base = harness.base
    harness.base = base.replace(flows=flows)
    try:
        return run_test(harness, test)
    finally:
        harness.base = base


def test_canary_confirmation_removed_before_a_write(harness, tmp_path):
    flows = without_confirm(tmp_path, "cancel_order")   # the loader refuses it; loaded leniently here
    result = _run(harness, flows, "cancel a pending order")
    assert not result.ok
    text = result.render()
    assert "without your explicit confirmation" in text or "confirmation" in text, text


def test_canary_answer_sent_to_another_flow(harness, tmp_path):
    """The cancel reason becomes free text, so it is no longer read against its choices: "I don't
    need it anymore" then goes to the router, which reads a cancel. The conversation test must
    fail at that turn (the flow stops instead of confirming)."""
    d = tmp_path / "flows"
    shutil.copytree(ROOT / "flows", d)
    path = d / "cancel_order.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  cancel_reason:\n")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("    prompts:"))
    planted = lines[:start + 1] + ["    type: text\n"] + lines[end:]
    path.write_text("".join(planted), encoding="utf-8")
    result = _run(harness, load_flows(d, root=tmp_path), "cancel a pending order")
    assert not result.ok
    assert "I don't need it anymore" in result.render()
