"""Tasks named, not yet told: "I have a few things to sort out with some orders - a return and a
cancellation", "I need to cancel or return some stuff", "a couple of my orders, the address on one and the
payment on another". The router reads such an opening as no task (no item, no order, several tasks at once),
and the shopper got "I don't have an answer to that". Each task the message names is started in the order
named (the first now, the others queued), as with several requests in one message. One task named is
the router's to read.

Only for an opening the router left to the fallback and the question reading did not take as a question,
and only when it speaks of the shopper's orders or things: a bank's "cancel the transfer and refund me" names
no order. "a change" alone names no task (items, address or payment?): it is left out (openings.which_change
asks which).

A need said of the shopper's orders with no task named at all ("I have a few things to sort out with my orders,
could you help?") is offered the order tasks as buttons (`vague_order_tasks`): the router's two likeliest flows
for such words are arbitrary (status and buying). A change asked for without saying which ("a few changes to
make on some of my orders") is not such a need: which_change asks which change.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..contracts import Route
from ..question_cues import PERSON
from ..question_or_request import read_message

from .follow_up import SWAP_FLOWS
from .task_words import naming_other_than

# (flow id, how a shopper names it), in no particular order: the message's order decides
_TASKS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((flow, re.compile(words, re.I)) for flow, words in (
    ("cancel_order", r"\bcancel(?:l?ations?|l?ing|l?ed|s)?\b"),
    ("return_items", r"\b(?:return(?:s|ing)?|send(?:ing)?\s+(?:\w+\s+){0,2}back)\b(?!\s+(?:polic|window))"),
    ("exchange_items", r"\b(?:exchang(?:e|es|ing)|swap(?:s|ping)?)\b(?!\s+rates?)"),
    # "different size for the fleece jacket": an item swap (handed to the exchange if the order turns out delivered)
    ("change_order_items", r"\b(?:different|another|other|smaller|bigger|larger)\s+(?:size|colou?r)\s+(?:for|of|on)\b"),
    ("change_default_address", r"\baddress\s+(?:on\s+file|on\s+my\s+account)|\b(?:default|account'?s?)\s+address\b"),
    ("change_order_address", r"\b(?:(?:new|delivery|shipping)\s+address|address\s+(?:on|for)\s+(?:one|the\s+other|"
                             r"another|an?\s+order|the\s+first))\b"),
    ("change_order_payment", r"\b(?:payment|pay(?:ing)?\s+with|card)\s+(?:on|for|of)\s+(?:one|another|the\s+other|"
                             r"an?\s+order|the\s+first)\b|\bpayment\s+(?:method\s+)?change\b"),
))
# The shopper's orders or things are what the tasks are about
_THEIRS = re.compile(r"\b(?:orders?|items?|stuff|things|purchases?|packages?|deliveries)\b", re.I)


# tasks named as things to do ("I need to do an exchange and a return"): the shopper's own, no order said
_TASK_TO_DO = re.compile(r"\b(?:do|make|start|process|file|have|need|got)\s+(?:an?|some|two|a\s+couple\s+of)\s+"
                         r"(?:exchange|return|refund|cancellation)s?\b", re.I)


def named_tasks(text: str) -> list[tuple[str, str]]:
    """(flow id, the words that named it) for each distinct task the message names, in the order named;
    [] when the message names fewer than two (one task named is the router's to read, unless it is said as a
    need of the shopper's orders) or does not speak of the shopper's orders or things."""
    if not _THEIRS.search(text) and not _TASK_TO_DO.search(text):
        return []
    found = _found(text)
    named = [(flow, said) for flow, (_, said) in sorted(found.items(), key=lambda kv: kv[1][0])]
    # one task named in a need said of the shopper's orders ("a few things to sort out on my orders - a couple of
    # cancellations and one change"): the router read no task, yet the message names one to start with
    return named if len(named) >= 2 or (len(named) == 1 and _ORDERS.search(text) and _NEED.search(text)) else []


def tasks_named(text: str) -> list[str]:
    """Every task `text` names by its words, in the order said ("cancel or return some stuff" -> cancel_order,
    return_items)."""
    found = _found(text)
    return sorted(found, key=lambda flow: found[flow][0])


def _found(text: str) -> dict[str, tuple[int, str]]:
    """flow id -> (where, the words that named it) for each task `text` names."""
    found = {flow: (m.start(), m.group(0)) for flow, words in _TASKS if (m := words.search(text))}
    if "change_default_address" in found:
        found.pop("change_order_address", None)  # "the address on file" is the account's, not an order's
    return found


# the shopper's orders, spoken of as a whole ("my orders", "some of my orders", "an order I placed")
_ORDERS = re.compile(r"\b(?:my|our)\s+(?:[\w'-]+\s+)?orders?\b|\ban?\s+(?:order|purchase)\s+(?:i|we)(?:'ve|\s+have)?\s+"
                     r"(?:made|placed)\b", re.I)
# a need told, no task named: things to sort out, help, changes
_NEED = re.compile(r"\b(?:things?|stuff|issues?|problems?|matters|help|sort(?:ing)?\s+out|fix(?:ing)?|deal(?:ing)?\s+with|"
                   r"handl(?:e|ing)|take\s+care\s+of|look(?:ing)?\s+(?:at|into)|go(?:ing)?\s+(?:over|through))\b", re.I)
_CHANGES = re.compile(r"\b(?:chang(?:e|es|ing)|modif\w*|updat\w*|edit\w*|adjust\w*|tweak\w*|amend\w*)\b", re.I)
_ANY_TASK = naming_other_than()
# what can be done with an order, in the order offered
ORDER_TASKS = ("order_status", "cancel_order", "return_items", "exchange_items", "change_order_items",
               "change_order_address", "change_order_payment")


def vague_order_tasks(text: str) -> tuple[str, ...]:
    """The intents of the order tasks a need said of the shopper's orders may mean ("a few things to sort out with
    my orders": all of them), when it names no task, asks for no change and no person ("can a person help me with my
    order": the handoff); () when the message is no such need."""
    if not _ORDERS.search(text) or _ANY_TASK.search(text) or _names_a_task(text) or _CHANGES.search(text) \
            or PERSON.search(text):
        return ()
    return ORDER_TASKS if _NEED.search(text) else ()


def _names_a_task(text: str) -> bool:
    return any(words.search(text) for _, words in _TASKS)


# what an order status asks: where, when, whether it shipped, what is in it, which orders there are
_STATUS_ASKED = re.compile(r"\b(?:where\w*|when|status|track\w*|ship\w*|arriv\w*|deliver\w*|came|come|coming|what|which|"
                           r"list|show|see|history|have\s+i|do\s+i\s+have|placed|bought|ordered)\b", re.I)


def need_not_status(text: str, label: str) -> bool:
    """An opening the router read as an order status that only says the shopper's orders need something ("I've got
    a few changes to make on a couple of my orders", "things to sort out with my orders"): the order tasks it may
    mean are offered (the router's status reading of "my orders" is no status asked)."""
    return label == "order_status" and bool(_ORDERS.search(text)) and bool(_NEED.search(text) or _CHANGES.search(text)) \
        and not _STATUS_ASKED.search(text)


# an order the shopper already has ("swap a couple things from an order i got"): nothing new is bought
_HAS_ORDER = re.compile(r"\b(?:from|in|on|of|with)\s+(?:an?|my|the|one)\s+(?:[\w'-]+\s+)?order\s+(?:i|we)(?:'ve|\s+have)?\s+"
                        r"(?:got|received|placed|made|had)\b|\b(?:my|our)\s+(?:last\s+|recent\s+|latest\s+)?orders?\b"
                        r"|#?\bW\d{7}\b", re.I)
_BUYS = re.compile(r"\b(?:buy\w*|purchas\w*|order(?:ing)?\s+(?:a|an|some|more|another)|another|one\s+more|extra|cart|"
                   r"check\s*out)\b", re.I)


_SWAP_VERB = re.compile(r"\b(?:switch|swap|change|exchange|trade)\b[^.?!]{0,40}\b(?:it|them|one|ones|for|to)\b", re.I)
# what the assistant can do, asked of it and nothing else ("what can this bot even do??"; not "what can you do about
# my late order?")
_WHAT_YOU_DO = re.compile(r"\bwhat\s+(?:else\s+)?(?:can|could|do)\s+(?:you|u|this\s+(?:[\w-]+\s+)?(?:bot|thing|assistant|chat(?:bot)?))"
                          r"\s+(?:even\s+|actually\s+|really\s+)?do\b(?=\s*(?:[?!.,]|$|for\s+me\b|here\b|exactly\b))", re.I)
# something told, nothing asked ("... arrived with a torn box. I just wanted you to know.")
_JUST_TELLING = re.compile(r"\b(?:just|only)\s+(?:wanted|want(?:ing)?|thought\s+I'?d|wished)\s+(?:to\s+)?(?:let\s+you\s+know|you\s+to\s+know|"
                           r"to\s+tell\s+you|to\s+say|to\s+mention|to\s+share)\b|\bjust\s+(?:letting\s+you\s+know|so\s+you\s+know)\b|"
                           r"\bfor\s+your\s+information\b|\bfyi\b", re.I)
# a task asked to be done, in so many words
_WANTS_TASK = re.compile(r"\b(?:have|need|want|would\s+like|'d\s+like|got)\s+to\s+(?:return|cancel|exchange|swap|send\s+back)\b",
                         re.I)


# a purchase asked outright ("buy me the same yoga mat again", "order me another one"): never a swap of the old one
# (a task's label overruled, when the router ranked the purchase too; "order me a pizza" stays no task of the shop)
_LEAD = r"^\W*(?:(?:hi|hey|ok(?:ay)?|so|please|pls)\W+)*"
_BUY_ME = re.compile(_LEAD + r"(?:buy|purchase|order)\s+me\b|\bjust\s+(?:buy|order)\s+me\b", re.I)
_REORDER = re.compile(_LEAD + r"re-?order\b", re.I)  # a purchase by its verb alone
# a mind changed about an order not yet sent ("changed my mind, please don't send it", "i change mind, not want the
# backpack, it not shipped yet"): its cancellation, not its status or an item change
# the address kept in the profile, named as the one changed ("fix the address on my profile to ..."), with no order's
# address or order number beside it ("ship #W1 to the address on my profile" names the value, not the one changed)
_PROFILE_ADDRESS = re.compile(r"\baddress(?:es)?\s+(?:on|in|of|from|saved\s+(?:on|in))\s+(?:my|the)\s+(?:profile|account)\b"
                              r"|\b(?:profile|account)(?:'s)?\s+address\b", re.I)
_ORDER_ADDRESS = re.compile(r"#?\s?\bw\d{5,}\b|\border(?:'s)?\s+(?:shipping\s+)?address\b|\baddress\s+(?:of|on|for)\s+"
                            r"(?:my|the|this|that)\s+(?:\w+\s+)?order\b|\b(?:pending|current)\s+orders?\b", re.I)
# the profile's address as where an order is to go ("ship #W1 to the address on my profile"): that order's address
_TO_PROFILE = re.compile(r"\b(?:to|at)\s+(?:the\s+)?(?:address|one)\s+(?:on|in|from|saved\s+(?:on|in))\s+(?:my|the)\s+"
                         r"(?:profile|account)\b", re.I)
_MIND_CHANGED = re.compile(r"\bchanged?\s+(?:my\s+)?mind\b", re.I)
_NOT_SENT = re.compile(r"\b(?:don'?t|do\s+not|dont|not)\s+(?:send|ship)\s+(?:it|them|that|this|the\s+order)\b|\b(?:not|don'?t|dont|"
                       r"do\s+not|no\s+longer)\s+(?:want|need)\s+(?:it|them|this|that|the\s+\w+)\b(?![^.?!]*\b(?:instead|rather|"
                       r"but|prefer|in\s+(?:a|the)\b))", re.I)
_SWAP_OR_BACK = re.compile(r"\b(?:return|exchange|swap|refund|send\s+(?:it\s+)?back|arrived|received|delivered|came)\b", re.I)


def opening_label(text: str, route: Route, decide: Callable[..., None]) -> str:
    """The router's label for an opening with no task open, unless its words say otherwise: a need of the
    shopper's orders read as a status (`need_not_status`) is no task; a purchase read (as the label, or leading a
    reading under the threshold) from a message that names one task of an order the shopper has and buys nothing
    ("wanna swap a couple things from an order i got") is that task."""
    label = route.label
    if need_not_status(text, label):
        return "fallback"
    if label == "fallback" and _WHAT_YOU_DO.search(text):
        decide("help", "what_you_do", "asks what the assistant can do")
        return "help"  # "what can this stupid bot even DO?? list it"
    if label == "order_status" and _JUST_TELLING.search(text) and "?" not in text and read_message(text).kind is None:
        decide("fallback", "told_only", "tells the shop something about an order and asks nothing")
        return "fallback"  # "my parcel W1 arrived with a torn box ... I just wanted you to know"
    top3 = {c.label for c in route.top[:3]}
    buys = _REORDER.match(text) is not None or (_BUY_ME.search(text) is not None and "checkout" in top3)
    if buys and label != "checkout" and (label != "fallback" or route.decided_by == "threshold"):
        decide("checkout", "buys_outright", "“buy me ...” asks to buy, whatever the old order it names")
        return "checkout"
    if _MIND_CHANGED.search(text) and _NOT_SENT.search(text) and not _SWAP_OR_BACK.search(text) \
            and label != "cancel_order" and "cancel_order" in top3:
        decide("cancel_order", "mind_changed", "a mind changed about an order not yet sent: its cancellation")
        return "cancel_order"
    if label == "change_order_address" and "change_default_address" in top3 and _PROFILE_ADDRESS.search(text) \
            and not _ORDER_ADDRESS.search(text):
        decide("change_default_address", "profile_address", "the address on the profile is the one to change")
        return "change_default_address"
    if label == "change_default_address" and "change_order_address" in top3 and _TO_PROFILE.search(text) \
            and _ORDER_ADDRESS.search(text) and not re.search(r"\bdefault\b", text, re.I):
        decide("change_order_address", "to_profile_address", "an order sent to the profile's address")
        return "change_order_address"
    if label == "order_status" and _WANTS_TASK.search(text) and (named := tasks_named(text)):
        decide(named[0], "task_asked_for", "asks for a task of the orders it names, not their status")
        return named[0]  # "I have to return or cancel a couple of my orders, some haven't even arrived"
    swaps = [c for c in route.top[:3] if c.label in SWAP_FLOWS.values()] if route.decided_by == "threshold" else []
    if len(swaps) == 2 and sum(c.score for c in swaps) >= 0.5 and _SWAP_VERB.search(text):
        decide(swaps[0].label, "either_swap", "an item swap of the shopper's, the order's status to decide which")
        return swaps[0].label  # "I ordered a camera from you and I'd like to switch it to a higher resolution one"
    purchase = label == "checkout" or (label == "fallback" and route.decided_by == "threshold"
                                       and bool(route.top) and route.top[0].label == "checkout")
    named = tasks_named(text) if purchase and _HAS_ORDER.search(text) and not _BUYS.search(text) and not buys else []
    if len(named) != 1:
        return label
    decide(named[0], "task_of_their_order", "names a task of an order the shopper has, buys nothing")
    return named[0]
