"""What language-model shoppers found on tau-bench train tasks 390-409 (round 16): "my pending order, the one
with the kettle" asked which pending order (the second description added up instead of narrowing), and
options said by one word of their value. Through `Conversation.send` with the trained router, on the seed
store (messages written for these tests)."""
from __future__ import annotations

import pytest

from conftest import talk

YUSUF = "yusuf.khan7390@example.com"  # pending #W1787190 (water bottle, perfume, laptop, headphones), #W3579467 (kettle)


@pytest.mark.parametrize("said", ["I need to change an item on my pending order, the one with the kettle",
                                  "change something in my pending order - the perfume and laptop one"])
def test_an_order_described_twice_is_the_one_both_fit(engine, said):
    t = talk(engine().new_conversation(), "hello", YUSUF, said)[-1]
    assert "I found it" in t.text and "Which one do you mean" not in t.text, t.text


def test_two_orders_named_apart_are_still_asked(engine):
    t = talk(engine().new_conversation(), "hello", YUSUF,
             "I want to change an item on the kettle order or the laptop order, not sure which")[-1]
    assert "I found it" not in t.text, t.text


@pytest.mark.parametrize("said", ["i want to return a camera", "return the camera please"])
def test_a_product_word_two_catalogue_products_share_finds_the_order_holding_one(engine, said):
    """Omar Moore has one camera (a Digital Camera, delivered #W1874267); the catalogue also sells an Action
    Camera: his orders tell which is meant, as with a full name."""
    t = talk(engine().new_conversation(), f"{said}. Omar Moore, zip 10096")[-1]
    assert "Digital Camera" in t.text and "Which order" not in t.text, t.text


def test_the_same_item_again_in_an_exchange_is_said_as_a_new_identical_one(engine):
    """Yara Ito's hiking boots (#W1304208, delivered, still sold): "stays as it is" read as if the boots were
    dropped from the exchange, and each option was said as "kept" though the shopper asked for the same ones."""
    t = talk(engine().new_conversation(), "my hiking boots are faulty, I'd like to exchange them for the exact same "
             "ones", "Yara Ito, zip 75284")[-1]
    assert "exchanged for an identical new one" in t.text and "I kept" not in t.text, t.text


def test_the_same_item_sold_out_is_said_to_be_out_of_stock(engine):
    """Omar Moore's camera variant is no longer sold: "the exact same one" got "That's the option you have now;
    please pick a different one", as if the shopper had not asked for it on purpose."""
    t = talk(engine().new_conversation(), "my camera is faulty, I want to swap it for the exact same one",
             "Omar Moore, zip 10096")[-1]
    assert "out of stock" in t.text and "option you have now" not in t.text, t.text


def test_an_item_added_after_a_pick_keeps_the_pick(engine):
    """Train 393: with the e-reader's new option picked, "the air purifier too" added the item and asked for the
    e-reader's option again ("ugh, same as before"). The pick stays; only the new item is asked."""
    conv = engine().new_conversation()
    talk(conv, "hi", "liam.thomas9081@example.com", "I'd like to change the e-reader in my pending order #W1654931",
         "7-inch, Wi-Fi + Cellular, 8GB")
    t = conv.send("oh and the air purifier as well, I want to change it too")
    assert "instead of the Air Purifier" in t.text and "instead of the E-Reader" not in t.text, t.text
    t = conv.send("medium, carbon, quiet operation")
    assert "E-Reader (7-inch, Wi-Fi, 8GB) becomes 7-inch, Wi-Fi + Cellular, 8GB" in t.text, t.text
