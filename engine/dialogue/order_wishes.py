"""A message that names one of the shopper's orders and items of it with what they should become ("order
W8367380, three changes: the dumbbell set should be 5-25 lbs, the speaker in blue, the fleece jacket in XL")
asks to change those items: a pending order's items are changed, a delivered order's exchanged.

The router hears "buy" in a list of products with options (or "cancel" in an order number said bare), and
the shopper was asked what they would like to buy. The order named, an item of it named by its product
name, and an option of that product the item does not have yet decide instead. A message that names
another task in words ("buy", "cancel", "return", the address, the payment) is left to the router.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..slots.candidates import item_candidates
from ..slots.cues import ORDER_NUMBER
from ..slots.normalize import option_pattern
from ..slots.resolve import find_mentions
from .context import TurnContext
from .follow_up import OTHER_TASK, SWAP_FLOWS

# words of a task other than changing items (follow_up.OTHER_TASK), or of buying more: the router's to read
_MORE = re.compile(r"\b(?:another|one\s+more|extra|cart)\b", re.I)


def order_items_task(ctx: TurnContext, text: str, before: str = "", routed: str | None = None,
                     decide: Callable[..., None] | None = None) -> str | None:
    """The flow that changes the items of the one order `text` names by number (or, when it names none,
    the one `before` names), when `text` names an item of it and an option its product offers that the
    item lacks, and no other task (`decide`, if given, records it). None otherwise, when the router already
    chose a change or exchange of items (`routed`: that flow's own checks speak), and before the shopper is
    signed in (no order is read)."""
    if ctx.state.user_id is None or routed in SWAP_FLOWS.values() or OTHER_TASK.search(text) or _MORE.search(text):
        return None
    ids = {m.group(1) for m in ORDER_NUMBER.finditer(text)} or {m.group(1) for m in ORDER_NUMBER.finditer(before)}
    if len(ids) != 1:
        return None
    env = ctx.env(None)
    order = env.order("#W" + ids.pop())
    if not order or not _wishes_for_an_item(env, order, text):
        return None
    flow = SWAP_FLOWS.get(str(order.get("status", "")).split(" ")[0])
    if flow not in ctx.flows.flows:
        return None
    if decide is not None:
        decide(flow, "order_items", "the message names an order's items and options they lack")
    return flow


def _wishes_for_an_item(env, order: dict, text: str) -> bool:
    """An item of `order` is named by its product name and one of its product's options it does not have
    is said ("the speaker in blue" of a red speaker)."""
    cands = [dataclasses.replace(c, terms=()) for c in item_candidates(order)]
    named = {i for _, _, hits in find_mentions(text, cands) for i in hits}
    for i in named:
        item = order["items"][i]
        own = {str(v).lower() for v in (item.get("options") or {}).values()}
        product = env.product(item.get("product_id")) or {}
        offered = {str(v) for variant in (product.get("variants") or {}).values()
                   for v in (variant.get("options") or {}).values()}
        if any(len(v) > 1 and v.lower() not in own and v.lower() not in ("yes", "no", "none")
               and re.search(rf"(?<![\w.$#]){option_pattern(v)}(?![\w%])", text, re.I) for v in offered):
            return True
    return False
