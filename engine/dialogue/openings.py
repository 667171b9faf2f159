"""What a message asks for when nothing is being asked, beyond its route as a whole: several tasks
in one message (started one after the other), a long message whose opening clause is the request,
and a shopper who only says who they are. interpret.py decides when these rules apply."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..contracts import Route
from ..money_words import REFUND_METHOD
from ..refusals import refused
from ..slots.cues import ORDER_NUMBER
from . import commands as c
from .context import TurnContext
from .follow_up import SWAP_FLOWS
from .gift_purchase import buys_for_elsewhere
from .named_tasks import named_tasks, vague_order_tasks
from .new_address import ACCOUNT, ORDER, address_asked, address_part_fixed, new_address
from .option_wish import option_wish, return_for_another
from .order_wishes import order_items_task
from .reading import asks_a_question, asks_for_something, entities_for, looks_like_question, wants_to_stop
from .task_words import CHANGE, naming_other_than
from .understanding import Understanding

# The opening clause of a long message that routes low as a whole is taken when the router is at
# least this sure of it alone, the clause has at most HEAD_WORDS words and ends where details start.
HEAD_FLOOR = 0.85
HEAD_WORDS = 12
_HEAD_END = re.compile(r"[{(\[:;]|\s[-–]\s|\s(?:to|into|from\s+\w+\s+to|because|since|as)\s", re.I)
# A part saying where the money of the task before it goes, not a task of its own
_MONEY_OF_IT = re.compile(r"\b(?:the\s+|any\s+)?(?:price\s+)?difference\b|\b(?:charge|bill)\s+(?:it|the|any|that)\b"
                          r"|\brefund\s+(?:it\s+)?(?:to|on)\b", re.I)


# "refund my paypal", "and refund it to the original card": a part that only says where money goes back
_REFUND_TO = re.compile(r"^\W*(?:(?:and|then|also|just|please|pls)\s+)*refund\s+(?:it\s+|the\s+money\s+)?"
                        r"(?:(?:back\s+)?(?:to|on(?:to)?)\s+)?" + REFUND_METHOD + r"\W*$", re.I)


def task_goals(ctx: TurnContext, goals: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The distinct flows the parts of a message ask for (`goals`: (intent, part) as routed), in order;
    one flow: no queue."""
    out: list[tuple[str, str]] = []
    for k, (intent, part) in enumerate(goals):
        flow = ctx.flows.by_intent(intent)
        if flow is not None and flow.id == "checkout":  # a purchase, or more of an items task before it?
            swap = order_items_task(ctx, part, " ".join(p for _, p in goals[:k]))
            flow = ctx.flows.flows[swap] if swap else flow  # "..., the speaker in blue": that order's item
            same = next((j for j in range(len(out) - 1, -1, -1) if out[j][0] == swap or not swap and out[j][0]
                         in SWAP_FLOWS.values() and _more_of_it(ctx, part)), None)
            if same is not None and not ORDER_NUMBER.search(part):  # "It's full size, I'd like it smaller"
                out[same] = (out[same][0], f"{out[same][1]} {part}")
                continue
        swap_before = next((j for j in range(len(out) - 1, -1, -1) if out[j][0] in SWAP_FLOWS.values()), None)
        if flow is not None and flow.id in SWAP_FLOWS.values() and swap_before is not None \
                and not ORDER_NUMBER.search(part) and not _OWN_TASK_VERB.search(part):
            out[swap_before] = (out[swap_before][0], f"{out[swap_before][1]} {part}")
            continue  # "can i change the hose in #W1? i want it in blue instead of green": more of that swap
        if flow is not None and flow.id == SWAP_FLOWS["delivered"] and out and out[-1][0] in _PENDING_TASKS \
                and _THAT_ORDER.search(part) and not ORDER_NUMBER.search(part):
            flow = ctx.flows.flows.get(SWAP_FLOWS["pending"], flow)  # "switch the payment ... and swap items in
            # it": the order a pending-order task changes is pending, so its items are changed, not exchanged
        if flow is not None and ORDER in flow.intents and _ACCOUNT_SAID.search(part) and not _SHIPMENT_WORD.search(part):
            flow = ctx.flows.by_intent(ACCOUNT) or flow  # "the zip code on my account is wrong, it should be ..."
        if flow is None or flow.pattern or flow.id in [f for f, _ in out]:
            continue
        if flow.id == "checkout" and (_THEIR_ORDERS.search(part) or _KEEPS.search(part)) and not _BUYING.search(part):
            continue  # "I have a few orders I need help with...", "I'd like to keep the order": nothing to buy
        if flow.id == "order_status" and _STATUS_SAID.match(part):
            continue  # "Order status is pending." (a pasted field, pasted_lines.py): what the order is, not asked
        if flow.id == "order_status" and not (_SHIPMENT.search(part) or _names_product(ctx, part)):
            continue  # "I'm trying to keep track of everything: the florist, the caterer": no order of theirs
        first = ctx.flows.flows[out[0][0]] if out else None
        if first is not None and _MONEY_OF_IT.search(part) and any(
                sl.type == "payment_method" for sl in first.slots.values()):
            continue  # "please charge any difference to my Mastercard": how the first task pays, no new task
        if _REFUND_TO.match(part):
            continue  # "cancel it and refund my paypal": where a task's money goes back, never a return
        out.append((flow.id, _with_order_referred_to(part, [p for _, p in goals[:k]])))
    return out


_STATUS_SAID = re.compile(r"^\W*(?:(?:the|my|our)\s+)?(?:order\s+)?status\s+is\s+\w+(?:\s+\w+)?\W*$", re.I)
_PENDING_TASKS = frozenset({"change_order_payment", "change_order_address", "change_order_items"})
# orders the shopper already has: "I have a few orders", "some of my orders"
_THEIR_ORDERS = re.compile(r"\b(?:i|we)\s+(?:have|'ve\s+got|got|placed|made)\s+(?:a\s+few|some|two|three|several|a\s+couple"
                           r"(?:\s+of)?|multiple)?\s*orders\b|\b(?:my|our)\s+(?:\w+\s+)?orders\b", re.I)
_SHIPMENT = re.compile(r"\b(?:orders?|packages?|parcels?|deliver\w*|ship\w*|purchases?|stuff|things|items?|it|them|"
                       r"track(?:ing)?\s+(?:number|id|code)|#?W\d{7})\b", re.I)
_KEEPS = re.compile(r"\bkeep(?:ing)?\s+(?:(?:the|my|this|that)\s+(?:\w+\s+)?order|it|them)\b", re.I)
_BUYING = re.compile(r"\b(?:buy\w*|purchas\w*|order(?:ing)?\s+(?:a|an|some|more)|another|one\s+more|extra|cart)\b", re.I)


def _names_product(ctx: TurnContext, part: str) -> bool:
    return any(e.type == "product" for e in entities_for(ctx, None, part))


def _more_of_it(ctx: TurnContext, part: str) -> bool:
    """A part the router read as a purchase that names no product and asks to buy nothing ("It's full size,
    I'd like it smaller, 80% maybe"): what the items task before it wants."""
    return not _BUYING.search(part) and not _names_product(ctx, part)
# "... and change the speaker in it": the order of the request before, referred to, not named
_THAT_ORDER = re.compile(r"\b(?:in|on|from|of|for)\s+(?:it|that|this)\b(?!\s+(?:one|item|product)\b)"
                         r"|\b(?:that|this|the\s+same)\s+order\b", re.I)
# a part with a task verb of its own ("and return the lamp") may be about any order; one without ("also the
# speaker should be blue, not red") only says more of the order named before it
_OWN_TASK_VERB = re.compile(r"\b(?:cancel|return|exchange|swap|switch|change|modify|replace|refund|send\s+back|buy|"
                            r"purchase|track|update|where)\w*", re.I)


def _with_order_referred_to(part: str, before: list[str]) -> str:
    """A later task's part that refers to the order the parts before it named ("switch the payment on #W1
    to my mastercard, and change the speaker in it to blue"), or says only what an item should become
    ("... Also the speaker should be blue"): that order number put first, so the task
    reads its order (and what the part says of the order's items) as said of that order."""
    if ORDER_NUMBER.search(part) or not (_THAT_ORDER.search(part) or not _OWN_TASK_VERB.search(part)):
        return part
    named = list(dict.fromkeys("W" + m.group(1) for p in before for m in ORDER_NUMBER.finditer(p)))
    return f"#{named[0]}: {part}" if len(named) == 1 else part


# "the first needs a new address and the other one I'd like cancelled": orders counted off, a task for each
_ENUMERATED = re.compile(r"\b(?:the\s+)?first\b.{3,120}?\b(?:the\s+other(?:\s+one|\s+order)?|the\s+second(?:\s+one)?|"
                         r"the\s+last\s+one)\b", re.I | re.S)


def enumerated_goals(ctx: TurnContext, text: str, route: Route) -> list[tuple[str, str]]:
    """Tasks named one per order counted off ("the first ..., the other one ..."), in the order said; [] unless two."""
    if not _ENUMERATED.search(text):
        return []
    goals = named_goals(ctx, text, route)
    return goals if len(goals) > 1 else []


def named_goals(ctx: TurnContext, text: str, route: Route) -> list[tuple[str, str]]:
    """The tasks a message names by their words (named_tasks.py); an item swap named alone ("swap a desk lamp on
    my order") is the swap the router leans to, the order's status unknown until it is read."""
    goals = task_goals(ctx, named_tasks(text))
    swaps, lean = set(SWAP_FLOWS.values()), route.top[0].label if route.top else ""
    if len(goals) == 1 and goals[0][0] in swaps and lean in swaps:
        return [(lean, goals[0][1])]
    return goals


def start_goals(goals: list[tuple[str, str]]) -> list[c.Command]:
    """The first task started on its own part of the message, the others (if any) queued behind it."""
    start = c.StartFlow(goals[0][0], source="router", text=goals[0][1])
    return [start, c.QueueFlows(tuple(goals[1:]))] if len(goals) > 1 else [start]


def request_head(ctx: TurnContext, text: str, route_part: Callable[[str], Route] | None,
                 decide: Callable[..., None]):
    """A long first message whose request comes first and details after ("For #W77, exchange the
    coffee maker: black, 4 cups, espresso, to ..."): the details drown the request for the
    classifier, so its opening clause is routed on its own, and taken only when it is shaped like a
    request and the router is sure of it (then `decide` records it; None: no such clause)."""
    head = _HEAD_END.split(text, maxsplit=1)[0].strip()
    if route_part is None or len(head.split()) > HEAD_WORDS or len(head) > 0.6 * len(text) \
            or not asks_for_something(head):
        return None
    r = route_part(head)
    flow = ctx.flows.by_intent(r.label)
    if flow is None or flow.pattern or r.confidence < HEAD_FLOOR or not r.decided_by.startswith("classifier"):
        return None
    decide(r.label, "request_head", f"the opening clause “{head}” asks for {flow.id}; the details after "
                                    "it are read by the flow", confidence=r.confidence, top=r.top)
    return flow


# "change a phone in one of my orders", "swap the headphones on my order": an item of an order, to be changed
_ITEM_IN_ORDER = re.compile(r"\b(?:change|modify|switch|swap|replace|update|edit)\s+(?:[\w'-]+\s+){0,4}?(?:in|on|from|"
                            r"of|within)\s+(?:one\s+of\s+)?(?:my|our|an?|the|this|that|one)\s+(?:[\w'-]+\s+)?"
                            r"(?:orders?|purchases?)\b", re.I)
_ITEM_WORD = re.compile(r"\b(?:items?|products?|something|things?)\b", re.I)
_NOT_ITEMS = naming_other_than("exchange")


def unnamed_task(ctx: TurnContext, u: Understanding) -> list[c.Command] | None:
    """A first message that asks for a task without its name, which the router reads lukewarm as a whole (the
    rule that applies is recorded with `u.decide`; None: neither):
    - a product (or an item) to change in one of the shopper's orders ("hi, i'd like to change a phone in one of my
      orders"): the item change starts (it hands a delivered order to the exchange at once), unless it asks for
      something no flow does ("switch the lamp in my order to express shipping": engine/unsupported_asks.py) or
      only asks about the rules ("if I change the items now, can I change them again later?");
    - a need said of the shopper's orders, no task named ("I have a few things to sort out with my orders, could
      you help?"): the order tasks it may mean are offered as buttons (named_tasks.vague_order_tasks)."""
    text, decide = u.text, u.decide
    swap = ctx.flows.by_intent(SWAP_FLOWS["pending"])
    if swap is not None and _ITEM_IN_ORDER.search(text) and not _NOT_ITEMS.search(text) and asks_for_something(text) \
            and u.unsupported is None and u.reading.kind != "question" \
            and (_ITEM_WORD.search(text) or any(e.type == "product" for e in entities_for(ctx, None, text))):
        decide(swap.id, "item_change", "asks to change a product in one of the shopper's orders")
        return [c.StartFlow(swap.id, source="router")]
    swap = _swap_either(ctx, u)
    if swap is not None:
        return [c.StartFlow(swap, source="router")]
    flows = _flow_ids(ctx, vague_order_tasks(text))
    if not flows:
        return None
    decide("fallback", "order_tasks_offered", "a need said of the shopper's orders, no task named")
    return [c.OfferTasks("Sure, I can help with your orders. What would you like to do first?", flows)]


def _swap_either(ctx: TurnContext, u: Understanding) -> str | None:
    """"I ordered a digital camera and I'd like to switch it to a higher resolution one": the router splits its
    belief between the two item swaps (exchange: delivered; item change: pending), which only the order's status
    tells apart, so neither alone reaches the threshold. Together they do: the likelier starts, and after sign-in
    the order's status hands it to the other if it must (task_switch.swap_the_status_allows). Only for a request,
    not a question about the rules, and not a request no flow does."""
    swaps = set(SWAP_FLOWS.values())
    top = [cand for cand in u.route.top[:2] if cand.label in swaps]
    if len(top) < 2 or sum(cand.score for cand in top) < u.route.threshold or u.unsupported is not None \
            or u.reading.kind != "request":
        return None
    flow = ctx.flows.by_intent(top[0].label)
    if flow is None or flow.pattern:
        return None
    u.decide(top[0].label, "item_swap_either", f"the router split its belief between {top[0].label} and "
             f"{top[1].label} ({top[0].score:.2f} + {top[1].score:.2f}); the order's status decides after sign-in")
    return flow.id


def introduces_self(ctx: TurnContext, text: str) -> bool:
    """An email, or a name with a zip code, said with no question and no request."""
    if "authenticate" not in ctx.flows.flows or asks_a_question(text) or looks_like_question(text):
        return False
    kinds = {e.type for e in entities_for(ctx, None, text)}
    return "email" in kinds or {"person_name", "zip"} <= kinds


_CANCEL_WORD = re.compile(r"\bcancel(?:l?ing)?\b", re.I)


def cancel_with_nothing_open(ctx: TurnContext, route: Route, text: str) -> str | None:
    """"cancel pls", "cancel it all", "fine, cancel the whole thing then" with no task in the conversation:
    the repair label "cancel" stops a task, and with none open the only thing to cancel is an order. The
    cancel-order flow's id, or None ("never mind" and "stop" stay repairs)."""
    # (also when the router was unsure but "cancel" led: "... I think it's still pending. Please cancel it.")
    lead = route.label if route.decided_by != "threshold" or not route.top else route.top[0].label
    if lead != "cancel" or ctx.state.stack or not _CANCEL_WORD.search(text) or wants_to_stop(text):
        return None
    flow = ctx.flows.by_intent("cancel_order")
    return flow.id if flow is not None and not flow.pattern else None


# routes an option wished for a thing of the shopper's may overrule (a change of items only when the status is said)
# (a wish is no refund: "the speaker crackles, I'd like a replacement unit" is read as a return by the router)
_WISH_LABELS = frozenset({"fallback", "checkout", "exchange_items", "change_order_items", "return_items"})


@dataclass(frozen=True)
class ChangeTold:
    """A change the first message tells instead of asking for: one flow to start, or two to offer."""

    flows: tuple[str, ...]
    rule: str
    reason: str

    @property
    def start(self) -> bool:
        return len(self.flows) == 1

    @property
    def label(self) -> str:
        return self.flows[0] if self.start else "fallback"


def change_told(ctx: TurnContext, label: str, text: str) -> ChangeTold | None:
    """An option wished for a thing of the shopper's ("these shoes in 8 pinch, need them in a 9": option_wish.py),
    a new street address told as news ("new place is 940 W 5th St, ...": new_address.py) or a purchase sent to
    someone else's place ("gift for my nephew: a skateboard ... ship it to his place": gift_purchase.py), with no task open
    and the router's `label` one such a message gets wrongly (None: neither)."""
    if ctx.state.top is not None:
        return None
    wished = option_wish(text, label) if label in _WISH_LABELS else None
    if wished is None and label == "return_items":
        wished = return_for_another(text)
    if wished is not None and (label in ("fallback", "checkout") or len(wished.intents) == 1):
        flows = _flow_ids(ctx, wished.intents)
        if flows:
            return ChangeTold(flows, "option_wish", f"an option wished for a thing of the shopper's (“{wished.wish}”, "
                                                    f"{wished.status or 'status not said'})")
    if label == ORDER and buys_for_elsewhere(text, any(e.type == "product" for e in entities_for(ctx, None, text))):
        flows = _flow_ids(ctx, ("checkout",))
        return ChangeTold(flows, "buys_for_elsewhere", "a product bought and where to ship it, no order placed") \
            if flows else None
    if label == ORDER and address_asked(text):
        flows = _flow_ids(ctx, ("order_status",))
        return ChangeTold(flows, "address_asked", "asks which address an order ships to, no change") if flows else None
    told = new_address(text) if label in ("fallback", "order_status", ACCOUNT, ORDER) else ()
    if not told and label in ("fallback", "order_status", "change_order_items", ACCOUNT):
        told = address_part_fixed(text)  # "I put the wrong zip in the order ... can you fix it?"
    if label == ACCOUNT and told != (ORDER,) and (len(told) < 2 or asks_for_something(text) or _ACCOUNT_SAID.search(text)):
        # "W4725115 new address 55 Grove Rd ...": the order named is the one moved, not the account; an account
        # named, or no order in a request, leaves the router's reading; news with neither ("we just moved, now
        # living at ...") offers both, however sure the router is
        told = ()
    if label == ORDER and not told and _ACCOUNT_SAID.search(text) and not _SHIPMENT_WORD.search(
            _ACCOUNT_SAID.sub(" ", text)):  # "update the address on my account? It should now be 3150 Garden Ct"
        told = (ACCOUNT,)
    if label == ORDER and told != (ACCOUNT,):  # "the address on my account ... should be 77 Pine St": only the
        told = ()  # account named (no order) moves the account; anything else leaves the router's reading
    flows = _flow_ids(ctx, told)
    return ChangeTold(flows, "new_address", "a new street address, or a part of one to fix") if flows else None


# the account named in other words than new_address reads: "the address in my account", "all future orders"
_ACCOUNT_SAID = re.compile(r"\b(?:account|profile|default|on\s+file|future\s+orders|from\s+now\s+on|saved\s+address)\b", re.I)
# a part naming an order or a parcel is about that order, whatever it says of the account
_SHIPMENT_WORD = re.compile(r"\b(?:orders?|packages?|parcels?|shipments?|deliver(?:y|ies)|#?W\d{7})\b", re.I)


def _flow_ids(ctx: TurnContext, intents: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f.id for f in map(ctx.flows.by_intent, intents) if f is not None and not f.pattern)


# Train 331: "I have a few changes to make on some of my orders" got two of the three changes as buttons (the
# router's two likeliest flows). A change of the shopper's orders asked for without saying which: every task the
# shop has for changing an order is offered, and the shopper picks.
_ORDERS = re.compile(r"\b(?:orders?|purchases?)\b", re.I)
# which change is said: another task, where it ships, how it is paid, an item or an option
_WHICH_SAID = re.compile(r"\b(?:ship\w*|deliver\w*|address\w*|card|paypal|billing|items?|products?|things?|stuff|"
                         r"size|colou?r|options?|quantity)\b", re.I)


def which_change(ctx: TurnContext, label: str, text: str, decide: Callable[..., None]) -> list[c.Command] | None:
    """The question "which change?" with every order-changing task as a button, for an opening that asks to
    change the shopper's orders and says nothing of which change (None: not such a message; `decide` records
    the rule), when the router placed it in no task (`label` fallback): a task it is sure of is started."""
    changes = _order_changes(ctx)
    if ctx.state.top is not None or len(changes) < 2 or label != "fallback" or looks_like_question(text) \
            or asks_a_question(text):  # "what can I change on a pending order?" asks about the rules
        return None
    if not _change_unnamed(text) or naming_other_than().search(text) \
            or any(e.type == "product" for e in entities_for(ctx, None, text)):
        return None
    decide("fallback", "which_change", "asks to change the shopper's orders without saying which change")
    return [c.OfferTasks("Sure. Which change would you like to make first?", tuple(changes))]


def change_after_yes(ctx: TurnContext, rest: str) -> list[c.Command]:
    """"Yes, go ahead. After that I have another order to change too.": after the task confirmed, which change
    (flows/pattern_which_change.yaml, queued); nothing when the rest names its change or no change of an order."""
    if len(_order_changes(ctx)) < 2 or not _change_unnamed(rest) or looks_like_question(rest):
        return []
    return [c.RunPattern("pattern_which_change", after=True)] if "pattern_which_change" in ctx.flows.flows else []


def _change_unnamed(text: str) -> bool:
    """A change of the shopper's orders asked for, with no word of which change and none refused."""
    return bool(CHANGE.search(text) and _ORDERS.search(text)) and not _WHICH_SAID.search(text) and not refused(text)


def _order_changes(ctx: TurnContext) -> list[str]:
    """The flows that change an order the shopper has: offered as buttons, about an order, titled as a change."""
    return [f.id for f in ctx.flows.flows.values() if not f.pattern and f.button and f.intents
            and any(s.type == "order_id" for s in f.slots.values()) and f.display.lower().startswith("change")]
