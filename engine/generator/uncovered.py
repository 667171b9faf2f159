"""A specific thing asked about that the shop's knowledge never names: "who pays the postage on a return?".

Such a question shares its other words (return, send back, pay) with true facts about something else, and the fact
that scored best was quoted as its answer (the refund's destination for the postage). A specific thing is an entity
of class "detail" (engine/knowledge/subjects.py); when no fact of the policy or FAQ names one the question names, the
shop's information does not cover the question: the scope answer, however close the other facts' words.
"""
from __future__ import annotations

from engine.knowledge.subjects import ENTITIES

from .claims import ClaimChecker, Fact


def uncovered_details(checker: ClaimChecker, question: str, facts: list[Fact]) -> set[str]:
    """The details `question` asks about that none of `facts` (the whole knowledge) names."""
    asked = {e for e in checker._question_entities(question) if ENTITIES.get(e, ("",))[0] == "detail"}
    if not asked:
        return set()
    named = set().union(*(f.entities for f in facts)) if facts else set()
    return asked - named
