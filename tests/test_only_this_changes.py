"""A wish that names what changes ("just in white", "gold instead") keeps the options it does not name,
where a variant does, and says so; a bare value that several variants share is still asked about."""
from __future__ import annotations

from conftest import talk

EMAIL = "sofia.thomas3069@example.com"   # #W7619352 holds an Electric Toothbrush (black, high, AA batteries)
ORDER = "#W7619352"
WHITE_HIGH_AA, WHITE_LOW_RECHARGEABLE = "2645006275", "6164262152"


def _at_new_item(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", EMAIL, ORDER, "the toothbrush")[-1]
    assert t.expecting.slot == "new_item_ids", t.text
    return conv


def test_just_a_colour_keeps_the_other_options_and_says_so(engine):
    t = _at_new_item(engine).send("just want it in white")
    assert t.slots.get("new_item_ids") == [WHITE_HIGH_AA], (t.slots, t.text)
    assert "as you have it now" in t.text, t.text


def test_instead_keeps_the_other_options(engine):
    t = _at_new_item(engine).send("I'd like white instead")
    assert t.slots.get("new_item_ids") == [WHITE_HIGH_AA], (t.slots, t.text)


def test_a_bare_colour_that_two_variants_have_is_asked(engine):
    t = _at_new_item(engine).send("white")
    assert "new_item_ids" not in t.slots and "Which one" in t.text, (t.slots, t.text)
