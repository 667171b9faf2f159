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
from dataclasses import dataclass

from engine.knowledge.retrieval import STOP, _stem
from engine.knowledge.wording import GENERIC

# shopper words for the catalogue's size letters
SIZE_WORDS = {"extra extra large": "XXL", "double extra large": "XXL", "xx-large": "XXL", "2xl": "XXL", "xxl": "XXL",
              "extra large": "XL", "extra-large": "XL", "x-large": "XL", "xl": "XL", "extra small": "XS",
              "extra-small": "XS", "x-small": "XS", "xs": "XS", "small": "S", "medium": "M", "large": "L"}
# "a camera that doesn't need ethernet", "one that isn't black", "not wired", "without a grinder": the value
# after a negation is excluded, not wanted
NEGATED = re.compile(r"(\b(not|no|non|without|except|other than|never)\b|n't\b)(\s+\w+){0,3}\s*-?$", re.I)
# "pvc makes me sneeze", "allergic to latex", "I hate PVC": a value the shopper dislikes is excluded, never wanted
DISLIKED_BEFORE = re.compile(r"\b(allerg\w* to|hate|dislike|avoid|can'?t stand|sensitive to|sick of|tired of|fed up with"
                             r"|done with)(\s+\w+){0,2}\s*$", re.I)
DISLIKED_AFTER = re.compile(r"^(\s+\w+){0,1}\s+(makes? me|gives? me|irritates?|bothers?|triggers?|is (bad|awful|terrible)"
                            r"|sucks)\b", re.I)
# "water resistant" names the option "water resistance": an adjective and its noun share one root
_ROOT_END = re.compile(r"(ance|ence|ant|ent|ancy|ency)$")
# unit spellings: the catalogue writes "2L", "1.5 liters", "6 ft", "10-inch", "256GB"; shoppers any of them
UNITS = [("l", "liters?", "litres?"), ("ml", "milliliters?", "millilitres?"), ("gb", "gigs?", "gigabytes?"),
         ("tb", "terabytes?"), ("ft", "foot", "feet"), ("inch", "inches", "in\\.", '"'),
         ("mm", "millimeters?", "millimetres?"), ("cm", "centimeters?", "centimetres?"), ("k",),
         ("mp", "megapixels?"), ("mah",), ("hours?", "hrs?", "h"), ("bar",), ("w", "watts?"), ("cups?",),
         ("degrees?", "°"), ("lbs", "lbs?\\.?", "pounds?")]
# the same quantity in another unit of the catalogue's: unit -> (other unit, factor)
SCALED = {"ml": ("l", 0.001), "l": ("ml", 1000.0)}
# "55-75 lbs": a range is one value, its figures said with any dash or "to" ("55 to 75 lb")
_VALUE_WITH_UNIT = re.compile(r"^(\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?)\s*-?\s*([a-z\"°]+\.?)$", re.I)
# a property asked about ("how heavy", "what does it weigh", "the warranty of"): its name, for the option key
# or for saying the catalogue does not list it
PROPERTIES = {"fit": "fit", "true to size": "fit", "run": "fit", "weigh": "weight", "weight": "weight", "heavy": "weight", "tall": "height", "height": "height",
              "high": "height", "wide": "width", "width": "width", "deep": "depth", "depth": "depth",
              "dimension": "dimensions", "measur": "dimensions", "warranty": "warranty", "guarantee": "warranty",
              "wattag": "wattage", "watt": "wattage", "voltag": "voltage", "made in": "origin",
              "manufactured": "origin", "loud": "noise level", "nois": "noise level", "quiet": "noise level",
              "lighter": "weight", "heavier": "weight", "taller": "height", "wider": "width",
              "real": "authenticity (real or faux)", "genuine": "authenticity (real or faux)",
              "faux": "authenticity (real or faux)", "fake": "authenticity (real or faux)",
              "lit": "capacity", "gallon": "capacity", "ounce": "capacity", "hold": "capacity",
              "water": "water resistance"}
_PROPERTY_Q = re.compile(r"\b(fit|fits|run|runs) (true to size|small|large|big)\b|\btrue to size\b|\bhow (heavy|tall|wide|deep|high|loud|noisy)\b|\b(lighter|heavier|taller|wider|louder|quieter)\b|\bhow much (does|do|will|would) .*\b(weigh|measure)\b"
                         r"|\bwhat (is|are|'s)? ?(the )?(weight|height|width|depth|dimensions?|warranty|guarantee|wattage"
                         r"|voltage|noise level)\b|\b(weight|dimensions|warranty|wattage|voltage) of\b"
                         r"|\bwhere (is|are) .* (made|manufactured)\b"
                         # "real leather or faux?": the catalogue names a material, never whether it is genuine
                         r"|\b(real|genuine|faux|fake)\b[^?.]*\bor (real|genuine|faux|fake|imitation|synthetic)\b"
                         r"|\b(genuine|faux|fake) (leather|wood|fur|suede)\b"
                         # "how many litres does the backpack hold?": a capacity, listed for a kettle, not for a bag
                         r"|\bhow many (litres?|liters?|gallons?|ounces?)\b|\bhow much (does|do|can|will) .*\bhold\b"
                         # "are your wristwatches water resistant?": listed for earbuds, not for every product
                         r"|^\W*(is|are) (the|your|these|those|this|they|it)\b[^?]*\bwater[- ]?(resistant|proof)\s*\?", re.I)


# "under $200", "for under 3000 dollars", "no more than $1,000": a price bound, not "up to 20 hours"
_UNIT_WORDS = "|".join(a for g in UNITS for a in g) + "|%|x|star|piece|pack|speed|mph|km"
# "over 2k", "under $1.5k": thousands (the "k" of a 4K camera follows no price bound)
_BOUND = r"\s*(?:of\s*)?(\$\s*)?(\d[\d,]*(?:\.\d+)?)(?:\s?(k)\b)?(?![\d.,]*\d)(?!\s*-?\s*(?:" + _UNIT_WORDS + r")(?![a-z]))"
BUDGET_MAX_Q = re.compile(r"\b(?:under|below|less than|cheaper than|at most|no more than|up to|within|max(?:imum)?|"
                          r"budget(?: of| is)?)" + _BOUND, re.I)
BUDGET_MIN_Q = re.compile(r"\b(?:over|above|more than|at least)" + _BOUND, re.I)


@dataclass(frozen=True)
class Budget:
    """A price bound the shopper sets; `fits` keeps the variants within it."""

    low: float | None = None
    high: float | None = None

    def fits(self, price: float) -> bool:
        return (self.low is None or price >= self.low) and (self.high is None or price <= self.high)

    def words(self) -> str:
        if self.low is not None and self.high is not None:  # "between $1,900 and $2,000", as the shopper set it
            return f"between ${self.low:,.2f} and ${self.high:,.2f}".replace(".00", "")
        parts = ([f"under ${self.high:,.2f}".replace(".00", "")] if self.high is not None else []) + \
                ([f"over ${self.low:,.2f}".replace(".00", "")] if self.low is not None else [])
        return " and ".join(parts)


# "about 200 bucks", "roughly $460", "for around 2300 dollars": a price the shopper has in mind, not a bound
NEAR_Q = re.compile(r"\b(?:around|about|roughly|approximately|approx\.?|close to|near|something like|in the region of)"
                    + _BOUND, re.I)


_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_SCALES = {"hundred": 100, "thousand": 1000}
_AMOUNT = r"\$?\s*\d[\d,]*(?:\.\d+)?k?"


def said_amounts(question: str) -> str:
    """Money as people say it, in figures: "under a grand" -> "under 1000", "3 grand" -> "3k", "a thousand dollars"
    -> "1000 dollars"; a range, "between $1,900 and $2,000", is the two bounds it sets ("over $1,900 and under
    $2,000"), never a budget of its first figure."""
    question = re.sub(r"\b(?:a|one) grand\b", "1000", question, flags=re.I)
    question = re.sub(r"\b(\d+(?:\.\d+)?)\s*grand\b", r"\1k", question, flags=re.I)
    question = re.sub(r"\b(" + "|".join(_COUNTS) + r")\s+(hundred|thousand)\b(?!\s+(?:and|of)\b\s+(?:a|one|two)?\b)",
                      lambda m: str(_COUNTS[m.group(1).lower()] * _SCALES[m.group(2).lower()]), question, flags=re.I)
    return re.sub(rf"\bbetween\s+({_AMOUNT})\s+and\s+({_AMOUNT})", r"over \1 and under \2", question, flags=re.I)


def _amount(m: re.Match) -> float:
    return float(m.group(2).replace(",", "")) * (1000 if m.group(3) else 1)


def price_near(question: str) -> float | None:
    """The price of "a laptop for around 2300 dollars?", None without one."""
    m = NEAR_Q.search(said_amounts(question))
    return _amount(m) if m else None


def budget_asked(question: str) -> Budget | None:
    """The price bound of "is there a waterproof boot under $200?" ("under a grand"), None without one."""
    question = said_amounts(question)
    hi, lo = BUDGET_MAX_Q.search(question), BUDGET_MIN_Q.search(question)
    if not hi and not lo:
        return None
    return Budget(low=_amount(lo) if lo else None, high=_amount(hi) if hi else None)


def ordered(values) -> list[str]:
    """Distinct option values, sizes 7, 8, 9 ... in numeric order when they are all numbers."""
    out = list(dict.fromkeys(values))
    if all(re.match(r"\d+(\.\d+)?", x) for x in out):  # "3 ft", "4 ft"; "1L", "1.5L", "2L"
        out.sort(key=lambda x: float(re.match(r"\d+(\.\d+)?", x).group()))
    return out


def _unit_group(unit: str) -> tuple[str, ...] | None:
    return next((g for g in UNITS if any(re.fullmatch(a, unit.lower()) for a in g)), None)


def value_pattern(key: str, val: str) -> re.Pattern[str]:
    """How a value is written in a question: its own spelling, or its number with any spelling of its unit."""
    if len(val) <= 3 and val.isupper() and key.lower() == "size":  # "M", "XL": case-sensitive
        return re.compile(rf"(?<![\w-]){re.escape(val)}(?![\w-])")
    # "wifi" is "Wi-Fi", "vneck" / "v neck" is "v-neck": a hyphen or a space may be written or left out;
    # "grey" is "gray"
    forms = [re.sub(r"gr[ae]y", "gr[ae]y", re.sub(r"(?:\\-|\\ )", r"[-\\s]?", re.escape(val.lower())))]
    m = _VALUE_WITH_UNIT.match(val)
    group = _unit_group(m.group(2)) if m else None
    if m and group:
        figures = r"\s*(?:-|–|to)\s*".join(re.escape(n) for n in m.group(1).split("-"))
        forms.append(rf"{figures}\s*-?\s*(?:{'|'.join(group)})")
        scaled = SCALED.get(group[0])  # "1000ml" is "1 litre", "1.5L" is "1500 ml"
        if scaled:
            n = float(m.group(1)) * scaled[1]
            figure = f"{n:g}" if n >= 1 else f"0?{f'{n:g}'.lstrip('0')}"
            forms.append(rf"{figure.replace('.', '[.]')}\s*-?\s*(?:{'|'.join(_unit_group(scaled[0]))})")
    elif re.fullmatch(r"[a-z]+", val.lower()):  # "charges wirelessly" names "Wireless", "wooden" names "wood"
        forms.append(re.escape(val.lower()) + "(?:ly|l?en)")
    return re.compile(rf"(?<![\w.-])(?:{'|'.join(forms)})(?!\w)", re.I)  # "induction-compatible"


def yes_no_keys(values: dict[str, set[str]]) -> list[str]:
    """Option keys that are a feature one has or not ("waterproof": yes / no)."""
    return [k for k, vals in values.items() if {v.lower() for v in vals} <= {"yes", "no"} and len(vals) == 2]


def _flag_root(word: str) -> str:
    """"resistant" and "resistance" -> "resist"; "waterproof" is "water resistant" ("proof" -> "resist")."""
    word = re.sub(r"(?<=[a-z])proof$", "resist", word) if word != "proof" else "resist"
    stem = _stem(word)
    return _ROOT_END.sub("", stem) if len(stem) > 6 else stem


def _size_words(ql: str) -> list[tuple[re.Match, str]]:
    """Letter sizes said in words, the longest words first ("extra small" is XS, never S, even where there is
    no XS)."""
    out: list[tuple[re.Match, str]] = []
    for word in sorted(SIZE_WORDS, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", ql):
            if not any(m.start() < x.end() and x.start() < m.end() for x, _ in out):
                out.append((m, SIZE_WORDS[word]))
    return out


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
            stems = "".join(_flag_root(w) for w in re.findall(r"[a-z]+", key.lower()))
            toks = list(re.finditer(r"[a-z]+", ql))
            for i, t in enumerate(toks):
                for j in (i + 1, i + 2):  # "waterproof", "water-proof", "water proof"
                    if j <= len(toks) and "".join(_flag_root(x.group()) for x in toks[i:j]) == stems:
                        spot = re.compile(".{%d}" % (toks[j - 1].end() - t.start())).match(ql, t.start())
                        spots = spots or [(next(v for v in vals if v.lower() == "yes"), spot)]
        if key not in flags and not any(m for _, m in spots):  # "w cellular": a word only one value has
            # ("water resistant" names no "not resistant": a value that is a negation is named whole, "not" and all)
            partial = [(val, pat.search(question)) for val, pat in _partial_patterns(key, values) + _root_patterns(vals)
                       if not re.match(r"(?:not|no|non)\b", val, re.I)]
            spots = [x for x in partial if x[1]] or spots
        for val, m in spots:
            if m is None and key.lower() == "size":  # "in medium" -> M
                m = next((x for x, size in _size_words(ql) if size == val), None)
            if m and not any(a <= m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
                before = question[:m.start()]
                if key in flags and re.search(r"\bnon-?$", before, re.I):
                    before = before + " not"
                disliked = DISLIKED_BEFORE.search(before) or DISLIKED_AFTER.search(question[m.end():])
                if bool(NEGATED.search(before) or disliked) == negated:
                    found.setdefault(key, []).append((m.start(), val))
    for key, val, m, without in _feature_named(question, values, flags):
        if key not in found and without != negated:
            found[key] = [(m.start(), val)]
    return {k: [v for _, v in sorted(pairs)] for k, pairs in _keyed(question, found).items() if pairs}


def _keyed(question: str, found: dict[str, list[tuple[int, str]]]) -> dict[str, list[tuple[int, str]]]:
    """A word read as the value of two options goes to the one named right after it: "medium size" is the helmet's
    size M, not also its medium ventilation."""
    out = dict(found)
    for key, pairs in found.items():
        for pos, _ in pairs:
            word = re.match(r"[\w-]+", question[pos:])
            after = question[pos + len(word.group()):] if word else ""
            if re.match(rf"\s+{re.escape(key)}\b", after, re.I):  # this key is the one named: the others lose it
                for other in found:
                    if other != key:
                        out[other] = [(p, v) for p, v in out[other] if p != pos]
    return out


_NONE_VALUES = ("none", "no", "without")


def _feature_named(question: str, values: dict[str, set[str]], flags: list[str]):
    """"with armrests" / "without armrests": an option whose values include "none", named by its key after "with"
    (any value but none: yielded as the excluded "none") or "without" / "no" (the "none" wanted)."""
    for key, vals in values.items():
        none = next((v for v in vals if v.lower() in _NONE_VALUES), None)
        if key in flags or none is None:
            continue
        words = r"\s+".join(re.escape(_stem(w)) + r"\w*" for w in re.findall(r"[a-z]+", key.lower()))
        for m in re.finditer(rf"\b(with|w/|without|w/o|no)\s+(?:an?\s+|any\s+)?{words}\b", question, re.I):
            yield key, none, m, m.group(1).lower() in ("without", "w/o", "no")


def _partial_patterns(key: str, values: dict[str, set[str]]) -> list[tuple[str, re.Pattern[str]]]:
    """A value of several words named by the one word no other value has ("cellular" is "Wi-Fi + Cellular",
    "stainless" is "stainless steel", "french" is "french press"); never a word another value or another key's
    value also has ("cover" of "hard cover" and "soft cover"), a small or framing word ("over" of "over-ear",
    "back" of "high-back"), or a number."""
    def split(val: str) -> set[str]:
        return set(re.findall(r"[a-z]+", val.lower()))
    others = {w for k, vals in values.items() for v in vals if k != key for w in split(v)}
    out = []
    for val in sorted(values[key]):
        own = split(val)
        if len(own) < 2:
            continue
        shared = others | {w for v in values[key] if v != val for w in split(v)}
        for w in sorted(own - shared):
            if len(w) >= 4 and w not in STOP and w.rstrip("e") not in GENERIC and _stem(w).rstrip("e") not in GENERIC:
                out.append((val, re.compile(rf"(?<![\w-]){re.escape(w)}(?![\w-])", re.I)))
    return out


# "a robot vacuum" is type "robotic", "a metal frame" is "metallic": a one-word value named by its root
_DERIVED_END = re.compile(r"(?<=[a-z]{4})(ic|ical|al|ed)$")


def _root_patterns(vals: set[str]) -> list[tuple[str, re.Pattern[str]]]:
    """A one-word value named by the word it is derived from, when no other value of the key shares that root."""
    roots = {val: _DERIVED_END.sub("", val.lower()) for val in vals if re.fullmatch(r"[a-z]+", val.lower())}
    return [(val, re.compile(rf"(?<![\w-]){re.escape(root)}s?(?![\w-])", re.I)) for val, root in sorted(roots.items())
            if root != val.lower() and sum(r == root for r in roots.values()) == 1]


_SIZE_NUMBER = re.compile(r"\b(?:size|wears?|wearing)\s+(?:an?\s+|size\s+)?(\d{1,2}(?:\.5)?)(?![\w.])", re.I)


def absent_values(question: str, variants: list[dict], catalogue: dict) -> dict[str, list[str]]:
    """Sizes and colours the question names that this product never comes in but another product does
    ("do the running shoes come in size 11?", "an extra small t-shirt"): asked for, so answered as not there
    rather than ignored. A bare number is a size only right after "size" or "wears" ("my son wears a 13")."""
    own = {k: {str(v["options"][k]) for v in variants if k in v["options"]} for v in variants for k in v["options"]
           if k.lower() in ("size", "color", "colour")}
    ql, out = question.lower(), {}
    for key, mine in own.items():
        others = {str(v["options"][key]) for p in catalogue.values() for v in p["variants"].values()
                  if key in v["options"]} - mine
        found: list[tuple[int, str]] = []
        for val in sorted(others, key=len, reverse=True):
            if key.lower() == "size" and not re.fullmatch(r"[\d.]+|X{0,2}[SML]|XXL", val):
                continue  # "a small balcony", "run small": only shoe numbers and letter sizes are sizes here
            pat = (re.compile(rf"\b(?:size|wears?|wearing)\s+(?:an?\s+|size\s+)?{re.escape(val)}(?![\w.])", re.I)
                   if re.fullmatch(r"[\d.]+", val)
                   else value_pattern(key, val))
            m = pat.search(question)
            if m and not any(m.group().lower() in x.lower() for x in mine) and not NEGATED.search(question[:m.start()]):
                found.append((m.start(), val))
        if key.lower() == "size" and all(re.fullmatch(r"[\d.]+", x) for x in mine):  # a shoe size no product has
            found += [(m.start(1), m.group(1)) for m in _SIZE_NUMBER.finditer(question) if m.group(1) not in mine | others
                      and not NEGATED.search(question[:m.start()])]
        if key.lower() == "size" and mine & set(SIZE_WORDS.values()):  # letter sizes said in words
            found += [(m.start(), size) for m, size in _size_words(ql) if size not in mine
                      and m.group() not in {x.lower() for x in mine} and not NEGATED.search(ql[:m.start()])]
        vals = [v for _, v in sorted(found) if not any(v != w and v in w for _, w in found)]
        if vals:
            out[key] = list(dict.fromkeys(vals))
    return out


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


# "how thick is the blue mat?", "how long does its battery last?", "what thickness is the pink one?": a question word
# before an option's own word asks that option's value (the catalogue lists it), not whether the product is in stock
_HOW_ADJ = re.compile(r"\bhow ([a-z]{4,})\b", re.I)
_AFTER_KEY_WORD = {"last", "lasts", "is", "are", "does", "do", "of", "on", "in", "for", "have", "has", "run", "runs"}
_ASKS_VALUE = re.compile(r"\b(how|what|what's|which)\b", re.I)


def option_key_named(question: str, keys: list[str]) -> str | None:
    """The option key a how / what question asks by a word of it: "how thick" -> "thickness" (the adjective
    begins the key's word), "how long does the battery last" -> "battery life" (a word of the key named)."""
    if not _ASKS_VALUE.search(question):
        return None
    low = question.lower()
    for m in _HOW_ADJ.finditer(low):
        key = next((k for k in keys for w in k.lower().split() if w.startswith(m.group(1)) and w != m.group(1)), None)
        if key:
            return key
    for k in keys:  # "what thickness is ...", "which battery life does ... have"
        if re.search(rf"\b(what|which)\s+(?:\w+\s+)?{re.escape(k.lower())}\b", low):
            return k
    if not re.search(r"\bhow (long|big)\b|\bwhat\b", low):
        return None
    for k in sorted(keys, key=len, reverse=True):  # "its battery last": the key's first word, no other thing after it
        first, rest = k.lower().split()[0], k.lower().split()[1:]
        after = re.search(rf"\b{re.escape(first)}\b\s*(\w*)", low) if rest and len(first) > 4 else None
        if after and (after.group(1) in set(rest) | _AFTER_KEY_WORD or not after.group(1)):
            return k
    return None
