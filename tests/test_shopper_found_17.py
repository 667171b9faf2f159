"""What language-model shoppers found on tau-bench train tasks 370-389 (round 15): after a cancellation, "also
wanna change some stuff on my other order" started another cancellation, and "no dont cancel that one, i want to
change items in it" got "Sorry, I didn't get that" (the refusal and the task named were not heard). Through
`Conversation.send` with the trained router, on the seed store (messages written for these tests)."""
from __future__ import annotations

import pytest

from conftest import talk

DAIKI = "daiki.johnson2279@example.com"  # pending #W1436802 (tea kettle) and #W5282037 (garden hose, ...)


def _cancelled_one(engine):
    conv = engine().new_conversation()
    t = talk(conv, "I need to cancel order #W1436802, no longer needed", DAIKI, "yes")[-1]
    assert "cancelled" in t.text, t.text
    return conv


@pytest.mark.parametrize("said", ["ok also wanna change some stuff on my other order",
                                  "next I need to change a few things on the other order"])
def test_a_change_on_the_other_order_after_a_cancellation_is_no_second_cancellation(engine, said):
    t = _cancelled_one(engine).send(said)
    assert t.active_flow == "change_order_items", (t.flow_stack, t.text)


@pytest.mark.parametrize("said", ["no dont cancel that one, i want to change items in it",
                                  "no, do not cancel it. I want to swap an item in it"])
def test_refusing_the_cancellation_at_its_order_question_starts_the_task_named(engine, said):
    conv = _cancelled_one(engine)
    conv.send("ok and the other order please")
    assert conv.state.top is not None and conv.state.top.flow_id == "cancel_order", conv.state.top
    t = conv.send(said)
    assert t.flow_stack == ["change_order_items"], (t.flow_stack, t.text)
    assert "Nothing was changed" in t.text or "dropped" in t.text, t.text
