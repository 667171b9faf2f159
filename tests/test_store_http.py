"""The HTTP store contract: client against the reference server, idempotency, auth, breaker, OpenAPI file."""
from __future__ import annotations

import json
import uuid

import httpx
import pytest

from engine.store import STAFF, StoreError, StoreUnavailable, open_store
from engine.store import http_contract as c
from engine.store.http_breaker import CircuitBreaker
from engine.store.http_openapi import SCHEMA_PATH, generate, render
from engine.store.http_store import BackendUnavailable, HttpStore, HttpStoreSettings
from store_http_fixtures import TOKEN, FaultProxy, client, free_port, run_app, serve_store

USER, EMAIL = "noah_brown_6181", "noah.brown7922@example.com"
PENDING, OWNER = "#W5918442", "sofia_rossi_8776"  # a pending order (not one of Noah's)


@pytest.fixture
def served(store_copy):
    with serve_store(store_copy()) as s:
        yield s


@pytest.fixture
def http(served):
    with client(served.url) as store:
        yield store


def test_published_openapi_file_is_the_generated_one():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render(generate()), \
        "schemas/store_http.openapi.json is stale: run `python -m engine.store.http_openapi`"


def test_contract_covers_every_action_with_one_endpoint():
    from engine.store.actions import ACTIONS

    paths = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["paths"]
    assert {p for p in paths if p.startswith("/v1/actions/")} == {c.action_path(n) for n in ACTIONS}
    for name, spec in ACTIONS.items():
        params = {p["name"] for p in paths[c.action_path(name)]["post"]["parameters"]}
        assert (c.IDEMPOTENCY_HEADER in params) == spec.write, name


def test_reads_answer_exactly_what_the_store_holds(http, served):
    s = served.store
    assert http.find_user_id_by_email(EMAIL.upper()) == s.find_user_id_by_email(EMAIL) == USER
    assert http.find_user_id_by_name_zip("noah", "BROWN", "80279") == USER
    user = http.get_user_details(USER, as_user=USER)
    assert user == s.get_user_details(USER, as_user=STAFF)
    assert list(user["payment_methods"]["credit_card_7815826"]) == ["source", "brand", "last_four", "id"]
    order_id = user["orders"][0]
    assert http.get_order_details(order_id.lower().lstrip("#"), as_user=USER) == s.get_order_details(order_id,
                                                                                                    as_user=STAFF)
    assert http.list_user_orders(USER, as_user=USER) == s.list_user_orders(USER, as_user=STAFF)
    assert http.list_all_product_types() == s.list_all_product_types()
    assert http.find_product("t shirt") == s.find_product("T-Shirt") == http.get_product_details("9523456873")
    assert http.export_data() == s.export_data()


def test_refusals_keep_the_engines_code_and_sentence(http, served):
    before = served.store.export_data()
    for call, args, kwargs in [
        ("find_user_id_by_email", ("nobody@example.com",), {}),
        ("get_order_details", (PENDING,), {"as_user": None}),
        ("get_order_details", ("#W2611340",), {"as_user": USER}),
        ("get_user_details", ("james_li_5688",), {"as_user": USER}),
        ("cancel_pending_order", ("#W2611340",), {"reason": "no longer needed", "as_user": STAFF}),
        ("cancel_pending_order", (PENDING,), {"reason": "too expensive", "as_user": STAFF}),
        ("transfer_to_human_agents", ("  ",), {}),
    ]:
        with pytest.raises(StoreError) as local:
            getattr(served.store, call)(*args, **kwargs)
        with pytest.raises(StoreError) as remote:
            getattr(http, call)(*args, **kwargs)
        assert (remote.value.code, remote.value.message) == (local.value.code, local.value.message), call
    assert served.store.export_data() == before
    assert http.breaker.state == "closed"  # refusals come from a live backend


def test_writes_apply_the_engines_policy(http, served, fresh_store):
    expected = fresh_store()
    done = http.cancel_pending_order(PENDING, "no longer needed", as_user=OWNER)
    expected.cancel_pending_order(PENDING, "no longer needed", as_user=STAFF)
    assert done == expected.get_order_details(PENDING, as_user=STAFF)
    ticket = http.transfer_to_human_agents("help with a refund", USER)
    assert ticket["ticket_id"] == "HT-000001" and http.list_handoffs()[0]["summary"] == "help with a refund"
    assert [(e["op"], e["as_user"]) for e in http.write_log()] == [
        ("cancel_pending_order", OWNER), ("transfer_to_human_agents", USER)]
    assert http.export_data() == expected.export_data()
    http.reset()
    assert http.export_data() == fresh_store().export_data() and http.list_handoffs() == []


def _post(served, action, body, key, token=TOKEN, acting="staff"):
    headers = {"Authorization": f"Bearer {token}", c.ACTING_FOR_HEADER: acting}
    if key:
        headers[c.IDEMPOTENCY_HEADER] = key
    return httpx.post(served.url + c.action_path(action), json=body, headers=headers)


def test_a_replayed_write_is_applied_once_and_answered_the_same(served):
    key, body = uuid.uuid4().hex, {"order_id": PENDING, "reason": "ordered by mistake"}
    first, again = _post(served, "cancel_pending_order", body, key), _post(served, "cancel_pending_order", body, key)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers[c.REPLAYED_HEADER] == "true"
    assert [e["op"] for e in served.store.write_log()] == ["cancel_pending_order"]
    refunds = [p for p in served.store.get_order_details(PENDING, as_user=STAFF)["payment_history"]
               if p["transaction_type"] == "refund"]
    assert len(refunds) == 1
    other = _post(served, "cancel_pending_order", {**body, "reason": "no longer needed"}, key)
    assert other.status_code == 422 and other.json()["error"]["code"] == c.IDEMPOTENCY_KEY_REUSED
    refused_key = uuid.uuid4().hex  # a refusal is an answer too: replayed as it was
    refusal = _post(served, "cancel_pending_order", body, refused_key)
    assert refusal.status_code == 409 and refusal.json()["error"]["code"] == "order_not_pending"
    assert _post(served, "cancel_pending_order", body, refused_key).json() == refusal.json()


def test_contract_errors(served):
    body = {"order_id": PENDING, "reason": "ordered by mistake"}
    cases = [(_post(served, "cancel_pending_order", body, None), 400, c.IDEMPOTENCY_KEY_REQUIRED),
             (_post(served, "cancel_pending_order", body, "k", token="wrong"), 401, c.UNAUTHORIZED),
             (_post(served, "get_order_details", {"order_id": PENDING}, None, acting="mei"), 400, c.BAD_ACTING_FOR),
             (_post(served, "get_order_details", {"order": PENDING}, None), 422, "bad_arguments")]
    for resp, status, code in cases:
        assert resp.status_code == status and resp.json()["error"]["code"] == code, resp.text
    assert served.store.write_log() == []


def test_wrong_token_is_a_misconfiguration_not_retried(served):
    proxy = FaultProxy(served.url)
    with run_app(proxy) as url, client(url, token="wrong") as http:
        with pytest.raises(BackendUnavailable) as info:
            http.find_user_id_by_email(EMAIL)
    assert info.value.code == c.STORE_MISCONFIGURED and info.value.message == c.SHOPPER_MESSAGES[c.STORE_MISCONFIGURED]
    assert len(proxy.seen) == 1


def test_reset_is_refused_unless_the_server_allows_it(store_copy):
    with serve_store(store_copy(), allow_reset=False) as s, client(s.url) as http:
        with pytest.raises(BackendUnavailable) as info:
            http.reset()
    assert info.value.code == c.STORE_MISCONFIGURED


def test_settings_come_from_the_environment_and_need_a_token():
    s = HttpStoreSettings.from_env({"SHOPTALK_STORE_TOKEN": "t", "SHOPTALK_STORE_TIMEOUT_SECONDS": "0.5"})
    assert (s.token, s.timeout_seconds, s.read_attempts) == ("t", 0.5, 3)
    with pytest.raises(StoreError, match="SHOPTALK_STORE_TOKEN is not set"):
        HttpStoreSettings.from_env({})


def test_a_write_whose_answer_was_lost_is_sent_again_with_its_key_and_applied_once(served):
    proxy = FaultProxy(served.url, delay=0.6)
    proxy.arm("cancel_pending_order", "late")  # forwarded and applied, answered after the client gave up
    with run_app(proxy) as url, client(url, timeout_seconds=0.3) as http:
        done = http.cancel_pending_order(PENDING, "no longer needed", as_user=STAFF)
    assert done["status"] == "cancelled"
    keys = [k for path, k in proxy.seen if path == c.action_path("cancel_pending_order")]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert [e["op"] for e in served.store.write_log()] == ["cancel_pending_order"]


def test_reads_are_retried_and_writes_get_a_fresh_key_per_call(served):
    proxy = FaultProxy(served.url)
    proxy.arm("find_user_id_by_email", "500", "malformed")
    with run_app(proxy) as url, client(url) as http:
        assert http.find_user_id_by_email(EMAIL) == USER
        http.transfer_to_human_agents("one", USER)
        http.transfer_to_human_agents("two", USER)
    assert len([p for p, _ in proxy.seen if p == c.action_path("find_user_id_by_email")]) == 3
    keys = [k for p, k in proxy.seen if p == c.action_path("transfer_to_human_agents")]
    assert len(keys) == len(set(keys)) == 2


def test_breaker_opens_after_failures_lets_one_probe_through_and_closes():
    now = [0.0]
    b = CircuitBreaker(failures_to_open=2, open_seconds=5, clock=lambda: now[0])
    b.failure()
    assert b.state == "closed" and b.allow()
    b.failure()
    assert b.state == "open" and not b.allow()
    now[0] = 5.0
    assert b.allow() and not b.allow()  # one trial call at a time
    b.failure()
    assert b.state == "open" and not b.allow()
    now[0] = 10.0
    assert b.allow()
    b.success()
    assert b.state == "closed" and b.allow() and b.allow()


def test_an_open_breaker_answers_without_calling_the_backend(served):
    proxy = FaultProxy(served.url)
    proxy.arm("find_user_id_by_email", "500", "500", "500")
    with run_app(proxy) as url, client(url, breaker_open_seconds=60) as http:
        with pytest.raises(BackendUnavailable) as first:
            http.find_user_id_by_email(EMAIL)
        calls = len(proxy.seen)
        with pytest.raises(BackendUnavailable) as second:
            http.get_product_details("9523456873")
    assert first.value.code == second.value.code == c.STORE_UNAVAILABLE
    assert calls == 3 and len(proxy.seen) == calls and http.breaker.state == "open"
    assert 55 < second.value.retry_after <= 60  # the service's Retry-After: until the breaker lets a call try


def test_connection_refused_is_unavailable_and_a_write_says_nothing_changed():
    with client(f"http://127.0.0.1:{free_port()}") as http:
        with pytest.raises(StoreUnavailable) as info:
            http.cancel_pending_order(PENDING, "no longer needed", as_user=STAFF)
    assert info.value.code == c.STORE_UNAVAILABLE and "nothing was changed" in info.value.message


def test_a_write_answered_by_errors_only_is_of_unknown_outcome(served):
    proxy = FaultProxy(served.url)
    proxy.arm("cancel_pending_order", "500", "500", "500")
    with run_app(proxy) as url, client(url) as http:
        with pytest.raises(StoreError) as info:
            http.cancel_pending_order(PENDING, "no longer needed", as_user=STAFF)
    assert not isinstance(info.value, StoreUnavailable)  # the turn goes on: resending it could repeat the write
    assert info.value.code == c.STORE_WRITE_UNKNOWN and "can't tell whether it went through" in info.value.message
    keys = {k for p, k in proxy.seen if p == c.action_path("cancel_pending_order")}
    assert len(keys) == 1 and served.store.write_log() == []


def test_open_store_dispatches_http_urls_with_the_token_from_the_settings(served, monkeypatch):
    monkeypatch.setenv("SHOPTALK_STORE_TOKEN", TOKEN)
    with open_store(served.url + "/") as store:
        assert isinstance(store, HttpStore) and store.url == served.url
        assert store.find_user_id_by_email(EMAIL) == USER


def test_a_call_that_spends_its_budget_waiting_opens_the_breaker_at_once(served):
    proxy = FaultProxy(served.url, delay=1.0)
    proxy.arm("get_product_details", "hang", "hang", "hang")
    with run_app(proxy) as url, client(url, timeout_seconds=0.3, read_budget_seconds=0.5) as http:
        with pytest.raises(BackendUnavailable) as info:
            http.get_product_details("9523456873")
        assert http.breaker.state == "open"  # one call that waited its budget, not three
    assert info.value.code == c.STORE_UNAVAILABLE
    assert len(proxy.seen) == 2  # the second attempt got what was left of the budget; no third


def test_serve_http_command_needs_a_token_and_serves_the_contract(tmp_path):
    import os
    import subprocess
    import sys
    import time

    cmd = [sys.executable, "-m", "engine.cli", "store", "serve-http", "--db", str(tmp_path / "s.sqlite")]
    env = {k: v for k, v in os.environ.items() if k != "SHOPTALK_STORE_TOKEN"}
    refused = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "set SHOPTALK_STORE_TOKEN" in refused.stderr
    port = free_port()
    proc = subprocess.Popen(cmd + ["--port", str(port)], env={**env, "SHOPTALK_STORE_TOKEN": TOKEN})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "serve-http did not start"
                time.sleep(0.2)
        with client(f"http://127.0.0.1:{port}") as http:
            assert http.find_user_id_by_email(EMAIL) == USER
            with pytest.raises(BackendUnavailable):
                http.reset()  # not started with --allow-reset
    finally:
        proc.terminate()
        proc.wait(30)


def test_the_token_set_in_the_service_settings_reaches_the_store(tmp_path):
    from service.settings import Settings

    config = tmp_path / "shoptalk.yaml"
    config.write_text("service:\n  store_path: https://orders.example.com/shoptalk\n  store_token: s3cret\n")
    env = Settings.load(config, env={}).to_env()  # what `shoptalk serve` puts in its workers' environment
    assert HttpStoreSettings.from_env(env).token == "s3cret"


def test_a_write_turned_away_with_429_is_known_not_done(served):
    proxy = FaultProxy(served.url)
    proxy.arm("cancel_pending_order", "429", "429", "429")
    with run_app(proxy) as url, client(url) as http:
        with pytest.raises(BackendUnavailable):  # nothing was done: the turn fails and may be sent again
            http.cancel_pending_order(PENDING, "no longer needed", as_user=STAFF)
        assert http.breaker.state == "closed"  # a busy backend is alive
        proxy.arm("cancel_pending_order", "429")
        assert http.cancel_pending_order(PENDING, "no longer needed", as_user=STAFF)["status"] == "cancelled"
    assert [e["op"] for e in served.store.write_log()] == ["cancel_pending_order"]
