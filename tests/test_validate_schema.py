"""`shoptalk schema`: the committed JSON Schemas are current, agree with the loaders, accept every
shipped flow and intent file, and reject broken ones."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

jsonschema = pytest.importorskip("jsonschema")

from engine.flows import loader  # noqa: E402
from engine.flows.schema import all_schemas, flow_schema, intent_schema  # noqa: E402
from engine.flows.schema_cli import render  # noqa: E402
from engine.router.intent_data import parse_intent_file  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
FLOW_MODELINE = "# yaml-language-server: $schema=../schemas/flow.schema.json"
INTENT_MODELINE = "# yaml-language-server: $schema=../schemas/intent.schema.json"


class Yaml12Loader(yaml.SafeLoader):
    """YAML as editors read it (1.2 core schema): `yes`, `no`, `on` are text, only true/false are booleans."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                   list("tTfF"))


def _validator(name: str):
    schema = __import__("json").loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator, text: str) -> list[str]:
    return [e.message for e in validator.iter_errors(yaml.load(text, Loader=Yaml12Loader))]


def _hand_written_intents() -> list[Path]:
    return [p for p in sorted((ROOT / "intents").glob("*.yaml")) if "GENERATED" not in p.read_text()[:300]]


def test_committed_schemas_are_current():
    for name, schema in all_schemas().items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == render(schema), f"run `shoptalk schema` ({name})"


def test_schema_check_cli():
    cmd = [str(ROOT / ".venv/bin/shoptalk")] if (ROOT / ".venv/bin/shoptalk").exists() else \
        [sys.executable, "-m", "engine.cli"]
    r = subprocess.run([*cmd, "--project", str(ROOT), "schema", "--check"], capture_output=True, text=True,
                       timeout=60, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


def test_flow_schema_keys_are_the_loaders():
    s = flow_schema()
    assert set(s["properties"]) == loader.FLOW_KEYS
    assert set(s["$defs"]["slot"]["properties"]) == loader.SLOT_KEYS
    for kind, allowed in loader.STEP_KEYS.items():
        assert set(s["$defs"][f"{kind}_step"]["properties"]) == allowed | {kind, "id"}
    assert s["$defs"]["slot"]["properties"]["type"]["enum"] == list(loader.SLOT_TYPES)


def test_intent_schema_keys_are_the_intent_loaders(tmp_path):
    keys = set(intent_schema()["$defs"]["entry"]["properties"])
    every = tmp_path / "every.yaml"
    every.write_text("intent: cancel_order\ndescription: d\nexamples: [cancel it]\n")
    assert parse_intent_file(every)[1] == []
    assert keys == {"intent", "examples", "description"}
    extra = tmp_path / "extra.yaml"
    extra.write_text("intent: cancel_order\nexamples: [cancel it]\nnotes: x\n")
    assert any("unknown key 'notes'" in p.message for p in parse_intent_file(extra)[1])
    assert _errors(_validator("intent.schema.json"), extra.read_text())


@pytest.mark.parametrize("path", sorted((ROOT / "flows").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_flow_matches_the_schema(path):
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == FLOW_MODELINE
    assert _errors(_validator("flow.schema.json"), text) == []


@pytest.mark.parametrize("path", sorted((ROOT / "intents").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_intent_file_matches_the_schema(path):
    text = path.read_text(encoding="utf-8")
    if path in _hand_written_intents():
        assert text.splitlines()[0] == INTENT_MODELINE
    assert _errors(_validator("intent.schema.json"), text) == []


BROKEN_FLOWS = {
    "unknown flow key": "id: f\ndescription: d\nsteps: [end]\ncolour: red\n",
    "missing steps": "id: f\ndescription: d\n",
    "bad slot type": "id: f\ndescription: d\nslots:\n  s: {type: colour}\nsteps: [end]\n",
    "two step kinds": "id: f\ndescription: d\nsteps:\n  - {say: hi, end: bye}\n",
    "unknown step key": "id: f\ndescription: d\nsteps:\n  - {say: hi, wait: 3}\n",
    "unknown step word": "id: f\ndescription: d\nsteps: [stop]\n",
    "attempts not a number": "id: f\ndescription: d\nslots:\n  s: {type: text, max_attempts: many}\nsteps: [end]\n",
    "bad on_fail": "id: f\ndescription: d\nslots:\n  s: {type: text, on_fail: cry}\nsteps: [end]\n",
    "branch case without goto": "id: f\ndescription: d\nsteps:\n  - branch:\n      - if: x\n",
    "bad flow id": "id: my-flow\ndescription: d\nsteps: [end]\n",
}


@pytest.mark.parametrize("case", sorted(BROKEN_FLOWS))
def test_broken_flows_fail_the_schema(case):
    assert _errors(_validator("flow.schema.json"), BROKEN_FLOWS[case])


@pytest.mark.parametrize("text", [
    "intent: cancel_order\n",                                  # no examples
    "intent: cancel_order\nexamples: cancel it\n",             # examples not a list
    "- intent: not_a_label\n  examples: [x]\n",               # unknown router label
    "intent: cancel_order\nexamples: [[a, b]]\n",              # an example that is a list
])
def test_broken_intent_files_fail_the_schema(text):
    assert _errors(_validator("intent.schema.json"), text)


@pytest.mark.parametrize("case", ["unknown_key", "unknown_step_kind", "unknown_slot_type"])
def test_loader_fixtures_of_shape_mistakes_fail_the_schema(case):
    """Shape mistakes the loader reports are caught by the editor too."""
    (path,) = (ROOT / "tests/fixtures/flows_broken" / case / "flows").glob("*.yaml")
    assert _errors(_validator("flow.schema.json"), path.read_text(encoding="utf-8"))
