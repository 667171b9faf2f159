"""Catalogue messages that are more than one question, or about the whole store within a price bound.

"sneakers in size 11?? and whats the cheapest pair", "smart watch in silver how much, and how many can I pick
from", "gaming mouse in RGB? also the cheapest wireless one": two questions about one product. Read as one, the
second inherits the first one's values (the cheapest size-11 sneakers, sold out) or is not answered at all; each
part is answered by itself, the product named once serving both. A part that points back ("how much is it?",
"is that under 80?") is about what the first part names, so such a message stays one question.

"anything under $50?", "anything under 30 bucks", "anything over 2k besides laptops": no product is named (or
one is named to be left out); the answer lists the products with available variants within the bound.
"""
from __future__ import annotations

import re

from .catalogue_store import money, opts
from .catalogue_values import budget_asked, mentioned_values, value_pattern
from .recommend import SYNONYMS, find_product

# where a second question starts: after a "?" ("size 11?? and whats ..."), at ", and what/how/..." or "also"
PART_BREAK = re.compile(
    r"\?+\s*(?:(?:and|also|plus|but|oh and)\b[,\s]*)?(?=\S)"
    r"|,\s*(?:and\s+)?also\b\s*|\s+also\s+(?=(?:the\s+|a\s+|any\s+)?(?:cheapest|priciest|most|how|what|which|any|is|are|do|does)\b)"
    r"|,\s*(?:and|but)\s+(?=(?:what|what's|how|which|is|are|do|does|can|could|any|the cheapest|cheapest|"
    r"most expensive|priciest)\b)", re.I)
# a part that points back at what the first part names: the message is one question
BACK_REFERENCE = re.compile(r"\b(it|its|it's|that|this|them|they|those|these|both|each|either|same)\b", re.I)
# "besides laptops", "other than the laptop", "apart from cameras": a product left out of a store-wide question
LEFT_OUT = re.compile(r"\b(?:besides|except(?: for)?|other than|apart from|aside from|excluding|not counting|"
                      r"leaving out|but not)\s+(?:the\s+|a\s+|an\s+|any\s+)?((?:[\w-]+\s+){0,2}[\w-]+)", re.I)
# the whole store: "anything", "something", "what can I get", "any products", "what do you have"
STORE_ANY = re.compile(r"\b(anything|something|any ?thing|stuff|any (products?|items?|things?)|what (can|could) i "
                       r"(get|buy)|what do you (have|sell|carry)|what have you got|products?|items?|things?|available|"
                       r"in stock|show me|gifts?|ideas?|recommend\w*|suggest\w*)\b", re.I)
# where the second side of "half zip vs full zip, how much cheaper is the half zip" ends: its question follows
SIDE_END = re.compile(r"\s*[,;:?]\s*(?:and\s+)?(?=(?:which|what|how|is|are|does|do|who|why)\b)|\?", re.I)
SHOWN = 8  # products listed for a store-wide price bound; more are counted, not named


def question_parts(question: str, catalogue: dict) -> list[str]:
    """The questions of one message about one product, each with the product named (see the module docstring);
    `[question]` when it is one question, or a later part points back or the first names no product."""
    pieces = [p.strip(" ,.;") for p in PART_BREAK.split(question)]
    pieces = [p for p in pieces if re.search(r"\w", p)]
    if len(pieces) < 2:
        return [question]
    first = find_product(pieces[0], catalogue)
    if first is None:
        return [question]
    out = [pieces[0]]
    for piece in pieces[1:]:
        if BACK_REFERENCE.search(piece):
            return [question]
        out.append(piece if find_product(piece, catalogue) else f"{piece} {first[1]}")
    return out


def left_out(question: str, catalogue: dict) -> tuple[str, set[str]]:
    """(the question without the products it leaves out, their ids): "anything over 2k besides laptops"."""
    ids: set[str] = set()

    def drop(m: re.Match) -> str:
        found = find_product(m.group(1), catalogue)
        if found is None:
            return m.group(0)
        ids.add(found[0])
        return " "
    return LEFT_OUT.sub(drop, question), ids


def store_budget(question: str, catalogue: dict, skip: set[str] = frozenset()) -> tuple[str, list[str]] | None:
    """(text, item ids) for a price bound over the whole store ("anything under $50?"), cheapest product first;
    None when the question sets no bound or is not about the whole store."""
    budget = budget_asked(question)
    if budget is None or not STORE_ANY.search(question):
        return None
    rows = []
    for pid, prod in catalogue.items():
        if pid in skip:
            continue
        fit = sorted((v for v in prod["variants"].values() if v.get("available") and budget.fits(v["price"])),
                     key=lambda v: v["price"])
        if fit:
            rows.append((prod["name"], fit))
    bound = budget.words()
    if not rows:
        return f"Nothing in our store is available {bound} right now.", []
    rows.sort(key=lambda r: r[1][0]["price"])
    shown = [_row(name, fit) for name, fit in rows[:SHOWN]]
    more = f" and {len(rows) - SHOWN} more products" if len(rows) > SHOWN else ""
    skipped = ", ".join(catalogue[p]["name"] for p in skip if p in catalogue)
    head = f"Available {bound}{' (besides the ' + skipped + ')' if skipped else ''}, cheapest first:"
    ids = [fit[0]["item_id"] for _, fit in rows[:3]]
    return head + "\n" + "\n".join(shown) + (f"\n(and{more[4:]})" if more else ""), ids


def _row(name: str, fit: list[dict]) -> str:
    """"- Notebook: $28.59 (size A5, cover type soft cover) or $29.28 (...)"; more than two: their range."""
    if len(fit) <= 2:
        return f"- {name}: " + " or ".join(f"{money(v['price'])} ({opts(v)})" for v in fit)
    lo, hi = fit[0]["price"], fit[-1]["price"]
    return f"- {name}: {len(fit)} options, from {money(lo)} to {money(hi)}"


def stated_count(question: str, name: str) -> int | None:
    """The count of a product the shopper states as known ("all 19 skateboards in stock?", "are your 5 sneakers
    available?"), answered with the count one can buy; a quantity to buy ("can I get 2 skateboards?") is none."""
    words = [name] + [w for w, n in SYNONYMS.items() if n == name]
    names = "|".join(re.escape(w.lower()) for w in sorted(words, key=len, reverse=True))
    m = re.search(rf"\b(?:all(?: of)?(?: the| your)?|the|those|these|your)\s+(\d+)\s+(?:{names})(?:e?s)?\b",
                  question.lower())
    return int(m.group(1)) if m else None


# "..., both in grey", "both with a white dial": what follows is said of each side
BOTH = re.compile(r",?\s*\b(?:both|each)\b(?=\s+(?:in|with|are|in the|having)\b)", re.I)


def compared_sides(halves: list[str], variants: list[dict]) -> list[dict[str, list[str]]]:
    """The option values of each side of "over-ear headphones: wired or wireless, which is cheaper": the second
    side ends where its question starts (the question may name a side again: "how much cheaper is the half zip"),
    and a value said before the first side's contrasted one ("over-ear") holds for both sides, as does one said of
    both after them ("the polyester than the nylon one, both in grey")."""
    left, right = halves[0], SIDE_END.split(halves[1], maxsplit=1)[0]
    right, _, of_both = right.partition(BOTH.search(right).group() if BOTH.search(right) else "\0")
    a, b = mentioned_values(left, variants), mentioned_values(right, variants)
    shared = mentioned_values(of_both, variants) if of_both else {}
    a, b = ({**{k: v for k, v in shared.items() if k not in side}, **side} if side else side for side in (a, b))
    if not a or not b:
        return [a, b]
    starts = [m.start() for k in set(a) & set(b) for val in a[k] for m in [value_pattern(k, val).search(left)] if m]
    if starts:
        before = mentioned_values(left[:min(starts)], variants)
        b = {**{k: v for k, v in before.items() if k not in b}, **b}
    return [a, b]
