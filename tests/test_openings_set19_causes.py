"""First messages shaped like the ones development set 19 missed (messages written for these tests, not copied from
the set): an indirect ask about one order the story named ("any chance it can still go?"), a person asked to pick a
case up again, "let's do that now: <address>" after a question, a request conditional on "are you a bot?", an item
named by a size in digits, a purchase refused ("I'm not ordering yet"), an order look-up refused beside a person
asked for, an invoice or a poem asked for, a delivery split over two weeks, and a plain polite request."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import started_tasks
from engine.generator import load_answerer
from engine.question_or_request import read_message
from engine.refusals import refused
from engine.unsupported_asks import unsupported

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text, task", [
    ("The yoga mat order I made on Sunday is still pending. Is there any chance it could be cancelled?", "cancel_order"),
    ("is it too late to send my tea kettle order to a different address?", "change_order_address"),
    ("Picking up where the last agent left off: could a person handle this again please?", "handoff"),
    ("Is this an automated chat? If so I would rather talk to a human.", "handoff"),
    ("Remember our chat from Monday? I wanted the water bottle order to go to my office instead. Let's do that "
     "now: 500 Market St, Denver, CO 80202.", "change_order_address"),
    ("did the 12-inch frying pan ship already?", "order_status"),
    ("I would like to return an order, please.", "return_items"),
    ("I would like to change the payment on an order, if possible", "change_order_payment"),
])
def test_opening_starts_the_task_asked_for(engine, text, task):
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == [task], (t.route, t.text)


@pytest.mark.parametrize("text", [
    "is there any chance I can return a used item after 30 days?",     # a condition: the rule is asked
    "I would like to know if orders can be cancelled, please.",
    "I would like to cancel a card payment with my bank, please.",     # no order of the shop
])
def test_questions_and_other_requests_said_alike_start_no_task(engine, text):
    t = engine().new_conversation().send(text)
    assert started_tasks(t) == [], (t.route, t.text)


@pytest.mark.parametrize("text, kind", [
    ("Could you email me an itemized invoice for #W2974929 for my expenses?", "invoice"),
    ("compose a limerick about my late parcel", "writing"),
    ("deliver the first half of my order today and the rest tomorrow please", "partial_delivery"),
])
def test_requests_no_task_does_start_nothing(engine, text, kind):
    assert unsupported(text) == kind
    t = engine().replace(answerer=load_answerer(ROOT, load_generator=False)).new_conversation().send(text)
    assert started_tasks(t) == [], (t.route, t.text)


def test_an_invoice_is_answered_with_what_the_shop_does_instead(engine):
    t = engine().replace(answerer=load_answerer(ROOT, load_generator=False)).new_conversation().send(
        "I need a VAT invoice for my last order, can you send one to billing@acme.example?")
    assert "invoice" in t.text.lower() and started_tasks(t) == [], t.text


@pytest.mark.parametrize("text, gone", [
    ("I'm not buying anything yet, just tell me which kettle is bigger", {"checkout"}),
    ("I'm not asking you to check my order, I need someone to call the courier", {"order_status"}),
])
def test_a_refused_task_is_read(text, gone):
    assert gone <= refused(text)


def test_a_clause_of_thanks_alone_asks_for_nothing():
    reading = read_message("I would like to exchange an item, thank you so much!")
    assert [c.kind for c in reading.clauses] == ["request"] or reading.requests[0].text.startswith("I would like"), \
        reading
    assert len(reading.requests) == 1, reading


@pytest.mark.parametrize("text, offered", [
    ("is there a customer service phone number?", None),          # asks whether there is one: answered
    ("can I place orders right here in the chat?", "checkout"),   # how buying works here: answered, buying offered
    ("could I buy online through you?", "checkout"),
])
def test_questions_about_how_things_work_here_are_answered_not_started(engine, text, offered):
    t = engine().replace(answerer=load_answerer(ROOT, load_generator=False)).new_conversation().send(text)
    assert started_tasks(t) == [], (t.route, t.text)
    if offered:
        assert any(b.payload == f"/{offered}" for m in t.messages for b in m.buttons), t.text
