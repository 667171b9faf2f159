"""The figures: summary, per-flow funnels and per-day series, from the derived rows, filtered by
flow and by day (UTC, inclusive). Every rate says its numerator and denominator in docs/analytics.md;
percentiles are linear interpolation between ranks (numpy's default)."""
from __future__ import annotations

import csv
import io
import json
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from service.analytics import derive as d
from service.analytics.models import (Csat, DayFigures, Funnel, FunnelStage, Latency, LatencyFigures, Summary,
                                      TaskCounts, Thumbs)

ENDED = ("done", "cancelled", "handed_off", "abandoned", "failed")


@dataclass(frozen=True)
class Filter:
    flow: str | None = None
    start: str | None = None  # YYYY-MM-DD, inclusive
    end: str | None = None

    def where(self, flow_column: str | None = "flow") -> tuple[str, list]:
        parts, params = [], []
        if self.start:
            parts.append("day >= ?")
            params.append(self.start)
        if self.end:
            parts.append("day <= ?")
            params.append(self.end)
        if self.flow and flow_column:
            parts.append(f"{flow_column} = ?")
            params.append(self.flow)
        return (" WHERE " + " AND ".join(parts)) if parts else "", params


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 6) if den else None


def _pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


class Queries:
    def __init__(self, db, settings, flows):
        self.db, self.settings, self.flows = db, settings, flows

    # ---------------------------------------------------------------- rows
    def tasks(self, f: Filter, now: float | None = None) -> list[dict]:
        where, params = f.where()
        cutoff = (now or time.time()) - self.settings.abandon_minutes * 60
        rows = self.db.query("SELECT conv_id, n, flow, day, last_ts, outcome, stage, reached, messages, policy_failed "
                             "FROM an_tasks" + where, params)
        out = []
        for conv_id, n, flow, day, last_ts, outcome, stage, reached, messages, policy in rows:
            if outcome == "open" and last_ts < cutoff:
                outcome = "abandoned"
            out.append({"conv_id": conv_id, "n": n, "flow": flow, "day": day, "outcome": outcome, "stage": stage,
                        "reached": json.loads(reached), "messages": messages, "policy_failed": json.loads(policy)})
        return out

    def turns(self, f: Filter) -> list[tuple]:
        where, params = f.where()
        return self.db.query("SELECT day, typed, fallback, low_confidence, clarification, repair, handoff, generated, "
                             "latency_ms FROM an_turns" + where, params)

    def feedback(self, f: Filter) -> list[tuple]:
        where, params = f.where()
        return self.db.query("SELECT day, rating, thumb FROM an_feedback" + where, params)

    # ---------------------------------------------------------------- figures
    def summary(self, f: Filter, now: float | None = None) -> Summary:
        tasks, turns, feedback = self.tasks(f, now), self.turns(f), self.feedback(f)
        outcomes = Counter(t["outcome"] for t in tasks)
        contained = sum(1 for t in tasks if t["outcome"] == "done" and t["flow"] != d.HANDOFF_FLOW)
        ended = sum(outcomes[o] for o in ENDED)
        finished = [t["messages"] for t in tasks if t["outcome"] == "done" and t["flow"] != d.HANDOFF_FLOW]
        n = len(turns)
        col = lambda i: sum(r[i] for r in turns)  # noqa: E731
        convs = len({t["conv_id"] for t in tasks})
        return Summary(
            flow=f.flow, start=f.start, end=f.end, turns=n, conversations_with_tasks=convs,
            tasks=TaskCounts(started=len(tasks), **{o: outcomes[o] for o in (*ENDED, "open")}),
            containment_rate=_rate(contained, ended), fallback_rate=_rate(col(2), n),
            low_confidence_rate=_rate(col(3), n), clarification_rate=_rate(col(4), n), repair_rate=_rate(col(5), n),
            handoff_rate=_rate(col(6), n),
            median_messages_per_finished_task=statistics.median(finished) if finished else None,
            csat=_csat([r[1] for r in feedback if r[1] is not None]), thumbs=_thumbs([r[2] for r in feedback]),
            latency_ms=LatencyFigures(scripted=_latency([r[8] for r in turns if not r[7] and r[8] is not None]),
                                      generated=_latency([r[8] for r in turns if r[7] and r[8] is not None])),
            by_day=self.by_day(f, tasks, turns, feedback))

    def by_day(self, f: Filter, tasks=None, turns=None, feedback=None) -> list[DayFigures]:
        tasks = self.tasks(f) if tasks is None else tasks
        turns = self.turns(f) if turns is None else turns
        feedback = self.feedback(f) if feedback is None else feedback
        days = sorted({t["day"] for t in tasks} | {r[0] for r in turns} | {r[0] for r in feedback})
        t_by, r_by, f_by = defaultdict(list), defaultdict(list), defaultdict(list)
        for t in tasks:
            t_by[t["day"]].append(t)
        for r in turns:
            r_by[r[0]].append(r)
        for r in feedback:
            f_by[r[0]].append(r)
        out = []
        for day in days:
            ts, rs = t_by[day], r_by[day]
            ended = sum(1 for t in ts if t["outcome"] in ENDED)
            done = sum(1 for t in ts if t["outcome"] == "done" and t["flow"] != d.HANDOFF_FLOW)
            ratings = [r[1] for r in f_by[day] if r[1] is not None]
            out.append(DayFigures(day=day, turns=len(rs), tasks_started=len(ts), tasks_done=done,
                                  containment_rate=_rate(done, ended),
                                  fallback_rate=_rate(sum(r[2] for r in rs), len(rs)),
                                  csat_mean=round(statistics.fmean(ratings), 4) if ratings else None,
                                  ratings=len(ratings)))
        return out

    def funnels(self, f: Filter, now: float | None = None) -> list[Funnel]:
        tasks = self.tasks(f, now)
        by_flow: dict[str, list[dict]] = defaultdict(list)
        for t in tasks:
            by_flow[t["flow"]].append(t)
        flows = getattr(self.flows, "flows", {})
        out = []
        for flow_id in sorted(by_flow if not f.flow else [f.flow]):
            rows = by_flow.get(flow_id, [])
            flow = flows.get(flow_id)
            stages = d.funnel_stages(flow) if flow is not None else ["started", "done"]
            titles = d.stage_titles(flow) if flow is not None else {}
            extra = [s for t in rows for s in t["reached"] if s not in stages]  # stages of an older flow version
            stages += list(dict.fromkeys(extra))
            built = []
            for stage in stages:
                at = [t for t in rows if t["stage"] == stage]
                built.append(FunnelStage(
                    stage=stage, title=titles.get(stage, stage), reached=sum(1 for t in rows if stage in t["reached"]),
                    cancelled=sum(1 for t in at if t["outcome"] == "cancelled"),
                    handed_off=sum(1 for t in at if t["outcome"] == "handed_off"),
                    abandoned=sum(1 for t in at if t["outcome"] == "abandoned"),
                    failed=sum(1 for t in at if t["outcome"] == "failed"),
                    open=sum(1 for t in at if t["outcome"] == "open"),
                    policy_failed=sum(t["policy_failed"].get(stage, 0) for t in rows)))
            started = len(rows)
            done = sum(1 for t in rows if "done" in t["reached"])
            out.append(Funnel(flow=flow_id, title=flow.display if flow is not None else flow_id, started=started,
                              done=done, completion_rate=_rate(done, started), stages=built))
        return out

    # ---------------------------------------------------------------- CSV
    def csv(self, f: Filter, kind: str) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        if kind == "days":
            w.writerow(list(DayFigures.model_fields))
            for row in self.summary(f).by_day:
                w.writerow([_cell(v) for v in row.model_dump().values()])
        elif kind == "funnels":
            w.writerow(["flow", *FunnelStage.model_fields])
            for funnel in self.funnels(f):
                for s in funnel.stages:
                    w.writerow([funnel.flow, *(_cell(v) for v in s.model_dump().values())])
        else:  # tasks
            w.writerow(["conversation_id", "n", "flow", "day", "outcome", "stage", "messages"])
            for t in self.tasks(f):
                w.writerow([t["conv_id"], t["n"], t["flow"], t["day"], t["outcome"], t["stage"], t["messages"]])
        return buf.getvalue()


def _cell(v):
    return "" if v is None else v


def _csat(ratings: list[int]) -> Csat:
    return Csat(ratings=len(ratings), mean=round(statistics.fmean(ratings), 4) if ratings else None,
                satisfied_share=_rate(sum(1 for r in ratings if r >= 4), len(ratings)))


def _thumbs(values: list[int | None]) -> Thumbs:
    up, down = sum(1 for v in values if v == 1), sum(1 for v in values if v == -1)
    return Thumbs(up=up, down=down, up_share=_rate(up, up + down))


def _latency(values: list[float]) -> Latency:
    return Latency(turns=len(values), p50=_pct(values, 50), p95=_pct(values, 95))
