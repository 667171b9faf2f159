"""What language-model shoppers found on tau-bench train tasks 450-469 (round 19): "I have a few orders I need help
with... I'd like to exchange ..." started a purchase; "a couple of cancellations and one change" on their orders got
the scope answer; "Let's start with cancelling an order then." got an FAQ line; "how I'm paying for" was read as the
name "Paying For"; "The black one, size L." to "which helmet?" searched the whole order; "keep it as is. But I also
want to swap the cycling helmet" dropped the swap. Through `Conversation.send` with the trained router, on the seed
store (messages written for these tests)."""
from __future__ import annotations

import pytest

from conftest import started_tasks, talk

DAIKI = "daiki.li3093@example.com"  # pending #W6958840: two cycling helmets (S white, L black), a black speaker


@pytest.mark.parametrize("text, task", [
    ("hello, so I have some orders I need a hand with... first I'd like to return a couple of things from one of them",
     "return_items"),
    ("Hey! A few things to sort out with my orders today: two cancellations and a change or two.", "cancel_order"),
    ("Right. Let's begin with cancelling an order then.", "cancel_order"),
])
def test_opening_starts_the_task_asked_for(engine, text, task):
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == [task], (t.route, t.text)


def test_how_im_paying_is_no_name(engine):
    t = talk(engine().new_conversation(), "long day. I need to change how I'm paying for an order",
             "daiki li, zip 94102")[-1]
    assert "Paying For" not in t.text, t.text


def test_which_item_is_read_among_the_items_offered(engine):
    conv = engine().new_conversation()
    t = talk(conv, "please change the cycling helmet in my order #W6958840", DAIKI)[-1]
    assert "two that match" in t.text, t.text
    t = conv.send("the black one in L")
    assert "instead of the Cycling Helmet (L, black, low)" in t.text and "Bluetooth Speaker" not in t.text, t.text


def test_a_task_dropped_and_another_asked_for_in_one_message(engine):
    conv = engine().new_conversation()
    talk(conv, "I'd like to pay for #W6958840 with my gift card", DAIKI)
    t = conv.send("Oh well, leave it as it is then. But I also want to change a cycling helmet in that order.")
    assert t.active_flow == "change_order_items" and "Cycling Helmet" in t.text, t.text
