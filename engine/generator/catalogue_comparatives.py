"""Which of the variants a shopper narrowed down has more of an option: "You have two black wireless earbuds in
stock. Which one has the longer battery?"

Without this the question reads as a stock question about black earbuds and is answered "Yes: available", which
answers nothing. The option is the one named after the comparative ("longer battery" -> battery life), its values
ordered as catalogue_extremes orders them; when every variant has the same value, that is the answer (neither).
"""
from __future__ import annotations

import re

from engine.knowledge.retrieval import _stem

from .catalogue_extremes import _PRICE_AFTER, _key_implied, _key_named, _magnitudes
from .catalogue_counted import option_said
from .catalogue_store import money

COMPARATIVES = {"longer": ("length|battery", 1), "shorter": ("length|height", -1), "cooler": ("ventilation", 1),
                "bigger": ("size", 1), "larger": ("size", 1),
                "smaller": ("size", -1), "heavier": ("weight", 1), "lighter": ("weight", -1), "taller": ("height", 1),
                "thicker": ("thickness", 1), "thinner": ("thickness", -1), "wider": ("width", 1), "more": ("", 1),
                "less": ("", -1), "higher": ("", 1), "lower": ("", -1), "better": ("", 1)}
_WHICH = re.compile(r"\b(?:which|what)\b(?:\s+(?:one|of (?:them|the \w+|these|those)))?[^?.]*?\b("
                    + "|".join(COMPARATIVES) + r")\b((?:\s+[\w-]+){0,3})", re.I)


def _key_by_first_word(words_after: str, keys: list[str]) -> str | None:
    """"longer battery" -> "battery life": a key whose first word is named."""
    said = {_stem(w) for w in re.findall(r"[a-z]+", words_after.lower())}
    return next((k for k in keys if _stem(k.lower().split()[0]) in said), None)


def _each(pool: list[dict], others: list[str]) -> str:
    """Each variant by the options that differ, and its price, the cheapest first."""
    return "; ".join(", ".join(option_said(k, v["options"][k]) for k in others if k in v["options"])
                     + f" at {money(v['price'])}" for v in sorted(pool, key=lambda x: x["price"]))


def asks_which_more(question: str) -> bool:
    """Whether `question` asks which variant has more or less of something other than a price."""
    m = _WHICH.search(question)
    return bool(m) and not _PRICE_AFTER.match(m.group(2))


def compared_option(question: str, label: str, pool: list[dict]) -> str | None:
    """The answer when `question` asks which of the available variants `pool` (those with the values the shopper
    named, called `label`) has more or less of an orderable option; None when it asks no such thing."""
    m = _WHICH.search(question)
    if m is None or _PRICE_AFTER.match(m.group(2)) or len(pool) < 2:
        return None
    keys = list(dict.fromkeys(k for v in pool for k in v["options"]))
    hint, sign = COMPARATIVES[m.group(1).lower()]
    values = {k: list(dict.fromkeys(str(v["options"][k]) for v in pool if k in v["options"])) for k in keys}
    key = _key_named(m.group(2), keys) or _key_by_first_word(m.group(2), keys) or _key_implied(hint, keys, values)
    if key is None or not all(key in v["options"] for v in pool):
        return None
    sizes = _magnitudes(values[key])
    if sizes is None:
        return None
    others = [k for k in keys if k != key and len(values[k]) > 1]
    each = _each(pool, others)
    if len(values[key]) == 1:
        both = "both" if len(pool) == 2 else f"all {len(pool)}"
        return (f"Neither: {both} {label} available have the same {key}, {values[key][0]}."
                + (f" They differ in {', '.join(others)}: {each}." if others else ""))
    best = max(values[key], key=lambda x: sign * sizes[x])
    top = [v for v in pool if str(v["options"][key]) == best]
    which = "these" if len(top) > 1 else "this one"
    return (f"{best} is the {'highest' if sign > 0 else 'lowest'} {key} of the {label} available, on {which}: "
            + _each(top, others) + ".")
