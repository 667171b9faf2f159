"""The variant a shopper wants, told against the one they have: "the blue speaker with 20 hours of battery came ...
Can I get the water-resistant one in the same color and battery life?" wants blue, 20 hours and water resistant;
"I've got blue earbuds (8 hours, IPX4) ... I'd prefer them in white with the same specs" wants white, 8 hours, IPX4.

Read as a plain list of the values named, the first drops the colour and battery told before the question (the values
of a premise are set aside) and the second asks for "blue or white", which offers the shopper the earbuds they already
have. Here the options the shopper calls "the same" keep the values of their own item, and a value they say they prefer
replaces the one of the same option they have.
"""
from __future__ import annotations

import re

from .catalogue_values import mentioned_values, value_pattern

# "the same color and battery life", "with the same specs": the options kept from the shopper's own item
SAME = re.compile(r"\b(?:the\s+)?same\s+((?:[a-z-]+(?:\s+|,\s*)?){1,5})", re.I)
# every option the shopper does not change
ALL_SPECS = re.compile(r"\b(specs?|specifications?|features?|everything( else)?|options?|settings|configuration|"
                       r"otherwise)\b", re.I)
# what the shopper would rather have, after what they have
PREFER = re.compile(r"\b(prefer|rather|instead|swap (it|them) for|change (it|them) to|want (it|them)|"
                    r"(?:'d|would) like (it|them)|get (it|them))\b", re.I)


def _names_the_product(said: str, name: str) -> bool:
    """"the same kit from Brand B", "the same boots but in leather": the product itself is the same, so is every
    option not named again (the word begins with a word of the product's name, plural or not)."""
    first = said.split()[0] if said.split() else ""
    return bool(first) and any(first.rstrip("s") == w.rstrip("s") for w in name.lower().split())


def kept_from_premise(asked: str, premise: str, variants: list[dict], named: dict[str, list[str]],
                      name: str = "") -> dict[str, list[str]]:
    """The values of the shopper's own item (told in `premise`) for the options `asked` calls the same, unless
    `asked` names another value of that option."""
    m = SAME.search(asked)
    if not m:
        return {}
    said = m.group(1).lower()
    had = mentioned_values(premise, variants)
    keys = {k for v in variants for k in v["options"]}
    same = keys if ALL_SPECS.search(said) or _names_the_product(said, name) else {k for k in keys if re.search(rf"\b{re.escape(k.lower())}\b", said)
                                                 or k.lower().split()[0] in said.split()}
    return {k: vals for k, vals in had.items() if k in same and k not in named and len(vals) == 1}


def preferred(question: str, mentioned: dict[str, list[str]]) -> dict[str, list[str]]:
    """`mentioned` with the value the shopper has dropped for an option they say they would rather have in another
    one ("blue ... I'd prefer them in white": white)."""
    wish = PREFER.search(question)
    if not wish or not SAME.search(question) and not re.search(r"\binstead\b", question, re.I):
        return mentioned
    out = dict(mentioned)
    for key, vals in mentioned.items():
        if len(vals) < 2:
            continue
        spots = {v: m.start() for v in vals if (m := value_pattern(key, v).search(question))}
        after = [v for v in vals if spots.get(v, -1) > wish.start()]
        if after and len(after) < len(vals):
            out[key] = after
    return out
