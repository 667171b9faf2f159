"""Where one message asks for several tasks: the parts a second request begins at.

"cancel #W1 and return the lamp", "change the payment on #W1 to paypal and the address on it to 3 Birch Ct",
"change the address + laptop on my pending order #W1": each part is routed alone (`Conversation._goals`), so
each goal is queued, none silently dropped. Pure text functions; the engine decides what each part asks.
"""
from __future__ import annotations

import re

from ..unsupported_asks import PRODUCT_NAME

# "... and return the lamp": a joint before a second request (a verb of a task), not "the lamp and the helmet";
# or before a second thing of the same order changed to a value, the verb said once ("change the payment on
# #W1 to paypal and the address on it to 3 Birch Ct": the address part borrows the head "change")
_ELLIPSIS = (r"(?:the|my)\s+(?:shipping\s+|delivery\s+)?(?:address|payment(?:\s+method)?)\s+"
             r"(?:(?:on|for|of)\s+(?:it|that|this|that\s+one|the\s+(?:same\s+)?order|#?W\d{7})\s+)?to\b")
_GOAL_JOINT = re.compile(r"[,;]?\s+\b(?:and|then|also|plus)\b(?:\s+(?:then|also|after that))?\s+(?=(?:i(?:'d|\s+would)?\s+"
                         r"(?:also\s+)?(?:like|want|need)\s+to\s+|please\s+|can\s+you\s+)?(?:cancel|return|exchange|"
                         r"change|modify|update|swap|switch|fix|correct|buy|purchase|order|track|refund|send\s+back)\b|" + _ELLIPSIS + ")", re.I)
_BORROWS_VERB = re.compile(_ELLIPSIS, re.I)


_CHANGE_VERB = re.compile(r"\b(?:change|switch|update|modify|move|set|correct|fix)\b", re.I)


def borrowed_verb(part: str, before: str) -> str | None:
    """A part split off at "... and the address on it to <value>" read as the request it is: the verb said
    before it, and the order it names (the earlier part's order; "it" there): "change the address on that
    order to <value>". None: not such a part, or no task verb before it."""
    m, verb = _BORROWS_VERB.match(part.strip()), _CHANGE_VERB.search(before)
    if m is None or verb is None:
        return None
    if re.search(r"\b(?:on|for|of)\s+\S", m.group(0)):
        return f"{verb.group(0)} {part.strip()}"
    noun = re.sub(r"\s+to$", "", m.group(0), flags=re.I)
    return f"{verb.group(0)} {noun} on that order to{part.strip()[m.end():]}"


# "cancel order #W1, change the mouse in #W2, and ...": tasks listed with commas, each on its own order
# number (a comma before a task verb alone may start a detail: "exchange the shoes, change the colour")
_LISTED_TASK = re.compile(r"\s*,\s*(?=(?:then\s+)?(?:cancel|return|exchange|change|modify|update|swap|switch|"
                          r"track|refund|send\s+back)\b[^,;.!?]*#?\bW\d{7}\b)", re.I)


def goal_parts(text: str, parts: list[str] | None = None) -> list[str]:
    """The message split where a second request begins; `parts`: sentence-level parts already found.
    A part that names an order and then lists another task on another order is split there too."""
    out: list[str] = []
    for part in parts or [text]:
        for p in _GOAL_JOINT.split(part):
            if p and p.strip():
                out += [q.strip() for listed in _split_listed(p) for q in _shared_verb(listed) if q.strip()]
    return out


def _split_listed(part: str) -> list[str]:
    pieces = _LISTED_TASK.split(part)
    if len(pieces) < 2 or not all(re.search(r"\bW\d{7}\b", q) for q in pieces):
        return [part]  # every listed task names its own order, or the part stays whole
    return pieces


_ATTR = r"(?:(?:shipping\s+|delivery\s+)?address|payment(?:\s+method)?|card)"
_THING = _ATTR + "|" + PRODUCT_NAME
# one task verb for two things of one order: "change the address + laptop on my pending order #W1", "update the
# payment and the address for #W1". Two items ("the lamp and the kettle") stay one part: one task changes both.
_SHARED_VERB = re.compile(r"^(?P<head>.*?\b(?:change|update|modify|switch|fix|correct)\s+)(?:the\s+|my\s+)?"
                          rf"(?P<a>{_THING})\s*(?:\+|&|\band\b|\bas\s+well\s+as\b)\s*(?:also\s+)?(?:the\s+|my\s+)?"
                          rf"(?P<b>{_THING})\s+(?P<tail>(?:on|in|for|of|from)\b.*)$", re.I | re.S)


def _shared_verb(part: str) -> list[str]:
    m = _SHARED_VERB.match(part)
    if m is None:
        return [part]
    attrs = [re.fullmatch(_ATTR, x, re.I) is not None for x in (m["a"], m["b"])]
    if not any(attrs) or (all(attrs) and {m["a"].split()[-1].lower(), m["b"].split()[-1].lower()} <= {"payment", "card", "method"}):
        return [part]  # two items, or "payment and card": one task
    return [f"{m['head']}the {m['a']} {m['tail']}", f"{m['head'].split()[-1]} the {m['b']} {m['tail']}"]
