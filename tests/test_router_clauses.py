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
    # options listed after a colon are a clause of their own that asks for nothing: the task before leads
    assert split_clauses("exchange the coffee maker: black, 4 cups") == ["exchange the coffee maker", "black, 4 cups"]
    assert not is_request("black, 4 cups")


# -- several goals: the first stated leads; how a task is paid is part of it; a person asked for leads ----------
L2 = ["order_status", "cancel_order", "return_items", "change_order_items", "change_order_payment", "handoff",
      "checkout", "exchange_items", "cancel", "fallback"]
F2 = frozenset({"order_status", "cancel_order", "return_items", "change_order_items", "change_order_payment",
                "handoff", "checkout", "exchange_items"})


def p2(**kw: float) -> np.ndarray:
    v = np.array([kw.get(l, 0.0) for l in L2]) + 1e-3
    return v / v.sum()


def read2(whole, parts):
    got = read_clauses(whole, L2, parts, F2, 0.5, 0.8, whole_is_flow=L2[int(whole.argmax())] in F2)
    return got.label if got is not None else None


@pytest.mark.parametrize("text,parts", [
    ("swap the lamp shade to linen and pay for that order with my visa",
     ["swap the lamp shade to linen", "pay for that order with my visa"]),
    ("look up order #W1234567 and if it's still pending cancel it", ["look up order #W1234567", "if it's still pending cancel it"]),
])
def test_a_second_task_after_and(text, parts):
    assert split_clauses(text) == parts


@pytest.mark.parametrize("clause", [
    "can the kettle order be shipped to my office instead", "the rug should be the 8x10 not the 5x8",
    "returning the blender, it leaks", "im sending the jacket back", "if it hasn't left yet, cancel it",
    "ill need to exchange the boots", "wrong colour on the scarf, need navy not grey"])
def test_requests_said_as_plans_wishes_or_conditions(clause):
    assert is_request(clause)


def test_paying_the_difference_is_part_of_the_item_change():
    whole = p2(change_order_payment=0.6, change_order_items=0.3)
    parts = [("the lamp in my pending order should be the brass one", p2(change_order_items=0.9)),
             ("and pay the difference with my paypal", p2(change_order_payment=0.95))]
    assert read2(whole, parts) == "change_order_items"


def test_a_status_check_before_a_conditional_cancel_leads():
    whole = p2(cancel_order=0.7, order_status=0.2)
    parts = [("check whether my tent has shipped", p2(order_status=0.9)), ("if not, cancel it", p2(cancel=0.8))]
    assert read2(whole, parts) == "order_status"


def test_a_person_asked_for_after_a_story_leads():
    whole = p2(return_items=0.7, handoff=0.2)
    parts = [("the return page keeps failing on my blender", p2(return_items=0.9)),
             ("this is so annoying", p2(fallback=0.85)), ("can I talk to someone", p2(handoff=0.97))]
    assert read2(whole, parts) == "handoff"


def test_products_listed_after_a_colon_are_the_tasks_items_not_a_purchase():
    assert split_clauses("hi! I'd like to swap two things from a delivered order: a tent and a lantern") == [
        "I'd like to swap two things from a delivered order", "a tent and a lantern"]
    whole = p2(checkout=0.6, exchange_items=0.3)
    parts = [("I'd like to swap two things from a delivered order", p2(exchange_items=0.9)),
             ("a tent and a lantern", p2(checkout=0.85))]
    assert read2(whole, parts) == "exchange_items"


def test_the_price_difference_said_alone_is_a_detail():
    whole = p2(change_order_payment=0.55, change_order_items=0.4)
    parts = [("the lamp should be the brass one", p2(change_order_items=0.9)),
             ("gift card again for the difference", p2(change_order_payment=0.9))]
    assert read2(whole, parts) == "change_order_items"
