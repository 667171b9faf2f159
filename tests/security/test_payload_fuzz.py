"""Fuzz every flow's trigger with adversarial slot payloads, then free text and "yes".

The property, checked on the store's own write log and on every read the engine makes: no store
operation touches a user or an order other than the one signed in to that conversation (and
nothing is written before someone signs in). Fixed seed, so CI runs the same examples each time.
"""
from __future__ import annotations

import functools
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Engine
from engine.store import STAFF, SqliteStore

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "engine" / "store" / "seed"
USERS = ["raj_sanchez_2970", "sofia_rossi_8776", "mei_ahmed_5058", "yusuf_rossi_9620"]
OWN_EMAIL = "raj.sanchez2046@example.com"


def _pool() -> list[Any]:
    users = json.loads((SEED / "users.json").read_text())
    orders = json.loads((SEED / "orders.json").read_text())
    out: list[Any] = []
    for uid in USERS:
        out += [uid, *users[uid]["orders"], *users[uid]["payment_methods"]]
        for oid in users[uid]["orders"]:
            out += [i["item_id"] for i in orders[oid]["items"]]
    return out


POOL = _pool()
REASONS = ["no longer needed", "ordered by mistake"]


class RecordingStore:
    """The real store, with every successful user/order read noted as (principal, owner)."""

    def __init__(self, store: SqliteStore):
        self._store, self.reads = store, []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._store, name)
        if name not in ("get_order_details", "get_user_details", "list_user_orders"):
            return method

        @functools.wraps(method)  # keeps the signature: call_action passes as_user only where declared
        def recorded(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            bound = inspect.signature(method).bind(*args, **kwargs).arguments
            owner = result["user_id"] if name == "get_order_details" else str(bound["user_id"]).strip()
            self.reads.append((bound["as_user"], owner, name))
            return result

        return recorded


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "store.sqlite"
    store = SqliteStore(path)
    recording = RecordingStore(store)
    engine = Engine.load(ROOT, store=recording, router="rules", generator=None)
    yield engine, recording
    store.close()


def _intents(engine: Engine) -> list[str]:
    return sorted({f.intents[0] for f in engine.flows.flows.values() if f.intents and not f.pattern})


def _slot_names(engine: Engine) -> list[str]:
    names = {n for f in engine.flows.flows.values() for n in f.slots}
    return sorted(names | {"user_id", "attempt_count", "order", "is_admin"})


def _check(engine: Engine, recording: RecordingStore, conv, log_from: int, reads_from: int) -> None:
    user = conv.state.user_id
    for entry in engine.store.write_log()[log_from:]:
        if entry["op"] == "transfer_to_human_agents":  # a ticket, open to anyone; it names only its own user
            assert entry["user_id"] in (None, user), entry
            continue
        assert user is not None, f"a write before sign-in: {entry}"
        assert entry["as_user"] == user and entry["user_id"] == user, (entry, user)
    for as_user, owner, name in recording.reads[reads_from:]:
        assert as_user == owner == user, (name, as_user, owner, user)


def _run(engine: Engine, recording: RecordingStore, sign_in: bool, opening: str, replies: list[str]) -> None:
    conv = engine.new_conversation()
    log_from, reads_from = len(engine.store.write_log()), len(recording.reads)
    if sign_in:
        for text in ("/order_status", "email", OWN_EMAIL, "never mind"):
            conv.send(text)
    for text in [opening, *replies, "yes", "/affirm"]:
        turn = conv.send(text)
        assert turn.messages, f"no answer to {text!r}"
    _check(engine, recording, conv, log_from, reads_from)


def _payload(draw, names: list[str]) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(names), max_size=5, unique=True))
    values = st.one_of(st.sampled_from(POOL), st.sampled_from(REASONS), st.lists(st.sampled_from(POOL), max_size=3),
                       st.text(max_size=12), st.integers(), st.none())
    return {k: draw(values) for k in keys}


def test_every_flow_refuses_foreign_values_in_its_payload(world):
    """Deterministic coverage: each flow's trigger carrying every slot set to another user's data."""
    engine, recording = world
    foreign = {"user_id": "sofia_rossi_8776", "order_id": "#W5918442", "payment_method_id": "credit_card_5051208",
               "email": None, "item_ids": ["6509212169"], "cancel_reason": "no longer needed"}
    for intent in _intents(engine):
        for sign_in in (False, True):
            payload = {k: v for k, v in foreign.items() if v is not None}
            _run(engine, recording, sign_in, f"/{intent}{json.dumps(payload)}", ["yes", "/affirm"])


@settings(max_examples=300, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_payloads_never_touch_another_users_data(world, data):
    engine, recording = world
    names = _slot_names(engine)
    intent = data.draw(st.sampled_from(_intents(engine)))
    sign_in = data.draw(st.booleans())
    opening = f"/{intent}{json.dumps(_payload(data.draw, names))}"
    reply = st.one_of(
        st.sampled_from(["yes", "no", "/affirm", "/deny", "the first one", "all of them", OWN_EMAIL, "email"]),
        st.sampled_from(POOL).map(str),
        st.builds(lambda p: "/inform" + json.dumps(p), st.fixed_dictionaries({}).flatmap(
            lambda _: st.dictionaries(st.sampled_from(names), st.sampled_from(POOL), max_size=3))),
        st.text(max_size=30))
    replies = data.draw(st.lists(reply, max_size=5))
    _run(engine, recording, sign_in, opening, replies)


def test_the_check_sees_a_foreign_write_and_a_foreign_read(world):
    """The property can fail: a staff write to another user's order, or a read of it, is caught."""
    engine, recording = world
    conv = engine.new_conversation()
    for text in ("/order_status", "email", OWN_EMAIL):
        conv.send(text)
    log_from, reads_from = len(engine.store.write_log()), len(recording.reads)
    engine.store.cancel_pending_order("#W5500815", "no longer needed", as_user=STAFF)
    with pytest.raises(AssertionError):
        _check(engine, recording, conv, log_from, reads_from)
    recording.get_order_details("#W2818151", as_user=STAFF)
    with pytest.raises(AssertionError):
        _check(engine, recording, conv, len(engine.store.write_log()), reads_from)


def test_own_requests_do_write(store_copy):
    """Not vacuous: the signed-in shopper's own cancellation goes through and passes the check."""
    recording = RecordingStore(SqliteStore(store_copy()))
    engine = Engine.load(ROOT, store=recording, router="rules", generator=None)
    conv = engine.new_conversation()
    log_from, reads_from = len(engine.store.write_log()), len(recording.reads)
    for text in ("/cancel_order", "email", OWN_EMAIL, '/inform{"order_id": "#W4566809"}',
                 '/inform{"cancel_reason": "no longer needed"}', "yes"):
        turn = conv.send(text)
    assert [a.name for a in turn.actions if a.write and a.ok] == ["cancel_pending_order"]
    assert engine.store.write_log()[-1]["user_id"] == "raj_sanchez_2970"
    _check(engine, recording, conv, log_from, reads_from)
