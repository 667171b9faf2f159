"""What a shopper read on the twenty-first knowledge set, by cause (no model: a catalogue answer is computed). The
questions here are new wordings of each cause, not the set's:

1. a rule asked of the shopper's own order answered with prices: "I'm exchanging ... for the cheaper pair. What
   happens to the difference?", "do I have to pay the full price?", "should I change one today and one tomorrow?",
   "my order was cancelled ... can I exchange it for the bigger one?" (answered "Yes: available");
2. a superlative of an option other than size or weight: "the earbuds that last longest on one charge" (battery
   life), "the shortest bookshelf" (its height), "the coolest helmet" (ventilation), also after a need told first;
3. what the catalogue does not hold: care ("can it go in the dishwasher?"), spare parts ("a replacement filter"),
   a property listed for another product only ("are your wristwatches water resistant?") and taste ("which looks
   the most elegant?").
"""
from __future__ import annotations

import pytest

from engine.generator.catalogue_answers import computed_answer
from engine.generator.question_rules import TASTE
from engine.knowledge.passages import load_catalogue

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("question", [
    "I'm swapping my delivered size 10 hiking boots for the leather pair, which is cheaper. What happens to the "
    "difference?",
    "I'm exchanging my delivered 1L electric kettle for the 2L one, which costs more. Do I have to pay the whole price?",
    "My pending order has a kettle and a backpack. Should I change the kettle now and the backpack next week?",
    "The order with my electric kettle was cancelled. Can I switch it to the 2L kettle anyway?",
])
def test_a_rule_asked_of_the_shoppers_order_is_not_answered_with_prices(question):
    assert computed_answer(question, CATALOGUE) is None


@pytest.mark.parametrize("question, value", [
    ("which of your wireless earbuds lasts the longest on a single charge?", "8 hours"),
    ("We need a bookshelf for under the stairs. Which is the shortest one you have?", "3 ft"),
    ("Which cycling helmet stays coolest on a hot ride?", "ventilation high"),
])
def test_a_superlative_names_the_option_it_is_about(question, value):
    got = computed_answer(question, CATALOGUE)
    assert got is not None and value in got.text, got


@pytest.mark.parametrize("question", [
    "Is the glass electric kettle dishwasher safe?",
    "How much are spare bags for the vacuum cleaner?",
    "Are your smart watches water resistant?",
])
def test_what_the_catalogue_does_not_list_is_said_so(question):
    got = computed_answer(question, CATALOGUE)
    assert got is not None and got.what == "not_listed" and not got.text.startswith("Yes"), got


def test_a_still_listed_property_is_listed():
    got = computed_answer("are the wireless earbuds water resistant?", CATALOGUE)
    assert got is not None and "IPX7" in got.text, got


@pytest.mark.parametrize("question, taste", [
    ("Which of your smart watches looks the most stylish?", True),
    ("what's the nicest backpack you sell?", True),
    ("which is the most expensive smart watch?", False),
])
def test_taste_is_no_fact_of_the_catalogue(question, taste):
    assert bool(TASTE.search(question)) is taste


@pytest.mark.parametrize("question, back", [
    ("Right, I'll exchange the delivered kettle for the black one, so I keep the old kettle and get the new one.",
     "how to return the items"),
    ("Once I've sent the return request I can keep it anyway, right", "how to send the items back"),
])
def test_an_item_said_to_be_kept_is_said_to_go_back(question, back):
    from conftest import ROOT
    from engine.generator import load_answerer

    answer = load_answerer(ROOT, load_generator=False).answer(question)
    assert back in answer.text and "premise corrected" in answer.notes, answer.text


def test_a_reason_stated_for_a_cancellation_gets_the_rule_on_reasons():
    from conftest import ROOT
    from engine.generator import load_answerer

    answer = load_answerer(ROOT, load_generator=False).answer(
        "I'll just say the colour looked different online as my reason and cancel the pending order.")
    assert "no longer needed" in answer.text and "ordered by mistake" in answer.text, answer.text
