"""First messages that hold several asks or ask politely (the causes behind blind set 13's misses, each
tested with messages written for these tests): the task asked for first starts and the others wait; a
question next to the requests is answered; a request after "if not," is routed without its condition;
a polite ask for someone to do it is the request; a request no flow does starts nothing."""
from __future__ import annotations

import pytest
from conftest import started_tasks


def test_a_second_thing_of_the_order_with_the_verb_said_once_is_a_second_task(engine):
    conv = engine().new_conversation()
    t = conv.send("I have to change the payment on #W4817265 to paypal and the address on it to "
                  "55 Cedar Ave, Tulsa, OK 74103")
    assert started_tasks(t)[:1] == ["change_order_payment"], (t.route, t.text)
    assert [q["flow"] for q in conv.state.queued] == ["change_order_address"], t.text


@pytest.mark.parametrize("text,queued", [
    # round 20: the laptop change was dropped
    ("I need to change the address + laptop on my pending order #W8797321, and exchange the vacuum cleaner "
     "from #W2809253", ["change_order_items", "exchange_items"]),
    ("please update the payment and the shipping address for #W8797321", ["change_order_address"]),
])
def test_two_things_of_one_order_after_one_verb_are_two_tasks(engine, text, queued):
    conv = engine().new_conversation()
    t = conv.send(text)
    assert len(started_tasks(t)) == 1, (t.route, t.text)
    assert [q["flow"] for q in conv.state.queued] == queued, t.text


def test_two_items_after_one_verb_are_one_task(engine):
    conv = engine().new_conversation()
    t = conv.send("I want to change the laptop and the headphones in my pending order #W8797321")
    assert started_tasks(t) == ["change_order_items"] and not conv.state.queued, (t.route, t.text)


def test_a_status_asked_before_a_person_is_looked_up_first_and_the_person_waits(engine):
    conv = engine().new_conversation()
    t = conv.send("where is #W4817265 and why has nobody written back to me, I want to talk to a manager")
    assert started_tasks(t)[:1] == ["order_status"], (t.route, t.text)
    assert [q["flow"] for q in conv.state.queued] == ["handoff"], t.text


def test_a_request_after_if_not_is_started_after_the_answer(engine):
    t = engine().new_conversation().send("Can I still cancel an order once it's been processed? If not, just "
                                         "send #W4817265 to 8 Hill Rd, Austin, TX 78701 instead")
    assert started_tasks(t)[:1] == ["change_order_address"], (t.route, t.text)


@pytest.mark.parametrize("text,flow", [
    ("would it be possible for someone to cancel the order I placed yesterday?", "cancel_order"),
    ("Hi there! Just wondering if you could look up my order for me?", "order_status"),
    ("could you put me through to customer care please?", "handoff"),
])
def test_a_polite_ask_for_someone_to_do_it_starts_the_task(engine, text, flow):
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == [flow], (t.route, t.text)


@pytest.mark.parametrize("text", [
    "please withdraw my exchange request, I'll keep the shoes",
    "I cancelled the wrong order by mistake, can you bring it back?",
    "can you ship #W4817265 on friday? I'm away until then",
    "can you draft an email to my landlord about my new address",
])
def test_a_request_no_flow_does_starts_nothing(engine, text):
    t = engine().new_conversation().send(text)
    assert started_tasks(t) == [], (t.route, t.text)


@pytest.mark.parametrize("text", ["cancel pls", "ok just cancel the lot"])
def test_cancel_said_first_cancels_an_order(engine, text):
    """With no task open there is no task to stop: "cancel" asks to cancel an order."""
    t = engine().new_conversation().send(text)
    assert started_tasks(t) == ["cancel_order"], (t.route, t.text)


@pytest.mark.parametrize("text", ["never mind", "stop"])
def test_never_mind_said_first_starts_nothing(engine, text):
    t = engine().new_conversation().send(text)
    assert started_tasks(t) == [], (t.route, t.text)


@pytest.mark.parametrize("text,flow", [
    ("the hiking boots in 10 rub my heels raw, need them in an 11", "exchange_items"),
    ("that fleece jacket swallows me whole, got it monday, can it be an S", "exchange_items"),
    ("ordered a jacket in L for my son, it hasn't shipped yet and he needs the M", "change_order_items"),
])
def test_an_option_wished_for_a_thing_of_theirs_changes_it(engine, text, flow):
    """The product and the option named instead of the task: it came - an exchange; not shipped - a change."""
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == [flow], (t.route, t.text)


def test_an_option_wished_with_no_status_offers_both_changes(engine):
    from pathlib import Path

    from engine.generator import load_answerer

    answerer = load_answerer(Path(__file__).resolve().parents[1], load_generator=False)
    t = engine().replace(answerer=answerer).new_conversation().send("ugh the socks r the wrong colour, id like these in black")
    offered = [f for e in t.events if e.get("type") == "flows_suggested" for f in e.get("flows", ())]
    assert started_tasks(t) == [] and {"exchange_items", "change_order_items"} <= set(offered), (t.route, offered)


def test_an_option_wished_for_an_order_not_shipped_is_a_change_whatever_the_router_says(engine):
    t = engine().new_conversation().send("could I swap the kettle in my order to the white one? it hasn't shipped")
    assert started_tasks(t)[:1] == ["change_order_items"], (t.route, t.text)


@pytest.mark.parametrize("text,started", [
    ("I want to buy the fleece jacket in M", ["checkout"]),
    ("I like the blue one more", []),
])
def test_a_purchase_or_a_remark_is_not_a_change(engine, text, started):
    assert started_tasks(engine().new_conversation().send(text))[:1] == started


def test_a_new_address_told_as_news_about_an_order_changes_the_order(engine):
    t = engine().new_conversation().send("heads up, we moved last week - new place is 18 Birch Rd, Tulsa, OK 74103 "
                                         "and my #W4817265 hasn't shipped")
    assert started_tasks(t)[:1] == ["change_order_address"], (t.route, t.text)


def test_a_new_address_told_with_neither_order_nor_account_offers_both(engine):
    from pathlib import Path

    from engine.generator import load_answerer

    answerer = load_answerer(Path(__file__).resolve().parents[1], load_generator=False)
    t = engine().replace(answerer=answerer).new_conversation().send("we just moved, now living at 5 Elm Ct, Boise, "
                                                                    "ID 83702")
    offered = [f for e in t.events if e.get("type") == "flows_suggested" for f in e.get("flows", ())]
    assert started_tasks(t) == [] and {"change_order_address", "change_default_address"} <= set(offered), (t.route, offered)


def test_the_thing_named_in_a_cleft_is_no_request_the_task_after_it_is(engine):
    t = engine().new_conversation().send(
        "Long story, the party got moved. The one I need to deal with is the order with the electric kettle, which "
        "hasn't shipped I think, so please cancel that whole order. The rest can stay.")
    assert started_tasks(t)[:1] == ["cancel_order"], (t.route, t.text)


def test_two_tasks_offered_as_alternatives_start_with_the_first_said(engine):
    t = engine().new_conversation().send("I have to return or cancel a couple of my orders, some haven't even arrived")
    assert started_tasks(t)[:1] == ["return_items"], (t.route, t.text)


@pytest.mark.parametrize("text", ["hiya, it's sofia.li7352@example.com", "Sofia Li, 78260", "morning! Sofia Li here, zip 78260"])
def test_a_greeting_or_a_signature_with_who_they_are_signs_in(engine, text):
    t = engine().new_conversation().send(text)
    assert "Goodbye" not in t.text and "signed in" in t.text, (t.route, t.text)
