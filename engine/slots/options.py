"""Choosing a product option by description: values, yes/no features, comparisons, price limits.

"size 9", "the waterproof one", "bigger", "less bright", "cheapest", "highest resolution that's
waterproof but not more than I paid" each become constraints over the product's variants: values
said (several of one option are alternatives, different options narrow together, negated ones are
excluded), a bare feature word for a yes/no option, comparisons against the item being replaced
(the nearest step: "bigger" than M is L), superlatives over what is left, and price limits ("under
$200", "not more than I paid"). When the constraints leave several options, the one that keeps
everything not mentioned as the shopper has it now wins only when it is the single such option;
otherwise the outcome offers them (never a silent guess). Out-of-stock matches are explained.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import cues
from .candidates import Candidate, describe_options, phrase_options
from .normalize import option_key
from .resolve import Outcome, find_mentions, how_many, titles
from .scales import find_comparisons, order_of

_MONEY = r"\$?\s?(\d[\d,]*(?:\.\d+)?)\s*(?:dollars|bucks|usd)?"
_PAID = r"(?:what\s+i\s+(?:paid|spent)|i\s+paid|(?:the\s+)?(?:price\s+)?i\s+paid|mine|my\s+(?:current|old)\s+one" \
        r"|the\s+(?:current|original|old)\s+(?:one|price)|what\s+(?:it|mine)\s+cost|the\s+same\s+price|my\s+budget)"
_UPPER = re.compile(r"\b(?:(?:not|no|isn'?t|doesn'?t\s+cost)\s+(?:more|higher|pricier|dearer|more\s+expensive)\s+than"
                    r"|at\s+most|up\s+to|within|max(?:imum)?(?:\s+of)?|no\s+more\s+than)\s+(?:the\s+price\s+of\s+)?"
                    r"(?:" + _PAID + "|" + _MONEY + r")|" + _MONEY + r"\s+or\s+(?:less|under|below|cheaper)\b", re.I)
_BELOW = re.compile(r"\b(?:under|below|less\s+than|cheaper\s+than|for\s+less\s+than)\s+(?:" + _PAID + "|" + _MONEY + ")",
                    re.I)
_LOWER = re.compile(r"\b(?:(?:more|higher)\s+than|over|above|at\s+least)\s+(?:" + _PAID + "|" + _MONEY + ")", re.I)


@dataclass
class Wanted:
    """The constraints read from one answer."""

    allowed: dict[str, set[str]] = field(default_factory=dict)     # option -> values said (any of them)
    forbidden: dict[str, set[str]] = field(default_factory=dict)   # option -> values excluded
    relative: list[tuple[str, int]] = field(default_factory=list)  # (option or "price", direction) vs current
    steps: list[tuple[str, int]] = field(default_factory=list)     # "one size up": exactly the next value
    extreme: list[tuple[str, int]] = field(default_factory=list)   # (option or "price", direction) of all
    limits: list[tuple[str, float]] = field(default_factory=list)  # ("<=" | "<" | ">=" | ">", price)
    said: list[tuple[int, str]] = field(default_factory=list)      # (where, words), for reasons
    missing: list[str] = field(default_factory=list)               # values said that the product lacks
    keep: set[str] = field(default_factory=set)                    # options to keep as they are now
    keep_all: bool = False                                         # "same but ...": keep all not mentioned
    keep_rest: bool = False                                        # "gold instead": keep the rest if a variant can
    either: list[dict[str, str]] = field(default_factory=list)     # a value several options have: any one
    problem: str = ""

    @property
    def empty(self) -> bool:
        return not (self.allowed or self.forbidden or self.relative or self.steps or self.extreme or self.limits
                    or self.problem or self.missing or self.keep or self.either)

    def mentioned(self) -> set[str]:
        return (set(self.allowed) | set(self.forbidden) | self.keep | {o for alt in self.either for o in alt}
                | {o for o, _ in self.relative + self.extreme + self.steps})


# "keep it white", "still usb": the values after these are wanted, not excluded as "keeping X" would be
_KEEP = re.compile(r"\b(?:keep(?:ing)?|still|stay(?:ing)?|remain(?:ing)?)\b", re.I)
# "in my size", "same size and colour", "keep the material": options kept as the shopper has them
_KEEP_OPTION = r"\b(?:same|my|current|existing|original|keep(?:ing)?(?:\s+(?:it|the))?|still)\s+(?:the\s+)?({names})" \
               r"((?:\s*(?:,|and|&|\+)\s*(?:the\s+)?(?:same\s+)?(?:{names}))*)"
_SYNONYMS = {"colour": "color", "colours": "color", "colors": "color", "sizes": "size"}
# an option named as a feature: "it has to have armrests" (not none), "without armrests" (none)
_NOTHING = ("none", "no", "without")


def _negated(text: str, start: int) -> bool:
    return cues.negated(_KEEP.sub(lambda m: " " * len(m.group()), text), start)


def _limits(text: str, current: Mapping[str, Any] | None, wanted: Wanted) -> str:
    """Price limits, returned text with them blanked (so "more than" is not read as a comparison)."""
    paid = float(current["price"]) if current and current.get("price") is not None else None
    for rx, op in ((_UPPER, "<="), (_BELOW, "<"), (_LOWER, ">")):
        for m in rx.finditer(text):
            amount = next((g for g in m.groups() if g), None)
            value = float(amount.replace(",", "")) if amount else paid
            if value is None:
                wanted.problem = "I don't know what you paid for this one, so please pick an option."
                continue
            wanted.limits.append((op, value))
            words = {"<=": "at most", "<": "under", ">": "over"}[op]
            wanted.said.append((m.start(), f"{words} ${value:,.2f}"))
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return text


def _values_said(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    values: dict[str, set[str]] = {}
    for c in cands:
        for name, value in c.options.items():
            values.setdefault(option_key(value), set()).add(name)
    value_only = [Candidate(c.value, c.title, c.kind, terms=c.terms) for c in cands]  # names do not narrow here
    spans = []
    for s, e, _ in find_mentions(text, value_only):
        spans.append((s, e))
        key = option_key(text[s:e])
        key = next((k for k in values if k == key or option_key(f"{k}") == key), key)
        if key not in values and re.fullmatch(r"size\s*\w+", text[s:e], re.I):
            key = option_key(text[s:e].split()[-1])
        said = {name: next(c.options[name] for c in cands if option_key(c.options.get(name, "")) == key)
                for name in values.get(key, ())}
        if len(said) > 1 and not _negated(text, s):  # "black" sunglasses: the frame or the lenses
            wanted.either.append(said)
            wanted.said.append((s, text[s:e]))
            continue
        for name, value in said.items():
            _add(wanted, name, value, s, _negated(text, s))
    _size_words(text, cands, spans, wanted)
    _listed_nothing(text, cands, wanted)
    _bare_numbers(text, cands, spans, wanted)
    _features(text, cands, wanted)
    for m in re.finditer(r"\bsize\s+(\d[\w.]*|x{0,3}[sml]\b)", text, re.I):  # "size 13" of boots that stop at 12
        if option_key(m.group(1)) not in values and any("size" in n for c in cands for n in c.options):
            wanted.missing.append(f"size {m.group(1)}")


def _add(wanted: Wanted, name: str, value: str, at: int, negated: bool) -> None:
    (wanted.forbidden if negated else wanted.allowed).setdefault(name, set()).add(value)
    wanted.said.append((at, ("not " if negated else "") + phrase_options({name: value})))


# Letter sizes said in words ("a large one" is L), where the option's values are the letters.
_SIZE_WORDS = {"extra extra large": "XXL", "double extra large": "XXL", "extra large": "XL", "extra small": "XS",
               "large": "L", "medium": "M", "small": "S"}


def _size_words(text: str, cands: Sequence[Candidate], spans: list, wanted: Wanted) -> None:
    said_values = {v.lower() for c in cands for v in c.options.values()}
    for word in sorted(_SIZE_WORDS, key=len, reverse=True):
        for m in re.finditer(rf"\b{word}\b", text, re.I):
            if word in said_values or any(a < m.end() and m.start() < b for a, b in spans):
                continue
            spans.append((m.start(), m.end()))
            for name in {n for c in cands for n, v in c.options.items() if v == _SIZE_WORDS[word]}:
                _add(wanted, name, _SIZE_WORDS[word], m.start(), _negated(text, m.start()))


def _bare_numbers(text: str, cands: Sequence[Candidate], spans: list, wanted: Wanted) -> None:
    """"the 10000 one" for 10000mAh: a number said without a unit names the value that starts with
    it, when exactly one option has such values (a number is never matched inside another: 1500 is
    not 500)."""
    for m in re.finditer(r"(?<![\w.$#])(\d+(?:\.\d+)?)(?![\w.%])(?!\s*(?:-|%|\$))", text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        hits: dict[str, set[str]] = {}
        for c in cands:
            for name, value in c.options.items():
                lead = re.match(r"(\d+(?:\.\d+)?)(?=[a-zA-Z\s-]|$)", value)
                if lead and float(lead.group(1)) == float(m.group(1)):
                    hits.setdefault(name, set()).add(value)
        if len(hits) == 1:
            name, vals = next(iter(hits.items()))
            for value in vals:
                _add(wanted, name, value, m.start(), _negated(text, m.start()))


def _listed_nothing(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    """"clicky, none, 80%": a bare "none" in a list of values (a button title typed back) is the one
    option whose value is "none" (never a word of its own anywhere else)."""
    for m in re.finditer(r"(?:^|,)\s*(none)\s*(?=,|\(|$)", text, re.I):
        names = {n for c in cands for n, v in c.options.items() if str(v).lower() == "none"}
        if len(names) == 1:
            _add(wanted, names.pop(), next(v for c in cands for v in c.options.values() if str(v).lower() == "none"),
                 m.start(1), False)


def _features(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    """An option named as a feature: "it has to have armrests" excludes "none", "no armrests" wants it."""
    for name in {n for c in cands for n in c.options}:
        vals = {c.options.get(name, "") for c in cands}
        nothing = {v for v in vals if v.lower() in _NOTHING}
        if not nothing or nothing == vals or name in wanted.allowed:
            continue
        for m in re.finditer(rf"\b{re.escape(name)}s?\b", text, re.I):
            before = text[max(0, m.start() - 12):m.start()].lower()
            if re.search(r"\b(?:no|without|any)\s*$", before) or _negated(text, m.start()):
                wanted.allowed.setdefault(name, set()).update(nothing)
                wanted.said.append((m.start(), f"no {name}"))
            else:
                wanted.forbidden.setdefault(name, set()).update(nothing)
                wanted.said.append((m.start(), f"with {name}"))
            break


_NOT_OPTIONS = re.compile(r"\s+(?:order|orders|address|card|payment|account|email|day|time|way|place|method|person)\b",
                          re.I)


def _kept(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    """Options the shopper keeps ("in my size and colour", "same glass"), and a bare "same ... but"
    that keeps everything not mentioned."""
    names = sorted({n for c in cands for n in c.options} | set(_SYNONYMS), key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    covered = []
    real = {n.lower(): n for c in cands for n in c.options}
    for m in re.finditer(_KEEP_OPTION.format(names=alt), text, re.I):
        for said in re.findall(alt, m.group(0), re.I):
            name = _SYNONYMS.get(said.lower(), said.lower())
            if name in real:
                wanted.keep.add(real[name])
        covered.append((m.start(), m.end()))
    for m in cues.SAME.finditer(text):
        if _NOT_OPTIONS.match(text, m.end()):  # "on that same order": the order, not the options
            continue
        if not any(m.start() < b and a < m.end() for a, b in covered):
            wanted.keep_all = True
    wanted.keep_rest = cues.ONLY_THIS.search(text) is not None


def read(text: str, cands: Sequence[Candidate], current: Mapping[str, Any] | None, scales) -> Wanted:
    wanted = Wanted()
    text = _limits(text, current, wanted)
    options = {n for c in cands for n in c.options}
    nouns = _dimension_nouns(scales)
    for comp in find_comparisons(text, sorted(options), scales):
        phrase = text[comp.start:comp.end].strip()
        # "the big bottle" (no item to compare with): the bigger of what the other words leave
        adjective = comp.plain and current is None and phrase.lower() not in nouns
        if comp.dimension.price and (not comp.plain or adjective):
            (wanted.extreme if comp.superlative else wanted.relative).append(("price", comp.direction))
            wanted.said.append((comp.start, phrase) if not comp.superlative else (-1, phrase))
            continue
        opt = comp.option or next((o for o in comp.dimension.options if o in options), None)
        if opt is None:
            continue
        values = {c.options.get(opt, "") for c in cands}
        if comp.plain and {v.lower() for v in values} <= {"yes", "no"}:  # "waterproof", "not waterproof"
            want = "no" if _negated(text, comp.start) else "yes"
            value = next((v for v in values if v.lower() == want), None)
            if value is not None:
                wanted.allowed.setdefault(opt, set()).add(value)
                wanted.said.append((comp.start, phrase_options({opt: value})))
            continue
        if comp.plain and not adjective:
            continue
        if order_of(sorted(values), scales) is None:
            wanted.problem = f"I can't put the {opt} options in order; which one would you like?"
            continue
        target = wanted.extreme if comp.superlative else wanted.steps if comp.step else wanted.relative
        target.append((opt, comp.direction))
        wanted.said.append((comp.start, phrase) if not comp.superlative else (-1, phrase))
    _values_said(text, cands, wanted)
    _kept(text, cands, wanted)
    return wanted


def _dimension_nouns(scales) -> set[str]:
    """Words that name a dimension ("size", "storage") rather than describe a value ("big")."""
    out = {"space", "memory", "volume", "ram", "battery", "storage", "price", "size"}
    for c in scales.comparatives:
        out |= {c.name, *c.options}
    return out


def _rank(opt: str, cands: Sequence[Candidate], scales) -> dict[str, float]:
    """Each value's step on the option's scale (0, 1, 2...): "bigger" is one step, whatever the units."""
    if opt == "price":
        return {}
    order = order_of(sorted({c.options.get(opt, "") for c in cands}), scales) or {}
    return {v: float(i) for i, v in enumerate(sorted(order, key=order.get))}


def _score(c: Candidate, opt: str, ranks: dict[str, dict[str, float]]) -> float:
    return float(c.price or 0) if opt == "price" else ranks[opt].get(c.options.get(opt, ""), 0.0)


def _fits(c: Candidate, wanted: Wanted, current: Mapping[str, Any] | None, ranks) -> bool:
    if any(c.options.get(o) not in vals for o, vals in wanted.allowed.items()):
        return False
    if any(c.options.get(o) in vals for o, vals in wanted.forbidden.items()):
        return False
    if any(all(c.options.get(o) != v for o, v in alt.items()) for alt in wanted.either):
        return False
    price = float(c.price or 0)
    for op, bound in wanted.limits:
        if not {"<=": price <= bound + 1e-9, "<": price < bound, ">": price > bound, ">=": price >= bound}[op]:
            return False
    if current is not None:
        ref = _reference(current)
        for opt, direction in wanted.relative + wanted.steps:
            if (_score(c, opt, ranks) - _score(ref, opt, ranks)) * direction <= 0:
                return False
    return True


def _reference(current: Mapping[str, Any]) -> Candidate:
    return Candidate(None, "", "variant", options=current.get("options") or {}, price=current.get("price"))


def resolve_option(text: str, cands: Sequence[Candidate], *, current: Mapping[str, Any] | None, scales,
                   product: str, ordinal: int | None = None) -> Outcome | None:
    """Pick a variant by description; None when the answer says nothing about the options.

    `current` is the item being replaced (or, for "the same ones as last time", the one bought
    before). One option that fits what was said is taken, whatever else it changes (the shopper is
    told); several are offered, unless the shopper said to keep the rest ("same but in white")."""
    pickable = [i for i, c in enumerate(cands) if c.available and "excluded" not in c.flags]
    low = text.strip().lower()
    for i in pickable:
        if low in (str(cands[i].value).lower(), cands[i].title.lower()):
            return Outcome((i,), how="title")
    wanted = read(text, cands, current, scales)
    # "the first one, everything else the same": the pick wins, "the same" covers only what is not stated
    if wanted.keep_all and current is not None and ordinal is None and not (
            wanted.mentioned() or wanted.limits or wanted.missing or wanted.problem):
        same = [i for i, c in enumerate(cands) if c.value == current.get("item_id")]
        if same and same[0] in pickable:
            return Outcome((same[0],), how="same")
        return Outcome(offered=tuple(i for i in pickable if i not in same), how="same", reason=(
            f"That's the option you have now ({describe_options(current.get('options') or {})}); "
            "please pick a different one."))
    # "the same one again, 25ft latex green": every value said is the one they have now
    if wanted.keep_all and current is not None and ordinal is None and wanted.allowed and not (
            wanted.forbidden or wanted.relative or wanted.steps or wanted.extreme or wanted.limits
            or wanted.missing or wanted.problem or wanted.either):
        now = current.get("options") or {}
        same = [i for i, c in enumerate(cands) if c.value == current.get("item_id") and i in pickable]
        if same and all(now.get(o) in vals for o, vals in wanted.allowed.items()):
            return Outcome((same[0],), how="same")
    # the option they have now is taken only when asked for ("the same one") or pressed: a
    # description ("the highest resolution that's waterproof") is about something else
    pickable = [i for i in pickable if "current" not in cands[i].flags]
    if wanted.empty:
        if ordinal is not None and pickable:
            k = ordinal - 1 if ordinal > 0 else len(pickable) + ordinal
            if 0 <= k < len(pickable):
                return Outcome((pickable[k],), how="ordinal")
        return None
    if wanted.problem:
        return Outcome(offered=tuple(pickable), reason=wanted.problem, how="comparison")
    if wanted.missing:
        return Outcome(offered=tuple(pickable), how="unmatched",
                       reason=f"The {product} doesn't come in {' or '.join(wanted.missing)}. Which option would you like?")
    ranks = {o: _rank(o, cands, scales) for o, _ in wanted.relative + wanted.extreme + wanted.steps}
    fits = [i for i, c in enumerate(cands) if _fits(c, wanted, current, ranks)]
    pool = [i for i in fits if i in pickable]
    desc = _describe(wanted, bool(pool))
    if current is not None and pool:
        now = current.get("options") or {}
        unsaid = [k for k in now if k not in wanted.mentioned()]  # the options the shopper did not name
        keep = wanted.keep | (set(unsaid) if wanted.keep_all else set())
        kept = _as_now(cands, pool, now, keep)
        if keep and not kept:
            return Outcome(offered=tuple(pool), how="unmatched", reason=(
                f"No other {product} option is {desc} with the same {' and '.join(sorted(keep))}: "
                f"{titles(cands, pool)}. Which one would you like?"))
        pool = kept
        rest = unsaid if wanted.keep_rest and not wanted.keep_all else []
        as_now = _as_now(cands, pool, now, rest)
        if rest and as_now:  # "gold instead": the variant that changes only what was named
            pool = as_now
        ref = _reference(current)
        for opt, _ in wanted.steps:  # "one size up": the next value only
            if pool:
                nearest = min(abs(_score(cands[i], opt, ranks) - _score(ref, opt, ranks)) for i in pool)
                pool = [i for i in pool if abs(_score(cands[i], opt, ranks) - _score(ref, opt, ranks)) == nearest]
    elif current is None and (wanted.relative or wanted.steps):
        for opt, direction in wanted.relative + wanted.steps:  # "the bigger digital one": of two, that one
            if len({_score(cands[i], opt, ranks) for i in pool}) != 2:
                return Outcome(offered=tuple(pool or pickable), how="comparison",
                               reason=f"Compared with what? Please pick the {product} option you'd like.")
            wanted.extreme.append((opt, direction))
    for opt, direction in wanted.extreme:  # "the cheapest", "highest resolution": among what is left
        if pool:
            best = max(_score(cands[i], opt, ranks) * direction for i in pool)
            pool = [i for i in pool if _score(cands[i], opt, ranks) * direction == best]
    if not pool:
        gone = [i for i in fits if not cands[i].available]
        if gone:
            return Outcome(offered=tuple(pickable), how="unavailable", reason=(
                f"The {product} that is {desc} is out of stock right now. Would another option do?"))
        return Outcome(offered=tuple(pickable), how="unmatched", reason=(
            f"There is no {'other ' if current is not None else ''}{product} option that is {desc}. "
            "Which one would you like?"))
    if len(pool) > 1 and ordinal is not None:
        k = ordinal - 1 if ordinal > 0 else len(pool) + ordinal
        if 0 <= k < len(pool):
            return Outcome((pool[k],), how="ordinal")
    if len(pool) > 1:
        return Outcome(offered=tuple(pool), how="options", reason=(
            f"{how_many(len(pool)).capitalize()} {product} options are {desc}: {titles(cands, pool)}. "
            "Which one would you like?"))
    return Outcome((pool[0],), how="options")


def _as_now(cands: Sequence[Candidate], pool: list[int], now: Mapping[str, Any], options: Iterable[str]) -> list[int]:
    """Those in `pool` whose `options` are as they are `now`: the kept ones, or the rest ("gold instead")."""
    return [i for i in pool if all(cands[i].options.get(k) == now.get(k) for k in options)]


def _describe(wanted: Wanted, found: bool) -> str:
    return " and ".join(dict.fromkeys(w for at, w in sorted(wanted.said) if at >= 0 or found)) or "that"


def narrow(text: str, cands: Sequence[Candidate], idx: Sequence[int], scales) -> list[int] | None:
    """Among `idx` (things the shopper named together: two backpacks, their orders), those that a
    comparison or a yes/no feature in `text` picks: "the pricier", "the smaller", "the longer
    battery", "the one that isn't waterproof", "the cheapest". A comparative picks one of two values
    only; with more it leaves them all (to be asked). None when the words compare nothing."""
    options = {n for i in idx for n in cands[i].options}
    comps = find_comparisons(text, sorted(options), scales)
    if not comps:
        return None
    nouns = _dimension_nouns(scales)
    pool, used = list(idx), False
    for comp in comps:
        noun = comp.plain and text[comp.start:comp.end].strip().lower() in nouns
        if comp.dimension.price:
            if noun or any(cands[i].price is None for i in pool):
                continue
            score = {i: float(cands[i].price or 0) for i in pool}
        else:
            opt = comp.option or next((o for o in comp.dimension.options if o in options), None)
            have = [i for i in pool if opt is not None and opt in cands[i].options]
            if not have:
                continue
            values = {cands[i].options[opt] for i in have}
            if comp.plain and {v.lower() for v in values} <= {"yes", "no"}:
                want = "no" if _negated(text, comp.start) else "yes"
                pool, used = [i for i in have if cands[i].options[opt].lower() == want], True
                continue
            order = order_of(sorted(values), scales)
            if order is None or noun:
                continue
            score = {i: order[cands[i].options[opt]] for i in have}
            pool = have
        used = True
        if not comp.superlative and len(set(score.values())) != 2:
            continue
        best = max(score[i] * comp.direction for i in pool)
        pool = [i for i in pool if score[i] * comp.direction == best]
    return pool if used else None
