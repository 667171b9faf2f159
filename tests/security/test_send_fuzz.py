"""Fuzz `Conversation.send`: whatever a client posts, the turn completes with a bot message.

An attacker found two 500s this way (a lone surrogate, "hi \\ud800 there", broke the embedding
tokenizer; a button payload nested 990 brackets deep hit Python's recursion limit). The property
checked here, on every fuzzed message and from several conversation states: `send` returns, the
turn says something, bad button payloads get the "couldn't read that button" answer, and the turn
and the conversation snapshot encode as UTF-8 JSON (what the service sends and the trackers store).

The keyword-router engine takes most examples (fast); a smaller run goes through the trained
router ("auto": classifier, context rules, spaCy) on a router trained from the small test intents,
so the file stays well under a minute. Fixed seed: CI runs the same examples every time.
"""
from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Engine
from engine.flows.loader import load_flows
from engine.understand import MAX_TEXT, MAX_TRIGGER_DEPTH, MAX_TRIGGER_JSON

ROOT = Path(__file__).resolve().parents[2]
FLOWS = load_flows(ROOT / "flows", root=ROOT)
INTENTS = sorted({i for f in FLOWS.flows.values() for i in f.intents} | {"inform"})
SLOT_NAMES = sorted({s for f in FLOWS.flows.values() for s in f.slots})
BAD_BUTTON = "couldn't read that button"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls but tab, newline, CR
# Messages that put the conversation where a slot is expected, so context routing runs too.
LEAD_INS = ([], ["/return_items"], ["/cancel_order", "raj.sanchez2046@example.com"], ["/checkout"])


def _fuzz(n: int) -> settings:
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


# ---------------------------------------------------------------------------------- strategies
surrogate = st.integers(0xD800, 0xDFFF).map(chr)
control = st.one_of(st.integers(0, 0x1F), st.integers(0x7F, 0x9F)).map(chr)
odd_char = st.one_of(st.characters(), surrogate, control, st.sampled_from("\u200b\u202e\ufeff\ufffd𝔘🙂"))
odd_text = st.text(odd_char, max_size=40)
words = st.sampled_from(["hi", "yes", "no", "cancel", "order", "#W2378156", "return", "the keyboard", "@", "a.",
                         "19122", "my name is", "help", "1 main st,", "$20", "size", "all of them", "é", "🙂"])
sentence = st.lists(st.one_of(words, odd_text), max_size=8).map(" ".join)
# Long runs of one unit: the inputs that make backtracking regexes hang.
UNITS = ["x", "@", "a.", "1", " ", "order ", "cancel ", "\ud800", "\x00", "yes.", "1 main st ", "a@b.", "🙂", "{"]
HEADS = ["", "order", "1 main st", "1 main st, a", "size", "no", "ending in", "yes", "/inform{", "hi \ud83d"]
huge = st.builds(lambda head, u, n, tail: head + u * (n // len(u)) + tail, st.sampled_from(HEADS), st.sampled_from(UNITS),
                 st.sampled_from([4_001, 20_000, 100_000]), st.sampled_from(["", "x", "}", "@x.com", "!"]))
free_text = st.one_of(odd_text, sentence, huge)

scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), odd_text, words)
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(st.one_of(st.sampled_from(SLOT_NAMES), odd_text),
                                                                     inner, max_size=3)), max_leaves=8)
payload_obj = st.dictionaries(st.one_of(st.sampled_from(SLOT_NAMES), odd_text), value, max_size=4)


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=True)


valid_payload = payload_obj.map(_json)
truncated = st.tuples(valid_payload, st.integers(0, 30)).map(lambda t: t[0][: max(1, len(t[0]) - 1 - t[1])])
not_object = st.sampled_from(["[]", "[1, 2]", '"x"', "1", "null", "true", "{}x}", "{'a': 1}", "{,}", '{"a":}',
                              '{"a": NaN}', '{"a": 1e999}', '{"a": "\\ud800"}', '{"a": 1, "a": 2}', "{" + "9" * 5000 + "}"])
deep = st.builds(lambda d, lists: '{"a": ' + ("[" * d + "]" * d if lists else '{"a": ' * d + "0" + "}" * d) + "}",
                 st.sampled_from([MAX_TRIGGER_DEPTH - 1, MAX_TRIGGER_DEPTH, 50, 990, 5000]), st.booleans())
big = st.builds(lambda n: '{"order_id": "' + "x" * n + '"}', st.sampled_from([10, MAX_TRIGGER_JSON, 50_000]))
payload = st.one_of(valid_payload, truncated, not_object, deep, big, odd_text.map(lambda t: "{" + t + "}"))
trigger = st.builds(lambda intent, p, space: f"/{intent}{space}{p}", st.sampled_from(INTENTS), payload,
                    st.sampled_from(["", " ", "\n"]))
message = st.one_of(free_text, trigger, st.sampled_from(INTENTS).map(lambda i: "/" + i))


# ---------------------------------------------------------------------------------- checks
def _conversations(engine: Engine) -> list[dict]:
    """A snapshot after each lead-in (sent once; restored per example, which is cheap)."""
    snaps = []
    for msgs in LEAD_INS:
        conv = engine.new_conversation()
        for m in msgs:
            conv.send(m)
        snaps.append(conv.snapshot())
    return snaps


def _depth(obj) -> int:
    children = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list) else None
    return 0 if children is None else 1 + max(map(_depth, children), default=0)


def _finite(raw: str) -> float:
    if not math.isfinite(float(raw)):
        raise ValueError(raw)
    return float(raw)


def _is_bad_button(text: str) -> bool:
    """A `/intent{...}` message the engine must refuse with a clear message rather than act on or route:
    not one JSON object, longer than the engine reads, too long or too deep, or numbers JSON lacks."""
    t = CONTROL.sub(" ", text).strip()  # the engine reads control characters as spaces
    head = t.split("{", 1)[0]
    if not re.fullmatch(r"/[A-Za-z_]\w*", head) or not t.startswith(head + "{"):
        return False
    raw = t[len(head):]
    if len(text) > MAX_TEXT or len(raw) > MAX_TRIGGER_JSON:
        return True
    try:
        obj = json.loads(raw, parse_constant=lambda c: 1 / 0, parse_float=_finite)
    except (ValueError, RecursionError, ZeroDivisionError):
        return True
    return not isinstance(obj, dict) or _depth(obj) > MAX_TRIGGER_DEPTH


def _send_and_check(engine: Engine, snap: dict, text: str) -> None:
    conv = engine.restore(snap["conversation_id"], snap)
    turn = conv.send(text)  # must not raise
    said = [m.text for m in turn.messages if m.text.strip()]
    assert said, f"no bot message for {text[:80]!r}"
    if _is_bad_button(text):
        assert turn.route is not None and turn.route.label == "invalid_trigger", (text[:80], turn.route)
        assert any(BAD_BUTTON in s for s in said), said
    # what the service returns and the trackers persist must encode (a lone surrogate does not)
    # (as Starlette's JSONResponse does it: no NaN/Infinity either)
    json.dumps(turn.model_dump(mode="json"), ensure_ascii=False, allow_nan=False).encode("utf-8")
    json.dumps(conv.snapshot(), ensure_ascii=False, allow_nan=False).encode("utf-8")


def _fuzz_turn(world, data) -> None:
    """One fuzzed message from one of the lead-in states."""
    engine, snaps = world
    _send_and_check(engine, data.draw(st.sampled_from(snaps), label="state"), data.draw(message, label="message"))


# ---------------------------------------------------------------------------------- keyword router
@pytest.fixture(scope="module")
def rules_world(seeded_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz_rules") / "store.sqlite"
    shutil.copyfile(seeded_db, path)
    engine = Engine.load(ROOT, store_path=path, router="rules", generator=None)
    yield engine, _conversations(engine)
    engine.store.close()


@_fuzz(1000)
@given(data=st.data())
def test_send_never_raises_and_always_answers(rules_world, data):
    _fuzz_turn(rules_world, data)


@pytest.mark.parametrize("text", [
    "hi \ud800 there",
    '/inform{"a": ' + "[" * 990 + "]" * 990 + "}",
    '/inform{"a": ' + "[" * 990,
    "/return_items{" + '"order_id": "#W2378156", ' * 200 + '"x": 1}',
    '/authenticate{"email": "\\ud800@example.com", "\\udfff": "\\u0000"}',  # JSON escapes decode to surrogates
    '/cancel_order{"order_id": NaN}',
])
def test_reported_attacks_get_an_answer(rules_world, text):
    """The inputs of the report, each from every conversation state."""
    engine, snaps = rules_world
    for snap in snaps:
        _send_and_check(engine, snap, text)


def test_surrogates_and_control_characters_never_reach_the_transcript(rules_world):
    engine, _ = rules_world
    conv = engine.new_conversation()
    turn = conv.send("hi \ud800 there\x00\x1b[31m")
    assert turn.messages
    stored = [t["text"] for t in conv.snapshot()["transcript"] if t["role"] == "user"]
    assert stored == ["hi \ufffd there  [31m"]


def test_a_deep_button_payload_is_refused_with_the_reason(rules_world):
    engine, _ = rules_world
    turn = engine.new_conversation().send('/inform{"a": ' + "[" * 990 + "]" * 990 + "}")
    assert turn.route.label == "invalid_trigger"
    assert "nested too deeply" in turn.messages[0].text


# ---------------------------------------------------------------------------------- trained router
@pytest.fixture(scope="module")
def trained_world(seeded_db, tmp_path_factory):
    """The real flows with a router trained (TF-IDF only, a few seconds) from tests/fixtures/intents_small."""
    project = tmp_path_factory.mktemp("fuzz_trained")
    (project / "flows").symlink_to(ROOT / "flows")
    shutil.copytree(ROOT / "tests" / "fixtures" / "intents_small", project / "intents")
    (project / "models").mkdir()
    (project / "models" / "router_settings.yaml").write_text("embeddings: false\n")
    shutil.copyfile(seeded_db, project / "store.sqlite")
    engine = Engine.load(project, store_path=project / "store.sqlite", router="auto", generator=None)
    assert type(engine.router).__name__ == "Router"  # the trained one, not the keyword fallback
    yield engine, _conversations(engine)
    engine.store.close()


@pytest.mark.slow
@_fuzz(200)
@given(data=st.data())
def test_send_with_trained_router_never_raises(trained_world, data):
    _fuzz_turn(trained_world, data)
