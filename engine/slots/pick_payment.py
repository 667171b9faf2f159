"""Which payment method the shopper means: one named, "the original card", "my other card", "ending 7679".

A method the slot's `filter:` leaves out is explained, never swapped for another.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..flows.model import SlotDef
from . import cues
from .candidate_sets import original_method
from .candidates import Candidate, describe_method, payment_candidates
from .entities import Entity
from .outcomes import clarify, slot_answer
from .resolve import Outcome, resolve

if TYPE_CHECKING:
    from .types import SlotEnv


def pick_payment(slot: SlotDef, text: str, entities: list[Entity], env: "SlotEnv", cands: list[Candidate],
                 ordinal: int | None) -> tuple[bool, Any]:
    ids = [c.value for c in cands]
    direct = [e.value for e in entities if e.type == "payment_method" and isinstance(e.value, str)
              and e.value in ids and not cues.negated(text, max(e.start, 0))]
    if len(set(direct)) == 1:
        return True, direct[0]
    selectors = []
    original = next((i for i, c in enumerate(cands) if "original" in c.flags), None)
    if cues.ORIGINAL.search(text):
        paid = original_method(env)
        if original is None:
            user = env.user() or {}
            m = user.get("payment_methods", {}).get(paid)
            why = (f"The order was paid with {describe_method(m)}, which can't be used here."
                   if m else "I can't find how that order was paid.")
            return False, clarify(slot, env, Outcome(offered=tuple(range(len(cands))), reason=why + " Which one?"),
                               cands)
        selectors.append(("original", lambda pool: [original] if original in pool else
                          "That isn't how the order was paid."))
    ending = cues.ENDING.search(text)
    if ending:  # "my other card, the one ending 7679" with no such card: said, never "the other" one
        tail = ending.group(1)
        selectors.insert(0, ("ending", lambda pool: [
            i for i in pool if str(cands[i].fields.get("last_four") or "").endswith(tail[-4:])
            or str(cands[i].value).endswith(tail)] or f"None of your payment methods ends in {tail}. Which one?"))
    if cues.OTHER.search(text):
        chosen = env.values.get(slot.name)
        skip = {cands[original].value} if original is not None else set()
        skip |= {chosen} if chosen else set()
        selectors.append(("other", lambda pool: [i for i in pool if cands[i].value not in skip]
                          or "There is no other payment method I can use here."))
    user = env.user() or {}
    offered = {c.value for c in cands}
    others = [(c, "that one can't be used here.") for c in payment_candidates(
        list(user.get("payment_methods", {}).values()), original_method(env)) if c.value not in offered]
    outcome = resolve(text, cands, ordinal=ordinal, selectors=selectors, where="You have", others=others)
    return slot_answer(slot, env, outcome, cands)
