"""A catalogue question with a second one about what the first one finds: "how much is the cheapest wristwatch, and
does it come with a blue dial?", "cheapest coffee maker price + does it have a timer", "is the patio umbrella
available in 7ft and does it tilt", "what colours does the electric kettle come in and which is cheapest".

Read as one question, the second part's values narrowed the first one's search: the shopper asking for the cheapest
wristwatch read the price of the cheapest blue one (not the cheapest), or the second part went unanswered. The
first part is answered alone; the second is answered of the variants it found: the one it picked (the cheapest),
or those it names (the 7 ft umbrellas): whether they have the values asked, the values of an option named ("does
it tilt": its tilt mechanism), or the cheapest / most expensive of them.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from engine.knowledge.retrieval import _stem

from .catalogue_phrasing import value_list
from .catalogue_store import money, opts
from .catalogue_values import describe, mentioned_values, yes_no_keys
from .recommend import find_product

# where the second question starts: ", and does it ...", " + does it", "? does it", " and which is cheapest"
FOLLOW = re.compile(r"\s*(?:[,?;+]|\band\b)\s*(?:(?:and|also|plus|but)\b\s*)?"
                    r"(?=(?:does|do|is|are|has|have|can|which|what|how)\b)", re.I)
# the second part points back at what the first found ("it", "which one", "which is cheapest")
POINTS_BACK = re.compile(r"\b(it|its|it's|that one|this one|they|them|those|these)\b|^\s*which\b", re.I)
CHEAP = re.compile(r"\b(cheapest|least expensive|lowest[- ]priced?|most affordable)\b", re.I)
DEAR = re.compile(r"\b(most expensive|priciest|highest[- ]priced?|dearest)\b", re.I)


def follow_up_answer(question: str, catalogue: dict, first_answer: Callable) -> tuple[str, str, list[str]] | None:
    """(text, product, item ids) when the question is a first part about one product and a second that points
    back at what it finds; None otherwise. `first_answer(part, catalogue)` answers the first part (a Computed)."""
    for m in FOLLOW.finditer(question):
        first, second = question[:m.start()], question[m.end():]
        if not POINTS_BACK.search(second) or find_product(second, catalogue):
            continue
        found = find_product(first, catalogue)
        if found is None:
            return None
        got = first_answer(first, catalogue)
        if got is None or got.what in ("not_listed", "claim", "comparison"):
            return None
        pid, name = found
        variants = list(catalogue[pid]["variants"].values())
        picked = got.what in ("cheapest", "most_expensive") and len(got.item_ids) == 1
        if picked and (CHEAP.search(second) or DEAR.search(second)):
            return None  # "which is the cheapest and which one is the most expensive": both ends of the product
        if picked:
            group = [v for v in variants if v["item_id"] == got.item_ids[0]]
        else:
            group = _group(mentioned_values(first, variants), variants)
        said = _about(second, name, variants, group, one=picked or len(group) == 1)
        if said is None:
            return None
        return f"{got.text} {said}", name, list(dict.fromkeys(got.item_ids + said_ids(second, group)))
    return None


def _group(wanted: dict[str, list[str]], variants: list[dict]) -> list[dict]:
    """The available variants with the values the first part names; none of them available ("is the green speaker
    water resistant": no green one is), those with its values that are no yes / no feature (the green ones), which
    the second part asks about ("and how long does its battery last": the green one the shop has)."""
    def having(want: dict[str, list[str]]) -> list[dict]:
        return [v for v in variants if v.get("available") and all(str(v["options"].get(k)) in vals
                                                                    for k, vals in want.items())]
    flags = yes_no_keys({k: {str(v["options"][k]) for v in variants if k in v["options"]} for k in wanted})
    return having(wanted) or (having({k: v for k, v in wanted.items() if k not in flags}) if flags else [])


def said_ids(second: str, group: list[dict]) -> list[str]:
    """The variant the second part picks, for its button."""
    if (CHEAP.search(second) or DEAR.search(second)) and group:
        return [(max if DEAR.search(second) else min)(group, key=lambda v: v["price"])["item_id"]]
    return []


def _key_named(text: str, keys: list[str]) -> str | None:
    """The option key the second part names by a word of it ("does it tilt" -> "tilt mechanism")."""
    words = {_stem(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2}
    return next((k for k in sorted(keys, key=len, reverse=True)
                 if any(_stem(w) in words for w in re.findall(r"[a-z]+", k.lower()) if len(w) > 3)), None)


def _about(second: str, name: str, variants: list[dict], group: list[dict], *, one: bool) -> str | None:
    if not group:
        return None
    subject = "It" if one else f"The available ones ({len(group)})"
    if CHEAP.search(second) or DEAR.search(second):
        high = bool(DEAR.search(second))
        v = (max if high else min)(group, key=lambda x: x["price"])
        return f"The {'most expensive' if high else 'cheapest'} of them is the one with {opts(v)}, at {money(v['price'])}."
    asked = mentioned_values(second, variants)
    if asked:
        has = [v for v in group if all(str(v["options"].get(k)) in vals for k, vals in asked.items())]
        flags = yes_no_keys({k: {str(v["options"][k]) for v in variants if k in v["options"]} for k in asked})
        what = ", ".join(describe(k, vals, []) for k, vals in asked.items())
        if set(asked) <= set(flags):  # "is it waterproof": it is waterproof, not "waterproof yes"
            what = " and ".join(k if vals == ["yes"] else f"no {k}" for k, vals in asked.items())
        if len(has) == len(group):
            verb = ("it is" if one else "they all are") if set(asked) <= set(flags) else ("it has" if one else "they all have")
            return f"Yes: {verb} {what}."
        own = "; ".join(f"{k} {value_list(list(dict.fromkeys(str(v['options'][k]) for v in group)))}" for k in asked)
        others = [v for v in variants if v.get("available") and v not in group
                  and all(str(v["options"].get(k)) in vals for k, vals in asked.items())]
        alt = (f" The cheapest available {name} with {what} is {money(min(v['price'] for v in others))}."
               if others else f" No {name} with {what} is available right now.")
        if has:
            return f"{len(has)} of them {'has' if len(has) == 1 else 'have'} {what}; the others have {own}."
        return f"No: {subject.lower() if not one else 'it'} {'has' if one else 'have'} {own}.{alt}"
    key = _key_named(second, list(dict.fromkeys(k for v in variants for k in v["options"])))
    if key is None:
        return None
    vals = value_list(list(dict.fromkeys(str(v["options"][key]) for v in group if key in v["options"])))
    return f"{subject} {'has' if one else 'have'} {key} {vals}."
