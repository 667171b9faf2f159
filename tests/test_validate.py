"""`shoptalk validate`: every cross-check reports at the exact file:line:col, in text and JSON.

The fixture project tests/fixtures/validate/project has one mistake of each kind (marked MISTAKE
in its files); loader mistakes of single flow files are in test_loader_errors.py.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.flows.validate_cli import collect_problems

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "tests/fixtures/validate/project"
SHOPTALK = ROOT / ".venv/bin/shoptalk"

# (code, severity, file, line, col, words in the message)
EXPECTED = [
    ("unknown_name", "error", "flows/cancel_order.yaml", 8, 30, "'shopper_name'"),          # slot prompt hole
    ("unknown_name", "error", "flows/cancel_order.yaml", 9, 26, "no slot 'order_ids'"),      # display.<slot>
    ("unused_slot", "warning", "flows/cancel_order.yaml", 18, 5, "'nickname' is collected but never used"),
    ("bad_arguments", "error", "flows/cancel_order.yaml", 21, 12, "should be str, but 'true' is a bool"),
    ("unknown_name", "error", "flows/cancel_order.yaml", 23, 37, "'nobody'"),                # message hole
    ("bad_arguments", "error", "flows/cancel_order.yaml", 26, 62, "has no argument 'because'"),
    ("flow_without_intent", "warning", "flows/return_items.yaml", 3, 10, "no intent starts flow 'return_items'"),
    ("foreign_slot", "warning", "flows/return_items.yaml", 5, 18, "reads 'nickname', a slot of cancel_order only"),
    ("intent_without_flow", "warning", "intents/order_status.yaml", 2, 9, "'order_status' starts no flow"),
    ("shared_example", "warning", "intents/order_status.yaml", 8, 5, "also an example of 'cancel_order'"),
    ("intent_without_flow", "warning", "intents/repair.yaml", 3, 11, "'checkout' starts no flow"),
    ("too_few_examples", "warning", "intents/repair.yaml", 3, 11, "'checkout' has only 2 example(s)"),
    ("bad_value", "error", "models/generator_settings.yaml", 2, 10, "'backend': 'embeded'"),
    ("unknown_key", "error", "models/router_settings.yaml", 2, 1, "unknown setting 'char_ngrams'"),
    ("bad_value", "error", "models/router_settings.yaml", 3, 4, "'C': 'strong'"),
]


# The loader's own mistakes not covered by tests/fixtures/flows_broken: code -> (flow file, line, col)
HEAD = "id: f\ndescription: d\nintents: [f]\n"
MORE = {
    "bad_type": (HEAD + "title: [a]\nsteps: [end]\n", 4, 1),
    "bad_value": (HEAD + "slots:\n  s:\n    type: text\n    on_fail: cry\n    prompts: [x]\nsteps:\n  - collect: s\n  - end: '{s}'\n", 7, 5),
    "bad_step": (HEAD + "steps:\n  - 5\n", 5, 5),
    "bad_branch": (HEAD + "steps:\n  - branch:\n      - if: true\n  - end\n", 6, 9),
    "bad_pattern": (HEAD + "slots:\n  s:\n    type: text\n    pattern: '('\n    prompts: [x]\nsteps:\n  - collect: s\n  - end: '{s}'\n", 7, 5),
    "missing_id": ("description: d\nintents: [f]\nsteps: [end]\n", 1, 1),
    "missing_description": ("id: f\nintents: [f]\nsteps: [end]\n", 1, 1),
    "missing_steps": (HEAD + "steps: []\n", 4, 1),
    "missing_choices": (HEAD + "slots:\n  s:\n    type: choice\n    prompts: [x]\nsteps:\n  - collect: s\n  - end: '{s}'\n", 5, 3),
    "missing_of": (HEAD + "slots:\n  s:\n    type: items\n    prompts: [x]\nsteps:\n  - collect: s\n  - end: '{s}'\n", 5, 3),
    "unknown_flow": (HEAD + "steps:\n  - call: nowhere\n", 5, 5),
    "recursive_call": (HEAD + "steps:\n  - say: hi\n  - call: f\n", 6, 5),
    "unused_slot": (HEAD + "slots:\n  s:\n    type: text\nsteps: [end]\n", 5, 3),
}


def _shoptalk(*args: str) -> subprocess.CompletedProcess:
    cmd = [str(SHOPTALK)] if SHOPTALK.exists() else [sys.executable, "-m", "engine.cli"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.fixture(scope="module")
def problems():
    return collect_problems(PROJECT)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: f"{e[0]}@{e[2]}:{e[3]}")
def test_reported_at_file_line_col(problems, expected):
    code, severity, file, line, col, words = expected
    hits = [p for p in problems if (p.code, p.file, p.line, p.col) == (code, file, line, col)]
    assert hits, "\n".join(map(str, problems))
    assert hits[0].severity == severity and words in hits[0].message


def test_nothing_else_is_reported(problems):
    """No duplicates and no false alarms: e.g. `affirm` (a repair intent) is not said to start no flow."""
    got = sorted((p.code, p.file, p.line, p.col) for p in problems)
    assert got == sorted(e[:1] + e[2:5] for e in EXPECTED), "\n".join(map(str, problems))


def test_shared_example_names_the_other_place(problems):
    shared = next(p for p in problems if p.code == "shared_example")
    assert "also at intents/cancel_order.yaml:7" in shared.hint


def test_text_output_and_exit_status():
    r = _shoptalk("--project", str(PROJECT), "validate")
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert len(lines) == len(EXPECTED)
    assert "flows/cancel_order.yaml:23:37: error: step 'say_5' refers to unknown name 'nobody'" in lines[4]
    assert lines == sorted(lines, key=lambda s: (s.split(":")[0], int(s.split(":")[1]), int(s.split(":")[2])))
    assert "8 error(s), 7 warning(s)" in r.stderr


def test_json_format_has_the_same_problems():
    r = _shoptalk("--project", str(PROJECT), "validate", "--format", "json")
    assert r.returncode == 1
    doc = json.loads(r.stdout)
    assert (doc["ok"], doc["errors"], doc["warnings"]) == (False, 8, 7)
    first = doc["problems"][0]
    assert set(first) == {"file", "line", "col", "severity", "code", "message", "hint"}
    got = sorted((p["code"], p["file"], p["line"], p["col"]) for p in doc["problems"])
    assert got == sorted(e[:1] + e[2:5] for e in EXPECTED)


def test_intent_file_errors_are_reported_with_location(tmp_path):
    project = tmp_path / "p"
    shutil.copytree(PROJECT, project)
    (project / "intents" / "bad.yaml").write_text("intent: cancel_order\nexamples:\n  - ok\n  - [a, b]\n")
    (project / "intents" / "typo.yaml").write_text("intent: cancel_ordr\nexamples: [x]\n")
    found = {(p.file, p.line, p.col, p.severity, p.code) for p in collect_problems(project)}
    assert ("intents/bad.yaml", 4, 5, "error", "invalid") in found
    assert ("intents/typo.yaml", 1, 9, "error", "invalid") in found


def test_warnings_alone_pass(tmp_path):
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "f.yaml").write_text(MORE["unused_slot"][0], encoding="utf-8")
    r = _shoptalk("--project", str(tmp_path), "validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == ["flows/f.yaml:5:3: warning: slot 's' is declared but never used"]


def test_shipped_project_validates_with_no_errors():
    problems = collect_problems(ROOT)
    assert [str(p) for p in problems if p.severity == "error"] == []
    r = _shoptalk("--project", str(ROOT), "validate", "--format", "json")
    doc = json.loads(r.stdout)
    assert r.returncode == 0 and doc["ok"] and doc["errors"] == 0
    # flows and settings are clean; the intents' few warnings are examples a generated data file
    # shares with a hand-written one (intent examples are edited separately, so not pinned here)
    assert [p for p in doc["problems"] if not p["file"].startswith("intents/")] == []


@pytest.mark.parametrize("code", sorted(MORE))
def test_more_loader_mistakes_at_file_line_col(tmp_path, code):
    text, line, col = MORE[code]
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "f.yaml").write_text(text, encoding="utf-8")
    problems = collect_problems(tmp_path)
    assert [(p.code, p.file, p.line, p.col) for p in problems] == [(code, "flows/f.yaml", line, col)], \
        "\n".join(map(str, problems))


def test_missing_flows_folder(tmp_path):
    (problem,) = collect_problems(tmp_path)
    assert (problem.code, problem.line, problem.col) == ("missing_folder", 1, 1) and problem.file.endswith("flows")


def test_every_problem_code_has_a_test():
    from engine.flows.problems import PROBLEM_CODES
    from test_loader_errors import CASES

    tested = {c for c, *_ in CASES.values()} | {e[0] for e in EXPECTED} | set(MORE) | {"missing_folder", "invalid"}
    assert tested == set(PROBLEM_CODES)


def test_example_positions_in_block_and_flow_lists():
    from engine.flows.crosscheck import index_intents
    from engine.router.intent_data import load_intents

    sites = index_intents(load_intents(PROJECT / "intents"), PROJECT)
    where = {text: (loc.file, loc.line, loc.col) for s in sites.values() for text, loc in s.examples}
    assert where["yeah"] == ("intents/repair.yaml", 2, 19)            # examples: [yes, yeah, ...]
    assert where["Where is my  package"] == ("intents/order_status.yaml", 8, 5)   # quoted: at the quote
    assert where["track my order"] == ("intents/order_status.yaml", 5, 5)
    assert (sites["affirm"].loc.line, sites["affirm"].loc.col) == (1, 11)
