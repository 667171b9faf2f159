"""Funnel math: 510 generated conversations with known outcomes (done, cancelled, handed off and
abandoned at each step of cancel_order, a refused policy check, order status, a direct handoff,
unknown messages) through the real service; every funnel count and rate must equal the value the
scenarios imply, computed here independently of the analytics code."""
from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.service_fixtures import get_real_engine

ROOT = Path(__file__).resolve().parents[1]
KEY = {"X-API-Key": "an-secret"}
REASON = '/inform{"cancel_reason": "no longer needed"}'
ABANDON_MINUTES = 0.05  # 3 s: every unfinished task is abandoned once the run is over
C = ("started", "collect_2", "collect_4", "confirm_5", "confirmed", "done")  # cancel_order's funnel stages


def _accounts():
    orders = json.loads((ROOT / "engine/store/seed/orders.json").read_text())
    users = json.loads((ROOT / "engine/store/seed/users.json").read_text())
    by_user: dict[str, dict[str, list[str]]] = {}
    for oid, o in sorted(orders.items()):
        by_user.setdefault(o["user_id"], {"pending": [], "delivered": []}).setdefault(o["status"], []).append(oid)
    pending = [(users[u]["email"], oid) for u, d in sorted(by_user.items()) for oid in d["pending"]]
    delivered = [(users[u]["email"], d["delivered"][0]) for u, d in sorted(by_user.items()) if d.get("delivered")]
    return pending, delivered


def scenarios() -> list[dict]:
    """Each: messages, and the task it must produce (flow, reached stages, outcome) or none."""
    pending, delivered = _accounts()
    out = []
    take = iter(pending)
    for i in range(100):  # cancelled orders must be distinct pending ones
        email, oid = next(take)
        out.append({"msgs": [f'/cancel_order{{"order_id": "{oid}"}}', email, REASON, "/affirm"],
                    "task": ("cancel_order", C, "done"), "rating": i % 5 + 1, "rating_seq": 4})
    for i in range(270):
        email, oid = pending[100 + (i * 7) % (len(pending) - 100)]  # not one the done runs cancel
        ending, stage = ("/cancel", "/handoff", None)[i % 3], (1, 2, 3)[(i // 3) % 3]
        start = [("/cancel_order", email), (f'/cancel_order{{"order_id": "{oid}"}}', email),
                 (f'/cancel_order{{"order_id": "{oid}"}}', email, REASON)][stage - 1]
        outcome = {"/cancel": "cancelled", "/handoff": "handed_off", None: "abandoned"}[ending]
        out.append({"msgs": list(start) + ([ending] if ending else []),
                    "task": ("cancel_order", C[:stage + 1], outcome), "handoff": ending == "/handoff"})
    for i in range(30):  # a delivered order cannot be cancelled: the policy check refuses it at collect_2
        email, oid = delivered[i % len(delivered)]
        out.append({"msgs": [f'/cancel_order{{"order_id": "{oid}"}}', email, "/cancel"],
                    "task": ("cancel_order", C[:2], "cancelled"), "policy": "collect_2"})
    for i in range(50):
        email, oid = pending[(i * 3) % len(pending)]
        out.append({"msgs": [f'/order_status{{"order_id": "{oid}"}}', email],
                    "task": ("order_status", ("started", "collect_2", "done"), "done"), "thumb": ("up", 2)})
    for _ in range(20):
        out.append({"msgs": ["/order_status"], "task": ("order_status", ("started",), "abandoned")})
    for _ in range(20):
        out.append({"msgs": ["/handoff"], "task": ("handoff", ("started", "done"), "handed_off"), "handoff": True})
    for _ in range(20):
        out.append({"msgs": ["zxqv blorp"], "task": None, "fallback": True, "thumb": ("down", 1)})
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from engine.store import open_store

    tmp = tmp_path_factory.mktemp("funnels")
    engine = get_real_engine().replace(store=open_store(str(tmp / "store.db")))  # orders get cancelled here
    settings = Settings(tracker_url=f"sqlite:///{tmp}/tracker.db", api_keys=["an:an-secret"], rate_limit_per_minute=0,
                        shopper_rate_limit_per_minute=0, feedback_rate_limit_per_minute=0, analytics_refresh_seconds=0,
                        abandon_minutes=ABANDON_MINUTES)
    plan = scenarios()
    with TestClient(create_app(settings, engine=engine)) as client:
        for s in plan:
            cid = client.post("/v1/conversations", headers=KEY).json()["conversation_id"]
            for text in s["msgs"]:
                r = client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=KEY)
                assert r.status_code == 200, r.text
            if "rating" in s:
                assert client.post(f"/v1/conversations/{cid}/feedback", headers=KEY,
                                   json={"rating": s["rating"], "message_seq": s["rating_seq"]}).status_code == 201
            if "thumb" in s:
                thumb, seq = s["thumb"]
                assert client.post(f"/v1/conversations/{cid}/feedback", headers=KEY,
                                   json={"thumb": thumb, "message_seq": seq}).status_code == 201
        time.sleep(ABANDON_MINUTES * 60 + 0.5)
        summary = client.get("/v1/analytics/summary", headers=KEY).json()
        funnels = {f["flow"]: f for f in client.get("/v1/analytics/funnels", headers=KEY).json()}
        metrics = client.get("/metrics").text
        one = client.get("/v1/analytics/funnels?flow=order_status", headers=KEY).json()
    return plan, summary, funnels, metrics, one


def test_at_least_500_conversations(run):
    assert len(run[0]) >= 500


def test_every_funnel_count_is_exact(run):
    plan, _, funnels, _, _ = run
    tasks = [s["task"] for s in plan if s["task"]]
    for flow in {t[0] for t in tasks}:
        mine = [t for t in tasks if t[0] == flow]
        got = {st["stage"]: st for st in funnels[flow]["stages"]}
        assert funnels[flow]["started"] == len(mine)
        assert funnels[flow]["done"] == sum(1 for t in mine if "done" in t[1])
        for stage in got:
            assert got[stage]["reached"] == sum(1 for t in mine if stage in t[1]), (flow, stage)
            for outcome in ("cancelled", "handed_off", "abandoned", "failed", "open"):
                want = sum(1 for t in mine if t[1][-1] == stage and t[2] == outcome)
                assert got[stage][outcome] == want, (flow, stage, outcome)
            want_policy = sum(1 for s in plan if s.get("policy") == stage and s["task"][0] == flow)
            assert got[stage]["policy_failed"] == want_policy, (flow, stage)


def test_every_rate_is_exact(run):
    plan, summary, _, _, _ = run
    tasks = [s["task"] for s in plan if s["task"]]
    turns = sum(len(s["msgs"]) for s in plan)
    outcomes = Counter(t[2] for t in tasks)
    contained = sum(1 for t in tasks if t[2] == "done" and t[0] != "handoff")
    repairs = sum(1 for s in plan for m in s["msgs"] if m == "/cancel")
    ratings = [s["rating"] for s in plan if "rating" in s]
    assert summary["turns"] == turns
    assert summary["tasks"] == {"started": len(tasks), "done": outcomes["done"], "cancelled": outcomes["cancelled"],
                                "handed_off": outcomes["handed_off"], "abandoned": outcomes["abandoned"],
                                "failed": 0, "open": 0}
    assert summary["containment_rate"] == round(contained / len(tasks), 6)
    assert summary["fallback_rate"] == round(sum(1 for s in plan if s.get("fallback")) / turns, 6)
    assert summary["repair_rate"] == round(repairs / turns, 6)
    assert summary["handoff_rate"] == round(sum(1 for s in plan if s.get("handoff")) / turns, 6)
    assert summary["clarification_rate"] == 0 and summary["low_confidence_rate"] == 0
    finished = [len(s["msgs"]) for s in plan if s["task"] and s["task"][2] == "done" and s["task"][0] != "handoff"]
    assert summary["median_messages_per_finished_task"] == statistics.median(finished)
    assert summary["csat"] == {"ratings": len(ratings), "mean": round(statistics.fmean(ratings), 4),
                               "satisfied_share": round(sum(r >= 4 for r in ratings) / len(ratings), 6)}
    ups = sum(1 for s in plan if s.get("thumb", ("",))[0] == "up")
    downs = sum(1 for s in plan if s.get("thumb", ("",))[0] == "down")
    assert summary["thumbs"] == {"up": ups, "down": downs, "up_share": round(ups / (ups + downs), 6)}
    assert summary["latency_ms"]["scripted"]["turns"] == turns
    assert summary["latency_ms"]["scripted"]["p50"] <= summary["latency_ms"]["scripted"]["p95"]
    assert [d["turns"] for d in summary["by_day"]] and sum(d["turns"] for d in summary["by_day"]) == turns


def test_flow_filter_and_prometheus_counters(run):
    plan, _, _, metrics, one = run
    assert [f["flow"] for f in one] == ["order_status"]
    done = sum(1 for s in plan if s["task"] == ("cancel_order", C, "done"))
    assert f'shoptalk_analytics_tasks_total{{flow="cancel_order",outcome="done"}} {float(done)}' in metrics
    downs = sum(1 for s in plan if s.get("thumb", ("",))[0] == "down")
    assert f'shoptalk_feedback_total{{kind="thumb_down"}} {float(downs)}' in metrics
