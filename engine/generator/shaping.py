"""Where a generation ends: one sentence, or a short intro with a list.

The prompt asks for one short sentence; a 135M model then rambles on, and each extra sentence is
another chance to invent something. So the stream stops at the first complete sentence (or after a
list, when the answer opens one with "...:"), and a generation cut off by `max_tokens` is trimmed
back to what was complete instead of being thrown away.
"""
from __future__ import annotations

import re

# a sentence ends at . ! ? followed by whitespace ("$2,709." mid-price is not an end: no space yet)
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
_ITEM = re.compile(r"^\s*([-*\u2022]|\d+[.)])\s+\S")


def _is_list(text: str) -> bool:
    first, _, rest = text.partition("\n")
    return first.rstrip().endswith(":") and bool(rest.strip())


def _list_part(text: str, *, final: bool, cut: bool) -> tuple[str, bool]:
    """(intro + complete items, whether the list has ended)."""
    lines = text.split("\n")
    kept = [lines[0]]
    for i, line in enumerate(lines[1:], start=1):
        last = i == len(lines) - 1
        if not line.strip():
            if len(kept) > 1:
                return "\n".join(kept), True  # a blank line after items ends the list
            continue
        if not _ITEM.match(line):
            return "\n".join(kept), len(kept) > 1 or not last
        if last and (not final or cut):
            break  # the item may still be growing, or was cut off by max_tokens
        kept.append(line.rstrip())
    return "\n".join(kept), False


def shape(text: str, *, final: bool = False, cut: bool = False) -> tuple[str, bool]:
    """The complete part of a generation so far, and whether generating more is pointless.

    `final=True` when the model stopped; `cut=True` when it stopped at `max_tokens` (so the last
    line is unfinished). Returns ("", ...) when nothing complete exists."""
    body = text.lstrip()
    if _is_list(body):
        part, done = _list_part(body, final=final, cut=cut)
        if "\n" in part:
            return part, done
        if final or done:  # an intro without items: a sentence before the intro may still stand
            m = _SENTENCE_END.search(body.partition("\n")[0])
            return (body[: m.end()].strip() if m else ""), True
        return "", False
    first_line, newline, _ = body.partition("\n")
    m = _SENTENCE_END.search(first_line + (" " if newline or final else ""))
    if m:
        return first_line[: m.end()].strip(), True
    if newline and not first_line.rstrip().endswith(":"):
        return "", True  # a line without a sentence end, then something else: nothing usable
    return "", False
