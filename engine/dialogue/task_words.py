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
