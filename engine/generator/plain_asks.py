"""Roundabout wordings of a question said plainly, before it is read: business English's polite wrappers ("Would
you be so kind as to advise which statuses an order may have?", "I would be grateful if you could indicate the sizes
in which the running shoes are offered.") and a split payment said as "partly ... and partly".

The wrapper's words ("grateful", "kind", "advise", "indicate") are in no fact, so they lowered every fact's share of
the question's words, and a request with no question word ("... indicate the sizes ...") was read as no catalogue
question: the scope answer. Only the wrapper is dropped; what it asks is kept as the shopper wrote it ("whether"
and "that" clauses as the statement they ask about, "the sizes ..." as "what are the sizes ...").
"""
from __future__ import annotations

import re

_PLEASE = r"(?:(?:please|kindly|possibly|perhaps)\s+)*"
# the courtesy around a request: "could you kindly", "would you be so kind as to", "I would be grateful if you could"
_COURTESY = (r"(?:(?:please\s+)?(?:could|would|can|will)\s+you\s+" + _PLEASE + r"(?:be\s+(?:so\s+kind\s+as|kind\s+enough)\s+to\s+)?"
             r"|would\s+you\s+mind\s+|might\s+i\s+(?:ask\s+(?:you\s+to\s+)?)?|may\s+i\s+(?:ask\s+(?:you\s+to\s+)?)?"
             r"|i(?:\s+would|\s+should|['’]d)\s+(?:be\s+(?:very\s+|most\s+|really\s+)?(?:grateful|obliged|thankful)|appreciate(?:\s+it)?)"
             r"\s+if\s+you\s+(?:could|would|can)\s+" + _PLEASE + r"|please\s+)")
# the verb of the request: what the shopper wants said, not something done to an order
_TELL = (r"(?:advise(?:\s+me)?(?:\s+(?:on|as\s+to))?|indicate|tell\s+me|let\s+me\s+know|confirm|clarify|explain|specify|"
         r"state|inform\s+me(?:\s+(?:of|about|as\s+to))?|ask)\b\s*")
WRAPPER = re.compile(r"^\s*" + _COURTESY + _PLEASE + _TELL, re.I)
_ASKED_AS = re.compile(r"^(?:whether|if|that)\s+", re.I)
_NOUN = re.compile(r"^(?:the|your|which|what)\b", re.I)
# "paid partly by gift card and partly by credit card": the payment split between two methods
PARTLY = re.compile(r"\b(?:pa(?:y|id|ying)\s+(?:for\s+)?)?partly\s+(?:by|with|on|using)\s+([\w ]+?)\s+and\s+partly\s+"
                    r"(?:by|with|on|using)\s+", re.I)


_AUX = re.compile(r"\b(is|are|was|were|can|could|may|might|will|would|should|must|does|do|did|has|have)\b", re.I)


def _inverted(clause: str) -> str:
    """"refunds to a credit card are processed within ..." -> "are refunds to a credit card processed within ...": a
    reported yes/no question asked again as one (its auxiliary first), so it is read as the question it is; a clause
    with no auxiliary in its first words is kept as it is."""
    m = _AUX.search(clause)
    if m is None or m.start() == 0 or len(clause[:m.start()].split()) > 8:
        return clause
    return f"{m.group(1).lower()} {clause[:m.start()].strip()} {clause[m.end():].strip()}".strip()


def plain_ask(question: str) -> str:
    """`question` without a polite wrapper, and a "partly ... and partly" payment as a split payment."""
    question = PARTLY.sub(lambda m: f"with the payment split between {m.group(1)} and ", question)
    m = WRAPPER.match(question)
    if m is None:
        return question
    rest = question[m.end():].strip()
    if not rest:
        return question
    if _ASKED_AS.match(rest):  # "whether a refund ... could be directed ...": the question it stands for
        rest = _inverted(_ASKED_AS.sub("", rest))
    elif re.match(r"^(?:the|your)\b", rest, re.I):  # "the sizes in which ... are offered": what they are
        rest = "what are " + rest
    rest = re.sub(r"[.!]+\s*$", "", rest)
    return rest if rest.endswith("?") else rest + "?"
