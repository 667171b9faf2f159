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


# what the rules let the shopper do with their order, asked ("should I change the helmet today and the t-shirt
# tomorrow?", "do I have to pay the full price?", "can I still return it?"), unless a price is asked ("how much ...")
RULE_ASK = re.compile(r"^(?!.*\bhow much\b).*(?:\bwhat happens\b|\b(?:do|would|will)\s+(?:i|we)\s+(?:have|need)\s+"
                      r"to\b|\bshould\s+(?:i|we)\b|\b(?:can|could|may)\s+(?:i|we)\s+(?:still\s+|just\s+)?(?:return|cancel|"
                      r"get\s+(?:a|my)\s+refund)\b|\bwho\s+pays\b)", re.I | re.S)
# an item swap asked of a cancelled order: the rule answers (a cancelled order cannot be changed), not the stock
SWAP_ASK = re.compile(r"\b(?:exchang\w*|swap\w*|chang\w*|switch\w*)\b", re.I)
# how a product may be used or cared for, or a part of it sold apart: the catalogue holds options and prices only
USE_ASK = re.compile(r"^\W*(?:can|could|will|does|do|is|are)\b[^?]*?\b(?:go\s+in(?:to)?\s+(?:the\s+|a\s+)?(?:dishwasher|"
                     r"microwave|oven|washing\s+machine|dryer|freezer)|be\s+(?:washed|machine[- ]washed|recycled|repaired|"
                     r"microwaved)|(?:dishwasher|microwave|oven)[- ]safe|survive|withstand)\b"
                     r"|\b(?P<part>(?:replacement|spare)\s+(?:[\w-]+\s+){0,2}?(?:filters?|parts?|batter(?:y|ies)|bags?|blades?|heads?|"
                     r"cables?|chargers?|straps?|pads?|cartridges?|bulbs?|lids?|brush(?:es)?|wheels?|covers?))\b", re.I)


def plural_part(part: str | None) -> str | None:
    """"replacement HEPA filter" -> "replacement HEPA filters": the kind of part, said in general."""
    return part if not part or part.lower().endswith("s") else part[:-1] + "ies" if part.endswith("y") else part + "s"
