"""An item swap that costs the same moves no money: the order's own payment method is recorded without asking
"which method should pay the difference?" right after "nothing is charged" (the store still records one); the
confirmation names it, and the shopper can still change it there. A swap with a difference still asks."""
from __future__ import annotations

from conftest import talk

SOFIA = "sofia.li7352@example.com"  # delivered #W4689314: Digital Camera (24MP, 3x, SD card), paid with the
# Mastercard ending 8484; she also has PayPal and a Visa


def test_a_same_price_exchange_asks_no_payment_method(engine):
    t = talk(engine().new_conversation(), "the digital camera in #W4689314 stopped working, I'd like the same one "
             "again as a replacement", SOFIA)[-1]
    assert "Which payment method" not in t.text, t.text
    assert "To confirm" in t.text and "nothing is charged to or refunded to your Mastercard ending 8484" in t.text, t.text


def test_the_recorded_method_can_still_be_changed_at_the_confirmation(engine):
    conv = engine().new_conversation()
    talk(conv, "the digital camera in #W4689314 stopped working, I'd like the same one again as a replacement", SOFIA)
    t = talk(conv, "use my paypal for it instead", "yes")
    assert "nothing is charged to or refunded to PayPal" in t[0].text, t[0].text
    assert "difference goes through" not in t[0].text, t[0].text  # no difference to go anywhere
    assert "exchange for order #W4689314 is requested" in t[1].text, t[1].text


def test_a_swap_with_a_price_difference_still_asks_how_to_pay(engine):
    t = talk(engine().new_conversation(), "I'd like to exchange the digital camera in #W4689314 for the 30MP one",
             SOFIA, "30MP, 3x, SD card ($2875.61)")[-1]
    assert "back." in t.text and "Which payment method" in t.text, t.text  # $19.94 back: where to is asked
