"""The words that name each task, in one place: the dialogue's rules hand a message to the router when it
names a task other than the one the rule reads ("now cancel the other order" after a finished return; "new
place is 12 Oak St, and return the lamp"). Each rule says which tasks it reads itself (`naming_other_than`)."""
from __future__ import annotations

import re
from functools import cache

TASK_WORDS: dict[str, str] = {
    "cancel": r"cancel\w*",
    "return": r"return\w*|refund\w*|money\s+back|send\w*\s+(?:it\s+|them\s+)?back",
    "buy": r"buy\w*|purchas\w*",
    "exchange": r"exchang\w*|swap\w*",
    "status": r"track\w*|where\s+is|status",
    "address": r"address",
    "payment": r"payment|pay\s+(?:for|with)",
}

# a change asked for, in the forms that ask ("a few changes to make", "can I modify it", "some tweaks"), not the
# past that tells ("I changed my mind")
CHANGE_WORDS = (r"chang(?:e|es|ing)|modif(?:y|ies|ying|ications?)|edit(?:s|ing)?|alter(?:s|ing|ations?)?|"
                r"updat(?:e|es|ing)|adjust(?:s|ing|ments?)?|amend(?:s|ing|ments?)?|tweak(?:s|ing)?")
CHANGE = re.compile(r"\b(?:" + CHANGE_WORDS + r")\b", re.I)


@cache
def naming_other_than(*own: str) -> re.Pattern[str]:
    """A pattern for the words of every task but `own` (keys of TASK_WORDS)."""
    unknown = set(own) - set(TASK_WORDS)
    if unknown:
        raise ValueError(f"unknown task words: {sorted(unknown)}")
    return re.compile(r"\b(?:" + "|".join(w for k, w in TASK_WORDS.items() if k not in own) + r")\b", re.I)


# A change of an order's payment or address is read from a lukewarm router only in words that name it: "change some
# items on another order" is no payment change, whatever the router leans to
_ADDRESS_SAID = (r"address\w*|ship\w*|deliver\w*|street|st|ave(?:nue)?|road|rd|drive|dr|lane|ln|blvd|moved?|moving|live|"
                 r"house|home|apartment|apt|suite|zip|postcode|city|send\s+(?:it|them)\s+to|location|place")
_SAID_OF = {
    "change_order_payment": re.compile(r"\b(?:pay\w*|card|paypal|pay\s*pal|visa|master\s*card|amex|billing|method|"
                                       r"charg\w*|gift|credit|debit|bank)\b", re.I),
    "change_order_address": re.compile(r"\b(?:" + _ADDRESS_SAID + r")\b", re.I),
    "change_default_address": re.compile(r"\b(?:" + _ADDRESS_SAID + r"|account|profile|default|on\s+file)\b", re.I),
}


def unsaid(label: str, text: str) -> bool:
    """True when `text` names nothing of what the task `label` changes (a payment, an address)."""
    said = _SAID_OF.get(label)
    return said is not None and said.search(text) is None
