"""A choice said in other words: "so no need now" is "no longer needed", "it wasn't a mistake" rules one out.

Read only when no title or synonym of a `choice` slot matched (pick.py falls back to it).
"""
from __future__ import annotations

import re

from . import cues
from .candidates import Candidate
from .resolve import Outcome, how_many, titles


_DENIED = re.compile(r"\b(?:not|\w+n['’]t|isnt|wasnt|arent|werent)\b(?:\s+(?:a|an|the|my|by))?\s+$", re.I)
_STEM_END = ("ally", "ly", "ed", "ing", "es", "s", "e")


def _stem(word: str) -> str:
    for end in _STEM_END:
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[:-len(end)]
    return word


# Words of every shop conversation: they name the task, never which reason or option is meant.
_GENERIC = frozenset(_stem(w) for w in ("order", "ordered", "item", "items", "thing", "product", "cancel",
                                         "return", "exchange", "want", "like", "would", "please", "just", "this",
                                         "that", "with", "have", "from", "your"))


def _content(text: str) -> list[tuple[int, str]]:
    return [(m.start(), w) for m in re.finditer(r"[A-Za-z]{4,}", text)
            if (w := _stem(m.group().lower())) not in _GENERIC]


def choice_words(text: str, cands: list[Candidate]) -> Outcome | None:
    """A choice said in other words: the content words of each choice's title and synonyms that no
    other choice has ("so no need now" is "no longer needed", "i clicked the wrong one" "ordered by
    mistake"). A word under a negation ("it wasn't a mistake") counts against its choice, unless the
    choice says it negated too ("I don't really need it anymore" is "don't need")."""
    words = [{w for term in (c.title, *c.terms) for _, w in _content(term)} for c in cands]
    own = [w - set().union(*(o for j, o in enumerate(words) if j != i)) for i, w in enumerate(words)]
    # words a choice says under its own negation ("don't need"): "I don't really need it" says them
    denied = [{w for term in (c.title, *c.terms) for at, w in _content(term) if cues.negated(term, at)}
              for c in cands]
    said, unsaid = set(), set()
    for at, w in _content(text):
        for i, mine in enumerate(own):
            if w in mine and (not cues.negated(text, at) or w in denied[i]):
                said.add(i)
            elif w in mine and _DENIED.search(text[max(0, at - 16):at]):  # "it wasn't a mistake", not "never mind"
                unsaid.add(i)
    said -= unsaid
    if len(said) == 1:
        return Outcome((said.pop(),), how="words")
    if not said and unsaid and len(cands) - len(unsaid) == 1:
        return Outcome((next(i for i in range(len(cands)) if i not in unsaid),), how="negation")
    if len(said) > 1:
        idx = tuple(sorted(said))
        return Outcome(offered=idx, how="words", reason=f"That fits {how_many(len(idx))}: {titles(cands, list(idx))}. "
                                                        "Which one do you mean?")
    return None


def both_said(slot, text: str) -> bool:
    """A choice slot's message says words of more than one choice ("ordered the wrong thing and don't need it")."""
    cands = [Candidate(c.value, c.title, "choice", terms=(c.title, *c.synonyms, str(c.value))) for c in slot.choices]
    said = choice_words(text, cands)
    return said is not None and len(said.offered) > 1
