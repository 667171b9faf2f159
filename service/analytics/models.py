"""Response bodies of the analytics endpoints (they make /openapi.json)."""
from __future__ import annotations

from pydantic import BaseModel, Field


class TaskCounts(BaseModel):
    started: int
    done: int
    cancelled: int
    handed_off: int
    abandoned: int
    failed: int
    open: int = Field(description="still running, last message younger than abandon_minutes")


class Csat(BaseModel):
    ratings: int
    mean: float | None = Field(description="mean of the 1-5 ratings")
    satisfied_share: float | None = Field(description="share of ratings that are 4 or 5")


class Thumbs(BaseModel):
    up: int
    down: int
    up_share: float | None


class Latency(BaseModel):
    turns: int
    p50: float | None
    p95: float | None


class LatencyFigures(BaseModel):
    scripted: Latency
    generated: Latency


class DayFigures(BaseModel):
    day: str
    turns: int
    tasks_started: int
    tasks_done: int
    containment_rate: float | None
    fallback_rate: float | None
    csat_mean: float | None
    ratings: int


class Summary(BaseModel):
    flow: str | None = None
    start: str | None = Field(None, description="first day (UTC, inclusive)")
    end: str | None = Field(None, description="last day (UTC, inclusive)")
    turns: int
    conversations_with_tasks: int
    tasks: TaskCounts
    containment_rate: float | None = Field(description="tasks done without a person / tasks ended")
    fallback_rate: float | None
    low_confidence_rate: float | None
    clarification_rate: float | None
    repair_rate: float | None
    handoff_rate: float | None
    median_messages_per_finished_task: float | None
    csat: Csat
    thumbs: Thumbs
    latency_ms: LatencyFigures
    by_day: list[DayFigures] = Field(default_factory=list)


class FunnelStage(BaseModel):
    stage: str = Field(description="started, a collect or confirm step id, confirmed, done")
    title: str
    reached: int = Field(description="tasks that reached this stage")
    cancelled: int = Field(description="tasks cancelled while this was their last stage")
    handed_off: int
    abandoned: int
    failed: int
    open: int
    policy_failed: int = Field(description="answers refused by the slot's policy check at this stage")


class Funnel(BaseModel):
    flow: str
    title: str
    started: int
    done: int
    completion_rate: float | None
    stages: list[FunnelStage]
