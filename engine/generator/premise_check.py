"""A premise the shopper states that the knowledge contradicts, corrected before what they ask is answered.

"Since refunds to a gift card take 5-7 business days, should I rather cancel with my credit card?": the question
asks about the credit card, and the fact that answers it ("... a credit card ... takes 5 to 7 business days") leaves
the false premise standing, read as confirmed. A premise stating a time for one payment method or order status is
checked against the facts about that same thing; when every one of them states another time, the one that answers the
premise best is quoted first ("Refunds to a gift card are immediate."). So is a premise allowing (or forbidding) an
action for an order status when every fact naming both says the opposite ("since processed orders can still be
cancelled, ...": "A processed order cannot be cancelled, ..."); a rule with "only" ("only while it is pending") is
left to the answer, which reads it for every status.
"""
from __future__ import annotations

import re

from engine.knowledge.subjects import acts, entities, entity_class

from .decisive import AFTER_STEP, PREMISE
from .fact_text import Fact, negative, values

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


# the old item kept after an exchange or a return ("so I keep the old watch and get the new one too")
_KEEPS_OLD = re.compile(r"\bkeep(?:ing)?\s+(?:both|the\s+(?:old|original|first)\b|my\s+(?:old|original)\b|(?:it|them)\s+"
                        r"(?:too|as\s+well|anyway)\b|the\s+(?:old\s+)?\w+\s+and\s+(?:get|have)\b)", re.I)


def kept_old(question: str, facts: list[Fact]) -> Fact | None:
    """"I'll exchange the watch, so I keep the old one and get the new one too": the rule that the items go back
    (the email explaining how to return them), of the action named; None when nothing kept is said."""
    kept = _KEEPS_OLD.search(question)
    if kept is None or negative(kept.group(0)):
        return None
    action = next((a for a in ("exchange", "return") if a in entities(question)), None)
    back = [f for f in facts if action and action in f.entities and "email" in f.entities
            and re.search(r"\b(?:return|send)\w*\b[^.]*\b(?:items?|back)\b", f.text, re.I)]
    return min(back, key=lambda f: len(f.entities) - (action in acts(f.text))) if back else None


def corrected_premise(checker, question: str, facts: list[Fact]) -> Fact | None:
    """The fact a stated time or permission contradicts (see the module docstring); None when no premise states
    one, or a fact about the same thing agrees with it."""
    for premise in premises(question):
        found = _other_time(checker, premise, facts) or _other_polarity(checker, premise, facts)
        if found is not None:
            return found
    return None


def _other_time(checker, premise: str, facts: list[Fact]) -> Fact | None:
    """"refunds to a gift card take 5-7 business days": every fact on gift-card refunds states another time."""
    said = _durations(values(premise))
    subject = {e for e in entities(premise) if entity_class(e) in ("payment", "status")}
    if not said or not subject:
        return None
    about = [f for f in facts if subject <= f.entities and _durations(f.values)]
    if not about or any(_durations(f.values) & said for f in about):
        return None
    return checker.best_fact(premise, about) or min(about, key=lambda f: len(f.entities))


def _other_polarity(checker, premise: str, facts: list[Fact]) -> Fact | None:
    """"since processed orders can still be cancelled": a fact says that action cannot be done for that status
    ("A processed order cannot be cancelled, ...") and none says it can (a rule after a step, "After its items are
    changed, ...", holds only after it and decides neither way)."""
    if negative(premise):
        return None
    ents = entities(premise)
    statuses = {e for e in ents if entity_class(e) == "status"}
    actions = {e for e in ents if entity_class(e) == "action"} - {"refund"}
    if not statuses or len(actions) != 1:
        return None
    plain = [f for f in facts if not AFTER_STEP.match(f.text) and statuses <= f.entities]

    def says(f: Fact, no: bool) -> bool:  # a clause of `f` saying (or denying) the action for the status
        return any(negative(c) == no and actions <= acts(c) and statuses <= entities(c) for c in _clauses(f.text))
    cannot, can = [f for f in plain if says(f, True)], [f for f in plain if says(f, False)]
    return (checker.best_fact(premise, cannot) or cannot[0]) if cannot and not can else None


def _clauses(text: str) -> list[str]:
    """A fact's clauses ("..., and you do not have to send back all of them"), not the items of its lists."""
    return [c for c in re.split(r"[;:]\s+|,\s+(?:and|but)\s+|\s+but\s+", text) if c.strip()]
