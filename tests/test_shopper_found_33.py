"""What a language-model shopper found on tau-bench train tasks 84-89 (round 33), and the knife-edge readings a
retrain exposed: "hi, um, could I cancel an order please?" got the cancellation rules quoted instead of the
cancellation; "can a person help me with my order" was offered the order tasks (or read as the order's status)
instead of a person; "I'll keep the order and just change the lamp to white" was read as buying.
Through `Conversation.send` with the trained router on the seed store (messages written for these tests)."""
from __future__ import annotations

import pytest

from conftest import started_tasks
from engine.question_or_request import read_message


@pytest.mark.parametrize("text, task", [
    ("hi, um, could I cancel an order please?", "cancel_order"),
    ("can I please return something?", "return_items"),
])
def test_a_task_asked_for_with_a_please_is_started(engine, text, task):
    assert read_message(text).kind == "request"
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == [task], (t.route, t.text)


@pytest.mark.parametrize("text", [
    "how can I cancel an order please?",
    "could I please exchange an item if it was opened?",
])
def test_the_way_or_a_condition_asked_politely_is_still_a_question(text):
    assert read_message(text).kind == "question"


@pytest.mark.parametrize("text", ["can a person help me with my order please",
                                  "is there a real person who can look at my orders"])
def test_a_person_asked_for_about_an_order_is_the_handoff(engine, text):
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == ["handoff"], (t.route, t.text)


def test_an_order_kept_then_an_item_changed_starts_the_change(engine):
    t = engine().new_conversation().send("I'll keep the order and just change the lamp to white.")
    assert started_tasks(t)[:1] in (["change_order_items"], ["exchange_items"]), (t.route, t.text)
