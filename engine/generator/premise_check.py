"""A premise the shopper states that the knowledge contradicts, corrected before what they ask is answered.

"Since refunds to a gift card take 5-7 business days, should I rather cancel with my credit card?": the question
asks about the credit card, and the fact that answers it ("... a credit card ... takes 5 to 7 business days") leaves
the false premise standing, read as confirmed. A premise stating a time for one payment method or order status is
checked against the facts about that same thing; when every one of them states another time, the one that answers the
premise best is quoted first ("Refunds to a gift card are immediate.").
"""
from __future__ import annotations

import re

from engine.knowledge.subjects import entities, entity_class

from .decisive import PREMISE
from .fact_text import Fact, values

_LEAD = re.compile(r"^\s*(because|since)\s+", re.I)


def premises(question: str) -> list[str]:
    """What the question states before what it asks: "since X, ..." / "because X, ..." / "X, so ..."."""
    out = []
    for m in PREMISE.finditer(question):
        said = m.group()
        out.append(_LEAD.sub("", said).strip(" ,") if _LEAD.match(said) else question[:m.start()].strip(" ,"))
    return [p for p in out if p]


def _durations(vals: set[str]) -> set[str]:
    return {v for v in vals if v.startswith("dur:")}


def corrected_premise(checker, question: str, facts: list[Fact]) -> Fact | None:
    """The fact a stated time contradicts (see the module docstring); None when no premise states one, a fact
    states the same time for the same thing, or no fact about that thing states a time."""
    for premise in premises(question):
        said = _durations(values(premise))
        subject = {e for e in entities(premise) if entity_class(e) in ("payment", "status")}
        if not said or not subject:
            continue
        about = [f for f in facts if subject <= f.entities and _durations(f.values)]
        if not about or any(_durations(f.values) & said for f in about):
            continue
        return checker.best_fact(premise, about) or min(about, key=lambda f: len(f.entities))
    return None
