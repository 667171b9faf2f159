"""What the shopper's story says of their order in their own words, read as the entities the knowledge names.

"The running shoes I ordered came on Friday" is a delivered order, "I picked the wrong colour" wants another option of
the item, "could I have it sent to my office?" changes
its shipping address. Each is a shape of what shoppers say (a past arrival, a wrong pick, a place to send to), not a
list of the questions of a set. Kept apart from subjects.py, which holds the entities' own forms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class StoryRule:
    """A shape of the shopper's story (`pattern`), the entities it adds and those it replaces."""

    pattern: re.Pattern[str]
    add: frozenset[str]
    drop: frozenset[str] = frozenset()


def _rule(pattern: str, add: set[str], drop: set[str] | None = None) -> StoryRule:
    return StoryRule(re.compile(pattern), frozenset(add), frozenset(drop or ()))


RULES: tuple[StoryRule, ...] = (
    # the item reached the shopper, told as a past event ("my yoga mat arrived but ..."); "hasn't arrived yet", "when it
    # arrives" are not, and "came with a charger" tells what is in the box
    _rule(r"(?<!n't )(?<!not )(?<!never )\b(came|arrived)\b(?!\s+(yet|with|to)\b)", {"delivered"}),
    # the option chosen by mistake ("I picked the wrong weight range"): another option of the same product is wanted
    _rule(r"\b(picked|chose|chosen|ordered|selected|clicked|got|bought)\b[^.?!]{0,25}\bwrong\b", {"other options"}),
    # the order sent somewhere else than planned ("could I have it sent to my office instead?"): its shipping address
    _rule(r"\b(sent|send|ship|shipped|deliver|delivered|redirect\w*)\b(\s+\w+){0,3}?\s+to\s+(my|our|the)\s+"
          r"(office|work|workplace|job|parent|mum|mom|friend|neighbou?r|other|new)(?:s'|'s|s)?(?!\w)",
          {"shipping address", "change"}),
    # an order moved from one payment method to another of its kind ("from one Visa card to my other Visa card"): a
    # change of its payment method
    _rule(r"\bmov(e|ing)\b[^.?!]{0,40}\bfrom (one|a|my)\b[^.?!]{1,30}\bto (my |the |an? )?(other|another|second|"
          r"different|new)\b", {"change"}),
    # a replacement refused ("I don't want something else in their place"): their item back, not exchanged
    _rule(r"\b(don'?t|do not|no longer)\s+(want|need)\s+(something|anything|another|a replacement|a different|a new)\b"
          r"(?![^.?!]{0,20}\b(size|colou?r|option|one of the same)\b)", {"return"}, {"exchange"}),
    # what the shopper said in the chat, however they put it ("what I already asked you"): the summary handed over
    _rule(r"\bwhat (i|we)('ve| have)?\s+(already\s+|just\s+)?(asked|said|told you|discussed|talked about)\b", {"summary"}),
    # money put back onto the card that paid ("how long until the balance is back on the card?"): a refund, not the
    # balance a gift card must hold to pay
    _rule(r"\b(balance|money|funds|amount)\b[^.?!]{0,20}\bback (on|onto|to|in|into) (the|my|our|that)\b", {"refund"},
          {"balance"}),
    # an order the shopper gave up and wants again ("I cancelled it ... can you bring that order back?"): reopened
    _rule(r"\b(bring|get)\s+(it|them|that|this|the|my|our)(\s+(order|one|purchase))?\s+back\b", {"reopen"}),
    # the shop's range counted ("a hundred different kinds of products"): how many product types, no item swapped for
    # a different product
    _rule(r"\b(\d+|hundreds?|dozens?|thousands?|many|few)\s+(different\s+)?(kinds|types|sorts)\s+of\s+"
          r"(products?|things|items)\b", set(), {"different product"}),
)


def told(low: str, found: set[str]) -> set[str]:
    """`found` (the entities of the lower-cased text `low`) with what its story says in the shopper's words."""
    out = set(found)
    for rule in RULES:
        if rule.pattern.search(low):
            out = (out - rule.drop) | rule.add
    return out


def story_spans(low: str) -> list[str]:
    """The words of the lower-cased text `low` that a story rule reads as entities ("move it from one Visa card to my
    other": a change): what those entities stand for, no words a fact must share besides."""
    return [m.group(0) for rule in RULES if rule.add for m in rule.pattern.finditer(low)]
