"""What language-model shoppers found on tau-bench train tasks 290-309 (eighth set): products listed after
"I'd like to exchange two things:" read as a purchase, and a wish with "if that's ok" answered as a question.
Through `Conversation.send` with the trained router."""
from __future__ import annotations

from conftest import talk

YUSUF = "yusuf.jackson4654@example.com"    # delivered #W7128968: Bookshelf, Pet Bed, Vacuum Cleaner, Speaker


def test_products_listed_after_an_exchange_request_are_its_items(engine):
    """Train 307: "...exchange two things from an order I got: a pet bed and a vacuum cleaner" started a
    purchase ("What would you like to buy?") after the sign-in."""
    t = talk(engine().new_conversation(),
             "Hey there! I'd like to exchange two things from an order I got: a pet bed and a vacuum cleaner.",
             YUSUF)[-1]
    assert "buy" not in t.text.lower(), t.text
    assert "#W7128968" in t.text and "instead of the Pet Bed" in t.text, t.text


def test_a_wish_with_if_thats_ok_starts_the_task(engine):
    """Train 301: "I think I want to return a desk lamp I bought? if that's ok" got "I'm not sure I can answer
    that"; the tag asks leave, it sets no condition to answer first."""
    t = engine().new_conversation().send("hi, um, I think I want to return a desk lamp I bought? if that's ok")
    assert "confirm who you are" in t.text, t.text
