"""Commands for a message that opens something when no question is open, each from one reading of it:
a follow-up to the task just finished (engine/dialogue/follow_up.py), a question about a task's rules or a
question beside a request (engine/question_decision.py). interpret.py decides when each applies."""
from __future__ import annotations

import re

from ..contracts import Route
from ..question_cues import ORDER_ID
from ..question_decision import decide, offered
from . import commands as c
from .context import TurnContext
from .follow_up import follow_up, last_task
from .openings import start_goals, task_goals
from .reading import entities_for
from .small_talk import praise_only
from .understanding import Understanding


def follow_up_commands(ctx: TurnContext, u: Understanding) -> list[c.Command] | None:
    """The task a message asks for after the last one finished (engine/dialogue/follow_up.py), started."""
    if ctx.state.user_id is None:
        return None
    after = follow_up(ctx, u.text, [e.value for e in entities_for(ctx, None, u.text) if e.type == "order_id"])
    if after is None:
        return None
    u.decide(after.flow, "follow_up", after.reason)
    kept = _same_choices(ctx, after.flow, u.text)  # "and #W2 too, same reason": the last run's reason again
    if after.order_id:  # "and the speaker?": the order just done, referred to by its item
        return [c.StartFlow(after.flow, slots={"order_id": after.order_id, **kept}, source="user")]
    return [c.StartFlow(after.flow, slots=kept, source="user")] if kept else [c.StartFlow(after.flow, source="router")]


_SAME_REASON = re.compile(r"\b(?:same|identical)\s+(?:reason|thing|as\s+(?:before|the\s+(?:first|last|other)(?:\s+one)?))\b"
                          r"|\bfor\s+the\s+same\s+reason\b", re.I)


def _same_choices(ctx: TurnContext, flow_id: str, text: str) -> dict:
    """The choice slots (a cancel reason) of the task just done again, when the message says "same reason"."""
    if not _SAME_REASON.search(text) or last_task(ctx) != flow_id:
        return {}
    flow = ctx.flows.flows[flow_id]
    return {name: ctx.state.value(name) for name, sl in flow.slots.items()
            if sl.type == "choice" and ctx.state.value(name) is not None}


def question_or_request_commands(ctx: TurnContext, u: Understanding) -> list[c.Command] | None:
    """A question about a task's rules is answered with the task's button, not started; a question
    and a request in one message get the answer, then the task (engine/question_decision.py)."""
    praised = praise_only(ctx, u)
    if praised:  # "the whole thing went great ... just wanted to say thanks for getting my bike here so quick!"
        return [c.RunPattern(praised)]
    d = decide(u.text, u.reading, u.route, lambda label: task_flow_id(ctx, label), suggestions(ctx, u.route),
               u.route_part, u.unsupported)
    if d is None:
        return None
    u.decide(d.label, d.rule, d.reason)
    if d.kind == "question":
        return [c.Fallback(u.text, suggest=d.offer)]
    if d.start:  # a question and a request, or a request placed only in its part
        answer = [c.Fallback(rule_asked(d.answer_text), d.offer, beside_task=True)] \
            if ctx.fallback and d.kind == "both" else []
        goals = [g for g in task_goals(ctx, u.goals) if g[1] not in d.answer_text]  # "... I want to return X and cancel Y"
        if len(goals) < 2 and d.goals:  # "where is #W1 and why ..., I want to speak with a supervisor"
            goals = task_goals(ctx, list(d.goals))
        if len(goals) > 1:
            return answer + start_goals(goals)
        return answer + [c.StartFlow(d.start, source="router", text=d.request_text)]
    return None  # a request: started below as the router says


def task_flow_id(ctx: TurnContext, label: str) -> str | None:
    """The task flow an intent starts (None: no flow, or a pattern, which is never offered)."""
    flow = ctx.flows.by_intent(label)
    return flow.id if flow is not None and not flow.pattern else None


def suggestions(ctx: TurnContext, route: Route) -> tuple[str, ...]:
    return offered(route, lambda label: task_flow_id(ctx, label))


_AN_ORDER = re.compile(r"(?:\b(?:my\s+)?order\s+)?(?:" + ORDER_ID.pattern + r")", re.I)


def rule_asked(question: str) -> str:
    """The rule a question beside a request asks about, without the order it names ("Can I still change the size on
    #W5918442?" -> "... on an order?"): the task beside it checks that order; the answer gives the shop's rule, and
    a question naming an order is otherwise sent to a look-up of the shopper's records."""
    return _AN_ORDER.sub("an order", question)
