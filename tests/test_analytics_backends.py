"""The analytics run unchanged on a Redis tracker and on a PostgreSQL analytics database."""
from __future__ import annotations

import os
import tempfile
import time
import uuid

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.ci_guard import require
from tests.service_fixtures import REDIS_URL, get_real_engine, require_redis
from tests.store_backends import PG_ADMIN_URL, pg_admin, postgres_answers

KEY = {"X-API-Key": "be-secret"}
SCRIPTS = (['/order_status{"order_id": "#W5918442"}', "sofia.rossi2645@example.com"], ["zxqv blorp"],
           ["/cancel_order", "/cancel"], ["/cancel_order", "/handoff"], ["/order_status"])


def _settings(**kw) -> Settings:
    return Settings(**{"api_keys": ["be:be-secret"], "rate_limit_per_minute": 0, "shopper_rate_limit_per_minute": 0,
                       "analytics_refresh_seconds": 0, **kw})


def _drive(client) -> list[str]:
    ids = []
    for n, msgs in enumerate(SCRIPTS):
        cid = client.post("/v1/conversations", headers=KEY).json()["conversation_id"]
        for text in msgs:
            assert client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=KEY).status_code == 200
        assert client.post(f"/v1/conversations/{cid}/feedback", json={"rating": n + 1, "thumb": "down"},
                           headers=KEY).status_code == 201
        ids.append(cid)
    return ids


@pytest.fixture
def pg_url():
    require(postgres_answers(), "PostgreSQL on 127.0.0.1:5432", "start a server there with trust auth for postgres")
    name = f"shoptalk_analytics_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    pg_admin(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_analytics_equal_sqlite_ones(pg_url):
    from service.analytics.db import AnalyticsDB
    from service.analytics.ingest import Analytics
    from service.analytics.queries import Filter, Queries

    tmp = tempfile.mkdtemp(prefix="shoptalk-an-pg-")
    settings = _settings(tracker_url=f"sqlite:///{tmp}/tracker.db", analytics_url=pg_url)
    with TestClient(create_app(settings, engine=get_real_engine())) as client:
        ids = _drive(client)
        summary = client.get("/v1/analytics/summary", headers=KEY).json()
        funnels = client.get("/v1/analytics/funnels", headers=KEY).json()
        review = client.get("/v1/review", headers=KEY).json()
        pg = client.app.state.analytics
        assert pg.db.kind == "postgresql"
        # the same tracker derived into SQLite, with the same feedback rows, gives the same figures
        lite = Analytics(AnalyticsDB(f"sqlite:///{tmp}/lite.db"), pg.tracker, pg.engine, settings)
        for row in pg.db.query("SELECT id, conv_id, seq, ts, day, flow, rating, thumb, comment FROM an_feedback"):
            lite.db.execute("INSERT INTO an_feedback (id, conv_id, seq, ts, day, flow, rating, thumb, comment) "
                            "VALUES (?,?,?,?,?,?,?,?,?)", row)
        import asyncio

        asyncio.run(lite.refresh(force=True))
        q = Queries(lite.db, settings, pg.flows)
        now = time.time()
        assert Queries(pg.db, settings, pg.flows).summary(Filter(), now) == q.summary(Filter(), now)
        assert [f.model_dump() for f in q.funnels(Filter(), now)] == funnels
        assert summary["tasks"]["started"] == 4 and summary["csat"]["ratings"] == 5
        # thumbs-down on a typed message: into the inbox (a button payload has no words to learn from)
        assert {i["conversation_id"] for g in review["groups"] for i in g["items"]} == {ids[0], ids[1]}
        assert client.delete(f"/v1/conversations/{ids[0]}", headers=KEY).status_code == 200
        assert pg.db.query("SELECT COUNT(*) FROM an_feedback WHERE conv_id=?", (ids[0],)) == [(0,)]
        pg.db.close()


def test_redis_tracker_is_read_by_the_analytics():
    require_redis()
    from service.analytics.source import changed_since

    settings = _settings(tracker_url=REDIS_URL, analytics_url=f"sqlite:///{tempfile.mkdtemp()}/analytics.db")
    with TestClient(create_app(settings, engine=get_real_engine())) as client:
        since = time.time() - 1
        ids = _drive(client)
        import asyncio

        changed = {cid: seq for cid, seq, _ in asyncio.run(changed_since(client.app.state.tracker, since))}
        assert {cid: changed.get(cid) for cid in ids} == {cid: len(m) for cid, m in zip(ids, SCRIPTS)}
        client.get("/v1/analytics/summary", headers=KEY)
        for cid, msgs in zip(ids, SCRIPTS):
            export = client.get(f"/v1/conversations/{cid}/export", headers=KEY).json()
            assert [t["seq"] for t in export["analytics"]["turns"]] == list(range(1, len(msgs) + 1))
        outcomes = [client.get(f"/v1/conversations/{cid}/export", headers=KEY).json()["analytics"]["tasks"]
                    for cid in ids]
        assert [[t["outcome"] for t in tasks] for tasks in outcomes] == [["done"], [], ["cancelled"], ["handed_off"],
                                                                          ["open"]]
        for cid in ids:
            client.delete(f"/v1/conversations/{cid}", headers=KEY)
