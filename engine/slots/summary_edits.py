"""Changes to a list value at a summary: its items in the order's own order, one swapped, one placed.

Used by the dialogue's corrections ("not the grey backpack, the green one", "no, the other white one").
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..flows.model import SlotDef
from .candidate_sets import candidates_for

if TYPE_CHECKING:
    from .types import SlotEnv


def in_list_order(slot: SlotDef, env: "SlotEnv", values: list) -> list:
    """Items in the order's own order (as its buttons and summaries list them)."""
    if slot.type != "items":
        return values
    known = [c.value for c in candidates_for(slot, env) or []]
    return sorted(values, key=lambda v: known.index(v) if v in known else len(known))


def swapped(slot: SlotDef, env: "SlotEnv", current: list, said: list) -> list | None:
    """"not the grey backpack, the green one" at a summary: the items said replace those of the
    same product in the list; the rest stays. None when nothing said is new or nothing is replaced."""
    if slot.type != "items" or any(v in current for v in said):
        return None
    names = {c.value: c.names for c in candidates_for(slot, env) or []}
    kinds = {n for v in said for n in names.get(v, ())}
    kept = [v for v in current if not set(names.get(v, ())) & kinds]
    return kept + said if len(kept) < len(current) else None


def placed(slot: SlotDef, env: "SlotEnv", current: list, value: Any) -> list | None:
    """One new option said at a summary of several ("no, the other white one"): the list with it in
    the place of the item whose product it is an option of. None when it fits no place."""
    if slot.type != "variants" or isinstance(value, list):
        return None
    items = env.values.get(slot.of or "") or []
    order = env.order_for(slot) or {}
    by_id = {i["item_id"]: i for i in order.get("items", [])}
    for pos, item_id in enumerate(items if isinstance(items, list) else [items]):
        product = env.product(by_id.get(item_id, {}).get("product_id")) if item_id in by_id else None
        if product and value in product.get("variants", {}) and pos < len(current):
            return [*current[:pos], value, *current[pos + 1:]]
    return None
