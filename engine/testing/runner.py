"""Run conversation tests on the real engine, each on its own copy of the store, and record coverage.

Coverage comes from the `step` events the state machine logs for every step it runs (flow, step id,
and for branches and guarded actions the outcome), read from each turn's events.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spec import TestSpec


# -- coverage -------------------------------------------------------------------------------------
def coverage_of(turns) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """(visited steps as (flow, step id), branch outcomes as (flow, step id, outcome)) of some turns."""
    from ..dialogue.state import step_events

    visited, branches = set(), set()
    for turn in turns:
        for ev in step_events(turn.events):
            visited.add((ev["flow"], ev["step"]))
            if "outcome" in ev:
                branches.add((ev["flow"], ev["step"], ev["outcome"]))
    return visited, branches


def branch_targets(flow) -> list[tuple[str, str]]:
    """Every outcome a flow's branch steps (and actions with on_error) can take."""
    out = []
    for step in flow.steps:
        if step.kind == "branch":
            targets = [t for _, t in step.cases] + [step.default or "next"]
            out += [(step.id, t) for t in dict.fromkeys(targets)]
        elif step.kind == "action" and step.on_error:
            out += [(step.id, "ok"), (step.id, "on_error")]
    return out


# -- stores ---------------------------------------------------------------------------------------
def deep_merge(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            out[k] = deep_merge(base.get(k), v) if k in base else v
        return out
    return patch


class StoreFactory:
    """Builds a seeded store file once per fixture and hands out fresh copies of it."""

    def __init__(self, workdir: Path, project: Path):
        self.workdir, self.project = workdir, project
        self._templates: dict[str, Path] = {}
        self._n = 0

    def template(self, fixture: dict[str, Any]) -> Path:
        key = hashlib.sha1(json.dumps(fixture, sort_keys=True).encode()).hexdigest()[:12]
        if key not in self._templates:
            from ..store import SEED_DIR, open_store

            seed = Path(fixture["seed_dir"]) if fixture.get("seed_dir") else SEED_DIR
            if not seed.is_absolute():
                seed = self.project / seed
            patches = {k: v for k, v in fixture.items() if k in ("users", "orders", "products")}
            if patches:
                tmp_seed = self.workdir / f"seed-{key}"
                tmp_seed.mkdir(parents=True, exist_ok=True)
                for name in ("users", "orders", "products"):
                    data = json.loads((seed / f"{name}.json").read_text(encoding="utf-8"))
                    (tmp_seed / f"{name}.json").write_text(json.dumps(deep_merge(data, patches.get(name, {}))))
                seed = tmp_seed
            path = self.workdir / f"template-{key}.sqlite"
            open_store(path, seed_dir=seed).close()
            self._templates[key] = path
        return self._templates[key]

    def fresh(self, fixture: dict[str, Any]):
        from ..store import open_store

        self._n += 1
        path = self.workdir / f"store-{self._n}.sqlite"
        shutil.copy(self.template(fixture), path)
        return open_store(path)


# -- results --------------------------------------------------------------------------------------
@dataclass
class Failure:
    turn: int | None
    user: str | None
    what: str
    detail: str

    def render(self) -> str:
        head = f"turn {self.turn} (user: {self.user!r})" if self.turn is not None else "end of test"
        body = "\n".join("    " + line for line in self.detail.splitlines())
        return f"  {head}: {self.what}\n{body}"


@dataclass
class TestResult:
    id: str
    name: str
    file: str
    line: int
    ok: bool
    seconds: float
    failures: list[Failure] = field(default_factory=list)
    error: str | None = None
    visited: set = field(default_factory=set)
    branches: set = field(default_factory=set)
    transcript: list[dict] = field(default_factory=list)   # per turn: user, expecting before, slots set
    store_before: dict | None = None
    store_after: dict | None = None
    kind: str = "test"
    turn_texts: list = field(default_factory=list)

    def render(self) -> str:
        lines = [f"FAIL {self.file}:{self.line} {self.name}"]
        if self.error:
            lines.append("  error: " + self.error)
        lines += [f.render() for f in self.failures]
        return "\n".join(lines)


# -- the engine per worker ------------------------------------------------------------------------
class Harness:
    """One loaded engine (flows, router, extractor) shared by every test of a worker process."""

    def __init__(self, project: Path, router: str = "auto"):
        from ..engine import Engine

        self.project = project
        shm = Path("/dev/shm")  # store copies on tmpfs when there is one: no fsync per write
        self.workdir = Path(tempfile.mkdtemp(prefix="shoptalk-test-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
        self.stores = StoreFactory(self.workdir, project)
        import atexit

        atexit.register(self.close)
        base = self.stores.fresh({})
        self.base = Engine.load(project, store=base, router=router, generator=None)

    def engine(self, store):
        from ..engine import Engine

        e = self.base
        return Engine(e.flows, store, e.router, e.extractor, e.answerer, e.project_dir)

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    def converse(self, fixture: dict, messages: list[str], snap_before_last: bool = False):
        """Run messages; return (turns, store_before, store_after, transcript). With `snap_before_last`,
        store_before is the store just before the last message instead of at the start."""
        store = self.stores.fresh(fixture)
        before = snapshot_store(store)
        conv = self.engine(store).new_conversation("test")
        turns, transcript = [], []
        for n, msg in enumerate(messages):
            if snap_before_last and n == len(messages) - 1:
                before = snapshot_store(store)
            exp = conv.state.top
            expecting = None
            if exp is not None and exp.waiting == "collect":
                flow = self.base.flows.flows[exp.flow_id]
                expecting = (flow.id, flow.steps[exp.step].slot)
            elif exp is not None and exp.waiting == "confirm":
                expecting = (exp.flow_id, "confirmation")
            user_before = conv.state.user_id
            turn = conv.send(msg)
            filled = {e["slot"]: e["value"] for e in turn.events
                      if e.get("type") == "slot_set" and e.get("source") in ("user", "button")}
            transcript.append({"user": msg, "expecting": expecting, "filled": filled,
                               "user_id": conv.state.user_id or user_before, "active_flow": turn.active_flow})
            turns.append(turn)
        after = snapshot_store(store)
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(store.path) + suffix).unlink(missing_ok=True)
        return turns, before, after, transcript


def snapshot_store(store) -> dict:
    """{"users": {id: raw json}, "orders": {id: raw json}}, read as raw text so comparing is cheap."""
    import sqlite3

    con = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    try:
        return {"users": dict(con.execute("SELECT user_id, doc FROM users")),
                "orders": dict(con.execute("SELECT order_id, doc FROM orders"))}
    finally:
        con.close()


def doc_of(snapshot: dict, kind: str, rid: str) -> dict | None:
    raw = (snapshot or {}).get(kind, {}).get(rid)
    return json.loads(raw) if isinstance(raw, str) else raw


def store_changes(before: dict, after: dict) -> dict:
    """{kind: {id: doc}} for every record that differs."""
    out: dict = {}
    for kind in set(before) | set(after):
        b, a = before.get(kind, {}), after.get(kind, {})
        changed = {k: a.get(k) for k in set(a) | set(b) if a.get(k) != b.get(k)}
        if changed:
            out[kind] = changed
    return out


# -- expectations ---------------------------------------------------------------------------------
def _fmt(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def _diff(expected: Any, actual: Any) -> str:
    lines = difflib.unified_diff(_fmt(expected).splitlines(), _fmt(actual).splitlines(), "expected", "actual",
                                 lineterm="", n=2)
    return "\n".join(lines)


def _subset(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and _subset(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(expected) == len(actual) and all(
            _subset(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and not isinstance(expected, bool):
        return abs(expected - actual) < 1e-9
    return expected == actual


def check_turn(spec, turn) -> list[tuple[str, str]]:
    """(what, detail) for every unmet expectation of one turn."""
    out = []
    e = spec.expect
    text = turn.text
    for needle in ([e["text_contains"]] if isinstance(e.get("text_contains"), str) else e.get("text_contains") or []):
        if str(needle).lower() not in text.lower():
            out.append((f"reply does not contain {needle!r}", "reply was:\n" + (text or "(no reply)")))
    if "text_matches" in e and not re.search(str(e["text_matches"]), text, re.S | re.I):
        out.append((f"reply does not match /{e['text_matches']}/", "reply was:\n" + (text or "(no reply)")))
    if "route" in e:
        label = turn.route.label if turn.route else None
        if label != e["route"]:
            how = f" (decided by {turn.route.decided_by}, confidence {turn.route.confidence:.2f})" if turn.route else ""
            out.append((f"route is {label!r}, expected {e['route']!r}", f"router said {label!r}{how}"))
    if "active_flow" in e and turn.active_flow != e["active_flow"]:
        out.append((f"active flow is {turn.active_flow!r}, expected {e['active_flow']!r}",
                    f"flow stack: {turn.flow_stack}"))
    if "expecting" in e:
        got = turn.expecting.slot if turn.expecting else None
        if got != e["expecting"]:
            out.append((f"expecting {got!r}, expected {e['expecting']!r}", "reply was:\n" + (text or "(no reply)")))
    if "ended" in e and turn.ended != bool(e["ended"]):
        out.append((f"ended is {turn.ended}, expected {e['ended']}", f"flow stack: {turn.flow_stack}"))
    if "slots" in e:
        want = e["slots"] or {}
        got = {k: turn.slots.get(k) for k in want}
        if not _subset(want, got):
            out.append(("slot values differ", _diff(want, got)))
    if "actions" in e:
        actual = [a.model_dump(include={"name", "args", "ok"}) for a in turn.actions]
        for want in e["actions"] or []:
            want = {"name": want} if isinstance(want, str) else want
            if not any(_subset({k: v for k, v in want.items() if k in ("name", "args", "ok")}, a) for a in actual):
                out.append((f"action {want.get('name')!r} not called as expected",
                            "expected:\n" + _fmt(want) + "\ncalled:\n" + _fmt(actual)))
    return out


def check_store(expected: dict, after: dict) -> list[tuple[str, str]]:
    out = []
    for kind, records in (expected or {}).items():
        for rid, fields in (records or {}).items():
            doc = doc_of(after, kind, rid)
            if doc is None:
                out.append((f"store: no {kind[:-1]} {rid!r}", ""))
                continue
            got = {k: doc.get(k) for k in fields}
            if not _subset(fields, got):
                out.append((f"store: {kind[:-1]} {rid} differs", _diff(fields, got)))
    return out


def run_test(h: Harness, test: TestSpec) -> TestResult:
    t0 = time.perf_counter()
    res = TestResult(test.id, test.name, test.file, test.line, True, 0.0)
    try:
        turns, before, after, transcript = h.converse(test.fixture, [t.user for t in test.turns])
        res.turn_texts = [t.text for t in turns]
    except Exception as exc:  # a crash is a failure of this test, not of the run
        res.ok, res.error = False, f"{type(exc).__name__}: {exc}"
        res.seconds = time.perf_counter() - t0
        return res
    for i, (spec, turn) in enumerate(zip(test.turns, turns), 1):
        for what, detail in check_turn(spec, turn):
            res.failures.append(Failure(i, spec.user, what, detail))
    for what, detail in check_store(test.store, after):
        res.failures.append(Failure(None, None, what, detail))
    res.ok = not res.failures
    res.visited, res.branches = coverage_of(turns)
    res.transcript, res.store_before, res.store_after = transcript, before, after
    res.seconds = time.perf_counter() - t0
    return res
