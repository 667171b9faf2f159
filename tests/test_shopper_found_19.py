"""What language-model shoppers found (round 19): an errand announced before the request ("got a few things to
sort out") read as what the items should become, a tentative pick said as a question, an exchange at no
difference in price, and a numbered order's swap. Through `Conversation.send` with the trained router, on the
seed store (messages written for these tests)."""
from __future__ import annotations

import pytest

from conftest import talk

YARA = "Yara Ito, zip 75284"  # delivered #W1304208 holds only Hiking Boots


@pytest.mark.parametrize("said", ["I want to return some hiking boots",
                                  "hi, got a few things to sort out. first I want to return some hiking boots",
                                  "hey, a couple of things to deal with: I want to return some hiking boots"])
def test_an_errand_announced_first_does_not_hide_the_item_named(engine, said):
    """"things to sort out" was read as a wish ("to sort out ... hiking boots"), blanking the boots: the only
    item of the only delivered order holding them was asked for again."""
    t = talk(engine().new_conversation(), said, YARA)[-1]
    assert "#W1304208" in t.text and "Which items" not in t.text and "refund" in t.text, t.text


SOFIA = ("hi, I'd like to change the vacuum cleaner in my order #W2297866", "Sofia Thomas, 75307")  # pending, upright


@pytest.mark.parametrize("said", ["a robot one?", "is the robotic one ok?", "would a robot one work?"])
def test_a_pick_said_as_a_question_is_taken_as_the_pick(engine, said):
    """"is the robotic one ok?" was answered as an open question ("I'm not sure I can answer that")."""
    t = talk(engine().new_conversation(), *SOFIA, said)[-1]
    assert "options are robotic" in t.text and "not sure" not in t.text, t.text


def test_a_pick_asked_about_after_a_narrowing_is_taken(engine):
    t = talk(engine().new_conversation(), *SOFIA, "a robot one?", "is the pet hair removal one ok?")[-1]
    assert "becomes robotic, bagless, pet hair removal" in t.text, t.text


def test_a_real_question_during_the_choice_is_answered_and_the_choice_resumes(engine):
    """"does the robot one have a bin?" asks; the four robotic options are offered again, not the whole list."""
    conv = engine().new_conversation()
    t = talk(conv, *SOFIA, "a robot one?", "does the robot one have a bin?")[-1]
    assert t.active_flow == "change_order_items" and t.expecting.slot == "new_item_ids", t.text
    assert "Which one would you like: robotic" in t.text and "becomes" not in t.text, t.text
    assert "becomes robotic, bagless, pet hair removal" in conv.send("the pet hair one").text


LIAM = "liam.thomas9081@example.com"  # pending #W1654931 (e-reader, air purifier), delivered #W6397299 (vacuum, ...)


@pytest.mark.parametrize("said,task", [
    ("hi, for order #W1654931 I'd like to exchange the air purifier for a different option", "change_order_items"),
    ("I'd like to replace the air purifier in #W1654931 with a quieter model", "change_order_items"),
    ("hi, for order #W6397299 I'd like to change the vacuum cleaner to a different option", "exchange_items"),
    ("order #W6397299: modify the yoga mat to a different color please", "exchange_items"),
])
def test_a_numbered_orders_swap_follows_its_status_whatever_the_verb(engine, said, task):
    """Already so (round 19 checked it): the task that runs is the one the named order's status allows."""
    t = talk(engine().new_conversation(), said, LIAM)[-1]
    assert t.active_flow == task and "What would you like instead of the" in t.text, t.text
