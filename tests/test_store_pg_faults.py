"""PostgreSQL failing in the middle of a conversation, through the service.

The store's connection is killed (pg_terminate_backend) inside the confirmed write, and the server
refuses connections for a while (what a restart looks like to a client): each time the turn answers
503 `store_unavailable` with Retry-After, the store and the conversation are exactly as before the
turn, and the same message sent again once the database answers completes the write exactly once.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import build_engine
from engine.store import STAFF, open_store, policy
from store_backends import pg_admin as admin

ROOT = Path(__file__).resolve().parents[1]
ORDER = "#W9728773"
SCRIPT = ["/cancel_order", '/inform{"auth_method": "email"}', "omar.silva4147@example.com", ORDER,
          '/inform{"cancel_reason": "ordered by mistake"}']


@pytest.fixture
def service(_backends, tmp_path):
    """(client, store url, database name): the service on a fresh PostgreSQL store, the keyword lane."""
    from engine.flows.loader import load_flows
    from engine.slots.extract import RuleExtractor
    from service.app import create_app
    from service.settings import Settings

    backend = _backends("postgresql")
    backend.require_available()
    url = backend.fresh()
    store = open_store(url + "?pool_timeout=1")
    engine = build_engine(load_flows(ROOT / "flows", root=ROOT), store, RuleExtractor.from_seed())
    settings = Settings(tracker_url=f"sqlite:///{tmp_path}/tracker.db", api_keys=["shop:k"], generator="off",
                        rate_limit_per_minute=0, shopper_rate_limit_per_minute=0, retry_after_seconds=2)
    try:
        with TestClient(create_app(settings, engine=engine)) as client:
            yield client, url, url.rsplit("/", 1)[-1]
    finally:
        store.close()
        admin(f"ALTER DATABASE {url.rsplit('/', 1)[-1]} ALLOW_CONNECTIONS true")
        backend.discard(url)


def start_to_confirmation(client) -> tuple[str, dict]:
    r = client.post("/v1/conversations", headers={"X-API-Key": "k"})
    assert r.status_code == 201, r.text
    cid = r.json()["conversation_id"]
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    for text in SCRIPT:
        turn = client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=headers)
        assert turn.status_code == 200, turn.text
    assert turn.json()["expecting"]["slot"] == "confirmation", said(turn)
    return cid, headers


def said(r) -> str:
    return " ".join(m["text"] for m in r.json()["messages"])


def assert_store_unavailable(r) -> None:
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "store_unavailable"
    assert "not answering" in r.json()["error"]["message"]
    assert int(r.headers["Retry-After"]) >= 1


def assert_untouched_then_resend_works(client, url, cid, headers, seq_before) -> None:
    with open_store(url) as s:
        assert s.get_order_details(ORDER, as_user=STAFF)["status"] == "pending" and s.write_log() == []
    state = client.get(f"/v1/conversations/{cid}", headers=headers).json()
    assert len(state["transcript"]) == seq_before  # the failed turn saved nothing
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "/affirm"}, headers=headers)
    assert r.status_code == 200, r.text
    assert "is cancelled" in said(r)
    with open_store(url) as s:
        assert s.get_order_details(ORDER, as_user=STAFF)["status"] == "cancelled"
        assert [w["op"] for w in s.write_log()] == ["cancel_pending_order"]


def test_connection_killed_inside_the_write(service, monkeypatch):
    client, url, dbname = service
    cid, headers = start_to_confirmation(client)
    real = policy.cancel_pending_order

    def kill_then_apply(order, user, reason):  # runs inside the write transaction, after the row locks
        rows = admin("SELECT pid FROM pg_stat_activity WHERE datname = %s AND state = 'idle in transaction'", dbname)
        assert len(rows) == 1, rows
        admin("SELECT pg_terminate_backend(%s)", rows[0][0])
        real(order, user, reason)

    monkeypatch.setattr(policy, "cancel_pending_order", kill_then_apply)
    assert_store_unavailable(client.post(f"/v1/conversations/{cid}/messages", json={"text": "/affirm"},
                                         headers=headers))
    monkeypatch.setattr(policy, "cancel_pending_order", real)
    assert_untouched_then_resend_works(client, url, cid, headers, len(SCRIPT))


def test_database_refusing_connections_then_back(service):
    client, url, dbname = service
    cid, headers = start_to_confirmation(client)
    admin(f"ALTER DATABASE {dbname} ALLOW_CONNECTIONS false")
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", dbname)
    assert_store_unavailable(client.post(f"/v1/conversations/{cid}/messages", json={"text": "/affirm"},
                                         headers=headers))
    time.sleep(4)  # a longer outage: the pool's own reconnect backoff would have grown past it
    admin(f"ALTER DATABASE {dbname} ALLOW_CONNECTIONS true")
    assert_untouched_then_resend_works(client, url, cid, headers, len(SCRIPT))


def test_every_connection_killed_between_turns_is_replaced(service):
    client, url, dbname = service
    cid, headers = start_to_confirmation(client)
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", dbname)
    # pg_terminate_backend only signals: wait until the backends are gone, or a loaded machine lends one
    # that is still dying (a race of the test, not of the pool)
    deadline = time.monotonic() + 5
    while admin("SELECT pid FROM pg_stat_activity WHERE datname = %s", dbname) and time.monotonic() < deadline:
        time.sleep(0.05)
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "/affirm"}, headers=headers)
    assert r.status_code == 200, r.text  # the pool checks a connection before lending it
    assert "is cancelled" in said(r)
