"""Understanding inside a conversation (issue #14), through `Conversation.send` with the trained
router the service ships: answers before routes, natural yes and no, corrections at the
confirmation, several tasks in one message. The store is compared after every write."""
from __future__ import annotations

from conftest import talk
from engine.store import STAFF

EMAIL = "raj.sanchez2046@example.com"      # raj_sanchez_2970
PENDING, DELIVERED = "#W4566809", "#W7736708"


def _signed_in(conv, opening: str):
    turns = talk(conv, opening, "email", EMAIL)
    return turns[-1]


def _at_cancel_confirmation(conv):
    """Signed in, cancelling PENDING "by mistake": the turn that asks to confirm."""
    _signed_in(conv, "/cancel_order")
    return talk(conv, PENDING, "ordered it by mistake")[-1]


def test_a_cancel_reason_in_plain_words_is_an_answer_not_a_cancel(engine):
    conv = engine().new_conversation()
    _signed_in(conv, "/cancel_order")
    conv.send(PENDING)
    t = conv.send("I don't need it anymore")
    assert t.slots["cancel_reason"] == "no longer needed"
    assert t.expecting.slot == "confirmation" and t.route.decided_by == "answer_first", t.route


def test_a_typed_address_answers_the_order_address_question(engine):
    conv = engine().new_conversation()
    _signed_in(conv, "/change_order_address")
    conv.send(PENDING)
    t = conv.send("12 Oak Street, Apt 5, Austin, TX 78701")
    assert t.active_flow == "change_order_address" and t.expecting.slot == "confirmation", t.text
    assert t.slots["new_address"]["city"] == "Austin"


def test_natural_yes_at_the_confirmation_writes(engine, fresh_store):
    e = engine()
    conv = e.new_conversation()
    _at_cancel_confirmation(conv)
    t = conv.send("ugh ok. yes, go ahead")
    assert [a.name for a in t.actions if a.write and a.ok] == ["cancel_pending_order"]
    s = fresh_store()
    s.cancel_pending_order(PENDING, "ordered by mistake", as_user=STAFF)
    assert e.store.export_data() == s.export_data()


def test_wait_no_at_the_confirmation_keeps_the_request(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    _at_cancel_confirmation(conv)
    t = conv.send("wait, no")
    assert t.text.startswith("What would you like to change?") and t.expecting.slot == "confirmation"
    assert e.store.export_data() == seed_export
    t = conv.send('/reask{"slot": "cancel_reason"}')
    assert t.expecting.slot == "cancel_reason" and t.slots["order_id"] == PENDING


def test_a_correction_at_the_confirmation_changes_the_slot_and_confirms_again(engine):
    conv = engine().new_conversation()
    _at_cancel_confirmation(conv)
    t = conv.send("no, I don't need it anymore")
    assert t.slots["cancel_reason"] == "no longer needed", t.text
    assert t.route.decided_by == "correction_at_confirmation"
    assert t.expecting.slot == "confirmation" and "no longer needed" in t.text


def test_cancel_one_order_and_return_from_another_in_one_message(engine, fresh_store):
    e = engine()
    conv = e.new_conversation()
    t = conv.send(f"I want to cancel order {PENDING} and return items from order {DELIVERED}")
    assert t.active_flow == "authenticate" and [f.flow_id for f in conv.state.stack][0] == "cancel_order"
    assert 'then "return items"' in t.text.lower(), t.text
    t = talk(conv, "email", EMAIL)[-1]
    assert t.slots["order_id"] == PENDING and t.expecting.slot == "cancel_reason"
    t = talk(conv, "no longer needed", "yes")[-1]
    assert [a.name for a in t.actions if a.write and a.ok] == ["cancel_pending_order"]
    assert t.active_flow == "return_items" and t.slots["order_id"] == DELIVERED, t.text
    assert t.expecting.slot == "return_item_ids"


def _seed_order(order_id: str) -> dict:
    import json
    from pathlib import Path
    return json.loads((Path(__file__).resolve().parents[1] / "engine/store/seed/orders.json").read_text())[order_id]


def test_a_question_inside_a_task_is_answered_from_the_store_and_the_task_goes_on(engine):
    conv = engine().new_conversation()
    _signed_in(conv, f"I want to return something from order {DELIVERED}")
    conv.send("the notebook")
    notebook = next(i for i in _seed_order(DELIVERED)["items"] if i["name"] == "Notebook")
    t = conv.send("how much will I get back?")
    assert t.route.decided_by == "task_question"
    assert f"${notebook['price']:.2f}" in t.text
    assert t.active_flow == "return_items" and t.expecting.slot == "refund_method"


def test_every_confirmation_states_the_money(engine):
    conv = engine().new_conversation()
    t = _at_cancel_confirmation(conv)
    total = sum(i["price"] for i in _seed_order(PENDING)["items"])
    assert t.expecting.slot == "confirmation" and f"${total:,.2f}" in t.text, t.text


def test_undo_a_cancellation_gets_a_clear_answer_and_what_remains(engine):
    conv = engine().new_conversation()
    _at_cancel_confirmation(conv)
    conv.send("yes")
    t = conv.send("can you undo my cancellation?")
    assert "can't be reopened" in t.text or "cannot be reopened" in t.text, t.text
    assert "/checkout" in [b.payload for m in t.messages for b in m.buttons]
    assert t.active_flow is None


def test_that_one_picks_the_only_candidate_and_nothing_else(engine):
    """One delivered order shown: "yeah that's the one" is that order; it fills no other slot."""
    conv = engine().new_conversation()
    talk(conv, "I want to return something", "email", "ivan.santos3158@example.com")
    t = conv.send("yeah that's the one")
    assert t.slots.get("order_id") == "#W6893533", t.text
    assert "refund_method" not in t.slots and t.expecting.slot == "return_item_ids"


def test_a_yes_with_more_words_is_a_yes_and_a_question_is_not(engine):
    conv = engine().new_conversation()
    _at_cancel_confirmation(conv)
    t = conv.send("ok, and which card paid for this order?")
    assert not [a for a in t.actions if a.write] and t.expecting.slot == "confirmation"
    t = conv.send("yes go ahead. no time to wait for it anyway")
    assert [a.name for a in t.actions if a.write and a.ok] == ["cancel_pending_order"], t.text


def test_a_request_for_another_task_leaves_the_wrong_flow(engine):
    conv = engine().new_conversation()
    _signed_in(conv, "/checkout")
    t = conv.send(f"no, I don't want to buy anything. I want to cancel my existing order, {PENDING}")
    assert t.active_flow == "cancel_order" and t.route.decided_by == "digression", (t.route, t.text)
    assert t.slots.get("order_id") == PENDING


def test_an_opening_picks_no_order_by_a_vague_reference(engine):
    """"I ordered something by mistake" names a reason, not which of three pending orders."""
    conv = engine().new_conversation()
    t = talk(conv, "I ordered something by mistake, please cancel it", "email", "sofia.rossi2645@example.com")[-1]
    assert t.expecting.slot == "order_id" and "order_id" not in t.slots, t.text
    assert t.slots.get("cancel_reason") == "ordered by mistake"


def test_an_order_found_from_the_product_named_is_said(engine):
    conv = engine().new_conversation()
    t = talk(conv, "I'd like to exchange my boots", "email", "liam.thomas9081@example.com")[-1]
    assert "I found it: order #W8488728" in t.text and t.expecting.slot == "new_item_ids", t.text


def test_the_same_one_again_for_a_faulty_item(engine, fresh_store):
    e = engine()
    conv = e.new_conversation()
    talk(conv, "I'd like to exchange my boots", "email", "liam.thomas9081@example.com")
    t = talk(conv, "the same one, mine are faulty", "paypal")[-1]
    assert t.slots["new_item_ids"] == t.slots["exchange_item_ids"] and t.expecting.slot == "confirmation"
    t = conv.send("yes")
    s = fresh_store()
    item = t.slots["exchange_item_ids"]
    s.exchange_delivered_order_items("#W8488728", item, item, "paypal_3650980", allow_unchanged=True, as_user=STAFF)
    assert e.store.export_data() == s.export_data()


def test_a_yes_with_a_question_in_it_waits_for_the_answer(engine):
    conv = engine().new_conversation()
    _at_cancel_confirmation(conv)
    t = conv.send("that's right, but what about a coupon? it was a hassle")
    assert not [a for a in t.actions if a.write] and t.expecting.slot == "confirmation", t.text


def test_typing_a_buttons_label_presses_it(engine):
    conv = engine().new_conversation()
    _at_cancel_confirmation(conv)
    t = conv.send("no")
    label = next(b.title for b in t.messages[-1].buttons if b.payload.startswith("/reask"))
    t = conv.send(label)
    assert t.active_flow == "cancel_order" and t.expecting.slot != "confirmation", t.text


def test_options_kept_from_the_current_item_are_said(engine):
    """"1L black" for a white stainless kettle: two 1L black kettles exist (glass, steel), so it is
    asked; "the same but 1L black" keeps the material, and that is said at once, not first seen in
    the summary."""
    conv = engine().new_conversation()
    talk(conv, "I want to exchange the electric kettle from order #W1630030", "email", "raj.santos4322@example.com")
    t = conv.send("1L black please")
    assert t.expecting.slot == "new_item_ids" and "glass" in t.text and "stainless steel" in t.text, t.text
    t = conv.send("the same but 1L black")
    assert "I kept the material stainless steel" in t.text, t.text


def test_an_order_by_the_last_digits_of_its_number(engine):
    conv = engine().new_conversation()
    talk(conv, "I want to cancel an order", "email", "sofia.rossi2645@example.com")
    t = conv.send("the one ending in 15")
    assert t.slots.get("order_id") == "#W5500815" and t.expecting.slot == "cancel_reason", t.text
