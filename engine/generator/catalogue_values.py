"""Which catalogue option values a question names, in the shopper's words rather than the catalogue's.

"a 2 liter kettle" names capacity 2L; "a waterproof action camera" names waterproof = yes (an option whose
values are yes / no is named by its key used as an adjective); "one that isn't black" names black as
excluded. Without these a question with two constraints is answered for one of them ("the black kettle is
available", while no 2L kettle comes in black).

`attribute_asked` reads a question about a product's property ("how much does the bookshelf weigh?"): the
option key it names when the catalogue has one, else the property, which the catalogue does not list (the
answer says so instead of quoting prices).
"""
from __future__ import annotations

import re

from engine.knowledge.retrieval import _stem

# shopper words for the catalogue's size letters
SIZE_WORDS = {"extra small": "XS", "small": "S", "medium": "M", "large": "L", "extra large": "XL",
              "double extra large": "XXL"}
# "a camera that doesn't need ethernet", "one that isn't black", "not wired", "without a grinder": the value
# after a negation is excluded, not wanted
NEGATED = re.compile(r"(\b(not|no|non|without|except|other than|never)\b|n't\b)(\s+\w+){0,3}\s*-?$", re.I)
# unit spellings: the catalogue writes "2L", "1.5 liters", "6 ft", "10-inch", "256GB"; shoppers any of them
UNITS = [("l", "liters?", "litres?"), ("ml", "milliliters?", "millilitres?"), ("gb", "gigs?", "gigabytes?"),
         ("tb", "terabytes?"), ("ft", "foot", "feet"), ("inch", "inches", "in\\.", '"'),
         ("mm", "millimeters?", "millimetres?"), ("cm", "centimeters?", "centimetres?"), ("k",),
         ("mp", "megapixels?"), ("mah",), ("hours?", "hrs?", "h"), ("bar",), ("w", "watts?"), ("cups?",),
         ("degrees?", "°")]
_VALUE_WITH_UNIT = re.compile(r"^(\d+(?:\.\d+)?)\s*-?\s*([a-z\"°]+\.?)$", re.I)
# a property asked about ("how heavy", "what does it weigh", "the warranty of"): its name, for the option key
# or for saying the catalogue does not list it
PROPERTIES = {"weigh": "weight", "weight": "weight", "heavy": "weight", "tall": "height", "height": "height",
              "high": "height", "wide": "width", "width": "width", "deep": "depth", "depth": "depth",
              "dimension": "dimensions", "measur": "dimensions", "warranty": "warranty", "guarantee": "warranty",
              "wattag": "wattage", "watt": "wattage", "voltag": "voltage", "made in": "origin",
              "manufactured": "origin", "loud": "noise level", "nois": "noise level"}
_PROPERTY_Q = re.compile(r"\bhow (heavy|tall|wide|deep|high|loud|noisy)\b|\bhow much (does|do|will|would) .*\b(weigh|measure)\b"
                         r"|\bwhat (is|are|'s)? ?(the )?(weight|height|width|depth|dimensions?|warranty|guarantee|wattage"
                         r"|voltage|noise level)\b|\b(weight|dimensions|warranty|wattage|voltage) of\b"
                         r"|\bwhere (is|are) .* (made|manufactured)\b", re.I)


def _unit_group(unit: str) -> tuple[str, ...] | None:
    return next((g for g in UNITS if any(re.fullmatch(a, unit.lower()) for a in g)), None)


def value_pattern(key: str, val: str) -> re.Pattern[str]:
    """How a value is written in a question: its own spelling, or its number with any spelling of its unit."""
    if len(val) <= 3 and val.isupper() and key.lower() == "size":  # "M", "XL": case-sensitive
        return re.compile(rf"(?<![\w-]){re.escape(val)}(?![\w-])")
    forms = [re.escape(val.lower())]
    m = _VALUE_WITH_UNIT.match(val)
    group = _unit_group(m.group(2)) if m else None
    if m and group:
        forms.append(rf"{re.escape(m.group(1))}\s*-?\s*(?:{'|'.join(group)})")
    return re.compile(rf"(?<![\w.-])(?:{'|'.join(forms)})(?!\w)", re.I)  # "induction-compatible"


def yes_no_keys(values: dict[str, set[str]]) -> list[str]:
    """Option keys that are a feature one has or not ("waterproof": yes / no)."""
    return [k for k, vals in values.items() if {v.lower() for v in vals} <= {"yes", "no"} and len(vals) == 2]


def mentioned_values(question: str, variants: list[dict], *, negated: bool = False) -> dict[str, list[str]]:
    """Option values the question names, per option key, in the order they appear in the question; those after
    a negation ("isn't black") only when `negated`, the others only when not. A yes / no option named by its key
    ("waterproof") is its "yes"."""
    ql = question.lower()
    found: dict[str, list[tuple[int, str]]] = {}
    values: dict[str, set[str]] = {}
    for v in variants:
        for k, val in v["options"].items():
            values.setdefault(k, set()).add(str(val))
    flags = yes_no_keys(values)
    for key, vals in values.items():
        taken: list[tuple[int, int]] = []
        spots = [] if key in flags else [(val, value_pattern(key, val).search(question)) for val in
                                         sorted(vals, key=len, reverse=True)]
        if key in flags:  # "waterproof", "is it water-proof": the key's words, each stem
            stems = "".join(_stem(w) for w in re.findall(r"[a-z]+", key.lower()))
            toks = list(re.finditer(r"[a-z]+", ql))
            for i, t in enumerate(toks):
                for j in (i + 1, i + 2):  # "waterproof", "water-proof", "water proof"
                    if j <= len(toks) and "".join(_stem(x.group()) for x in toks[i:j]) == stems:
                        spot = re.compile(".{%d}" % (toks[j - 1].end() - t.start())).match(ql, t.start())
                        spots = spots or [(next(v for v in vals if v.lower() == "yes"), spot)]
        for val, m in spots:
            if m is None and key.lower() == "size":  # "in medium" -> M
                word = next((w for w, v in SIZE_WORDS.items() if v == val), None)
                m = re.search(rf"\b{word}\b", ql) if word else None
            if m and not any(a <= m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
                before = question[:m.start()]
                if key in flags and re.search(r"\bnon-?$", before, re.I):
                    before = before + " not"
                if bool(NEGATED.search(before)) == negated:
                    found.setdefault(key, []).append((m.start(), val))
    return {k: [v for _, v in sorted(pairs)] for k, pairs in found.items()}


def describe(key: str, vals: list[str], flags: list[str]) -> str:
    """"capacity 2L", "color black or white", "waterproof yes"."""
    return f"{key} {' or '.join(vals)}"


def attribute_asked(question: str, keys: list[str]) -> tuple[str, str | None] | None:
    """(property, option key or None) when the question asks for a property of a product; None otherwise."""
    m = _PROPERTY_Q.search(question)
    if m is None:
        return None
    span = m.group().lower()
    prop = next((p for w, p in PROPERTIES.items() if re.search(rf"\b{w}", span)), None)
    if prop is None:
        return None
    for key in keys:
        if prop.split()[0] in key.lower() or _stem(prop) in {_stem(w) for w in key.lower().split()}:
            return prop, key
    return prop, None
