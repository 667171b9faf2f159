"""Issue #14: what a shopper says picks from what the shop knows, or the engine asks which one.

Every test goes through `parse_answer` (or `choices_for`) of a real flow's slot on a copy of the
seeded store, with the rule extractor's entities as the engine passes them. Phrasings are written
from the catalogue and the seed's customers:

* harper_brown_7363, order #W1840144 (delivered): Desk Lamp (white, medium, USB), Laptop, two identical
  Fleece Jackets, Wall Clock;
* sofia_li_9219: #W4689314 delivered Digital Camera (paid Mastercard 8484), #W8855135 pending (paid
  Visa 6791), #W3916020 delivered Jigsaw Puzzle + Bicycle, #W5416052 delivered (Cycling Helmet, ...);
* yusuf_ahmed_6232: default address in Los Angeles, order #W1302858 ships to Chicago;
* ava_moore_2033, #W4817420: Action Camera (4K, waterproof, black, $466.75), Hiking Boots (size 7,
  leather, waterproof), Electric Kettle (1.5L, plastic, silver).
"""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.flows.loader import load_flows
from engine.flows.model import Scales
from engine.slots.entities import ExtractContext
from engine.slots.extract import RuleExtractor
from engine.slots.resolve import Ambiguous
from engine.slots.types import SlotEnv, choices_for, parse_answer

ROOT = Path(__file__).resolve().parents[1]
FLOWS = load_flows(ROOT / "flows", root=ROOT)
RULES = RuleExtractor.from_seed()
PRODUCTS = json.loads((ROOT / "engine/store/seed/products.json").read_text())
PRODUCT_ID = {p["name"]: pid for pid, p in PRODUCTS.items()}

HARPER, SOFIA, YUSUF, AVA = "harper_brown_7363", "sofia_li_9219", "yusuf_ahmed_6232", "ava_moore_2033"
LAMP, LAPTOP, JACKET, CLOCK = "8384507844", "6017636844", "8590708195", "6534134392"
VISA, MASTERCARD, PAYPAL = "credit_card_3951670", "credit_card_8105988", "paypal_8194385"
CAMERA, BOOTS, KETTLE = "6700049080", "3812493782", "9624127908"


def env_for(store, flow: str, user: str, **values) -> SlotEnv:
    env = SlotEnv(store, user, dict(values), dict(FLOWS.flows[flow].slots))
    env.scope = lambda: {"order": env.order(values.get("order_id")), "user": env.user(), **values}
    return env


def answer(store, flow: str, slot: str, user: str, text: str, *, slot_def=None, partial=None, **values):
    """(found, value) as the engine gets it when `slot` of `flow` is asked and the shopper says `text`."""
    env = env_for(store, flow, user, **values)
    sd = slot_def or FLOWS.flows[flow].slots[slot]
    offered = choices_for(sd, env, partial) or []
    ctx = ExtractContext(expecting_slot=slot, expecting_type=sd.type, choices=[c.model_dump() for c in offered],
                         order=env.order(values.get("order_id")), user=env.user())
    return parse_answer(sd, text, RULES.extract(text, ctx), env, partial or [])


def clarified(result) -> Ambiguous:
    found, value = result
    assert not found and isinstance(value, Ambiguous), result
    assert value.reason and value.candidates
    return value


# ---------------------------------------------------------------- items of an order

def items(store, text, flow="return_items", slot="return_item_ids"):
    return answer(store, flow, slot, HARPER, text, order_id="#W1840144")


@pytest.mark.parametrize("text, expected", [
    ("the wall clock", [CLOCK]),
    ("the lamp and the clock", [LAMP, CLOCK]),
    ("everything", [LAMP, LAPTOP, JACKET, JACKET, CLOCK]),
    ("everything except the laptop", [LAMP, JACKET, JACKET, CLOCK]),
    ("not the laptop though", [LAMP, JACKET, JACKET, CLOCK]),
    ("I'm keeping the lamp and the clock", [LAPTOP, JACKET, JACKET]),
    ("all of them but not the jackets", [LAMP, LAPTOP, CLOCK]),
    ("both jackets", [JACKET, JACKET]),
    ("the first one", [LAMP]),
    ("I don't need the desk lamp anymore", [LAMP]),
])
def test_items_by_name_set_negation_and_ordinal(store, text, expected):
    assert items(store, text) == (True, expected)


def test_the_order_with_an_item_picks_no_item(store):
    assert items(store, "the order with the desk lamp") == (False, None)
    assert items(store, "the one with the desk lamp") == (False, None)
    assert items(store, "the clock from the order with the lamp") == (True, [CLOCK])


def test_one_of_two_identical_items_asks_one_or_both(store):
    amb = clarified(items(store, "the jacket"))
    assert "two" in amb.reason and "One or both" in amb.reason
    assert [c.value for c in amb.candidates] == [[JACKET], [JACKET, JACKET]]


def test_a_reply_to_one_or_both_takes_the_button_it_means(store):
    offer = clarified(items(store, "the desk lamp and the jacket")).candidates
    env = env_for(store, "return_items", HARPER, order_id="#W1840144")
    slot = FLOWS.flows["return_items"].slots["return_item_ids"]
    assert parse_answer(slot, "both", [], env, among=offer) == (True, [LAMP, JACKET, JACKET])
    assert parse_answer(slot, "just one", [], env, among=offer) == (True, [LAMP, JACKET])
    assert parse_answer(slot, "the wall clock", [], env, among=offer) == (True, [CLOCK])  # read anew


def test_a_clarification_keeps_what_was_already_clear(store):
    amb = clarified(items(store, "the desk lamp and the jacket"))
    assert all(c.value[0] == LAMP for c in amb.candidates)   # each button carries the lamp as well
    assert [c.value for c in amb.candidates][-1] == [LAMP, JACKET, JACKET]


def test_both_of_five_items_asks_which_two(store):
    assert "Which two" in clarified(items(store, "both")).reason


def test_both_of_two_items(store):
    found = answer(store, "return_items", "return_item_ids", "amelia_wilson_4614", "both please",
                   order_id="#W9077205")
    assert found == (True, ["9370300555", "3877338112"])


def test_a_single_item_slot_never_takes_several(store):
    slot = dataclasses.replace(FLOWS.flows["return_items"].slots["return_item_ids"], multiple=False)
    amb = clarified(answer(store, "return_items", "return_item_ids", HARPER, "the lamp and the clock",
                           slot_def=slot, order_id="#W1840144"))
    assert {c.value for c in amb.candidates} == {LAMP, CLOCK}


def test_something_the_order_does_not_have_is_said_not_swapped(store):
    amb = clarified(items(store, "the navy lamp"))      # the jackets are navy, the lamp is white
    assert "navy lamp" in amb.reason


# ---------------------------------------------------------------- orders

@pytest.mark.parametrize("text, expected", [
    ("the first one", "#W4689314"),
    ("the one with the bicycle", "#W3916020"),
    ("the helmet one", "#W5416052"),
    ("the pending one", "#W8855135"),
])
def test_orders_by_recency_ordinal_contents_and_status(store, text, expected):
    assert answer(store, "order_status", "order_id", SOFIA, text) == (True, expected)


def test_a_question_about_an_order_picks_none(store):
    assert answer(store, "order_status", "order_id", SOFIA, "has it shipped yet?") == (False, None)
    assert answer(store, "order_status", "order_id", SOFIA, "pending") == (True, "#W8855135")


@pytest.mark.parametrize("text, proposed", [("the latest one", "#W5416052"), ("my most recent order", "#W5416052"),
                                            ("the oldest one", "#W4689314")])
def test_recency_is_proposed_with_its_reason_never_taken(store, text, proposed):
    """The store keeps no order dates: the account list's end is proposed first, the reason said."""
    amb = clarified(answer(store, "order_status", "order_id", SOFIA, text))
    assert amb.proposed and amb.candidates[0].value == proposed
    assert "doesn't keep order dates" in amb.reason and proposed in amb.reason


def test_recency_is_the_profile_order_list_which_new_orders_join(store):
    placed = store.place_order(SOFIA, ["9083642334"], None, VISA, as_user=SOFIA)  # a Desk Lamp
    amb = clarified(answer(store, "order_status", "order_id", SOFIA, "my latest order"))
    assert amb.candidates[0].value == placed["order_id"]


def test_recency_among_what_else_was_said_takes_the_only_one(store):
    assert answer(store, "order_status", "order_id", SOFIA, "my latest pending order") == (True, "#W8855135")


def test_a_description_that_fits_several_orders_asks(store):
    amb = clarified(answer(store, "order_status", "order_id", SOFIA, "the delivered one"))
    assert {c.value for c in amb.candidates} == {"#W4689314", "#W3916020", "#W5416052"}


def test_an_order_the_flow_cannot_take_is_explained(store):
    amb = clarified(answer(store, "return_items", "order_id", SOFIA, "the one with the skateboard"))
    assert "#W8855135" in amb.reason and "#W8855135" not in [c.value for c in amb.candidates]


def test_the_other_order(store):
    # two orders have a jigsaw puzzle; the shopper was talking about #W3916020
    assert clarified(answer(store, "return_items", "order_id", SOFIA, "the one with the jigsaw puzzle"))
    assert answer(store, "return_items", "order_id", SOFIA, "no, the other one with the jigsaw puzzle",
                  order_id="#W3916020") == (True, "#W5416052")


# ---------------------------------------------------------------- payment methods

def new_method(store, text):  # order #W8855135 is paid with the Visa, which the flow's filter leaves out
    return answer(store, "change_order_payment", "new_payment_method_id", SOFIA, text, order_id="#W8855135")


def refund(store, text, user=SOFIA, order="#W4689314"):  # refunds: the original method or a gift card
    return answer(store, "return_items", "refund_method", user, text, order_id=order)


def test_payment_by_brand_source_and_last_four(store):
    assert new_method(store, "the mastercard") == (True, MASTERCARD)
    assert new_method(store, "paypal") == (True, PAYPAL)
    assert new_method(store, "the card ending 8484") == (True, MASTERCARD)
    assert new_method(store, "back to my card") == (True, MASTERCARD)   # the one card left


def test_not_the_visa_leaves_two_and_asks(store):
    amb = clarified(new_method(store, "not the visa"))
    assert {c.value for c in amb.candidates} == {PAYPAL, MASTERCARD}


def test_my_other_payment_method_asks_between_the_others(store):
    amb = clarified(new_method(store, "my other payment method"))
    assert {c.value for c in amb.candidates} == {PAYPAL, MASTERCARD}


def test_how_i_paid_is_the_original_method(store):
    assert refund(store, "that's how I paid") == (True, MASTERCARD)
    assert refund(store, "put it back on the original card") == (True, MASTERCARD)
    assert refund(store, "not the visa") == (True, MASTERCARD)          # the only refund method left
    amb = clarified(new_method(store, "that's how I paid"))             # paying anew with the same: no
    assert "Visa card ending 6791" in amb.reason


def test_naming_a_method_the_flow_leaves_out_is_explained(store):
    amb = clarified(new_method(store, "the visa"))
    assert "Visa" in amb.reason and VISA not in [c.value for c in amb.candidates]


def test_a_bare_yes_is_not_a_payment_method(store):
    offered = choices_for(FLOWS.flows["return_items"].slots["refund_method"],
                          env_for(store, "return_items", "noah_brown_6181", order_id="#W7678072"))
    assert [c.value for c in offered] == ["paypal_5727330"]               # one choice only...
    assert refund(store, "yes", user="noah_brown_6181", order="#W7678072") == (False, None)  # ...still asked


# ---------------------------------------------------------------- addresses

def address(store, text, **values):
    return answer(store, "change_order_address", "new_address", YUSUF, text, order_id="#W7007896", **values)


def test_addresses_the_shop_knows_are_offered(store):
    offered = choices_for(FLOWS.flows["change_order_address"].slots["new_address"],
                          env_for(store, "change_order_address", YUSUF, order_id="#W7007896"))
    assert [c.value["city"] for c in offered] == ["Los Angeles", "Chicago"]
    assert "default" in offered[0].title and "#W1302858" in offered[1].title


@pytest.mark.parametrize("text, city", [
    ("use the default address on my account", "Los Angeles"),
    ("my home address", "Los Angeles"),
    ("my Chicago home", "Chicago"),
    ("send it to my place in chicago", "Chicago"),
    ("where order #W1302858 goes", "Chicago"),
    ("the same address as my last order", "Los Angeles"),   # #W7756209, the newest, ships to LA
])
def test_addresses_by_reference(store, text, city):
    found, value = address(store, text)
    assert found and value["city"] == city and value["address1"] and value["zip"]


def test_an_order_id_alone_is_no_address(store):
    assert address(store, "actually it's order #W1302858") == (False, None)   # a correction of the order


def test_where_my_other_order_goes_asks_when_they_ship_to_two_places(store):
    amb = clarified(address(store, "ship it where my other order goes"))
    assert {c.value["city"] for c in amb.candidates} == {"Los Angeles", "Chicago"}


def test_a_typed_address_still_wins(store):
    found, value = address(store, "1200 Lake Shore Drive, Apt 5, Chicago, IL 60610")
    assert found and value["address1"] == "1200 Lake Shore Drive" and value["zip"] == "60610"


# ---------------------------------------------------------------- options of a product

def exchange(store, item, text, user=AVA, order="#W4817420", slot_def=None):
    return answer(store, "exchange_items", "new_item_ids", user, text, slot_def=slot_def, order_id=order,
                  exchange_item_ids=[item])


def options_of(item_id):
    return next(v["options"] for p in PRODUCTS.values() for k, v in p["variants"].items() if k == item_id)


def test_comparatives_move_from_the_current_option(store):
    lamp = lambda t: exchange(store, LAMP, t, user=HARPER, order="#W1840144")  # noqa: E731 - white, medium, USB
    amb = clarified(lamp("brighter"))                    # white high USB and black high AC: asked, not guessed
    assert {c.value for c in amb.candidates} == {"9083642334", "7624783998"}
    assert lamp("brighter, but keep it white and usb") == (True, "9083642334")  # "keep" wants, never excludes
    assert lamp("brighter, same colour and power source") == (True, "9083642334")
    amb = clarified(lamp("less bright"))
    assert {options_of(c.value)["brightness"] for c in amb.candidates} == {"low"}
    assert lamp("less bright, still usb") == (True, "9190635437")            # the only one: taken (black)
    assert len(clarified(lamp("a black one")).candidates) > 1                # four black lamps
    assert lamp("the same but black") == (True, "6805564527")                # black, medium, USB


def test_a_reply_to_a_clarification_is_read_among_what_it_offered(store):
    env = env_for(store, "exchange_items", HARPER, order_id="#W1840144", exchange_item_ids=[LAMP])
    slot = FLOWS.flows["exchange_items"].slots["new_item_ids"]
    offered = [c.value for c in clarified(exchange(store, LAMP, "less bright", user=HARPER,
                                                    order="#W1840144")).candidates]

    def reply(text):
        ctx = ExtractContext(expecting_slot=slot.name, expecting_type=slot.type, choices=[{}] * len(offered))
        return parse_answer(slot, text, RULES.extract(text, ctx), env, [], among=offered)

    assert {options_of(c.value)["color"] for c in clarified(reply("a silver one")).candidates} == {"silver"}
    assert reply("the battery one") == (True, "7453605304")      # offered, so its other changes were seen
    assert reply("the first one") == (True, offered[0])
    assert reply("white, high") == (True, "9083642334")          # none of them: read anew


def test_highest_resolution_waterproof_within_what_i_paid(store):
    amb = clarified(exchange(store, CAMERA, "the highest resolution that's waterproof but not more than I paid"))
    assert "waterproof" in amb.reason and "$466.75" in amb.reason             # nothing else fits: said, not swapped
    assert exchange(store, CAMERA, "a waterproof one, under $490") == (True, "6117189161")  # the only one
    assert exchange(store, CAMERA, "a silver waterproof one under $490") == (True, "6117189161")
    assert exchange(store, CAMERA, "the highest resolution") == (True, "7523669277")


def test_bigger_asks_when_the_next_size_changes_other_options(store):
    amb = clarified(exchange(store, BOOTS, "bigger"))                      # size 8 only synthetic, not waterproof
    assert all(int(options_of(c.value)["size"]) > 7 for c in amb.candidates)
    assert exchange(store, BOOTS, "size 9") == (True, "8106223139")          # leather, waterproof, like now
    assert "size 13" in clarified(exchange(store, BOOTS, "size 13")).reason
    assert exchange(store, BOOTS, "a size 8") == (True, "3613716226")         # the only size 8 (synthetic)
    assert exchange(store, BOOTS, "one size up") == (True, "3613716226")       # size 8, the next size only


def test_numbers_and_words_match_whole(store):
    puzzle = lambda t: exchange(store, "9370300555", t, user="amelia_wilson_4614", order="#W9077205")  # noqa: E731
    assert {options_of(c.value)["pieces"] for c in clarified(puzzle("1500 pieces")).candidates} == {"1500"}
    assert {options_of(c.value)["pieces"] for c in clarified(puzzle("500 pieces")).candidates} == {"500"}
    speaker = "5855700373"  # black, 10 hours, water resistant
    amb = clarified(exchange(store, speaker, "the blue one", user="evelyn_brown_7612", order="#W7647404"))
    assert {options_of(c.value)["color"] for c in amb.candidates} == {"blue"}
    speaker_said = lambda t: exchange(store, speaker, t, user="evelyn_brown_7612", order="#W7647404")  # noqa: E731
    found, value = speaker_said("same one in blue")
    assert found and options_of(value)["color"] == "blue" and options_of(value)["battery life"] == "10 hours"
    amb = clarified(speaker_said("a red bluetooth speaker"))                # "blue" is not in "bluetooth"
    assert {options_of(c.value)["color"] for c in amb.candidates} == {"red"}
    assert speaker_said("the 20 hour red one that isn't water resistant") == (True, "1052700637")


def test_word_scales_and_designer_scales(store):
    shirt = "9612497925"  # blue, M, cotton, crew neck
    amb = clarified(exchange(store, shirt, "bigger", user="evelyn_brown_7612", order="#W7647404"))
    assert {options_of(c.value)["size"] for c in amb.candidates} <= {"L", "XL", "XXL"}
    notebook = "7579176349"  # A4, soft cover: A5 is smaller by the built-in paper scale
    nb = lambda t, sd=None: exchange(store, notebook, t, user="evelyn_gonzalez_8876", order="#W8341134",  # noqa: E731
                                     slot_def=sd)
    assert nb("smaller") == (True, "9799386954")
    reversed_paper = dataclasses.replace(FLOWS.flows["exchange_items"].slots["new_item_ids"],
                                         scales=Scales(orders=(("A4", "A5", "A6"),)))
    assert nb("bigger", reversed_paper) == (True, "9799386954")              # the designer's order wins


def test_the_same_option_is_offered_only_where_the_flow_allows_it(store):
    # the exchange offers the same one again, but Harper's lamp is sold out: said so (round 16), not "pick another"
    amb = clarified(exchange(store, LAMP, "the same one", user=HARPER, order="#W1840144"))
    assert "out of stock" in amb.reason and LAMP not in [c.value for c in amb.candidates]
    no_same = dataclasses.replace(FLOWS.flows["exchange_items"].slots["new_item_ids"], offer_current=False)
    amb = clarified(exchange(store, LAMP, "the same one", user=HARPER, order="#W1840144", slot_def=no_same))
    assert "you have now" in amb.reason and LAMP not in [c.value for c in amb.candidates]
    kettle_slot = dataclasses.replace(FLOWS.flows["exchange_items"].slots["new_item_ids"], offer_current=True)
    assert exchange(store, KETTLE, "keep it the same", slot_def=kettle_slot) == (True, KETTLE)
    env = env_for(store, "exchange_items", AVA, order_id="#W4817420", exchange_item_ids=[KETTLE])
    titles = {c.value: c.title for c in choices_for(kettle_slot, env)}
    assert "current" in titles[KETTLE]


def test_checkout_options_are_asked_when_the_words_fit_several(store):
    def buy(name, text):
        return answer(store, "checkout", "item_id", AVA, text, product_id=PRODUCT_ID[name])

    assert len(clarified(buy("Bicycle", "a medium one")).candidates) == 3
    assert len(clarified(buy("Vacuum Cleaner", "the canister one")).candidates) == 3
    assert buy("Vacuum Cleaner", "canister, bagless, pet hair removal") == (True, "7958300294")
    assert buy("Wristwatch", "a silicone strap with a white dial") == (True, "2226219750")
    assert clarified(buy("T-Shirt", "bigger")).reason.startswith("Compared with what")
    found, value = buy("Jigsaw Puzzle", "the cheapest 1500 piece one")
    assert found and options_of(value)["pieces"] == "1500"


def test_the_engine_resolves_without_spacy():
    code = ("import sys; sys.modules['spacy'] = None\n"
            "from engine.slots.scales import find_comparisons, defaults, _nlp\n"
            "assert _nlp() is None\n"
            "c = find_comparisons('a roomier and dimmer one', ['size', 'brightness'], defaults())\n"
            "print(sorted((x.dimension.name, x.direction) for x in c))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[('brightness', -1), ('size', 1)]"
