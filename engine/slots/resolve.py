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
from typing import Any

from ..contracts import Choice
from . import cues
from .candidates import Candidate
from .normalize import NameIndex, option_pattern
from .phrase_links import link_phrases
from .positions import ordinal_before, positions

NUMBER_NAMES = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
MAX_OFFERED = 8   # candidates listed in a reason and offered back as buttons


@dataclass(frozen=True)
class Ambiguous:
    """The answer does not determine one value: say `reason`, offer `candidates` (best first)."""

    reason: str
    candidates: list[Choice]
    proposed: bool = False  # the reason proposes the first candidate ("the last one on your list is ..."): yes takes it
    refused: Any = None     # the one value the shopper named, which this slot's check refuses ("the backpack order",
    # pending, for an exchange): another task may take it


@dataclass(frozen=True)
class Outcome:
    """What the resolver decided: `picked` candidate indexes, or (with `reason`) those to offer."""

    picked: tuple[int, ...] = ()
    offered: tuple[int, ...] = ()
    reason: str = ""
    how: str = ""
    settled: tuple[int, ...] | None = None  # several may be chosen: what is decided besides the offered
    refused: Any = None  # the value named, refused by the slot's check (Ambiguous.refused)

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
    ordinal: int | None = None   # "the first toothbrush": which of those it names
    compared: bool = False       # narrowed by a comparison ("the smaller helmet")
    named: bool = False          # says a product's name, not only a description ("black", "size L")
    context: bool = False        # only says what there is ("there's two jackets"): picks nothing itself


# A selector narrows the pool ("the latest": the newest of them); a string return is the reason it could not, an
# Outcome (offered, reason) the same with its own offer order (a proposal first). It never changes the pool given.
Selector = Callable[[list[int]], "list[int] | str | Outcome"]


def _term_pattern(term: str) -> str:
    if len(term) == 1:  # a single-letter size only as a capital ("the M one") or after "size"
        return rf"(?-i:(?<![\w'’]){re.escape(term.upper())}(?![\w'’]))|\bsize\s+{re.escape(term)}\b"
    return rf"(?<![\w.$#]){option_pattern(term)}(?![\w%]|\.\d)"


def find_mentions(text: str, cands: Sequence[Candidate]) -> list[tuple[int, int, set[int]]]:
    """(start, end, candidate indexes) of every name or term said, longest first where they overlap."""
    return [(s, e, hits) for s, e, hits, _ in _mentions(text, cands)]


def names_said(text: str, cands: Sequence[Candidate]) -> bool:
    """Whether `text` says a candidate's name (not only a description such as "pending")."""
    return any(named for *_, named in _mentions(text, cands))


def _mentions(text: str, cands: Sequence[Candidate]) -> list[tuple[int, int, set[int], bool]]:
    """find_mentions, each also saying whether it is a product name (True) or a description."""
    found: dict[tuple[int, int], set[int]] = {}
    named: set[tuple[int, int]] = set()
    by_name: dict[str, set[int]] = {}
    for i, c in enumerate(cands):
        for n in c.names:
            if n:
                by_name.setdefault(n.lower(), set()).add(i)
    if by_name:
        index = NameIndex({n: n for n in by_name})
        for s, e, keys in index.find(text):
            found.setdefault((s, e), set()).update(*(by_name[k] for k in keys if k in by_name))
            named.add((s, e))
        # "the bluetooth one": a word of a longer name, said with "one"
        for word, idx in _name_words(by_name).items():
            for m in re.finditer(rf"\b{re.escape(word)}(?=\s+ones?\b)", text, re.I):
                found.setdefault((m.start(), m.end()), set()).update(idx)
                named.add((m.start(), m.end()))
    by_term: dict[str, set[int]] = {}
    for i, c in enumerate(cands):
        for t in c.terms:
            by_term.setdefault(t.lower(), set()).add(i)
    for term, idx in by_term.items():
        for m in re.finditer(_term_pattern(term), text, re.I):
            found.setdefault((m.start(), m.end()), set()).update(idx)
    for (s, e), idx in _near_terms(text, by_term, found).items():  # "rechargable": one letter off
        found.setdefault((s, e), set()).update(idx)
    spans = sorted(found, key=lambda se: (se[0], -(se[1] - se[0])))
    out = []
    for s, e in spans:
        if any(a <= s and e <= b and (a, b) != (s, e) for a, b in found):
            continue  # "card" inside "gift card", "steel" inside "stainless steel"
        out.append((s, e, found[(s, e)], (s, e) in named))
    return out


def _name_words(by_name: dict[str, set[int]]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for name, idx in by_name.items():
        toks = re.findall(r"[a-z][a-z-]{2,}", name)
        for w in toks[:-1] if len(toks) > 1 else ():
            out.setdefault(w, set()).update(idx)
    return out


def _near_terms(text: str, by_term: dict[str, set[int]], found: dict) -> dict[tuple[int, int], set[int]]:
    """Words one edit away from a one-word term of 7+ letters (same first letter), where nothing
    else was found: "rechargable" is "rechargeable", "bluetooth" never "bluetooh"-close to "blue"."""
    long_terms = {t: idx for t, idx in by_term.items() if len(t) >= 7 and t.isalpha()}
    if not long_terms:
        return {}
    deletes: dict[str, set[str]] = {}
    for t in long_terms:
        for d in {t[:i] + t[i + 1:] for i in range(len(t))} | {t}:
            deletes.setdefault(d, set()).add(t)
    out: dict[tuple[int, int], set[int]] = {}
    for m in re.finditer(r"[a-z]{6,}", text.lower()):
        if any(a < m.end() and m.start() < b for a, b in found):
            continue
        w = m.group()
        near = set()
        for d in {w[:i] + w[i + 1:] for i in range(len(w))} | {w}:
            near |= {t for t in deletes.get(d, ()) if t[0] == w[0]}
        for t in near:
            out.setdefault((m.start(), m.end()), set()).update(long_terms[t])
    return out


def phrases(text: str, cands: Sequence[Candidate], floor: int = 0) -> list[Phrase]:
    """Mentions grouped into phrases: adjacent words narrow (intersection), separated ones add up.
    Two product names side by side ("thermostat backpack hose") are a list, and a description after
    "with" ("the keyboard with the rgb lights") narrows the name before it."""
    out: list[Phrase] = []
    last_named = False
    head: tuple[int, set[int]] | None = None  # a name before "(": the phrases up to ")" are of it
    for s, e, hits, is_name in _mentions(text, cands):
        if s < floor:
            continue
        if head is not None and s < head[0] and hits & head[1]:
            hits = hits & head[1]  # "both grills (the medium one and the portable one)": grills only
        joined = out and not cues.separated(text, out[-1].end, s)
        if out and not joined and not is_name and _WITH.fullmatch(text[out[-1].end:s]):
            joined = bool(out[-1].hits & hits)
        if joined and is_name and last_named and not (out[-1].hits & hits):
            joined = False
        if joined:
            last = out[-1]
            last.hits &= hits
            last.end, last.text = e, text[last.start:e]
            last.words.append(text[s:e])
            last.named = last.named or is_name
        else:
            out.append(Phrase(s, e, text[s:e], set(hits), cues.negated(text, s), [text[s:e]],
                              ordinal=ordinal_before(text, out[-1].end if out else floor, s), named=is_name))
        last_named = is_name
        if is_name and re.match(r"\s*\(", text[e:]):
            close = text.find(")", e)
            head = (close if close >= 0 else len(text), set(hits))
    _denied_after(text, out)
    link_phrases(text, out)
    return out


_LIST_JOIN = re.compile(r"\s*(?:,|and|&|or|nor|as\s+well\s+as)\s*(?:the\s+|my\s+)?", re.I)


def _denied_after(text: str, said: list[Phrase]) -> None:
    """"the vacuum and the kettle shouldn't be in it": a negation after a list covers each of it."""
    for k in range(len(said) - 1, -1, -1):
        p = said[k]
        if p.negated:
            continue
        nxt = said[k + 1] if k + 1 < len(said) else None
        if cues.negated_after(text, p.end, nxt.start if nxt else None) or (
                nxt is not None and nxt.negated and _LIST_JOIN.fullmatch(text[p.end:nxt.start])
                and cues.negated_after(text, nxt.end, said[k + 2].start if k + 2 < len(said) else None)):
            p.negated = True


_WITH = re.compile(r"\s*(?:with|that\s+(?:has|is|was)|that'?s|which\s+(?:has|is|was)|in)\s+(?:the\s+|a\s+|an\s+)?", re.I)
def _both_of(text: str, pos: list[Phrase]) -> bool:
    """"both" right before a phrase that names exactly two things ("both pairs of earbuds"), with more phrases after
    it."""
    for m in cues.BOTH.finditer(text):
        nxt = next((p for p in pos if p.start >= m.end()), None)
        # "both speakers", "both of the grills", "both pairs of earbuds"
        if nxt is None or not re.fullmatch(r"\s*(?:(?:pairs?|sets?|kinds?)\s+of\s+)?(?:of\s+)?(?:the\s+|my\s+)?",
                                           text[m.end():nxt.start]):
            continue
        close = text.find(")", nxt.start) if "(" in nxt.text else -1  # "both grills (the X one and the Y one)"
        group = [p for p in pos if nxt.start <= p.start < close] or [nxt]
        if len(set().union(*(p.hits for p in group))) == 2 and len(pos) > len(group):
            return True
    return False


def _plural(text: str, phrase: Phrase, cands: Sequence[Candidate]) -> bool:
    head = phrase.words[-1].lower()
    named = any(n.lower().endswith(head) for i in phrase.hits for n in cands[i].names)
    after = re.match(r"\s+ones\b", text[phrase.end:], re.I)  # "the blue ones"
    window = text[max(0, phrase.start - 24):phrase.end + (after.end() if after else 0)]
    return (head.endswith("s") and not named) or cues.plural(window)


def titles(cands: Sequence[Candidate], idx: Sequence[int]) -> str:
    shown = [cands[i].title for i in idx[:MAX_OFFERED]]
    return "; ".join(shown) + ("; ..." if len(idx) > MAX_OFFERED else "")


def how_many(n: int) -> str:
    return NUMBER_NAMES.get(n, str(n))


def resolve(text: str, cands: Sequence[Candidate], *, multiple: bool = False, ordinal: int | None = None,
            selectors: Sequence[tuple[str, Selector]] = (), where: str = "There are", asking: str = "",
            pickable: Callable[[Candidate], bool] = lambda c: True,
            others: Sequence[tuple[Candidate, str]] = (),
            compare: Callable[[str, list[int]], list[int] | None] | None = None) -> Outcome | None:
    """Resolve `text` against `cands`. None when nothing in it refers to a candidate at all.

    `selectors` (name, function) narrow the pool after the names said ("my latest order with the
    helmet"); `ordinal` (1-based, -1 the last) comes from the extractors and counts in the list
    as shown, or among the candidates a phrase named ("the second vacuum"). `where` opens a reason
    ("That order has", "You have"); `pickable` says which candidates may be chosen now; `others` are
    things the shopper may name that this slot cannot take, each with the reason ("that order is
    not delivered"), so naming one is explained instead of misread. `compare(text, indexes)` narrows
    by comparisons and features ("the smaller helmet", "the cheapest one"; see options.narrow)."""
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
                           reason=f"{other.title}: {why}", refused=other.value)
        p.hits = {i for i in p.hits if i < n}
    for k, p in enumerate(said):  # "the first toothbrush", "the smaller helmet": within what it names
        if p.ordinal is not None and len(p.hits) > 1:
            hits = sorted(p.hits)
            at = p.ordinal - 1 if p.ordinal > 0 else len(hits) + p.ordinal
            p.hits = {hits[at]} if 0 <= at < len(hits) else p.hits
            ordinal = None
        if compare is not None and len(p.hits) > 1:
            seg = text[said[k - 1].end if k else 0:said[k + 1].start if k + 1 < len(said) else len(text)]
            narrowed = compare(seg, sorted(p.hits))
            if narrowed:
                p.hits, p.compared = set(narrowed), True
    pos = [p for p in said if not p.negated and not p.context] or [p for p in said if p.context]  # "there's two: both"
    excluded = set().union(*(p.hits for p in said if p.negated)) if said else set()
    every = [i for i in range(n) if pickable(cands[i])]
    want_all = cues.wants_all(text) or bool(cues.REST.search(text))
    both = bool(cues.BOTH.search(text))
    named = set().union(*(p.hits for p in pos)) if pos else set()
    common = set.intersection(*(p.hits for p in pos)) if not multiple and len(pos) > 1 else set()
    if common and len(named) > 1:  # "my pending order, the e-reader one": one thing said twice, the second narrows
        named = common
    spots = positions(text, len(every)) if multiple and not pos else None
    compared = None
    if compare is not None and not pos and not spots:
        compared = compare(text, [i for i in every if i not in excluded])
    if not (said or want_all or both or selectors or ordinal is not None or spots or compared):
        return None
    if spots:  # "the first two", "items 2 and 4", "the first and the last"
        picked = [every[k] for k in spots if every[k] not in excluded]
        return Outcome(tuple(sorted(picked)), how="ordinal") if picked else \
            Outcome(offered=tuple(every), reason="That leaves nothing to choose.", how="ordinal")
    for p in pos:  # "the blue helmet" when there is none: say so rather than pick something else
        if not p.hits:
            return Outcome(offered=tuple(every), reason=f"{where} nothing that matches “{p.text}”.",
                           how="unmatched")
    pool = [i for i in (sorted(named) if pos else every) if i not in excluded and pickable(cands[i])]
    if pos and not pool:
        return Outcome(offered=tuple(i for i in every if i not in excluded),
                       reason=f"I can't offer {' or '.join(p.text for p in pos)} here.", how="unavailable")
    how = "name" if pos else "negation" if any(p.negated for p in said) else ""
    if compared is not None and len(compared) < len(pool):
        pool, how = [i for i in pool if i in compared], "comparison"
    for name, select in selectors:
        narrowed = select(pool)
        if isinstance(narrowed, Outcome):
            return Outcome(offered=narrowed.offered, reason=narrowed.reason, how=name)
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
    elif both and _both_of(text, pos):  # "both speakers + the hose": "both" is about the speakers
        how = "both"
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
            if p.compared and len(hit) > 1:
                return Outcome(offered=tuple(hit), how="comparison", reason=(
                    f"{where} {how_many(len(hit))} that match “{p.text}”: {titles(cands, hit)}. Which one do you mean?"))
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


# Selectors whose reason proposes the first offered candidate rather than only listing them.
PROPOSING = frozenset({"recency"})


def ambiguous(outcome: Outcome, cands: Sequence[Candidate], reason: str | None = None) -> Ambiguous:
    """The shopper-facing form of an undetermined outcome, candidates in list order. Where several
    may be chosen, each button carries the whole answer (what was already clear plus one of the
    offered), and one more button takes all the offered."""
    idx = list(outcome.offered)[:MAX_OFFERED]
    if outcome.settled is None:
        return Ambiguous(reason or outcome.reason,
                         [Choice(value=cands[i].value, title=cands[i].title) for i in idx],
                         proposed=(outcome.how in PROPOSING and bool(idx)) or len(idx) == 1,  # one offered: "yes, that one"
                         refused=outcome.refused)
    base = [cands[i].value for i in outcome.settled]
    every = "Both" if len(idx) == 2 else f"All {how_many(len(idx))}"
    if len({cands[i].title for i in idx}) == 1:
        choices = [Choice(value=base + [cands[idx[0]].value], title=f"One {cands[idx[0]].title}")]
    else:
        choices = [Choice(value=base + [cands[i].value], title=cands[i].title) for i in idx]
    choices.append(Choice(value=base + [cands[i].value for i in idx], title=every))
    return Ambiguous(reason or outcome.reason, choices)
