"""What a shopper read on the seventh blind knowledge set, by cause (no model: a catalogue answer is computed; a rule
is the fact quoted, as when the model's wording fails its check). The questions here are new wordings of each cause.

1. a count of an option's values was said only in figures, its values in catalogue order ("4 color options: blue,
   purple, red, black"), and a list of sizes as "size: 6, 10";
2. prices as people say them ("for around 2300 dollars", "roughly 460 bucks", "under a grand") got the scope answer;
3. an option value named by the word it derives from ("a robot vacuum" for type robotic) was not read;
4. a rule asked in the shopper's words got the scope answer: "back out" / "change my mind" (cancelling), "a pricier
   version" in an exchange (the price difference), "separate chats" (several requests in one conversation), "home
   address" (the default address), a way to pay the shop does not list ("Apple Pay"), an item's colour or size the
   rule does not name;
5. a refund rule that names no action ("Refunds to a gift card are immediate.") did not answer the refund time of a
   return;
6. what the assistant needs to look at an account, and a plan the shopper asks leave for ("I'll ... , ok?"), were
   redirected to a lookup of the shopper's own order;
7. what the shopper says of their order did not decide: the step they start from ("if I switch the payment, can I
   still cancel it afterwards?"), a status read by its name, the status their history leaves, "hasn't shipped yet",
   "do I get everything back?", their yes before an action asked in other words ("can I check it first?").
"""
from __future__ import annotations

import pytest

from tests.test_knowledge_set6_causes import _available, _money, _shown, answerer  # noqa: F401 (the fixture)


def test_a_count_of_values_is_said_in_words_and_figures_with_the_values_in_order(answerer):
    colors = sorted({v["options"]["color"] for v in _available("Water Bottle")})
    assert len(colors) == 4
    text = _shown(answerer, "how many colours can i get the water bottle in")
    assert "four colors" in text and "(4 options)" in text, text
    assert ", ".join(colors[:-1]) + " and " + colors[-1] in text, text


def test_two_sizes_are_listed_as_sizes_a_and_b(answerer):
    sizes = sorted({v["options"]["size"] for v in _available("Sneakers")}, key=float)
    text = _shown(answerer, "which sizes do you have the sneakers in?")
    assert len(sizes) == 2 and f"sizes {sizes[0]} and {sizes[1]}" in text, text


@pytest.mark.parametrize("question,name,price", [
    ("got a tablet for about 950 bucks?", "Tablet", 950.0),
    ("any garden hose for roughly $60", "Garden Hose", 60.0),
    ("i was thinking of spending around 2 grand on an espresso machine, what is there?", "Espresso Machine", 2000.0),
])
def test_a_price_said_roughly_gets_the_available_variants_closest_to_it(answerer, question, name, price):
    closest = min(_available(name), key=lambda v: abs(v["price"] - price))
    text = _shown(answerer, question)
    assert _money(closest["price"]) in text, text


def test_a_grand_is_a_thousand_dollars(answerer):
    fit = sorted(v["price"] for v in _available("Tablet") if v["price"] <= 1000)
    text = _shown(answerer, "do you sell a tablet under a grand")
    assert fit and text.startswith("Yes") and _money(fit[0]) in text, text


def test_an_option_value_named_by_its_root_word(answerer):
    robotic = [v["price"] for v in _available("Vacuum Cleaner") if v["options"]["type"] == "robotic"]
    text = _shown(answerer, "how much do your robot vacuums cost")
    assert _money(min(robotic)) in text and _money(max(robotic)) in text, text


# (question, what the shopper must read): cause 4, then 5 and 6
RULES = [
    ("just ordered a kettle, if i change my mind in an hour can i back out?", "only while it is pending"),
    ("want to trade my running shoes for a pricier version of them, do i pay more?", "price difference"),
    ("can i have the size of my t-shirt exchanged and also cancel another order, or do i need separate chats for that?",
     "same conversation"),
    ("i moved house, can you update the home address saved on my account?", "default address"),
    ("do you take google pay?", "PayPal"),
    ("if i refund my exchange to a gift card, is the money there quicker than on paypal?", "immediate"),
    ("I'll switch my pending order over to my gift card, it has $20 on it and the order is $90, and the rest goes on "
     "my card, ok?", "enough balance"),
]


@pytest.mark.parametrize("question,shown", RULES)
def test_the_rule_asked_in_other_words_is_quoted(answerer, question, shown):
    ans = answerer.answer(question)
    assert ans.kind == "extractive" and shown in ans.text, ans.text


@pytest.mark.parametrize("question", [
    "how many days do I get to send something back?",
    "Returns get refunded onto a fresh gift card, right? How long till I get the code emailed?",
])
def test_a_refund_rule_answers_only_the_time_of_the_refund(answerer, question):
    """A refund rule answers the time of a refund, never the time one has to return something or of a message."""
    assert answerer.answer(question).kind == "scope"


def test_what_the_assistant_needs_is_no_lookup_of_the_shoppers_order(answerer):
    """Asking what the assistant needs is no request to look at one's own orders."""
    assert answerer.answer("what info do you need from me before you can check my orders?").kind != "order_facts_redirect"


# 7. what the shopper says of their order decides (decisive.py): the step they start from ("if I switch the payment,
# can I still cancel it afterwards?"), the status they read by its name, the status their history leaves (and the
# status the next action needs), an order that "hasn't shipped yet" (pending), what comes back when cancelling,
# the shopper's yes before an action asked in other words
DECIDED = [
    ("if i change the payment on my pending order to a gift card, can i still cancel the order after that?",
     "stays pending"),
    ("can the payment method still be changed on an order that's pending (items modified)?",
     "cannot be changed"),
    ("I already asked for an exchange on my delivered order. Could I exchange one more item from it?",
     "only from a delivered order"),
    ("my order has not shipped yet, if i cancel it is that a full refund?", "the total is refunded"),
    ("if I ask for an exchange do you just do it, or can I check it first?", 'confirm with "yes"'),
]


@pytest.mark.parametrize("question,shown", DECIDED)
def test_what_the_shopper_says_of_their_order_decides(answerer, question, shown):
    ans = answerer.answer(question)
    assert ans.kind == "extractive" and shown in ans.text, ans.text
