"""First messages shaped like the ones blind set 14 missed (each tested with messages written for these tests):
a request after "anyway"; leave asked for an order ("is that doable for #W..?"); an order as the subject of
a polite ask ("could order #W.. go to ..."); a wish said after a time lead, beside a question; "that order"
is the shopper's own; a story about "it" makes "it" theirs; shop abbreviations ("addr", "acct") read in full;
a request the router did not place still offers the task its words name."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import started_tasks


def _answering(engine):
    """The engine with the shop's knowledge (no generator): a fallback answer carries its buttons."""
    from engine.generator import load_answerer
    return engine().replace(answerer=load_answerer(Path(__file__).resolve().parents[1], load_generator=False))


def _offered(turn) -> list[str]:
    return [f for e in turn.events if e.get("type") == "flows_suggested" for f in e.get("flows", ())]


@pytest.mark.parametrize("text,flow", [
    ("does a refund to paypal take long? anyway please cancel #W4817265, bought it twice", "cancel_order"),
    ("what's your exchange window? anyways, cancel #W4817265 for me", "cancel_order"),
])
def test_a_request_after_anyway_beside_a_question_starts(engine, text, flow):
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == [flow], (t.route, t.text)


def test_leave_asked_for_a_named_order_is_the_request(engine):
    t = engine().new_conversation().send("I paid with paypal but I'd rather use my credit card on it. "
                                         "Would that be possible for #W4817265?")
    assert started_tasks(t)[:1] == ["change_order_payment"], (t.route, t.text)


def test_a_numbered_order_as_the_subject_of_a_polite_ask_is_the_request(engine):
    t = engine().new_conversation().send("it's a surprise for my brother, could order W4817265 go to "
                                         "77 Lake Dr, Boise, ID 83702?")
    assert started_tasks(t)[:1] == ["change_order_address"], (t.route, t.text)


def test_a_wish_after_a_time_lead_starts_beside_the_question(engine):
    t = engine().new_conversation().send("While it's still pending I need to change the blender in my order to "
                                         "the red one, and do exchanges cost anything?")
    assert started_tasks(t)[:1] == ["change_order_items"], (t.route, t.text)


def test_that_order_is_the_shoppers_own(engine):
    t = engine().new_conversation().send("I won't be home for the delivery. Can I stop that order? "
                                         "It hasn't shipped")
    assert started_tasks(t)[:1] == ["cancel_order"], (t.route, t.text)


def test_a_story_about_it_makes_it_the_shoppers_thing(engine):
    """Asked as "can I ..." about the thing the story is about: a request, not a question about the rules."""
    t = engine().new_conversation().send("she loved it but it broke on day two. can I get a refund for it?")
    assert started_tasks(t)[:1] == ["return_items"], (t.route, t.text)


@pytest.mark.parametrize("text,flow", [
    ("new addr for order #W4817265 pls", "change_order_address"),
    ("update the address on my acct", "change_default_address"),
])
def test_shop_abbreviations_are_read_in_full(engine, text, flow):
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == [flow], (t.route, t.text)


@pytest.mark.parametrize("text,flow", [
    ("switch my card", "change_order_payment"),
    ("refund for a thing i bought", "return_items"),
])
def test_a_request_the_router_did_not_place_offers_its_task(engine, text, flow):
    t = _answering(engine).new_conversation().send(text)
    assert started_tasks(t)[:1] == [flow] or flow in _offered(t), (t.route, _offered(t), t.text)
