"""What the shopper hears when the shop's HTTP backend fails, through real conversations.

The engine (trained router, as served) talks to the reference server through FaultProxy, which
answers chosen calls with a 500, a malformed body, no answer, or a late answer after the write was
applied. A failed read fails the turn as a whole (BackendUnavailable: the service answers 503 with
Retry-After and the shopper's sentence) and the same message works once the backend is back; a write
is applied at most once, and when its outcome is unknown the flow ends telling the shopper so.
"""
from __future__ import annotations

import pytest

from conftest import build_engine, sign_in_by_email, talk
from engine.store import STAFF, StoreError, StoreUnavailable
from engine.store import http_contract as c
from store_http_fixtures import FaultProxy, client, free_port, run_app, serve_store

EMAIL, USER = "omar.silva4147@example.com", "omar_silva_7446"
ORDER = "#W9728773"
CANCEL = ["/cancel_order", *sign_in_by_email(EMAIL), ORDER, "I ordered it by mistake"]


@pytest.fixture
def backend(store_copy):
    """(proxy, served): the reference server on a fresh store, behind a fault proxy."""
    with serve_store(store_copy()) as served:
        proxy = FaultProxy(served.url, delay=1.0)
        with run_app(proxy) as url:
            proxy.url = url
            yield proxy, served


@pytest.fixture
def converse(_shared_parts):
    """Factory: a conversation of the served engine on an HttpStore at `url`."""
    opened = []

    def make(url: str, **settings):
        store = client(url, timeout_seconds=0.4, **settings)
        opened.append(store)
        e = build_engine(_shared_parts["flows"], store, router=_shared_parts["router"],
                         extractors=_shared_parts["extractors"])
        return e.new_conversation()

    yield make
    for store in opened:
        store.close()


def cancels(served) -> list[str]:
    return [e["order_id"] for e in served.store.write_log() if e["op"] == "cancel_pending_order"]


@pytest.mark.parametrize("fault, code", [("500", c.STORE_UNAVAILABLE), ("hang", c.STORE_UNAVAILABLE),
                                         ("malformed", c.STORE_BAD_RESPONSE)])
def test_a_failed_read_fails_the_turn_with_a_clear_message_and_the_resend_works(backend, converse, fault, code):
    proxy, served = backend
    conv = converse(proxy.url, breaker_open_seconds=0)  # the resend below may try at once
    talk(conv, "/cancel_order", '/inform{"auth_method": "email"}')
    before = conv.state.turn
    proxy.arm("find_user_id_by_email", fault, fault, fault)  # every attempt of the one call
    with pytest.raises(StoreUnavailable) as info:
        conv.send(EMAIL)
    assert info.value.code == code and info.value.message == c.SHOPPER_MESSAGES[code]
    assert "nothing was changed" in info.value.message and info.value.retry_after >= 1
    assert conv.state.turn == before and conv.state.user_id is None  # the failed turn left no trace
    t = conv.send(EMAIL)  # the same message again, the backend answering
    assert "you're signed in" in t.text and conv.state.user_id == USER
    assert served.store.write_log() == []


def test_connection_refused_fails_the_turn_and_the_breaker_spares_the_next_calls(converse):
    conv = converse(f"http://127.0.0.1:{free_port()}", breaker_open_seconds=60)
    conv.send("/cancel_order")
    conv.send('/inform{"auth_method": "email"}')
    for _ in range(2):
        with pytest.raises(StoreUnavailable) as info:
            conv.send(EMAIL)
        assert info.value.message == c.SHOPPER_MESSAGES[c.STORE_UNAVAILABLE]
    assert conv.engine.store.breaker.state == "open"


@pytest.mark.parametrize("fault", ["500", "hang", "malformed"])
def test_a_write_without_a_usable_answer_ends_the_flow_saying_the_outcome_is_unknown(backend, converse, fault):
    proxy, served = backend
    conv = converse(proxy.url)
    talk(conv, *CANCEL)
    proxy.arm("cancel_pending_order", fault, fault, fault)
    t = conv.send("/affirm")
    assert c.SHOPPER_MESSAGES[c.STORE_WRITE_UNKNOWN] in t.text and not t.flow_stack
    assert [(a.name, a.ok) for a in t.actions if a.write] == [("cancel_pending_order", False)]
    # a malformed answer comes after the write was applied: its replays (same key) did not apply it again
    assert cancels(served) == ([ORDER] if fault == "malformed" else [])
    keys = {k for path, k in proxy.seen if path == c.action_path("cancel_pending_order")}
    assert len(keys) == 1


@pytest.mark.parametrize("fault", ["late", "malformed", "500"])
def test_a_write_retried_with_its_key_is_applied_once_and_the_flow_completes(backend, converse, fault):
    proxy, served = backend
    conv = converse(proxy.url)
    talk(conv, *CANCEL)
    proxy.arm("cancel_pending_order", fault)  # only the first attempt fails
    t = conv.send("/affirm")
    assert f"Order {ORDER} is cancelled" in t.text, t.text
    assert cancels(served) == [ORDER]
    refunds = [p for p in served.store.get_order_details(ORDER, as_user=STAFF)["payment_history"]
               if p["transaction_type"] == "refund"]
    assert len(refunds) == 1
    sent = [k for path, k in proxy.seen if path == c.action_path("cancel_pending_order")]
    assert len(sent) == 2 and sent[0] == sent[1]


def test_a_policy_refusal_from_the_backend_is_said_like_the_engines_own(backend, converse, fresh_store):
    """The backend is the authority: it refuses what the engine's own store would refuse, in its words."""
    proxy, served = backend
    conv = converse(proxy.url)
    talk(conv, *CANCEL)
    served.store.cancel_pending_order(ORDER, "no longer needed", as_user=STAFF)  # changed behind our back
    t = conv.send("/affirm")
    local = fresh_store()
    local.cancel_pending_order(ORDER, "no longer needed", as_user=STAFF)
    with pytest.raises(StoreError) as own:
        local.cancel_pending_order(ORDER, "ordered by mistake", as_user=USER)
    assert own.value.message in t.text and not t.flow_stack
    assert cancels(served) == [ORDER]
