"""Email-style small talk: a message that only opens a letter is a greeting, a thanks signed with the sender's
name is still a thanks (or a goodbye when it also closes), and a general-assistant ask that carries an address
or an order is no sign-in and no task (development set 16's causes; messages written for these tests)."""
from __future__ import annotations

import pytest

from conftest import started_tasks
from engine.unsupported_asks import unsupported


@pytest.mark.parametrize("text", ["Dear Customer Service,", "Hello there team!", "Good morning all,"])
def test_a_letter_opening_alone_is_greeted(engine, text):
    t = engine().new_conversation().send(text)
    assert t.route.label == "greet" and not started_tasks(t), (t.route, t.text)


@pytest.mark.parametrize("text", ["Many thanks for sorting that out. Best regards,\nPriya Shah",
                                  "Thanks so much, take care! - Marco"])
def test_a_signed_thanks_is_a_goodbye(engine, text):
    t = engine().new_conversation().send(text)
    assert t.route.label == "goodbye" and not started_tasks(t), (t.route, t.text)


def test_a_greeting_with_a_request_is_no_bare_greeting(engine):
    t = engine().new_conversation().send("hi there, cancel my order please")
    assert t.route.label != "greet"


@pytest.mark.parametrize("text", [
    "Can you draft an email to my building manager with my new address, 15 Pine St, Denver CO 80203?",
    "could you translate the confirmation for order #W5918442 into German for my dad",
])
def test_a_general_assistant_ask_starts_nothing(engine, text):
    t = engine().new_conversation().send(text)
    assert not started_tasks(t) and t.route.label == "fallback", (t.route, t.text)


def test_the_weather_does_not_block_a_request_beside_it():
    assert unsupported("the weather soaked the box on the porch, I want to return the lamp") is None
    assert unsupported("what's the weather today? where is my order") is None
