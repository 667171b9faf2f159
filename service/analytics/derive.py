"""From one conversation's stored turn records to analytics facts: tasks with their funnel stages
and outcome, per-turn flags (fallback, low confidence, clarification, repair, handoff, generated,
latency) and the review inbox's candidates, whose text is redacted here, before anything is stored.

A *task* is one run of a shopper-facing flow (`flow_started` with `called: false`, not a
`pattern_*`). Its funnel stages are `started`, each collect and confirm step of the flow (by step
id, in flow order), `confirmed` (flows with a confirm step) and `done`. Outcomes: `done`
(`flow_ended` completed), `cancelled` (`flow_cancelled`), `handed_off` (the handoff flow started
while the task was open or in the turn it closed; a handoff asked for with no task open is a task of
the handoff flow, handed off when it completes),
`failed` (too many attempts, an action that failed, a refused write, a flow error) and `open`
(still running: the queries call it `abandoned` once its last message is older than the window).
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from typing import Any

HANDOFF_FLOW = "handoff"
REPAIR_LABELS = frozenset({"cancel", "start_over", "correction", "help"})
REPAIR_EVENTS = frozenset({"slots_corrected", "slot_reasked", "flow_restarted", "declined"})
CLARIFY_EVENTS = frozenset({"slot_ambiguous", "flows_suggested"})
FAILED_REASONS = frozenset({"too_many_attempts", "action_failed", "write_refused"})
FUNNEL_KINDS = ("collect", "confirm")


def day_of(ts: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ts))


def funnel_stages(flow) -> list[str]:
    """`started`, the flow's collect and confirm step ids in order, `confirmed` (when it confirms), `done`."""
    steps = [s.id for s in flow.steps if s.kind in FUNNEL_KINDS]
    confirms = any(s.kind == "confirm" for s in flow.steps)
    return ["started", *steps, *(["confirmed"] if confirms else []), "done"]


def stage_titles(flow) -> dict[str, str]:
    """Readable names of a flow's funnel stages ("collect order_id", "confirm")."""
    out = {"started": "started", "confirmed": "confirmed", "done": "done"}
    for s in flow.steps:
        if s.kind in FUNNEL_KINDS:
            out[s.id] = f"{s.kind} {s.slot}" if s.kind == "collect" and s.slot else s.kind
    return out


@dataclass
class TaskFact:
    n: int
    flow: str
    start_ts: float
    start_seq: int
    last_ts: float
    reached: list[str] = field(default_factory=lambda: ["started"])
    outcome: str = "open"
    end_seq: int | None = None
    messages: int = 1
    policy_failed: dict[str, int] = field(default_factory=dict)

    @property
    def stage(self) -> str:
        """Where the task is (or stopped): the last stage it reached."""
        return self.reached[-1]

    def reach(self, stage: str) -> None:
        if stage not in self.reached:
            self.reached.append(stage)


@dataclass
class TurnFact:
    seq: int
    ts: float
    flow: str | None
    label: str | None
    decided_by: str | None
    confidence: float | None
    typed: bool
    fallback: bool
    low_confidence: bool
    clarification: bool
    repair: bool
    handoff: bool
    generated: bool
    latency_ms: float | None


@dataclass
class ReviewFact:
    seq: int
    ts: float
    text: str  # redacted
    reasons: list[str]
    label: str | None
    confidence: float | None
    flow: str | None


@dataclass
class ConversationFacts:
    conv_id: str
    seq: int
    first_ts: float
    last_ts: float
    tasks: list[TaskFact]
    turns: list[TurnFact]
    review: list[ReviewFact]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_task_flow(flows, flow_id: str) -> bool:
    flow = flows.flows.get(flow_id)
    return flow is not None and not flow.pattern


def _checked(flows, flow_id: str, slot: str) -> bool:
    flow = flows.flows.get(flow_id)
    return flow is not None and slot in flow.slots and bool(getattr(flow.slots[slot], "check", None))


def turn_flow(turn: dict, flows) -> str | None:
    """The task a turn belongs to: the one it finished, else the outermost shopper-facing flow on the
    stack (a sign-in runs inside the task that called it), else the active flow."""
    known = getattr(flows, "flows", {})
    for ev in reversed(turn.get("events") or ()):
        if ev.get("type") == "flow_ended" and ev.get("reason", "completed") == "completed" \
                and _is_task_flow(flows, ev.get("flow")) and not (turn.get("flow_stack") or []):
            return ev["flow"]
    stack = [f for f in turn.get("flow_stack") or () if f in known and not known[f].pattern]
    return stack[0] if stack else turn.get("active_flow")


def _collect_step(flows, flow_id: str, slot: str) -> str | None:
    """The id of the step that collects `slot` in the flow (where its policy check belongs)."""
    flow = flows.flows.get(flow_id)
    return next((s.id for s in flow.steps if s.kind == "collect" and s.slot == slot), None) if flow else None


def conversation_secrets(records: list[dict], flows) -> Any:
    """The personal values the conversation's records hold (slots, action arguments and results,
    route entities), so a review text loses "Yusuf" or "sofia_rossi_8776" as well as shapes."""
    from service import pii

    secrets = pii.Secrets()
    types = pii.slot_types(flows)
    for rec in records:
        turn = rec.get("turn") or {}
        for name, value in (turn.get("slots") or {}).items():
            pii.add_slot(secrets, name, value, types)
        for action in turn.get("actions") or ():
            pii.add_record(secrets, action.get("args"))
            pii.add_record(secrets, action.get("result"))
        pii.add_record(secrets, (turn.get("route") or {}).get("entities"))
        for ev in turn.get("events") or ():
            if ev.get("type") in ("slot_set", "slot_partial") and ev.get("slot"):
                pii.add_slot(secrets, ev["slot"], ev.get("value"), types)
    return secrets


def derive(conv_id: str, records: list[dict], flows, *, low_confidence: float = 0.5,
           thumbs_down: frozenset[int] = frozenset()) -> ConversationFacts:
    """Facts of one conversation from its turn records (oldest first). `thumbs_down`: the seqs of
    turns a shopper marked down (they join the review inbox)."""
    from service.conversations import is_trigger
    from service.redact import redact

    tasks: list[TaskFact] = []
    open_tasks: dict[str, TaskFact] = {}
    turns: list[TurnFact] = []
    review: list[ReviewFact] = []
    secrets = None
    for rec in records:
        seq, ts = int(rec["seq"]), float(rec.get("ts") or 0.0)
        turn = rec.get("turn") or {}
        events = turn.get("events") or []
        for task in open_tasks.values():
            task.messages += 1
            task.last_ts = ts
        closed_now: list[TaskFact] = []
        handoff = False

        def close(task: TaskFact, outcome: str) -> None:
            task.outcome, task.end_seq = outcome, seq
            open_tasks.pop(task.flow, None)
            closed_now.append(task)

        for ev in events:
            kind, flow_id = ev.get("type"), ev.get("flow")
            if kind == "flow_started":
                took_over = False
                if flow_id == HANDOFF_FLOW:  # a person takes over the open tasks (or one this turn closed)
                    handoff = True
                    took_over = bool(open_tasks) or any(t.outcome in ("cancelled", "failed") for t in closed_now)
                    for task in list(open_tasks.values()):
                        close(task, "handed_off")
                if not ev.get("called") and not took_over and _is_task_flow(flows, flow_id) \
                        and flow_id not in open_tasks:
                    task = TaskFact(len(tasks) + 1, flow_id, ts, seq, ts)
                    tasks.append(task)
                    open_tasks[flow_id] = task
            elif kind == "step" and flow_id in open_tasks and ev.get("kind") in FUNNEL_KINDS:
                open_tasks[flow_id].reach(ev.get("step"))
            elif kind == "confirmed" and flow_id in open_tasks:
                open_tasks[flow_id].reach("confirmed")
            elif kind == "slot_invalid" and "source" in ev:  # the validation itself (not its re-ask)
                owner = next((t for t in reversed(list(open_tasks.values()))
                              if _checked(flows, t.flow, ev.get("slot", ""))), None)
                if owner is not None:
                    stage = _collect_step(flows, owner.flow, ev["slot"]) or owner.stage
                    owner.policy_failed[stage] = owner.policy_failed.get(stage, 0) + 1
            elif kind == "flow_ended" and flow_id in open_tasks:
                reason = ev.get("reason", "completed")
                if reason == "completed":
                    task = open_tasks[flow_id]
                    task.reach("done")
                    close(task, "handed_off" if flow_id == HANDOFF_FLOW else "done")
                elif reason in FAILED_REASONS:
                    close(open_tasks[flow_id], "failed")
            elif kind == "flow_cancelled" and flow_id in open_tasks:
                close(open_tasks[flow_id], "cancelled")
            elif kind == "flow_error":
                for task in list(open_tasks.values()):
                    close(task, "failed")
        if handoff:  # "talk to a person" mid-task cancels the task first: it was handed off
            for task in closed_now:
                if task.outcome in ("cancelled", "failed"):
                    task.outcome = "handed_off"

        route = turn.get("route") or {}
        label, decided_by = route.get("label"), route.get("decided_by")
        confidence = route.get("confidence")
        types = {ev.get("type") for ev in events}
        user = rec.get("user") or ""
        typed = not is_trigger(user)
        fact = TurnFact(
            seq=seq, ts=ts, flow=(closed_now[-1].flow if closed_now else None) or turn_flow(turn, flows),
            label=label, decided_by=decided_by, confidence=confidence, typed=typed,
            fallback=label == "fallback",
            low_confidence=decided_by == "classifier" and confidence is not None and confidence < low_confidence,
            clarification=bool(types & CLARIFY_EVENTS),
            repair=label in REPAIR_LABELS or bool(types & REPAIR_EVENTS),
            handoff=handoff,
            generated="generated" in types or any(m.get("source") == "generator" for m in turn.get("messages") or ()),
            latency_ms=rec.get("engine_ms"))
        turns.append(fact)
        reasons = [name for name, on in (("fallback", fact.fallback), ("low_confidence", fact.low_confidence),
                                         ("clarification", fact.clarification), ("handoff", fact.handoff),
                                         ("repair", fact.repair), ("thumbs_down", seq in thumbs_down)) if on]
        if reasons and typed and user.strip():
            if secrets is None:
                secrets = conversation_secrets(records, flows)
            review.append(ReviewFact(seq, ts, redact(user, secrets)[:500], reasons, label, confidence, fact.flow))
    first = float(records[0].get("ts") or 0.0) if records else 0.0
    last = float(records[-1].get("ts") or 0.0) if records else 0.0
    return ConversationFacts(conv_id, int(records[-1]["seq"]) if records else 0, first, last, tasks, turns, review)


def task_row(conv_id: str, t: TaskFact) -> tuple:
    return (conv_id, t.n, t.flow, day_of(t.start_ts), t.start_ts, t.last_ts, t.start_seq, t.end_seq, t.outcome,
            t.stage, json.dumps(t.reached), t.messages, json.dumps(t.policy_failed))


def turn_row(conv_id: str, t: TurnFact) -> tuple:
    return (conv_id, t.seq, t.ts, day_of(t.ts), t.flow, t.label, t.decided_by, t.confidence, int(t.typed),
            int(t.fallback), int(t.low_confidence), int(t.clarification), int(t.repair), int(t.handoff),
            int(t.generated), t.latency_ms)
