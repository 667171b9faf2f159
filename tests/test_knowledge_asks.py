"""What a question asks for decides which fact answers it and whether a generated answer answers at all;
a quote carries the facts it cannot be read without."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.generator import GeneratorSettings, load_answerer
from engine.generator.asks import asked
from engine.generator.claims import ClaimChecker, entities
from engine.knowledge import Passage, load_catalogue

ROOT = Path(__file__).resolve().parents[1]
TIMES = Passage("faq:t", "faq", "FAQ", "What time zone are order times in?",
                "All times are in EST, 24-hour format. For example 02:30:00 means 2:30 AM EST.")
CANCEL = Passage("policy:c", "policy", "Store policy", "Cancelling an order",
                 "You can cancel an order only while it is pending.")
REASON = Passage("policy:r", "policy", "Store policy", "Cancelling an order",
                 'The reason for cancelling must be either "no longer needed" or "ordered by mistake".')


@pytest.fixture(scope="module")
def checker():
    return ClaimChecker([p["name"] for p in load_catalogue().values()])


@pytest.fixture(scope="module")
def bm25():
    return load_answerer(ROOT, GeneratorSettings(backend="none", use_embeddings=False))


@pytest.mark.parametrize("q,kind", [
    ("how soon is the money back after a return?", "duration"),
    ("After I cancel, when will my refund arrive?", "duration"),
    ("When I cancel, can I keep the item?", "none"),            # a leading "when" clause asks no time
    ("how often can I modify the items?", "count"),
    ("how much do I get back if I cancel?", "amount"),
    ("what kind of orders can be exchanged?", "status"),
    ("is the refund sent to paypal or to a gift card?", "destination"),
    ("the time on my receipt, is it am or pm?", "choice"),
    ("Can I return or exchange it?", "choice"),                 # parsed as a choice; only a fact holding one decides
    ("do you sell hats or not?", "none"),
])
def test_the_value_asked_for_is_read_from_the_question_shape(q, kind):
    assert asked(q).kind == kind


def test_a_choice_names_its_options():
    assert asked("the 10:15:00 on my receipt, morning or evening?").options == ("morning", "evening")
    assert asked("is that am or pm?").options == ("am", "pm")


def test_a_true_sentence_that_does_not_answer_the_choice_fails(checker):
    q = "an order time of 02:30:00 - is it am or pm?"
    assert checker.check("Order times are in EST, in 24-hour format.", q, [TIMES]).problems
    assert not checker.check("02:30:00 means 2:30 AM EST.", q, [TIMES]).problems


def test_a_status_question_is_answered_by_a_fact_naming_a_status(checker):
    q = "what kind of orders can be cancelled?"
    facts = checker.facts([REASON, CANCEL])
    assert checker.best_fact(q, facts).passage is CANCEL
    assert checker.check('The reason for cancelling must be either "no longer needed" or "ordered by mistake".',
                         q, [REASON, CANCEL]).problems


def test_two_products_named_together_are_a_different_product():
    assert "different product" in entities("swap my notebook for a yoga mat", ["Notebook", "Yoga Mat"])
    assert "different product" not in entities("swap my notebook for another notebook", ["Notebook", "Yoga Mat"])


def test_a_quote_about_one_payment_method_brings_the_others_when_none_is_named(bm25):
    ans = bm25.answer("when I change the payment method, how long does the refund take?")  # no model: quoted
    assert ans.kind == "extractive" and "immediate" in ans.text and "5 to 7 business days" in ans.text, ans.text


def test_a_cannot_for_a_status_brings_the_status_the_action_needs(bm25):
    ans = bm25.answer("can a processed order be returned?")
    assert "cannot" in ans.text and "only from a delivered order" in ans.text, ans.text


@pytest.mark.parametrize("q,needle,absent", [
    ("is there a t-shirt that isn't red?", "(not red)", "color red is"),         # a negated value is excluded
    ("cheapest t-shirt that is not red", "(not red)", "color red,"),
    ("which t-shirt sizes are not available right now?", "Every size of the T-Shirt has an available", ""),
    ("the cheapest product in your store is the laptop, right?", "in our store is the Notebook", "Laptop"),
    ("The notebook comes in A4, A5 and A6, so what does the A5 soft cover cost?", "A5", "A4"),  # the last clause asks
    ("what sizes does the hiking boots come in?", "7, 8, 9, 10, 11, 12", ""),                 # numbers in order
])
def test_catalogue_answers_read_negation_scope_and_the_asked_clause(q, needle, absent):
    from engine.generator.catalogue_answers import computed_answer

    ans = computed_answer(q, load_catalogue())
    assert ans is not None and needle in ans.text, (q, ans and ans.text)
    assert not absent or absent not in ans.text, ans.text


def test_a_clock_time_is_read_by_the_policy_rule(bm25):
    ans = bm25.answer("the order page shows 21:40:00, is that evening or morning?")
    assert ans.text.startswith("21:40:00 is 9:40 PM EST") and "24-hour" in ans.text, ans.text


@pytest.mark.parametrize("q", ["If I change the payment method, is my order still pending?",
                               "which payment methods can I keep on my account?"])
def test_a_rules_question_that_says_my_is_answered_not_redirected(bm25, q):
    assert bm25.answer(q).kind != "order_facts_redirect"


def test_where_a_refund_goes_is_answered_by_a_fact_saying_where(checker):
    reasons = Passage("faq:x", "faq", "FAQ", "How long does a refund take?",
                      "Refunds to a gift card are immediate.")
    where = Passage("policy:w", "policy", "Store policy", "Returning items",
                    "The refund for a return goes either to the original payment method or to an existing gift card.")
    assert asked("where does the money go after a return?").kind == "destination"
    best = checker.best_fact("can the refund for a return go to my paypal?", checker.facts([reasons, where]))
    assert best is not None and best.passage is where
