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


def test_the_same_one_again_in_words_is_the_current_variant(engine):
    """language-model shoppers (train 130, 136, 144, 145): "the same one again, <its options>" was told
    "There is no other ... option that is ..." and then given a different variant."""
    t = _at_new_item(engine).send("I'd just like the same one again please, black, high, AA batteries")
    assert t.slots.get("new_item_ids") == ["8798690242"], (t.slots, t.text)   # black, high, AA batteries


EVELYN, MAKEUP = "evelyn.ahmed2006@example.com", "#W3746173"      # one Makeup Kit (medium, professional, Brand A)


def test_the_same_address_is_not_the_same_options(engine):
    """"... to the same address as my other order": "same" is about the address, so the makeup kit's
    new options are asked, not kept as they are (train 130)."""
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", EVELYN, f"The makeup kit one, {MAKEUP}. First I'd like to change "
             "the shipping address to the same address as my other order #W1416704.")[-1]
    assert "new_item_ids" not in t.slots and t.expecting.slot == "new_item_ids", (t.slots, t.text)


def test_first_closing_a_clause_before_a_dash_picks_no_payment_method(engine):
    """"I want to change the shipping address first - to the one on order ..." at the payment question
    took the first payment method, the gift card (train 130)."""
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", EVELYN, MAKEUP, "the makeup kit", "the light one")[-1]
    assert t.expecting.slot == "payment_method_id", t.text
    t = conv.send("Sorry, no, I didn't mean the items yet. I want to change the shipping address first - "
                  "to the one on order #W1416704.")
    assert "payment_method_id" not in t.slots, (t.slots, t.text)
