"""Generated repair tests: at every collect step of a passing test, derive variants and check the store.

Variants (at turn i, which answers a slot):
  digression  an open question first, then the original answer: same final store
  invalid     an unusable answer first, then the original answer: same final store
  cancel      "never mind" instead of the answer: the store is unchanged by it and the flow is gone
  correction  the previous slot answered with another valid value, then corrected back (as a button
              payload, `/inform{"slot": value}`) before the original answer: same final store
"""
from __future__ import annotations

import json
import time

from .runner import Failure, Harness, TestResult, _diff, doc_of, store_changes
from .spec import TestSpec

DIGRESSION = "what is your return policy?"
INVALID = "qwzx blorp"
CANCEL = "never mind"
NO_INVALID_TYPES = {"text", "person_name"}   # any text is a valid answer for these
CORRECTABLE = {"order_id", "payment_method"}
MAX_CANDIDATES = 4


def _variant(test: TestSpec, kind: str, turn: int, slot: str) -> TestResult:
    return TestResult(f"{test.id}[{kind}@{turn}]", f"{test.name} [{kind} at turn {turn}, slot {slot}]",
                      test.file, test.line, True, 0.0, kind=kind)


def _same_store(res: TestResult, expected: dict, actual: dict, what: str) -> None:
    if expected != actual:
        res.ok = False
        res.failures.append(Failure(None, None, what, "\n".join(_record_diffs(expected, actual))))


def _record_diffs(expected: dict, actual: dict) -> list[str]:
    out = []
    for kind, changed in store_changes(expected, actual).items():
        for rid in sorted(changed):
            e, a = doc_of(expected, kind, rid) or {}, doc_of(actual, kind, rid) or {}
            fields = {k for k in set(e) | set(a) if e.get(k) != a.get(k)}
            out.append(f"{kind[:-1]} {rid}:\n" + _diff({k: e.get(k) for k in fields}, {k: a.get(k) for k in fields}))
    return out


def _candidates(slot_type: str, value, user_doc: dict | None) -> list:
    if not user_doc:
        return []
    if slot_type == "order_id":
        pool = list(user_doc.get("orders", []))
    elif slot_type == "payment_method":
        pool = list(user_doc.get("payment_methods", {}))
    else:
        return []
    return [c for c in pool if c != value][:MAX_CANDIDATES]


def run_repairs(h: Harness, test: TestSpec, original: TestResult) -> list[TestResult]:
    msgs = [t.user for t in test.turns]
    final = original.store_after
    tr = original.transcript
    flows = h.base.flows.flows
    out: list[TestResult] = []

    def run(res: TestResult, messages: list[str], **kw):
        t0 = time.perf_counter()
        try:
            turns, before, after, transcript = h.converse(test.fixture, messages, **kw)
        except Exception as exc:
            res.ok, res.error = False, f"{type(exc).__name__}: {exc}"
            turns = before = after = transcript = None
        res.seconds = time.perf_counter() - t0
        res.store_before, res.store_after = before, after
        return turns, before, after, transcript

    for i, entry in enumerate(tr):
        exp = entry["expecting"]
        if not exp or exp[1] == "confirmation":
            continue
        flow_id, slot_name = exp
        slot = flows[flow_id].slots[slot_name]
        n = i + 1

        res = _variant(test, "digression", n, slot_name)
        _, _, after, _ = run(res, msgs[:i] + [DIGRESSION] + msgs[i:])
        if after is not None:
            _same_store(res, final, after, "after a digression the store differs from the original run")
        out.append(res)

        if slot.type not in NO_INVALID_TYPES:
            res = _variant(test, "invalid", n, slot_name)
            _, _, after, _ = run(res, msgs[:i] + [INVALID] + msgs[i:])
            if after is not None:
                _same_store(res, final, after, "after an invalid answer then the valid one, the store differs")
            out.append(res)

        res = _variant(test, "cancel", n, slot_name)
        turns, before, after, _ = run(res, msgs[:i] + [CANCEL], snap_before_last=True)
        if after is not None:
            _same_store(res, before, after, "\"never mind\" changed the store")
            if flow_id in turns[-1].flow_stack:
                res.ok = False
                res.failures.append(Failure(n, CANCEL, f"flow {flow_id!r} still active after \"never mind\"",
                                            f"flow stack: {turns[-1].flow_stack}\nreply: {turns[-1].text}"))
        out.append(res)

        # correction: the previous turn answered another slot of this flow; answer it differently, then correct
        if i == 0:
            continue
        prev = tr[i - 1]
        if not prev["expecting"] or prev["expecting"][0] != flow_id:
            continue
        for name, value in prev["filled"].items():
            sdef = flows[flow_id].slots.get(name)
            if sdef is None or sdef.type not in CORRECTABLE or sdef.protected:
                continue
            user_doc = doc_of(original.store_before, "users", prev.get("user_id") or "")
            for alt in _candidates(sdef.type, value, user_doc):
                wrong = "/inform" + json.dumps({name: alt})
                fix = "/inform" + json.dumps({name: value})
                res = _variant(test, "correction", n, f"{name}: {alt} -> {value}")
                turns, _, after, vtr = run(res, msgs[:i - 1] + [wrong, fix] + msgs[i:])
                if vtr is None:
                    out.append(res)
                    break
                if vtr[i - 1]["filled"].get(name) != alt:
                    continue  # the alternative was not a valid answer here; try another
                _same_store(res, final, after, f"after correcting {name} from {alt} back to {value}, "
                                               "the store differs from the original run")
                out.append(res)
                break
    return out
