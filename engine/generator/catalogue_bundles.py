"""Several products bought together within a budget: "a desk lamp and a yoga mat for under $250?", "phone +
charger, I have 1200, enough?", "kettle, toothbrush and bottle, all three under 400?".

Read one product at a time, such a message got the cheapest variants of the last product named under the whole
budget ("Here are the available Electric Kettle variants under $360"), a yes for the budget that the products
together exceed. The answer is the cheapest available variant of each product (with the values the shopper
names for it), their sum, and whether the sum is within the budget, said first ("No: ...", "Yes: ...").
A budget is a bound ("under $2500") or money the shopper has ("I have $360", "2300 to spend", "is $500 enough").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .catalogue_phrasing import plural
from .catalogue_store import money, opts
from .catalogue_values import Budget, budget_asked, mentioned_values, said_amounts
from .recommend import find_product

# where one product of a list ends: "A and B", "A + B", "A, B and C", "A plus B", "A with B"
LIST_BREAK = re.compile(r"\s*(?:,|\+|&)\s*(?:and\s+)?|\s+(?:and|plus|with|together with)\s+", re.I)
_MONEY = r"\$?\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?(?:\s*(?:dollars|bucks|usd))?"
# money the shopper has: "I have $360", "I've got 2300 to spend", "with only $90", "is $500 enough", "budget 900"
HAVE_MONEY = re.compile(r"\b(?:i\s+(?:only\s+|just\s+)?(?:have|had|got)|i've\s+(?:only\s+|just\s+)?got|i\s+can\s+"
                        r"(?:only\s+)?spend|with\s+(?:only\s+|just\s+)?)\s*(?:about\s+|around\s+)?\$\s*"
                        r"(\d[\d,]*(?:\.\d+)?)\s*(k\b)?", re.I)
TO_SPEND = re.compile(_MONEY + r"\s+(?:to spend|to play with|budget|in my budget|left)\b", re.I)
ENOUGH = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?[\s.?!,]*(?:\w+\s+){0,3}enough\b", re.I)
HAVE_ANY = re.compile(r"\b(?:i\s+(?:only\s+|just\s+)?(?:have|got)|i've\s+got)\s+" + _MONEY + r"(?=[\s.,?!]|$)", re.I)


def money_held(question: str) -> Budget | None:
    """The budget of a shopper who says what they have ("I've got 2300 to spend"), or a bound ("under $2500")."""
    question = said_amounts(question)
    bound = budget_asked(question)
    if bound is not None:
        return bound
    for pattern in (HAVE_MONEY, TO_SPEND, ENOUGH, HAVE_ANY):
        m = pattern.search(question)
        if m:
            amount = float(m.group(1).replace(",", "")) * (1000 if m.group(2) else 1)
            if amount >= 1:
                return Budget(high=amount)
    return None


@dataclass(frozen=True)
class Item:
    """One product of the bundle with the values named for it and its cheapest available variant."""

    name: str
    wanted: dict[str, list[str]]
    pick: dict | None

    def text(self) -> str:
        said = ", ".join(f"{k} {' or '.join(v)}" for k, v in self.wanted.items())
        label = self.name + (f" with {said}" if said else "")
        if self.pick is None:
            return f"no {label} {'are' if plural(self.name) else 'is'} available right now"
        verb = "are" if plural(self.name) else "is"
        return f"the cheapest available {label} {verb} {money(self.pick['price'])} ({opts(self.pick)})"


def named_products(question: str, catalogue: dict) -> list[tuple[tuple[str, str], str]]:
    """The distinct products of a list in the question, each with the words said of it, in order."""
    out: list[tuple[tuple[str, str], str]] = []
    for piece in LIST_BREAK.split(question):
        found = find_product(piece, catalogue) if piece and piece.strip() else None
        if found and all(found[0] != f[0] for f, _ in out):
            out.append((found, piece))
    return out


def bundle_answer(question: str, catalogue: dict) -> tuple[str, list[str]] | None:
    """(text, item ids) when the question names two or more products and a budget; None otherwise."""
    budget = money_held(question)
    if budget is None or budget.high is None:
        return None
    named = named_products(question, catalogue)
    if len(named) < 2:
        return None
    items = []
    for (pid, name), said in named:
        variants = list(catalogue[pid]["variants"].values())
        wanted = mentioned_values(said, variants)
        avail = [v for v in variants if v.get("available")
                 and all(str(v["options"].get(k)) in vals for k, vals in wanted.items())]
        items.append(Item(name, wanted, min(avail, key=lambda v: v["price"]) if avail else None))
    listed = "; ".join(i.text() for i in items)
    listed = listed[0].upper() + listed[1:] + "."
    ids = [i.pick["item_id"] for i in items if i.pick]
    if any(i.pick is None for i in items):
        return f"No: not every one of them is available right now. {listed}", ids
    total = sum(i.pick["price"] for i in items)
    limit = budget.high
    bound = money(limit).replace(".00", "")
    both = "both" if len(items) == 2 else f"all {len(items)}"
    if total <= limit:
        return (f"Yes: {both} fit within {bound}. {listed} Together: {money(total)}, "
                f"{money(limit - total)} to spare.", ids)
    return (f"No: {bound} is not enough for {both}, even at the cheapest. {listed} Together: {money(total)}, "
            f"{money(total - limit)} over.", ids)
