"""What a shopper read on the twelfth knowledge set, by cause (no model: a catalogue answer is computed; a rule is
the fact quoted, as when the model's wording fails its check). The questions here are new wordings of each cause,
not the set's.

1. several products within a budget ("A and B for under $X", "I have $X, enough?") got the last product's listing
   under the whole budget, a yes the sum did not bear out (false claims); money the shopper has ("X to spend") was no
   budget;
2. two products compared on one option ("more colours", "bigger screen", "holds more") got one product's stock;
3. misspelt question words and names ("cheepest", "heavyest", "laptp", "wich", "exchnage") named nothing;
4. a negative guess with a tag ("doesn't come in X, does it?", "you don't sell Y, right?") read the value as
   excluded, or got the scope answer; "do you sell X?" was not answered;
5. rules: a count stated by doing it in goes ("3 times", "one now and the other one later"), "the whole total",
   what a profile holds, the time zone of orders, and "the bot" read as the Hiking Boots.
"""
from __future__ import annotations

import pytest

from tests.test_knowledge_set6_causes import _available, _cheapest, _money, _shown, answerer  # noqa: F401 (the fixture)


# 1. bundles within a budget
def test_two_products_over_a_budget_are_a_no_with_their_sum(answerer):
    total = _cheapest("Desk Lamp") + _cheapest("Yoga Mat")
    budget = int(total) - 1
    text = _shown(answerer, f"can i buy a desk lamp plus a yoga mat with ${budget}?")
    assert text.startswith("No") and _money(total) in text, text
    assert not text.lower().startswith("yes"), text


def test_three_products_within_a_budget_are_a_yes_with_their_sum(answerer):
    total = _cheapest("Notebook") + _cheapest("Water Bottle") + _cheapest("LED Light Bulb")
    text = _shown(answerer, f"notebook, water bottle and a light bulb - all three for less than {int(total) + 5}?")
    assert text.startswith("Yes") and _money(total) in text, text


def test_money_to_spend_is_a_budget_for_one_product(answerer):
    lo = _cheapest("Tablet")
    text = _shown(answerer, f"I have {int(lo) + 1} dollars to spend, is a tablet possible?")
    assert _money(lo) in text and "Yes" in text, text


# 2. two products by one option
def test_more_colour_choices_counts_each_products_colours(answerer):
    n_sneakers = len({v["options"]["color"] for v in _available("Sneakers")})
    n_jacket = len({v["options"]["color"] for v in _available("Fleece Jacket")})
    text = _shown(answerer, "do the sneakers or the fleece jacket come in more colours?")
    assert f"{n_sneakers} colors" in text and str(n_jacket) in text, text
    if n_sneakers == n_jacket:
        assert "same number" in text, text


def test_the_bigger_capacity_of_two_products_compares_their_largest(answerer):
    text = _shown(answerer, "which can hold more, the biggest water bottle or the biggest electric kettle?")
    assert "1000ml" in text and "2L" in text and "Electric Kettle's is bigger" in text, text


# 3. misspellings
@pytest.mark.parametrize("question, product", [
    ("cheepest tablet pls", "Tablet"),
    ("wats the cheapest laptp", "Laptop"),
])
def test_a_misspelt_cheapest_or_product_is_read(answerer, question, product):
    assert _money(_cheapest(product)) in _shown(answerer, question)


def test_which_misspelt_still_lists_options(answerer):
    text = _shown(answerer, "wich colours does the cycling helmet come in?")
    colours = {v["options"]["color"] for v in _available("Cycling Helmet")}
    assert all(c in text for c in colours), text


def test_a_misspelt_rule_word_finds_the_rule(answerer):
    ans = answerer.answer("can i exchnage the jacket for another colour? the order was deliverd")
    assert ans.kind != "scope" and "exchange" in ans.text.lower(), ans.text


# 4. negative guesses
def test_a_negative_guess_about_a_sold_out_value_is_confirmed(answerer):
    text = _shown(answerer, "the smartphone doesn't come in rose gold, does it?")
    rose = [v for v in _available("Smartphone") if v["options"]["color"] == "rose gold"]
    assert text.startswith("Actually, we do" if rose else "That's right"), text


def test_a_negative_guess_about_an_available_product_is_corrected(answerer):
    text = _shown(answerer, "you don't carry skateboards, right?")
    assert text.startswith("Actually, we do") and _money(_cheapest("Skateboard")) in text, text


def test_do_you_sell_a_product_gives_its_prices(answerer):
    text = _shown(answerer, "do you sell grills?")
    assert text.startswith("Yes") and _money(_cheapest("Grill")) in text, text


def test_a_capacity_the_catalogue_does_not_list_is_said_unlisted(answerer):
    ans = answerer.answer("how many liters does the medium backpack hold?")
    assert ans.kind == "scope" and "doesn't list the capacity" in ans.text, ans.text


# 5. rules
@pytest.mark.parametrize("question", [
    "can i modify the items of my pending order 3 times?",
    "on my pending order can i change one item today and the other item tomorrow?",
])
def test_items_changed_in_several_goes_get_the_only_once_rule(answerer, question):
    ans = answerer.answer(question)
    assert "only once" in ans.text, ans.text


def test_the_whole_total_on_cancelling_is_the_total_rule(answerer):
    ans = answerer.answer("if I cancel do I get the full amount back or only part of it?")
    assert "the total is refunded" in ans.text, ans.text


@pytest.mark.parametrize("question, fact", [
    ("what is kept in my account profile?", "default address"),
    ("which time zone are my order times written in?", "EST"),
])
def test_what_a_profile_holds_and_the_time_zone_are_rules(answerer, question, fact):
    ans = answerer.answer(question)
    assert ans.kind != "order_facts_redirect" and fact in ans.text, ans.text


def test_the_bot_is_the_assistant_not_a_boot(answerer):
    ans = answerer.answer("what happens when the bot can't help me?")
    assert ans.kind != "recommendation" and "Hiking Boots" not in ans.text, ans.text


def test_a_guess_about_the_cheapest_variants_option_is_checked_against_the_cheapest(answerer):
    tablets = _available("Tablet")
    cheapest = min(tablets, key=lambda v: v["price"])
    least = min({v["options"]["storage"] for v in tablets}, key=lambda s: int(s.rstrip("GB")))
    text = _shown(answerer, "the cheapest tablet is the one with the least storage i guess?")
    assert _money(cheapest["price"]) in text, text
    assert text.startswith("Yes" if cheapest["options"]["storage"] == least else "No"), text
