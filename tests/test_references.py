"""References resolved against what the shop knows (issue #14, section 2 and 3), through
`Conversation.send` with the trained router: options taken when one fits and asked when several
do, kept only when the shopper says so; comparisons among an order's items; orders by status,
payment and city; a known address with one part changed; products and choices said in other words.

Seed customers: sofia_li_9219 (#W5416052 delivered: Pet Bed, Cycling Helmet M red low, Wireless
Earbuds, Jigsaw Puzzle, Smart Watch; #W8855135 pending, paid with a Visa; three delivered orders),
harper_nguyen_9170 (#W8413387 delivered: LED bulb, T-Shirt, two Backpacks $212.79 and $218.04),
amelia_ito_8772 (#W3883329 pending, ships to 798 Hickory Lane, Suite 353, Seattle, WA 98137),
fatima_muller_6713 (six orders, one pending in Philadelphia and one delivered in Washington, DC).
"""
from __future__ import annotations

from conftest import talk

SOFIA, HARPER, AMELIA, FATIMA = ("sofia.li7352@example.com", "harper.nguyen5245@example.com",
                                 "amelia.ito8974@example.com", "fatima.muller6448@example.com")
HELMET = "6401214406"   # Cycling Helmet M, red, low ventilation


def _exchanging_the_helmet(conv):
    talk(conv, "/exchange_items", "email", SOFIA, "#W5416052")
    return conv.send("the helmet")


def test_one_option_that_fits_is_taken_and_what_else_it_changes_is_said(engine):
    conv = engine().new_conversation()
    t = _exchanging_the_helmet(conv)
    assert t.expecting.slot == "new_item_ids", t.text
    t = conv.send("a large white one")                        # only L white medium is in stock
    assert t.slots["new_item_ids"] == ["6697922351"], t.text
    assert "ventilation to medium" in t.text, t.text


def test_several_options_are_asked_and_kept_only_when_said(engine):
    conv = engine().new_conversation()
    _exchanging_the_helmet(conv)
    t = conv.send("size L")                                   # L black high and L white medium
    assert t.slots.get("new_item_ids") is None and t.expecting.slot == "new_item_ids", t.text
    assert "L, black, high" in t.text and "L, white, medium" in t.text, t.text
    conv = engine().new_conversation()
    _exchanging_the_helmet(conv)
    t = conv.send("the same helmet, only white")              # keeps M and low ventilation
    assert t.slots["new_item_ids"] == ["8591113813"], t.text


def test_options_kept_as_said_with_a_superlative(engine):
    conv = engine().new_conversation()
    _exchanging_the_helmet(conv)
    t = conv.send("the most ventilated one, keep my size and colour")
    assert t.slots["new_item_ids"] == ["8573379326"], t.text  # M, red, high


def test_a_comparison_picks_among_the_items_a_phrase_names(engine):
    conv = engine().new_conversation()
    talk(conv, "/return_items", "email", HARPER, "#W8413387")
    t = conv.send("the more expensive backpack")
    assert t.slots["return_item_ids"] == ["4947717507"], t.text
    conv = engine().new_conversation()
    talk(conv, "/return_items", "email", HARPER, "#W8413387")
    t = conv.send("everything but the backpacks")
    assert t.slots["return_item_ids"] == ["5111440845", "8349118980"], t.text


def test_orders_by_status_payment_and_city(engine):
    conv = engine().new_conversation()
    talk(conv, "/order_status", "email", SOFIA)
    t = conv.send("the order that is still pending")
    assert t.slots["order_id"] == "#W8855135", t.text
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", FATIMA)
    t = conv.send("the one going to Philly")
    assert t.slots["order_id"] == "#W4160705", t.text
    conv = engine().new_conversation()
    talk(conv, "/order_status", "email", FATIMA)
    t = conv.send("the one that was sent to DC")
    assert t.slots["order_id"] == "#W2435638", t.text


def test_a_known_address_with_one_part_changed(engine):
    conv = engine().new_conversation()
    talk(conv, "/change_order_address", "email", AMELIA, "#W3883329")
    t = conv.send("same address, but the zip should be 98121")
    assert t.expecting.slot == "confirmation", t.text
    assert t.slots["new_address"]["address1"] == "798 Hickory Lane" and t.slots["new_address"]["zip"] == "98121"
    conv = engine().new_conversation()
    talk(conv, "/change_order_address", "email", AMELIA, "#W3883329")
    t = conv.send("500 Pine St Apt 7 Seattle WA 98101")      # typed without commas: not the known Seattle one
    assert t.slots["new_address"]["address1"] == "500 Pine St" and t.slots["new_address"]["zip"] == "98101"


def test_a_product_name_that_fits_several_is_asked(engine):
    conv = engine().new_conversation()
    talk(conv, "/checkout", "email", AMELIA)
    t = conv.send("I'd like a kettle")
    assert t.slots.get("product_id") is None and t.expecting.slot == "product_id", t.text
    assert "Electric Kettle" in t.text and "Tea Kettle" in t.text, t.text
    t = conv.send("the tea one")
    assert t.slots["product_id"] and t.expecting.slot == "item_id", t.text


def test_a_cancel_reason_in_other_words_and_never_mind_still_stops(engine):
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", SOFIA, "#W8855135")
    t = conv.send("there is no need for it now")
    assert t.slots["cancel_reason"] == "no longer needed", t.text
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", SOFIA, "#W8855135")
    t = conv.send("it was not a mistake, I simply don't want it anymore")
    assert t.slots["cancel_reason"] == "no longer needed", t.text
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", SOFIA, "#W8855135")
    t = conv.send("never mind")
    assert t.slots.get("cancel_reason") is None and t.active_flow != "cancel_order", t.text


def test_the_other_option_at_the_summary(engine):
    """fatima_wilson_7472, #W5272531: the black rechargeable toothbrush swapped for the white low-speed
    one; "the other white one" at the summary is the other white toothbrush, not another item."""
    conv = engine().new_conversation()
    talk(conv, "/exchange_items", "email", "fatima.wilson5721@example.com", "#W5272531",
         '/inform{"exchange_item_ids": ["8098621301"]}', '/inform{"new_item_ids": ["6164262152"]}')
    t = conv.send('/inform{"payment_method_id": "credit_card_6824399"}')
    assert t.expecting.slot == "confirmation", t.text
    t = conv.send("hmm, not that one, I meant the other white toothbrush")
    assert t.slots["new_item_ids"] == ["2645006275"] and t.slots["exchange_item_ids"] == ["8098621301"], t.text


# omar_johnson_2562, #W2809253 delivered: Grill, Jigsaw Puzzle, Cycling Helmet, Vacuum Cleaner
OMAR, GRILL, PUZZLE, HELMET_OMAR, VACUUM = ("omar.johnson6791@example.com", "5946177616", "4068787148",
                                            "1596993217", "7958300294")


def _returning_all_of_omars_order(conv):
    t = talk(conv, "/return_items", "email", OMAR, "#W2809253", "all of them", "original payment method")[-1]
    assert t.expecting.slot == "confirmation" and "Vacuum Cleaner" in t.text, t.text


def test_a_negation_said_after_the_item_at_the_summary_takes_it_out(engine):
    conv = engine().new_conversation()
    _returning_all_of_omars_order(conv)
    t = conv.send("the vacuum shouldn't be in it")
    assert t.slots["return_item_ids"] == [GRILL, PUZZLE, HELMET_OMAR], t.text
    assert t.expecting.slot == "confirmation" and "Vacuum" not in t.text.split("To confirm")[-1], t.text
    t = conv.send("the helmet and the grill shouldn't be in there either")
    assert t.slots["return_item_ids"] == [PUZZLE], t.text
    t = conv.send("the puzzle should be removed too, only the vacuum then")
    assert t.slots["return_item_ids"] == [VACUUM], t.text


# harper_brown_7363, #W1840144 delivered: Desk Lamp, Laptop, two identical Fleece Jackets, Wall Clock
HARPER_B, JACKET = "harper.brown3965@example.com", "8590708195"


def test_an_item_the_order_holds_twice_named_in_the_opening_asks_one_or_both(engine):
    conv = engine().new_conversation()
    t = talk(conv, "I want to return the fleece jacket from order #W1840144", HARPER_B)[-1]
    assert "two of Fleece Jacket" in t.text and "One or both?" in t.text, t.text
    assert [b.title for m in t.messages for b in m.buttons] == ["One Fleece Jacket (XL, navy, half)", "Both"]
    assert t.slots.get("return_item_ids") is None
    t = conv.send("just one please")
    assert t.slots["return_item_ids"] == [JACKET] and t.expecting.slot == "refund_method", t.text


def test_one_or_both_answered_in_words_during_an_exchange(engine):
    for reply, want in (("only one of them", [JACKET]), ("both of them", [JACKET, JACKET])):
        conv = engine().new_conversation()
        talk(conv, "/exchange_items", "email", HARPER_B, "#W1840144")
        t = conv.send("the fleece jacket")
        assert "One or both?" in t.text and t.slots.get("exchange_item_ids") is None, t.text
        t = conv.send(reply)
        assert t.slots["exchange_item_ids"] == want and t.expecting.slot == "new_item_ids", (reply, t.text)
