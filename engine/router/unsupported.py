"""Requests no flow does, recognised before a flow is started for them.

"Can I split the payment with another card?" used to start checkout, "undo the cancellation of my
order" cancel_order: each shares its words with a flow (pay, card, cancel) while asking for something
the shop cannot do. A wrongly started flow asks the shopper to sign in for a task they never asked for;
the honest answer is an open one (the FAQ and policy say what the shop does instead), with the nearest
flow still offered as a button from the router's candidates. The classifier cannot learn this alone:
a fallback topic of such requests sits next to the flows and pushes the calibrated threshold up (the
sixth training batch tried it: docs/router.md). So a few narrow patterns, each naming one kind of
request, overrule a flow label. Plain regexes with bounded gaps: linear time on any input.
"""
from __future__ import annotations

import re

from engine.contracts import Route

_GAP = r"[^.?!]{0,30}?"  # words between the parts of one request, within one sentence

# kind -> pattern; each asks for something no flow does (flows/*.yaml)
KINDS: dict[str, re.Pattern[str]] = {
    # a cancelled order cannot be reopened (policy: a cancelled order cannot be changed)
    "undo_cancellation": re.compile(
        r"\b(?:undo|reverse|revert|retract|take\s+back|withdraw)\b" + _GAP + r"\bcancell?ation\b"
        r"|\bcancel\s+(?:the|my|that|this)\s+cancell?ation\b"
        r"|\bun-?cancel(?:l?ed|l?ing)?\b"
        r"|\b(?:re-?open|re-?activate|reinstate|restore|revive|bring\s+back|recover|resume)\b" + _GAP +
        r"\bcancell?ed\b"
        r"|\bdidn'?t\s+(?:mean|want)\s+to\s+cancel\b", re.I),
    # one order is paid with one payment method (policy)
    "split_payment": re.compile(
        r"\bsplit(?:ting)?\b" + _GAP + r"\b(?:payment|bill|cost|charge|total|price|amount)\b"
        r"|\b(?:pay|paying|charge|use|using)\b" + _GAP + r"\b(?:two|2|multiple|several|both|different)\s+"
        r"(?:cards|credit\s+cards|payment\s+methods|methods|accounts)\b"
        r"|\bhalf\b" + _GAP + r"\b(?:and|,)\s+(?:the\s+other\s+)?half\b"
        r"|\bpart\s+(?:of\s+it\s+)?(?:on|with|to)\b" + _GAP + r"\b(?:and|,)\s+the\s+rest\s+(?:on|with|to)\b", re.I),
    # an order ships as one (no flow splits, holds, schedules or merges deliveries)
    "partial_delivery": re.compile(
        r"\b(?:partial|split)\s+(?:delivery|deliveries|shipment|shipments)\b"
        r"|\bsplit\s+(?:my|the|this|that)\s+(?:order|package|parcel)\b"
        r"|\b(?:ship|send|deliver)\b" + _GAP + r"\b(?:the\s+)?rest\b" + _GAP + r"\blater\b"
        r"|\b(?:merge|combine|consolidate)\b" + _GAP + r"\borders\b", re.I),
}


def unsupported(text: str) -> str | None:
    """The kind of request no flow does that `text` makes, or None."""
    low = text[:1000]
    for kind, pattern in KINDS.items():
        if pattern.search(low):
            return kind
    return None


def overrule(text: str, route: Route, flows: frozenset[str] | tuple[str, ...]) -> Route:
    """`route` unchanged, or fallback when it names a flow for a request no flow does (the candidates
    are kept: the answer still offers the nearest flow the router ranks high enough)."""
    if route.label not in flows:
        return route
    kind = unsupported(text)
    if kind is None:
        return route
    return route.model_copy(update={"label": "fallback", "decided_by": f"rule:unsupported:{kind}",
                                    "reason": f"asks for something no flow does ({kind.replace('_', ' ')})"})
