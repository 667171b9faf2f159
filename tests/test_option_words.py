"""Options said as a person says them (LLM shoppers, round 16): one word of a value ("with cellular" is
Wi-Fi + Cellular, "quiet" is quiet operation, "a robot one" is robotic), and an option whose name lists its
values said by its value alone ("comes only with bagless", never "the bagged/bagless bagless")."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.dialogue.kept_options import _option_said
from engine.slots.candidates import variant_candidates
from engine.slots.option_constraints import read
from engine.slots.scales import table

PRODUCTS = {p["name"]: p for p in json.loads(
    (Path(__file__).resolve().parents[1] / "engine/store/seed/products.json").read_text()).values()}


@pytest.mark.parametrize("product,text,option,value", [
    ("Vacuum Cleaner", "a robot one, good with pet hair", "type", "robotic"),
    ("Vacuum Cleaner", "a robot one, good with pet hair", "features", "pet hair removal"),
    ("E-Reader", "same size but with cellular please", "connectivity", "Wi-Fi + Cellular"),
    ("Air Purifier", "the quiet one for a small room", "features", "quiet operation"),
])
def test_one_word_of_a_value_names_it(product, text, option, value):
    wanted = read(text, variant_candidates(PRODUCTS[product], None), None, table(None))
    assert wanted.allowed.get(option) == {value}, wanted.allowed


def test_a_word_two_values_share_names_neither():
    wanted = read("the blue one", variant_candidates(PRODUCTS["T-Shirt"], None), None, table(None))
    assert wanted.allowed.get("color") == {"blue"} and "size" not in wanted.allowed


@pytest.mark.parametrize("key,value,said", [("bagged/bagless", "bagless", "bagless"), ("size", "L", "the size L"),
                                            ("features", "HEPA filter", "the features HEPA filter")])
def test_an_option_is_said_without_repeating_its_values(key, value, said):
    assert _option_said(key, value) == said
