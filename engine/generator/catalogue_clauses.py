"""The clauses of a catalogue question, its premise apart from what it asks.

"Since the fleece jacket comes in XS to XL, I assume size M is in stock too?": the sizes of the leading "since"
clause are what the shopper believes of the range, the clause after the comma is what is asked (size M). Read as
one clause, XS, M and XL are three sizes asked for and any of them in stock answers yes.
"""
from __future__ import annotations

import re

# a leading reason or premise, closed by the comma before the main clause
LEADING_PREMISE = re.compile(r"^\s*((?:since|as|because|given that|now that|seeing as|considering)\b[^,?]{3,},)\s*",
                             re.I)


def premise_apart(question: str) -> list[str]:
    """[premise, rest] when `question` opens with a premise clause ("Since ..., ..."), else [question]."""
    m = LEADING_PREMISE.match(question)
    if not m or not question[m.end():].strip():
        return [question]
    return [m.group(1).rstrip(","), question[m.end():]]


def asked_sentence(text: str) -> str:
    """The last sentence of `text` that asks ("... I want leather in size 10. Do you have those?"), or ""."""
    asks = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.rstrip().endswith("?")]
    return asks[-1] if asks else ""


# "Which large memory foam pet beds could I exchange it for?": the variants the item may become, a listing of what is
# in stock with the values named (the exchange itself is the same product's other options, as the policy says)
EXCHANGE_TARGET = re.compile(r"\b(?:which|what)\b[^?.]*\b(?:exchange|swap|switch|trade|change)\b[^?.]{0,25}\b(?:for|to|into)"
                             r"\s*\?", re.I)
