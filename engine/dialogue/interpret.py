"""From a routed utterance to commands, given where the conversation stands.

The router says what the text *is* (an intent, a repair, an answer, an open question); this
module decides what it *does* here: the same "#W2378156" is an answer while an order id is being
asked for, and a correction when the order was already given.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..contracts import Route
from . import commands as c
from .context import TurnContext

# A flow the router ranks at least this likely, below its threshold, is offered as a button with the
# answer: a wrong button costs the shopper nothing, a wrongly started flow costs a "never mind".
SUGGEST_FLOOR = 0.2
REPAIR_LABELS = {"affirm", "deny", "cancel", "start_over", "correction", "help", "greet", "goodbye", "handoff_now"}
CORRECTION_TYPES = {"order_id", "email", "zip", "address", "payment_method", "items"}


@dataclass
class Understanding:
    """What the engine learned from one message before the state machine acts on it."""

    text: str
    route: Route
    trigger: tuple[str, dict[str, Any]] | None = None
    entities: list = field(default_factory=list)


def interpret(ctx: TurnContext, u: Understanding) -> list[c.Command]:
    top = ctx.state.top
    if u.trigger is not None:
        return _from_trigger(ctx, *u.trigger)
    label = u.route.label
    waiting = top.waiting if top else None
    if waiting == "confirm":
        yes_no = label if label in ("affirm", "deny") else _boolean(ctx, u.text)
        if yes_no == "affirm":
            return [c.Affirm()]
        if yes_no == "deny":
            return [c.Deny()]
    if label == "cancel":
        return [c.CancelFlow()]
    if label == "start_over":
        return [c.StartOver()]
    if label == "handoff":
        return [c.Handoff()]
    flow = ctx.flows.by_intent(label)
    if flow is not None and not flow.pattern:
        if top is None or not any(f.flow_id == flow.id for f in ctx.state.stack):
            if waiting != "collect" or u.route.decided_by != "slot_answer":
                return [c.StartFlow(flow.id, source="router")]
    correction = _correction(ctx, u)
    if correction:
        return [c.Correct(correction)]
    if waiting == "collect":
        if label in ("help",):
            return [c.RunPattern("pattern_help")]
        if label == "fallback" and _looks_like_question(u.text):
            return [c.Fallback(u.text)]
        return [c.Answer(u.text)]
    if waiting == "confirm":
        if _looks_like_question(u.text):
            return [c.Fallback(u.text)]
        return [c.RunPattern("pattern_confirm_unclear")]
    if label in ("affirm", "deny") and top is not None:
        return [c.Affirm() if label == "affirm" else c.Deny()]
    if label == "help":
        return [c.RunPattern("pattern_help")]
    if label in ("greet", "goodbye"):
        return [c.RunPattern(f"pattern_{label}")]
    return [c.Fallback(u.text, suggest=_suggestions(ctx, u.route) if top is None else ())]


def _suggestions(ctx: TurnContext, route: Route) -> tuple[str, ...]:
    def flow_id(label: str) -> str | None:
        flow = ctx.flows.by_intent(label)
        return flow.id if flow is not None and not flow.pattern else None

    return offered(route, flow_id)


def offered(route: Route, accept: Callable[[str], str | None], limit: int = 2) -> tuple[str, ...]:
    """What a fallback route offers as buttons: the router's top candidates with probability >=
    SUGGEST_FLOOR that `accept` maps to a flow (None: not one), in rank order, at most `limit`."""
    out: list[str] = []
    for cand in route.top:
        got = accept(cand.label) if cand.score >= SUGGEST_FLOOR else None
        if got is not None and got not in out:
            out.append(got)
    return tuple(out[:limit])


def _from_trigger(ctx: TurnContext, intent: str, slots: dict[str, Any]) -> list[c.Command]:
    simple = {"affirm": c.Affirm(), "deny": c.Deny(), "cancel": c.CancelFlow(), "start_over": c.StartOver()}
    if intent in ("affirm", "deny") and (ctx.state.top is None or ctx.state.top.waiting is None):
        return [c.RunPattern("pattern_unknown_intent", {"error": "nothing is waiting for a yes or no"})]
    if intent in simple:
        return [simple[intent]]
    if intent == "handoff":
        return [c.Handoff(reason="shopper pressed the handoff button")]
    if intent == "inform":
        return [c.SetSlots(slots, source="button")]
    if intent in ("help", "greet", "goodbye"):
        return [c.RunPattern(f"pattern_{intent}")]
    flow = ctx.flows.by_intent(intent)
    if flow is None or flow.pattern:
        return [c.RunPattern("pattern_unknown_intent", {"error": f"unknown intent {intent!r}"})]
    return [c.StartFlow(flow.id, slots=slots, source="trigger")]


def _boolean(ctx: TurnContext, text: str) -> str | None:
    """Yes/no in an answer to a confirmation, when the router did not label it affirm/deny."""
    from ..slots.entities import ExtractContext

    for e in ctx.extract(text, ExtractContext(expecting_slot="confirmation", expecting_type="boolean")):
        if e.type == "boolean":
            return "affirm" if e.value else "deny"
    return None


def looks_like_question(text: str) -> bool:
    return _looks_like_question(text)


def _looks_like_question(text: str) -> bool:
    t = text.strip().lower()
    return t.endswith("?") or t.split(" ", 1)[0] in {"what", "how", "do", "does", "can", "is", "are", "why", "when", "which", "where"}


def _correction(ctx: TurnContext, u: Understanding) -> dict[str, Any]:
    """Values that differ from slots the active flow already filled, when the shopper corrects one."""
    from .answers import entities_for

    top = next((f for f in reversed(ctx.state.stack) if not ctx.flows.flows[f.flow_id].pattern), None)
    if top is None:
        return {}
    flow = ctx.flow(top)
    asking = flow.steps[top.step].slot if top.waiting == "collect" and top is ctx.state.top else None
    filled = {n: s for n, s in flow.slots.items()
              if ctx.state.value(n) is not None and n != asking and not s.protected and s.type in CORRECTION_TYPES}
    if not filled:
        return {}
    entities = entities_for(ctx, top, u.text)
    by_type: dict[str, Any] = {}
    for e in entities:
        by_type.setdefault(e.type, e.value)
    out = {}
    for name, slot in filled.items():
        value = by_type.get(slot.type)
        # dicts are partial payment-method hints ({"source": "gift_card"}); an address is a whole value
        if value is not None and value != ctx.state.value(name) and (slot.type == "address" or not isinstance(value, dict)):
            out[name] = value
    if out and (u.route.label == "correction" or asking is None or _sounds_like_correction(u.text)):
        return out
    return {}


def _sounds_like_correction(text: str) -> bool:
    t = text.lower()
    return any(w in t for w in ("actually", "i meant", "sorry", "wrong", "not that", "instead", "change it to",
                                "no wait", "my mistake", "correction"))
