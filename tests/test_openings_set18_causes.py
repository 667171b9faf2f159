"""First messages shaped like the ones development set 18 missed (messages written for these tests, not copied from
the set): the task the shopper says they do NOT want named beside the one they do ("not a refund, another size"),
a literal translation ("annulate my command"), a part of an address to fix, an option of a thing they got wished
for with a refund refused, an item swapped for another product, a cancelled order asked to be reopened, and a
story of a cancellation before a new order."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import started_tasks
from engine.generator import load_answerer
from engine.question_or_request import read_message
from engine.refusals import refused, unrefused
from engine.unsupported_asks import unsupported
from engine.voice_typing import as_meant

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text, task", [
    # the refused task named first, the wanted one after it
    ("Not the default address on my account, just this one order W2974929: send it to 12 Elm St, Springfield, IL "
     "62704", "change_order_address"),
    ("Don't cancel anything, just ship W2974929 to my new apartment: 9 Lake Rd, Austin, TX 78701", "change_order_address"),
    ("Not a question about your policy - please start the return of the pet bed in #W7303089", "return_items"),
    ("I don't want my money back, I want the green one. The backpack I got in #W7303089 is black",
     "exchange_items"),
    ("this jacket fits like a tent!! I need an S. and NO, I don't want a refund", "exchange_items"),
    # a literal translation of "cancel my order"
    ("please annul my command W2974929, I ordered it by error", "cancel_order"),
    # a part of the address to fix, the router hearing an item change
    ("I typed the wrong postcode on the order I placed this morning, can you correct it before it ships?",
     "change_order_address"),
    # the order was cancelled (the story), ordering it again is the request
    ("The desk lamp order was cancelled. Not reactivate it, I know that's not possible - just order me the same lamp "
     "again.", "checkout"),
])
def test_opening_starts_the_task_asked_for(engine, text, task):
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == [task], (t.route, t.text)


@pytest.mark.parametrize("text, kind", [
    ("My order #W2974929 was cancelled. Can you reactivate it for me, same items?", "undo_cancellation"),
    ("Can you swap the office chair in my pending order for a desk lamp? I know it's not the same thing", "another_product"),
    ("exchange my sneakers for a yoga mat please", "another_product"),
])
def test_requests_no_task_does_start_nothing_and_say_why(engine, text, kind):
    assert unsupported(text) == kind
    t = engine().replace(answerer=load_answerer(ROOT, load_generator=False)).new_conversation().send(text)
    assert started_tasks(t) == [], (t.route, t.text)


def test_another_product_is_answered_with_the_same_products_rule(engine):
    t = engine().replace(answerer=load_answerer(ROOT, load_generator=False)).new_conversation().send(
        "I'd like to swap the skateboard in W2974929 for a vacuum cleaner")
    assert "same product" in t.text and "different product" in t.text, t.text


@pytest.mark.parametrize("text", [
    "change the perfume in my order to the 100ml bottle",    # a bottle of the same perfume
    "replace the kettle with a tea kettle",                   # "the kettle" may be the tea kettle: left alone
    "exchange a gaming mouse I got for a different kind",     # another option of the mouse, maybe
    "the lamp is too dim, could I exchange it for the brighter one? and can exchanges be for a different product?",
])
def test_swaps_within_a_product_or_asked_about_are_not_another_product(text):
    assert unsupported(text) != "another_product"


@pytest.mark.parametrize("text, gone", [
    ("Not a refund, another size please", {"return_items"}),
    ("I do NOT want a refund.", {"return_items"}),
    ("don't cancel it, just move it to my office", {"cancel_order", "cancel"}),
    ("no, I don't want to change anything in my order", {"change_order_items", "change_order_address",
                                                          "change_order_payment"}),
    ("I don't want buy anything new, only change the colour", {"checkout"}),
    ("I want a refund, not an exchange", {"exchange_items"}),
])
def test_a_refused_task_is_read(text, gone):
    assert gone <= refused(text)


@pytest.mark.parametrize("text", [
    "not a refund to my card, put it on my gift card please",  # a return whose money goes elsewhere
    "no refund yet?",
    "the kettle doesn't work, don't want it anymore",
    "can I cancel? not sure",
])
def test_what_is_no_refusal_of_a_task_refuses_nothing(text):
    assert refused(text) == frozenset()


def test_other_rules_read_the_message_without_its_refusals():
    assert "cancel" not in unrefused("Don't cancel it, just send it to my new flat").lower()
    assert read_message("Not a question about the rules - just please start the return for W7303089").kind == "request"


@pytest.mark.parametrize("typed, meant", [
    ("I want annulate my command W2974929", "I want cancel my order W2974929"),
    ("change the direction of my order", "change the direction of my order"),  # "the direction of": left as typed
    ("please change my direction to 12 Elm St", "please change my address to 12 Elm St"),
    ("open the command line", "open the command line"),
])
def test_literal_translations_are_written_as_meant(typed, meant):
    assert as_meant(typed) == meant


def test_where_and_a_thing_is_the_shoppers_own_records():
    assert read_message("where package").kind == "request"
    assert read_message("where my order??").kind == "request"
