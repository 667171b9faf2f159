"""What a shopper read on the fifteenth knowledge set, by cause (no model: a catalogue answer is computed; a rule is
the fact quoted, as when the model's wording fails its check). The questions here are new wordings of each cause,
not the set's.

1. British and colloquial words ("postcode", "parcel", "voucher", "bloke", "lines", "GMT") met no word of the
   knowledge: the scope answer, or a cannot-do reply read from the raw word ("voucher" as a discount);
2. catalogue passages listed the option values of sold-out variants with the available ones ("Size: 11, 10, 6, 8"
   with only 6 and 10 to buy), and "sneaker sizes?" (no "what"/"which") was not read as asking the options;
3. a product asked for by its use ("something to keep my head safe on the bike", "a kettle for the gas hob") got the
   scope answer, the product it is used with (the Bicycle, the Laptop) or the store's cheapest item; a need that an
   option meets ("rechargeable", "4-piece", "over-ear") was not read; "medium size" was also read as another option's
   "medium".
"""
from __future__ import annotations

import re

import pytest

from engine.generator.catalogue_values import mentioned_values
from engine.knowledge.passages import catalogue_passages, load_catalogue
from engine.knowledge.regional import normalised
from tests.test_knowledge_set6_causes import _available, _cheapest, _money, _shown, answerer  # noqa: F401 (the fixture)


# 1. words of another variety
@pytest.mark.parametrize("said, meant", [
    ("refunds in 5 working days?", "business days"),
    ("my trainers pinch", "sneakers"),
    ("the post code on the parcel", "zip code"),
    ("a new gift voucher", "gift card"),
])
def test_regional_words_are_the_knowledges(said, meant):
    assert meant in normalised(said), normalised(said)


def test_a_word_only_regional_in_a_phrase_is_left_alone_elsewhere():
    assert normalised("can I post a review?") == "can I post a review?"
    assert normalised("how many lines of text can the gift message hold?").startswith("how many lines")


@pytest.mark.parametrize("question, held", [
    ("can the post code my package goes to be changed before it's dispatched?", "pending"),
    ("is this a fella typing or a bot?", "virtual assistant"),
    ("how many product lines do you carry?", "50"),
    ("when a person takes over, do I need to repeat myself?", "summary"),
    ("do you only take paypal?", "gift card"),
    ("are the order times in UK time?", "EST"),
])
def test_a_regional_question_gets_the_fact(answerer, question, held):
    ans = answerer.answer(question)
    assert ans.kind != "scope" and held.lower() in ans.text.lower(), (ans.kind, ans.text)


# 2. sold-out option values
def test_a_catalogue_passage_lists_only_buyable_values_as_its_options():
    for p in catalogue_passages():
        avail = _available(p.section)
        for part in re.split(r"(?<=\.) (?=[A-Z][\w /]*: )", p.text)[1:]:  # "Size: 6, 10 (sold out: 8, 11)."
            key, listed = part.split(": ", 1)
            for value in (x.strip() for x in listed.split(" (sold out")[0].rstrip(".").split(",")):
                if avail and value != "none available":
                    assert any(str(v["options"].get(key.lower(), v["options"].get(key))) == value for v in avail), \
                        (p.section, key, value)


def test_a_few_words_naming_a_product_and_an_option_list_its_values(answerer):
    sizes = sorted({v["options"]["size"] for v in _available("Hiking Boots")}, key=float)
    text = _shown(answerer, "hiking boot sizes")
    assert all(s in text for s in sizes), text
    gone = {v["options"]["color"] for p in load_catalogue().values() if p["name"] == "Sneakers"
            for v in p["variants"].values()} - {v["options"]["color"] for v in _available("Sneakers")}
    text = _shown(answerer, "sneakers colours?")
    assert all(f"{c} is sold out" in text or f"{c} are sold out" in text or c not in text for c in gone), text


# 3. a product asked for by its use
@pytest.mark.parametrize("question, product, options", [
    ("cheapest thing to keep my head safe while cycling to the office?", "Cycling Helmet", {}),
    ("I want to grill sausages on charcoal in the garden, cheapest one?", "Grill", {"type": "charcoal"}),
    ("what's the cheapest kettle that works on an induction hob?", "Tea Kettle", {"stovetop compatibility": "induction"}),
    ("cheapest 3 suitcases set please", "Luggage Set", {"piece count": "3-piece"}),
    ("a light for the desk that runs off usb, lowest price?", "Desk Lamp", {"power source": "USB"}),
    ("cheapest rechargeable toothbrush, no more batteries", "Electric Toothbrush", {"battery type": "rechargeable"}),
    ("something to film my surfing, waterproof, cheapest?", "Action Camera", {"waterproof": "yes"}),
    ("a bag for walks with a hydration pocket, cheapest?", "Backpack", {"compartment": "hydration"}),
])
def test_a_product_asked_for_by_its_use_is_priced(answerer, question, product, options):
    text = _shown(answerer, question)
    assert product in text and _money(_cheapest(product, **options)) in text, text


def test_a_product_the_shopper_owns_is_not_the_one_asked_for(answerer):
    text = _shown(answerer, "cheapest thing to protect my head when I take my bike out?")
    assert "Cycling Helmet" in text and "Bicycle" not in text, text


def test_a_value_followed_by_its_option_is_that_options_alone():
    helmets = _available("Cycling Helmet")
    assert mentioned_values("medium size, cheapest?", helmets) == {"size": ["M"]}
    assert mentioned_values("the medium ventilation one", helmets) == {"ventilation": ["medium"]}
