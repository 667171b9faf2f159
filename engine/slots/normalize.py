"""Pure-stdlib text helpers for the rule extractor: number words, plurals, typo-tolerant names.

Kept separate from `extract.py` so the regex layer stays readable and these helpers can be
reused (e.g. by the spaCy layer) without building a `RuleExtractor`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple": 2, "a pair": 2,
    "a dozen": 12, "twenty": 20,
}
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "last": -1, "final": -1,
}
# Spoken shorthands for catalogue names; the head noun of every name is indexed automatically.
PRODUCT_ALIASES: dict[str, tuple[str, ...]] = {
    "T-Shirt": ("tshirt", "shirt", "tee"), "Smartphone": ("phone", "cellphone", "smart phone"),
    "Vacuum Cleaner": ("vacuum", "hoover"), "E-Reader": ("ereader", "reader", "kindle"),
    "Dumbbell Set": ("dumbbell", "weights"), "Luggage Set": ("luggage", "suitcase"),
    "Makeup Kit": ("makeup",), "Wristwatch": ("watch",), "Portable Charger": ("power bank",),
    "Bluetooth Speaker": ("speaker",), "Wireless Earbuds": ("earbud", "earphone"),
    "Headphones": ("headset",), "Mechanical Keyboard": ("keyboard",), "Gaming Mouse": ("mouse",),
    "Sneakers": ("sneaker", "trainer", "shoe"), "Bicycle": ("bike",), "Hiking Boots": ("boot", "shoe"),
}
# Head nouns too generic to identify a product on their own ("set it to", "the kit").
GENERIC_HEADS = frozenset({"set", "kit", "machine", "maker"})

_WORD_RE = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
_KEY_RE = re.compile(r"[a-z]+|\d+(?:\.\d+)?|[^\sa-z\d\-]")


def singular(word: str) -> str:
    """Crude English singular so "keyboards"/"glasses"/"batteries" meet catalogue names."""
    w = word.lower()
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("lves"):  # shelves, halves
        return w[:-3] + "f"
    if w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    return w[:-1] if w.endswith("s") else w


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, singular lower-case form) of every word, hyphenated words kept whole."""
    return [(m.start(), m.end(), singular(m.group())) for m in _WORD_RE.finditer(text)]


# Unit words after a number, by canonical unit: "2 liter" is "2L", "4 hour" is "4 hours", "12 inch"
# is "12 inches" is 12-inch. Only a token right after a number is read as a unit.
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "l": ("l", "liter", "liters", "litre", "litres", "ltr"), "ml": ("ml", "milliliter", "milliliters"),
    "inch": ("inch", "inches", "in", '"'), "ft": ("ft", "feet", "foot"), "hour": ("hour", "hours", "hr", "hrs", "h"),
    "gb": ("gb", "gig", "gigs"), "tb": ("tb",), "mah": ("mah",), "mm": ("mm", "millimeter", "millimeters"),
    "lbs": ("lbs", "lb", "pound", "pounds"), "piece": ("piece", "pieces", "pc", "pcs"), "cup": ("cup", "cups"),
    "degree": ("degree", "degrees"), "w": ("w", "watt", "watts"), "mp": ("mp", "megapixel", "megapixels"),
}
_UNIT_OF = {w: unit for unit, ws in UNIT_WORDS.items() for w in ws}
# a material said as its adjective: "a brown wooden one" is material wood
_MATERIAL_OF = {"wooden": "wood", "woolen": "wool", "woollen": "wool", "golden": "gold", "metallic": "metal",
                "silken": "silk"}


def _tokens(value: str) -> list[str]:
    return _KEY_RE.findall(value.lower().replace('"', " inch "))


def option_key(value: str) -> str:
    """Spacing/hyphen/case/unit-insensitive key: "Wi-Fi" == "wifi", "1000 ml" == "1000ml",
    "2 liters" == "2L"."""
    toks = [_MATERIAL_OF.get(t, t) for t in _tokens(value)]  # "wooden" == "wood"
    return "".join(_UNIT_OF.get(t, t) if i and toks[i - 1][0].isdigit() else t for i, t in enumerate(toks))




def option_pattern(value: str) -> str:
    """Regex for a catalogue value that tolerates spaces/hyphens between its parts and any spelling
    of a unit after a number ("2L" matches "2 liter", "4 hours" "4 hour"), and a material said as its
    adjective ("wooden")."""
    toks = _tokens(value)
    said_as = [a for a, noun in _MATERIAL_OF.items() if len(toks) == 1 and noun == toks[0]]
    if said_as:  # the adjectives (longer) before the noun
        return "(?:" + "|".join(map(re.escape, [*said_as, toks[0]])) + ")"
    parts = []
    for i, t in enumerate(toks):
        unit = _UNIT_OF.get(t) if i and toks[i - 1][0].isdigit() else None
        if unit is None:
            parts.append(re.escape(t))
        else:
            words_ = sorted(UNIT_WORDS[unit], key=len, reverse=True)
            parts.append("(?:" + "|".join(re.escape(w) + (r"(?![a-z])" if w.isalpha() else "") for w in words_) + ")")
    if len(parts) > 1 and toks[-1] in _OPTIONAL_LAST:  # "75W" is the "75W equivalent" bulb
        return r"[\s\-]*".join(parts[:-1]) + r"(?:[\s\-]*" + parts[-1] + ")?"
    return r"[\s\-]*".join(parts)


# a last word a shopper leaves out of a catalogue value without changing what it names
_OPTIONAL_LAST = frozenset({"equivalent"})


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@dataclass
class NameIndex:
    """Token index over product names: full names, head nouns and aliases, typo tolerant.

    Typos use symmetric single deletes (finds one substitution/insertion/deletion/swap) on
    words of 6+ letters with the same first letter, so "keybaord" hits but "settle" does not.
    """

    names: dict[str, str]  # key (product_id) -> display name
    full: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    heads: dict[str, set[str]] = field(default_factory=dict)
    fuzzy: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_name = {v.lower(): k for k, v in self.names.items()}
        for key, name in self.names.items():
            toks = tuple(w for _, _, w in words(name))
            if not toks:
                continue
            self._add_full(toks, key)
            if toks[-1] not in GENERIC_HEADS:
                self.heads.setdefault(toks[-1], set()).add(key)
            if len(toks) > 1:  # "smartwatch", "ereader": a name written as one word
                self.heads.setdefault(singular("".join(toks)), set()).add(key)
        for name, aliases in PRODUCT_ALIASES.items():
            key = by_name.get(name.lower())
            for alias in aliases if key else ():
                toks = tuple(w for _, _, w in words(alias))
                if len(toks) == 1:
                    self.heads.setdefault(toks[0], set()).add(key)
                else:
                    self._add_full(toks, key)
        for tok in {t for lst in self.full.values() for toks, _ in lst for t in toks} | set(self.heads):
            if len(tok) >= 6:
                for d in _deletes(tok) | {tok}:
                    self.fuzzy.setdefault(d, set()).add(tok)
        for lst in self.full.values():
            lst.sort(key=lambda e: -len(e[0]))

    def _add_full(self, toks: tuple[str, ...], key: str) -> None:
        self.full.setdefault(toks[0], []).append((toks, key))

    def _variants(self, tok: str) -> set[str]:
        """Known index tokens this text token may be (itself, or a near miss)."""
        out = {tok}
        if 6 <= len(tok) <= 24 and tok not in self.fuzzy.get(tok, ()):  # exact hits beat near misses
            for d in _deletes(tok) | {tok}:
                out |= {c for c in self.fuzzy.get(d, ()) if c[0] == tok[0]}
        return out

    def find(self, text: str) -> list[tuple[int, int, set[str]]]:
        """Non-overlapping (start, end, candidate keys) mentions, longest name first."""
        ws, found, i = words(text), [], 0
        while i < len(ws):
            hit = self._match_at(ws, i)
            if hit:
                n, keys = hit
                found.append((i, i + n, (ws[i][0], ws[i + n - 1][1], keys)))
                i += n
            else:
                i += 1
        # two names side by side are one compound noun, named by the last ("a bike helmet" is a
        # helmet); three or more are a list ("thermostat backpack hose")
        out, k = [], 0
        while k < len(found):
            run = [found[k]]
            while k + len(run) < len(found) and found[k + len(run)][0] == run[-1][1] and \
                    not re.search(r"[^\w\s]", text[run[-1][2][1]:found[k + len(run)][2][0]]):
                run.append(found[k + len(run)])
            out += [run[-1][2]] if len(run) == 2 else [r[2] for r in run]
            k += len(run)
        return out

    def _match_at(self, ws: list[tuple[int, int, str]], i: int) -> tuple[int, set[str]] | None:
        first = self._variants(ws[i][2])
        for var in first:
            for toks, key in self.full.get(var, ()):
                if i + len(toks) <= len(ws) and all(
                    toks[j] in self._variants(ws[i + j][2]) for j in range(1, len(toks))
                ):
                    return len(toks), {key}
        keys: set[str] = set()
        for var in first:
            keys |= self.heads.get(var, set())
        return (1, keys) if keys else None
