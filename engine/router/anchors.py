"""Shop anchors: a message that names this shop's things is not a bank's or a general assistant's.

Most fallback examples come from BANKING77 and CLINC150, grouped into a few broad topics. Their words
overlap the shop's tasks ("refund", "payment", "card", "delivered", "where is my ..."), and a broad topic
out-scores a flow on short or story-shaped openings: "return an item", "refund for an item i received",
"do I have any orders that haven't been delivered?" went to BANKING77's topics. When the message names
something of this shop (an order id, an order or item word, a product of the catalogue), those topics are
discounted by `Settings.shop_anchor_discount` before the decision; the shop's own fallback topics (rules
questions, unsupported requests, Bitext's) keep their weight, so questions about the shop stay questions.
Measured on the public sets: CLINC fallback recall and BANKING77 into a flow unchanged (docs/router.md).

The mirror, bank anchors: a message that names a bank's things (a top-up, an ATM, a PIN, an exchange rate, a
transfer of money) and nothing of this shop is not a shop task, however task-shaped ("The top-up is broken."
read as a return): the intents are discounted by `Settings.bank_anchor_discount`. No flow example and no
flow-labelled development message names a bank's thing without naming the shop's.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

CATALOGUE = Path(__file__).resolve().parents[1] / "store" / "seed" / "products.json"
EXTERNAL = ("fallback:banking77", "fallback:clinc150")  # topics of the public data sets (build_intents.TOPICS)
_WORDS = (r"orders?|ordered|items?|package|parcel|purchase[ds]?|bought|pending|delivered|shipped|"
          r"delivery|shipment")


_BANK = (r"top[- ]?ups?|top(?:ped|ping) up|atms?|cash machine|cash withdrawals?|withdraw(?:al|als|n|ing)?|"
         r"exchange rates?|beneficiar(?:y|ies)|direct debits?|(?:virtual|disposable|physical|spare) cards?|"
         r"contactless|passcode|pin|fiat|crypto(?:currency)?|sepa|swift|iban|bank transfers?|cheques?|"
         r"source of funds|transfer(?:red|ring)? (?:money|funds|cash)")
BANK_ANCHOR = re.compile(rf"\b(?:{_BANK})\b", re.I)


@lru_cache(maxsize=1)
def shop_anchor() -> re.Pattern[str]:
    """Order ids, order and item words, and the catalogue's product names (whole and by their last word:
    "Electric Kettle", "kettle")."""
    names: set[str] = set()
    try:
        for prod in json.loads(CATALOGUE.read_text()).values():
            names |= {prod["name"].lower(), prod["name"].split()[-1].lower()}
    except (OSError, ValueError, KeyError, AttributeError):
        names = set()  # no catalogue: order words and ids still anchor
    products = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"#?\s?\bw?\s?\d{7}\b|\b(?:" + _WORDS + (f"|{products}" if products else "") + r")s?\b", re.I)


def external_mask(classes: Sequence[str]) -> np.ndarray:
    """True for the classes that are topics of the public data sets."""
    return np.array([c.startswith(EXTERNAL) for c in classes])


def discount_external(text: str, pc: np.ndarray, external: np.ndarray, factor: float) -> np.ndarray:
    """`pc` (class probabilities) with the public data sets' topics weighed by `factor` when one of them
    leads and the message names something of this shop; unchanged otherwise."""
    if factor >= 1.0 or not external[int(pc.argmax())] or not shop_anchor().search(text[:1000]):
        return pc
    return _weighed(pc, external, factor)


def intent_mask(classes: Sequence[str]) -> np.ndarray:
    """True for the shop's intents (flows, chit-chat, repair), False for every fallback topic."""
    return np.array([not c.startswith("fallback") for c in classes])


def discount_intents(text: str, pc: np.ndarray, intents: np.ndarray, factor: float) -> np.ndarray:
    """`pc` with the shop's intents weighed by `factor` when an intent leads and the message names a bank's
    thing and nothing of the shop; unchanged otherwise."""
    head = text[:1000]
    if factor >= 1.0 or not intents[int(pc.argmax())] or not BANK_ANCHOR.search(head) or shop_anchor().search(head):
        return pc
    return _weighed(pc, intents, factor)


def _weighed(pc: np.ndarray, mask: np.ndarray, factor: float) -> np.ndarray:
    """`pc` with the classes of `mask` weighed by `factor`, summing to 1 again."""
    q = np.where(mask, pc * factor, pc)
    return q / q.sum()
