"""What language-model shoppers found on tau-bench train tasks 350-369 (round 14), with no task running: "Great,
thanks!" after a finished task got "I don't have an answer to that"; "hi, i'd like to change a phone in one of my
orders" was read as changing the account's phone number; "can I cancel an order I made?" was answered with the
cancellation rule, not started; "I have a few things to sort out with my orders, could you help?" was offered
"Order status" and "Buy something" only. Through `Conversation.send` with the trained router, on the seed store
(messages written for these tests)."""
from __future__ import annotations

import pytest

from conftest import payloads, started_tasks, talk

AARAV = "aarav.davis1165@example.com"  # pending #W7430166 (electric kettle ...)
ORDER_TASKS = ["/order_status", "/cancel_order", "/return_items", "/exchange_items", "/change_order_items",
               "/change_order_address", "/change_order_payment"]


@pytest.mark.parametrize("said", ["Great, thanks!", "thank you so much, that was really helpful!",
                                  "thanks, you're awesome :)"])
def test_thanks_after_a_finished_task_gets_a_friendly_reply(engine, said):
    """Train 350-369: "Great, thanks!" after an order's status got "I don't have an answer to that in this shop's
    policy, FAQ or catalogue" (here, without a generator: "I'm not sure I can answer that")."""
    conv = engine().new_conversation()
    done = talk(conv, "where is my order #W7430166", AARAV)[-1]
    assert "is pending" in done.text and conv.state.top is None, done.text
    t = conv.send(said)
    assert t.text.startswith("You're welcome") and "not sure" not in t.text, t.text
    assert started_tasks(t) == [] and conv.state.top is None, t.events


def test_thanks_that_close_the_chat_say_goodbye_and_thanks_with_a_request_start_it(engine):
    t = engine().new_conversation().send("thank you, that's everything I needed")
    assert "Goodbye" in t.text and started_tasks(t) == [], t.text
    t = engine().new_conversation().send("thanks! now I'd like to cancel my order #W7430166")
    assert started_tasks(t)[:1] == ["cancel_order"], (t.route, t.text)


@pytest.mark.parametrize("said", ["hi, i'd like to change a phone in one of my orders",
                                  "i need to change the headphones in one of my orders",
                                  "hey can you help me swap a desk lamp on my order"])
def test_a_product_to_change_in_one_of_my_orders_starts_the_item_change(engine, said):
    """Train 350-369: "change a phone" was read as the account's phone number (a request no flow does), and the
    router is lukewarm on "change <product> in one of my orders" as a whole."""
    t = engine().new_conversation().send(said)
    assert started_tasks(t)[:1] == ["change_order_items"], (t.route, t.text)


@pytest.mark.parametrize("said", ["I need to change my phone number", "can I change the password on my account?",
                                  "I'd like to switch the desk lamp in my order to express shipping"])
def test_requests_no_flow_does_still_start_no_task(engine, said):
    t = engine().new_conversation().send(said)
    assert started_tasks(t) == [], (t.route, t.text)


@pytest.mark.parametrize("said", ["hello, um, can I cancel an order I made?",
                                  "hey can i cancel an order that i made?"])
def test_can_i_cancel_an_order_of_mine_starts_the_cancellation(engine, said):
    """Train 350-369: "can I cancel an order I made?" was answered with the FAQ's rule and the Cancel button: an
    order the shopper made is theirs, and asking leave to cancel it is the request."""
    t = engine().new_conversation().send(said)
    assert started_tasks(t)[:1] == ["cancel_order"], (t.route, t.text)


@pytest.mark.parametrize("said", ["can orders be cancelled after they ship?", "can I cancel an order after it ships?"])
def test_a_rule_question_about_cancelling_stays_a_question(engine, said):
    t = engine().new_conversation().send(said)
    assert started_tasks(t) == [] and t.route.decided_by != "item_change", (t.route, t.text)


def test_things_to_sort_out_with_my_orders_offers_the_order_tasks(engine):
    """Train 350-369: offered only "Order status" and "Buy something" (the router's two likeliest, arbitrary for
    such words): every order task is offered, and pressing one starts it."""
    conv = engine().new_conversation()
    t = conv.send("Hi there, I have a few things to sort out with my orders, could you help?")
    assert started_tasks(t) == [] and payloads(t) == ORDER_TASKS, (payloads(t), t.text)
    assert "/checkout" not in payloads(t), payloads(t)
    t = conv.send("Return items")
    assert started_tasks(t)[:1] == ["return_items"], (t.route, t.text)
