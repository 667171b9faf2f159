"""An option value named by a superlative: "the heaviest weight range", "the largest size", "the most storage",
"the tallest one".

Without this, "cheapest dumbbells in the heaviest weight range" is answered with the cheapest set of any weight
range. The value meant is the extreme of the option's values over the available variants (what the shopper can
buy), ordered by their magnitude: numbers in one unit ("5-25 lbs" < "55-75 lbs", "512GB" < "1TB"), letter sizes
(S < M < L) and graded words (low < medium < high). An option whose values cannot be ordered is never chosen.
"""
from __future__ import annotations

import re

from engine.knowledge.retrieval import _stem

# superlative -> (the option it implies when none is named, +1 for the largest value, -1 for the smallest)
SUPERLATIVES = {"heaviest": ("weight", 1), "lightest": ("weight", -1), "largest": ("size", 1), "biggest": ("size", 1),
                "smallest": ("size", -1), "tallest": ("height", 1), "shortest": ("length|height", -1),
                "longest": ("length|battery", 1), "coolest": ("ventilation", 1), "airiest": ("ventilation", 1),
                "highest": ("", 1), "lowest": ("", -1), "most": ("", 1), "least": ("", -1),
                "thickest": ("thickness", 1), "thinnest": ("thickness", -1), "widest": ("width", 1),
                "narrowest": ("width", -1), "max": ("", 1), "maximum": ("", 1), "min": ("", -1), "minimum": ("", -1)}
# the words after it are looked at, not taken: "the thinnest and thickest mats" holds two superlatives
_SUPER = re.compile(r"\b(" + "|".join(SUPERLATIVES) + r")\b(?=((?:\s+[\w-]+){0,3}))", re.I)
# "the lowest price", "the most expensive": a price, never an option
_PRICE_AFTER = re.compile(r"^\s*(price\w*|cost\w*|expensive|affordable|pricey|budget)\b", re.I)
GRADES = [["xxs", "xs", "s", "m", "l", "xl", "xxl"], ["small", "medium", "large"], ["low", "medium", "high"],
          ["beginner", "intermediate", "expert"], ["basic", "professional"]]
# a figure's unit -> (its dimension, factor to the dimension's base unit)
SCALE = {"gb": ("bytes", 1.0), "tb": ("bytes", 1000.0), "ml": ("volume", 1.0), "l": ("volume", 1000.0),
         "liter": ("volume", 1000.0), "liters": ("volume", 1000.0), "lbs": ("weight", 1.0), "lb": ("weight", 1.0),
         "kg": ("weight", 2.2046), "ft": ("length", 12.0), "inch": ("length", 1.0), "inches": ("length", 1.0),
         "mm": ("thickness", 1.0), "mah": ("charge", 1.0), "hours": ("time", 1.0), "bar": ("pressure", 1.0),
         "x": ("zoom", 1.0), "mp": ("pixels", 1.0), "degrees": ("angle", 1.0), "": ("count", 1.0)}
_FIGURE = re.compile(r"^(\d+(?:\.\d+)?)(?:\s*-\s*\d+(?:\.\d+)?)?\s*-?\s*([a-z]*)\b", re.I)


def _magnitudes(values: list[str]) -> dict[str, float] | None:
    """Each value's size, comparable across the values; None when they cannot be ordered."""
    low = [v.lower() for v in values]
    for grade in GRADES:
        if set(low) <= set(grade):
            return {v: float(grade.index(v.lower())) for v in values}
    out, dims = {}, set()
    for v in values:
        m = _FIGURE.match(v)
        unit = m.group(2).lower() if m else None
        if unit not in SCALE:
            return None
        dim, factor = SCALE[unit]
        dims.add(dim)
        out[v] = float(m.group(1)) * factor
    return out if len(dims) == 1 else None


def _key_named(words_after: str, keys: list[str]) -> str | None:
    """The option key named right after the superlative ("heaviest weight range", "most storage")."""
    said = {_stem(w).rstrip("e") for w in re.findall(r"[a-z]+", words_after.lower().replace("colour", "color"))}
    for key in sorted(keys, key=len, reverse=True):
        if all(_stem(w).rstrip("e") in said for w in key.lower().split()):
            return key
    return None


def _key_implied(hint: str, keys: list[str], values: dict[str, list[str]]) -> str | None:
    """The one orderable option of the dimension a superlative implies ("heaviest" -> "weight range"); of several
    dimensions ("length|height"), the first this product has ("the shortest bookshelf" -> its height, "the
    earbuds that last the longest" -> their battery life)."""
    for dim in hint.split("|") if hint else ():
        fits = [k for k in keys if dim in k.lower() and _magnitudes(values[k])]
        if not fits and dim == "size":  # "the biggest one": a capacity or a diameter is its size
            fits = [k for k in keys if k.lower() in ("capacity", "diameter") and _magnitudes(values[k])]
        if fits:
            return fits[0] if len(fits) == 1 else None
    return None


def extreme_values(question: str, variants: list[dict]) -> dict[str, list[str]]:
    """{option key: [the value a superlative names]} ("cheapest dumbbells in the heaviest weight range" ->
    {"weight range": ["55-75 lbs"]}); {} when the question names none."""
    keys = list(dict.fromkeys(k for v in variants for k in v["options"]))
    pool = [v for v in variants if v.get("available")] or variants
    values = {k: list(dict.fromkeys(str(v["options"][k]) for v in pool if k in v["options"])) for k in keys}
    out: dict[str, list[str]] = {}
    for m in _SUPER.finditer(question):
        if _PRICE_AFTER.match(m.group(2)):
            continue
        hint, sign = SUPERLATIVES[m.group(1).lower()]
        key = _key_named(m.group(2), keys) or _key_implied(hint, keys, values)
        sizes = _magnitudes(values[key]) if key else None
        if key is None or not sizes or len(sizes) < 2:
            continue
        # "the thickest ... than the thinnest": both ends of one option, compared as two values of it
        value = max(sizes, key=lambda v: sign * sizes[v])
        if value not in out.setdefault(key, [value]):
            out[key].append(value)
    return out
