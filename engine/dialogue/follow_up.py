"""A request that follows a finished task: "now the other order, W5202795. the office chair and
action camera" after a return is another return, not a purchase; another order named by its number
with no task said ("yes, #W8770097 too, don't need it anymore") gets the same task; "also on that same order I want to
swap two items" is a change of a pending order's items, or an exchange of a delivered one's.

With nothing open, the router reads such a message on its own and hears "buy" in a list of
products. What the shopper just did, and the status of the order they name, decide instead: a
continuation ("the other order", "that same order") asks for the same kind of task, and a swap is
the one the order's status allows. Anything that names another task plainly is left to the router.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..slots.cues import ORDER_NUMBER
from .context import TurnContext
from .task_words import CHANGE, naming_other_than
from .wishes import REQUEST_VERBS

# "now the other order", "my other one", "the next order", "same for #W...", "that same order"
_ANOTHER = re.compile(r"\b(?:the|my|your)\s+other\s+(?:order|one|package|purchase)\b"
                      r"|\bthe\s+(?:next|second|third|remaining)\s+(?:order|one)\b"
                      r"|\bsame\s+(?:thing\s+)?(?:for|with)\b", re.I)
SAME_ORDER = re.compile(r"\b(?:that|this|the)\s+same\s+order\b|\b(?:on|in|from)\s+(?:that|this)\s+order\b|"
                        r"\b(?:that|this)\s+order['’]s\b", re.I)  # "switch that order's payment to PayPal"
# a swap of items for other options of the same product: the order's status says which task it is
_SWAP = re.compile(r"\b(?:swap\w*|switch\w*|exchang\w*|replac\w*|trade\w*)\b|\bchange\s+(?:the\s+|some\s+|two\s+|a\s+few\s+)?"
                   r"(?:items?|things|stuff|products?)\b"
                   # "change the garden hose to vinyl, blue": an item and what it should become
                   rf"|\b(?:change|modify|make)\b[^.;!?]{{1,40}}?\s(?:to|into)\s+(?!(?:{REQUEST_VERBS})\b)"
                   # "now the items on that same order. Cycling helmet: size S", "glass instead of steel"
                   r"|\bthe\s+items?\s+(?:on|in|of|from)\b|\binstead\s+of\b", re.I)
# words of a task other than the one continued: "now cancel the other order" is the router's to read
OTHER_TASK = naming_other_than("exchange")
# a swap verb whose object is the order's payment or address ("switch the payment method to my PayPal"):
# another task, not a swap of items
_OTHER_OBJECT = re.compile(r"[\w']+\s+(?:[\w']+\s+){0,2}?(?:payment|billing|address|shipping)\b", re.I)
# any task's verb: a message with one is the router's to read, not a bare "#W2 too"
_TASK_VERB = re.compile(r"\b(?:chang\w*|exchang\w*|return\w*|modif\w*|swap\w*|replac\w*|cancel\w*|buy\w*|updat\w*|"
                        r"switch\w*|send|ship|track\w*|pay|add|remove|refund\w*|purchas\w*|order\s+(?:a|an|some|the)\b|"
                        r"where|status)\b", re.I)
SWAP_FLOWS = {"pending": "change_order_items", "delivered": "exchange_items"}
# "also wanna change some stuff on my other order" after a cancellation: a change, not the task just done
# "the backpack in that order, I'd like it in small and nylon instead", "it should be blue, not red": options
# wished (against the one it has), no task named
_WISH_INSTEAD = re.compile(r"\binstead\b|\brather\s+than\b|\bshould\s+(?:be|become)\s+(?!(?:returned|cancell?ed|refunded)\b)"
                           r"|,\s*not\s+(?:the\s+)?[\w%-]+(?:\s+[\w%-]+)?\s*(?:[.!;]|$)", re.I)


def same_order_said(text: str) -> bool:
    """"change the payment on that same order": the order just talked about, named by no number."""
    return SAME_ORDER.search(text) is not None and ORDER_NUMBER.search(text) is None


@dataclass(frozen=True)
class FollowUp:
    flow: str
    reason: str
    order_id: str | None = None  # the order it is about, when the message refers to it without its number


def last_task(ctx: TurnContext) -> str | None:
    """The task flow the shopper finished last in this conversation (None: none yet)."""
    for event in reversed(ctx.state.events):
        if event.get("type") != "flow_ended":
            continue
        flow = ctx.flows.flows.get(str(event.get("flow")))
        if flow is None or flow.pattern or flow.id == "authenticate":
            continue
        return flow.id if event.get("reason") == "completed" else None
    return None


def follow_up(ctx: TurnContext, text: str, order_ids: list[str]) -> FollowUp | None:
    """The task a message asks for as a follow-up to the last one (None: not a follow-up). `order_ids`
    are the orders the message names by number."""
    if ctx.state.top is not None or ctx.state.user_id is None:
        return None
    last = last_task(ctx)
    if last is None:
        return None
    env = ctx.env(None)
    named = order_ids[0] if len(set(order_ids)) == 1 else None
    if named is None and SAME_ORDER.search(text):
        named = ctx.state.value("order_id")
    swaps = [m for m in _SWAP.finditer(text) if not _OTHER_OBJECT.match(text, m.start())]
    rest = text
    for m in swaps:
        rest = rest[:m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
    wants_other = OTHER_TASK.search(rest) is not None or (not last.startswith("change_") and CHANGE.search(rest) is not None)
    swap = bool(swaps) or (_WISH_INSTEAD.search(text) and not wants_other)
    if named is None and swap and not wants_other and not order_ids:
        named = _order_of_item_named(ctx, text)  # "and the speaker? I wanted it in blue instead of red"
    if not swap and named is not None and not wants_other and CHANGE.search(text) \
            and _names_an_item(env.order(named), text):  # "on that same order I want to change the sunglasses"
        swap = True
    if swap and named is not None:
        status = str((env.order(named) or {}).get("status", "")).split(" ")[0]
        flow = SWAP_FLOWS.get(status)
        if flow in ctx.flows.flows:
            return FollowUp(flow, f"a swap of items in {status} order {named} after {last}",
                            None if named in order_ids else named)
    if len(set(order_ids)) == 1 and not _TASK_VERB.search(text) and order_ids[0] != ctx.state.value("order_id"):
        # "yes, the office chair one #W8770097, don't need it anymore" after a cancellation: another order,
        # no other task named: the same task on it
        return FollowUp(last, f"another order named after {last}: the same kind of task")
    if not _ANOTHER.search(text) or wants_other:
        return None
    if swaps:  # after a cancellation or an address change, a swap of items on the other order: which order
        # is not said, so the change of a pending order's items asks (a delivered one named there is exchanged)
        kind = last if last in SWAP_FLOWS.values() else SWAP_FLOWS["pending"]
        return FollowUp(kind, f"a swap on the other order after {last}") if kind in ctx.flows.flows else None
    return FollowUp(last, f"the same kind of task as {last}, on another order")


_ANOTHER_ORDER = re.compile(r"\b(?:other|another|different|second|separate)\s+(?:order|one|purchase)\b", re.I)


def queued_swap(ctx: TurnContext, flow: str, text: str) -> str:
    """The flow a queued item swap starts as: "address change and swap a couple items" on one order read the swap
    before the order was known; the order the task before it acted on (naming no other) decides which swap."""
    if flow not in SWAP_FLOWS.values() or ORDER_NUMBER.search(text or "") or _ANOTHER_ORDER.search(text or ""):
        return flow
    order_id = ctx.state.value("order_id")
    status = str((ctx.env(None).order(order_id) or {}).get("status", "")).split(" ")[0] if order_id else ""
    return SWAP_FLOWS.get(status, flow) if SWAP_FLOWS.get(status) in ctx.flows.flows else flow


def _order_of_item_named(ctx: TurnContext, text: str) -> str | None:
    """The order the last task was about, when the message names one of its items by its product's last
    word ("the speaker" of a Bluetooth Speaker): a swap wished for it is about that order (None: no such
    item, or no order)."""
    order_id = ctx.state.value("order_id")
    order = ctx.env(None).order(order_id) if order_id else None
    return order_id if _names_an_item(order, text) else None


def _names_an_item(order: dict | None, text: str) -> bool:
    """Whether `text` names an item of `order` by its product's last word ("the speaker", "the sunglasses")."""
    heads = {str(i.get("name", "")).split()[-1].lower() for i in (order or {}).get("items", []) if i.get("name")}
    low = text.lower()
    return any(len(h) >= 4 and re.search(rf"\b{re.escape(h)}s?\b", low) for h in heads)
