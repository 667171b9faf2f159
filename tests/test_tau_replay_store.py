"""tau-bench retail training scenarios replay on our store with tau's outcomes.

Every ground-truth action is accepted, except those tau-bench itself rejects: 19 scenarios pay
with a gift card whose balance is too low, which tau answers with "Error: insufficient gift card
balance" (a no-op). For those we re-derive the shortfall from the data, independently of policy.py.
"""
from __future__ import annotations

import json

import pytest

from ci_guard import TAU_TASKS as TASKS
from ci_guard import require
from engine.store import STAFF, Store, StoreError, policy
from engine.store.tau import apply_tau_actions

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


@pytest.fixture(scope="module")
def tasks() -> list[dict]:
    require(TASKS.exists(), f"the tau-bench tasks at {TASKS}",
            "the datasets folder must sit beside the clone as ../shared/data: see the README, Tests")
    return json.loads(TASKS.read_text())


def _disjoint_batches(tasks: list[dict], seed: dict) -> list[list[int]]:
    """Task indexes grouped so no two tasks of a group touch the same user: a group's tasks can replay
    on one store as if each had it to itself, and the store is reset only between groups."""
    def users(task: dict) -> set[str]:
        out = set()
        for action in task["actions"]:
            kw = action.get("kwargs") or {}
            if "order_id" in kw:
                out.add(seed["orders"].get(policy.normalize_order_id(kw["order_id"]), {}).get("user_id"))
            if kw.get("user_id"):
                out.add(kw["user_id"])
        return out

    batches: list[tuple[set[str], list[int]]] = []
    for index, task in enumerate(tasks):
        touched = users(task)
        home = next((b for b in batches if not b[0] & touched), None)
        if home is None:
            batches.append((set(), []))
            home = batches[-1]
        home[0].update(touched)
        home[1].append(index)
    return [indexes for _, indexes in batches]


def _gift_card_shortfall(store: Store, action: dict) -> bool:
    """True when tau-bench would refuse `action` because the gift card can't cover the amount."""
    kw = action["kwargs"]
    order = store.get_order_details(kw["order_id"], as_user=STAFF)
    method = store.get_user_details(order["user_id"], as_user=STAFF)["payment_methods"][kw["payment_method_id"]]
    if method["source"] != "gift_card":
        return False
    if action["name"] == "modify_pending_order_payment":
        needed = order["payment_history"][0]["amount"]
    else:
        prices = {i["item_id"]: i["price"] for i in order["items"]}
        variants = {v["item_id"]: v["price"] for p in store.export_data()["products"].values()
                    for v in p["variants"].values()}
        needed = round(sum(variants[n] - prices[o] for o, n in zip(kw["item_ids"], kw["new_item_ids"])), 2)
    return method["balance"] < needed


def test_all_train_scenarios_replay(tasks, store, seed_export):
    assert len(tasks) == 500
    unexpected, tau_rejects = [], []
    batches = _disjoint_batches(tasks, seed_export)
    assert len(batches) < 100
    for batch in batches:
        store.reset()
        for index in batch:
            for action in tasks[index]["actions"]:
                try:
                    apply_tau_actions(store, [action])
                except StoreError as exc:
                    if exc.code == "insufficient_gift_card_balance" and _gift_card_shortfall(store, action):
                        tau_rejects.append(index)
                    else:
                        unexpected.append((index, action["name"], exc.code, exc.message))
    assert not unexpected, unexpected[:10]
    assert len(set(tau_rejects)) == 19


def test_keep_going_records_rejections_like_tau(tasks, store):
    results = apply_tau_actions(store, tasks[24]["actions"], keep_going=True)
    assert isinstance(results[0], StoreError) and results[0].code == "insufficient_gift_card_balance"
    assert len(results) == len(tasks[24]["actions"])


def test_replay_changes_match_tau_semantics(tasks, store):
    """Spot-check one scenario's resulting fields, not just that it was accepted."""
    task = tasks[0]
    (result,) = apply_tau_actions(store, task["actions"])
    kwargs = task["actions"][0]["kwargs"]
    assert result["status"] == "return requested"
    assert result["return_items"] == sorted(kwargs["item_ids"])
    assert result["return_payment_method_id"] == kwargs["payment_method_id"]
    assert store.get_order_details(kwargs["order_id"], as_user=STAFF) == result
