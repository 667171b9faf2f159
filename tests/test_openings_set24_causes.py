"""First messages of the kinds blind set 24 missed (each tested with messages written for these tests): a task the
shopper says they do not want ("not an exchange or anything", "don't cancel #W..."), keeping an order beside a
change of it, the account named beside a new zip code, a polite "whether it might be possible to" about one's own
order, "someone in customer service" asked for, a message written for the shopper or part of an order shipped
now, and a street name read as a person's name."""
from __future__ import annotations

import pytest
from conftest import started_tasks

from engine.question_or_request import read_message
from engine.refusals import refused
from engine.unsupported_asks import unsupported


@pytest.mark.parametrize("text,gone", [
    ("Not an exchange or anything, I just want to know where my parcel is", "exchange_items"),
    ("not a return or whatever, the headphones are fine", "return_items"),
    ("Don't cancel #W2378156, only the address needs changing", "cancel_order"),
    ("do not cancel order W2378156 please, I want to pay with paypal instead", "cancel_order"),
])
def test_a_task_refused_however_it_is_said_is_no_candidate(text, gone):
    assert gone in refused(text), refused(text)


def test_keeping_the_order_while_changing_an_item_buys_nothing(engine):
    t = engine().new_conversation().send(
        "No cancelling, I want to keep the order, but please switch the desk lamp to the white one. Not shipped yet.")
    assert started_tasks(t)[:1] == ["change_order_items"], (t.route, t.text)


def test_a_new_zip_for_the_account_moves_the_account(engine):
    t = engine().new_conversation().send(
        "My account has the wrong zip, it's 10027 now and the street changed as well: 40 Morningside Ave, New York, "
        "NY 10027. Could you update my saved address?")
    assert started_tasks(t)[:1] == ["change_default_address"], (t.route, t.text)


@pytest.mark.parametrize("text", [
    "I was wondering whether it might be possible to cancel the kettle order I placed on Monday",
    "Hello. I wonder if it would still be possible to return my hiking boots.",
])
def test_whether_it_might_be_possible_about_ones_own_order_is_a_request(text):
    assert read_message(text).kind == "request", read_message(text)


def test_whether_it_is_possible_with_a_condition_stays_a_question():
    assert read_message("I was wondering whether it is possible to cancel an order after it shipped").kind == "question"


def test_someone_in_customer_service_to_talk_to_is_asked_for(engine):
    t = engine().new_conversation().send("Is there somebody at customer support I could speak to?")
    assert t.route.label == "handoff" and "human agent" in t.text, (t.route, t.text)


@pytest.mark.parametrize("text,kind", [
    ("could you write a short message for the card in my mum's parcel?", "writing"),
    ("Send half of order #W2378156 today and ship the lamp later on", "partial_delivery"),
    ("ship part of my order now please, the rest can wait", "partial_delivery"),
])
def test_writing_for_the_shopper_and_shipping_part_of_an_order_are_not_offered(text, kind):
    assert unsupported(text) == kind


def test_a_street_is_not_a_name(engine):
    t = engine().new_conversation().send(
        "please update my saved address to 77 W Elm Street, Austin, TX 78701")
    assert "account for Elm" not in t.text and "Elm Street" not in str(t.slots.get("name")), (t.text, t.slots)
