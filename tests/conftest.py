"""Shared fixtures for the conversation tests.

A seeded store is built once per session and copied per test (seeding takes a while; a copy does
not), on SQLite or, in modules marked `store_backends`, on every backend of tests/store_backends.py. `engine` is a factory for an Engine with the trained router and spaCy the service ships
and no generator, so the tests meet the understanding shoppers meet; `rules_engine` is the keyword
lane for state-machine tests. `talk(conv, *msgs)` sends messages in order and returns the turns.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine import Engine
from engine.store import open_store
from store_backends import BACKENDS

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    config.addinivalue_line("markers", "store_backends: run the module's tests on every store backend "
                                       "(tests/store_backends.py)")


def pytest_generate_tests(metafunc):
    """Modules marked `store_backends` run every test that uses a store once per backend."""
    if "store_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("store_backends"):
        metafunc.parametrize("store_backend", list(BACKENDS), indirect=True)


@pytest.fixture(scope="session")
def _backends(tmp_path_factory):
    """name -> the session's Backend (templates are made on first use and removed at the end)."""
    made = {}

    def get(name: str):
        if name not in made:
            made[name] = BACKENDS[name](tmp_path_factory.mktemp(f"store-{name}"))
        return made[name]

    yield get
    for backend in made.values():
        backend.close()


@pytest.fixture
def store_backend(request) -> str:
    """The backend a test's stores live on: SQLite unless the module is marked `store_backends`."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def seeded_db(_backends) -> Path:
    """The seeded SQLite template file (read-only: copy it, or use `store_copy`)."""
    return _backends("sqlite").template


@pytest.fixture(scope="session")
def seed_export(seeded_db) -> dict:
    with open_store(seeded_db) as s:
        return s.export_data()


@pytest.fixture
def store_copy(store_backend, _backends):
    """Factory: a fresh seeded store on the test's backend (a Path for SQLite, else a URL); removed after."""
    backend = _backends(store_backend)
    backend.require_available()
    made = []

    def make():
        made.append(backend.fresh())
        return made[-1]

    yield make
    for url in made:
        backend.discard(url)


@pytest.fixture
def store(store_copy):
    """An open store on a fresh copy of the seed, closed after the test."""
    with open_store(store_copy()) as s:
        yield s


@pytest.fixture
def fresh_store(store_copy):
    """Factory: an open store on a fresh copy of the seed (for computing expected end states)."""
    opened = []

    def make():
        s = open_store(store_copy())
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


@pytest.fixture(scope="session")
def _shared_parts():
    """Flows, extractors and router of the real project, loaded once (all read-only after load).

    The router is the trained one the service ships (trained into models/router/ on first use), with
    the spaCy extractor it is served with: conversation tests must meet the understanding shoppers
    meet. The keyword `RuleRouter` is only for tests of the state machine itself (`rules_engine`)."""
    from engine.engine import _load_router, _load_spacy
    from engine.flows.loader import load_flows
    from engine.slots.extract import RuleExtractor

    rules = RuleExtractor.from_seed()
    spacy = _load_spacy()
    return {"flows": load_flows(ROOT / "flows", root=ROOT), "rules": rules,
            "extractors": [rules] + ([spacy] if spacy is not None else []), "router": _load_router(ROOT)}


def build_engine(flows, store, extractor=None, router=None, extractors=None) -> Engine:
    """An Engine from given flows: the keyword router and rule extractor unless others are given."""
    from engine.slots.extract import RuleExtractor
    from engine.understand import CombinedExtractor, RuleRouter

    extractors = extractors or [extractor or RuleExtractor.from_seed()]
    return Engine(flows, store, router or RuleRouter(), CombinedExtractor(extractors), None, ROOT)


def _engine_factory(store_copy, parts, trained: bool):
    made = []

    def make(project: Path | str = ROOT, flows=None, **kwargs) -> Engine:
        real = Path(project).resolve() == ROOT and not kwargs
        if trained and real:
            e = build_engine(flows or parts["flows"], open_store(store_copy()), router=parts["router"],
                             extractors=parts["extractors"])
        elif flows is not None or real:
            e = build_engine(flows or parts["flows"], open_store(store_copy()), parts["rules"])
        else:
            kwargs.setdefault("router", "auto" if trained else "rules")
            kwargs.setdefault("generator", None)
            kwargs.setdefault("store_path", store_copy())
            e = Engine.load(project, **kwargs)
        made.append(e)
        return e

    return make, made


@pytest.fixture
def engine(store_copy, _shared_parts):
    """Factory: an engine of the real project with the trained router and spaCy, as the service
    runs it, on a fresh store copy, no generator; `flows=` swaps in other flows (same router)."""
    make, made = _engine_factory(store_copy, _shared_parts, trained=True)
    yield make
    for e in made:
        e.store.close()


@pytest.fixture
def rules_engine(store_copy, _shared_parts):
    """Factory: the state-machine lane. The keyword router and rule extractor, for tests of the dialogue
    state machine itself (designer fixtures with their own flows and intents), never of understanding."""
    make, made = _engine_factory(store_copy, _shared_parts, trained=False)
    yield make
    for e in made:
        e.store.close()


def started_tasks(turn) -> list[str]:
    """The task flows a turn started, in order: not sign-in called by a task, not a repair pattern."""
    return [e["flow"] for e in turn.events if e.get("type") == "flow_started" and not e.get("called")
            and not e["flow"].startswith("pattern_")]


def talk(conv, *msgs):
    """Send each message; return the list of turns."""
    return [conv.send(m) for m in msgs]


def payloads(turn) -> list[str]:
    return [b.payload for m in turn.messages for b in m.buttons]


def expected_after(fresh_store, op: str | None = None, *args, **kwargs) -> dict:
    """The export of a fresh seeded store after applying one store operation (or none)."""
    s = fresh_store()
    if op:
        getattr(s, op)(*args, **kwargs)
    return s.export_data()




# -- a shared suite for the flows that write to the store after a confirmation -------------------
BAD = "zzzz"  # matches no slot type, intent or entity


def sign_in_by_email(email: str) -> list[str]:
    return ['/inform{"auth_method": "email"}', email]


def without_confirm(tmp_path: Path, flow_id: str):
    """The real flows, with the confirm step removed from `flow_id` (loaded with strict=False)."""
    from engine.flows.loader import load_flows

    d = tmp_path / "flows_unconfirmed"
    shutil.copytree(ROOT / "flows", d)
    path = d / f"{flow_id}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [ln for ln in lines if not ln.lstrip().startswith("- confirm:")]
    assert len(kept) == len(lines) - 1, "expected exactly one confirm step"
    path.write_text("".join(kept), encoding="utf-8")
    from engine.flows.problems import FlowLoadError

    with pytest.raises(FlowLoadError) as info:  # the loader refuses it in strict mode...
        load_flows(d, root=tmp_path)
    assert any(p.code == "write_without_confirm" and p.file.endswith(f"{flow_id}.yaml") for p in info.value.problems)
    return load_flows(d, root=tmp_path, strict=False)  # ...and the engine must refuse at run time


class FlowSuite:
    """Subclass per flow: happy path, escalation of every slot, digression, correction, cancel,
    decline, and a write refused without confirmation. Every test compares the full store export."""

    trigger: str
    email: str
    order_a: str | None = None
    order_b: str | None = None      # the order a correction switches to
    steps: list[str]                # after sign-in, until the confirmation question
    steps_b: list[str] = []         # after correcting to order_b, until the confirmation again
    final: str = "Done"

    def write(self, store, order_id):  # the equivalent store operation
        raise NotImplementedError

    @property
    def script(self) -> list[str]:
        return [self.trigger, *sign_in_by_email(self.email), *self.steps]

    def expected(self, fresh_store, order_id):
        s = fresh_store()
        self.write(s, order_id)
        return s.export_data()

    def _to_confirm(self, conv, script=None):
        turns = talk(conv, *(script or self.script))
        last = turns[-1]
        assert last.expecting is not None and last.expecting.slot == "confirmation", last.text
        assert payloads(last) == ["/affirm", "/deny"]
        return last

    def test_happy_path(self, engine, fresh_store):
        e = engine()
        conv = e.new_conversation()
        confirm = self._to_confirm(conv)
        if self.order_a:
            assert self.order_a in confirm.text
        done = conv.send("/affirm")
        assert self.final in done.text and not done.flow_stack
        assert [a.ok for a in done.actions if a.write] == [True]
        assert e.store.export_data() == self.expected(fresh_store, self.order_a)

    def test_every_slot_escalates_then_hands_off(self, engine, seed_export):
        script = self.script
        probe = engine().new_conversation()
        positions = []
        for i, msg in enumerate(script):
            t = probe.send(msg)
            if t.expecting is not None and t.expecting.slot != "confirmation":
                positions.append((i + 1, t.expecting.slot, t.text))
        assert positions
        for upto, slot_name, first_prompt in positions:
            e = engine()
            conv = e.new_conversation()
            talk(conv, *script[:upto])
            frame = conv.state.top
            slot = e.flows.flows[frame.flow_id].slots[slot_name]
            t = conv.send(BAD)
            assert t.expecting is not None and t.expecting.slot == slot_name, (slot_name, t.text)
            assert t.text != first_prompt, slot_name
            if slot.error is None and len(slot.prompts) > 1 and "{" not in slot.prompts[1].source:
                assert slot.prompts[1].source in t.text, (slot_name, t.text)
            elif slot.error is not None:
                assert "didn't get that" in t.text, (slot_name, t.text)
            sent = 1
            while t.expecting is not None and t.expecting.slot == slot_name:
                t = conv.send(BAD)
                sent += 1
                assert sent <= slot.max_attempts, slot_name
            assert sent == slot.max_attempts, slot_name
            assert "couldn't get your" in t.text, (slot_name, t.text)
            if slot.on_fail == "handoff":
                assert "human agent" in t.text
                assert [a.name for a in t.actions] == ["transfer_to_human_agents"]
            assert not t.flow_stack
            assert e.store.export_data() == seed_export

    def digression_point(self) -> int:
        """Index in `script` after which the shopper digresses (after the order id when there is one)."""
        if self.order_a and self.order_a in self.script:
            return self.script.index(self.order_a) + 1
        return 3

    def test_digression_and_resume(self, engine, fresh_store):
        e = engine()
        conv = e.new_conversation()
        script, cut = self.script, self.digression_point()
        before = talk(conv, *script[:cut])[-1]
        asked = before.expecting.slot
        t = conv.send("/order_status")
        assert t.active_flow == "order_status" and t.expecting.slot == "order_id"
        assert "sign" not in t.text.lower() and t.expecting.slot != "auth_method"  # no second sign-in
        other = self.order_b or next(c.value for c in t.expecting.choices)
        t = conv.send(other)
        assert f"Order {other} is" in t.text
        assert "Shall we get back to" in t.text and t.expecting.slot == "resume_previous"
        t = conv.send("/affirm")
        assert t.active_flow == self.trigger.lstrip("/") and t.expecting.slot == asked, t.text
        assert t.text == before.messages[-1].text  # continues where it stopped, same question
        confirm = self._to_confirm(conv, script[cut:])
        if self.order_a:
            assert self.order_a in confirm.text
        conv.send("/affirm")
        assert e.store.export_data() == self.expected(fresh_store, self.order_a)

    def test_correction_at_confirm_replays(self, engine, fresh_store):
        if not self.order_b:
            pytest.skip("this flow has no order id to correct")
        e = engine()
        conv = e.new_conversation()
        self._to_confirm(conv)
        t = conv.send(f"actually it's order {self.order_b}")
        assert "changed the order id" in t.text
        confirm = self._to_confirm(conv, self.steps_b) if self.steps_b else t
        assert confirm.expecting.slot == "confirmation"
        assert self.order_b in confirm.text and self.order_a not in confirm.text
        conv.send("/affirm")
        assert e.store.export_data() == self.expected(fresh_store, self.order_b)

    def test_never_mind_changes_nothing(self, engine, seed_export):
        e = engine()
        conv = e.new_conversation()
        talk(conv, *self.script[:-1])
        t = conv.send("never mind")
        assert "Nothing was changed" in t.text and not t.flow_stack
        assert e.store.export_data() == seed_export

    def test_no_at_confirmation_asks_what_to_change_then_a_second_no_stops(self, engine, seed_export):
        e = engine()
        conv = e.new_conversation()
        confirm = self._to_confirm(conv)
        t = conv.send("/deny")
        assert t.text.startswith("What would you like to change?") and not t.ended
        reasks = [b.payload for b in t.messages[-1].buttons if b.payload.startswith("/reask")]
        assert reasks and t.messages[-1].buttons[-1].payload == "/cancel"
        assert t.expecting.slot == "confirmation"
        t = conv.send("no")
        assert "Nothing was changed" in t.text and not t.flow_stack
        assert not [a for a in t.actions if a.write]
        assert e.store.export_data() == seed_export
        assert confirm.expecting.slot == "confirmation"

    def test_a_part_of_the_summary_is_asked_again(self, engine, seed_export):
        e = engine()
        conv = e.new_conversation()
        self._to_confirm(conv)
        button = conv.send("/deny").messages[-1].buttons[-2]   # the last collected part
        slot = json.loads(button.payload[len("/reask"):])["slot"]
        t = conv.send(button.payload)
        assert t.expecting is not None and t.expecting.slot == slot, t.text
        assert slot not in t.slots
        assert e.store.export_data() == seed_export

    def test_write_without_confirmation_is_refused(self, engine, seed_export, tmp_path):
        flows = without_confirm(tmp_path, self.trigger.lstrip("/"))
        e = engine(flows=flows)
        conv = e.new_conversation()
        t = talk(conv, *self.script)[-1]
        assert "without your explicit confirmation" in t.text
        refused = [a for a in t.actions if a.write]
        assert len(refused) == 1 and not refused[0].ok and "not confirmed" in refused[0].error
        assert any(ev.get("type") == "write_refused" for ev in t.events)
        assert e.store.export_data() == seed_export
