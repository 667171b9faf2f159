"""First messages shaped like the ones development set 17 missed (messages written for these tests): a thing
from a numbered order, what is wrong with it, and the option wanted instead ("a size up", "get me an M", "I'd
rather have the cork one") asks for an exchange, without naming the task; a purchase of one option still buys."""
from __future__ import annotations

import pytest

from conftest import started_tasks


@pytest.mark.parametrize("text", [
    "the running shoes from W2611340 pinch, one size up please",
    "jacket from #W5918442 shrank in the wash, could you get me an M instead",
    "the e-reader from W2974929 is too dim for me, I'd rather have the backlit one",  # the router is sure: a return
    "my headphones from #W2631563 crackle on the left side, I want the wireless one",
])
def test_a_problem_and_the_option_wanted_for_a_numbered_orders_thing_is_an_exchange(engine, text):
    t = engine().new_conversation().send(text)
    assert started_tasks(t)[:1] == ["exchange_items"], (t.route, t.text)


def test_buying_one_option_is_still_a_purchase(engine):
    t = engine().new_conversation().send("I'd like to buy the running shoes, the black ones, size 10")
    assert started_tasks(t)[:1] == ["checkout"], (t.route, t.text)
