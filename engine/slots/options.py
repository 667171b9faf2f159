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
from collections.abc import Mapping, Sequence
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
    extreme: list[tuple[str, int]] = field(default_factory=list)   # (option or "price", direction) of all
    limits: list[tuple[str, float]] = field(default_factory=list)  # ("<=" | "<" | ">=" | ">", price)
    said: list[tuple[int, str]] = field(default_factory=list)      # (where, words), for reasons
    missing: list[str] = field(default_factory=list)               # values said that the product lacks
    problem: str = ""

    @property
    def empty(self) -> bool:
        return not (self.allowed or self.forbidden or self.relative or self.extreme or self.limits or self.problem
                    or self.missing)

    def mentioned(self) -> set[str]:
        return set(self.allowed) | set(self.forbidden) | {o for o, _ in self.relative + self.extreme}


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
    for s, e, _ in find_mentions(text, value_only):
        key = option_key(text[s:e])
        key = next((k for k in values if k == key or option_key(f"{k}") == key), key)
        if key not in values and re.fullmatch(r"size\s*\w+", text[s:e], re.I):
            key = option_key(text[s:e].split()[-1])
        for name in values.get(key, ()):
            value = next(c.options[name] for c in cands if option_key(c.options.get(name, "")) == key)
            negated = cues.negated(text, s)
            (wanted.forbidden if negated else wanted.allowed).setdefault(name, set()).add(value)
            wanted.said.append((s, ("not " if negated else "") + phrase_options({name: value})))
    for m in re.finditer(r"\bsize\s+([\w.]+)", text, re.I):  # "size 13" of boots that stop at 12
        if option_key(m.group(1)) not in values and any("size" in n for c in cands for n in c.options):
            wanted.missing.append(f"size {m.group(1)}")


def read(text: str, cands: Sequence[Candidate], current: Mapping[str, Any] | None, scales) -> Wanted:
    wanted = Wanted()
    text = _limits(text, current, wanted)
    options = {n for c in cands for n in c.options}
    for comp in find_comparisons(text, sorted(options), scales):
        phrase = text[comp.start:comp.end].strip()
        if comp.dimension.price and not comp.plain:
            (wanted.extreme if comp.superlative else wanted.relative).append(("price", comp.direction))
            wanted.said.append((comp.start, phrase) if not comp.superlative else (-1, phrase))
            continue
        opt = comp.option or next((o for o in comp.dimension.options if o in options), None)
        if opt is None:
            continue
        values = {c.options.get(opt, "") for c in cands}
        if comp.plain:  # "waterproof", "not waterproof": a yes/no option
            if {v.lower() for v in values} <= {"yes", "no"}:
                want = "no" if cues.negated(text, comp.start) else "yes"
                value = next(v for v in values if v.lower() == want)
                wanted.allowed.setdefault(opt, set()).add(value)
                wanted.said.append((comp.start, phrase_options({opt: value})))
            continue
        if order_of(sorted(values), scales) is None:
            wanted.problem = f"I can't put the {opt} options in order; which one would you like?"
            continue
        (wanted.extreme if comp.superlative else wanted.relative).append((opt, comp.direction))
        wanted.said.append((comp.start, phrase) if not comp.superlative else (-1, phrase))
    _values_said(text, cands, wanted)
    return wanted


def _rank(opt: str, cands: Sequence[Candidate], scales) -> dict[str, float]:
    """Each value's step on the option's scale (0, 1, 2...): "bigger" is one step, whatever the units."""
    if opt == "price":
        return {}
    order = order_of(sorted({c.options.get(opt, "") for c in cands}), scales) or {}
    return {v: float(i) for i, v in enumerate(sorted(order, key=order.get))}


def _score(c: Candidate, opt: str, ranks: dict[str, dict[str, float]]) -> float:
    return float(c.price or 0) if opt == "price" else ranks[opt].get(c.options.get(opt, ""), 0.0)


def _fits(c: Candidate, wanted: Wanted, current: Mapping[str, Any] | None, cands, ranks) -> bool:
    if any(c.options.get(o) not in vals for o, vals in wanted.allowed.items()):
        return False
    if any(c.options.get(o) in vals for o, vals in wanted.forbidden.items()):
        return False
    price = float(c.price or 0)
    for op, bound in wanted.limits:
        if not {"<=": price <= bound + 1e-9, "<": price < bound, ">": price > bound, ">=": price >= bound}[op]:
            return False
    if current is not None:
        ref = Candidate(None, "", "variant", options=current.get("options") or {}, price=current.get("price"))
        for opt, direction in wanted.relative:
            if (_score(c, opt, ranks) - _score(ref, opt, ranks)) * direction <= 0:
                return False
    return True


def resolve_option(text: str, cands: Sequence[Candidate], *, current: Mapping[str, Any] | None, scales,
                   product: str, ordinal: int | None = None, keep_others: bool = True) -> Outcome | None:
    """Pick a variant by description; None when the answer says nothing about the options.
    `keep_others=False` when `cands` are the options a question offered: the shopper has seen what
    each changes, so one that fits is taken as it is."""
    pickable = [i for i, c in enumerate(cands) if c.available and "excluded" not in c.flags]
    low = text.strip().lower()
    for i in pickable:
        if low in (str(cands[i].value).lower(), cands[i].title.lower()):
            return Outcome((i,), how="title")
    if cues.SAME.search(text) and current is not None:
        same = [i for i, c in enumerate(cands) if "current" in c.flags]
        if same and same[0] in pickable:
            return Outcome((same[0],), how="same")
        return Outcome(offered=tuple(pickable), how="same", reason=(
            f"That's the option you have now ({describe_options(current.get('options') or {})}); "
            "please pick a different one."))
    wanted = read(text, cands, current, scales)
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
    if wanted.relative and current is None:
        return Outcome(offered=tuple(pickable), how="comparison",
                       reason=f"Compared with what? Please pick the {product} option you'd like.")
    ranks = {o: _rank(o, cands, scales) for o, _ in wanted.relative + wanted.extreme}
    fits = [i for i, c in enumerate(cands) if _fits(c, wanted, current, cands, ranks)]
    pool = [i for i in fits if i in pickable]
    for opt, direction in wanted.extreme:  # "the cheapest", "highest resolution": among what is left
        if pool:
            best = max(_score(cands[i], opt, ranks) * direction for i in pool)
            pool = [i for i in pool if _score(cands[i], opt, ranks) * direction == best]
    desc = " and ".join(dict.fromkeys(w for at, w in sorted(wanted.said) if at >= 0 or pool)) or "that"
    if wanted.missing:
        return Outcome(offered=tuple(pickable), how="unmatched",
                       reason=f"The {product} doesn't come in {' or '.join(wanted.missing)}. Which option would you like?")
    if not pool:
        gone = [i for i in fits if not cands[i].available]
        if gone:
            return Outcome(offered=tuple(pickable), how="unavailable", reason=(
                f"The {product} that is {desc} is out of stock right now. Would another option do?"))
        return Outcome(offered=tuple(pickable), how="unmatched", reason=(
            f"There is no {'other ' if current is not None else ''}{product} option that is {desc}. "
            "Which one would you like?"))
    if current is not None and keep_others:
        pool = _closest(pool, cands, current, wanted, ranks)
        if isinstance(pool, tuple):
            return Outcome(pool, how="closest")
        if len(pool) == 1:  # the one match changes what the shopper did not mention: ask
            changed = [k for k, v in (current.get("options") or {}).items()
                       if k not in wanted.mentioned() and cands[pool[0]].options.get(k) != v]
            return Outcome(offered=tuple(pool), how="options", reason=(
                f"The only {product} option that is {desc} is {cands[pool[0]].title}; it also changes the "
                f"{' and '.join(changed)}. Would you like it?"))
    if len(pool) > 1 and ordinal is not None:
        k = ordinal - 1 if ordinal > 0 else len(pool) + ordinal
        if 0 <= k < len(pool):
            return Outcome((pool[k],), how="ordinal")
    if len(pool) > 1:
        return Outcome(offered=tuple(pool), how="options", reason=(
            f"{how_many(len(pool)).capitalize()} {product} options are {desc}: {titles(cands, pool)}. "
            "Which one would you like?"))
    return Outcome((pool[0],), how="options")


def _closest(pool: list[int], cands: Sequence[Candidate], current: Mapping[str, Any], wanted: Wanted,
             ranks: dict[str, dict[str, float]]) -> tuple[int, ...] | list[int]:
    """Against the item being replaced: the one option that is the nearest step ("bigger": the next
    size) and keeps everything not mentioned as it is, as a 1-tuple; otherwise the pool, closest first."""
    ref = Candidate(None, "", "variant", options=current.get("options") or {}, price=current.get("price"))
    keep = {k: v for k, v in (current.get("options") or {}).items() if k not in wanted.mentioned()}
    steps = {i: sum(abs(_score(cands[i], o, ranks) - _score(ref, o, ranks)) for o, _ in wanted.relative
                    if o != "price") for i in pool}
    changed = {i: sum(cands[i].options.get(k) != v for k, v in keep.items()) for i in pool}
    nearest = min(steps.values())
    best = [i for i in pool if steps[i] == nearest and changed[i] == 0]
    if len(best) == 1 or (len(pool) == 1 and changed[pool[0]] == 0) or (
            len(pool) == 1 and wanted.extreme):  # "the cheapest" means that one, whatever else it changes
        return tuple(best or pool)
    return sorted(pool, key=lambda i: (steps[i], changed[i]))
