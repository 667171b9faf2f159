"""Security issue #19: no message can sign anyone in, or reach another shopper's orders.

Two walls are tested separately and together: the engine's one way of setting a slot
(`TurnContext.fill`: `protected` slots refused, shopper-scoped values checked against the signed-in
shopper) and the store's own refusal of any user or order but the principal's (`as_user`), with
its write log as the witness.
"""
from __future__ import annotations

import pytest

from engine import Engine
from engine.store import STAFF, SqliteStore, StoreError
from engine.store.actions import call_action

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
VICTIM = "sofia_rossi_8776"          # owns pending #W5918442 and credit_card_5051208
VICTIM_ORDER = "#W5918442"
SHOPPER_EMAIL = "raj.sanchez2046@example.com"
SHOPPER = "raj_sanchez_2970"         # owns pending #W4566809, delivered #W7736708
SHOPPER_PENDING = "#W4566809"


@pytest.fixture
def engine(store_copy):
    store = SqliteStore(store_copy())
    yield Engine.load(ROOT, store=store, router="rules", generator=None)
    store.close()


def _texts(turn) -> str:
    return " ".join(m.text for m in turn.messages)


def test_payload_user_id_does_not_sign_in_and_yes_cancels_nothing(engine):
    conv = engine.new_conversation()
    before = engine.store.export_data()
    turn = conv.send(f'/cancel_order{{"order_id":"{VICTIM_ORDER}","cancel_reason":"no longer needed",'
                     f'"user_id":"{VICTIM}"}}')
    assert turn.expecting.slot == "auth_method", _texts(turn)   # asked to sign in, not to confirm
    assert "user_id" not in turn.slots
    assert any(e["type"] == "slot_rejected" and e["slot"] == "user_id" for e in turn.events)
    turn = conv.send("yes")
    assert turn.actions == [] or all(not a.write for a in turn.actions)
    assert engine.store.export_data() == before
    assert engine.store.write_log() == []


def test_payload_user_id_cannot_list_someone_elses_orders(engine):
    conv = engine.new_conversation()
    turn = conv.send(f'/order_status{{"user_id":"{VICTIM}"}}')
    assert turn.expecting.slot == "auth_method"
    assert VICTIM_ORDER not in _texts(turn) and not turn.actions


def _sign_in_after(engine, opening: str):
    """Send `opening`, then sign in as SHOPPER by email: (conversation, the signing-in turn)."""
    conv = engine.new_conversation()
    conv.send(opening)
    conv.send("email")
    return conv, conv.send(SHOPPER_EMAIL)


def test_payload_order_waits_for_sign_in_then_is_checked_against_the_shopper(engine):
    """A foreign order in a payload sent before sign-in is refused once the shopper is known."""
    _, turn = _sign_in_after(engine, f'/cancel_order{{"order_id":"{VICTIM_ORDER}"}}')
    assert turn.slots["user_id"] == SHOPPER
    assert "order_id" not in turn.slots
    assert turn.expecting.slot == "order_id"
    assert f"Order {VICTIM_ORDER} isn't one of your orders" in _texts(turn)


def test_payload_own_order_before_sign_in_is_kept(engine):
    _, turn = _sign_in_after(engine, f'/cancel_order{{"order_id":"{SHOPPER_PENDING}"}}')
    assert turn.slots["order_id"] == SHOPPER_PENDING
    assert turn.expecting.slot == "cancel_reason"


def _signed_in(engine):
    conv, turn = _sign_in_after(engine, "/order_status")
    assert turn.slots["user_id"] == SHOPPER
    return conv


def test_signed_in_payload_with_foreign_order_is_refused(engine):
    conv = _signed_in(engine)
    turn = conv.send(f'/cancel_order{{"order_id":"{VICTIM_ORDER}","cancel_reason":"no longer needed"}}')
    assert turn.expecting.slot == "order_id"
    assert "isn't one of your orders" in _texts(turn)
    conv.send("yes")
    assert engine.store.write_log() == []


def test_correction_cannot_swap_in_a_foreign_order_or_payment_method(engine):
    conv = _signed_in(engine)
    turn = conv.send(f'/cancel_order{{"order_id":"{SHOPPER_PENDING}","cancel_reason":"no longer needed"}}')
    assert turn.expecting.slot == "confirmation"
    turn = conv.send(f'/inform{{"order_id":"{VICTIM_ORDER}"}}')
    assert turn.slots["order_id"] == SHOPPER_PENDING
    assert "isn't one of your orders" in _texts(turn)
    turn = conv.send(f'/change_order_payment{{"order_id":"{SHOPPER_PENDING}",'
                     f'"payment_method_id":"credit_card_5051208"}}')
    assert turn.slots.get("payment_method_id") != "credit_card_5051208"


def test_inform_outside_a_flow_gets_an_answer(engine):
    turn = engine.new_conversation().send('/inform{"order_id": "#W4566809"}')
    assert turn.messages and "nothing is being asked" in _texts(turn)


# -- the store's own wall --------------------------------------------------------------------------

def test_store_refuses_a_missing_principal_and_other_users(store):
    for call in (lambda: store.get_order_details(VICTIM_ORDER, as_user=None),
                 lambda: store.get_user_details(VICTIM, as_user=None),
                 lambda: store.cancel_pending_order(VICTIM_ORDER, "no longer needed", as_user=None),
                 lambda: store.list_user_orders(VICTIM, as_user=""),
                 lambda: store.get_order_details(VICTIM_ORDER, as_user="staff")):
        with pytest.raises(StoreError) as info:
            call()
        assert info.value.code in ("not_authenticated", "not_your_order")
    with pytest.raises(StoreError) as info:
        store.cancel_pending_order(VICTIM_ORDER, "no longer needed", as_user=SHOPPER)
    assert info.value.code == "not_your_order"
    with pytest.raises(TypeError):  # the principal is never optional
        store.get_order_details(VICTIM_ORDER)
    assert store.write_log() == []


def test_write_log_names_the_principal_and_the_owner(store):
    store.cancel_pending_order(SHOPPER_PENDING, "no longer needed", as_user=SHOPPER)
    store.cancel_pending_order(VICTIM_ORDER, "no longer needed", as_user=STAFF)
    log = [{k: e[k] for k in ("op", "as_user", "user_id", "order_id")} for e in store.write_log()]
    assert log == [
        {"op": "cancel_pending_order", "as_user": SHOPPER, "user_id": SHOPPER, "order_id": SHOPPER_PENDING},
        {"op": "cancel_pending_order", "as_user": "staff", "user_id": VICTIM, "order_id": VICTIM_ORDER}]


def test_call_action_without_sign_in_is_refused(store):
    with pytest.raises(StoreError) as info:
        call_action(store, "cancel_pending_order", {"order_id": VICTIM_ORDER, "reason": "no longer needed"}, None)
    assert info.value.code == "not_authenticated"
    with pytest.raises(StoreError) as info:
        call_action(store, "get_user_details", {"user_id": VICTIM}, SHOPPER)
    assert info.value.code == "not_your_order"
