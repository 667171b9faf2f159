"""`shoptalk validate` checks the knowledge files: policy.md's structure and faq.yaml's entries, at file:line."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from engine.flows.validate_cli import collect_problems
from engine.knowledge import policy_passages
from engine.knowledge.policy_file import read_policy

ROOT = Path(__file__).resolve().parents[1]


def _project(tmp_path: Path, policy: str | None = None, faq: str | None = None) -> Path:
    shutil.copytree(ROOT / "flows", tmp_path / "flows")
    (tmp_path / "knowledge").mkdir()
    if policy is not None:
        (tmp_path / "knowledge" / "policy.md").write_text(policy, encoding="utf-8")
    if faq is not None:
        (tmp_path / "knowledge" / "faq.yaml").write_text(faq, encoding="utf-8")
    return tmp_path


def _knowledge(problems):
    return [(p.file, p.line, p.severity, p.message) for p in problems if p.file.startswith("knowledge/")]


def test_the_shipped_knowledge_files_are_valid():
    assert _knowledge(collect_problems(ROOT)) == []


def test_internal_rules_are_never_passages():
    doc = read_policy(ROOT / "knowledge" / "policy.md")
    internal = doc.internal_rules()
    assert any("tool call" in r for r in internal) and any("make up" in r for r in internal)
    texts = " ".join(p.text for p in policy_passages(ROOT / "knowledge" / "policy.md"))
    assert "tool call" not in texts and "make up" not in texts and "the user" not in texts
    assert all(r not in texts for r in internal)


POLICY = """# Store policy
## Returns
- You can return items from a delivered order.
Refunds are fast.
- You can return items from a delivered order.
- Returns take {days} days
- Refunds are immediate. Exchanges too.
- You should not make up any information.
## Empty section
## Internal: assistant only
- You should at most make one tool call at a time!!!
"""


def test_policy_structure_errors_name_the_line(tmp_path):
    problems = _knowledge(collect_problems(_project(tmp_path, policy=POLICY)))
    by_line = {}
    for f, line, sev, msg in problems:
        assert f == "knowledge/policy.md"
        by_line.setdefault(line, []).append((sev, msg))
    assert ("error", "text outside a bullet") in by_line[4]
    assert ("error", "the same fact as line 3") in by_line[5]
    assert {m for _, m in by_line[6]} >= {"a bullet must end with '.'", "a template hole or placeholder in a bullet"}
    assert ("error", "more than one sentence in a bullet") in by_line[7]
    assert by_line[8] == [("warning", "'You should' addresses the assistant, not the shopper")]
    assert ("error", "section 'Empty section' has no bullet") in by_line[9]
    assert 11 not in by_line  # the internal section is not held to the shopper format


FAQ = """faq:
  - q: How long does a refund take?
    a: Refunds to a gift card are immediate.
  - q: how long does a refund take
    a: Five days.
  - q: Do you ship abroad?
  - a: We ship in {country}.
  - q: Colours?
    a: ""
    tags: [x]
"""


def test_faq_errors_name_the_line(tmp_path):
    problems = _knowledge(collect_problems(_project(tmp_path, faq=FAQ)))
    got = {(line, msg) for f, line, _, msg in problems}
    assert (4, "the same question as line 2") in got
    assert (6, "an FAQ entry without its answer (a)") in got
    assert (7, "an FAQ entry without its question (q)") in got
    assert (7, "a template hole or placeholder '{country}' in the answer") in got
    assert (9, "an FAQ entry without its answer (a)") in got
    assert (10, "unknown key 'tags' in an FAQ entry") in got
    assert all(f == "knowledge/faq.yaml" for f, *_ in problems)


def test_faq_yaml_syntax_error_has_its_line(tmp_path):
    problems = _knowledge(collect_problems(_project(tmp_path, faq="faq:\n  - q: a\n    a: [unclosed\n")))
    assert len(problems) == 1 and problems[0][0] == "knowledge/faq.yaml" and problems[0][1] >= 3


def test_validate_command_fails_on_a_knowledge_error(tmp_path):
    project = _project(tmp_path, faq="faq:\n  - q: Hello?\n    a: TODO\n")
    run = subprocess.run([sys.executable, "-m", "engine.cli", "validate", "--project", str(project)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1, run.stderr
    assert "knowledge/faq.yaml:3:8: error: a template hole or placeholder 'TODO' in the answer" in run.stdout
