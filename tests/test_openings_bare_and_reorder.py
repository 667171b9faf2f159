"""Openings the dev sets still missed (new wordings here): a person or a status asked in a word or two ("customer
service", "shipping update?") went to the open answer; "reorder ..." and "... just order me the same kettle again"
after a cancelled order were read as a task of the old order, not a purchase."""
from __future__ import annotations

import pytest

from conftest import started_tasks


@pytest.mark.parametrize("text, task", [
    ("customer support", "handoff"),
    ("a human please", "handoff"),
    ("order update?", "order_status"),
    ("package status pls", "order_status"),
    ("re-order the yoga mat I got last month, same colour", "checkout"),
    ("#W1234567 was cancelled, I know it can't be reopened - just order me the same backpack again", "checkout"),
])
def test_short_asks_and_purchases_again_start_their_task(engine, text, task):
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == [task], (t.route, t.text)


@pytest.mark.parametrize("text", ["customer service hours?", "order me a pizza", "reorder a pizza for me"])
def test_look_alikes_start_nothing(engine, text):
    t = engine().new_conversation().send(text)
    assert started_tasks(t) == [], (t.route, t.text)
