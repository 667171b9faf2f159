"""What a shopper read on the eleventh knowledge set, by cause (no model: a catalogue answer is computed; a rule is
the fact quoted, as when the model's wording fails its check). The questions here are new wordings of each cause,
not the set's.

1. catalogue answers: "the difference" in a message about a return or an exchange ("return or exchange, what's the
   difference?", "how do I pay the difference?") got the product's price range (false claims); an option value named
   by a superlative ("the heaviest weight range", "the tallest one") was ignored; a value named by its adjective
   ("wooden") or a range in another spelling ("55 to 75 pounds") was not read; products called by another name
   ("bookcase", "fleece", "cologne") were not found; one colour left was not said to be the only one; how many
   units are left (which the catalogue never holds) got the count of options; a count of options read "18
   available options" where a shopper says "18 options".
"""
from __future__ import annotations

import pytest

from tests.test_knowledge_set6_causes import _available, _cheapest, _money, _shown, answerer  # noqa: F401 (the fixture)


# 1. catalogue answers
@pytest.mark.parametrize("question", [
    "my sneakers came too small. should i return or exchange them, what's the difference?",
    "swapping the fleece jacket for a larger one that costs more, how would i pay the difference?",
])
def test_the_difference_in_a_return_or_exchange_is_no_price_range(answerer, question):
    ans = answerer.answer(question)
    assert ans.kind != "catalogue" and "a difference of $" not in ans.text, ans.text


def test_a_superlative_names_the_option_value(answerer):
    text = _shown(answerer, "cheapest dumbbell set with the lightest weight range")
    assert _money(_cheapest("Dumbbell Set", **{"weight range": "5-25 lbs"})) in text and "5-25 lbs" in text, text
    text = _shown(answerer, "the most expensive bookshelf in the tallest height?")
    tall = max(v["price"] for v in _available("Bookshelf") if v["options"]["height"] == "6 ft")
    assert _money(tall) in text, text


def test_a_value_named_by_its_adjective_or_another_spelling(answerer):
    text = _shown(answerer, "do you have a wooden wall clock")
    assert text.startswith("Yes") and _money(_cheapest("Wall Clock", color="wood")) in text, text
    text = _shown(answerer, "dumbbells 55 to 75 pounds in rubber?")
    assert "We don't have" in text and "Yes" not in text, text


@pytest.mark.parametrize("question,name", [("cheapest bookcase?", "Bookshelf"), ("cheapest fleece", "Fleece Jacket"),
                                           ("cheapest cologne", "Perfume")])
def test_a_product_called_by_another_name(answerer, question, name):
    assert _money(_cheapest(name)) in _shown(answerer, question)


def test_the_one_value_left_is_said_to_be_the_only_one(answerer):
    text = _shown(answerer, "which colors can i get the smartphone in")
    assert "only in color black" in text, text


def test_units_left_are_not_listed(answerer):
    ans = answerer.answer("how many of the red t-shirts are left?")
    assert ans.kind == "scope" and "doesn't say how many units" in ans.text, ans.text


def test_a_count_of_options_says_how_many_options(answerer):
    text = _shown(answerer, "how many skateboards can i pick from")
    assert f"{len(_available('Skateboard'))} options available" in text, text
