"""LM shoppers, rounds 40-43 (train 123-146): "No wait, I don't want to cancel #W1. I want to change its shipping
address." at the cancel reason filled the reason "no longer needed" from "don't want" and showed the cancellation's
summary; "Stop, change nothing. I want to update the address on #W1, not cancel it." at that summary was answered
"That's already what I have" (the order id restated); "it's way too easy" in an opening was read as the name "Way
Too", so the shopper's real name and zip found no account; "I was hoping to exchange an item I received?" got the
answer for an open question; "which card is that?" at a summary got "That's already what I have"; "yes, that's it. the
pet bed can stay as it is. go ahead" was asked to confirm again; a card's id ("credit_card_...") was said to a shopper
who never named one; "now the other order, W2 - i want to change how that one's paid too" at the queued item change's
"which order?" was taken as that order for the item change (and so was "can I switch how I'm paying for that same
order? I'd like to use my gift card."); "Yes, that's all. Do it." at a summary answered "Do it." as an open question;
"For that same order, can I also change the shipping address? ... the same address as my other order #W2." was about
to ship the other order (the one named only for its address), after a policy quote; "That one, #W1. First, could I
switch the mechanical keyboard to clicky switches? Keep everything else the same on it." at the order question was
answered from the catalogue with Buy buttons; a gift card's shortfall was said twice in the reply to "Which gift card
is that?"; "I need to do an exchange and a return" got an FAQ quote; "can we start with the exchange? it's the boots
order, W1" in the exchange got a policy quote."""
from __future__ import annotations

from conftest import talk


def test_the_running_cancellation_refused_by_order_number_starts_the_other_task(engine):
    conv = engine().new_conversation()
    *_, said = talk(conv, "I need to cancel an order", "email", "liam.thomas9081@example.com", "#W1654931",
                    "No wait, I don't want to cancel #W1654931. I want to change its shipping address.")
    assert said.active_flow == "change_order_address" and "Shall I cancel it?" not in said.text, said.text


def test_a_stop_and_another_task_at_the_summary_stops_and_starts_it(engine):
    conv = engine().new_conversation()
    *_, said = talk(conv, "I need to cancel an order", "email", "liam.thomas9081@example.com", "#W1654931",
                    "no longer needed", "Stop, change nothing. I want to update the address on #W1654931, not cancel it.")
    assert "stopped" in said.text and "already what I have" not in said.text, said.text
    assert said.active_flow == "change_order_address", said.text


def test_common_words_after_its_are_no_name(engine):
    conv = engine().new_conversation()
    _, signed = talk(conv, "hey! so I got a jigsaw puzzle and it's way too easy lol, I want to swap it for a different "
                           "one", "name and zip - Sophia Garcia, 78263")
    assert "Thanks, Sophia" in signed.text and "Way Too" not in signed.text, signed.text


def test_a_hope_to_do_a_task_starts_it(engine):
    t = engine().new_conversation().send("Hello, sorry to bother you, I was hoping to exchange an item I received?")
    assert t.active_flow in ("authenticate", "exchange_items") and "I don't have an answer" not in t.text, t.text


def _at_summary(engine):
    conv = engine().new_conversation()
    *_, summary = talk(conv, "I want to change the coffee maker in my pending order", "email",
                       "ethan.lopez8943@example.com", "#W6779827", "the coffee maker", "the cheapest other one",
                       "the credit card")
    assert summary.expecting.slot == "confirmation", summary.text
    return conv


def test_a_yes_with_an_item_said_to_stay_goes_ahead(engine):
    done = _at_summary(engine).send("yes, that's it. the pet bed can stay as it is. go ahead")
    assert done.text.startswith("Done:"), done.text


def test_which_card_at_the_summary_is_answered_by_its_name_not_its_id(engine):
    said = _at_summary(engine).send("just to check, which card is that? i'd want it on my credit card")
    assert "already what I have" not in said.text and "Mastercard ending 1020" in said.text, said.text
    assert "credit_card_" not in said.text, said.text


def test_another_task_asked_with_an_order_at_a_queued_tasks_question_starts_it(engine):
    conv = engine().new_conversation()
    *_, said = talk(conv, "hi, I need to change the payment on two of my orders, and change some items too", "email",
                    "emma.smith3991@example.com", "#W2417020", "paypal", "yes",
                    "thanks. now the other order, W3614011 - i want to change how that one's paid too")
    assert said.active_flow == "change_order_payment" and "#W3614011" in said.text, said.text


def test_a_payment_change_asked_at_the_queued_item_changes_question_starts_it(engine):
    conv = engine().new_conversation()
    *_, said = talk(conv, "hi, I need to change the address on my order, then change some items in it", "email",
                    "emma.smith3991@example.com", "#W3614011", "12 Oak Ave, Reno, NV 89501", "yes",
                    "Great, thanks! Also, can I switch how I'm paying for that same order? I'd like to use my gift card.")
    assert said.active_flow == "change_order_payment", said.text


def test_a_yes_said_twice_at_a_summary_is_only_a_yes(engine):
    done = _at_summary(engine).send("Yes, that's all. Do it.")
    assert done.text.startswith("Done:") and "I don't have an answer" not in done.text, done.text


def test_an_order_named_only_for_its_address_is_not_the_order_changed(engine):
    conv = engine().new_conversation()
    *_, said = talk(conv, "I want to change the payment method on my order", "email", "emma.smith3991@example.com",
                    "#W3614011", "paypal", "yes", "Great. For that same order, can I also change the shipping address? "
                    "I'd like it to go to the same address as my other order #W2417020.")
    assert "ship order #W2417020" not in said.text and "From our store policy" not in said.text, said.text
    assert said.active_flow == "change_order_address" and "243 Hillcrest Drive" in said.text, said.text


def test_a_swap_asked_as_leave_with_the_order_is_the_tasks_pick(engine):
    conv = engine().new_conversation()
    *_, said = talk(conv, "I want to change a few items in my pending order", "email", "omar.silva6106@example.com",
                    "That one, #W6151519. First, could I switch the mechanical keyboard to clicky switches? Keep "
                    "everything else the same on it.")
    assert "becomes clicky, none, 80%" in said.text and "Buy " not in " ".join(b.title for m in said.messages
                                                                                 for b in m.buttons), said.text


def test_a_shortfall_is_said_once_when_the_card_is_asked_about(engine):
    conv = engine().new_conversation()
    *_, said = talk(conv, "I want to change the kettle in my pending order", "email", "omar.silva6106@example.com",
                    "#W6151519", "2L, glass, white",
                    "Oh, I see. Which gift card is that? I was hoping to use my gift card ending 5193172 for any difference.")
    assert said.text.count("$17.00") == 1 and "Talk to a person" in [b.title for m in said.messages for b in m.buttons]


def test_tasks_named_as_things_to_do_start_the_first(engine):
    t = engine().new_conversation().send("I need to do an exchange and a return")
    assert t.active_flow in ("authenticate", "exchange_items") and "From our FAQ" not in t.text, t.text


def test_the_running_task_asked_for_with_its_order_is_no_question(engine):
    conv = engine().new_conversation()
    *_, said = talk(conv, "I need to do an exchange and a return", "email", "liam.thomas9081@example.com",
                    "actually can we start with the exchange? it's the hiking boots order, W8488728")
    assert "store policy" not in said.text and "instead of the Hiking Boots" in said.text, said.text
