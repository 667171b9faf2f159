"""What a shopper read on the nineteenth knowledge set, by cause (no model: a catalogue answer is computed; a rule is
the fact quoted, as when the model's wording fails its check). The questions here are new wordings of each cause,
not the set's.

1. false claims: a count said in the engine's "options" only ("how many versions?"); "the same color and battery
   life" dropped the values of the shopper's own item, and "I'd prefer them in white" kept the colour they have;
   "an assembly service for the chair" was read as the chair;
2. another option of one's own item: "came on Friday", "arrived" were no delivered order; "I picked the wrong colour"
   no other option; the rule of the action the order's status allows (a change while pending, an exchange once
   delivered) lost to the action the shopper names or offers ("or do I have to cancel?"), and for an action that status
   does not allow ("change my delivered jacket to a different colour") the exchange was not said;
3. several requests, then a short question of their own ("Do I need a separate chat for each?");
4. things said in other words: "only my user id, nothing else" (alone), "sent to my office" (the shipping address),
   "what I already asked" (the summary), "around a hundred kinds of products" (a count, not a different product),
   "straight away, or do you check with me first?" (the confirmation), an exchange between two products named in the
   premise.
"""
from __future__ import annotations

from engine.generator.catalogue_answers import computed_answer
from engine.knowledge.passages import load_catalogue
from engine.knowledge.subjects import entities
from tests.test_knowledge_set6_causes import _available, answerer  # noqa: F401 (the fixture)


def _listed(name: str) -> int:
    return len(next(p for p in load_catalogue().values() if p["name"] == name)["variants"])


# 1. false claims

def test_a_count_of_versions_says_the_part_of_the_whole():
    avail, listed = len(_available("Skateboard")), _listed("Skateboard")
    said = computed_answer("how many versions of the skateboard could I order today?", load_catalogue())
    assert said is not None and f"{avail} of the {listed} we list" in said.text, said


def test_the_same_color_and_battery_keeps_the_values_of_the_shoppers_own_item():
    said = computed_answer("The red Bluetooth speaker with 10 hours of battery arrived yesterday and it isn't water "
                           "resistant. Can I buy a water-resistant one in the same color and battery life?",
                           load_catalogue())
    assert said is not None and "$321.18" in said.text and "red" in said.text, said


def test_a_preferred_value_replaces_the_one_the_shopper_has():
    said = computed_answer("I have the green Bluetooth speaker (20 hours, not water resistant) and I'd prefer it in "
                           "red with the same specs. Can I get that?", load_catalogue())
    assert said is not None and "green" not in said.text and "$285.81" in said.text, said


def test_a_service_for_a_product_is_not_the_product():
    said = computed_answer("Do you provide an installation service for the smart thermostat?", load_catalogue())
    assert said is not None and said.what == "not_listed" and "Yes" not in said.text, said


def test_nothing_on_either_side_of_a_comparison_is_said_plainly():
    said = computed_answer("Which is the better deal, the silver 2-piece or the silver 3-piece luggage set?",
                           load_catalogue())
    assert said is not None and "not available" in said.text and "none available" not in said.text, said


# 2. another option of one's own item

def test_arrival_told_as_a_past_event_is_a_delivered_order():
    assert "delivered" in entities("The desk lamp arrived on Tuesday and it's too dim.")
    assert "delivered" in entities("the boots came on Monday")
    assert "delivered" not in entities("it hasn't arrived yet, can I still cancel?")
    assert "delivered" not in entities("when my pending order arrives I'll be away")


def test_another_size_of_a_delivered_item_is_an_exchange(answerer):  # noqa: F811
    ans = answerer.answer("My hiking boots came on Tuesday and they're a bit tight. I want the same boots a size "
                          "bigger. How do I sort that out?")
    assert ans.text.startswith("You can exchange it"), ans.text


def test_a_wrong_option_on_a_pending_order_is_changed_not_cancelled(answerer):  # noqa: F811
    ans = answerer.answer("I chose the wrong colour of t-shirt and my order is still pending. Should I cancel it or "
                          "can you change it?")
    assert ans.text.startswith("You can change it"), ans.text


def test_changing_an_option_of_a_delivered_item_says_no_and_the_exchange(answerer):  # noqa: F811
    ans = answerer.answer("Can I change the fleece jacket from my delivered order to a different colour?")
    assert ans.text.startswith("No: to get another option of an item from a delivered order, you exchange it"), ans.text
    assert "cannot be changed" in ans.text, ans.text


# 3. several requests in one message

def test_several_requests_then_a_question_about_them(answerer):  # noqa: F811
    ans = answerer.answer("I want to return a lamp from one order, change the address on another and cancel a third. "
                          "Is one chat enough for all that?")
    assert "several of your requests in the same conversation" in ans.text, ans.text


# 4. things said in other words

def test_an_id_and_nothing_else_is_that_id_alone(answerer):  # noqa: F811
    ans = answerer.answer("I just have my username and nothing else. Can you find my orders with that?")
    assert "alone is not enough" in ans.text, ans.text


def test_sending_the_order_elsewhere_is_its_shipping_address(answerer):  # noqa: F811
    assert {"shipping address", "change"} <= entities("can you ship it to my parents' place instead?")
    ans = answerer.answer("My order is still pending. Could you send it to my work instead?")
    assert "shipping address" in ans.text, ans.text


def test_a_count_of_product_kinds_stated_is_no_different_product(answerer):  # noqa: F811
    assert "different product" not in entities("you stock thousands of different types of products")
    ans = answerer.answer("You sell about a thousand kinds of products, don't you?")
    assert "50 types" in ans.text, ans.text


def test_right_away_or_asking_first_is_the_confirmation(answerer):  # noqa: F811
    ans = answerer.answer("When I ask you to return something, do you do it right away, or do you ask me first?")
    assert "waits for you to confirm" in ans.text and not ans.text.startswith("Yes"), ans.text


def test_an_exchange_between_two_products_named_in_the_premise(answerer):  # noqa: F811
    ans = answerer.answer("Headphones and wireless earbuds both play music, so I can swap my delivered headphones "
                          "for the earbuds, right?")
    assert "different product" in ans.text and not ans.text.startswith("Yes"), ans.text
