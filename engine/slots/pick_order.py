"""Which order the shopper means: the descriptions that pick one of their orders.

"the one ending 9559", "the pending one", "the one that hasn't shipped yet", "the one with two
espresso machines", "the other one", "my latest order": each is a resolver Selector over the
account's orders; the resolver runs them in turn and asks when several are left.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..flows.model import SlotDef
from . import cues
from .candidate_sets import candidates_for, check_error
from .candidates import STATUS_WORDS, Candidate
from .entities import Entity
from .outcomes import comparer, slot_answer
from .resolve import Outcome, Selector, find_mentions, phrases, resolve

if TYPE_CHECKING:
    from .types import SlotEnv


def _wishes_blanked(text: str, cands: list[Candidate]) -> str:
    """With an order named by a product it holds ("the one with the wristwatch. I'd like the black dial
    instead of white"), descriptions that fit none of the named orders, or that would rule out all of
    them, describe what the shopper wants, not which order, and a product said again more broadly
    ("... the electric kettle. just the kettle") adds no order: blanked (offsets kept)."""
    names_only = [Candidate(c.value, c.title, c.kind, names=c.names) for c in cands]
    said = [(s, e, h) for s, e, h in find_mentions(text, names_only) if not cues.negated(text, s)]
    for s, e, h in said:  # "the one with the electric kettle. just the kettle": the kettle said again
        if any(o < h for _, _, o in said):
            text = text[:s] + " " * (e - s) + text[e:]
    named = set().union(*(h for _, _, h in said if not any(o < h for _, _, o in said)))
    if not named:
        return text
    for p in phrases(text, [Candidate(c.value, c.title, c.kind, terms=c.terms) for c in cands]):
        if not (p.hits & named) or (p.negated and named <= p.hits):
            text = text[:p.start] + " " * (p.end - p.start) + text[p.end:]
    return text


def pick_order(slot: SlotDef, text: str, entities: list[Entity], env: "SlotEnv", cands: list[Candidate],
               ordinal: int | None) -> tuple[bool, Any]:
    text = _wishes_blanked(text, cands)
    bare = re.fullmatch(r"\W*(?:the|my)?\s*([a-z' ]+?)\W*", text.lower())
    if bare and any(bare.group(1) in words for words in STATUS_WORDS.values()):
        text = f"the {bare.group(1)} one"  # a one-word answer "pending" to "which order?"
    selectors = []
    recency = None
    if cues.LATEST.search(text) or cues.OLDEST.search(text):
        recency = ("recency", _by_recency(cands, newest=bool(cues.LATEST.search(text))))
        if re.search(r"\blast\b", text, re.I):
            ordinal = None  # "my last order" is recency, not the last button
    ending = cues.ENDING.search(text)
    if ending:  # "the one ending 9559" with no such order: said, never an ordinal in the same message
        tail = ending.group(1)
        selectors.insert(0, ("ending", lambda pool: [i for i in pool if str(cands[i].value).endswith(tail)]
                             or f"None of your orders ends in {tail}. Which one do you mean?"))
    status = _status_said(text)
    if status:
        selectors.append(("status", lambda pool: [i for i in pool if status(cands[i].flags)]
                          or "None of those orders is in that state."))
    counted = _counted(text, cands, env)
    if counted is not None:
        selectors.append(("items", lambda pool: [i for i in pool if i in counted]
                          or "None of your orders holds that."))
    reference = {v for k, v in env.values.items() if isinstance(v, str) and v.startswith("#W")}
    if cues.OTHER.search(text) and reference:
        selectors.append(("other", lambda pool: [i for i in pool if cands[i].value not in reference]))
    if recency:  # last: "my latest pending order" asks only when the other descriptions leave several
        selectors.append(recency)
    others = []
    if slot.check:  # orders the shopper may name that this flow cannot take, with the store's reason
        offered = {c.value for c in cands}
        others = [(c, why) for c in candidates_for(slot, env, checked=False) or []
                  if c.value not in offered and (why := check_error(slot, c.value, env))]
    outcome = resolve(text, cands, ordinal=ordinal, selectors=selectors, where="You have", others=others,
                      compare=comparer(slot, cands))
    return slot_answer(slot, env, outcome, cands)


def _by_recency(cands: list[Candidate], newest: bool) -> Selector:
    """"my latest order": the store keeps no order dates, only the account's list, which new orders join at
    the end. One order left is taken; among several the list's last (or first) is proposed, first among the
    buttons, with that reason, never taken silently."""
    def select(pool: list[int]) -> list[int] | str | Outcome:
        if len(pool) <= 1:
            return pool or "You have no orders I can use here."
        pick = max(pool, key=lambda i: cands[i].recency * (1 if newest else -1))
        where = "last" if newest else "first"
        return Outcome(offered=(pick, *(i for i in pool if i != pick)), reason=(  # the proposal offered first
            f"The store doesn't keep order dates; the {where} one on your account's list is {cands[pick].title}. "
            "Which one do you mean?"))
    return select


_STATUS_CLAUSE = r"(?:that|which|it|still|already|just|has|have|had|is|was|been|got|'s|actually|\s)+"


def _status_said(text: str):
    """"the one that actually arrived, not the one still pending", "the one that hasn't shipped
    yet": a test on an order's status flags, or None when no status is said as a description."""
    found, taken = [], []
    for status, words in STATUS_WORDS.items():
        for w in sorted(words, key=len, reverse=True):
            for m in re.finditer(rf"(?:{_STATUS_CLAUSE})\b{re.escape(w)}\b(?!\s+(?:to|there|over|at|in)\b)", text, re.I):
                s = m.end() - len(w)
                if any(a <= s < b for a, b in taken) or not re.search(r"\b(?:that|which|still|already|one|order)\b",
                                                                      m.group(), re.I):
                    continue
                taken.append((s, m.end()))
                found.append((status, cues.negated(text, s)))
    if not found:
        return None
    wanted = {st for st, neg in found if not neg}
    unwanted = {st for st, neg in found if neg}
    return lambda flags: (not wanted or bool(flags & wanted)) and not (flags & unwanted)


_DESCRIBES_ORDER = re.compile(r"\b(?:one|ones|order|package|purchase|delivery|with|had|has|was|were|contain\w*)\b", re.I)


def _counted(text: str, cands: list[Candidate], env: "SlotEnv") -> set[int] | None:
    """Orders by how many of a product they hold ("the one with two espresso machines") or by
    holding nothing else ("the one that was just the two tea kettles"). None when neither is said."""
    names = [Candidate(i, "", "order", names=(n,)) for i, n in enumerate(sorted({n for c in cands for n in c.names}))]
    out = None
    for s, e, hits in find_mentions(text, names):
        m = re.search(r"\b(?:(just|only)\s+(?:the\s+)?)?(?:(two|three|four|2|3|4|both)\s+)?$", text[max(0, s - 24):s],
                      re.I)
        if not m or not (m.group(1) or m.group(2)):
            continue
        if not _DESCRIBES_ORDER.search(re.split(r"[.!?;]", text[:s])[-1]):
            continue  # "the one with the kettle. just the kettle": which items, not which order
        named = {names[h].names[0] for h in hits}
        need = {"two": 2, "three": 3, "four": 4, "both": 2}.get((m.group(2) or "").lower()) or int(m.group(2) or 1)
        keep = set()
        for i, c in enumerate(cands):
            items = [str(it.get("name", "")) for it in (env.order(c.value) or {}).get("items", [])]
            if sum(n in named for n in items) >= need and (not m.group(1) or all(n in named for n in items)):
                keep.add(i)
        out = keep if out is None else out & keep
    return out
