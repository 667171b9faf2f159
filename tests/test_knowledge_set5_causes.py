"""What a shopper noticed on the fifth blind knowledge set, by cause (no model: the answer is the fact quoted, as
when the model's wording fails its check).

1. answered questions got the scope answer because of the shopper's particulars: their own figures ("an order of
   $120"), a card brand ("my visa"), when it happened ("this morning"), or a second question in the same message
   ("what reason do I give? can I say I found it cheaper?"); the outcome of cancelling (a "cancelled" order) was not
   read as the rule for "if I cancel my pending order"; a rule about the very thing asked ("another customer's
   orders") was refused for not naming the action;
2. questions about doing something to an order that name a product ("return a lamp", "swap my shoes") got a
   product listing;
3. the rule that decides was not the one quoted: the shopper's history ("I already changed it, now ..."), a count
   the question states ("as often as I like"), "without checking with me", "my local time", and a rule for one
   payment method quoted for a question naming none; a status quoted by another name ("return requested" for an
   exchange) passed the claim check.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.generator import GeneratorSettings, load_answerer
from engine.generator.claims import ClaimChecker
from engine.knowledge import load_passages

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def answerer():
    return load_answerer(ROOT, GeneratorSettings(backend="none"), load_generator=False)


# (question, what the shopper must read): cause 1, then 2 (never a product listing), then 3
CASES = [
    ("cancelled a $64 order this afternoon that I paid for with my mastercard. how much comes back and when?", "5 to 7"),
    ("If I cancel my pending order that I paid with a gift card, how quickly does the money come back?", "immediate"),
    ("can you ship half my order today and the other half next week?", "cannot split"),
    ("my wife's order needs cancelling, I have her email here. can you do it?", "another customer"),
    ("I know you can exchange a fleece jacket for hiking boots, so how do I start swapping mine?", "product type"),
    ("i want to return a desk lamp from my delivered order, how do I do that?", "delivered"),
    ("processed orders can be returned too right? mine is processed and I want to send back a fleece jacket",
     "cannot be returned"),
    ("I already changed the color on my pending order, now can I cancel it?", "cannot be changed or cancelled"),
    ("I can change the items of my pending order as many times as I like, right?", "only once"),
    ("will you cancel stuff without checking with me first?", 'confirm with "yes"'),
    ("order times on the site are in my local time right?", "EST"),
    ("For an exchange, if the new one is cheaper, do I get the difference back?", "You pay or receive"),
]


@pytest.mark.parametrize("question,shown", CASES)
def test_the_rule_that_answers_is_quoted(answerer, question, shown):
    ans = answerer.answer(question)  # routed as served; without a generator the deciding fact is quoted
    assert ans.kind == "extractive" and shown in ans.text, ans.text


def test_a_status_named_in_quotes_must_be_the_facts_own():
    """"After an exchange your order says "return requested"" passed: every word is in the exchange rule."""
    checker = ClaimChecker([])
    facts = checker.facts(load_passages(ROOT))
    q = "After an exchange my order says 'return requested', right?"
    said = 'After an exchange, your order says "{}" and you receive an email explaining how to send the items back.'
    assert not checker.check_sentence(said.format("return requested"), q, facts).ok
    assert checker.check_sentence(said.format("exchange requested"), q, facts).ok
