"""Choosing a product option by description: the variants that fit what the answer says.

The answer's constraints are read by option_constraints.read (values, yes/no features, comparisons
against the item being replaced, superlatives, price limits); here they are applied: comparisons take
the nearest step ("bigger" than M is L), superlatives pick among what is left. When the constraints
leave several options, the one that keeps everything not mentioned as the shopper has it now wins only
when it is the single such option; otherwise the outcome offers them (never a silent guess).
Out-of-stock matches are explained.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .candidates import Candidate, describe_options
from .option_constraints import Wanted, dimension_nouns, negated_option, read
from .resolve import Outcome, how_many, titles
from .scales import find_comparisons, order_of


# "same otherwise", "everything else the same", "the rest as now": the options not named are kept
_OTHERWISE = re.compile(r"\b(?:otherwise|else|(?:the\s+)?rest|other\s+options?|apart\s+from|besides)\b", re.I)


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
        if not same and pickable:  # read among an offer ("five options are professional: ..."): what they
            return _as_now_otherwise(cands, pickable, current.get("options") or {}, product)  # share, else as now
        now = describe_options(current.get("options") or {})
        if same and not cands[same[0]].available and "excluded" not in cands[same[0]].flags:  # sold out
            return Outcome(offered=tuple(pickable), how="unavailable", reason=(
                f"The {product} you have ({now}) is out of stock right now, so I can't give you an identical "
                "one. Would another option do?"))
        return Outcome(offered=tuple(i for i in pickable if i not in same), how="same", reason=(
            f"That's the option you have now ({now}); please pick a different one."))
    # every value said is the one they have now: "the same one again, 25ft latex green", or every option named
    # ("keep it silicone strap with the blue dial")
    if current is not None and wanted.allowed and not (wanted.forbidden or wanted.relative or wanted.steps
                                                       or wanted.extreme or wanted.limits or wanted.missing):
        now = current.get("options") or {}
        same = [i for i, c in enumerate(cands) if c.value == current.get("item_id") and i in pickable]
        again = wanted.keep_all and ordinal is None and not (wanted.problem or wanted.either)
        every_option = bool(now) and set(wanted.allowed) >= set(now)
        if same and (again or every_option) and all(now.get(o) in vals for o, vals in wanted.allowed.items()):
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
        # "the non water resistant one is fine, same as now": every value said is the one they have, so "the
        # same" is said of it, not of the options left unsaid (which the offer already settled)
        said_as_now = bool(wanted.allowed) and all(now.get(o) in vals for o, vals in wanted.allowed.items()) \
            and not _OTHERWISE.search(text)  # "same as mine otherwise - dark, Brand B": the rest is kept
        keep = wanted.keep | (set(unsaid) if wanted.keep_all and not said_as_now else set())
        kept = _as_now(cands, pool, now, keep)
        if keep and not kept:
            one = len(pool) == 1
            return Outcome(offered=tuple(pool), how="unmatched", reason=(
                f"No {product} option is {desc} and keeps your {' and '.join(sorted(keep))}. "
                f"{'The one that is' if one else 'The ones that are'} {desc}: {titles(cands, pool)}. "
                f"{'Would that one do?' if one else 'Which one would you like?'}"))
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


def _as_now_otherwise(cands: Sequence[Candidate], pickable: list[int], now: Mapping[str, Any], product: str) -> Outcome:
    """"Same as mine otherwise" to an offer: the options all offered share are what the shopper asked
    for; the one offered with every other option as they have it now is meant (several or none: asked)."""
    varied = {k for i in pickable for k, v in cands[i].options.items() if any(cands[j].options.get(k) != v for j in pickable)}
    kept = _as_now(cands, pickable, now, varied)
    if len(kept) == 1:
        return Outcome((kept[0],), how="same")
    said = " and ".join(f"{k} {now.get(k)}" for k in sorted(varied))
    return Outcome(offered=tuple(kept or pickable), how="same", reason=(
        f"{how_many(len(kept)).capitalize()} of these keep your {said}: {titles(cands, kept)}. Which one would you like?"
        if kept else f"None of these {product} options keeps your {said}. Which one would you like?"))


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
    nouns = dimension_nouns(scales)
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
                want = "no" if negated_option(text, comp.start) else "yes"
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
