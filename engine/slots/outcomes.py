"""From a resolver Outcome to a slot's answer: (found, value), or (False, Ambiguous) worded by `clarify:`.

Shared by pick.py and the per-type readers (pick_order, pick_payment, pick_address) so each reads
its descriptions and none words the clarifying question on its own.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..flows.model import SlotDef
from .candidates import Candidate
from .entities import Entity
from .options import narrow
from .resolve import Ambiguous, Outcome, ambiguous, titles
from .scales import table

if TYPE_CHECKING:
    from .types import SlotEnv


def ordinal_said(entities: list[Entity]) -> int | None:
    found = [e.value for e in entities if e.type == "ordinal" and isinstance(e.value, int)]
    return found[0] if found else None


def clarify(slot: SlotDef, env: "SlotEnv", outcome: Outcome, cands: list[Candidate]) -> Ambiguous:
    amb = ambiguous(outcome, cands)
    if slot.clarify is None:
        return amb
    try:
        scope = {**env.scope(), "reason": amb.reason, "options": titles(cands, list(outcome.offered)),
                 "count": len(outcome.offered)}
        return Ambiguous(slot.clarify.render(scope).strip() or amb.reason, amb.candidates)
    except Exception:  # noqa: BLE001 - fall back to the engine's own wording
        return amb


def slot_answer(slot: SlotDef, env: "SlotEnv", outcome: Outcome | None, cands: list[Candidate],
                multiple: bool = False) -> tuple[bool, Any]:
    if outcome is None:
        return False, None
    if not outcome.found:
        return False, clarify(slot, env, outcome, cands)
    values = [cands[i].value for i in outcome.picked]
    return True, (values if multiple else values[0])


def comparer(slot: SlotDef, cands: list[Candidate]):
    scales = table(slot.scales)
    return lambda text, idx: narrow(text, cands, idx, scales)
