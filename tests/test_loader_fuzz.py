"""Fuzz the flow loader: random YAML and mutated real flows give documented problems with a
location (file:line:col), never a traceback. Bounded (a few hundred examples) to stay fast."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine.flows.keys import FLOW_FIELDS, SLOT_FIELDS, STEP_FIELDS
from engine.flows.loader import load_flows
from engine.flows.model import SLOT_TYPES
from engine.flows.problems import PROBLEM_CODES, FlowLoadError

ROOT = Path(__file__).resolve().parents[1]
REAL = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "flows").glob("*.yaml"))}
WORDS = sorted({*FLOW_FIELDS, *SLOT_FIELDS, *(k for f in STEP_FIELDS.values() for k in f), "if", "goto", "else",
                "order_id", "title", "payload", "value", "synonyms", "x"})
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True),
                    st.sampled_from(WORDS), st.text(max_size=12),
                    st.sampled_from(["{", "}", "{x", "{{", "{a.b}", "a ==", "len(", "__x", "#W1", "1e9", "- x"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), inner,
                                                 max_size=4)), max_leaves=20)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """One project folder whose flows/f.yaml every example overwrites (a folder per example is slow)."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "flows").mkdir()
    return root


def _load(project: Path, text: str | bytes) -> None:
    """Load one flow file; anything but a FlowSet or a located FlowLoadError fails the test."""
    (project / "flows" / "f.yaml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    try:
        load_flows(project / "flows", root=project)
    except FlowLoadError as exc:
        assert exc.problems
        decoded = text if isinstance(text, str) else text.decode("utf-8", "replace")
        lines = len(re.findall(r"\r\n|[\n\r\x85\u2028\u2029]", decoded)) + 1  # YAML's line breaks
        for p in exc.problems:
            assert p.file == "flows/f.yaml" and 1 <= p.line <= lines + 1 and p.col >= 1, str(p)
            assert p.code in PROBLEM_CODES and p.message, str(p)
            assert str(p).startswith(f"flows/f.yaml:{p.line}:{p.col}: ")


def _dump(doc) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_random_text(project, text):
    _load(project, text)


@FUZZ
@given(st.binary(max_size=120))
def test_random_bytes(project, data):
    _load(project, data)


@FUZZ
@given(st.dictionaries(st.sampled_from(WORDS), values, max_size=8))
def test_random_yaml_mappings(project, doc):
    _load(project, _dump(doc))


def _fields(fields, extra=st.nothing()):
    """A mapping with some of `fields`' keys, each with a random value (right type or not)."""
    return st.dictionaries(st.one_of(st.sampled_from(sorted(fields)), extra), values, max_size=len(fields))


choice_items = st.lists(st.one_of(st.fixed_dictionaries({"value": values, "title": values, "synonyms": values}),
                                  st.fixed_dictionaries({"value": values}), scalars), min_size=1, max_size=3)
slots = st.builds(lambda kind, rest, choices: {"type": kind, **rest, **choices},
                  st.one_of(st.sampled_from(SLOT_TYPES), scalars), _fields(SLOT_FIELDS),
                  st.one_of(st.builds(lambda c: {"choices": c}, choice_items), st.just({})))
steps = st.one_of(st.sampled_from(["end", "resume", "cancel_previous", "stop"]),
                  *(_fields(f, st.just("id")) for f in STEP_FIELDS.values()))
flows = st.fixed_dictionaries({"id": st.one_of(st.just("f"), scalars), "description": scalars,
                               "slots": st.dictionaries(st.sampled_from(WORDS), slots, min_size=1, max_size=3),
                               "steps": st.lists(steps, min_size=1, max_size=6)},
                              optional={"intents": values, "title": scalars, "button": scalars})


@FUZZ
@given(flows)
@example({"id": "f", "description": None, "slots": {"s": {"type": None, "choices": [{"value": 1, "synonyms": 5}]}},
          "steps": ["end"]})  # found by this test: synonyms that were not a list crashed the loader
@example({"id": "f", "description": "d", "slots": {"s": {"type": "text", "check": ["a"]}},
          "steps": [{"collect": "s"}]})  # a list where a name belongs crashed the analysis (unhashable)
def test_random_flows_from_the_key_table(project, doc):
    """Flows built from the format's own keys with values of any type: type mistakes everywhere."""
    _load(project, _dump(doc))


def _paths(node, path=()):
    """Every (container path, key) inside a document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield path, i
            yield from _paths(v, (*path, i))


def _at(doc, path):
    for k in path:
        doc = doc[k]
    return doc


@st.composite
def mutated_flows(draw):
    doc = copy.deepcopy(REAL[draw(st.sampled_from(sorted(REAL)))])
    for _ in range(draw(st.integers(1, 4))):
        places = list(_paths(doc))
        if not places:
            break
        path, key = draw(st.sampled_from(places))
        parent = _at(doc, path)
        how = draw(st.sampled_from(["drop", "retype", "rename", "rename_step", "garbage", "duplicate"]))
        steps = doc.get("steps") if isinstance(doc, dict) else None
        named = [s for s in steps if isinstance(s, dict) and "id" in s] if isinstance(steps, list) else []
        if how == "rename_step" and named:  # gotos and branches now point at a step that is gone
            draw(st.sampled_from(named))["id"] = draw(st.one_of(st.sampled_from(WORDS), scalars))
        elif how == "drop":
            del parent[key]
        elif how == "retype":
            parent[key] = draw(values)
        elif how == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(WORDS))] = parent.pop(key)
        elif how == "garbage" and isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(values)
        elif how == "garbage":
            parent.insert(key, draw(values))
        elif how == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
    return doc


@FUZZ
@given(mutated_flows())
def test_mutated_real_flows(project, doc):
    _load(project, _dump(doc))


@FUZZ
@given(st.sampled_from(sorted(REAL)), st.integers(0, 10_000), st.integers(1, 40), st.sampled_from(
    ["", ":", "- ", "  ", "{", "[", "'", '"', "\t", "#", "&a", "*a", "!!python/object:os.system", "\x00", "é"]))
def test_real_flow_text_cut_and_spliced(project, name, at, length, junk):
    """Text-level damage: a slice removed and junk inserted at a random place of a real file."""
    text = (ROOT / "flows" / name).read_text(encoding="utf-8")
    at %= len(text)
    _load(project, text[:at] + junk + text[at + length:])
