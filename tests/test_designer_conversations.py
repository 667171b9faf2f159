"""The conversation test runner: shipped tests pass with coverage, repairs find the broken fixture flow."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.testing.cli import load_tests, run_all
from engine.testing.coverage import flow_coverage
from engine.flows.loader import load_flows

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "fixtures" / "designer" / "broken_correction"


@pytest.fixture(scope="module")
def shipped():
    tests, problems = load_tests(ROOT, [])
    assert not problems
    results, _ = run_all(ROOT, tests, jobs=2)
    return results


def test_shipped_conversation_tests_pass(shipped):
    assert [r.render() for r in shipped if not r.ok] == []


def test_every_flow_is_tested_with_coverage(shipped):
    cov = {c.flow: c for c in flow_coverage(load_flows(ROOT / "flows", root=ROOT), shipped)}
    assert all(c.tested for c in cov.values())
    # pattern_too_many_attempts' give_up needs a slot with on_fail: end; no shipped flow has one
    low = {f: c.step_pct for f, c in cov.items() if c.step_pct < 90 and f != "pattern_too_many_attempts"}
    assert low == {}


def test_failure_diff_names_turn_and_reply(tmp_path):
    (tmp_path / "t.yaml").write_text("- name: wrong\n  turns:\n    - user: hello\n      text_contains: nope\n"
                                     "      route: checkout\n")
    tests, _ = load_tests(ROOT, [str(tmp_path / "t.yaml")])
    (res,), _ = run_all(ROOT, tests, jobs=1)
    text = res.render()
    assert not res.ok and "turn 1 (user: 'hello')" in text and "'nope'" in text and "route is 'greet'" in text


def test_repairs_find_the_broken_correction():
    tests, problems = load_tests(BROKEN, [str(BROKEN / "tests")])
    assert not problems
    results, variants = run_all(BROKEN, tests, jobs=1, repairs=True)
    assert all(r.ok for r in results)
    bad = [v for v in variants if not v.ok]
    assert [v.kind for v in bad] == ["correction"]
    assert "#W8488728" in bad[0].render() and "return requested" in bad[0].render()
    assert sum(v.ok for v in variants if v.kind != "correction") >= 10
