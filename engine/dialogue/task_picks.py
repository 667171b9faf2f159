"""What an item swap has picked so far, said from the task itself.

Train 349: "which bookshelf did you pick for me?" at the payment question got a catalogue answer with a buy
button, and the new bookshelf, taken from "wood, 4 ft" and a button, was never said before the shopper was
asked how to pay the difference. The task holds the answer: the items being changed and the option chosen for
each. `picked_answer` says it when asked; `picks_before_paying` says it (with the difference) before the
payment question, so the shopper knows what they are paying for.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..slots.candidates import describe_item, describe_options
from ..slots.types import SlotEnv
from ..store import policy
from ..store.errors import StoreError
from . import task_money as m


def _pairs(env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> list[tuple[dict, dict | None]]:
    """(order item being swapped, its new variant or None while not picked), in the order they are asked."""
    if flow_id not in m.SWAP_SLOTS:
        return []
    items_slot, new_slot, _ = m.SWAP_SLOTS[flow_id]
    order = env.order(values.get("order_id"))
    old_ids, new_ids = m.ids(values.get(items_slot)), m.ids(values.get(new_slot))
    if not order or not old_ids:
        return []
    try:
        old_items = policy.pick_items(order, old_ids)
    except StoreError:
        return []
    out: list[tuple[dict, dict | None]] = []
    for k, old in enumerate(old_items):
        variants = (env.product(old["product_id"]) or {}).get("variants") or {}
        out.append((old, variants.get(new_ids[k]) if k < len(new_ids) else None))
    return out


def _pick_words(old: Mapping[str, Any], new: Mapping[str, Any] | None, flow_id: str | None = None) -> str:
    """One pick in words; the same item picked again is kept in an order not yet shipped, but replaced by a new,
    identical one in an exchange (a faulty item: "stays as it is" read as if it were dropped)."""
    if new is None:
        return f"the {describe_item(old)}: no new option picked yet"
    if new.get("item_id") == old.get("item_id"):
        return f"the {describe_item(old)} " + (
            "is exchanged for an identical new one" if flow_id == "exchange_items" else "stays as it is")
    return f"the {describe_item(old)} becomes {describe_options(new['options'])} ({policy.fmt(new['price'])})"


def last_pick(env: SlotEnv, flow_id: str | None, values: Mapping[str, Any], partial: list) -> str | None:
    """The pick just taken, while the next item's option is asked (train 491: "the large polyester one" for the
    backpack went unsaid until the summary, so the shopper could not tell it had been understood)."""
    if not partial or flow_id not in m.SWAP_SLOTS:
        return None
    pairs = _pairs(env, flow_id, {**values, m.SWAP_SLOTS[flow_id][1]: list(partial)})
    k = len(partial) - 1
    return _pick_words(*pairs[k], flow_id) if k < len(pairs) and pairs[k][1] is not None else None


def picked_answer(products: set[str], env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> str | None:
    """The answer to "which bookshelf did you pick for me?" in an item swap (`products`: the product ids the
    question names; none: every item), or None outside one."""
    pairs = _pairs(env, flow_id, values)
    if not pairs:
        return None
    asked = [(old, new) for old, new in pairs if old["product_id"] in products] or pairs
    if products and not any(old["product_id"] in products for old, _ in pairs):
        so_far = m.join_words([_pick_words(*p, flow_id) for p in pairs])
        return f"That isn't one of the items you're changing. So far: {so_far}."
    text = "So far, " + m.join_words([_pick_words(*p, flow_id) for p in asked]) + "."
    pay = values.get(m.SWAP_SLOTS[str(flow_id)][2])
    if pay and all(new is not None for _, new in pairs):
        text += f" The price difference goes through {m.method_phrase(env, pay)}."
    return text


def picks_before_paying(env: SlotEnv, flow_id: str | None, values: Mapping[str, Any], money: bool = True) -> str | None:
    """Before the payment question of an item swap: every pick, and what it costs or pays back (`money`: the
    confirmation after it says that no money moves)."""
    pairs = _pairs(env, flow_id, values)
    if not pairs or any(new is None for _, new in pairs):
        return None
    priced = m.swap(env, str(flow_id), values)
    said = f" In all, {m.difference_words(env, priced.diff, None)}." if priced is not None and money else ""
    picks = m.join_words([_pick_words(*p, flow_id) for p in pairs])
    return f"Your pick{'s' if len(pairs) > 1 else ''}: {picks}.{said}"
