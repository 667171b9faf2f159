"""What language-model shoppers found on tau-bench train tasks 290-305 (tenth set): two items of one product
named by their options in parentheses, an order named with its items' wishes read as a purchase, a value
said as what the item is now ("smaller than full size", "blue, not red") read as wished. Through
`Conversation.send` with the trained router."""
from __future__ import annotations

import pytest

from conftest import talk

YARA = "Yara Silva, 77159"        # delivered #W3964602: helmets (L, blue, low) and (S, black, medium), dumbbells...
AVA = "Ava Nguyen, 94128"         # delivered #W8668939: two grills, water bottle; pending #W8367380 (three items)
SOFIA = "Sofia Li, 75390"         # pending #W6599568: Bluetooth Speaker (red, 20 hours, no)
SOPHIA = "sophia.jackson1954@example.com"  # delivered #W6977171: Mechanical Keyboard (linear, RGB, full size)
KEYBOARD = "I want to exchange the mechanical keyboard from order #W6977171"


@pytest.mark.parametrize("said,who,items", [
    ("hi, I'd like to return both cycling helmets (the large blue one and the small black one) and the dumbbell "
     "set from order #W3964602", YARA, ["7907773809", "4422467033", "5537798301"]),
    ("I want to return both grills (the electric medium rotisserie one and the portable one) and the water bottle "
     "from #W8668939", AVA, ["7717598293", "7199146548", "1120917161"])])
def test_two_items_of_one_product_told_apart_in_parentheses_are_both_taken(engine, said, who, items):
    """Train 290 and 305: "That order has nothing that matches “cycling helmets (the large blue one and the
    small black”": the options of two items were read as one item's."""
    t = talk(engine().new_conversation(), said, who)[-1]
    assert "nothing that matches" not in t.text and "Which two" not in t.text, t.text
    assert t.slots["return_item_ids"] == items, t.text


def test_options_in_parentheses_narrow_the_product_named_before_them(engine):
    """Each part inside the parentheses is one of the grills, never the black water bottle."""
    from engine.slots.candidates import item_candidates
    from engine.slots.resolve import resolve

    e = engine()
    order = e.store.get_order_details("#W8668939", as_user="ava_nguyen_6646")
    cands = item_candidates(order)
    got = resolve("both grills (the medium one and the portable one)", cands, multiple=True)
    assert [cands[i].value for i in got.picked] == ["7717598293", "1120917161"], got


@pytest.mark.parametrize("said", [
    "now order W8367380, three changes please. the dumbbell set should be the 5-25 lbs rubber adjustable set, "
    "the speaker in blue with water resistance, the fleece jacket in XL navy full zip",
    "ok now order W8367380. three changes. the dumbbell set should be 5-25 lbs rubber adjustable. the speaker in "
    "blue with water resistance. the fleece jacket in XL navy full zip",
    "order W8367380: the dumbbell set should be the 5-25 lbs rubber adjustable one, the speaker in blue with water "
    "resistance, the fleece jacket in XL navy full zip"])
def test_an_order_named_with_its_items_wishes_changes_those_items(engine, said):
    """Train 305: "order W8367380, three changes: the dumbbell set should be ..., the speaker in blue ..., the
    fleece jacket in XL ..." started a purchase (or a cancellation); the items and their wishes were asked again."""
    conv = engine().new_conversation()
    t = talk(conv, AVA, said)[-1]
    assert t.active_flow == "change_order_items" and "buy" not in t.text.lower(), t.text
    assert t.slots["modify_item_ids"] == ["2444431651", "1689914594", "8733974883"], t.text
    assert "Two Bluetooth Speaker options are blue and water resistance" in t.text, t.text
    t = conv.send("the 10 hours one")
    assert t.slots["new_item_ids"] == ["7896397433", "4716977452", "7528037711"], t.text
    assert t.expecting.slot == "payment_method_id", t.text


def test_items_listed_with_options_after_an_order_number_are_no_purchase(engine):
    t = talk(engine().new_conversation(), AVA, "W8367380 - dumbbell set 5-25 lbs rubber adjustable, speaker blue "
             "with water resistance, fleece jacket XL navy full zip")[-1]
    assert t.active_flow == "change_order_items" and "buy" not in t.text.lower(), t.text
    assert t.slots["modify_item_ids"] == ["2444431651", "1689914594", "8733974883"], t.text


def test_a_delivered_order_named_with_an_items_wish_exchanges_it(engine):
    t = talk(engine().new_conversation(), YARA, "W3964602 - dumbbell set 5-25 lbs rubber adjustable")[-1]
    assert t.active_flow == "exchange_items" and t.slots["exchange_item_ids"] == ["4422467033"], t.text


def test_what_an_item_is_and_should_be_after_the_request_is_no_purchase(engine):
    """Train 296: "It's full size, I'd like it smaller" after the exchange was queued as "Buy something"."""
    conv = engine().new_conversation()
    turns = talk(conv, "Hi, I want to exchange the mechanical keyboard from order #W6977171. It's full size, "
                 "I'd like it smaller, 80% maybe", SOPHIA)
    t = turns[-1]
    assert all("Buy something" not in x.text for x in turns) and t.active_flow == "exchange_items", t.text
    assert t.flow_stack == ["exchange_items"], t.flow_stack
    assert t.slots["new_item_ids"] == ["8484921793"], t.text   # linear, RGB, 80%: only the size changes


@pytest.mark.parametrize("said", ["smaller than full size", "it's full size, I want something smaller"])
def test_the_size_compared_with_is_not_wished(engine, said):
    """Train 296: "full size ... smaller" was read as one option ("no other option that is smaller and full
    size"): the full size is the keyboard they have, the smaller one is wished, the rest as it is."""
    t = talk(engine().new_conversation(), KEYBOARD, SOPHIA, said)[-1]
    assert "Two Mechanical Keyboard options are smaller: linear, RGB, 80% ($230.15); linear, RGB, 60%" in t.text, t.text
    t = talk(engine().new_conversation(), KEYBOARD, SOPHIA,
             "a smaller one than full size, same linear switch and RGB")[-1]
    assert "Two Mechanical Keyboard options are smaller and linear and RGB" in t.text, t.text
    t = talk(engine().new_conversation(), KEYBOARD, SOPHIA, "smaller than 80%")[-1]
    assert "60%" in t.text and ", 80%" not in t.text, t.text   # a size other than the one they have: excluded


@pytest.mark.parametrize("said", ["order #W6599568: the speaker should be blue, not red",
                                  "the speaker in #W6599568 should be blue, not red please"])
def test_a_denied_option_names_the_one_they_have(engine, said):
    """"should be blue, not red": red is the speaker's colour now, as in "instead of red"; only the colour
    changes (the shopper was offered four blue speakers "blue and not red")."""
    t = talk(engine().new_conversation(), SOFIA, said)[-1]
    assert t.slots["new_item_ids"] == ["2635605237"], t.text     # blue, 20 hours, no
    assert "not red" not in t.text, t.text


def test_a_follow_up_wish_denying_the_current_option_changes_the_item(engine):
    """Train 297 as said with "not": "And the speaker? It should be blue, not red." after the payment change
    went to another (delivered) order."""
    conv = engine().new_conversation()
    t = talk(conv, "I want to change the payment on #W6599568 to my mastercard", SOFIA, "yes",
             "And the speaker? It should be blue, not red.")[-1]
    assert t.slots["order_id"] == "#W6599568" and t.slots["new_item_ids"] == ["2635605237"], t.text


def test_an_order_named_with_an_items_wish_after_a_task_is_no_repeat_of_that_task(engine):
    """Train 305: after the cancellation, another order named with its items' wishes changes those items."""
    conv = engine().new_conversation()
    t = talk(conv, "Hi, I want to cancel order #W6272294, I no longer need it", AVA, "yes",
             "W8367380 - the dumbbell set should be 5-25 lbs rubber adjustable")[-1]
    assert t.active_flow == "change_order_items" and t.slots["modify_item_ids"] == ["2444431651"], t.text
