"""What language-model shoppers found on tau-bench train tasks 490-499 (round 21): at an exchange's confirmation,
"Is that the Mastercard ending 6380?" started "Change an order's payment method" for a delivered order, and after
"never mind" the exchange's summary read "in order ," (the digression's cleared order was never put back); in a
change of two items the first pick went unsaid until the summary. Through `Conversation.send` with the trained
router, on the seed store (messages written for these tests)."""
from __future__ import annotations

from conftest import started_tasks, talk

EMMA = "emma.santos7683@example.com"      # delivered #W1539823 (camera ...); pending #W9903153; Mastercard 6380
YUSUF = "yusuf.ahmed5476@example.com"     # pending #W7756209: Backpack (grey, small, nylon, laptop), Grill


def _camera_exchange_at_confirmation(conv):
    t = talk(conv, "I want to exchange the indoor security camera in order #W1539823", EMMA,
             "The same one as my current one please")[-1]
    assert t.expecting.slot == "confirmation" and "in order #W1539823" in t.text, t.text
    return t


def test_a_question_about_the_exchange_card_is_answered_in_the_exchange(engine):
    conv = engine().new_conversation()
    _camera_exchange_at_confirmation(conv)
    t = conv.send("Before I say yes, I wanted to use my credit card, the one on file as credit_card_5869505. "
                  "Is that the Mastercard ending 6380?")
    assert started_tasks(t) == [] and conv.state.top.flow_id == "exchange_items", (t.route, t.text)
    assert "credit_card_5869505 is your Mastercard ending 6380" in t.text, t.text
    assert t.expecting.slot == "confirmation" and "in order #W1539823" in t.text, t.text


def test_naming_the_card_the_exchange_already_uses_changes_nothing(engine):
    conv = engine().new_conversation()
    _camera_exchange_at_confirmation(conv)
    t = conv.send("I want to use credit_card_5869505 for this")
    assert started_tasks(t) == [] and conv.state.value("payment_method_id") == "credit_card_5869505", t.text
    assert t.expecting.slot == "confirmation", t.text


def test_after_a_digression_is_called_off_the_exchange_keeps_its_order(engine):
    conv = engine().new_conversation()
    _camera_exchange_at_confirmation(conv)
    t = conv.send("I also need to change the payment method of my other order #W9903153")
    assert started_tasks(t) == ["change_order_payment"], (t.route, t.text)
    t = conv.send("never mind")
    assert conv.state.value("order_id") == "#W1539823" and "in order #W1539823" in t.text, t.text
    assert "nothing is charged" in t.text, t.text
    assert talk(conv, "yes")[-1].text.startswith("Done: the exchange for order #W1539823"), conv.state.slots


def test_another_orders_payment_at_a_confirmation_is_no_correction_of_this_one(engine):
    conv = engine().new_conversation()
    _camera_exchange_at_confirmation(conv)
    conv.send("I also need to change the payment method of my other order")
    assert conv.state.value("payment_method_id") == "credit_card_5869505", conv.state.slots


def test_the_first_pick_is_said_before_the_next_items_question(engine):
    conv = engine().new_conversation()
    t = talk(conv, "I want to change the backpack and the grill in order #W7756209", YUSUF,
             "the large polyester one with the hydration compartment, keep it grey")[-1]
    said = t.text.find("the Backpack (grey, small, nylon, laptop) becomes grey, large, polyester, hydration ($218.59)")
    asked = t.text.find("What would you like instead of the Grill")
    assert 0 <= said < asked, t.text


def test_hold_on_before_another_request_at_a_confirmation_is_no_no(engine):
    """"hold on, I also need ..." was a no to the summary ("What would you like to change?")."""
    conv = engine().new_conversation()
    _camera_exchange_at_confirmation(conv)
    t = conv.send("hold on, I also need to change the payment method of my other order #W9903153")
    assert started_tasks(t) == ["change_order_payment"], (t.route, t.text)


def test_a_closing_after_a_finished_task_says_goodbye(engine):
    """Train 495 (re-run): "ok. that's it" after the return was done got "I don't have an answer to that"."""
    conv = engine().new_conversation()
    _camera_exchange_at_confirmation(conv)
    assert conv.send("yes").text.startswith("Done: the exchange")
    for said in ("ok. that's it", "no that's all"):
        t = engine().new_conversation().send(said) if said != "ok. that's it" else conv.send(said)
        assert "Goodbye" in t.text and t.route.decided_by == "thanks", (said, t.route, t.text)
