"""What the shopper says they do NOT want: "not a refund, another size", "don't cancel it, just send it to my new
flat", "not the address in my profile, only this order", "no, I don't want to change anything, delete it".

Shoppers name the task they don't want beside the one they do, to head off a wrong guess. The classifier reads
the words, not their sign: "refund", "cancel", "profile" pull towards the very task refused (set 18's openings
went to return, cancel and the default address this way). A refused task is therefore taken out of the
candidates before the decision (the router, engine/router/__init__.py), and a refused request no flow does
("not reopen it, I know you can't - just order the same again") does not overrule the request beside it.

Narrow on purpose: the refused words must be the task itself, closed by the end of the phrase (a comma, a stop, a
dash, "just", "but", "instead", "I ..."), so "not a refund to my card, to my gift card" (a return whose refund
goes elsewhere) refuses nothing. Plain regular expressions: importable without numpy or torch.
"""
from __future__ import annotations

import re

_CHANGE_TASKS = ("change_order_items", "change_order_address", "change_order_payment")

# refused phrase -> what it refuses: routing labels, or an unsupported kind (engine/unsupported_asks.ALL_KINDS)
_TASKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"(?:a\s+|any\s+|the\s+|my\s+)?(?:refund|money\s+back)|(?:my|the)\s+money\s+back|(?:an?\s+)?return(?:\s+(?:it|them|this|that))?"
     r"|send(?:ing)?\s+(?:it|them)\s+back", ("return_items",)),
    (r"cancel(?:l?ing|l?ation)?(?:\s+(?:it|this|that|them|the\s+order|my\s+order|anything(?:\s+else)?|(?:order\s+)?#?\s?W\d{7}))?"
     r"|(?:a|any)\s+cancell?ation",
     ("cancel_order", "cancel")),  # the task and "never mind" alike
    (r"(?:an?\s+)?exchange(?:\s+(?:it|them))?", ("exchange_items",)),
    (r"(?:to\s+)?(?:buy|purchase|order)\s+(?:anything|something)(?:\s+(?:new|else|more))?|(?:a\s+)?new\s+order"
     r"|(?:ordering|buying|purchasing|placing\s+an\s+order)(?:\s+(?:anything|it|one|them))?(?:\s+(?:just\s+)?(?:yet|now|"
     r"today|right\s+now))?", ("checkout",)),  # "I'm not ordering yet, I just want an opinion first"
    (r"(?:the\s+)?address\s+(?:in|on|of)\s+(?:my|the)\s+(?:profile|account)|(?:my|the)\s+(?:profile|default|account|saved)"
     r"(?:\s+address(?:\s+(?:in|on|of)\s+(?:my|the)\s+(?:profile|account))?)?", ("change_default_address",)),
    (r"change\s+anything(?:\s+(?:in|on|about)\s+(?:my|the|this|that)\s+order)?", _CHANGE_TASKS),
    (r"re-?open(?:\s+it)?|re-?activate(?:\s+it)?|reinstate(?:\s+it)?|restore(?:\s+it)?|un-?cancel(?:\s+it)?",
     ("undo_cancellation",)),
    (r"(?:look\s+up|check(?:\s+on)?|track|find|trace)\s+(?:the|my|this|that)\s+(?:order|package|parcel|delivery)"
     r"(?:\s+(?:status|up))?", ("order_status",)),  # "I'm not asking you to look up the order, ... a person"
    (r"(?:an?\s+|the\s+|to\s+(?:talk|speak)\s+to\s+(?:a\s+|an\s+)?)?(?:real\s+|live\s+)?(?:person|human|agent|rep"
     r"|representative)", ("handoff",)),  # "Not a person, please, you can do this yourself: cancel #W..."
    (r"(?:a\s+)?question(?:\s+about\s+(?:the\s+|your\s+|the\s+shop.s\s+)?(?:rules?|policy|policies))?", ("question",)),
)

# how a refusal starts: "not", "no", "don't", "I don't want (to)", "I'm not asking for"; at a phrase's start
_NOT = (r"(?:^|(?<=[,.;:!?\-–—(])|\b(?:and|but|so|no|please|pls|just)\b)\s*(?:no\s*[,!.]?\s*)?"
        r"(?:(?:i|we)\s+(?:do\s+not|don'?t|dont|do\s*n'?t)\s+(?:want|need|wanna)(?:\s+to)?"
        r"|(?:i|we)'?(?:m|\s+am|\s+are|'re)\s+not(?:\s+(?:asking\s+(?:you\s+)?(?:for|to)|looking\s+(?:for|to)|trying\s+to|wanting\s+to))?"
        r"|not|no|don'?t|dont|do\s+not)\s+")
# how it ends: the phrase is closed, and the shopper goes on to what they do want
_CLOSED = (r"(?=\s*(?:[,.;:!?\-–—)]|$)|\s+(?:just|only|but|instead|rather|please|pls|i|we|this\s+time|again|"
           r"completely|at\s+all|thanks?|thank\s+you|or\s+(?:anything|whatever|something))\b)")  # "not a return or anything,"
_REFUSED = tuple((re.compile(_NOT + r"(?:" + words + r")" + _CLOSED, re.I), what) for words, what in _TASKS)


def refused(text: str) -> frozenset[str]:
    """The routing labels and unsupported kinds `text` says it does not want (empty: none refused)."""
    low = text[:1000]
    out: set[str] = set()
    for pattern, what in _REFUSED:
        if pattern.search(low):
            out.update(what)
    return frozenset(out)


# what is wanted instead, said in the same clause ("not a refund, I want another size")
_WANTS = re.compile(r"\b(?:want|wanna|need|like|please|pls|plz|just|only|instead|rather|prefer|can\s+you|could\s+you)\b"
                    r"|\?", re.I)


def is_refusal(clause: str) -> bool:
    """The clause only says what is not wanted ("not a question about the rules", "not cancel!", "not reopen it,
    I know you can't"): it starts with a refusal and asks for nothing else."""
    c = clause.strip()
    return any(pattern.match(c) for pattern, _ in _REFUSED) and not _WANTS.search(unrefused(c))


def unrefused(text: str) -> str:
    """`text` without the phrases that refuse a task ("Don't cancel it, just send it to my new flat" -> ", just send
    it to my new flat"): what a rule asking "does the message name another task?" should read."""
    low = text[:1000]
    for pattern, _ in _REFUSED:
        low = pattern.sub(" ", low)
    return low
