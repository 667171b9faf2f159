"""Two products compared on one of their options: "which comes in more colours, the sneakers or the fleece
jacket?", "does the wall clock or the bookshelf come in more sizes?", "which is bigger, your largest water bottle
or your largest electric kettle?".

Read for one product, such a question got that product's stock or its option list ("Yes: the E-Reader with
screen size 8-inch is available"), with no comparison and often a wrong side. The answer counts the values each
product can be bought in ("more colours", "more choices"), or compares the largest (or smallest) value of each
when the values are magnitudes in one unit ("bigger screen", "holds more"); a tie is said as a tie.
"""
from __future__ import annotations

import re

from engine.knowledge.retrieval import _stem

from .catalogue_extremes import _magnitudes
from .catalogue_phrasing import plural, value_list
from .catalogue_values import ordered
from .recommend import find_product

SIDES = re.compile(r"\s+(?:or|vs\.?|versus|compared (?:to|with)|against|than|and)\s+", re.I)
# a count of choices: "more colours", "more size options", "comes in more sizes", "a wider choice of storage"
COUNT = re.compile(r"\b(?:more|fewer|less|most|fewest)\s+(?:\w+\s+){0,2}(?:choices?|options?|variety|varieties|kinds|"
                   r"types|colou?rs|sizes|versions|variants)\b|\bcomes? in more\b|\b(?:wider|bigger|larger|more) "
                   r"(?:range|choice|selection)\b|\bhow many\b", re.I)
# a magnitude: "the bigger screen", "holds more", "which is larger"
BIGGER = re.compile(r"\b(bigger|larger|biggest|largest|more|higher|longer|heavier|taller|wider|greater|holds?|max\w*)\b",
                    re.I)
SMALLER = re.compile(r"\b(smaller|smallest|less|lower|shorter|lighter|fewer|thinner|min\w*)\b", re.I)
# what the option is called by a shopper who names none of its words ("holds more water" is the capacity)
IMPLIED = [(re.compile(r"\b(holds?|hold|water|litres?|liters?|volume|capacity)\b", re.I), "capacity"),
           (re.compile(r"\b(screen|display)\b", re.I), "screen size"),
           (re.compile(r"\b(heav\w+|weigh\w*|lighter)\b", re.I), "weight range")]
PRICE_WORDS = re.compile(r"\b(cheap\w*|expensive|pric\w*|cost\w*|how much|afford\w*|\$)", re.I)


def _values(catalogue: dict, pid: str) -> dict[str, list[str]]:
    """Option key (lower case) -> the values of the product's available variants."""
    variants = [v for v in catalogue[pid]["variants"].values() if v.get("available")]
    out: dict[str, list[str]] = {}
    for v in variants:
        for k, x in v["options"].items():
            out.setdefault(k.lower(), [])
            if str(x) not in out[k.lower()]:
                out[k.lower()].append(str(x))
    return out


def _key_asked(question: str, keys: set[str]) -> str | None:
    """The shared option the question names: every word of it ("storage", "screen size"), else its first word
    ("the bigger screen"), else one the question implies ("holds more water": capacity)."""
    said = {_stem(w).rstrip("e") for w in re.findall(r"[a-z]+", question.lower().replace("colour", "color"))}
    named = {key: [_stem(w).rstrip("e") for w in key.split()] for key in sorted(keys, key=len, reverse=True)}
    whole = [key for key, words in named.items() if all(w in said for w in words)]
    first = [key for key, words in named.items() if words[0] in said]
    if whole or first:
        return (whole or first)[0]
    return next((key for pattern, key in IMPLIED if key in keys and pattern.search(question)), None)


def option_pair_answer(question: str, catalogue: dict) -> tuple[str, list[str]] | None:
    """(text, []) for two products compared on a shared option; None when the question is not one."""
    if PRICE_WORDS.search(question):
        return None
    for m in SIDES.finditer(question):
        a, b = find_product(question[:m.start()], catalogue), find_product(question[m.end():], catalogue)
        if not (a and b and a[0] != b[0]):
            continue
        va, vb = _values(catalogue, a[0]), _values(catalogue, b[0])
        key = _key_asked(question, set(va) & set(vb))
        if key is None:
            return None
        if COUNT.search(question):
            return _counted(key, (a[1], va[key]), (b[1], vb[key])), []
        sizes = _magnitudes(va[key] + vb[key])
        if sizes and (BIGGER.search(question) or SMALLER.search(question)):
            return _measured(key, (a[1], va[key]), (b[1], vb[key]), sizes,
                             small=bool(SMALLER.search(question)) and not BIGGER.search(question)), []
        return None
    return None


def _counted(key: str, a: tuple[str, list[str]], b: tuple[str, list[str]]) -> str:
    """"The Hiking Boots come in 6 sizes (7, 8, ...); the Running Shoes in 3 (8, 9, 10): the Hiking Boots have more."""
    noun = f"{key}s" if key in ("size", "color", "colour") else f"{key} options"  # "sizes", "storage options"
    (na, xa), (nb, xb) = a, b
    text = (f"You can buy the {na} in {len(xa)} {noun} ({value_list(ordered(xa))}) and the {nb} in {len(xb)} "
            f"({value_list(ordered(xb))}).")
    if len(xa) == len(xb):
        return text + f" They come in the same number of {noun}: {len(xa)} each."
    more = na if len(xa) > len(xb) else nb
    return text + f" The {more} {'have' if plural(more) else 'has'} more {noun}."


def _measured(key: str, a: tuple[str, list[str]], b: tuple[str, list[str]], sizes: dict[str, float],
              *, small: bool) -> str:
    """"The largest screen size of the Tablet is 10-inch, of the E-Reader 8-inch: the Tablet's is bigger."""
    pick = min if small else max
    word = "smallest" if small else "largest"
    (na, xa), (nb, xb) = a, b
    ea, eb = pick(xa, key=lambda x: sizes[x]), pick(xb, key=lambda x: sizes[x])
    text = f"The {word} {key} you can buy of the {na} is {ea}, of the {nb} {eb}"
    if abs(sizes[ea] - sizes[eb]) < 1e-9:
        return text + f": the same, so neither is {'smaller' if small else 'bigger'}."
    wins = na if (sizes[ea] < sizes[eb]) == small else nb
    return text + f": the {wins}'s is {'smaller' if small else 'bigger'}."
