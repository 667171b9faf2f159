"""Another option of an item the shopper has, wished for in their own words ("the same shoes one size bigger",
"I picked the wrong colour, it still says pending"): which action gets it is decided by the order's status, not by
the action the shopper happens to name or offer as an alternative ("fix that or do I have to cancel?", "do I have to
return it and buy again?").

A pending order's item is changed to another option; a delivered order's item is exchanged for one. The rule that says
so ("Each item can be exchanged for an available item of the same product with different options") decides such a
question however few words it shares with the shopper's story. When the shopper names only an action their order's
status does not allow for this ("change the size of the jacket in my delivered order"), the prohibition answers first
and the rule for the allowed action is quoted after it (quoting.py).
"""
from __future__ import annotations

from engine.knowledge.subjects import acts
from engine.knowledge.subjects import entity_class as _class

from .fact_text import Fact

# the action that gets another option of an item in each status, and the actions that status allows at all
OPTION_ACTION = {"pending": "change", "delivered": "exchange"}
ALLOWED = {"pending": {"cancel", "change"}, "delivered": {"return", "exchange"}}


def wished_action(q_ents: set[str]) -> str | None:
    """The action that gets the shopper another option of their item (None: no such wish, or no single status, or
    an action named that the status does not allow: then the prohibition answers first)."""
    statuses = {e for e in q_ents if _class(e) == "status"}
    if "other options" not in q_ents or len(statuses) != 1 or "different product" in q_ents:  # "the shirt into shoes"
        return None
    status = next(iter(statuses))
    named = {e for e in q_ents if _class(e) == "action"}
    if status not in OPTION_ACTION or not named <= ALLOWED[status]:
        return None
    return OPTION_ACTION[status]


def option_rule(q_ents: set[str], f: Fact) -> bool:
    """Whether `f` is the rule giving another option by the action the shopper's status allows."""
    wish = wished_action(q_ents)
    return wish is not None and not f.negative and wish in acts(f.text) and "other options" in f.entities


def misplaced_option_rule(q_ents: set[str], f: Fact) -> bool:
    """Whether `f` gives another option by an action the shopper's one status does not get it by ("Each item can be
    changed ..." to a delivered order's size): a rule for another status, however many words it shares."""
    statuses = {e for e in q_ents if _class(e) == "status"}
    if "other options" not in q_ents or len(statuses) != 1 or next(iter(statuses)) not in OPTION_ACTION:
        return False
    own = OPTION_ACTION[next(iter(statuses))]
    return not f.negative and "other options" in f.entities and bool(acts(f.text) & set(OPTION_ACTION.values()) - {own})


def option_companion(q_ents: set[str], best: Fact, facts: list[Fact]) -> Fact | None:
    """After a prohibition of the action the shopper named ("A delivered ... order cannot be changed"), the policy's
    rule giving another option by the action their status allows (the exchange's)."""
    allowed = forbidden_option_action(q_ents)
    if allowed is None or not best.negative:
        return None
    return next((f for f in facts if f.passage.source == "policy" and not f.negative and "other options" in f.entities
                 and allowed in acts(f.text)), None)


def forbidden_option_action(q_ents: set[str]) -> str | None:
    """The action that gets another option in the shopper's status when they named another one that status does not
    allow ("change the size ... in my delivered order": exchange); None otherwise."""
    statuses = {e for e in q_ents if _class(e) == "status"}
    # an exchange is itself the wish for another option ("can i exchange stuff from a pending order"), a change is not
    # (it may be of the address)
    if not ("other options" in q_ents or "exchange" in q_ents) or len(statuses) != 1:
        return None
    status = next(iter(statuses))
    named = {e for e in q_ents if _class(e) == "action"}
    if status not in OPTION_ACTION or not named or named <= ALLOWED[status]:
        return None
    return OPTION_ACTION[status]


def option_lead(q_ents: set[str], quoted: str, facts: list[Fact], *, yes_no: bool = False) -> str:
    """"You can exchange it for another option of the same product. " before a quote holding the option rule: the
    rule alone ("Each item can be exchanged ...") leaves the shopper to read which action it is their answer for.
    After a prohibition of the action the shopper named, which action it is instead ("No: ..., you exchange it.")."""
    allowed = forbidden_option_action(q_ents)
    if allowed is not None and any(option_companion(q_ents, f, facts) is not None and f.text in quoted for f in facts):
        status = next(e for e in q_ents if _class(e) == "status")  # "change the size of my delivered jacket, right?"
        lead = f"to get another option of an item from a {status} order, you {allowed} it. "
        return ("No: " + lead) if yes_no else lead[0].upper() + lead[1:]
    wish = wished_action(q_ents)
    if wish is None or not any(option_rule(q_ents, f) and f.text in quoted for f in facts):
        return ""
    if wish == "change":
        return "You can change it to another option of the same product while the order is pending. "
    return "You can exchange it for another option of the same product. "
