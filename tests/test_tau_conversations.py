"""tau-bench retail scenarios replayed as scripted conversations.

Each scenario's listed actions are turned into what a shopper would type and click (sign in by
email or name + zip as the instruction says, start the flow, give the order number, pick items,
options and payment methods by their buttons, say yes). The store's end state must equal the state
produced by applying the scenario's actions to a fresh store with `apply_tau_actions`, replayed as
tau-bench does: an action the benchmark's own tools reject (scenarios 24 and 27 pay with a gift card
that cannot cover the order) changes nothing, so the conversation must be refused at that step, tell
the shopper why, and go on with the next request.

The tasks are read from `../shared/data` beside the clone; without them the tests skip locally and
fail under CI (`tests/ci_guard.py`).
"""
from __future__ import annotations

import json

import pytest

from ci_guard import TAU_TASKS as TASKS
from ci_guard import require
from conftest import talk
from engine.store.errors import StoreError
from engine.store.tau import apply_tau_actions

FLOW_OF = {
    "cancel_pending_order": "cancel_order", "return_delivered_order_items": "return_items",
    "exchange_delivered_order_items": "exchange_items", "modify_pending_order_items": "change_order_items",
    "modify_pending_order_address": "change_order_address", "modify_pending_order_payment": "change_order_payment",
}


def _load():
    if not TASKS.exists():
        return None
    return json.loads(TASKS.read_text(encoding="utf-8"))


def _sign_in(task, user) -> list[str]:
    instr = task["instruction"]
    email = user["email"]
    if email.lower() in instr.lower():
        return ['/inform{"auth_method": "email"}', email]
    name = user["name"]
    return ['/inform{"auth_method": "name_zip"}', f"{name['first_name']} {name['last_name']}", user["address"]["zip"]]


def inform(slot, value) -> str:
    return "/inform" + json.dumps({slot: value})


def script_for(task, user) -> list[str]:
    """The whole conversation: sign in once, then one flow per write action, each confirmed."""
    msgs = []
    for n, action in enumerate(a for a in task["actions"] if a["name"] in FLOW_OF):
        name, kw = action["name"], action["kwargs"]
        flow = FLOW_OF[name]
        msgs += [f"/{flow}", *(_sign_in(task, user) if n == 0 else []), kw["order_id"]]
        if name == "cancel_pending_order":
            msgs.append(inform("cancel_reason", kw["reason"]))
        elif name == "return_delivered_order_items":
            msgs += [inform("return_item_ids", kw["item_ids"]), inform("refund_method", kw["payment_method_id"])]
        elif name in ("exchange_delivered_order_items", "modify_pending_order_items"):
            slot = "exchange_item_ids" if flow == "exchange_items" else "modify_item_ids"
            msgs.append(inform(slot, kw["item_ids"]))
            msgs += [inform("new_item_ids", v) for v in kw["new_item_ids"]]
            msgs.append(inform("payment_method_id", kw["payment_method_id"]))
        elif name == "modify_pending_order_address":
            a = kw
            msgs.append(", ".join(x for x in (a["address1"], a["address2"], a["city"], f"{a['state']} {a['zip']}") if x))
        elif name == "modify_pending_order_payment":
            msgs.append(inform("new_payment_method_id", kw["payment_method_id"]))
        msgs.append("/affirm")
    return msgs


def _candidates(tasks):
    """Up to 3 scenarios per kind of write: every write is one our flows do, no item swapped
    for itself, no item listed twice (our item pickers choose distinct items)."""
    count: dict[str, int] = {}
    out = []
    for i, t in enumerate(tasks):
        writes = [a for a in t["actions"] if a["name"] not in ("think", "calculate")
                  and not a["name"].startswith(("get_", "find_", "list_"))]
        if not writes or len(writes) > 2 or any(a["name"] not in FLOW_OF for a in writes):
            continue
        ok = True
        for a in writes:
            kw = a["kwargs"]
            if "new_item_ids" in kw and any(x == y for x, y in zip(kw["item_ids"], kw["new_item_ids"])):
                ok = False
            if len(set(kw.get("item_ids", []))) != len(kw.get("item_ids", [])):
                ok = False
        if not ok or all(count.get(a["name"], 0) >= 3 for a in writes):
            continue
        for a in writes:
            count[a["name"]] = count.get(a["name"], 0) + 1
        out.append(i)
    return out


TASK_LIST = _load()
IDS = _candidates(TASK_LIST) if TASK_LIST else []


def _require_tasks():
    require(TASK_LIST is not None, f"the tau-bench tasks at {TASKS}",
            "the datasets folder must sit beside the clone as ../shared/data: see the README, Tests")


def _replay(fresh_store, task):
    """The store after tau-bench's replay of the ground truth, and each write's result or StoreError."""
    store = fresh_store()
    results = apply_tau_actions(store, task["actions"], keep_going=True)
    return store, [r for a, r in zip(task["actions"], results) if a["name"] in FLOW_OF]


def test_enough_scenarios_cover_every_kind(fresh_store):
    """Every kind of write is done successfully by some scenario (a refused one covers nothing)."""
    _require_tasks()
    kinds = set()
    for i in IDS:
        task = TASK_LIST[i]
        _, results = _replay(fresh_store, task)
        writes = [a["name"] for a in task["actions"] if a["name"] in FLOW_OF]
        kinds |= {name for name, r in zip(writes, results) if not isinstance(r, StoreError)}
    assert kinds == set(FLOW_OF) and len(IDS) >= 10


# Without the tasks, one placeholder case that fails under CI (and skips with the reason elsewhere).
@pytest.mark.parametrize("index", IDS or [-1])
def test_tau_scenario_as_conversation(index, engine, fresh_store):
    _require_tasks()
    task = TASK_LIST[index]
    expected_store, results = _replay(fresh_store, task)
    expected = expected_store.export_data()
    e = engine()
    conv = e.new_conversation()
    user = e.store.export_data()["users"][task["user_id"]]
    script = script_for(task, user)
    turns = talk(conv, *script)
    transcript = "\n".join(f"> {m}\n{t.text}" for m, t in zip(script, turns))
    assert turns[-2].expecting is not None and turns[-2].expecting.slot == "confirmation", transcript
    writes = [(a, t) for t in turns for a in t.actions if a.write]
    if len(writes) < len(results):  # a gift card that can't pay is said when it is picked, before any write
        short = [r for r in results if isinstance(r, StoreError) and r.code == "insufficient_gift_card_balance"]
        assert short and "doesn't cover" in transcript, transcript
        results = [r for r in results if r not in short]
    assert [a.ok for a, _ in writes] == [not isinstance(r, StoreError) for r in results], transcript
    for (action, turn), result in zip(writes, results):
        if isinstance(result, StoreError):  # the shopper is told why, in the store's words
            assert action.error == result.message and result.message in turn.text, transcript
    assert e.store.export_data() == expected, transcript
