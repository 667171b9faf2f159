"""Words that steer a reference: negation and its scope, sets, sameness, "the other one", recency.

Kept apart from the resolver so each cue is one readable regular expression with a name, and the
scope rule lives in one place: a negation ("not", "except", "keeping", "instead of") covers the
mentions after it up to a contrast (a comma, "but", "just", "instead"), so "everything except the
vacuum and the kettle" excludes both while "not the visa, the mastercard" picks the mastercard.
"""
from __future__ import annotations

import re

_I = re.IGNORECASE

NEGATION = re.compile(
    r"\bnot\b(?!\s+(?:sure|certain|really\s+sure)\b)|\bnon\b|\bnever\b|\b\w+n[’']t\b"
    r"|\b(?:dont|doesnt|didnt|wont|cant|isnt|arent|wasnt|werent|hasnt|havent|hadnt)\b"
    r"|\bexcept(?:\s+for)?\b|\bexcluding\b|\bexclude\b|\bapart\s+from\b|\bother\s+than\b|\baside\s+from\b"
    r"|\bbut\s+not\b|\bwithout\b|\bminus\b|\binstead\s+of\b|\brather\s+than\b|\bleave\s+out\b|\bleaving\b"
    r"|\bremov(?:e|ed|ing)\b|\bdrop(?:ping)?\b|\btake\s+(?:out|off)\b|\bskip(?:ping)?\b|\bkeep(?:ing|s)?\b(?!\s+(?:it|them|that)\s+(?:the\s+same|as\s+is)\b)|\bhold(?:ing)?\s+on\s+to\b",
    _I)
# "I don't need the vacuum anymore", "no longer want it": the shopper is done with it, which selects it.
NEUTRAL = re.compile(r"\b(?:do|does|did)(?:n[’']?t|\s+not)\s+(?:need|want|use)\b(?=[^,.;]*\b(?:any\s?more|any\s+longer)\b)"
                     r"|\bdon'?t\s+(?:need|want)\s+(?:it|them|this|that)\s*$|\bno\s+longer\b", _I)
# Where a negation's scope ends (and a new clause starts).
CONTRAST = re.compile(r"[,;.!?]|\bbut\b(?!\s+not)|\binstead\b(?!\s+of)|\brather\b(?!\s+than)|\bjust\b|\bonly\b"
                      r"|\bthen\b|\bplease\b", _I)
# Between two mentions: the same noun phrase ("the blue helmet") unless one of these separates them.
SEPARATOR = re.compile(r"[,;.!?&/+]|\band\b|\bor\b|\bplus\b|\bbut\b|\bas\s+well\s+as\b|\balso\b|\bthen\b|\bnor\b"
                       r"|\binstead\b|\bexcept\b|\bnot\b|\bwith\b|\bfrom\b|\bthan\b", _I)

ALL = re.compile(
    r"\b(?:all(?!\s+(?:good|set|right|done)\b)(?:\s+of)?(?:\s+(?:them|it|those|these|the\s+\w+|my\s+\w+|\d+|two|three"
    r"|four|five))?|every\s?thing|every\s+(?:item|one|single\s+one)|each\s+(?:one|item|of\s+them)"
    r"|the\s+(?:whole|entire)\s+(?:order|thing|lot|package)|the\s+lot)\b", _I)
NOT_ALL = re.compile(r"\b(?:that'?s|that\s+is|is\s+that|at|after)\s+all\b|\ball\s+(?:good|set|right|done)\b", _I)
BOTH = re.compile(r"\bboth\b|\bthe\s+two\s+of\s+them\b|\bthe\s+pair\b", _I)
REST = re.compile(r"\bthe\s+(?:rest|others|remaining\s+(?:ones|items)|other\s+(?:ones|items|two|three|four))\b"
                  r"|\beverything\s+else\b|\ball\s+the\s+others?\b", _I)
OTHER = re.compile(r"\b(?:the|my|that|your)\s+other(?:\s+(?:one|card|order|address|method|payment\s+method|option"
                   r"|account|place))?\b|\banother\s+(?:one|card|method|address)\b|\bthe\s+different\s+one\b", _I)
SAME = re.compile(
    r"\b(?:the\s+)?same(?:\s+(?:one|thing|item|option|variant|model|size|color|colour|as\s+(?:before|now|mine|"
    r"it\s+is|i\s+have|i\s+had|the\s+one\s+i\s+have)))?\b|\bkeep\s+(?:it|them|that)\s+(?:the\s+same|as\s+is)\b"
    r"|\b(?:no|without)\s+change\b|\bunchanged\b|\bas\s+it\s+is\b|\bone\s+i\s+(?:already\s+)?have\b"
    r"|\bidentical\b|\bexact\s+same\b|\blike\s+(?:before|mine)\b", _I)
ORIGINAL = re.compile(
    r"\boriginal(?:ly)?\b|\bhow\s+i\s+(?:paid|pay|bought|ordered)\b|\b(?:paid|bought|ordered|used)\s+(?:it\s+|for\s+it\s+)?"
    r"(?:with|on|by|to\s+pay)\b|\bthe\s+(?:one|card|method|account)\s+i\s+(?:used|paid)\b|\bsame\s+(?:card|method|way"
    r"|payment|account|one\s+as\s+(?:before|the\s+order))\b|\bwhere\s+(?:it|the\s+money)\s+came\s+from\b"
    r"|\bway\s+i\s+paid\b|\bback\s+to\s+where\b|\bsource\b"
    r"|\b(?:that'?s|that\s+is|already|currently)\s+(?:on|paying\s+for)\s+(?:the|this|my)\s+order\b", _I)
LATEST = re.compile(r"\b(?:latest|newest|most\s+recent(?:ly)?|recent(?:ly)?|last\s+(?:order|one|purchase|thing)"
                    r"|just\s+(?:ordered|placed|bought|made)|the\s+new\s+one)\b", _I)
OLDEST = re.compile(r"\b(?:oldest|earliest|first\s+(?:order|purchase)|older\s+one)\b", _I)
DEFAULT_ADDRESS = re.compile(
    r"\bdefault\b|\bon\s+(?:my\s+|the\s+)?(?:account|file|profile|record)\b|\b(?:my|the)\s+(?:usual|main|regular|"
    r"registered|primary|account|profile|saved)\s+(?:address|place)\b|\bhome\s+address\b|\bmy\s+address\b"
    r"|\bwhere\s+i\s+live\b|\bmy\s+(?:house|home)\b(?!\s+in\b)", _I)
ORDER_ADDRESS = re.compile(
    r"\b(?:where|same\s+(?:place|address)\s+as)\s+(?:my|the)\s+(?:other|last|previous|earlier|first|\w+)?\s*"
    r"(?:order|package|purchase|delivery)s?\b|\b(?:other|last|previous)\s+order'?s\s+address\b"
    r"|\baddress\s+(?:of|from|on)\s+(?:my|the)\s+(?:other|last|previous)\s+order\b", _I)
PLURAL_HINT = re.compile(r"\b(?:both|all|them|those|these|two|three|four|each|every|ones)\b", _I)
# "everything but the earbuds", "all but the chairs": this "but" excludes, it does not end a negation
ALL_BUT = re.compile(r"\b(?:every\s?thing|all(?:\s+of\s+(?:it|them))?|any\s?thing|the\s+(?:whole|entire)\s+order)"
                     r"\s+(but)\b(?!\s+not\b)", _I)


def spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in rx.finditer(text)]


def negated(text: str, start: int, floor: int = 0) -> bool:
    """Whether a mention starting at `start` is inside a negation's scope (see module doc)."""
    text = ALL_BUT.sub(lambda m: m.group()[:m.start(1) - m.start()] + "not", text)
    window = NEUTRAL.sub(lambda m: " " * len(m.group()), text)[floor:start]
    stops = [m.end() for m in CONTRAST.finditer(window)]
    window = window[stops[-1]:] if stops else window
    return NEGATION.search(window) is not None


def separated(text: str, end: int, start: int) -> bool:
    """Whether two mentions (one ending at `end`, the next starting at `start`) are separate phrases.
    Commas inside "Air Purifier (medium, HEPA, quiet operation)" list one item's options: not a split."""
    gap = text[end:start]
    if text.count("(", 0, end) > text.count(")", 0, end) and ")" not in gap:
        return False
    return SEPARATOR.search(gap) is not None


def wants_all(text: str) -> bool:
    return ALL.search(text) is not None and not NOT_ALL.search(text)


def plural(text: str) -> bool:
    """A phrase in the plural ("the vacuums", "both", "them"): several candidates are meant."""
    return PLURAL_HINT.search(text) is not None
