"""What the shopper states about a product's variants, checked against the catalogue before any yes.

"The 4-piece luggage set is the most expensive one, isn't it?", "the 5000mAh power bank must be the cheapest one",
"action camera only comes in black yeah?", "Every 20-hour Bluetooth speaker is waterproof, right?": each names
option values and says something of them against the rest of the product. Read as a request for those values the
shopper got "the most expensive 4-piece set is $501.65" (the 2-piece one is dearer), "Yes: the black Action Camera
is available" (it comes in silver too), "Yes: the ... with battery life 20 hours is available" (three of them are
not water resistant). The claim is answered first, yes or no, with the variants that decide it.
"""
from __future__ import annotations

import re

from .catalogue_phrasing import option_values, plural_key, sold_out_note, value_list
from .catalogue_store import money, opts
from .catalogue_values import describe, mentioned_values
from .recommend import find_product

_SUPER = r"(cheapest|least expensive|lowest[- ]priced?|most affordable|most expensive|priciest|highest[- ]priced?|dearest)"
# "... is the most expensive one, isn't it?", "must be the cheapest one", "is the cheapest?": the superlative is
# said of what the shopper named, not of a product still to find ("is the cheapest laptop 13 inch?")
SUPERLATIVE_CLAIM = re.compile(
    r"\b(?:is|are|'s|must be|should be|has to be|have to be|would be|will be|gotta be)\s+(?:the|your)\s+" + _SUPER +
    r"(?:\s+(?:one|ones|option|model|version|variant|of them|of the lot|choice))?\s*(?:[,?.!]|\s+(?:right|yeah|yes|"
    r"correct|isn'?t it|aren'?t they|no|huh|then)\b|$)", re.I)
# "is the 2-piece luggage set the cheapest?": a yes / no question ending in the superlative
SUPERLATIVE_ASKED = re.compile(r"^\s*(?:is|are|isn'?t|aren'?t)\b.*\bthe\s+" + _SUPER +
                               r"(?:\s+(?:one|ones|option|model|version|variant|of them))?\s*[?.!]*\s*$", re.I)
# "the cheapest laptop is the 15-inch i5 with 16GB, right?": the superlative first, the variant guessed after the verb
SUPERLATIVE_FIRST = re.compile(r"\bthe\s+" + _SUPER + r"\s+(?:[\w-]+\s+){0,3}?(?:is|are|'s|must be|should be|would be|"
                               r"will be|has to be)\s+(?:the\s+|a\s+|an\s+)?", re.I)
# "only comes in black", "just in black", "available only in black", "black only?"
ONLY = re.compile(r"(?<![-\w])(?:only|just|solely|exclusively)\s+(?:(?:comes?|available|sold|made|offered)\s+)?"
                  r"(?:in|with|as)\b|\b(?:in|with)\s+[\w-]+(?:\s+[\w-]+)?\s+only\b", re.I)
# "what's the cheapest?", "which one is the most expensive": a question, not a claim
ASKS = re.compile(r"\b(what|which|how|who)\b", re.I)
# "every 20-hour speaker is waterproof", "all your 2L kettles are glass", "each of the red ones has ..."
EVERY = re.compile(r"\b(?:every|all(?: of)?(?: the| your| those| these)?|each(?: of the)?)\b", re.I)
VERB = re.compile(r"\b(?:is|are|has|have|come|comes|got|gets|get|'s)\b", re.I)


def claim_answer(question: str, catalogue: dict) -> tuple[str, str, list[str]] | None:
    """(text, product, item ids) when the question states a claim of one of the shapes above about the option
    values of one product; None otherwise."""
    found = find_product(question, catalogue)
    if found is None:
        return None
    pid, name = found
    variants = list(catalogue[pid]["variants"].values())
    mentioned = mentioned_values(question, variants)
    if not mentioned:
        return None
    avail = [v for v in variants if v.get("available")]
    m = SUPERLATIVE_CLAIM.search(question)
    m = m if m and not ASKS.search(question[:m.start() + 3]) else SUPERLATIVE_ASKED.search(question)
    first = None if m else SUPERLATIVE_FIRST.search(question)
    if first and avail and not ASKS.search(question[:first.start() + 3]):
        guessed = mentioned_values(question[first.end():], variants)
        if guessed:
            return _superlative(name, variants, avail, guessed, high=not re.search(r"cheap|least|lowest|afford",
                                                                                   first.group(1), re.I))
    if m and avail:
        return _superlative(name, variants, avail, mentioned, high=not re.search(r"cheap|least|lowest|afford", m.group(1), re.I))
    every = EVERY.search(question)
    if every:
        verb = VERB.search(question, every.end())
        if verb:
            return _every(name, variants, mentioned_values(question[:verb.start()], variants),
                          mentioned_values(question[verb.end():], variants))
    if ONLY.search(question) and len(mentioned) == 1:
        key, vals = next(iter(mentioned.items()))
        return _only(name, variants, avail, key, vals)
    return None


def _matches(v: dict, wanted: dict[str, list[str]]) -> bool:
    return all(str(v["options"].get(k)) in vals for k, vals in wanted.items())


def _said(wanted: dict[str, list[str]]) -> str:
    return ", ".join(describe(k, vals, []) for k, vals in wanted.items())


def _superlative(name: str, variants: list[dict], avail: list[dict], mentioned: dict[str, list[str]], *,
                 high: bool) -> tuple[str, str, list[str]]:
    pick = (max if high else min)(avail, key=lambda v: v["price"])
    word = "most expensive" if high else "cheapest"
    head = f"the {word} available {name} is the one with {opts(pick)}, at {money(pick['price'])}"
    if _matches(pick, mentioned):
        return f"Yes: {head}.", name, [pick["item_id"]]
    own = [v for v in avail if _matches(v, mentioned)]
    if own:
        best = (max if high else min)(own, key=lambda v: v["price"])
        tail = f" The {word} available one with {_said(mentioned)} is {money(best['price'])} ({opts(best)})."
    else:
        tail = f" None with {_said(mentioned)} is available right now."
    return f"No: {head}.{tail}", name, [pick["item_id"]]


def _every(name: str, variants: list[dict], subset: dict[str, list[str]], claimed: dict[str, list[str]]
           ) -> tuple[str, str, list[str]] | None:
    claimed = {k: v for k, v in claimed.items() if k not in subset}
    if not claimed:
        return None
    group = [v for v in variants if v.get("available") and _matches(v, subset)]
    label = f"{name}" + (f" with {_said(subset)}" if subset else "")
    if not group:
        return f"We have no {label} available right now.", name, []
    have = [v for v in group if _matches(v, claimed)]
    lack = [v for v in group if not _matches(v, claimed)]
    rows = lambda vs: "; ".join(f"{opts(v)}, {money(v['price'])}" for v in sorted(vs, key=lambda v: v["price"]))  # noqa: E731
    if not lack:
        return (f"Yes: all {len(group)} available {label} have {_said(claimed)} ({rows(have)}).", name,
                [v["item_id"] for v in have])
    got = f"{len(have)} of them have {_said(claimed)} ({rows(have)}) and " if have else ""
    return (f"No, not every one: of the {len(group)} available {label}, {got}{len(lack)} do not ({rows(lack)}).",
            name, [v["item_id"] for v in have])


def _only(name: str, variants: list[dict], avail: list[dict], key: str, vals: list[str]
          ) -> tuple[str, str, list[str]] | None:
    can, gone = option_values(key, avail, variants)
    if not can:
        return None
    listed = f"{plural_key(key, len(can))} {value_list(can)}{sold_out_note(gone)}"
    verb = "come" if name.endswith("s") and not name.endswith("ss") else "comes"
    if set(can) <= set(vals):
        return f"Yes: the {name} you can buy right now {verb} only in {listed}.", name, []
    return f"No: the {name} {verb} in {listed}.", name, []
