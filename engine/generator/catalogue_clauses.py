"""The clauses of a catalogue question, its premise apart from what it asks.

"Since the fleece jacket comes in XS to XL, I assume size M is in stock too?": the sizes of the leading "since"
clause are what the shopper believes of the range, the clause after the comma is what is asked (size M). Read as
one clause, XS, M and XL are three sizes asked for and any of them in stock answers yes.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from engine.knowledge.retrieval import _stem

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
# leave to swap an item asked, no stock or price ("is it possible to change the colour before it goes out?")
SWAP_LEAVE = re.compile(r"^(?!.*\b(?:which|what|is\s+there|are\s+there|available|in\s+stock|cost\w*|price\w*|how\s+much)\b).*"
                        r"\b(?:is\s+it\s+(?:still\s+)?possible|can\s+(?:i|we)|could\s+(?:i|we)|may\s+(?:i|we)|am\s+i\s+allowed)"
                        r"\s+(?:to\s+)?(?:still\s+)?(?:change|swap|exchange|switch)\b", re.I | re.S)
# how a product may be used or cared for, or a part of it sold apart: the catalogue holds options and prices only
USE_ASK = re.compile(r"^\W*(?:can|could|will|does|do|is|are)\b[^?]*?\b(?:go\s+in(?:to)?\s+(?:the\s+|a\s+)?(?:dishwasher|"
                     r"microwave|oven|washing\s+machine|dryer|freezer)|be\s+(?:washed|machine[- ]washed|recycled|repaired|"
                     r"microwaved)|(?:dishwasher|microwave|oven)[- ]safe|survive|withstand)\b"
                     r"|\b(?P<part>(?:replacement|spare)\s+(?:[\w-]+\s+){0,2}?(?:filters?|parts?|batter(?:y|ies)|bags?|blades?|heads?|"
                     r"cables?|chargers?|straps?|pads?|cartridges?|bulbs?|lids?|brush(?:es)?|wheels?|covers?))\b", re.I)


def plural_part(part: str | None) -> str | None:
    """"replacement HEPA filter" -> "replacement HEPA filters": the kind of part, said in general."""
    return part if not part or part.lower().endswith("s") else part[:-1] + "ies" if part.endswith("y") else part + "s"


# a thing a product may come with ("does the gas grill come with a propane tank?"): an option of it, or nothing the
# catalogue lists
COMES_WITH = re.compile(r"\b(?:come|comes|ship|ships|arrive|arrives)\s+with\s+(?P<det>a|an|any|the)\s+"
                        r"(?P<thing>[a-z][\w-]*(?:\s+(?!or\b|and\b)[a-z][\w-]*)?)", re.I)


def names_an_option(thing: str, product: dict) -> bool:
    """Whether a word of `thing` names one of the product's option keys or values."""
    said = " ".join(f"{k} {v}" for var in product.get("variants", {}).values() for k, v in var["options"].items()).lower()
    return any(len(w) >= 3 and re.search(rf"\b{re.escape(w.rstrip('s'))}", said) for w in thing.lower().split())


OPTIONS_COUNTED = re.compile(r"\b(options?|variants?|versions?|kinds?|types?|models?|colou?rs?|sizes?|choices?)\b", re.I)
LIST_OPTIONS = re.compile(r"\b(what|which)\b.*\b(options|variants|versions|colou?rs|sizes|come in|available in|kinds?|"
                          r"types?|sorts?|models?)\b"
                          # a few words naming a product, then what is asked of it: "sneaker sizes?", "kettle colours"
                          r"|^\W*[\w'-]+(?:\s+[\w'-]+){0,3}\s+(options|variants|versions|colou?rs|sizes)\W*$", re.I)


def option_keys_named(question: str, keys: list[str]) -> list[str]:
    """The option keys a question names ("colors" -> "color"), the longest first."""
    words = {_stem(w).rstrip("e") for w in re.findall(r"[a-z]+", question.lower().replace("colour", "color"))}
    named = [key for key in sorted(keys, key=len, reverse=True)  # "sizes" -> "siz", "size" -> "size": both "siz"
             if all(_stem(w).rstrip("e") in words for w in key.lower().split())]
    if "siz" in words and not any("size" in k.lower() for k in keys):  # a bottle's "sizes" are its capacities
        named += [k for k in keys if k.lower() in _SIZE_LIKE and k not in named][:1]
    return named


# what a product with no "size" option is sized by
_SIZE_LIKE = ("capacity", "length", "diameter", "dimensions", "height")


def option_key_asked(question: str, keys: list[str], valued: Iterable[str] = ()) -> str | None:
    """The option key a "how many ..." / "what ..." question names ("colors" -> "color"); a key the question gives a
    value of ("which colours ... with an AMOLED display?": the display is chosen, the colour asked) only when no
    other is named."""
    named = option_keys_named(question, keys)
    return next((k for k in named if k not in valued), named[0] if named else None)
