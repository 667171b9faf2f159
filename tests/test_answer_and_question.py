"""Messages that answer and ask at once (language-model shoppers on dev tasks 7, 10, 11, 15): the answer is
taken and the question answered, and a reason that mentions "stop" does not stop the task."""
from __future__ import annotations

from conftest import talk

EMAIL = "raj.sanchez2046@example.com"      # raj_sanchez_2970
PENDING, DELIVERED = "#W4566809", "#W7736708"


def test_an_answer_and_a_question_in_one_message_are_both_taken(engine):
    conv = engine().new_conversation()
    talk(conv, "/return_items", "email", EMAIL, DELIVERED)
    t = conv.send("all of them. is the return process complicated? i'm a bit worried about it")
    assert t.slots.get("return_item_ids"), (t.slots, t.text)
    assert t.expecting.slot == "refund_method", t.text
    assert t.route.decided_by == "answer_and_question", t.route


def test_a_yes_with_a_question_confirms_and_answers(engine):
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", EMAIL, PENDING, "ordered by mistake")
    t = conv.send("yes cancel it. and it's cancelled immediately right?")
    assert any(a.name == "cancel_pending_order" and a.ok for a in t.actions), (t.actions, t.text)
    assert "Shall I cancel it?" not in t.text, t.text


def test_before_saying_yes_a_question_still_waits(engine):
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", EMAIL, PENDING, "ordered by mistake")
    t = conv.send("Before I say yes... is it cancelled right away?")
    assert not t.actions and t.expecting.slot == "confirmation", t.text


def test_a_reason_that_says_stop_is_not_a_stop(engine):
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", EMAIL, PENDING)
    t = conv.send("Because you won't stop spamming me, that's why.")
    assert "stopped" not in t.text and t.flow_stack and t.flow_stack[0] == "cancel_order", (t.flow_stack, t.text)
    t = conv.send("no, stop. forget it")
    assert "stopped" in t.text and not t.flow_stack, t.text


def test_that_is_not_everything_adds_to_the_list_at_the_summary(engine):
    """train 144: "no, that's not everything. I also want to change the digital camera" replaced the
    charger by the camera instead of adding it."""
    conv = engine().new_conversation()
    talk(conv, "/change_order_items", "email", "ethan.smith2338@example.com", "#W6711349", "the charger",
         "20000mAh with USB-C please", "paypal")
    t = conv.send("no, that's not everything. I also want to change the digital camera")
    assert "Portable Charger" in t.text and "Digital Camera" in t.text, t.text
    assert len(t.slots.get("modify_item_ids") or []) == 2, t.slots
