"""Names a flow reads from another flow's slots: legal (slots live in the conversation) but empty
unless that other flow ran first, so `validate` warns where a designer most likely meant a slot of
their own flow. Slots of flows this flow calls (e.g. `user_id` from authenticate) are its own."""
from __future__ import annotations

from .analysis import CONTEXT_NAMES, name_sites, slot_name_sites
from .model import Flow
from .problems import Problem


def foreign_names(flows: list[Flow]) -> list[Problem]:
    by_id = {f.id: f for f in flows}
    owners: dict[str, list[str]] = {}
    for f in flows:
        for name in f.slots:
            owners.setdefault(name, []).append(f.id)
    out = []
    for flow in flows:
        own = set(CONTEXT_NAMES)
        for f in (flow, *(by_id[c] for c in _callees(flow, by_id))):
            own |= set(f.slots) | {s.result for s in f.steps if s.result}
        sites = [(f"step {s.id!r}", site) for s in flow.steps for site in name_sites(s)]
        sites += [(f"slot {sl.name!r}", site) for sl in flow.slots.values() for site in slot_name_sites(sl)]
        for what, (name, loc) in sites:
            slot = name.removeprefix("display.")
            if slot in owners and slot not in own:
                out.append(Problem.at(loc, f"{what} reads {slot!r}, a slot of {', '.join(owners[slot])} only; "
                                           "it is empty here unless that flow ran first",
                                      f"declare {slot!r} under this flow's `slots:`", "warning", "foreign_slot"))
    return out


def _callees(flow: Flow, by_id: dict[str, Flow]) -> set[str]:
    """Flows `flow` calls, directly or through the flows it calls."""
    seen: set[str] = set()
    todo = [flow]
    while todo:
        for step in todo.pop().steps:
            if step.kind == "call" and step.flow in by_id and step.flow not in seen:
                seen.add(step.flow)
                todo.append(by_id[step.flow])
    return seen
