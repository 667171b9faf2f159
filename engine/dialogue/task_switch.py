"""Messages about the task that is running: asking for it again ("I need to cancel it" at the cancel
reason question goes on, never stops it), refusing it for another ("No, I don't want to cancel that
one. I want to modify the item": the new task replaces it, so nothing is left to get back to), doing
it for several orders ("both of them - #W1 and #W2"), a "never mind" that drops only the question, or a swap
of items on an order whose status takes the other swap ("swap the espresso machine" of a pending order)."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..contracts import Route
from ..question_decision import keyword_label
from ..slots import cues
from . import commands as c
from .context import TurnContext
from .follow_up import SWAP_FLOWS
from .opening_commands import task_flow_id
from .reading import LEAD_FILLER, asks_for_something, entities_for, wants_to_stop
from .state import Frame

# "I need to cancel it", "please just cancel the order": wanting the task's verb, not dropping the task
_WANTS_VERB = re.compile(r"\b(?:need|want|would\s+like|'d\s+like|please|just|go\s+ahead\s+and)\b[^.!?]{0,12}?\b(\w+)\s+"
                         r"(?:it|this|that|them|the\s+(?:whole\s+)?order|my\s+order)\b", re.I)
# A verb for a task done to an order, never buying ("change the item in that order"): who takes a refused order
_ORDER_TASK_VERB = re.compile(r"\b(?:change|modify|cancel|return|exchange|swap|update|switch)\w*\b", re.I)
# "No - the bookshelf should be the brown one": a no first, whatever follows
NO_FIRST = re.compile(r"^\W*(?:no|nope|nah|not\s+quite|that'?s\s+(?:not|wrong))\b(?!\s+(?:problem|worries)\b)", re.I)
_DONT_WANT = re.compile(r"\b(?:(?:don'?t|do\s+not|didn'?t|did\s+not|never)\s+(?:want(?:ed)?|need(?:ed)?|mean(?:t)?|ask(?:ed)?)"
                        r"|(?:'d|would)\s+rather\s+not"
                        # "no dont cancel that one": the task's verb itself said with a don't
                        r"|(?:don'?t|do\s+not)(?=\s+(?:cancel|return|exchange|change|modify)\b)"
                        # "I want the address on #W1 updated, not cancel it"
                        r"|(?<=,\s)not(?=\s+(?:cancel|return|exchange)\b))\s+(?:you\s+)?(?:to\s+)?"
                        # "I don't need another address change": the task said as a noun
                        r"(?:(?:another|any\s+more|anymore|more|an?|any)\s+(?:(?:address|payment|item|order)\s+)?(?=\w+\W*(?:,|\.|$)))?(\w+)"
                        # the task itself, not one of its items: "I don't want to change the backpack" corrects
                        r"(?:\s+or\s+\w+)?\s*(?:(?:it|that|this|them|anything|any\s+of\s+(?:it|them)|at\s+all|any\s*more)\b"
                        r"|(?:that|this)\s+one\b|the\s+(?:whole\s+)?(?:order|thing|exchange|return|change)\b|[.!,;]|$"
                        # "I don't want to cancel #W1", the order by its number
                        r"|(?:order\s+)?#?\s?w\d{5,}\b"
                        # what a change task changes: "I don't want to change the payment (method)"
                        r"|(?:the|my|its|their)\s+(?:order'?s\s+)?(?P<what>payment|card|(?:shipping\s+|delivery\s+)?address)\b)", re.I)
# "I'll just keep all the items as they are": nothing to do, said of the task's own items
_KEEP_ALL = re.compile(r"\bkeep\s+(?:all|every\w*)\s+(?:of\s+)?(?:the\s+|my\s+)?(?:items|things|of\s+(?:it|them))"
                       r"(?:\s+as\s+(?:they\s+are|is))?\s*(?:[.!,;]|$)"
                       # "guess we'll just leave the order as it is then"
                       r"|\b(?:leave|keep)\s+(?:the\s+order|my\s+order|everything|it\s+all)\s+(?:as\s+(?:it\s+is|is)|the\s+way\s+it\s+"
                       r"is|alone|unchanged)\b", re.I)

# "keep it as it is", "leave things the way they are": everything stays (calls_off's "leave it as it is" without
# the verb "keep", which at an item's options may keep only that item)
_KEEP_AS_IS = re.compile(r"\b(?:keep|leave)\s+(?:it|that|them|things|everything|(?:the|my)\s+(?:payment(?:\s+method)?|card|"
                         r"method|order|address|items?))\s+(?:as\s+(?:it\s+is|they\s+are|is)|"
                         r"the\s+way\s+(?:it\s+is|they\s+are))\b", re.I)

# "ok then don't do it", "let's not bother", "skip it then", "i'll leave that order's items as they are": the
# task in progress called off, said with no task verb (a "don't change the color" names an option: not this)
_CALLED_OFF = re.compile(
    r"\b(?:(?:don'?t|do\s+not|let'?s\s+not|no\s+need\s+to)\s+(?:(?:bother|do|proceed|go\s+ahead)(?:\s+with)?"
    r"(?:\s+(?:it|that|this|anything|the\s+change))?|change\s+(?:it|anything|a\s+thing))"
    r"|let'?s\s+not|(?:skip|drop|scrap)\s+(?:it|that|this)|forget\s+(?:about\s+)?(?:it|that|this))"
    r"(?:\s+(?:then|after\s+all|for\s+now|please|thanks?))?\s*(?:[.!,;]|$)"
    r"|\bleave\s+(?:it|them|that|this|everything|it\s+all|(?:the|my|that|this)\s+(?:order'?s\s+)?(?:order|items?|things?))"
    r"\s+(?:as\s+(?:it\s+is|they\s+are|is)|the\s+way\s+(?:it\s+is|they\s+are)|alone|unchanged)\b", re.I)


def _verb_of(flow_id: str, verb: str) -> bool:
    """A task flow's id starts with its verb (cancel_order, return_items): "didn't mean to order it" is no
    refusal of cancel_order."""
    return verb.lower() == flow_id.lower().split("_")[0]


def asks_for_the_running_task(ctx: TurnContext, route: Route, text: str, frame: Frame) -> bool:
    """A "cancel" label for a message that asks for the very task in progress (its flow among the
    router's candidates, its verb wanted, nothing dropped): the task goes on."""
    if route.label != "cancel" or wants_to_stop(text) or NO_FIRST.search(text):
        return False
    wanted = _WANTS_VERB.search(text)
    running = ctx.flow(frame)
    among = any((f := ctx.flows.by_intent(cand.label)) is not None and f.id == running.id for cand in route.top)
    return wanted is not None and among and _verb_of(running.id, wanted.group(1))


def _refusal(ctx: TurnContext, text: str) -> re.Match[str] | None:
    """Where the running task's own verb is refused ("I don't want to cancel that one"), or None."""
    task = ctx.task_frame()
    said = _DONT_WANT.search(text)
    if task is None or said is None or not _verb_of(task.flow_id, said.group(1)):
        return None
    what = (said.group("what") or "").split()[-1:]  # the payment refused is no refusal of an address change
    return said if not what or {"card": "payment"}.get(what[0].lower(), what[0].lower()) in task.flow_id else None


def rejects_running(ctx: TurnContext, text: str) -> bool:
    """The running task's own verb refused ("I don't want to cancel that one"), another asked for."""
    return _refusal(ctx, text) is not None


def declines_for_another(ctx: TurnContext, text: str) -> bool:
    """A no to the question, then a request for another task ("nope, that was it. next I'd like to switch the payment
    on #W1"): the running task is declined, not answered."""
    return NO_FIRST.search(text) is not None and asks_for_something(text) and task_asked_instead(ctx, text) is not None


def task_asked_instead(ctx: TurnContext, text: str) -> str | None:
    """"no dont cancel that one, i want to change items in it": the running task's verb refused, and the task
    the words after the refusal name (keyword rules: the router is often unsure of such a message as a
    whole). None: no refusal, no task named, or the running one again."""
    said = _refusal(ctx, text) or NO_FIRST.search(text)  # "nope, no more address changes. next, the payment on #W1"
    label = keyword_label(text[said.end():]) if said is not None else None
    flow = ctx.flows.by_intent(label) if label else None
    return flow.id if flow is not None and not flow.pattern and flow.id != ctx.task_frame().flow_id else None


def keeps_as_is(text: str) -> bool:
    """"keep it as it is then", "leave things the way they are": nothing to change. Said where only the whole task
    can be meant (the question how to pay); at an item's options it may keep just that item."""
    return _KEEP_AS_IS.search(text) is not None


def calls_off(text: str) -> bool:
    """"ok then don't do it", "let's not bother", "leave it as it is": the task in progress called off."""
    return _CALLED_OFF.search(text) is not None


def drops_running(ctx: TurnContext, text: str) -> bool:
    """"I'd rather not exchange or return anything. I'll just keep all the items as they are.": the
    running task refused (or everything kept) with no other task asked for: a stop, never an answer."""
    return rejects_running(ctx, text) or (ctx.task_frame() is not None and (
        _KEEP_ALL.search(text) is not None or calls_off(text)))


def more_orders(ctx: TurnContext, frame: Frame, slot, text: str) -> list[tuple[str, str]]:
    """For a one-order question answered with several order numbers: (order id, opening) for each order,
    the first included (each opening is the message without the other numbers, so a reason said for both
    goes with each). Empty when the message names fewer than two."""
    if slot.type != "order_id" or frame.called or len(ctx.state.stack) > 1:
        return []
    found = [e for e in entities_for(ctx, frame, text, slot) if e.type == "order_id" and e.start >= 0
             and not cues.AS_REFERENCE.search(text[:e.start])]  # "ship it to the same address as #W..." is no order
    ids = list(dict.fromkeys(str(e.value) for e in found))
    if len(ids) < 2:
        return []
    return [(i, _said_of(text, i)) for i in ids]


# where the part said of other orders begins: "#W1 and #W2 because I no longer need them, and #W3 because I ordered it
# by mistake" (not the "and" between two numbers said together)
_ORDER_PARTS = re.compile(r",\s*(?:and|but|while)\s+|;\s*|(?<=[.!?])\s+", re.I)


def _said_of(text: str, order: str) -> str:
    """The message as said of `order`: the part that names it with the parts that name no order (a reason said for
    all goes with each; one said of another order does not), without the other order numbers."""
    digits = order.lstrip("#Ww")
    parts = [p for p in _ORDER_PARTS.split(text) if p and p.strip()]
    if sum(1 for p in parts if cues.ORDER_NUMBER.search(p)) > 1:
        own = next((p for p in parts if any(m.group(1) == digits for m in cues.ORDER_NUMBER.finditer(p))), None)
        text = " ".join(p for p in parts if p is own or not cues.ORDER_NUMBER.search(p)) if own else text
    return cues.ORDER_NUMBER.sub(lambda m: m.group(0) if m.group(1) == digits else "", text)


def one_at_a_time_note(orders: list[tuple[str, str]]) -> str:
    return f"I'll do one order at a time: first {orders[0][0]}, then {', then '.join(o for o, _ in orders[1:])}."


def one_order_at_a_time(ctx: TurnContext, frame: Frame, slot, said: str) -> str:
    """The opening of a one-order task that names several orders ("cancel two orders for me, #W1 and #W2?
    don't need them anymore"): this task for each, one after the other. The other orders are queued next
    (each with the opening without the other numbers, so a reason said for all goes with each) and the
    text this frame reads its order from is returned (`said` itself when it names fewer than two)."""
    if frame.context.get("one_order_at_a_time"):
        return said
    orders = more_orders(ctx, frame, slot, said)
    if not orders:
        return said
    frame.context["one_order_at_a_time"] = orders[0][1]
    ctx.state.queued[:0] = [{"flow": frame.flow_id, "text": text} for _, text in orders[1:]]
    ctx.say(one_at_a_time_note(orders))
    ctx.log("flows_queued", flows=[frame.flow_id] * (len(orders) - 1))
    return orders[0][1]


def after_never_mind(text: str) -> str:
    """The sentences after an opening "never mind" / "forget it" ("" when it does not open the message)."""
    m = re.match(r"\W*(?:(?:ok(?:ay)?|oh|ah|fine|well)\W+)?(?:never\s*mind|nevermind|forget\s+(?:it|that))\W*[.!,;]\s*(.+)",
                 text, re.I | re.S)
    return m.group(1).strip() if m and len(m.group(1).split()) >= 2 else ""


def task_for_refused(ctx: TurnContext, route: Callable[[], Route], text: str, frame: Frame, slot) -> str | None:
    """"ok then change the item in that order" after "Order #W... is pending, so it can't be exchanged (I
    can change its items instead: just ask)": the flow among the router's candidates, other than the running
    one, whose own check takes the order this one refused (None: no such request)."""
    from ..slots.candidate_sets import check_error

    refused = frame.context.get("refused:" + slot.name)
    if refused is None or slot.type != "order_id" or not _ORDER_TASK_VERB.search(text):
        return None
    for cand in route().top:  # the router only now: most replies never need it
        flow = ctx.flows.by_intent(cand.label)
        other = flow.slots.get(slot.name) if flow is not None and not flow.pattern and flow.id != frame.flow_id else None
        if other is not None and other.check and check_error(other, refused, ctx.env(frame)) is None:
            return flow.id
    return None



def swap_the_status_allows(ctx: TurnContext, frame: Frame, slot) -> str | None:
    """"swap the espresso machine" then a pending order: an exchange (delivered orders only) refused it, but
    changing a pending order's items is the same swap, so that flow takes the order at once rather than
    after a "just ask" and another message (a delivered order refused by the item change: the exchange).
    The other item-swap flow whose own check takes the order this one refused (None: no such flow)."""
    from ..slots.candidate_sets import check_error

    refused = frame.context.get("refused:" + slot.name)
    if refused is None or slot.type != "order_id" or frame.flow_id not in SWAP_FLOWS.values():
        return None
    env = ctx.env(frame)
    other = SWAP_FLOWS.get(str((env.order(refused) or {}).get("status", "")).split(" ")[0])
    flow = ctx.flows.flows.get(other or "")
    taker = flow.slots.get(slot.name) if flow is not None and flow.id != frame.flow_id else None
    if taker is None or not taker.check or check_error(taker, refused, env) is not None:
        return None
    return flow.id


def swap_for_refused_order(ctx: TurnContext, frame: Frame, slot) -> bool:
    """The order this item swap refused taken by the swap its status allows (`swap_the_status_allows`):
    the frame is replaced, the shopper told why, and the new flow reads the opening again (the items and
    what they should become). False: nothing replaced, the refusal is said as before."""
    from .filling import fill_others
    from .machine import push_flow  # the machine calls this module: imported when used

    other = swap_the_status_allows(ctx, frame, slot)
    if other is None or ctx.state.top is not frame:
        return False
    order_id = frame.context["refused:" + slot.name]
    opening = frame.context.get("opening") or ""
    ctx.state.stack.pop()
    ctx.log("flow_ended", flow=frame.flow_id, reason="replaced")
    below = ctx.state.top
    if below is not None and below.flow_id == other:  # the swap it interrupted is this one: one run, nothing to resume
        ctx.state.stack.pop()
        ctx.log("flow_ended", flow=below.flow_id, reason="replaced")
    status = str((ctx.env(frame).order(order_id) or {}).get("status", ""))
    ctx.say(f"Order {order_id} is {status}, so instead of " + ("an exchange I'll change its items (that's how a swap "
            "works before an order ships)." if status == "pending" else "changing its items I'll exchange them."))
    new = push_flow(ctx, other, slots={slot.name: order_id}, source="user",
                    context={"opening": opening} if opening else None)
    if opening:
        fill_others(ctx, new, opening)
    return True


def stop_reading(ctx: TurnContext, u: Any, frame: Frame, slot: Any) -> tuple[bool, list[c.Command]]:
    """(the shopper drops the task and asks nothing else; the commands when a later sentence asks for another task
    after the stop: the stop, then that task)."""
    stopping = wants_to_stop(u.text) or drops_running(ctx, u.text) or (
        slot.type == "payment_method" and keeps_as_is(u.text))
    stops = stopping and not asks_for_something(u.text)
    after = task_after_stop(ctx, u, frame) if stopping and not stops else []
    if after:
        u.decide("cancel", "stop", "the shopper drops the task and asks for another")
    return stops, ([c.CancelFlow(), *after] if after else [])


def task_after_stop(ctx: TurnContext, u: Any, frame: Frame) -> list[c.Command]:
    """"Ugh, fine, keep it as is. But I also want to swap the cycling helmet in that order.": the task dropped, and
    the task a later sentence asks for started (the router sure of that sentence alone, or, unsure, the task its words
    name: "no, I don't want to change the payment. on #W1 I want to swap the water bottle"); [] when none does."""
    for sentence in re.split(r"(?<=[.!?])\s+", u.text.strip())[1:]:
        bare = re.sub(r"^\W*(?:(?:" + LEAD_FILLER + r")\W+)+", "", sentence, flags=re.I)
        if u.route_part is None or not asks_for_something(bare):
            continue
        r = u.route_part(bare)
        flow = task_flow_id(ctx, r.label) if r.decided_by.startswith("classifier") else None
        flow = flow or task_flow_id(ctx, keyword_label(bare) or "")
        if flow and flow != frame.flow_id:
            # queued, not started on top: the stop is said first, then the task begins (not the other way round)
            return [c.QueueFlows(((flow, bare),), next=True, announce=False)]
    return []


_OTHER_ORDER = re.compile(r"\b(?:other|another|different|second)\s+order\b|#?\bW\d{7}\b", re.I)


def asks_for_this_swap(ctx: TurnContext, route: Route, text: str, frame: Frame) -> bool:
    """"Can I swap it for the same one?" while an order's items are changed: the router's item swap (an exchange
    for a delivered order, a change for a pending one) is the running swap itself unless another order is named."""
    swaps = set(SWAP_FLOWS.values())
    asked = ctx.flows.by_intent(route.label)
    return frame.flow_id in swaps and asked is not None and asked.id in swaps and not _OTHER_ORDER.search(text)


_KEEPING = re.compile(r"\b(?:keep|leave)\s+(?:it|that|this|them|the\s+\w+)(?:\s+one)?\s+(?:the\s+same|as\s+(?:it\s+is|is|they\s+are)"
                      r"|unchanged)\b", re.I)


def without_keeping(text: str) -> str:
    """`text` without "keep it the same": what is left names the options kept ("keep that one the same, medium,
    HEPA" answers which variant), or nothing ("I'll keep the kettle as it is" drops the task)."""
    return _KEEPING.sub(" ", text)
