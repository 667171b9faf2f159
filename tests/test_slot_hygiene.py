"""Slot hygiene across tasks in one conversation (issue #14, section 5), through `Conversation.send`
with the trained router: what a shopper says in an opening is read against this task's order, and
the options wished for do not pick other items of that order."""
from __future__ import annotations

from conftest import talk

LOPEZ = ("I'm Ethan Lopez, zip code 43275")   # ethan_lopez_6291
BOOTS_BEFORE = "2185126308"                   # Hiking Boots in #W8632528 (the first task's order)
BOOTS_NOW = "8277474082"                      # Hiking Boots in #W8073920 (the second task's order)


def test_items_named_in_a_new_opening_come_from_the_order_it_names(engine):
    conv = engine().new_conversation()
    talk(conv, "I want to exchange the hiking boots from order #W8632528 for ones with size 9, waterproof",
         LOPEZ, "my Mastercard ending in 1020")
    assert conv.send("yes").slots.get("exchange_item_ids") == [BOOTS_BEFORE]
    t = conv.send("Please change the hiking boots and the smartphone in my order #W8073920 to size 11; black, 8GB")
    assert t.slots.get("order_id") == "#W8073920", t.slots
    assert BOOTS_BEFORE not in (t.slots.get("modify_item_ids") or []), t.slots
    assert BOOTS_NOW in t.slots.get("modify_item_ids", []), t.slots
    assert "the ?" not in t.text and t.expecting.slot == "new_item_ids", t.text


def test_options_wished_for_do_not_pick_other_items(engine):
    """"to leather, black": black describes the new watch, not the black phone in the same order."""
    conv = engine().new_conversation()
    t = talk(conv, "Please change the wristwatch in my order #W6426438 to leather, black", "name and zip", LOPEZ)[-1]
    assert t.slots.get("modify_item_ids") == ["8886009523"], (t.slots, t.text)
    assert "Smartphone" not in t.text, t.text


def test_exchange_for_ones_with_options_names_only_the_item(engine):
    conv = engine().new_conversation()
    t = talk(conv, "I want to exchange the smartphone from order #W3155037 for ones with black, 128GB, 5.8-inch",
             "name and zip", "I'm Ethan Muller, zip code 98128")[-1]
    assert t.slots.get("exchange_item_ids") == ["3952176596"], (t.slots, t.text)
    assert "Laptop" not in t.text, t.text
