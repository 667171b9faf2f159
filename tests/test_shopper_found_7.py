"""What language-model shoppers found on tau-bench train tasks 257-283 (seventh set): items named by
their own options, wishes said for another item, "same as mine otherwise" at an offer, and a payment
method said for another task. Through `Conversation.send` with the trained router."""
from __future__ import annotations

import pytest

from conftest import talk

NOAH = "noah.kovacs8240@example.com"       # delivered #W3002300: a green and a black Bluetooth Speaker
LEI = "lei.li8350@example.com"             # pending #W3414433: Digital Camera (30MP, 3x, SD), Electric Kettle (1L, steel, black)
OMAR = "omar.muller2208@example.com"       # delivered #W9941744: helmet, speaker (red, 10 h, no), tablet, phone
CHEN = "chen.johnson3889@example.com"      # pending #W5061109: Makeup Kit (dark, basic, Brand B), chair, speaker
FATIMA = "fatima.li1185@example.com"       # pending #W8005719, #W3510092 (mouse, laptop), paid by Visa


@pytest.mark.parametrize("said", ["I'd like the green speaker swapped for a red one",
                                  "exchange my green speaker for a red one please"])
def test_an_option_that_names_the_item_is_not_wished_for(engine, said):
    """Train 280: "green" names the speaker being exchanged (it is that item's colour); only red is wished."""
    t = talk(engine().new_conversation(), "/exchange_items", "email", NOAH, "#W3002300", said)[-1]
    assert t.slots["exchange_item_ids"] == ["9179378709"], t.text                 # the green one
    assert "green and red" not in t.text and "Four Bluetooth Speaker options are red" in t.text, t.text
    t = talk(engine().new_conversation(), "/exchange_items", "email", NOAH, "#W3002300", "the green speaker",
             said)[-1]
    assert "green and red" not in t.text and "options are red" in t.text, t.text


def test_the_item_alone_at_the_option_question_is_still_read(engine):
    """Only the item's name said: read as before (its colour, the change told), not dropped."""
    t = talk(engine().new_conversation(), "/exchange_items", "email", NOAH, "#W3002300", "the green speaker",
             "the green one")[-1]
    assert t.expecting.slot == "payment_method_id" and "also changes the battery life" in t.text, t.text


@pytest.mark.parametrize("said,then", [
    ("I want the camera in 20MP. And the kettle in glass instead of stainless steel", "the 3x SD card one"),
    ("the kettle in glass instead of stainless steel, and the camera in 20MP, otherwise the same", None)])
def test_a_later_items_wish_said_at_an_earlier_items_question_is_kept(engine, said, then):
    """Train 257: the kettle's wish said at the camera's question was asked again at the kettle's."""
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", LEI, "#W3414433", "the digital camera and the electric kettle",
             said)[-1]
    if then is not None:  # "20MP" fits two cameras: asked, and the kettle's wish still waits
        assert "Two Digital Camera options are 20MP" in t.text and "glass" not in t.text, t.text
        t = conv.send(then)
    assert t.slots["new_item_ids"] == ["8363011723", "2323972008"], t.text      # 20MP 3x SD; 1L glass black
    assert t.expecting.slot == "payment_method_id" and "instead of the Electric Kettle" not in t.text, t.text


@pytest.mark.parametrize("said", [
    "#W9941744: the tablet for a 128GB black one, and the speaker for a blue waterproof one",
    "Order #W9941744. I want to exchange the tablet to 128GB storage in black, and the bluetooth speaker to blue "
    "with water resistance"])
def test_items_and_their_wishes_said_with_the_order_id_are_taken(engine, said):
    """Train 283: the items and their new options given with the order id were asked again; "128GB" (the
    tablet's wish) is also the order's phone's storage, and must not make "the tablet" name nothing."""
    conv = engine().new_conversation()
    t = talk(conv, "/exchange_items", "email", OMAR, said)[-1]
    assert t.slots["exchange_item_ids"] == ["1689914594", "6501071631"], t.text
    assert "Two Bluetooth Speaker options are blue and water resistance" in t.text, t.text
    t = conv.send("the one with 10 hours")
    assert t.slots["new_item_ids"] == ["4716977452", "4913411651"], t.text      # blue 10 h waterproof; 7" 128GB black
    assert t.expecting.slot == "payment_method_id", t.text


def test_the_order_said_between_the_item_and_its_wish(engine):
    t = talk(engine().new_conversation(), "Hi, I'd like to exchange the tablet in #W9941744 for a 128GB black one "
             "and the speaker for a blue waterproof one with 10 hours battery", OMAR)[-1]
    assert t.slots["new_item_ids"] == ["4716977452", "4913411651"], t.text
    assert t.expecting.slot == "payment_method_id", t.text


@pytest.mark.parametrize("said", ["same as mine otherwise", "the same one otherwise", "everything else the same"])
def test_same_as_mine_otherwise_at_an_offer_keeps_the_rest_not_the_old_item(engine, said):
    """Train 268: "same as mine otherwise" after "Five Makeup Kit options are professional: ..." kept the
    old kit size (the kit they have); it means the professional one with the rest as theirs."""
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", CHEN, "#W5061109", "the makeup kit", "professional")[-1]
    assert "Five Makeup Kit options are professional" in t.text, t.text
    t = conv.send(said)
    assert t.slots["new_item_ids"] == ["5012998807"], t.text                     # dark, professional, Brand B
    assert "kit size basic" not in t.text and t.expecting.slot == "payment_method_id", t.text


def test_same_as_mine_otherwise_when_no_offered_one_keeps_the_rest_is_asked(engine):
    """Offered only options that differ in what the shopper has: none keeps it all, so asked, never the old item."""
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", CHEN, "#W5061109", "the makeup kit", "Brand C")[-1]
    assert "medium, basic, Brand C" in t.text and "dark, professional, Brand C" in t.text, t.text
    t = conv.send("same as mine otherwise")
    assert "new_item_ids" not in t.slots and t.expecting.slot == "new_item_ids", t.text
    assert "None of these Makeup Kit options keeps your kit size basic and skin tone dark" in t.text, t.text


def _cancelled(engine):
    conv = engine().new_conversation()
    t = talk(conv, "I want to cancel order #W8005719", FATIMA, "no longer needed", "yes")[-1]
    assert "is cancelled" in t.text and t.active_flow is None, t.text
    return conv


def test_switching_an_orders_payment_after_a_cancel_is_no_swap_of_items(engine):
    """Train 277: "switch the payment method to my PayPal" after a cancel started an item change that then
    paid the price difference with PayPal without asking."""
    t = _cancelled(engine).send("For order #W3510092, I'd like to switch the payment method to my PayPal")
    assert t.flow_stack == ["change_order_payment"], t.text
    assert t.slots.get("new_payment_method_id") == "paypal_6366157" and "payment_method_id" not in t.slots, t.text


def test_a_payment_change_said_with_an_item_change_does_not_pay_the_difference(engine):
    """The method a request to change the order's payment names is that task's: the item change asks."""
    conv = engine().new_conversation()
    t = talk(conv, "I want to change the laptop in #W3510092 to an i7 with 32GB in black. Switch the payment of the "
             "order to my PayPal too", FATIMA, "the 13-inch one")[-1]
    assert t.slots["new_item_ids"] == ["1657832319"], t.text
    assert "payment_method_id" not in t.slots and t.expecting.slot == "payment_method_id", t.text


def test_the_difference_paid_as_said_for_the_item_change_is_still_taken(engine):
    t = talk(engine().new_conversation(), "/change_order_items", "email", FATIMA, "#W3510092",
             "the laptop, and put the price difference on my PayPal", "i7, 32GB, black, 13-inch")[-1]
    assert t.slots.get("payment_method_id") == "paypal_6366157" and t.expecting.slot == "confirmation", t.text
