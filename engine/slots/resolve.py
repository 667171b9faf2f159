"""The resolver: which candidates a shopper's words pick out, or why they pick out none or several.

Every slot that picks from what the shop knows (orders, an order's items, a product's options,
payment methods, addresses) goes through here. What was said is scored against the candidate set:
names and descriptions as whole words ("1500" never matches "500", "blue" never "bluetooth"),
several words of one phrase narrowing together ("the blue helmet"), lists adding up ("the kettle and
the mouse"), negation taking away ("everything except the vacuum", "not the visa", "I'm keeping the
vacuum"), sets ("both", "all"), ordinals ("the second one") and the per-kind selectors the caller
adds (recency, "the other one", "how I paid", "my default address").

Never a silent guess: when the words do not single out what the slot needs, the outcome says so
with the candidates that remain and a reason the shopper can act on ("That order has two Vacuum
Cleaners: ..."); `Ambiguous` carries it to the state machine, which asks again with them as buttons.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..contracts import Choice
from . import cues
from .candidates import Candidate
from .normalize import NameIndex, option_pattern

NUMBER_NAMES = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
MAX_OFFERED = 8   # candidates listed in a reason and offered back as buttons


@dataclass(frozen=True)
class Ambiguous:
    """The answer does not determine one value: say `reason`, offer `candidates` (best first)."""

    reason: str
    candidates: list[Choice]


@dataclass(frozen=True)
class Outcome:
    """What the resolver decided: `picked` candidate indexes, or (with `reason`) those to offer."""

    picked: tuple[int, ...] = ()
    offered: tuple[int, ...] = ()
    reason: str = ""
    how: str = ""
    settled: tuple[int, ...] | None = None  # several may be chosen: what is decided besides the offered

    @property
    def found(self) -> bool:
        return bool(self.picked) and not self.reason


@dataclass
class Phrase:
    """Mentions that describe one thing together ("the blue helmet"), negated or not."""

    start: int
    end: int
    text: str
    hits: set[int]
    negated: bool
    words: list[str] = field(default_factory=list)


# A selector narrows the pool ("the latest": the newest of them); a string return is the reason it could not.
Selector = Callable[[list[int]], "list[int] | str"]


def _term_pattern(term: str) -> str:
    if len(term) == 1:  # a single-letter size only as a capital ("the M one") or after "size"
        return rf"(?-i:(?<![\w'’]){re.escape(term.upper())}(?![\w'’]))|\bsize\s+{re.escape(term)}\b"
    return rf"(?<![\w.$#]){option_pattern(term)}(?![\w%]|\.\d)"


def find_mentions(text: str, cands: Sequence[Candidate]) -> list[tuple[int, int, set[int]]]:
    """(start, end, candidate indexes) of every name or term said, longest first where they overlap."""
    found: dict[tuple[int, int], set[int]] = {}
    by_name: dict[str, set[int]] = {}
    for i, c in enumerate(cands):
        for n in c.names:
            if n:
                by_name.setdefault(n.lower(), set()).add(i)
    if by_name:
        index = NameIndex({n: n for n in by_name})
        for s, e, keys in index.find(text):
            found.setdefault((s, e), set()).update(*(by_name[k] for k in keys if k in by_name))
    by_term: dict[str, set[int]] = {}
    for i, c in enumerate(cands):
        for t in c.terms:
            by_term.setdefault(t.lower(), set()).add(i)
    for term, idx in by_term.items():
        for m in re.finditer(_term_pattern(term), text, re.I):
            found.setdefault((m.start(), m.end()), set()).update(idx)
    spans = sorted(found, key=lambda se: (se[0], -(se[1] - se[0])))
    out = []
    for s, e in spans:
        if any(a <= s and e <= b and (a, b) != (s, e) for a, b in found):
            continue  # "card" inside "gift card", "steel" inside "stainless steel"
        out.append((s, e, found[(s, e)]))
    return out


def phrases(text: str, cands: Sequence[Candidate], floor: int = 0) -> list[Phrase]:
    """Mentions grouped into phrases: adjacent words narrow (intersection), separated ones add up."""
    out: list[Phrase] = []
    for s, e, hits in find_mentions(text, cands):
        if s < floor:
            continue
        if out and not cues.separated(text, out[-1].end, s):
            last = out[-1]
            last.hits &= hits
            last.end, last.text = e, text[last.start:e]
            last.words.append(text[s:e])
            continue
        out.append(Phrase(s, e, text[s:e], set(hits), cues.negated(text, s), [text[s:e]]))
    return out


def _plural(text: str, phrase: Phrase, cands: Sequence[Candidate]) -> bool:
    head = phrase.words[-1].lower()
    named = any(n.lower().endswith(head) for i in phrase.hits for n in cands[i].names)
    window = text[max(0, phrase.start - 24):phrase.end]
    return (head.endswith("s") and not named) or cues.plural(window)


def titles(cands: Sequence[Candidate], idx: Sequence[int]) -> str:
    shown = [cands[i].title for i in idx[:MAX_OFFERED]]
    return "; ".join(shown) + ("; ..." if len(idx) > MAX_OFFERED else "")


def how_many(n: int) -> str:
    return NUMBER_NAMES.get(n, str(n))


def resolve(text: str, cands: Sequence[Candidate], *, multiple: bool = False, ordinal: int | None = None,
            selectors: Sequence[tuple[str, Selector]] = (), where: str = "There are", asking: str = "",
            pickable: Callable[[Candidate], bool] = lambda c: True,
            others: Sequence[tuple[Candidate, str]] = ()) -> Outcome | None:
    """Resolve `text` against `cands`. None when nothing in it refers to a candidate at all.

    `selectors` (name, function) narrow the pool after the names said ("my latest order with the
    helmet"); `ordinal` (1-based, -1 the last) comes from the extractors and counts in the list
    as shown, or among the candidates a phrase named ("the second vacuum"). `where` opens a reason
    ("That order has", "You have"); `pickable` says which candidates may be chosen now; `others` are
    things the shopper may name that this slot cannot take, each with the reason ("that order is
    not delivered"), so naming one is explained instead of misread."""
    n = len(cands)
    if not n:
        return None
    low = text.strip().lower()
    for i, c in enumerate(cands):  # a button title or value typed back
        if low and low in (str(c.value).lower(), c.title.lower()) and pickable(c):
            return Outcome((i,), how="title")
    said = phrases(text, [*cands, *(c for c, _ in others)])
    for p in said:
        if p.hits and min(p.hits) >= n and not p.negated:
            other, why = others[min(p.hits) - n]
            return Outcome(offered=tuple(i for i in range(n) if pickable(cands[i])), how="unavailable",
                           reason=f"{other.title}: {why}")
        p.hits = {i for i in p.hits if i < n}
    pos = [p for p in said if not p.negated]
    excluded = set().union(*(p.hits for p in said if p.negated)) if said else set()
    every = [i for i in range(n) if pickable(cands[i])]
    want_all = cues.wants_all(text) or bool(cues.REST.search(text))
    both = bool(cues.BOTH.search(text))
    named = set().union(*(p.hits for p in pos)) if pos else set()
    if not (said or want_all or both or selectors or ordinal is not None):
        return None
    for p in pos:  # "the blue helmet" when there is none: say so rather than pick something else
        if not p.hits:
            return Outcome(offered=tuple(every), reason=f"{where} nothing that matches “{p.text}”.",
                           how="unmatched")
    pool = [i for i in (sorted(named) if pos else every) if i not in excluded and pickable(cands[i])]
    if pos and not pool:
        return Outcome(offered=tuple(i for i in every if i not in excluded),
                       reason=f"I can't offer {' or '.join(p.text for p in pos)} here.", how="unavailable")
    how = "name" if pos else "negation" if any(p.negated for p in said) else ""
    for name, select in selectors:
        narrowed = select(pool)
        if isinstance(narrowed, str):
            return Outcome(offered=tuple(pool), reason=narrowed, how=name)
        pool, how = narrowed, name
    if ordinal is not None and not want_all and (len(pool) > 1 or not (pos or selectors)):
        within = pool if (pos or selectors) else [i for i in every if i not in excluded]
        k = ordinal - 1 if ordinal > 0 else len(within) + ordinal
        if not 0 <= k < len(within):
            return Outcome(offered=tuple(within), reason=f"There are only {how_many(len(within))} here.",
                           how="ordinal")
        pool, how = [within[k]], "ordinal"
    if want_all and not pos:
        pool, how = [i for i in every if i not in excluded], "all"
    elif both:
        if len(pool) != 2:
            pool = pool if pos else [i for i in every if i not in excluded]
            if len(pool) != 2:
                reason = (f"Which two do you mean? {titles(cands, pool)}." if len(pool) > 2 else
                          f"There is only one here: {titles(cands, pool)}." if pool else "There is nothing to choose.")
                return Outcome(offered=tuple(pool), reason=reason, how="both")
        how = "both"
    if not pool:
        return Outcome(offered=tuple(every), reason="That leaves nothing to choose.", how=how or "negation")
    if len(pool) > 1 and how in ("name", "negation"):
        for p in pos:  # a singular phrase that fits several: "the vacuum" in an order with two
            hit = [i for i in pool if i in p.hits]
            if len(hit) > 1 and not _plural(text, p, cands) and not want_all:
                settled = tuple(i for i in pool if i not in hit) if multiple else None
                if len({cands[i].title for i in hit}) == 1:  # the same thing twice: one or both?
                    reason = (f"{where} {how_many(len(hit))} of {cands[hit[0]].title}. "
                              f"One or {'both' if len(hit) == 2 else 'all ' + how_many(len(hit))}?")
                else:
                    reason = (f"{where} {how_many(len(hit))} that match “{p.text}”: {titles(cands, hit)}. "
                              "Which one do you mean?")
                return Outcome(offered=tuple(hit), how="name", reason=reason, settled=settled)
    if len(pool) > 1 and not multiple:
        reason = (f"{asking or 'Which one then'}: {titles(cands, pool)}?" if how not in ("name", "") else
                  f"That fits {how_many(len(pool))}: {titles(cands, pool)}. Which one do you mean?")
        return Outcome(offered=tuple(pool), how=how or "name", reason=reason)
    if not how and len(pool) == len(every) and not want_all:
        return None  # selectors that did not narrow anything: no reference
    return Outcome(tuple(pool), how=how or "name")


def ambiguous(outcome: Outcome, cands: Sequence[Candidate], reason: str | None = None) -> Ambiguous:
    """The shopper-facing form of an undetermined outcome, candidates in list order. Where several
    may be chosen, each button carries the whole answer (what was already clear plus one of the
    offered), and one more button takes all the offered."""
    idx = list(outcome.offered)[:MAX_OFFERED]
    if outcome.settled is None:
        return Ambiguous(reason or outcome.reason,
                         [Choice(value=cands[i].value, title=cands[i].title) for i in idx])
    base = [cands[i].value for i in outcome.settled]
    every = "Both" if len(idx) == 2 else f"All {how_many(len(idx))}"
    if len({cands[i].title for i in idx}) == 1:
        choices = [Choice(value=base + [cands[idx[0]].value], title=f"One {cands[idx[0]].title}")]
    else:
        choices = [Choice(value=base + [cands[i].value], title=cands[i].title) for i in idx]
    choices.append(Choice(value=base + [cands[i].value for i in idx], title=every))
    return Ambiguous(reason or outcome.reason, choices)
