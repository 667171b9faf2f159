"""First messages that hold several asks or ask politely (the causes behind blind set 13's misses, each
tested with messages written for these tests): the task asked for first starts and the others wait; a
question next to the requests is answered; a request after "if not," is routed without its condition;
a polite ask for someone to do it is the request; a request no flow does starts nothing."""
from __future__ import annotations

import pytest


def _started(turn) -> list[str]:
    return [e["flow"] for e in turn.events if e.get("type") == "flow_started" and not e.get("called")
            and not e["flow"].startswith("pattern_")]


def test_a_second_thing_of_the_order_with_the_verb_said_once_is_a_second_task(engine):
    conv = engine().new_conversation()
    t = conv.send("I have to change the payment on #W4817265 to paypal and the address on it to "
                  "55 Cedar Ave, Tulsa, OK 74103")
    assert _started(t)[:1] == ["change_order_payment"], (t.route, t.text)
    assert [q["flow"] for q in conv.state.queued] == ["change_order_address"], t.text


def test_a_status_asked_before_a_person_is_looked_up_first_and_the_person_waits(engine):
    conv = engine().new_conversation()
    t = conv.send("where is #W4817265 and why has nobody written back to me, I want to talk to a manager")
    assert _started(t)[:1] == ["order_status"], (t.route, t.text)
    assert [q["flow"] for q in conv.state.queued] == ["handoff"], t.text


def test_a_request_after_if_not_is_started_after_the_answer(engine):
    t = engine().new_conversation().send("Can I still cancel an order once it's been processed? If not, just "
                                         "send #W4817265 to 8 Hill Rd, Austin, TX 78701 instead")
    assert _started(t)[:1] == ["change_order_address"], (t.route, t.text)


@pytest.mark.parametrize("text,flow", [
    ("would it be possible for someone to cancel the order I placed yesterday?", "cancel_order"),
    ("Hi there! Just wondering if you could look up my order for me?", "order_status"),
])
def test_a_polite_ask_for_someone_to_do_it_starts_the_task(engine, text, flow):
    t = engine().new_conversation().send(text)
    assert _started(t)[:1] == [flow], (t.route, t.text)


@pytest.mark.parametrize("text", [
    "please withdraw my exchange request, I'll keep the shoes",
    "I cancelled the wrong order by mistake, can you bring it back?",
    "can you ship #W4817265 on friday? I'm away until then",
    "can you draft an email to my landlord about my new address",
])
def test_a_request_no_flow_does_starts_nothing(engine, text):
    t = engine().new_conversation().send(text)
    assert _started(t) == [], (t.route, t.text)


@pytest.mark.parametrize("text", ["cancel pls", "ok just cancel the lot"])
def test_cancel_said_first_cancels_an_order(engine, text):
    """With no task open there is no task to stop: "cancel" asks to cancel an order."""
    t = engine().new_conversation().send(text)
    assert _started(t) == ["cancel_order"], (t.route, t.text)


@pytest.mark.parametrize("text", ["never mind", "stop"])
def test_never_mind_said_first_starts_nothing(engine, text):
    t = engine().new_conversation().send(text)
    assert _started(t) == [], (t.route, t.text)
