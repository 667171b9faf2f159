"""Phrases that lean on each other: "there's two jackets. the black one, size L" names one jacket.

A count of a product said as a fact ("there's two jackets", "I have 2 kettles in there") picks nothing:
it is the context the descriptions after it are read in ("the black one" is the black jacket, not the
order's black camera). Descriptions only a comma apart narrow together when the later one is within the
earlier one ("the black one, size L"), while two that name different things stay a list ("the black one,
the navy one").
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .resolve import Phrase

# "there's two jackets", "there are 2 kettles", "I have two of the jackets", "I got three lamps in there"
_THERE_ARE = re.compile(r"\b(?:there(?:'s|’s|\s+is|\s+are|\s+were|\s+was|re)|i\s+(?:have|had|got|'ve\s+got|ordered|"
                        r"bought))\s+(?:two|2|three|3|four|4|a\s+couple(?:\s+of)?|several)\s+(?:of\s+)?(?:the\s+|my\s+)?$",
                        re.I)
# only a comma between two descriptions of one thing ("the black one, size L")
_COMMA = re.compile(r"\s*(?:ones?\s*)?,\s*(?:in\s+)?", re.I)  # "the black one, the L one" stays a list


def link_phrases(text: str, said: list["Phrase"]) -> None:
    """Mark counts said as facts (`context`), narrow the descriptions after them to what they count, and
    join descriptions a comma apart that describe one thing. Changes `said` in place."""
    ctx: set[int] | None = None
    k = 0
    while k < len(said):
        p = said[k]
        before = text[said[k - 1].end if k else 0:p.start]
        if p.named and not p.negated and _THERE_ARE.search(before) and len(p.hits) > 1:
            p.context, ctx = True, set(p.hits)
        elif p.named:
            ctx = None
        elif ctx is not None and p.hits & ctx:
            p.hits = p.hits & ctx  # "the black one" after "there's two jackets": the black jacket
        prev = said[k - 1] if k else None
        if prev is not None and not p.named and not prev.named and not prev.context and prev.negated == p.negated \
                and p.hits and p.hits < prev.hits and _COMMA.fullmatch(text[prev.end:p.start]):
            prev.hits, prev.end, prev.text = set(p.hits), p.end, text[prev.start:p.end]
            prev.words.extend(p.words)
            del said[k]
            continue
        k += 1
