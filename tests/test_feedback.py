"""Feedback, privacy and the analytics endpoints' bad input, through the real service."""
from __future__ import annotations

import json
import tempfile
import time

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.service_fixtures import get_real_engine

KEY = {"X-API-Key": "fb-secret"}
EMAIL = "sofia.rossi2645@example.com"


def make_client(**overrides):
    tmp = tempfile.mkdtemp(prefix="shoptalk-feedback-")
    settings = Settings(**{"tracker_url": f"sqlite:///{tmp}/tracker.db", "api_keys": ["fb:fb-secret"],
                           "rate_limit_per_minute": 0, "shopper_rate_limit_per_minute": 0,
                           "analytics_refresh_seconds": 0, "rasa_channel": True, **overrides})
    return TestClient(create_app(settings, engine=get_real_engine()))


@pytest.fixture(scope="module")
def client():
    with make_client(feedback_rate_limit_per_minute=6, feedback_rate_limit_burst=5) as c:
        yield c


def shopper(client, *messages):
    body = client.post("/v1/conversations").json()
    auth = {"Authorization": f"Bearer {body['token']}"}
    for text in messages:
        assert client.post(f"/v1/conversations/{body['conversation_id']}/messages", json={"text": text},
                           headers=auth).status_code == 200
    return body["conversation_id"], auth


def test_feedback_is_stored_with_the_turn_and_its_flow(client):
    cid, auth = shopper(client, '/order_status{"order_id": "#W5918442"}', EMAIL)
    r = client.post(f"/v1/conversations/{cid}/feedback", json={"message_seq": 2, "rating": 4, "thumb": "up"},
                    headers=auth)
    assert r.status_code == 201, r.text
    assert r.json()["message_seq"] == 2 and r.json()["flow"] == "order_status"
    prompt = client.get(f"/v1/conversations/{cid}/feedback/prompt?seq=2", headers=auth).json()
    assert prompt == {"rating": False, "flow": "order_status"}  # rated already
    assert client.get(f"/v1/conversations/{cid}/feedback/prompt?seq=1", headers=auth).json()["rating"] is False


def test_rating_prompt_after_a_finished_task_unless_switched_off():
    with make_client(feedback_rating_off=["handoff"]) as c:
        cid, auth = shopper(c, '/order_status{"order_id": "#W5918442"}', EMAIL, "/handoff")
        assert c.get(f"/v1/conversations/{cid}/feedback/prompt?seq=2", headers=auth).json() == \
            {"rating": True, "flow": "order_status"}
        assert c.get(f"/v1/conversations/{cid}/feedback/prompt?seq=3", headers=auth).json() == \
            {"rating": False, "flow": "handoff"}
        other, other_auth = shopper(c, "hello")
        assert c.get(f"/v1/conversations/{cid}/feedback/prompt?seq=2", headers=other_auth).status_code == 403
        assert c.get(f"/v1/conversations/{cid}/feedback/prompt?seq=2").status_code == 401
        assert c.get(f"/v1/conversations/{cid}/feedback/prompt?seq=9", headers=auth).status_code == 422


def test_bad_feedback_is_refused(client):
    cid, auth = shopper(client, "hello")
    assert client.post("/v1/conversations/no-such-conversation/feedback", json={"rating": 3},
                       headers=KEY).json()["error"]["code"] == "conversation_not_found"
    assert client.post("/v1/conversations/no-such-conversation/feedback", json={"rating": 3},
                       headers=KEY).status_code == 404
    for body in ({"rating": 6}, {"rating": 0}, {"thumb": "sideways"}, {}, {"message_seq": 9, "rating": 3},
                 {"rating": 3, "extra": 1}):
        r = client.post(f"/v1/conversations/{cid}/feedback", json=body, headers=auth)
        assert r.status_code == 422, (body, r.text)
    other, _ = shopper(client, "hello")
    assert client.post(f"/v1/conversations/{other}/feedback", json={"rating": 3}, headers=auth).status_code == 403


def test_a_feedback_flood_is_rate_limited(client):
    cid, auth = shopper(client, "hello")
    codes = [client.post(f"/v1/conversations/{cid}/feedback", json={"thumb": "up", "message_seq": 1},
                         headers=auth).status_code for _ in range(12)]
    assert codes[:5] == [201] * 5 and 429 in codes
    limited = client.post(f"/v1/conversations/{cid}/feedback", json={"thumb": "up"}, headers=auth)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_rasa_channel_carries_feedback(client):
    sender = f"rasa-fb-{time.time_ns()}"
    hook = "/webhooks/rest/webhook"
    assert client.post(hook, json={"sender": sender, "message": "hello"}, headers=KEY).status_code == 200
    r = client.post(hook, json={"sender": sender, "message": '/feedback{"rating": 5, "comment": "great"}'},
                    headers=KEY)
    assert r.status_code == 200 and r.json()[0]["text"] == "Thanks for your feedback."
    assert client.post(hook, json={"sender": sender, "message": '/feedback{"rating": 9}'},
                       headers=KEY).status_code == 422
    assert client.post(hook, json={"sender": "never-seen", "message": '/feedback{"rating": 2}'},
                       headers=KEY).status_code == 404
    summary = client.get("/v1/analytics/summary", headers=KEY).json()
    assert summary["csat"]["ratings"] >= 1


def test_analytics_need_the_integrator_key(client):
    cid, auth = shopper(client, "hello")
    for path in ("/v1/analytics/summary", "/v1/analytics/funnels", "/v1/analytics/export.csv", "/v1/review"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers=auth).status_code == 401
    assert client.get("/v1/analytics/summary?from=2026-13-99x", headers=KEY).status_code == 422
    assert client.get("/v1/analytics/summary?from=2026-02-02&to=2026-01-01", headers=KEY).status_code == 422
    csv = client.get("/v1/analytics/export.csv?kind=funnels", headers=KEY)
    assert csv.status_code == 200 and csv.text.startswith("flow,stage,title,reached")


def test_review_and_feedback_keep_redacted_text_and_delete_erases_them(client):
    cid, auth = shopper(client, "my email is jane.doe@example.com and card 4111 1111 1111 1111, zxqv?")
    r = client.post(f"/v1/conversations/{cid}/feedback", headers=auth,
                    json={"thumb": "down", "message_seq": 1, "comment": "call me at jane.doe@example.com"})
    assert r.status_code == 201
    export = client.get(f"/v1/conversations/{cid}/export", headers=auth).json()
    assert export["feedback"][0]["comment"] == "call me at [email]"
    inbox = client.get("/v1/review", headers=KEY).json()
    texts = [i["text"] for g in inbox["groups"] for i in g["items"] if i["conversation_id"] == cid]
    assert texts and all("jane.doe" not in t and "4111" not in t for t in texts), texts
    assert "[email]" in texts[0] and "[card_number]" in texts[0]
    dump = json.dumps(client.get(f"/v1/conversations/{cid}/export", headers=auth).json()["review"])
    assert "jane.doe" not in dump and "thumbs_down" in dump
    assert client.delete(f"/v1/conversations/{cid}", headers=auth).status_code == 200
    db = client.app.state.analytics.db
    for table in ("an_tasks", "an_turns", "an_feedback", "an_review", "an_conversations"):
        assert db.query(f"SELECT COUNT(*) FROM {table} WHERE conv_id=?", (cid,)) == [(0,)], table
    assert client.get(f"/v1/conversations/{cid}/export", headers=KEY).status_code == 404


def test_retention_days_removes_old_rows():
    with make_client(retention_days=1) as c:
        cid, auth = shopper(c, "zxqv blorp")
        c.post(f"/v1/conversations/{cid}/feedback", json={"thumb": "down"}, headers=auth)
        analytics = c.app.state.analytics
        assert c.get("/v1/analytics/summary", headers=KEY).json()["turns"] == 1
        assert analytics.purge(time.time() + 2 * 86400) == 1
        for table in ("an_turns", "an_feedback", "an_review", "an_conversations"):
            assert analytics.db.query(f"SELECT COUNT(*) FROM {table}") == [(0,)], table
