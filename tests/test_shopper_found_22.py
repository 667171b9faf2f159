"""What language-model shoppers found on tau-bench train tasks 430-449 (round 18), the rest: a plain polite request
("I would like to cancel an order, please.") got an FAQ quote; a camera to switch "to a higher resolution one" got the
scope answer (the router split between exchange and item change); "it really only has $37 on it?" mid-task got an
exchange-policy quote; two speakers told apart as "the green one" and "the black one" were read as one wish, and "the
non water resistant one is fine, same as now" asked to keep the old colour; an order of two speakers listed one.
Through `Conversation.send` with the trained router, on the seed store (messages written for these tests)."""
from __future__ import annotations

import pytest

from conftest import payloads, started_tasks, talk

ETHAN = "ethan.kim3231@example.com"    # pending #W8296441 (action camera 4K); gift card with $37
NOAH = "noah.kovacs8240@example.com"   # delivered #W3002300: two Bluetooth speakers (green and black, 10 hours, no)


@pytest.mark.parametrize("text,flow", [
    ("I would like to cancel an order, please.", "cancel_order"),
    ("I would like to cancel an order, if that's ok", "cancel_order"),
    ("I'd like to return an item, thanks!", "return_items"),
])
def test_a_plain_polite_request_starts_its_task(engine, text, flow):
    t = engine().new_conversation().send(text)
    assert started_tasks(t) == [flow], t.text
    assert "who you are" in t.text, t.text


@pytest.mark.parametrize("text", [
    "I would like to know whether I can cancel an order, please.",
    "I would like to cancel a bank transfer, please.",
])
def test_a_question_or_a_bank_request_said_politely_starts_nothing(engine, text):
    t = engine().new_conversation().send(text)
    assert started_tasks(t) == [], t.text


def test_a_camera_to_switch_for_a_higher_resolution_starts_the_item_swap(engine):
    turns = talk(engine().new_conversation(),
                 "Hello! I ordered a camera from you and I'd like to switch it to a higher resolution one", ETHAN)
    assert started_tasks(turns[0]) in (["exchange_items"], ["change_order_items"]), turns[0].text
    assert "Action Camera (4K" in turns[1].text, turns[1].text  # the pending order's camera, after sign-in


@pytest.mark.parametrize("asked,said", [
    ("it really only has $37 on it?", "Yes: your gift card has $37.00 on it right now."),
    ("so there's $50 left on the gift card?", "No: your gift card has $37.00 on it right now."),
    ("how much is left on my gift card?", "Your gift card has $37.00 on it right now."),
])
def test_the_gift_card_balance_asked_mid_task_is_the_stores(engine, asked, said):
    conv = engine().new_conversation()
    talk(conv, "hi", ETHAN, "I want to return something")
    t = conv.send(asked)
    assert said in t.text and t.active_flow == "return_items", t.text
    assert "policy" not in t.text.lower(), t.text


def test_two_items_of_one_product_told_apart_by_their_colour(engine):
    conv = engine().new_conversation()
    talk(conv, "hi, I need to exchange two speakers from order #W3002300", NOAH)
    t = conv.send("the green one should become red, 20 hours, water resistant. the black one should become blue "
                  "with 20 hours battery")
    assert "blue, 20 hours, no" in t.text and "green and red" not in t.text, t.text
    t = conv.send("the non water resistant one is fine, same as now")
    assert "(green, 10 hours, no water resistance) becomes red, 20 hours, water resistance" in t.text, t.text
    assert "(black, 10 hours, no water resistance) becomes blue, 20 hours, no water resistance" in t.text, t.text


def test_an_order_button_counts_a_repeated_item(engine):
    t = talk(engine().new_conversation(), "I want to exchange something", NOAH)[-1]
    titles = [b.title for m in t.messages for b in m.buttons]
    assert any("#W3002300" in x and "2 × Bluetooth Speaker" in x for x in titles), titles
    assert payloads(t)
