"""What a shopper read on the twenty-second knowledge set, by cause (no model: catalogue answers are computed). The
questions here are new wordings of each cause, not the set's:

1. a measure the product never comes in ("the laptop with 64GB of RAM") was dropped and the rest priced as if it
   existed;
2. "which sizes" of a product sized by its capacity (a water bottle) was read as "is it available?";
3. an option said as an adjective reads before the name ("2 wireless Gaming Mouse variants", "a glass Water Bottle",
   "a Backpack with a laptop compartment"), not "with connectivity wireless";
4. "once I've confirmed a return, what happens next?" got no answer (few words shared with the rule on what follows
   that step), and a what-question was answered with the FAQ's own "No.".
"""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.generator import GeneratorSettings, load_answerer
from engine.generator.catalogue_answers import computed_answer
from engine.knowledge.passages import load_catalogue
ROOT = Path(__file__).resolve().parents[1]

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("question, said, absent", [
    ("what's the price gap between the 64GB RAM laptop and the 16GB one?", "ram options are 8GB, 16GB and 32GB", "$"),
    ("got a 2000ml water bottle?", "capacity options are 500ml, 750ml and 1000ml", "$"),
    ("is there a 19 inch laptop", "13-inch, 15-inch and 17-inch", "$"),
])
def test_a_measure_never_offered_is_said_to_be_missing(question, said, absent):
    got = computed_answer(question, CATALOGUE)
    assert got is not None and said in got.text and absent not in got.text and not got.item_ids, got


def test_a_measure_offered_is_still_priced():
    got = computed_answer("price of the 16GB laptop?", CATALOGUE)
    assert got is not None and "16GB" in got.text and "$2," in got.text and "don't have" not in got.text, got


def test_sizes_of_a_bottle_are_its_capacities():
    got = computed_answer("what sizes does the glass water bottle come in?", CATALOGUE)
    assert got is not None and "500ml and 750ml" in got.text and "available (" not in got.text, got


@pytest.mark.parametrize("question, said", [
    ("how many wireless gaming mice are there?", "wireless Gaming Mouse"),
    ("how many robotic vacuum cleaners do you sell?", "robotic Vacuum Cleaner"),
    ("cheapest red backpack with a laptop compartment?", "Backpack with a laptop compartment"),
])
def test_an_option_said_as_an_adjective_reads_naturally(question, said):
    got = computed_answer(question, CATALOGUE)
    assert got is not None and said in got.text and "with connectivity" not in got.text, got


@pytest.fixture(scope="module")
def answerer():
    return load_answerer(ROOT, GeneratorSettings(backend="none", use_embeddings=False))


def test_what_follows_a_step_is_the_rule_after_it(answerer):
    ans = answerer.answer("Right, one more thing: once I've confirmed a return, what happens next for me?")
    assert "return requested" in ans.text and "email" in ans.text, ans.text


def test_a_what_question_gets_no_faq_verdict(answerer):
    ans = answerer.answer("after I confirm an exchange, what happens next?")
    assert "email" in ans.text and '"No.' not in ans.text, ans.text
