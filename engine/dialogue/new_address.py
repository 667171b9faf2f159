"""An opening that tells a new address as news, without asking for the change: "laptop order is heading to my
OLD apartment!! not shipped yet, new place is 940 W 5th St, Austin, TX 78703".

The router hears where an order is going (order status) or a story (fallback). A street address said as the
shopper's new one ("new place is", "I moved to", "now living at") asks for it to be used: on the order when the
message is about an order, on the account when it names the account, else both are offered.
"""
from __future__ import annotations

import re

from ..refusals import unrefused
from ..slots.cues import STREET_TYPE
from .option_wish import NOT_SHIPPED
from .task_words import CHANGE_WORDS, naming_other_than

_STREET = re.compile(r"\b\d+\s+(?:[nsew]\.?\s+)?(?:[\w.'-]+\s+){1,3}" + STREET_TYPE + r"\b", re.I)
_NEW = re.compile(r"\bnew\s+(?:place|address|home|house|apartment|apt|flat|condo|location)\b|\b(?:i|we)\s+(?:just\s+|have\s+)?"
                  r"(?:moved|relocated)\b|\b(?:now|currently)\s+(?:live|living|staying)\b|\bold\s+(?:place|address|"
                  r"apartment|house|home)\b", re.I)
_ORDER = re.compile(r"\border\b|#?\bW\d{7}\b|\b(?:package|parcel|shipment|delivery)\b", re.I)
# (a move told with "my address" and no order: "I moved, please update my address to ..." is the account's)
_ACCOUNT = re.compile(r"\b(?:account|profile|on\s+file|default|saved|future\s+orders|my\s+(?:home\s+)?address)\b", re.I)
# another task asked for: the router's to read
_OTHER_TASK = naming_other_than("address", "status")

ORDER, ACCOUNT = "change_order_address", "change_default_address"


def new_address(text: str) -> tuple[str, ...]:
    """The address task(s) an opening telling a new street address asks for: one to start, two to offer,
    () when it tells none or asks for another task."""
    if not _STREET.search(text) or not _NEW.search(text) or _OTHER_TASK.search(unrefused(text)):
        return ()  # ("Don't cancel it, just send it to my new flat: ..." names no other task)
    return _whose(text)


# a part of an address said to be wrong or to be fixed: "I put the wrong zip in the order", "the street name on my
# profile is misspelled", "fix the apartment number on W1"
_PART = (r"(?:zip(?:\s*code)?|post(?:al)?\s*code|postcode|street(?:\s+(?:name|number))?|house\s+number|"
         r"apartment(?:\s+number)?|apt(?:\s+number)?|unit\s+number|suite(?:\s+number)?)")
_PART_WRONG = re.compile(r"\b(?:wrong|incorrect|mistyped|misspelt|misspelled|typo\s+in\s+(?:the|my))\s+" + _PART + r"\b"
                         r"|\b" + _PART + r"\s+(?:\w+\s+){0,4}?(?:is|was)\s+(?:wrong|incorrect|misspelt|misspelled|mistyped)\b"
                         r"|\b(?:fix|correct|change|update)\s+(?:the|my)\s+" + _PART + r"\b", re.I)


def address_part_fixed(text: str) -> tuple[str, ...]:
    """The address task(s) an opening asks for by naming a part of the address to fix (the router hears an item
    change: "can you fix it before it ships?"): as `new_address`, () when none or another task is named."""
    if not _PART_WRONG.search(text) or _OTHER_TASK.search(unrefused(text)):
        return ()
    return _whose(text)


def _whose(text: str) -> tuple[str, ...]:
    """The order's address when the message is about an order, the account's when it names the account, else both."""
    order, account = _ORDER.search(text) or NOT_SHIPPED.search(text), _ACCOUNT.search(text)
    if order and not account:
        return (ORDER,)
    if account and not order:
        return (ACCOUNT,)
    return (ORDER, ACCOUNT)


# "can you tell me what address it's shipping to?": the address asked about, not a new one given
_ADDRESS_ASKED = re.compile(r"\b(?:what|which)\s+address\b|\bwhere\s+(?:is\s+it|it'?s|its|are\s+they|they'?re|is\s+(?:my|the)\s+"
                            r"\w+)\s+(?:being\s+)?(?:shipp\w*|sent|sending|going|headed|heading)\s+to\b", re.I)
_CHANGE = re.compile(r"\b(?:" + CHANGE_WORDS + r"|switch\w*|mov(?:e|ing)|redirect\w*|correct\w*|fix\w*|instead|wrong|new)\b",
                     re.I)


def address_asked(text: str) -> bool:
    """Whether `text` asks which address an order ships to, giving no new one and asking no change: an order's
    details, read by the order status task (the router hears the address and names its change)."""
    return _ADDRESS_ASKED.search(text) is not None and not _STREET.search(text) and not _CHANGE.search(text)

