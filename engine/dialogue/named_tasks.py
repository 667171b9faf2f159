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
"""
from __future__ import annotations

import re

# (flow id, how a shopper names it), in no particular order: the message's order decides
_TASKS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((flow, re.compile(words, re.I)) for flow, words in (
    ("cancel_order", r"\bcancel(?:l?ation|l?ing|l?ed|s)?\b"),
    ("return_items", r"\b(?:return(?:s|ing)?|send(?:ing)?\s+(?:\w+\s+){0,2}back)\b(?!\s+(?:polic|window))"),
    ("exchange_items", r"\b(?:exchang(?:e|es|ing)|swap(?:s|ping)?)\b(?!\s+rates?)"),
    ("change_default_address", r"\baddress\s+(?:on\s+file|on\s+my\s+account)|\b(?:default|account'?s?)\s+address\b"),
    ("change_order_address", r"\b(?:(?:new|delivery|shipping)\s+address|address\s+(?:on|for)\s+(?:one|the\s+other|"
                             r"another|an?\s+order|the\s+first))\b"),
    ("change_order_payment", r"\b(?:payment|pay(?:ing)?\s+with|card)\s+(?:on|for|of)\s+(?:one|another|the\s+other|"
                             r"an?\s+order|the\s+first)\b|\bpayment\s+(?:method\s+)?change\b"),
))
# The shopper's orders or things are what the tasks are about
_THEIRS = re.compile(r"\b(?:orders?|items?|stuff|things|purchases?|packages?|deliveries)\b", re.I)


def named_tasks(text: str) -> list[tuple[str, str]]:
    """(flow id, the words that named it) for each distinct task the message names, in the order named;
    [] when the message names fewer than two (one task named is the router's to read) or does not speak of
    the shopper's orders or things."""
    if not _THEIRS.search(text):
        return []
    found: dict[str, tuple[int, str]] = {}
    for flow, words in _TASKS:
        m = words.search(text)
        if m and flow not in found:
            found[flow] = (m.start(), m.group(0))
    if "change_default_address" in found:
        found.pop("change_order_address", None)  # "the address on file" is the account's, not an order's
    named = [(flow, said) for flow, (_, said) in sorted(found.items(), key=lambda kv: kv[1][0])]
    return named if len(named) >= 2 else []
