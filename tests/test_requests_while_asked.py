"""Answers and requests made while the assistant waits for one (shopper rounds 19 and 20): a question about one of
the shopper's own orders is looked up by the order status task, never answered "I can't see order details"; a "no"
to "Shall we get back to ...?" with a new request starts that request instead of answering it as a rule question;
"non-polarized with a metal frame" wants metal."""
from __future__ import annotations

from conftest import started_tasks, talk

SOFIA = "sofia.li7352@example.com"  # delivered #W4689314 (Digital Camera); pending #W8855135


def _mid_purchase(engine):
    conv = engine().new_conversation()
    talk(conv, "I want to buy a bicycle", SOFIA)
    return conv


def test_a_status_question_mid_task_is_looked_up(engine):
    t = talk(_mid_purchase(engine), "actually, what's the status of #W4689314?")[-1]
    assert "#W4689314 is delivered" in t.text and "can't see order" not in t.text, t.text
    assert 'Shall we get back to "Buy something"?' in t.text, t.text


def test_no_and_a_new_request_at_shall_we_get_back_starts_it(engine):
    conv = _mid_purchase(engine)
    talk(conv, "actually, what's the status of #W4689314?")
    t = talk(conv, "no. can you cancel my pending order #W8855135?")[-1]
    assert started_tasks(t) == ["cancel_order"], (t.route, t.text)
    assert "Why would you like to cancel" in t.text, t.text


def test_a_non_compound_option_denies_only_its_own_word(engine):
    """Round 20: "non-polarized with a metal frame" was read as "not metal" and nothing matched."""
    t = talk(engine().new_conversation(), "I want to exchange the sunglasses from order #W6289770",
             "lei.li8350@example.com", "non-polarized with a metal frame, keep the black frame and green lenses")[-1]
    assert "becomes black, green, non-polarized, metal" in t.text, t.text
