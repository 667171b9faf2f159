"""Catalogue questions about the whole store: "what's the cheapest thing in the whole store?" is the minimum
over every available variant of every product (two products side by side: catalogue_pairs.py). Answered for
one product alone, such a question leaves the shopper with half an answer.
"""
from __future__ import annotations

import re


# "in the whole store", "you sell", "anything", "of all": the question is about every product
STORE_SCOPE = re.compile(r"\b(anything|everything|overall|of all|you (sell|carry|stock|offer)|(you|we) have|"
                         r"in (the|your|this|our) (whole |entire )?(store|shop|catalog(ue)?))\b", re.I)
# "the cheapest thing", "most expensive item": an extreme of no product in particular
EXTREME_ITEM = re.compile(r"\b(cheapest|least expensive|lowest[- ]priced?|most affordable|most expensive|priciest|"
                          r"highest[- ]priced?|dearest|most costly)\s+(?:\w+\s+)?(thing|item|product)s?\b", re.I)
# "the most expensive thing you sell is the digital camera, right?": about the whole store, a product named or not
STORE_WIDE = re.compile(r"\b(thing|things|item|items|product|products)\s+(you|we|the shop|the store)\s+(sell|have|carry|offer)"
                        r"|\b(in the (store|shop)|of all|in your (store|shop))\b", re.I)
ITEM_WORD = re.compile(r"\b(things?|items?|products?|types|kinds)\b", re.I)


def money(x: float) -> str:
    return f"${x:,.2f}"


def opts(v: dict) -> str:
    return ", ".join(f"{k} {val}" for k, val in v["options"].items())


def store_extreme(question: str, catalogue: dict, *, high: bool) -> tuple[str, str, str] | None:
    """(text, product, item id) of the cheapest / most expensive available variant in the whole store."""
    if not (STORE_SCOPE.search(question) or EXTREME_ITEM.search(question)):
        return None
    avail = [(p["name"], v) for p in catalogue.values() for v in p["variants"].values() if v.get("available")]
    if not avail:
        return None
    name, v = (max if high else min)(avail, key=lambda x: x[1]["price"])
    word = "most expensive" if high else "cheapest"
    return (f"The {word} available item in our store is the {name} ({opts(v)}), at {money(v['price'])}.",
            name, v["item_id"])


def store_counts(question: str, catalogue: dict, how_many: bool) -> tuple[str, str] | None:
    """(text, product) for "which product has the most options?" and "how many products do you sell?"."""
    ql = question.lower()
    if not (STORE_SCOPE.search(question) or ITEM_WORD.search(question)):
        return None
    most = re.search(r"\b(most|fewest|least)\s+(options|variants|choices|versions)\b", ql)
    if most:  # the available variants one can choose from now
        count = {p["name"]: sum(bool(v.get("available")) for v in p["variants"].values()) for p in catalogue.values()}
        n = (max if most.group(1) == "most" else min)(count.values())
        names = [name for name, c in count.items() if c == n]
        return (f"{' and '.join(f'The {x}' if i == 0 else f'the {x}' for i, x in enumerate(names))} "
                f"{'has' if len(names) == 1 else 'have'} the {most.group(1)} available variants to choose "
                f"from: {n}.", names[0])
    if how_many and re.search(r"\b(products?|types|kinds)\b", ql):
        n = sum(len(p["variants"]) for p in catalogue.values())
        return f"Our store sells {len(catalogue)} types of products, in {n} variants.", ""
    return None
