"""A shopper who weighs options aloud and then decides: the task decided is started, not the first option
named; one who decides nothing is answered, not started. Pure text (decided_text) and through
`Conversation.send` with the trained router (messages written for these tests)."""
from __future__ import annotations

import pytest

from conftest import started_tasks
from engine.dialogue.deliberation import decided_text


@pytest.mark.parametrize("said, task", [
    ("The lamp I got is too dim. Return it? Exchange it? Hmm, I'll exchange it for a brighter one.", "exchange_items"),
    ("Should I swap the sneakers for a bigger size? Nah, I'm over them. Just refund them please.", "return_items"),
    ("I was going to cancel my pending order because the kettle is the wrong colour, but I'll keep the order "
     "and just change the kettle to white.", "change_order_items"),
    ("The backpack arrived and it's huge. I could exchange it for the small one or just send it back... "
     "honestly, send it back. Please return it.", "return_items"),
])
def test_the_option_decided_last_is_started(engine, said, task):
    assert decided_text(said) is not None
    t = engine().new_conversation().send(said)
    assert started_tasks(t)[:1] == [task], (t.route, t.text)


@pytest.mark.parametrize("said", [
    "should I return the jacket or exchange it for a smaller size? what would you do?",
    "I want to return the shoes. I'll need a label.",
    "cancel #W7430166 and then I'll order a new kettle",
])
def test_a_message_that_weighs_nothing_or_decides_nothing_is_left_whole(said):
    assert decided_text(said) is None


@pytest.mark.parametrize("said, decided", [
    ("I'll keep the order and just change the lamp to white.", "Change the lamp to white."),
    ("ok I'll keep my order but swap the tent for the green one", "Swap the tent for the green one"),
])
def test_an_order_kept_before_the_change_decided_leaves_the_change(said, decided):
    # "keep the order" is no purchase: the change after it is what is asked
    assert decided_text(said) == decided


def test_keeping_something_with_no_task_after_it_is_left_whole():
    assert decided_text("I'll keep the order and let you know how it goes") is None
