"""What language-model shoppers found on tau-bench train tasks 430-449 (round 18), and what the failing tests of the
same-price change showed: "just leave the payment as it is then" after a gift card could not pay repeated the
question; "the grey medium polyester laptop one. I'd like it in small and nylon instead" kept the backpack as it
was (the sentence saying which item was read as the wish). Through `Conversation.send` with the trained router,
on the seed store (messages written for these tests)."""
from __future__ import annotations

from conftest import talk

YUSUF = "yusuf.garcia2909@example.com"  # pending #W6885344 ($212.79); gift card with $15, a Mastercard


def test_leaving_the_payment_as_it_is_after_the_gift_card_is_refused_stops_the_task(engine):
    t = talk(engine().new_conversation(), "please switch the payment on order #W6885344 to my gift card", YUSUF,
             "hm no, not the mastercard either. just leave the payment method as it is")[-1]
    assert t.active_flow is None and "Nothing was changed" in t.text, t.text


def test_the_sentence_saying_which_item_is_not_read_as_the_wish(engine):
    conv = engine().new_conversation()
    talk(conv, "I want to pay for order #W7941031 with paypal instead", "Olivia Ito 80218", "yes")
    t = conv.send("The backpack in that order next: the grey medium polyester laptop one. I'd like it in small and "
                  "nylon instead.")
    assert "becomes grey, small, nylon, laptop" in t.text, t.text


def test_trying_a_change_again_names_the_item_and_its_wish(engine):
    """"I want to try changing the action camera ... again, to the 5K ..." read "to try changing ..." as the wish
    and asked which items."""
    t = talk(engine().new_conversation(), "hi", "ethan.kim3231@example.com",
             "I want to try changing the action camera on #W8296441 again, to the 5K black non-waterproof one")[-1]
    assert "becomes 5K, not waterproof, black" in t.text, t.text
