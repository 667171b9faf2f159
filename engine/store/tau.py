"""Replay tau-bench retail ground-truth actions against our store.

tau-bench's expected actions are our regression oracle: if the store rejects one, our policy is
stricter or different from the benchmark's. The one deliberate difference -- we refuse to
"change" an item into itself, which some tau ground truths do -- is switched off here.
"""
from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from .access import STAFF
from .errors import StoreError
from .protocol import Store

# Tools that only reason or compute in tau-bench; they touch no data.
NO_OP_TOOLS = frozenset({"think", "calculate"})
SAME_ITEM_TOOLS = frozenset({"modify_pending_order_items", "exchange_delivered_order_items"})


def apply_tau_actions(store: Store, actions: Iterable[Mapping[str, Any]], *,
                      keep_going: bool = False) -> list[Any]:
    """Apply each {"name", "kwargs"} action in order and return their results.

    By default the first StoreError propagates. With `keep_going`, a rejected action is recorded as
    its StoreError and the replay continues -- exactly what tau-bench does, where a tool answering
    "Error: ..." changes nothing. Some tau ground truths contain such actions (e.g. a gift card
    that can't cover the amount), so a faithful replay must tolerate them.
    """
    results: list[Any] = []
    for action in actions:
        name, kwargs = action["name"], dict(action.get("kwargs") or {})
        if name in NO_OP_TOOLS:
            results.append(None)
            continue
        method = getattr(store, name, None)
        if method is None or name.startswith("_"):
            raise StoreError("unknown_action", f"tau action {name!r} has no store operation.")
        if name in SAME_ITEM_TOOLS:
            kwargs["allow_unchanged"] = True
        if "as_user" in inspect.signature(method).parameters:
            kwargs["as_user"] = STAFF  # a replay of a ground truth acts as staff
        try:
            results.append(method(**kwargs))
        except StoreError as exc:
            if not keep_going:
                raise
            results.append(exc)
    return results
