"""What voice typing and hurried typing do to a shop message, undone before anything reads it.

Speech-to-text spells an order number digit by digit ("w 3 9 3 1 7 0 3", "hashtag W3931703") and hears a
task verb as a real word ("council my order"). Every rule downstream knows an order number as "#W" and seven
digits, and the router's speller never touches real words ("council" is one), so the message read as no
order and no task; a thumb in a hurry cuts the verb short ("chg", "cncl") or the noun ("addr"), and a literal
translation keeps another language's word ("annulate my command" for cancel my order). Only these
shapes are rewritten: digits joined only after a lone "w" and only seven of
them; a misheard verb only before the thing it acts on. Plain regexes: importable without torch.
"""
from __future__ import annotations

import re

# "w 3 9 3 1 7 0 3", "W-393-1703", "hashtag w3931703", "number W 3931703" -> "#W3931703"
_SPELLED = re.compile(r"(?:\bhash\s*tag\s*|#\s*)?(?<![A-Za-z0-9])[wW]\s*[-#]?\s*(\d(?:[\s-]?\d){6})(?!\s?-?\d)")
# task verbs heard as other words, or cut short by a hurried thumb, said before what they act on ("council my
# order", "truck my package", "chg W4096800 keyboard to clicky", "cncl my order")
_OBJECT = r"(?=\s+(?:my|the|this|that|these|those|our|an?|it|them|order|#|w\d{7}\b))"
_MISHEARD = (
    (re.compile(r"\b(?:council|counsel|cancell|cncl|canc)" + _OBJECT, re.I), "cancel"),
    (re.compile(r"\b(?:chg|chng|chnge|chang)" + _OBJECT, re.I), "change"),  # "chg" alone may be a charge
    (re.compile(r"\b(?:truck)" + r"(?=\s+(?:my|the|this|that|our)\s+(?:order|package|parcel|delivery|shipment)\b)",
                re.I), "track"),
    # a literal translation ("annuler la commande", "anular el pedido"): "I want annulate my command W5158064"
    (re.compile(r"\b(?:annul(?:ate|ar|er|l)?|anular|annullare)" + _OBJECT, re.I), "cancel"),
    (re.compile(r"\b(my|the|this|that|our|your)\s+(?:command|commande|comanda|pedido)\b(?!\s+(?:line|prompt|key))", re.I), r"\1 order"),
    (re.compile(r"\b(my|the|new|delivery|shipping)\s+direction\b(?!\s+of\b)", re.I), r"\1 address"),
)
# Shop-chat abbreviations with one meaning here, written out wherever they stand (whole words); the router's
# speller writes them out too (engine/router/spelling.py): one edit away they read as other words ("addr" -> "add")
ABBREVIATIONS: dict[str, str] = {
    "addr": "address", "addy": "address", "adr": "address", "acct": "account",
    "pmt": "payment", "pymt": "payment", "paymt": "payment", "pkg": "package", "pkgs": "packages",
    "cxl": "cancel", "canx": "cancel", "rtn": "return", "exch": "exchange", "xchange": "exchange",
    "recd": "received", "rcvd": "received", "shpd": "shipped", "deliv": "delivery",
}
_ABBREVIATED = re.compile(r"(?<![\w'/#-])(" + "|".join(ABBREVIATIONS) + r")(?![\w'/-])", re.I)


def _joined(m: re.Match[str]) -> str:
    said = m.group(0)
    return said if re.fullmatch(r"#?[wW]\d{7}", said) else "#W" + re.sub(r"\D", "", m.group(1))


def as_meant(text: str) -> str:
    """`text` with spelled-out order numbers joined, misheard task verbs restored and shop abbreviations written
    out; otherwise unchanged."""
    out = _SPELLED.sub(_joined, text)
    for pattern, verb in _MISHEARD:
        out = pattern.sub(verb, out)
    return _ABBREVIATED.sub(lambda m: ABBREVIATIONS[m.group(1).lower()], out)
