"""An opening that names a thing the shopper has and the option they want instead, without naming the task:
"these running shoes in 8 pinch my toes so bad, need them in a 9", "XXL tee is basically a dress on me, got it
last week, can it be an M", "picked 32GB by mistake. It hasn't shipped. He needs the 128GB."

The router hears a story (fallback) or a purchase (a product and an option). What the shopper says about the
thing decides the task: it came (it fits badly, it arrived, they got it) - an exchange of a delivered order; it
has not shipped - a change of a pending order's items. With neither said, both tasks are offered. A message that
names another task (a return, a refund, a cancellation) is left to the router.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..refusals import unrefused
from ..slots.extract import SEED_PRODUCTS as CATALOGUE
from .follow_up import SWAP_FLOWS
from .task_words import naming_other_than

# the catalogue's option values that are no everyday word ("wireless", "over-ear", "stainless steel"): "came the
# headphones wired but I want the wireless ones"
_EVERYDAY = frozenset({"yes", "no", "none", "full", "half", "fresh", "standard", "basic", "custom", "fixed", "plain",
                       "art", "battery", "camera", "laptop", "men", "women", "high", "low", "light", "dark"})


def _catalogue_values() -> str:
    try:
        products = json.loads(CATALOGUE.read_text()).values()
        values = {v.lower() for p in products for var in p["variants"].values() for v in var["options"].values()}
    except (OSError, ValueError, KeyError, AttributeError):
        values = set()  # no catalogue: the everyday sizes and colours below still read
    words = sorted((v for v in values if len(v) > 2 and v not in _EVERYDAY and re.search(r"[a-z]", v)),
                   key=len, reverse=True)
    return "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in words)


# an option value as people say it: a clothing size, a shoe size, a capacity or size with its unit, a colour, or
# one of the catalogue's
_VALUE = (r"(?:x{0,3}s|m|x{0,3}l|\d{1,2}(?:\.5)?|\d+\s?(?:gb|tb|mah|inch(?:es)?|in|mp|w|ft|l|oz|mm|cm)|small|"
          r"medium|large|smaller|bigger|larger|black|white|blue|red|green|grey|gray|silver|gold|pink|purple|yellow|"
          r"orange|brown|beige|navy" + (f"|{_catalogue_values()}" if _catalogue_values() else "") + r")(?![\w'-])")
_THEM = r"(?:it|them|one|ones|that|those|these|this|he|she|they)"
_WISH = re.compile(
    r"\b(?:need\w*|want\w*|like|prefer\w*|get|swap\w*|switch\w*|exchange\w*|go\s+for)\s+(?:" + _THEM + r"\s+)?"
    r"(?:in(?:to)?\s+|for\s+|to\s+)?(?:an?\s+|the\s+|size\s+|a\s+size\s+)+" + _VALUE +
    r"|\b(?:need\w*|want\w*|like|prefer\w*)\s+" + _THEM + r"\s+in\s+(?:an?\s+|size\s+)?" + _VALUE +
    r"|\b(?:can|could)\s+(?:it|they|i\s+get\s+(?:it|them))\s+(?:be\s+)?(?:in\s+)?(?:an?\s+|the\s+|size\s+)?" + _VALUE +
    # "a size up would be great", "get me an L in its place", "I'd rather have the natural rubber one"
    r"|\b(?:a|one)\s+size\s+(?:up|down|bigger|smaller|larger)\b|\bget\s+me\s+(?:an?\s+|the\s+|size\s+)+" + _VALUE +
    r"|\b(?:rather\s+have|prefer|want|need)\s+the\s+(?:[\w-]+\s+){1,2}one\b"
    # "I'd like a replacement unit of the same one", "would a metal strap be possible?", "wrong size"
    r"|\ba\s+replacement\b|\b(?:the\s+)?same\s+one\s+again\b"
    r"|\bwould\s+(?:an?|the)\s+(?:[\w-]+\s+){1,2}be\s+(?:possible|ok(?:ay)?|an\s+option)\b"
    r"|\bwrong\s+(?:size|colou?r)\b"
    r"|\b(?:another|a\s+different|other)\s+(?:size|colou?r)\b",  # "not a refund, I want another size"
    re.I)
# the thing is with the shopper: it came, it fits badly
_CAME = re.compile(r"^\W*got\s+(?:the|my|a|an|both)\b|\b(?:came|arrived|smell\w*|stinks?|got\s+(?:it|them|these|this|those)|(?:i|we)\s+got|received|delivered|wore|wearing|worn|"
                   r"fits?|fitting|pinch\w*|rub\w*|hurt\w*|squeez\w*|swallow\w*|drown\w*|tight|loose|too\s+(?:big|small|large|long|short|tight|loose)|"
                   r"basically\s+a|on\s+me|shr[au]nk|wash(?:ed)?|rash|itch\w*|crackl\w*|faulty|defective|broke|broken|leak\w*|"
                   r"cracked|damaged|dented|scratched|stopped\s+working|(?:does|do)n'?t\s+work|not\s+working|"
                   r"too\s+(?:bright|dim|loud|quiet|heavy|slippery|stiff|soft|hard|narrow|wide))\b", re.I)
# the order has not gone out yet
NOT_SHIPPED = re.compile(r"\b(?:hasn'?t|has\s+not|haven'?t|have\s+not|isn'?t|is\s+not|not)\s+(?:yet\s+)?(?:been\s+)?"
                          r"(?:shipped|sent|dispatched|gone\s+out|left)\b|\bnot\s+(?:shipped|sent)\s+yet\b|"
                          r"\bstill\s+pending\b|\bit'?s\s+pending\b", re.I)
# another task named: the router's to read
_OTHER_TASK = naming_other_than("buy", "exchange")

# with no status said, the thing must be the shopper's or a change be asked: "I like the blue one more" is neither
_THEIRS = re.compile(r"\b(?:these|those|my|mine|our|his|her|instead|rather|swap\w*|switch\w*|exchange\w*|change\w*|"
                     r"wrong\s+(?:size|colou?r))\b|"
                     r"#\s?w\d{5,}|\bw\d{7}\b", re.I)

EXCHANGE, CHANGE = SWAP_FLOWS["delivered"], SWAP_FLOWS["pending"]


@dataclass(frozen=True)
class OptionWish:
    """The task(s) an option wished for a thing of the shopper's asks for, and the words that said it."""

    intents: tuple[str, ...]  # one: start it; two: offer both
    wish: str
    status: str               # "came", "not shipped" or "" (not said)


def option_wish(text: str, label: str) -> OptionWish | None:
    """The change an opening asks for by naming an option for a thing the shopper has (None: not such a
    message). `label` is the router's: a purchase is only overruled when the message says the order is
    the shopper's (it came, or it has not shipped)."""
    wish = _WISH.search(text)
    if wish is None or _OTHER_TASK.search(unrefused(text)):  # "I want an L. And no, I do NOT want a refund."
        return None
    came, pending = _CAME.search(text), NOT_SHIPPED.search(text)
    if pending:
        return OptionWish((CHANGE,), wish.group(0), "not shipped")
    if came:
        return OptionWish((EXCHANGE,), wish.group(0), "came")
    if label == "checkout" or not _THEIRS.search(text):
        return None
    return OptionWish((EXCHANGE, CHANGE), wish.group(0), "")


# "return the e-reader and get the cellular one instead", "return my jacket for a bigger size": a swap said with
# "return" (no refund wanted)
_RETURN_FOR = re.compile(
    r"\breturn\w*\b[^.?!]{1,60}?\b(?:and\s+(?:get|have|take|order|receive)\b[^.?!]{1,40}?\binstead\b"
    r"|for\s+(?:a|an|the)\s+(?:bigger|smaller|larger|different|another|other)\s+(?:size|colou?r|one|model|version)\b"
    r"|in\s+exchange\s+for\b)", re.I)
_REFUND = re.compile(r"\b(?:refund\w*|money\s+back|credit|reimburs\w*)\b", re.I)


def return_for_another(text: str) -> OptionWish | None:
    """A "return" that asks for another option of the thing instead of the money: the swap its order's status
    allows (a pending order said: its items changed; otherwise an exchange). None: not such a message."""
    m = _RETURN_FOR.search(text)
    if m is None or _REFUND.search(text):
        return None
    status = "not shipped" if NOT_SHIPPED.search(text) or re.search(r"\bpending\b", text, re.I) else ""
    return OptionWish((CHANGE,) if status else (EXCHANGE,), m.group(0), status)

