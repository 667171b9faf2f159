"""What language-model shoppers found on tau-bench train tasks 297-299 (ninth set): requests dropped from
messages that ask for several tasks: two orders named for one task, three tasks listed with commas, and a
second task on "it" (the order named before) or said as a wish. Through `Conversation.send` with the
trained router."""
from __future__ import annotations

from conftest import talk

RAJ = "raj.lopez2997@example.com"   # pending #W3502364 and #W5107138
OLIVIA = "Olivia Ito, 80218"        # pending #W3657213, #W5442520 (gaming mouse); delivered #W5866402
SOFIA = "Sofia Li, 75390"           # pending #W6599568: earbuds, helmet, Bluetooth Speaker (red, 20 h, no)


def _status(engine_, order_id: str) -> str:
    return str(engine_.store.get_order_details(order_id, as_user="raj_lopez_5873")["status"])


def test_two_orders_named_for_one_cancel_are_both_cancelled_with_the_reason_kept(engine):
    """Train 299: the opening named both orders; only the first was cancelled, and the second, asked for
    after, was asked its reason again."""
    e = engine()
    conv = e.new_conversation()
    t = conv.send("hey! can you cancel two orders for me, #W3502364 and #W5107138? don't need them anymore")
    assert "first #W3502364, then #W5107138" in t.text, t.text
    t = talk(conv, RAJ, "yes")[-1]
    assert "#W3502364 is cancelled" in t.text and "cancel order #W5107138" in t.text, t.text
    assert t.slots["cancel_reason"] == "no longer needed" and t.expecting.slot == "confirmation", t.text
    t = conv.send("yes")
    assert "#W5107138 is cancelled" in t.text, t.text
    assert _status(e, "#W3502364") == _status(e, "#W5107138") == "cancelled"


def test_three_tasks_listed_with_commas_are_all_queued(engine):
    """Train 298: "cancel #W1, change the mouse in #W2, and exchange some stuff from #W3": the middle task
    was dropped."""
    conv = engine().new_conversation()
    t = conv.send("I need three things: cancel order #W3657213, change the gaming mouse in #W5442520, and "
                  "exchange some stuff from #W5866402.")
    assert 'first "Cancel an order", then "Change items in an order", then "Exchange items"' in t.text, t.text
    t = talk(conv, OLIVIA, "no longer needed", "yes")[-1]
    assert '"Change items in an order"' in t.text and "Gaming Mouse (black, optical, wired)" in t.text, t.text
    assert t.slots["order_id"] == "#W5442520", t.text


def test_a_comma_before_a_detail_does_not_split_a_task(engine):
    """Only a listed task on its own order number splits: the options after a comma stay the task's."""
    from engine.dialogue.goal_split import goal_parts

    assert goal_parts("exchange the shoes in #W5866402, change them to size 10") == \
        ["exchange the shoes in #W5866402, change them to size 10"]


def test_an_item_change_on_it_after_a_payment_change_keeps_the_order_and_the_wish(engine):
    """Train 297: "switch the payment on #W... to my mastercard, and change the speaker in it to blue":
    the item change read "it" as an order description ("You have nothing that matches ...")."""
    conv = engine().new_conversation()
    t = talk(conv, "can you switch the payment on #W6599568 to my mastercard, and change the bluetooth speaker "
             "in it to blue instead of red?", SOFIA, "yes")[-1]
    assert "now paid with Mastercard" in t.text and "Change items in an order" in t.text, t.text
    assert "nothing that matches" not in t.text, t.text
    assert t.slots["modify_item_ids"] == ["1052700637"] and t.slots["new_item_ids"] == ["2635605237"], t.text


def test_a_second_task_said_as_a_wish_is_queued(engine):
    """Train 297: "... I want to pay with my mastercard instead. Also the speaker should be blue instead of
    red.": the wish was not heard as a request, and only the payment was changed."""
    conv = engine().new_conversation()
    t = talk(conv, "For order #W6599568 I want to pay with my mastercard instead. Also the bluetooth speaker "
             "should be blue instead of red.", SOFIA, "yes")[-1]
    assert "Change items in an order" in t.text, t.text
    assert t.slots["modify_item_ids"] == ["1052700637"] and t.slots["new_item_ids"] == ["2635605237"], t.text


def test_a_follow_up_about_an_item_of_the_order_just_done_changes_its_items(engine):
    """Train 297: "And the speaker? I wanted it in blue instead of red." after the payment change went to
    the exchange ("pending, not delivered, so it can't be returned or exchanged")."""
    conv = engine().new_conversation()
    t = talk(conv, "I want to change the payment on #W6599568 to my mastercard", SOFIA, "yes",
             "And the speaker? I wanted it in blue instead of red.")[-1]
    assert "can't be returned or exchanged" not in t.text and t.slots["order_id"] == "#W6599568", t.text
    assert t.slots["modify_item_ids"] == ["1052700637"] and t.slots["new_item_ids"] == ["2635605237"], t.text
