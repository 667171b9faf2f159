"""Tasks named, not yet told ("a few things to sort out with my orders: a return and a cancellation"): each
is started in the order named, instead of "I don't have an answer to that". Messages written for these tests."""
from __future__ import annotations

import pytest

from engine.dialogue.named_tasks import named_tasks


@pytest.mark.parametrize("text,flows", [
    ("got a couple of things to fix on my orders: a cancellation and a return",
     ["cancel_order", "return_items"]),
    ("need to return or swap some stuff, one of them is the wrong size", ["return_items", "exchange_items"]),
    ("two of my orders need attention, the payment on one and a new shipping address for the other",
     ["change_order_payment", "change_order_address"]),
    ("a few things with my orders: cancel one, and the address on file is old too",
     ["cancel_order", "change_default_address"]),
])
def test_each_task_named_in_order(text, flows):
    assert [f for f, _ in named_tasks(text)] == flows


@pytest.mark.parametrize("text", [
    "I want to return an item",                                   # one task: the router's to read
    "the exchange rate on my purchase was wrong and I want to cancel the payment",  # a bank's, no shop task
    "a change and a return, please",                              # "a change" names no task; no order or thing
    "cancel my card and return the money to my account",          # no order or thing of theirs
])
def test_no_tasks_named(text):
    assert named_tasks(text) == []


def test_the_first_task_named_starts_and_the_next_waits(engine):
    conv = engine().new_conversation()
    t = conv.send("hi there, I've got some things to sort out with my orders - a return and a cancellation")
    started = [e["flow"] for e in t.events if e.get("type") == "flow_started"]
    assert started[0] == "return_items", t.text
    assert [q["flow"] for q in conv.state.queued] == ["cancel_order"], t.text
    assert "don't have an answer" not in t.text, t.text
