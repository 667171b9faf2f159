"""What language-model shoppers found the assistant guessing or undoing silently (issue #14, "never
a silent guess"), through `Conversation.send` with the trained router: each test is a conversation
they had, and asserts what the shopper sees."""
from __future__ import annotations

import pytest

from conftest import talk

YUSUF = "yusuf.garcia2909@example.com"     # yusuf_garcia_3055: pending #W2564042, #W6885344, #W3260419


@pytest.mark.parametrize("opening", ["I need to cancel an order", "I need to cancel a couple of orders"])
def test_i_need_to_in_the_opening_gives_no_cancel_reason(engine, opening):
    t = talk(engine().new_conversation(), opening, "email", YUSUF, "#W6885344")[-1]
    assert "cancel_reason" not in t.slots and t.expecting.slot == "cancel_reason", t.text
    assert "no longer needed" not in t.text, t.text


def test_i_need_to_typed_as_the_reason_gives_none_but_no_need_does(engine):
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", YUSUF, "#W6885344")
    t = conv.send("I need to get this done today")
    assert "cancel_reason" not in t.slots, t.text
    t = conv.send("so no need now")
    assert t.slots["cancel_reason"] == "no longer needed" and t.expecting.slot == "confirmation", t.text


def test_a_reason_in_the_opening_is_said_when_it_is_taken(engine):
    t = talk(engine().new_conversation(), "I want to cancel an order, I don't need it anymore", "email", YUSUF,
             "#W6885344")[-1]
    assert t.slots["cancel_reason"] == "no longer needed" and t.expecting.slot == "confirmation", t.text


def test_an_ending_that_matches_no_order_is_said_and_no_ordinal_is_taken(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/cancel_order", "email", YUSUF, "the one ending 9559 first")[-1]
    assert "order_id" not in t.slots and "None of your orders ends in 9559" in t.text, t.text
    assert t.expecting.slot == "order_id"
    t = conv.send("the one ending 5344 first")
    assert t.slots["order_id"] == "#W6885344", t.text


OLIVIA = "olivia.ito5204@example.com"      # olivia_ito_3591: pending #W5442520 (no watch), #W7941031 (Wristwatch)


def test_the_order_holding_the_named_product_and_the_wish_kept(engine):
    """"First ..." orders what the shopper does; "black ... instead of white" is the wish, not the order."""
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", OLIVIA,
             "First the one with the wristwatch. I'd like the black dial instead of white")[-1]
    assert t.slots["order_id"] == "#W7941031", t.text
    t = conv.send("the wristwatch")
    assert t.expecting.slot == "new_item_ids" and "options are black" in t.text, t.text
    assert "white ($" not in t.text and "metal, black" in t.text and "leather, black" in t.text


def test_first_typed_with_a_wish_at_the_option_question_picks_no_option(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", OLIVIA, "#W7941031", "the wristwatch",
             "First the one with the wristwatch. I'd like the black dial instead of white")[-1]
    assert "new_item_ids" not in t.slots and "Which one would you like?" in t.text, t.text
