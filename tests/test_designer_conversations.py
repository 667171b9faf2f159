"""The conversation test runner: shipped tests pass with coverage, repairs find the broken fixture flow."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

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
    assert {f: c.step_pct for f, c in cov.items() if c.step_pct < 90} == {}
    # give_up is reached through order_status' order_id (on_fail: end)
    assert "give_up" in cov["pattern_too_many_attempts"].visited


def test_steps_are_logged_as_typed_events(engine):
    from engine.dialogue.state import step_events

    conv = engine().new_conversation()
    turn = conv.send("/order_status")
    steps = step_events(turn.events)
    assert steps and all({"type", "turn", "flow", "step", "kind"} <= set(e) for e in steps)
    assert (steps[0]["flow"], steps[0]["step"], steps[0]["kind"]) == ("order_status", "call_1", "call")
    first_branch = next(e for e in steps if e["kind"] == "branch")
    assert (first_branch["flow"], first_branch["outcome"]) == ("authenticate", "next")  # nobody signed in yet
    assert steps[-1]["kind"] == "collect"


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """One `shoptalk test --repairs --junit --min-coverage 90` run of the shipped tests."""
    junit = tmp_path_factory.mktemp("junit") / "out.xml"
    cmd = [str(ROOT / ".venv/bin/shoptalk")] if (ROOT / ".venv/bin/shoptalk").exists() else \
        [sys.executable, "-m", "engine.cli"]
    proc = subprocess.run([*cmd, "--project", str(ROOT), "test", "-j", "2", "--repairs", "--junit", str(junit),
                           "--min-coverage", "90"], capture_output=True, text=True, timeout=600, cwd=ROOT)
    return proc, junit


def test_repairs_pass_on_shipped_flows(cli_run):
    proc, _ = cli_run
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    m = re.search(r"repairs: (\d+) variants generated, (\d+) passed \((.*)\)", proc.stdout)
    assert m and int(m[1]) == int(m[2]) >= 250, proc.stdout[-2000:]
    assert "correction: " in m[3]


def test_coverage_table_and_junit_properties(cli_run):
    proc, junit = cli_run
    assert re.search(r"^flow\s+steps\s+step %\s+branches", proc.stdout, re.M)
    assert re.search(r"^pattern_too_many_attempts\s+5/5\s+100%", proc.stdout, re.M)
    assert "total step coverage: " in proc.stdout
    root = ET.parse(junit).getroot()
    props = {p.get("name"): float(p.get("value")) for p in root.iter("property")}
    flows = {p.stem for p in (ROOT / "flows").glob("*.yaml")}
    assert {f"coverage.{f}.steps" for f in flows} <= set(props)
    assert all(v >= 90 for k, v in props.items() if k.endswith(".steps"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["repairs"].get("failures") == "0" and int(suites["repairs"].get("tests")) >= 250


def test_exchange_correction_to_a_one_item_order_picks_its_item():
    """Regression: correcting the order id replays the item question, where the opening message
    ("exchange my boots") picks the boots of the corrected order instead of asking again."""
    from engine.testing.runner import Harness

    h = Harness(ROOT, "auto")
    msgs = ["I'd like to exchange my boots", "email", "liam.thomas9081@example.com",
            '/inform{"order_id": "#W6397299"}', '/inform{"order_id": "#W8488728"}']
    turns, _, _, _ = h.converse({}, msgs)
    assert turns[3].expecting.slot == "exchange_item_ids"   # the wrong order has no boots
    assert turns[4].expecting.slot == "new_item_ids" and "Hiking Boots" in turns[4].text
    assert turns[4].slots["exchange_item_ids"] == ["5676696062"]


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
    # a designer fixture with its own flows: the keyword lane (its flows have no trained router)
    results, variants = run_all(BROKEN, tests, jobs=1, repairs=True, router="rules")
    assert all(r.ok for r in results)
    bad = [v for v in variants if not v.ok]
    assert [v.kind for v in bad] == ["correction"]
    assert "#W8488728" in bad[0].render() and "return requested" in bad[0].render()
    assert sum(v.ok for v in variants if v.kind != "correction") >= 10


def test_repairs_cli_reports_the_broken_correction():
    cmd = [str(ROOT / ".venv/bin/shoptalk")] if (ROOT / ".venv/bin/shoptalk").exists() else \
        [sys.executable, "-m", "engine.cli"]
    proc = subprocess.run([*cmd, "--project", str(BROKEN), "test", "-j", "1", "--router", "rules", "--repairs",
                           str(BROKEN / "tests")],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert re.search(r"^FAIL tests/return\.yaml:1 return a delivered order \[correction at turn 5, slot order_id: "
                     r"#W\d+ -> #W8488728\]$", proc.stdout, re.M), proc.stdout[-2000:]
    m = re.search(r"repairs: (\d+) variants generated, (\d+) passed \(.*correction: 0/1", proc.stdout)
    assert m and int(m[1]) == int(m[2]) + 1, proc.stdout[-1000:]
