"""Catalogue questions with several constraints honour all of them; values in the shopper's spelling (units,
a yes / no feature named as an adjective); a property the catalogue does not list is said to be unlisted;
a premise's status decides a policy yes/no. All through the Answerer (no model: backend none, BM25)."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.generator import GeneratorSettings, load_answerer
from engine.generator.catalogue_values import mentioned_values
from engine.knowledge import load_catalogue

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def answerer():
    return load_answerer(ROOT, GeneratorSettings(backend="none", use_embeddings=False))


def _variants(name: str) -> list[dict]:
    return next(list(p["variants"].values()) for p in load_catalogue().values() if p["name"] == name)


def test_units_and_features_are_read_in_the_shoppers_words():
    kettle = _variants("Electric Kettle")
    assert mentioned_values("a 2 liter kettle in black", kettle) == {"capacity": ["2L"], "color": ["black"]}
    assert mentioned_values("a 1.5-litre kettle", kettle) == {"capacity": ["1.5L"]}
    assert mentioned_values("a 5 liter kettle", kettle) == {}  # "1.5L" is not "5 liter"
    camera = _variants("Action Camera")
    assert mentioned_values("a waterproof 5K camera", camera) == {"resolution": ["5K"], "waterproof": ["yes"]}
    assert mentioned_values("a camera that isn't waterproof", camera, negated=True) == {"waterproof": ["yes"]}


def test_every_named_value_must_hold_together_and_the_alternatives_are_named(answerer):
    ans = answerer.answer("Is there a 2 liter electric kettle in black?")
    assert ans.kind == "catalogue" and ans.text.startswith("We don't have a black Electric Kettle with capacity 2L")
    assert "out of stock" in ans.text and "The Electric Kettle with capacity 2L comes in white." in ans.text, ans.text
    ans = answerer.answer("Is there a 5K action camera that's waterproof?")
    assert ans.text.startswith("We don't have a waterproof Action Camera with resolution 5K"), ans.text
    assert "The Action Camera with resolution 5K comes only without waterproof." in ans.text, ans.text
    ans = answerer.answer("Is there a 1.5 liters kettle in white?")
    assert ans.text.startswith("Yes: the white Electric Kettle with capacity 1.5L is available"), ans.text


def test_the_cheapest_and_the_most_expensive_together_give_the_difference(answerer):
    ans = answerer.answer("price difference between the cheapest and the most expensive espresso machine?")
    assert "$2,709.83" in ans.text and "$3,289.46" in ans.text and "difference of $579.63" in ans.text, ans.text


def test_an_excluded_value_is_answered_with_the_values_left(answerer):
    ans = answerer.answer("Are there any yoga mats that aren't made of PVC?")
    assert "material TPE (not PVC)" in ans.text and "other than" not in ans.text, ans.text
    ans = answerer.answer("any backpacks that aren't black?")
    assert ans.kind == "catalogue" and "(not black)" in ans.text and "navy" in ans.text, ans.text


def test_a_property_the_catalogue_does_not_list_is_not_answered_with_prices(answerer):
    ans = answerer.answer("how much does the bookshelf weigh?")
    assert ans.kind == "scope" and "doesn't list the weight" in ans.text and "$" not in ans.text, ans.text
    ans = answerer.answer("how tall is the bookshelf?")  # a property that is an option: its values
    assert "height: 3 ft, 4 ft, 5 ft, 6 ft" in ans.text, ans.text


def test_an_irregular_plural_names_the_product(answerer):
    ans = answerer.answer("how many gaming mice do you have?")
    assert ans.kind == "catalogue" and "Gaming Mouse" in ans.text, ans.text


@pytest.mark.parametrize("q,needle", [
    ("My order is cancelled, so I can at least change its shipping address now?", "cannot"),
    ("You can change a pending order, so I can return items from a pending order too?", "cannot be returned"),
    # a premise telling the order's history lends its action: modified items decide the cancelling
    ("I already modified the items of my pending order, so I can still cancel it?", "cannot be changed or cancelled"),
])
def test_the_premise_status_chooses_the_rule_and_the_answer_says_no(answerer, q, needle):
    ans = answerer.answer(q)
    assert ans.kind == "extractive" and needle in ans.text, ans.text


def test_a_true_rule_for_another_status_without_a_no_is_not_an_answer(answerer):
    q = "My order is cancelled, so I can at least change its shipping address now?"
    passages = [p for p in answerer.retriever.passages if p.source != "catalogue"]
    said = "You can change the shipping address of an order only while it is pending."
    assert any("does not say no" in p for p in answerer.claims.check(said, q, passages).problems)
    assert not any("does not say no" in p for p in
                   answerer.claims.check("No, a cancelled order cannot be changed.", q, passages).problems)
