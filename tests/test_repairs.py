"""Repairs and slot carry-over across flows; ownership of orders. Store compared every time."""
from conftest import sign_in_by_email, talk
from engine.store import STAFF


def test_signed_in_once_and_order_offered_in_next_flow(engine, fresh_store):
    e = engine()
    conv = e.new_conversation()
    talk(conv, "/order_status", *sign_in_by_email("omar.silva4147@example.com"), "#W9728773")
    t = conv.send("/cancel_order")
    assert t.expecting.slot == "order_id" and "Is it still #W9728773?" in t.text  # no second sign-in
    assert t.messages[-1].buttons[0].payload == "/affirm"
    talk(conv, "/affirm", '/inform{"cancel_reason": "no longer needed"}', "/affirm")
    s = fresh_store()
    s.cancel_pending_order("#W9728773", "no longer needed", as_user=STAFF)
    assert e.store.export_data() == s.export_data()


def test_other_users_order_refused_in_a_write_flow(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    t = talk(conv, "/cancel_order", *sign_in_by_email("omar.silva4147@example.com"), "#W7736708")[-1]
    assert "isn't one of your orders" in t.text and t.expecting.slot == "order_id"
    t = conv.send('/cancel_order{"order_id": "#W7736708"}')
    assert not [a for a in t.actions if a.write]
    assert e.store.export_data() == seed_export


def test_start_over_clears_answers(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    talk(conv, "/cancel_order", *sign_in_by_email("omar.silva4147@example.com"), "#W9728773")
    t = conv.send("/start_over")
    assert 'start "Cancel an order" again' in t.text and t.expecting.slot == "order_id"
    assert conv.state.user_id == "omar_silva_7446"
    assert e.store.export_data() == seed_export


def test_cancel_with_nothing_in_progress(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    t = conv.send("/cancel")
    assert "nothing in progress" in t.text
    # a bare "cancel it" may have meant an order: the reply offers that flow
    assert [b.payload for b in t.messages[-1].buttons] == ["/cancel_order"]
    assert conv.send("/cancel_order").expecting is not None
    assert e.store.export_data() == seed_export


class _HalfSureRouter:
    """The trained router's answer to a message it half-recognises: fallback by its threshold, with a flow
    second (0.3) and another far behind (0.1)."""

    def route(self, text, ctx=None):
        from engine.contracts import Route, RouteCandidate
        return Route(label="fallback", confidence=0.6, decided_by="threshold", threshold=0.48,
                     top=[RouteCandidate(label="fallback", score=0.6), RouteCandidate(label="return_items", score=0.3),
                          RouteCandidate(label="order_status", score=0.1)])


def test_a_half_recognised_request_is_answered_and_offered_not_started(engine, seed_export):
    """Below the threshold no flow starts (a wrong one would need a "never mind"); the flow the router
    ranked second comes first among the answer's buttons, and pressing it starts that flow."""
    from pathlib import Path

    from engine.engine import Engine
    from engine.generator import GeneratorSettings, load_answerer
    root = Path(__file__).resolve().parents[1]
    base = engine()
    answerer = load_answerer(root, GeneratorSettings(backend="none", use_embeddings=False))
    e = Engine(base.flows, base.store, _HalfSureRouter(), base.extractor, answerer, root)
    conv = e.new_conversation()
    t = conv.send("the desk lamp i got flickers, what are my options")
    payloads = [b.payload for b in t.messages[-1].buttons]
    assert payloads[0] == "/return_items"
    assert conv.state.top is None and t.expecting is None  # answered, nothing started
    assert any(ev.get("type") == "flows_suggested" for ev in t.events)
    started = conv.send(payloads[0])  # the button starts the return, which first signs the shopper in
    assert started.route.label == "return_items" and started.route.decided_by == "trigger", started.route
    assert [f.flow_id for f in conv.state.stack] == ["return_items", "authenticate"]
    assert started.active_flow == "authenticate" and started.expecting.slot == "auth_method", started.text
    assert e.store.export_data() == seed_export
