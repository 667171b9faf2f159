"""Causes of misses on blind openings set 28's first run (not its messages: written for these tests): a polite "if it
isn't too much trouble" read as a rule's condition; "if so cancel ..." after a rule question not read as the request;
"I should be grateful if you would change ..." (a formal letter's request) read as a story; "send pending order #W... to
<address>" and "Let's just cancel ..." and "I'm just going to return it" not read as requests; "I love the gold" read as
a wish; options weighed in a bare "rose gold?" or decided with "put the ... one in an order for me" not dropped."""
from __future__ import annotations

import pytest

from conftest import started_tasks
from engine.dialogue.deliberation import decided_text
from engine.question_or_request import read_message


@pytest.mark.parametrize("text, kind", [
    ("If it's not too much trouble, could my home address on file be moved to 12 Birch Road, Austin, TX 78701?",
     "request"),
    ("if you don't mind, could my home address on file be switched to 5 Pine St, Denver, CO 80202?", "request"),
    ("If I move house, will my pending orders follow me to the new address?", "question"),
    ("can i still return it if i opened it if so return the headphones from order w one two three", "both"),
    ("Re: my order. I should be grateful if you would cancel it, as it was placed in error.", "request"),
    ("ok, send pending order #W1046662 to 5 Elm Street, Boston, MA 02110.", "request"),
    ("Let's just return the whole thing.", "request"),
    ("honestly I'm just going to cancel it", "request"),
])
def test_politeness_letters_and_decisions_are_read_as_asked(text, kind):
    assert read_message(text).kind == kind, read_message(text)


def test_a_bare_option_after_an_option_weighed_is_weighed_too():
    said = "Swap the mug for the blue one? green? nah, I'm just going to return it."
    assert decided_text(said) == "nah, I'm just going to return it."


def test_a_product_put_in_an_order_is_the_decision():
    said = "should I get the small tent or the big one. eh, put the big one in an order for me"
    assert decided_text(said) == "eh, put the big one in an order for me"


def test_a_liking_told_is_not_the_request(engine):
    t = engine().new_conversation().send("The kettle in #W3323013 is fine but I'm not sure I love the silver. "
                                         "Swap it for white? black? honestly I'm just going to return it.")
    assert started_tasks(t)[:1] == ["return_items"], (t.route, t.text)
