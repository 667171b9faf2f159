"""Commands from a trigger: a button pressed or a Rasa-style `/intent{...}` payload, decided without reading text.

A task's button pressed while that task runs (one the bot offered beside an answer) is no new task: the task
goes on and its open question is asked again, rather than the press being taken as an answer to it.
"""
from __future__ import annotations

from typing import Any

from . import commands as c
from .context import TurnContext


def from_trigger(ctx: TurnContext, intent: str, slots: dict[str, Any]) -> list[c.Command]:
    simple = {"affirm": c.Affirm(), "deny": c.Deny(), "cancel": c.CancelFlow(), "start_over": c.StartOver()}
    if intent in ("affirm", "deny") and (ctx.state.top is None or ctx.state.top.waiting is None):
        return [c.RunPattern("pattern_unknown_intent", {"error": "nothing is waiting for a yes or no"})]
    if intent in simple:
        return [simple[intent]]
    if intent == "handoff":
        return [c.Handoff(reason="shopper pressed the handoff button")]
    if intent == "inform":
        return [c.SetSlots(slots, source="button")]
    if intent == "reask":
        return [c.Reask(str(slots.get("slot") or ""))]
    if intent in ("help", "greet", "goodbye"):
        return [c.RunPattern(f"pattern_{intent}")]
    flow = ctx.flows.by_intent(intent)
    if flow is None or flow.pattern:
        return [c.RunPattern("pattern_unknown_intent", {"error": f"unknown intent {intent!r}"})]
    if not slots and any(f.flow_id == flow.id for f in ctx.state.stack):
        return [c.Continue(f"Yes, that's what we're doing: {flow.display}.")]
    return [c.StartFlow(flow.id, slots=slots, source="trigger")]
