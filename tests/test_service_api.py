"""The HTTP API in process (FastAPI TestClient) with the REAL engine against a temporary store."""
from __future__ import annotations

import json
import tempfile

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.service_fixtures import get_real_engine

RETURN = '/return_items{"order_id": "#W2378156"}'
KEY = {"X-API-Key": "shop-secret"}


@pytest.fixture(scope="module")
def client():
    engine = get_real_engine()
    tmp = tempfile.mkdtemp(prefix="shoptalk-api-")
    settings = Settings(tracker_url=f"sqlite:///{tmp}/tracker.db", api_keys=["shop:shop-secret"],
                        rate_limit_per_minute=0, shopper_rate_limit_per_minute=0)
    with TestClient(create_app(settings, engine=engine)) as c:
        yield c


def new_conv(client, headers=None):
    r = client.post("/v1/conversations", headers=headers or {})
    assert r.status_code == 201, r.text
    body = r.json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['token']}"}


def test_conversation_lifecycle(client):
    cid, h = new_conv(client)
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN}, headers=h)
    assert r.status_code == 200, r.text
    turn = r.json()
    assert turn["conversation_id"] == cid and turn["seq"] == 1
    assert turn["route"]["label"] == "return_items" and turn["route"]["decided_by"] == "trigger"
    for field in ("messages", "expecting", "active_flow", "flow_stack", "actions", "slots", "events", "ended"):
        assert field in turn
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "hello there"}, headers=h)
    assert r.status_code == 200 and r.json()["seq"] == 2
    state = client.get(f"/v1/conversations/{cid}", headers=h).json()
    assert state["turns"] == 2 and [t["user"] for t in state["transcript"]] == [RETURN, "hello there"]
    assert state["transcript"][0]["route"] == "return_items"
    assert client.get(f"/v1/conversations/{cid}?limit=1", headers=h).json()["transcript"][0]["seq"] == 2

    lines = client.get(f"/v1/conversations/{cid}/events?format=jsonl", headers=h)
    assert lines.status_code == 200 and lines.headers["content-type"].startswith("application/x-ndjson")
    events = [json.loads(line) for line in lines.text.splitlines()]
    assert events[0]["type"] == "user" and events[0]["text"] == RETURN and events[0]["seq"] == 1
    assert any(e["type"] == "engine" for e in events) and {e["seq"] for e in events} == {1, 2}
    assert client.get(f"/v1/conversations/{cid}/events?format=json", headers=h).json() == events

    r = client.delete(f"/v1/conversations/{cid}", headers=h)
    assert r.status_code == 200 and r.json() == {"conversation_id": cid, "deleted": True}
    assert client.get(f"/v1/conversations/{cid}", headers=KEY).status_code == 404
    assert client.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"}, headers=h).status_code == 404
    tracker = client.app.state.tracker
    assert client.portal.call(tracker.get, cid) is None  # erased everywhere
    assert client.portal.call(tracker.turns, cid) == []
    assert cid not in client.app.state.conversations._cache


def test_message_id_makes_retries_idempotent(client):
    cid, h = new_conv(client)
    first = client.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN, "message_id": "m1"}, headers=h).json()
    again = client.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN, "message_id": "m1"}, headers=h).json()
    assert again["replayed"] is True and again["seq"] == first["seq"] == 1
    assert again["messages"] == first["messages"]
    assert client.get(f"/v1/conversations/{cid}", headers=h).json()["turns"] == 1


def test_cross_token_isolation(client):
    a, ha = new_conv(client)
    b, hb = new_conv(client)
    assert client.post(f"/v1/conversations/{b}/messages", json={"text": RETURN}, headers=hb).status_code == 200
    for method, path, body in (("get", f"/v1/conversations/{b}", None),
                               ("post", f"/v1/conversations/{b}/messages", {"text": "hi"}),
                               ("post", f"/v1/conversations/{b}/messages/stream", {"text": "hi"}),
                               ("get", f"/v1/conversations/{b}/events", None),
                               ("delete", f"/v1/conversations/{b}", None)):
        kwargs = {"headers": ha}
        if body is not None:
            kwargs["json"] = body
        r = client.request(method.upper(), path, **kwargs)
        assert r.status_code == 403, (method, path, r.status_code)
        assert r.json()["error"]["code"] == "forbidden"
    state = client.get(f"/v1/conversations/{b}", headers=hb).json()
    assert state["turns"] == 1  # untouched
    # an integrator key reaches every conversation, a wrong key none
    assert client.get(f"/v1/conversations/{b}", headers=KEY).status_code == 200
    assert client.get(f"/v1/conversations/{b}", headers={"X-API-Key": "nope"}).status_code == 401


def test_sse_stream(client):
    cid, h = new_conv(client)
    with client.stream("POST", f"/v1/conversations/{cid}/messages/stream", json={"text": RETURN}, headers=h) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        body = "".join(r.iter_text())
    events = []
    for block in body.split("\n\n"):
        lines = [ln for ln in block.splitlines() if not ln.startswith(":")]
        if lines:
            kind = lines[0].removeprefix("event: ")
            events.append((kind, json.loads(lines[1].removeprefix("data: "))))
    assert events[-1][0] == "turn" and events[-1][1]["seq"] == 1
    assert all(kind == "token" for kind, _ in events[:-1])
    assert client.get(f"/v1/conversations/{cid}", headers=h).json()["turns"] == 1
    r = client.post("/v1/conversations/unknown/messages/stream", json={"text": "x"}, headers=h)
    assert r.status_code == 404  # checked before the stream opens


def test_rasa_rest_channel(client):
    r = client.post("/webhooks/rest/webhook", json={"sender": "shopper-42", "message": RETURN}, headers=KEY)
    assert r.status_code == 200, r.text
    replies = r.json()
    assert isinstance(replies, list)
    for reply in replies:
        assert reply["recipient_id"] == "shopper-42" and isinstance(reply["text"], str)
        assert all(set(b) == {"title", "payload"} for b in reply["buttons"])
    r = client.post("/webhooks/rest/webhook", json={"sender": "shopper-42", "message": "hello"}, headers=KEY)
    assert r.status_code == 200
    # the same sender continues the same conversation
    import hashlib

    cid = "rasa-" + hashlib.sha256(b"shopper-42").hexdigest()[:32]
    assert client.get(f"/v1/conversations/{cid}", headers=KEY).json()["turns"] >= 2
    # keys are configured: the channel needs one
    assert client.post("/webhooks/rest/webhook", json={"sender": "x", "message": "hi"}).status_code == 401
    assert client.get("/webhooks/rest/").json() == {"status": "ok"}


def test_flows_health_ready_metrics_openapi(client):
    flows = client.get("/v1/flows")
    assert flows.status_code == 200 and isinstance(flows.json(), list)
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["components"]["tracker"] == "ok" and "store" in ready.json()["components"]
    cid, h = new_conv(client)
    client.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN}, headers=h)
    client.post("/v1/conversations/nope/messages", json={"text": "x"}, headers=h)
    text = client.get("/metrics").text
    assert 'shoptalk_turns_total{channel="api"}' in text
    assert 'shoptalk_routes_total{decided_by="trigger",label="return_items"}' in text
    assert "shoptalk_turn_seconds_bucket" in text and "shoptalk_request_seconds_bucket" in text
    assert 'shoptalk_errors_total{code="conversation_not_found"}' in text
    assert "shoptalk_fallbacks_total" in text and "shoptalk_handoffs_total" in text
    spec = client.get("/openapi.json").json()
    for path in ("/v1/conversations", "/v1/conversations/{conversation_id}/messages",
                 "/v1/conversations/{conversation_id}/messages/stream", "/v1/conversations/{conversation_id}",
                 "/v1/conversations/{conversation_id}/events", "/v1/flows", "/webhooks/rest/webhook",
                 "/healthz", "/readyz"):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 200


def test_web_page_served(client):
    r = client.get("/")
    assert r.status_code == 200 and "<title>Shop assistant</title>" in r.text
    assert client.get("/static/app.js").status_code == 200


def test_finish_a_return_over_http_changes_the_store(client):
    from tests.service_fixtures import RETURN_TRIGGER, informed, next_return_step, return_done, store_changes

    engine = client.app.state.engine
    before = engine.store.export_data()
    assert before["orders"]["#W2378156"]["status"] == "delivered"
    cid, h = new_conv(client)
    turn = client.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN_TRIGGER}, headers=h).json()
    clicked = []
    for _ in range(10):
        if return_done(turn):
            break
        kind, text = next_return_step(turn)
        if kind == "click":
            clicked.append(text)
        r = client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=h)
        assert r.status_code == 200, r.text
        turn = r.json()
    assert return_done(turn), turn
    # exactly the return the shopper chose was written, and nothing else in the store changed
    chosen = informed(clicked)  # one item button, one refund button
    changes = store_changes(before, engine.store.export_data())
    assert changes == {("orders", "#W2378156"): {
        "status": ("delivered", "return requested"),
        "return_items": (None, [chosen["return_item_ids"]]),
        "return_payment_method_id": (None, chosen["refund_method"]),
    }}, changes
    # a shopper cannot reach another user's order: sign in as Yusuf, ask to return someone else's order
    returned = engine.store.export_data()
    other = next(oid for oid, o in returned["orders"].items()
                 if o["user_id"] != "yusuf_rossi_9620" and o["status"] == "delivered")
    cid2, h2 = new_conv(client)
    turn = client.post(f"/v1/conversations/{cid2}/messages", json={"text": f'/return_items{{"order_id": "{other}"}}'},
                       headers=h2).json()
    for _ in range(6):
        if not turn["flow_stack"] or turn["expecting"]["slot"] not in ("auth_method", "email"):
            break
        _, text = next_return_step(turn)
        turn = client.post(f"/v1/conversations/{cid2}/messages", json={"text": text}, headers=h2).json()
    # refused before any store call: told why, asked for one of their own orders, nothing written
    said = " ".join(m["text"] for m in turn["messages"])
    assert f"Order {other} isn't one of your orders" in said, said
    assert turn["expecting"]["slot"] == "order_id" and turn["active_flow"] == "return_items", turn
    assert not [a for a in turn["actions"] if a.get("write")], turn["actions"]
    assert store_changes(returned, engine.store.export_data()) == {}
