"""Places in a list said in words: "the first toothbrush" (an ordinal before a mention), "the first two",
"items 2 and 4", "the first and the last". Kept apart from the resolver, which reads them as references."""
from __future__ import annotations

import re

_ORDINAL_AT = re.compile(r"\b(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\s+$", re.I)
_ORDINAL_VALUE = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1,
                  "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5}


def ordinal_before(text: str, floor: int, start: int) -> int | None:
    """"the first toothbrush": an ordinal right before a mention counts among what it names."""
    m = _ORDINAL_AT.search(text[floor:start])
    return _ORDINAL_VALUE[m.group(1).lower()] if m else None


_POSITIONS_RANGE = re.compile(r"\b(first|last|top|bottom)\s+(two|three|four|five|2|3|4|5)\b", re.I)
_POSITIONS_NUMBERS = re.compile(r"\b(?:items?|numbers?|nos?\.?|#)\s*(\d(?:\s*(?:,|and|&|\+)\s*(?:#\s*)?\d)+)\b", re.I)
_POSITION_WORDS = re.compile(r"\b(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\b(?!\s+(?:one\s+)?(?:order|time))",
                             re.I)
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5}


def positions(text: str, n: int) -> list[int] | None:
    """Several places in the list (0-based): "the first two", "the last two things", "items 2 and
    4", "the first and the last". None for one place or none (the extractor's ordinal covers one)."""
    m = _POSITIONS_RANGE.search(text)
    if m:
        k = _COUNT.get(m.group(2).lower()) or int(m.group(2))
        span = list(range(k)) if m.group(1).lower() in ("first", "top") else list(range(n - k, n))
        return span if k <= n else None
    m = _POSITIONS_NUMBERS.search(text)
    if m:
        nums = [int(x) - 1 for x in re.findall(r"\d", m.group(1))]
        return nums if all(0 <= k < n for k in nums) else None
    words = [_ORDINAL_VALUE[w.lower()] for w in _POSITION_WORDS.findall(text)]
    if len(words) >= 2:
        out = [k - 1 if k > 0 else n + k for k in words]
        return sorted(set(out)) if all(0 <= k < n for k in out) else None
    return None
