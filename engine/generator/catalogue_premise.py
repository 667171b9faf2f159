"""A false premise about one product's options.

A guess that the cheapest (or priciest) variant is the one with an extreme option: "the cheapest tablet is the
one with the least storage, I suppose?", "I assume the priciest kettle has the biggest capacity?".

Read as a wish, the superlative chose the option ("the cheapest Laptop with ram 8GB is ..."), which confirms a
guess the catalogue may contradict. The answer finds the cheapest (priciest) available variant first and says
whether it has that value: "No: the cheapest available Laptop is the one with ram 32GB ...".

A measure the product never comes in ("how much more is the laptop with 64GB of RAM than the 32GB one?") was
dropped, and the answer priced the 32GB ones as if the comparison held; it is said first that there is none.
"""
from __future__ import annotations

import re

from .catalogue_extremes import extreme_values
from .catalogue_store import money, opts

GUESS = re.compile(r"\b(cheapest|least expensive|most expensive|priciest)\b[^?.]*?\b(?:is|are|has|have|would be|"
                   r"comes? with)\b\s+(?:the one |the ones |one |)(?:with |that has |having )?(?:the )?"
                   r"((?:least|most|lowest|highest|smallest|biggest|largest|fewest|heaviest|lightest)\b(?:\s+[\w-]+){1,2})",
                   re.I)


def price_guess(question: str, name: str, variants: list[dict]) -> tuple[str, list[str]] | None:
    """(text, item ids) checking "the cheapest X is the one with the least Y"; None when the question is not one."""
    m = GUESS.search(question)
    if m is None:
        return None
    value = extreme_values(m.group(2), variants)
    avail = [v for v in variants if v.get("available")]
    if len(value) != 1 or not avail:
        return None
    (key, (val,)), = value.items()
    high = m.group(1).lower() in ("most expensive", "priciest")
    pick = (max if high else min)(avail, key=lambda v: v["price"])
    word = "most expensive" if high else "cheapest"
    said = f"the {word} available {name} is the one with {opts(pick)}, at {money(pick['price'])}"
    if str(pick["options"].get(key)) == val:
        return f"Yes: {said}.", [pick["item_id"]]
    with_val = [v for v in avail if str(v["options"].get(key)) == val]
    other = ""
    if with_val:
        end = (max if high else min)(with_val, key=lambda v: v["price"])
        other = f" The {word} one with {key} {val} is {money(end['price'])}."
    return f"No: {said}, with {key} {pick['options'].get(key)}.{other}", [pick["item_id"]]


_MEASURE = re.compile(r"^(\d+(?:\.\d+)?)\s?-?\s?([a-z]+)$", re.I)


def absent_measure(question: str, name: str, variants: list[dict]) -> str | None:
    """"We don't have the Laptop with ram 64GB: its ram options are 8GB, 16GB and 32GB." for a number with the unit
    of an option whose every value is such a measure, when no variant has it; None otherwise. A unit two options
    share counts only for the option the question names."""
    units: dict[str, tuple[str, dict[float, str]]] = {}
    for key in dict.fromkeys(k for v in variants for k in v["options"]):
        vals = {str(v["options"][key]) for v in variants if key in v["options"]}
        found = [_MEASURE.match(x) for x in vals]
        if all(found) and len({m.group(2).lower() for m in found}) == 1:
            units[key] = (found[0].group(2).lower(), {float(m.group(1)): m.group(0) for m in found})
    for key, (unit, have) in units.items():
        if sum(u == unit for u, _ in units.values()) > 1 and key.lower() not in question.lower():
            continue
        for m in re.finditer(rf"(?<![\d.$])(\d+(?:\.\d+)?)\s?-?\s?{re.escape(unit)}\b", question, re.I):
            if float(m.group(1)) not in have and not re.search(r"\b(?:not|no|without|except)\s+(?:\w+\s+)?$",
                                                                  question[:m.start()], re.I):
                listed = [have[x] for x in sorted(have)]
                said = ", ".join(listed[:-1]) + f" and {listed[-1]}" if len(listed) > 1 else listed[0]
                return (f"We don't have the {name} with {key} {m.group(0).replace(' ', '')}: its {key} options are "
                        f"{said}.")
    return None
