"""Prometheus metrics. One registry per app (tests build many apps); multi-process when
PROMETHEUS_MULTIPROC_DIR is set (`shoptalk serve --workers N` sets it)."""
from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class Metrics:
    def __init__(self):
        self.registry = CollectorRegistry()
        r = self.registry
        self.turns = Counter("shoptalk_turns", "Turns processed", ["channel"], registry=r)
        self.routes = Counter("shoptalk_routes", "Turns by route label", ["label", "decided_by"], registry=r)
        self.fallbacks = Counter("shoptalk_fallbacks", "Turns routed to fallback", registry=r)
        self.handoffs = Counter("shoptalk_handoffs", "Turns that handed off to a human", registry=r)
        self.actions = Counter("shoptalk_actions", "Store actions called", ["name", "ok"], registry=r)
        self.errors = Counter("shoptalk_errors", "Error responses by code", ["code"], registry=r)
        self.turn_seconds = Histogram("shoptalk_turn_seconds", "Engine time per turn", buckets=LATENCY_BUCKETS,
                                      registry=r)
        self.request_seconds = Histogram("shoptalk_request_seconds", "Request latency", ["route", "method"],
                                         buckets=LATENCY_BUCKETS, registry=r)
        self.tracker_seconds = Histogram("shoptalk_tracker_write_seconds", "Tracker write latency",
                                         buckets=LATENCY_BUCKETS, registry=r)

    def observe_turn(self, turn, channel: str, seconds: float) -> None:
        self.turns.labels(channel).inc()
        self.turn_seconds.observe(seconds)
        route = getattr(turn, "route", None)
        label = route.label if route else "none"
        self.routes.labels(label, route.decided_by if route else "none").inc()
        if label == "fallback":
            self.fallbacks.inc()
        names = {a.name for a in turn.actions}
        if label in ("handoff", "human_handoff", "transfer_to_human") or any(
                "transfer" in n or "handoff" in n for n in names) or turn.active_flow in ("handoff", "human_handoff"):
            self.handoffs.inc()
        for a in turn.actions:
            self.actions.labels(a.name, "true" if a.ok else "false").inc()

    def render(self) -> tuple[bytes, str]:
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
