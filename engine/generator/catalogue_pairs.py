"""Two products in one catalogue question: which is cheaper, how much more one costs, what both come to.

"I wear a size 10. which is cheaper, your sneakers or the running shoes?" is the cheapest available size-10
variant of each (a constraint said before both products holds for both); "how much more do the cheapest
sneakers cost than the cheapest running shoes?" is a difference; "the cheapest laptop and the cheapest
smartphone together, what would that come to?" is a sum. Answered for one product alone, or for both without
the shopper's size, the shopper gets a price that is not the one asked for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .catalogue_phrasing import plural
from .catalogue_store import money, opts
from .catalogue_values import budget_asked, mentioned_values
from .recommend import find_product

# "an electric kettle or a tea kettle", "the sneakers than the running shoes", "the laptop and the phone"
SIDES = re.compile(r"\s+(?:or|vs\.?|versus|compared (?:to|with)|against|and|than|plus)\s+|\s*\+\s*", re.I)
# "A + B", "A plus B": what the two come to
PLUS = re.compile(r"\s*\+\s*|\s+plus\s+", re.I)
# a sentence said before the products ("I wear a size 10.") is the shopper's premise for both
SENTENCE = re.compile(r"(?<=[.!?;])\s+")
SUM = re.compile(r"\b(together|in total|total|combined|altogether|add(?:ed|s)? (?:them )?up|come to|comes to|sum|"
                 r"for both|both cost)\b", re.I)
DIFFERENCE = re.compile(r"\bhow much (more|less|cheaper|extra|pricier|over)\b|\bdifference\b|\bprice gap\b", re.I)
CHEAP = re.compile(r"\b(cheapest|least expensive|lowest[- ]priced?|most affordable)\b", re.I)
DEAR = re.compile(r"\b(most expensive|priciest|highest[- ]priced?|dearest|most costly)\b", re.I)


@dataclass(frozen=True)
class Side:
    """One product of the question, the option values asked of it and the variant that answers."""

    name: str
    wanted: dict[str, list[str]]
    pick: dict | None
    high: bool

    def label(self) -> str:
        said = ", ".join(f"{k} {' or '.join(v)}" for k, v in self.wanted.items())
        return self.name + (f" with {said}" if said else "")

    def text(self) -> str:
        word = "most expensive" if self.high else "cheapest"
        if self.pick is None:
            return f"no {self.label()} is available right now"
        return f"the {word} available {self.label()} is {money(self.pick['price'])} ({opts(self.pick)})"


def two_product_answer(question: str, catalogue: dict, *, high: bool = False) -> tuple[str, list[str]] | None:
    """(text, item ids) when the question names two different products on either side of "or" / "than" /
    "and" ...; None otherwise. `high`: the most expensive of each unless a side says "cheapest"."""
    sentences = SENTENCE.split(question)
    for i in reversed(range(len(sentences))):  # the sentence naming both; the ones before it are premise
        asked, premise = sentences[i], " ".join(sentences[:i])
        for m in SIDES.finditer(asked):
            left, right = asked[:m.start()], asked[m.end():]
            a, b = find_product(left, catalogue), find_product(right, catalogue)
            if a and b and a[0] != b[0]:
                sides = [_side(catalogue, found, said, premise, high) for found, said in ((a, left), (b, right))]
                summed = bool(SUM.search(question) or PLUS.fullmatch(m.group()))
                return _phrase(question, sides, summed), [s.pick["item_id"] for s in sides if s.pick]
    return None


def _side(catalogue: dict, found: tuple[str, str], said: str, premise: str, high: bool) -> Side:
    pid, name = found
    variants = list(catalogue[pid]["variants"].values())
    wanted = {**mentioned_values(premise, variants), **mentioned_values(said, variants)}
    excluded = mentioned_values(premise + " " + said, variants, negated=True)
    avail = [v for v in variants if v.get("available")
             and all(str(v["options"].get(k)) in vals for k, vals in wanted.items())
             and not any(str(v["options"].get(k)) in vals for k, vals in excluded.items())]
    side_high = bool(DEAR.search(said)) or (high and not CHEAP.search(said))
    pick = (max if side_high else min)(avail, key=lambda x: x["price"]) if avail else None
    return Side(name, wanted, pick, side_high)


def _phrase(question: str, sides: list[Side], summed: bool) -> str:
    text = "; ".join(s.text() for s in sides) + "."
    text = text[0].upper() + text[1:]
    a, b = sides
    if a.pick is None or b.pick is None:
        return text
    pa, pb = a.pick["price"], b.pick["price"]
    if summed:
        return text + f" Together: {money(pa + pb)}." + within(pa + pb, question)
    diff = abs(pa - pb)
    if diff < 0.005:
        return text + " They cost the same."
    (lo, _), (hi, _) = sorted(((a, pa), (b, pb)), key=lambda x: x[1])
    if DIFFERENCE.search(question):
        return text + (f" The {hi.name} {'cost' if plural(hi.name) else 'costs'} {money(diff)} more than the "
                       f"{lo.name}.")
    return text + f" The {lo.name} {'are' if plural(lo.name) else 'is'} cheaper, by {money(diff)}."


def within(total: float, question: str) -> str:
    """" That is under $80." when the question asks whether a sum is within a bound ("is that under 80?")."""
    budget = budget_asked(question)
    if budget is None:
        return ""
    said = budget.words()
    return f" That is {said}." if budget.fits(total) else f" That is not {said}."
