"""How the assistant reads one sentence of its knowledge or of an answer: its values (durations, amounts, counts),
its polarity, its quantifiers; and a passage cut into such facts (claims.py checks answers against them, ranking.py
chooses the one that answers)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.knowledge import Passage
from engine.knowledge.wording import GENERIC, words

from .grounding import NUMBER_WORDS, numbers_in

NEGATION = re.compile(r"\b(not|cannot|can't|cant|don't|doesn't|won't|isn't|aren't|never|no|unable|nor)\b|n't\b")
_IGNORE_NEG = re.compile(r'"[^"]*"|\bno longer needed\b|\bnothing else\b|\bor not\b', re.I)
CONJUNCTION_ONCE = re.compile(r"\bonce\s+(?=(its|it|the|my|your|a|an|i|you|we|they|this|that)\b)", re.I)
# whichever payment method: "the original payment method", "After a payment change" (to any)
ANY_PAYMENT = re.compile(r"\b(original|any|every|each|your) payment method\b|\ba payment change\b", re.I)
ONLY = re.compile(r"\b(only|just)\b")
ONE_ONLY = re.compile(r"\b(only|one|single|once)\b")  # a rule that restricts what it names to one
MODAL = re.compile(r"\b(can|cannot|can't|must|only|need|needs|not)\b")
ONCE = re.compile(r"\b(once|twice|one time|two times)\b")
ALL = re.compile(r"\b(all|every|always|any|each)\b")
EVERY = re.compile(r"\b(all|every|everything|each|whole)\b", re.I)  # "send back everything": all of them
VERDICT = re.compile(r"^\W*(yes|yeah|yep|sure|of course|absolutely|certainly|no|nope|unfortunately)\b\W*", re.I)
# how the shopper pays, buying included ("buy through you with a gift card", "order a lamp with mine")
PAID_WITH = re.compile(r"\b(paid|pay|paying|bought|buy|buying|purchase|purchasing|ordered|order|ordering|check out)\s+"
                       r"(it\s+|them\s+|one\s+|something\s+|(through|from) (you|here|the shop)\s+|(a|an|the|my) \w+\s+)?"
                       r"(with|by|via|using|on|through)\b")
STATED_TIME = re.compile(r"\b(immediate(?:ly)?|instant(?:ly)?|right away|straight away)\b")  # not "at once": all together
IMMEDIATE = re.compile(r"\b(immediate(?:ly)?|instant(?:ly)?|right away|at once|straight away)\b")
_NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
DURATION = re.compile(_NUM + r"(?:\s*(?:to|-|–|or)\s*" + _NUM + r")?\s*(business\s+|working\s+)?"
                      r"(minute|hour|day|week|month|year)s?\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])|;\s+")
# a yes/no question: led by an auxiliary (or a clause so led: "it says processed, can I ...?"), or a statement
# asked back ("..., right?", "so I can ...?")
YES_NO_Q = re.compile(r"(^|[,;:-]\s*)(can|could|do|does|did|is|are|will|would|may|should|am|must|if) (i|we|you|it|my|the)\b"
                      r"|^\s*(can|could|do|does|did|is|are|will|would|may|should|am|must|if)\b"
                      r"|,?\s*\b(right|correct|true|yeah|ok|okay|that works|isn't it|is that (so|right|correct|true))\s*\?+(?=\s|$)"
                      r"|\b(right|correct|yeah|yes)\W*$"  # typed without its "?": "... I can still change it right"
                      r"|\bso (i|we) (can|could|will|would|get|don't|do not|can't)\b[^?]*\?\s*$", re.I)


def _num(tok: str) -> str:
    return str(NUMBER_WORDS[tok]) if tok in NUMBER_WORDS else tok


def values(text: str) -> set[str]:
    """Durations ("dur:5-7 business day", "dur:immediate"), amounts and other numbers ("num:46.66")."""
    low = text.lower()
    out = {f"num:{n}" for n in numbers_in(re.sub(r"\bone\b", " ", text, flags=re.I))}
    if IMMEDIATE.search(low):
        out.add("dur:immediate")
    for m in DURATION.finditer(low):
        a, b, biz, unit = m.group(1), m.group(2), m.group(3), m.group(4)
        span = _num(a) + (f"-{_num(b)}" if b else "")
        out.add(f"dur:{span} {'business ' if biz else ''}{unit}")
    return out


def negative(text: str) -> bool:
    return NEGATION.search(_IGNORE_NEG.sub(" ", text.lower())) is not None


def split_facts(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


@dataclass
class Fact:
    """One sentence of a passage, with its section heading (context for the subject, never for values)."""

    text: str
    passage: Passage
    entities: set[str]
    values: set[str]
    negative: bool


_MODALS = r"can|cannot|can't|cant|could|couldn't|may|will|won't|would|wouldn't|should|shouldn't|must|do|don't|does|" \
    r"doesn't|did|didn't|am|are|aren't|have|haven't"
# the shopper's own yes/no: "can I ...", "I can't ...", "can I not ...": a pronoun next to its auxiliary
ASKED_MODAL = re.compile(rf"\b(?:i|we|you)\s+(?:{_MODALS})(?![\w'])(?:\s+not)?|\b(?:{_MODALS})\s+(?:i|we|you)\b(?:\s+not)?",
                         re.I)


def asked_negative(question: str) -> bool:
    """Whether the question asks in the negative ("can't I cancel it?"), read at the shopper's own auxiliary: "Since
    the address isn't an item I can still change the address, right?" asks "I can", its "isn't" is the reason."""
    m = ASKED_MODAL.search(question)
    return negative(m.group(0)) if m else negative(question)


_POLAR_WORDS = {"can", "cannot", "can't", "cant", "not", "no", "yes", "don't", "doesn't", "won't", "isn't", "it", "you",
                "that"}


def bare_verdict(text: str) -> bool:
    """"No, you cannot.": a yes or no with no fact said, which leaves the shopper without the rule that decides it."""
    return bool(VERDICT.match(text.strip())) and not (words(VERDICT.sub("", text.strip())) - GENERIC - _POLAR_WORDS)

