"""Prometheus counters for the analytics totals, registered in the app's registry. They move by
what each refresh newly derived (a task that reached an outcome, turns not seen before) and by each
feedback received, so they only grow. Abandonment depends on the query's window and is not a counter."""
from __future__ import annotations

from prometheus_client import Counter


class AnalyticsCounters:
    def __init__(self, registry):
        r = registry
        self.tasks = Counter("shoptalk_analytics_tasks", "Tasks by flow and outcome (done, cancelled, handed_off, "
                             "failed)", ["flow", "outcome"], registry=r)
        self.tasks_started = Counter("shoptalk_analytics_tasks_started", "Tasks started", ["flow"], registry=r)
        self.turns = Counter("shoptalk_analytics_turns", "Turns analysed", registry=r)
        self.flags = Counter("shoptalk_analytics_turn_flags", "Turns by flag (fallback, low_confidence, "
                             "clarification, repair, handoff, generated)", ["flag"], registry=r)
        self.feedback = Counter("shoptalk_feedback", "Feedback received by kind (thumb_up, thumb_down, rating_1..5, "
                                "comment)", ["kind"], registry=r)

    def moved(self, facts, before: dict[int, str], old_seq: int) -> None:
        for t in facts.tasks:
            if t.n not in before:
                self.tasks_started.labels(t.flow).inc()
            if t.outcome != "open" and before.get(t.n) != t.outcome:
                self.tasks.labels(t.flow, t.outcome).inc()
        for turn in facts.turns:
            if turn.seq <= old_seq:
                continue
            self.turns.inc()
            for flag in ("fallback", "low_confidence", "clarification", "repair", "handoff", "generated"):
                if getattr(turn, flag):
                    self.flags.labels(flag).inc()

    def received(self, thumb: int | None, rating: int | None, comment: str | None) -> None:
        if thumb is not None:
            self.feedback.labels("thumb_up" if thumb > 0 else "thumb_down").inc()
        if rating is not None:
            self.feedback.labels(f"rating_{rating}").inc()
        if comment:
            self.feedback.labels("comment").inc()
