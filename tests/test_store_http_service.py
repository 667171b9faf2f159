"""The HTTP store's faults as the service's clients see them (FastAPI TestClient, trained router).

A read the backend cannot answer: 503 `store_unavailable` with Retry-After, nothing saved, and the
same message sent again works. A write without a usable answer: a normal turn whose text tells the
shopper the outcome is unknown, the write applied at most once.
"""
from __future__ import annotations

import tempfile

import pytest
from fastapi.testclient import TestClient

from conftest import build_engine
from engine.store import http_contract as c
from service.app import create_app
from service.settings import Settings
from store_http_fixtures import FaultProxy, client, run_app, serve_store

EMAIL, ORDER = "omar.silva4147@example.com", "#W9728773"


@pytest.fixture
def api(store_copy, _shared_parts):
    """(service client, proxy, served store) for an engine whose store is the reference server behind FaultProxy."""
    with serve_store(store_copy()) as served:
        proxy = FaultProxy(served.url)
        with run_app(proxy) as url, client(url, timeout_seconds=0.4, breaker_open_seconds=0) as store:
            engine = build_engine(_shared_parts["flows"], store, router=_shared_parts["router"],
                                  extractors=_shared_parts["extractors"])
            tmp = tempfile.mkdtemp(prefix="shoptalk-http-store-")
            settings = Settings(tracker_url=f"sqlite:///{tmp}/tracker.db", rate_limit_per_minute=0,
                                shopper_rate_limit_per_minute=0)
            with TestClient(create_app(settings, engine=engine)) as http:
                yield http, proxy, served


def test_faults_through_the_service(api):
    http, proxy, served = api
    r = http.post("/v1/conversations")
    cid, auth = r.json()["conversation_id"], {"Authorization": f"Bearer {r.json()['token']}"}

    def send(text):
        return http.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=auth)

    assert send("/cancel_order").status_code == 200
    assert send('/inform{"auth_method": "email"}').status_code == 200
    proxy.arm("find_user_id_by_email", "500", "500", "500")
    failed = send(EMAIL)
    assert failed.status_code == 503, failed.text
    assert failed.json()["error"]["code"] == "store_unavailable" and int(failed.headers["Retry-After"]) >= 1
    signed_in = send(EMAIL)  # the same message again: the failed one left nothing behind
    assert signed_in.status_code == 200 and signed_in.json()["seq"] == 3
    assert "you're signed in" in " ".join(m["text"] for m in signed_in.json()["messages"])
    for text in (ORDER, "I ordered it by mistake"):
        assert send(text).status_code == 200
    proxy.arm("cancel_pending_order", "hang", "hang", "hang")
    proxy.delay = 0.6
    done = send("/affirm")
    assert done.status_code == 200
    assert c.SHOPPER_MESSAGES[c.STORE_WRITE_UNKNOWN] in " ".join(m["text"] for m in done.json()["messages"])
    assert [e["op"] for e in served.store.write_log()] == []  # hung before forwarding: never applied
