"""Each kind of YAML mistake is reported with its code at the right file:line (fixtures in
tests/fixtures/flows_broken/<case>/flows/), and `shoptalk validate` prints and exits non-zero."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.flows.loader import load_flows
from engine.flows.problems import FlowLoadError

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests/fixtures/flows_broken"
SHOPTALK = ROOT / ".venv/bin/shoptalk"

# case folder -> (problem code, file, line) the loader must report
CASES = {
    "yaml_syntax": ("yaml_syntax", "flows/bad.yaml", 4),
    "unknown_step_kind": ("unknown_step_kind", "flows/f.yaml", 11),
    "unknown_key": ("unknown_key", "flows/f.yaml", 7),
    "unknown_slot": ("unknown_slot", "flows/f.yaml", 11),
    "unknown_name": ("unknown_name", "flows/f.yaml", 11),
    "bad_expression": ("bad_expression", "flows/f.yaml", 12),
    "unknown_step": ("unknown_step", "flows/f.yaml", 11),
    "unreachable": ("unreachable", "flows/f.yaml", 12),
    "write_without_confirm": ("write_without_confirm", "flows/f.yaml", 11),
    "missing_prompt": ("missing_prompt", "flows/f.yaml", 5),
    "duplicate_flow_id": ("duplicate_id", "flows/b.yaml", 1),
    "duplicate_step_id": ("duplicate_id", "flows/f.yaml", 9),
    "unknown_action": ("unknown_action", "flows/f.yaml", 11),
    "bad_arguments": ("bad_arguments", "flows/f.yaml", 11),
    "unknown_check": ("unknown_check", "flows/f.yaml", 5),
    "unknown_slot_type": ("unknown_slot_type", "flows/f.yaml", 6),
    "encoding": ("encoding", "flows/latin1.yaml", 1),
}


def test_every_fixture_has_a_case():
    assert {d.name for d in BROKEN.iterdir() if d.is_dir()} == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_mistake_reported_at_file_line(case):
    code, file, line = CASES[case]
    project = BROKEN / case
    with pytest.raises(FlowLoadError) as info:
        load_flows(project / "flows", root=project)
    errors = [p for p in info.value.problems if p.severity == "error"]
    hits = [p for p in errors if p.code == code]
    assert hits, [str(p) for p in errors]
    assert any(p.file == file and p.line == line for p in hits), [str(p) for p in hits]
    assert all(p.col >= 1 for p in hits)
    assert f"{file}:{line}:" in str(info.value)


def test_all_problems_reported_at_once(tmp_path):
    """Several broken files in one folder: every problem is reported, not only the first."""
    flows = tmp_path / "flows"
    flows.mkdir()
    for case in ("unknown_step_kind", "unknown_check", "unreachable"):
        src = next((BROKEN / case / "flows").iterdir())
        text = src.read_text(encoding="utf-8").replace("id: f\n", f"id: {case}\n", 1).replace("[f]", f"[{case}]")
        (flows / f"{case}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(FlowLoadError) as info:
        load_flows(flows, root=tmp_path)
    codes = {p.code for p in info.value.problems}
    assert {"unknown_step_kind", "unknown_check", "unreachable"} <= codes


def _validate(project: Path) -> subprocess.CompletedProcess:
    cmd = [str(SHOPTALK)] if SHOPTALK.exists() else [sys.executable, "-m", "engine.cli"]
    # --project is a global option of the shoptalk CLI (`shoptalk validate --project` is rejected)
    return subprocess.run([*cmd, "--project", str(project), "validate"], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)


def test_validate_cli_broken_project_fails_with_locations(tmp_path):
    project = tmp_path / "proj"
    (project / "flows").mkdir(parents=True)
    for case in ("unknown_key", "yaml_syntax"):
        for src in (BROKEN / case / "flows").iterdir():
            (project / "flows" / f"{case}_{src.name}").write_bytes(src.read_bytes())
    r = _validate(project)
    assert r.returncode != 0, r.stdout + r.stderr
    lines = re.findall(r"^(\S+):(\d+):(\d+): error: .+$", r.stdout, re.M)
    assert ("flows/unknown_key_f.yaml", "7") in [(f, ln) for f, ln, _ in lines], r.stdout
    assert ("flows/yaml_syntax_bad.yaml", "4") in [(f, ln) for f, ln, _ in lines], r.stdout


def test_validate_cli_real_project_passes():
    r = _validate(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert ": error:" not in r.stdout
