"""Openings read clause by clause (engine/router/clauses.py): the first goal stated leads, a story's request
is found after it, and the clauses' candidates are offered when none is sure. The messages here were written
for these tests from the flows' definitions; none comes from a bench set."""
from __future__ import annotations

import numpy as np
import pytest

from engine.router.clauses import is_request, read_clauses, split_clauses

LABELS = ["order_status", "return_items", "cancel_order", "greet", "fallback"]
FLOWS = frozenset({"order_status", "return_items", "cancel_order"})


def p(**kw: float) -> np.ndarray:
    v = np.array([kw.get(l, 0.0) for l in LABELS]) + 1e-3
    return v / v.sum()


@pytest.mark.parametrize("text,parts", [
    ("where's my desk lamp? also I'd like to return the rug", ["where's my desk lamp", "I'd like to return the rug"]),
    ("cancel the tent order, and then change the address on the other one",
     ["cancel the tent order", "change the address on the other one"]),
    ("the blue one, size 9", []),
    ("return the sneakers", []),
    ("I got the kettle on Monday and the lid is cracked. I want my money back.",
     ["I got the kettle on Monday and the lid is cracked", "I want my money back"]),
    # "and" before a second task's verb and its object, ", second ...": two goals
    ("need to cancel the tablet order and return the headphones from my last delivery",
     ["need to cancel the tablet order", "return the headphones from my last delivery"]),
    ("first cancel the skateboard order, second i want to exchange the helmet",
     ["first cancel the skateboard order", "i want to exchange the helmet"]),
    ("return and exchange policy?", []),  # one subject, not two tasks
    ("can I cancel and return items", []),
])
def test_split_clauses(text, parts):
    assert split_clauses(text) == parts


@pytest.mark.parametrize("clause,asks", [
    ("I'd like to return the rug", True), ("can you check on my parcel", True), ("where's my desk lamp", True),
    ("first, swap the medium tee for a large", True), ("Can it go to my sister's place instead", True),
    ("I got the kettle on Monday and the lid is cracked", False),
    ("it's shipping to our house where he'll see the box", False),
])
def test_is_request(clause, asks):
    assert is_request(clause) is asks


@pytest.mark.parametrize("whole,parts,label", [
    # the whole message reads the second goal; its first clause asks for another flow: the first leads
    (p(return_items=0.6, order_status=0.3),
     [("where's my desk lamp", p(order_status=0.9)), ("I'd like to return the rug", p(return_items=0.9))], "order_status"),
    # a pronoun request after the story ("... Can you cancel that?"): the story carries it, the whole reading stays
    (p(return_items=0.8),
     [("the rug arrived torn and I want my money", p(return_items=0.7)), ("can you cancel that", p(cancel_order=0.8))],
     None),
])
def test_a_different_first_request_leads_only_when_the_whole_goal_comes_later(whole, parts, label):
    got = read_clauses(whole, LABELS, parts, FLOWS, 0.5, 0.8, whole_is_flow=True)
    assert (got.label if got is not None else None) == label


def test_a_story_then_the_request_when_the_whole_is_unsure():
    whole = p(fallback=0.5, return_items=0.4)
    parts = [("I got the kettle on Monday and the lid is cracked", p(order_status=0.6)),
             ("I want my money back", p(return_items=0.9))]
    got = read_clauses(whole, LABELS, parts, FLOWS, 0.5, 0.8, whole_is_flow=False)
    assert got is not None and got.label == "return_items"


def test_a_confident_open_question_keeps_the_message_open():
    whole = p(fallback=0.9)
    parts = [("I was charged twice by my bank", p(fallback=0.95)), ("can I get it back", p(return_items=0.7))]
    assert read_clauses(whole, LABELS, parts, FLOWS, 0.5, 0.8, whole_is_flow=False) is None


def test_no_sure_clause_offers_the_clauses_candidates():
    whole = p(fallback=0.8, return_items=0.1)
    parts = [("long week here", p(fallback=0.6, greet=0.4)),
             ("the rug thing, money back maybe", p(return_items=0.45, fallback=0.55))]
    got = read_clauses(whole, LABELS, parts, FLOWS, 0.5, 0.8, whole_is_flow=False)
    assert got is not None and got.label is None
    assert got.top[LABELS.index("return_items")] >= 0.2  # offered as a button with the answer



def test_a_product_named_alone_is_not_a_goal():
    # "Dumbbell set." between a story and a status question names what the question is about
    assert not is_request("Dumbbell set")
    assert split_clauses("exchange the coffee maker: black, 4 cups") == []
