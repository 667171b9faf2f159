"""What language-model shoppers found on tau-bench train tasks 0-11 (round 22): "the bicycle and an air purifier",
then "The medium HEPA one." typed to "which air purifier?" lost the bicycle (each button carried it, the typed
reply did not); "black, optical, wired. Can I swap it for the same one?" in a change of a pending order's items
started an exchange of a delivered order; a Mastercard was shown as "Mastercard card ending ...". Through
`Conversation.send` with the trained router, on the seed store (messages written for these tests)."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import started_tasks, talk

ORDERS = Path(__file__).resolve().parents[1] / "engine" / "store" / "seed" / "orders.json"
OMAR = "omar.kim8981@example.com"   # pending #W8557584: Jigsaw Puzzle, Cycling Helmet, two Tea Kettles, Backpack
LEI = "lei.ahmed1696@example.com"   # pending #W9132840: Skateboard, Cycling Helmet (M, red), Cycling Helmet (L, black)


def test_a_typed_reply_to_which_one_keeps_the_items_already_clear(engine):
    conv = engine().new_conversation()
    t = talk(conv, "I need to change a few items in order #W8557584", OMAR, "the backpack and a tea kettle")[-1]
    assert "Which one do you mean" in t.text, t.text
    t = conv.send("the ceramic one")
    chosen = conv.state.slots["modify_item_ids"].value
    items = json.loads(ORDERS.read_text())["#W8557584"]["items"]
    names = sorted(i["name"] + str(i["options"].get("material", "")) for i in items if i["item_id"] in chosen)
    assert names == ["Backpacknylon", "Tea Kettleceramic"], (chosen, t.text)


def test_asking_to_swap_for_the_same_one_in_a_change_of_items_is_that_change(engine):
    conv = engine().new_conversation()
    t = talk(conv, "I'd like to change something in order #W9132840", LEI, "the red helmet")[-1]
    assert t.expecting.slot != "modify_item_ids", t.text
    t = conv.send("Actually I want it to stay M, red, high ventilation. Can I swap it for an identical one?")
    assert started_tasks(t) == [] and conv.state.top.flow_id == "change_order_items", (t.route, t.text)
    assert "stays as it is" in t.text, t.text


def test_keep_it_the_same_with_its_options_named_answers_which_variant(engine):
    conv = engine().new_conversation()
    talk(conv, "I'd like to change something in order #W9132840", LEI, "the red helmet")
    t = conv.send("keep it the same, M red high")
    assert conv.state.top is not None and conv.state.top.flow_id == "change_order_items", t.text
    assert "stays as it is" in t.text and "stopped" not in t.text, t.text


def test_a_mastercard_is_not_a_mastercard_card(engine):
    conv = engine().new_conversation()
    t = talk(conv, "I want to change the payment method of order #W9132840", LEI)[-1]
    shown = " ".join(b.title for m in t.messages for b in m.buttons) + t.text
    assert "Mastercard card" not in shown, shown
