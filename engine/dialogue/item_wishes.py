"""Where a message about new options names the items themselves: which words say which item, and
which say what it should become.

Two kinds of message need it, both read against the items of the variants slot's `of:` slot:
* "I'd like the green speaker swapped for a red one": "green" names the speaker being exchanged (it
  is that item's own option); only "red" is wished for. Words said before an item's product name that
  single it out are not read as the wish.
* at the question about the camera's new options, "20MP. And the kettle in glass instead of stainless
  steel": the kettle's part is the kettle's own wish, kept for its question; the camera reads the rest.
An item is named only by a phrase with its product name ("the kettle", "the black speaker"), never by
an option value alone: "black" at the camera's question is a wish, not the black kettle.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..flows.model import SlotDef
from .context import TurnContext
from .state import Frame
from .wishes import items_part

WISH_KEY = "wish:{slot}:{item}"   # frame.context key: an item's own wish, said at another item's question


@dataclass(frozen=True)
class ItemNamed:
    """A phrase that names one item of the order by its product name: `start`..`end`, with the
    product name ending at `name_end` (words before it, "the green speaker", single the item out)."""

    start: int
    name_start: int
    name_end: int
    end: int
    value: str
    own: tuple[str, ...] = ()  # the item's own option values ("19 bar", "2L", "manual")


def _items(ctx: TurnContext, frame: Frame, slot: SlotDef) -> list:
    items = ctx.env(frame).values.get(slot.of or "") or []
    return [items] if isinstance(items, str) else list(items)


def items_named(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str) -> list[ItemNamed]:
    """The phrases of `text` that name exactly one item of the variants slot's items, by product name."""
    from ..slots.candidate_sets import candidates_for
    from ..slots.resolve import find_mentions, phrases

    source = ctx.flow(frame).slots.get(slot.of or "")
    cands = candidates_for(source, ctx.env(frame)) if source is not None else None
    if not cands:
        return []
    chosen = set(_items(ctx, frame, slot))
    names = [dataclasses.replace(c, terms=()) for c in cands]
    said = items_part(source, text)  # "the tablet for a 128GB one": 128GB is wished, it names no item
    named = find_mentions(said, names)
    out = []
    for p in phrases(said, cands):
        values = {cands[i].value for i in p.hits}
        inside = [(s, e) for s, e, _ in named if p.start <= s and e <= p.end]
        if p.negated or len(values) != 1 or not inside or not values <= chosen:
            continue
        value = values.pop()
        own = next((tuple(c.options.values()) for c in cands if c.value == value), ())
        out.append(ItemNamed(p.start, inside[-1][0], inside[-1][1], p.end, value, own))
    out += [n for n in _ones_named(text, [c for c in cands if c.value in chosen])
            if not any(o.start < n.end and n.start < o.end for o in out)]
    return sorted(out, key=lambda n: n.start)


# "the black one should become blue", "the green one to red": an item called by its own options and "one",
# then what it should become (two speakers of one order told apart by colour, no product name said)
_ONE_TO = re.compile(r"\b(?:the|my)\s+((?:[\w-]+\s+){1,3}?)ones?\b(?=\s*(?:,\s*)?(?:should\s+(?:be|become|go|change)|"
                     r"becomes?|(?:needs?|has)\s+to\s+be|i\s+(?:want|would\s+like|'d\s+like)|to|into|for|->|→|:|"
                     r"(?:changed|switched|swapped)\b))", re.I)


def _ones_named(text: str, cands: list) -> list[ItemNamed]:
    """Items named as "the <its own options> one" before what they become: exactly one of `cands` (the
    chosen items) has every word as an option value, and not every one of them does."""
    out = []
    for m in _ONE_TO.finditer(text):
        said = m.group(1).lower().split()
        fits = [c for c in cands if all(any(w == v.lower() or w in v.lower().split() for v in c.options.values())
                                        for w in said)]
        if len(fits) == 1 and len(cands) > 1:
            out.append(ItemNamed(m.start(), m.start(1), m.end(), m.end(), fits[0].value))
    return out


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def without_item_names(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str) -> str:
    """`text` with the words that name an item before its product name blanked ("the green speaker
    swapped for a red one" keeps "swapped for a red one"), offsets kept. Words after the name stay:
    "the speaker in green with 20 hours" may keep the green."""
    for named in items_named(ctx, frame, slot, text):
        if named.name_start > named.start:
            text = _blank(text, named.start, named.name_end)
        said = _own_after(named, text)
        if said:  # "the espresso machine - the 19 bar, 2L manual one": which machine, not what it becomes
            text = _blank(text, said.start(), said.end())
    one = _FROM_ONE.match(text)  # "silver one to gold with leather band": silver is the item's, gold wished
    return _blank(text, one.start(1), one.end(1)) if one else text


# the item's own options said right after its name, as a description ("the kettle - the 1.5L white one",
# "the lamp (black, LED)"), not with "to", "for" or "in" as the wish is
_OWN_AFTER = re.compile(r"(?:\s+(?:in|on|from|of)\s+(?:my\s+|the\s+)?(?:order\s+)?#?W\d{7})?\s*(?:[-–—,:]\s*(?:the|my|it'?s\s+the|that'?s\s+the)\s+((?:[\w.-]+,?\s+){1,6}?)ones?\b"
                        r"|\s*\(([^()]{1,60})\))", re.I)


def _own_after(named: ItemNamed, text: str) -> re.Match | None:
    said = _OWN_AFTER.match(text, named.name_end)
    return said if said and _all_own(said.group(1) or said.group(2), named.own) else None


def described_by_own_options(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str) -> bool:
    """An item of the slot is described by its own options right after its name (nothing wished of it there)."""
    return any(_own_after(n, text) for n in items_named(ctx, frame, slot, text))


def _all_own(words: str | None, own: tuple[str, ...]) -> bool:
    """Every word said (commas and "and" aside) is a word of the item's own option values."""
    own_words = {w for v in own for w in re.findall(r"[\w.]+", v.lower())}
    said = [w for w in re.findall(r"[\w.]+", (words or "").lower()) if w not in {"and", "with"}]
    return bool(said) and bool(own_words) and all(w in own_words for w in said)


# an item called by its options, "one", then what it should become: "silver one to gold", "the 32GB one into 128GB"
_FROM_ONE = re.compile(r"^\s*((?:the\s+|my\s+)?(?:[\w-]+\s+){1,3}?ones?\s+(?:to|into|for)\s)\s*\S", re.I)


def keep_later_wishes(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str) -> str:
    """At the question about one item's new options, what the message says about items still to come
    ("20MP. And the kettle in glass"): each such part is kept as that item's own wish (read when its
    question comes), and the rest, for the item asked about now, is returned (offsets kept)."""
    items = _items(ctx, frame, slot)
    k = len(frame.partial.get(slot.name, []))
    if k >= len(items) - 1 or len(set(items)) != len(items):
        return text
    later = set(items[k + 1:])
    named = items_named(ctx, frame, slot, text)
    rest = text
    for j, n in enumerate(named):
        if n.value not in later:
            continue
        end = named[j + 1].start if j + 1 < len(named) else len(text)
        frame.context[WISH_KEY.format(slot=slot.name, item=n.value)] = text[n.start:end].strip(" ,;.")
        ctx.log("wish_kept", slot=slot.name, item=n.value)
        rest = _blank(rest, n.start, end)
    return rest


def own_wish(frame: Frame, slot: SlotDef, item: str) -> str | None:
    """The wish kept for `item` by `keep_later_wishes`, if any."""
    return frame.context.get(WISH_KEY.format(slot=slot.name, item=item))
