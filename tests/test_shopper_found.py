"""What language-model shoppers found the assistant guessing or undoing silently (issue #14, "never
a silent guess"), through `Conversation.send` with the trained router: each test is a conversation
they had, and asserts what the shopper sees."""
from __future__ import annotations

import pytest

from conftest import started_tasks, talk

YUSUF = "yusuf.garcia2909@example.com"     # yusuf_garcia_3055: pending #W2564042, #W6885344, #W3260419


@pytest.mark.parametrize("opening", ["I need to cancel an order", "I need to cancel a couple of orders"])
def test_i_need_to_in_the_opening_gives_no_cancel_reason(engine, opening):
    t = talk(engine().new_conversation(), opening, "email", YUSUF, "#W6885344")[-1]
    assert "cancel_reason" not in t.slots and t.expecting.slot == "cancel_reason", t.text
    assert "no longer needed" not in t.text, t.text


def test_i_need_to_typed_as_the_reason_gives_none_but_no_need_does(engine):
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", YUSUF, "#W6885344")
    t = conv.send("I need to get this done today")
    assert "cancel_reason" not in t.slots, t.text
    t = conv.send("so no need now")
    assert t.slots["cancel_reason"] == "no longer needed" and t.expecting.slot == "confirmation", t.text


def test_a_reason_in_the_opening_is_said_when_it_is_taken(engine):
    t = talk(engine().new_conversation(), "I want to cancel an order, I don't need it anymore", "email", YUSUF,
             "#W6885344")[-1]
    assert t.slots["cancel_reason"] == "no longer needed" and t.expecting.slot == "confirmation", t.text


def test_an_ending_that_matches_no_order_is_said_and_no_ordinal_is_taken(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/cancel_order", "email", YUSUF, "the one ending 9559 first")[-1]
    assert "order_id" not in t.slots and "None of your orders ends in 9559" in t.text, t.text
    assert t.expecting.slot == "order_id"
    t = conv.send("the one ending 5344 first")
    assert t.slots["order_id"] == "#W6885344", t.text


OLIVIA = "olivia.ito5204@example.com"      # olivia_ito_3591: pending #W5442520 (no watch), #W7941031 (Wristwatch)


def test_the_order_holding_the_named_product_and_the_wish_kept(engine):
    """"First ..." orders what the shopper does; "black ... instead of white" is the wish, not the order."""
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", OLIVIA,
             "First the one with the wristwatch. I'd like the black dial instead of white")[-1]
    assert t.slots["order_id"] == "#W7941031", t.text
    t = conv.send("the wristwatch")
    # "black dial instead of white": only the dial changes; the leather strap is kept, and said
    assert t.slots["new_item_ids"] == ["9949163720"], t.text          # leather, black
    assert "I kept the strap material leather" in t.text, t.text


def test_first_typed_with_a_wish_at_the_option_question_picks_no_option(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", OLIVIA, "#W7941031", "the wristwatch",
             "First the one with the wristwatch. I'd like the black dial instead of white")[-1]
    # "First" orders what the shopper does: it picks no option (the first offered is metal, black)
    assert t.slots.get("new_item_ids") == ["9949163720"], t.text      # leather, black: the wish


def test_a_pick_from_the_offer_wins_over_everything_else_the_same(engine):
    """olivia_sanchez_2914's toothbrush is black, high, AA; the two white ones differ in the rest."""
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", "olivia.sanchez1894@example.com", "#W5101035", "the toothbrush",
             "white")[-1]
    assert "Two Electric Toothbrush options are white" in t.text, t.text
    t = conv.send("the first one, everything else the same")
    assert t.slots["new_item_ids"] == ["2645006275"], t.text        # white, high, AA batteries
    assert "I kept" not in t.text and "color" not in t.text, t.text


def test_the_pick_from_the_offer_tells_only_what_the_shopper_did_not_state(engine):
    """yusuf_taylor_7149's toothbrush is black, low, AA: the first white one also changes the speed."""
    conv = engine().new_conversation()
    t = talk(conv, "/exchange_items", "email", "yusuf.taylor6118@example.com", "#W5690487", "the electric toothbrush",
             "just want it in white", "the first one, everything else the same")[-1]
    assert t.slots["new_item_ids"] == ["2645006275"], t.text
    assert "That one also changes the speed settings to high" in t.text and "color" not in t.text, t.text


@pytest.mark.parametrize("said,told", [("750 ml stainless steel in blue", None),
                                       ("a red one, 750ml", "It keeps the material stainless steel: that is the only "
                                                             "option with what you asked for.")])
def test_options_the_shopper_named_in_other_spellings_are_not_told_back(engine, said, told):
    """emma_ito's water bottle is 1000ml, stainless steel, blue."""
    t = talk(engine().new_conversation(), "/change_order_items", "email", "emma.ito3790@example.com", "#W8664580",
             "the water bottle", said)[-1]
    assert "capacity" not in t.text and "only option that fits" not in t.text, t.text
    assert t.expecting.slot == "payment_method_id" and (told is None or told in t.text), t.text


def test_a_clock_named_by_its_options_is_not_told_as_the_only_one(engine):
    """sofia_moore's wall clock is 14 inches, black, analog."""
    t = talk(engine().new_conversation(), "/change_order_items", "email", "sofia.moore4274@example.com", "#W1812830",
             "the wall clock", "the 10-inch black digital one")[-1]
    assert t.slots["new_item_ids"] == ["8610532516"], t.text
    assert "diameter" not in t.text and "comes only" not in t.text and "only option" not in t.text, t.text


YARA = "yara.ito7353@example.com"      # yara_ito_8499: #W1809337 Cycling Helmet, Makeup Kit, Tea Kettle, Wall Clock
HELMET, MAKEUP, TEA_KETTLE = "3339188619", "2882812427", "4238115171"


def test_an_order_named_by_a_list_of_its_items_takes_them_all(engine):
    t = talk(engine().new_conversation(), "/exchange_items", "email", YARA,
             "the one with the helmet, makeup kit and tea kettle")[-1]
    assert t.slots["order_id"] == "#W1809337" and t.slots["exchange_item_ids"] == [HELMET, MAKEUP, TEA_KETTLE], t.text
    assert "Cycling Helmet" in t.text and t.expecting.slot == "new_item_ids", t.text


@pytest.mark.parametrize("fix", ["oh wait, I want to exchange all three actually, the helmet too", "the helmet too"])
def test_an_item_added_at_the_option_question(engine, fix):
    conv = engine().new_conversation()
    talk(conv, "/exchange_items", "email", YARA, "#W1809337", "makeup kit and tea kettle")
    t = conv.send(fix)
    assert t.slots["exchange_item_ids"] == [HELMET, MAKEUP, TEA_KETTLE], t.text
    assert "Sorry" not in t.text and t.expecting.slot == "new_item_ids" and "Cycling Helmet" in t.text, t.text


def test_just_the_kettle_after_the_order_named_by_it_says_which_items(engine):
    t = talk(engine().new_conversation(), "/return_items", "email", YARA,
             "the one with the electric kettle. just the kettle")[-1]
    assert t.slots["order_id"] == "#W8353027" and t.slots["return_item_ids"] == ["9335834276"], t.text


OLIVIA_SMITH = "olivia.smith9793@example.com"   # pending #W1974181; delivered #W5202795, #W5220869
ETHAN = "ethan.moore4935@example.com"           # delivered #W6353188 (Perfume), #W7156413 (Luggage Set, Speaker)


def _returned_a_lamp(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/return_items", "email", OLIVIA_SMITH, "#W5220869", "the desk lamp", "original payment method",
             "yes")[-1]
    assert t.active_flow is None and "return requested" in t.text, t.text
    return conv


def _exchanged_a_perfume(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/exchange_items", "email", ETHAN, "#W6353188", "the perfume", "the same one", "yes")[-1]
    assert t.active_flow is None and "exchange for order #W6353188 is requested" in t.text, t.text
    return conv


def test_now_the_other_order_after_a_return_is_another_return(engine):
    t = _returned_a_lamp(engine).send("now the other order, W5202795. the office chair and action camera")
    assert t.flow_stack == ["return_items"] and t.slots["order_id"] == "#W5202795", t.text
    assert sorted(t.slots["return_item_ids"]) == ["4859937227", "8426249116"] and "buy" not in t.text, t.text


@pytest.mark.parametrize("said", ["thanks. now the other order, W7156413. i want to swap the luggage set and the speaker",
                                  "thanks. now the other order, the luggage set and the speaker"])
def test_the_other_order_after_an_exchange_is_an_exchange_of_it(engine, said):
    t = _exchanged_a_perfume(engine).send(said)
    assert t.flow_stack == ["exchange_items"] and t.slots["order_id"] == "#W7156413", t.text
    assert sorted(t.slots["exchange_item_ids"]) == ["1689914594", "6690069155"], t.text


def test_a_swap_on_that_same_pending_order_changes_its_items(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_address", "email", OLIVIA_SMITH, "#W1974181", "use the default address on my account",
             "yes")[-1]
    assert t.active_flow is None, t.text
    t = conv.send("Also on that same order I want to swap two items, the laptop and the wristwatch")
    assert t.flow_stack == ["change_order_items"] and t.slots["order_id"] == "#W1974181", t.text
    assert sorted(t.slots["modify_item_ids"]) == ["4241599783", "8886009523"], t.text


def test_a_second_request_without_its_own_i_would_like_is_queued(engine):
    t = engine().new_conversation().send("Hello! I'd like to exchange some items and also return something")
    assert 'first "Exchange items", then "Return items"' in t.text, t.text


def test_an_email_in_an_opening_of_two_requests_signs_in(engine):
    t = engine().new_conversation().send(
        f"Hi, I need to return some stuff and exchange a couple items. email is {YARA}")
    assert "you're signed in" in t.text and t.expecting.slot == "order_id", t.text


def test_a_name_and_zip_said_together_answer_how_to_sign_in(engine):
    t = talk(engine().new_conversation(), "I want to return something", "sophia garcia 78263")[-1]
    assert "Thanks, Sophia, you're signed in." in t.text and t.expecting.slot == "order_id", t.text


def test_an_item_already_listed_is_said_to_be_there(engine):
    conv = engine().new_conversation()
    talk(conv, "/exchange_items", "email", YARA, "the one with the helmet, makeup kit and tea kettle")
    t = conv.send("oh wait, I want to exchange all three actually, the helmet too")
    assert "Sorry" not in t.text and "already among the items to exchange" in t.text, t.text
    assert t.slots["exchange_item_ids"] == [HELMET, MAKEUP, TEA_KETTLE] and t.expecting.slot == "new_item_ids"


def test_a_card_ending_that_matches_none_is_said_not_the_other_card(engine):
    """train 150: "my other credit card, the one ending 7679" (no card ends so) took the other card."""
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_payment", "email", "sofia.li7352@example.com", "#W8855135",
             "my other credit card, the one ending 7679")[-1]
    assert "new_payment_method_id" not in t.slots and "None of your payment methods ends in 7679" in t.text, t.text
    t = conv.send("the one ending 8484")
    assert t.slots.get("new_payment_method_id") == "credit_card_8105988", t.text


def test_asking_for_the_running_task_at_its_question_goes_on(engine):
    """"I need to cancel it" to "why would you like to cancel?" asks for the task itself: never a stop."""
    conv = engine().new_conversation()
    t = talk(conv, "/cancel_order", "email", YUSUF, "#W6885344", "I need to cancel it")[-1]
    assert t.flow_stack and t.expecting.slot == "cancel_reason" and "stopped" not in t.text, t.text
    t = conv.send("actually, cancel this request, never mind")
    assert t.flow_stack == [] and "Nothing was changed" in t.text, t.text


def test_two_requests_with_the_email_in_one_opening_sign_in_and_start_the_first(engine):
    """The email's dots end no sentence, and a request part the router is sure of starts its task even
    when the whole message reads as an introduction."""
    t = engine().new_conversation().send("Hi. I need to cancel one order and change a garden hose in another one. "
                                         "Email is daiki.johnson2279@example.com.")
    assert "signed in" in t.text and t.active_flow == "cancel_order" and t.expecting.slot == "order_id", t.text


def test_a_follow_up_that_changes_an_item_is_a_change_not_the_last_task_again(engine):
    """daiki_johnson_9523: after a cancellation, "the other one ... change the garden hose to vinyl, blue"."""
    conv = engine().new_conversation()
    talk(conv, "I need to cancel order #W1436802, no longer needed", "daiki.johnson2279@example.com", "yes")
    t = conv.send("Now the other one. In order #W5282037 I want to change the garden hose to vinyl, blue. Same length.")
    assert t.active_flow == "change_order_items" and t.slots["new_item_ids"] == ["9829827210"], t.text


def test_refusing_the_running_task_for_another_replaces_it(engine):
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", "daiki.johnson2279@example.com", "#W5282037")
    t = conv.send("No, I don't want to cancel that one. I want to modify the item in it — swap the garden hose "
                  "for the vinyl, blue version.")
    assert t.flow_stack == ["change_order_items"], (t.flow_stack, t.text)


def test_the_option_wanted_instead_after_a_yes_about_the_order_is_an_answer(engine):
    """isabella_brown_3584: "that's the order" names no task; "the 1000 piece fantasy one instead" answers."""
    conv = engine().new_conversation()
    talk(conv, "Hi there! I'd love to exchange a jigsaw puzzle I received. Could you help me with that?",
         "Sure, my email is isabella.brown8771@example.com")
    t = conv.send("Yes, that's the order! I'd like the 1000 piece fantasy one instead.")
    assert t.flow_stack == ["exchange_items"] and t.expecting.slot == "payment_method_id", t.text


SOPHIA_J = "sophia.jackson9875@example.com"   # sophia_jackson_7119: #W3977493 holds two identical water bottles


@pytest.mark.parametrize("reply", ["Just one water bottle.", "One. One water bottle, plus the toothbrush and the laptop."])
def test_one_of_two_identical_items_said_in_words_keeps_the_other_items(engine, reply):
    conv = engine().new_conversation()
    talk(conv, "Hey! I want to return a few things from one of my orders - a water bottle, an electric toothbrush "
               "and a laptop.", f"Email: {SOPHIA_J}")
    t = conv.send(reply)
    assert t.slots["return_item_ids"] == ["2216662955", "7144237253", "7533802601"], t.text
    assert t.expecting.slot == "refund_method", t.text


def test_no_and_goodbye_to_getting_back_drops_it_and_ends(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/cancel_order", "email", "daiki.johnson2279@example.com", "#W1436802", "/order_status",
             "#W5282037")[-1]
    assert "Shall we get back to" in t.text, t.text
    t = conv.send("No, I am done. Bye.")
    assert t.text.index("dropped") < t.text.index("Goodbye") and t.ended and t.flow_stack == [], t.text


def test_never_mind_then_an_answer_is_the_answer(engine):
    """olivia_ito_3591 asked about refund timing, then: "Ok, never mind. Put it on the gift card."."""
    conv = engine().new_conversation()
    talk(conv, "Hi, I want to return everything from an order, the sneakers and the espresso machine.",
         "Name and zip: Olivia Ito, 80218.")
    t = conv.send("Ok, never mind. Put it on the gift card.")
    assert t.flow_stack == ["return_items"] and t.expecting.slot == "confirmation", t.text
    assert "back to your gift card" in t.text, t.text


def test_keeping_all_the_items_rather_than_exchanging_stops_the_exchange(engine):
    conv = engine().new_conversation()
    talk(conv, "Hi. I want to exchange the tea kettle in order #W3547545", "Juan Smith, 78770")
    t = conv.send("Hmm, thanks for showing me. Thinking it over, I'd rather not exchange or return anything. "
                  "I'll just keep all the items as they are.")
    assert t.flow_stack == [] and "Nothing was changed" in t.text, t.text


def test_two_orders_for_a_one_order_task_are_done_one_after_the_other(engine):
    """aarav_gonzalez_5113 named both orders to cancel at the order question; the second was forgotten."""
    conv = engine().new_conversation()
    t = talk(conv, "I want to cancel an order", "aarav.gonzalez9269@example.com",
             "Both of them actually - #W6979932 and #W9160732. Both were mistakes.")[-1]
    assert "first #W6979932, then #W9160732" in t.text and t.expecting.slot == "confirmation", t.text
    t = conv.send("yes")
    assert "#W6979932 is cancelled" in t.text and "cancel order #W9160732" in t.text, t.text
    assert t.slots["cancel_reason"] == "ordered by mistake", t.text


def test_options_wished_instead_for_an_item_of_that_pending_order_change_it(engine):
    conv = engine().new_conversation()
    talk(conv, "I want to pay for order #W7941031 with paypal instead", "Olivia Ito 80218", "yes")
    t = conv.send("Now the backpack in that order - the grey medium polyester laptop one. I'd like it in small and "
                  "nylon instead.")
    assert t.active_flow == "change_order_items" and t.expecting.slot == "payment_method_id", t.text


def test_the_task_a_refusal_offers_takes_the_refused_order(engine):
    """dev 9: a return refuses pending #W9673784 ("An order that hasn't shipped yet can be cancelled or changed
    instead: just ask"); the shopper asks exactly that, and the item change starts on that order. (An exchange
    of it changes its items at once: tests/test_shopper_found_12.py.)"""
    conv = engine().new_conversation()
    t = talk(conv, "I'd like to return the espresso machine I ordered", "Omar Silva 92107", "#W9673784")[-1]
    assert "pending" in t.text and "order_id" not in t.slots, t.text
    t = conv.send("oh it hasn't shipped? ok then yeah change the item in that order, 19 bar espresso machine to a "
                  "9 bar capsule one")
    assert t.flow_stack == ["change_order_items"] and t.slots["order_id"] == "#W9673784", t.text
    assert t.expecting.slot == "new_item_ids", t.text


LEI = "lei.ahmed1696@example.com"  # lei_ahmed_1705: pending #W9132840, #W3931703, #W6724985


def test_the_other_orders_named_come_before_the_other_task_asked_for(engine):
    """Train 265: "cancel a couple of orders ... and change something in another one", then two order numbers:
    both cancels run before the change (the second was dropped for the change, which then took its order)."""
    conv = engine().new_conversation()
    talk(conv, "I need to cancel a couple of orders I placed by mistake, and change something in another one.",
         "email is " + LEI)
    t = conv.send("W9132840 and W3931703, both ordered by mistake")
    assert "first #W9132840, then #W3931703" in t.text and t.expecting.slot == "confirmation", t.text
    t = conv.send("yes")
    assert "#W9132840 is cancelled" in t.text and "#W3931703" in t.text and t.expecting.slot == "confirmation", t.text
    t = conv.send("yes")
    assert "#W3931703 is cancelled" in t.text and "Change items in an order" in t.text, t.text
    assert t.expecting.slot == "order_id", t.text


def test_refusing_the_running_task_for_another_takes_the_order_to_that_task(engine):
    """Train 265: at "Which order would you like to cancel?", "No, I don't want to cancel anything else. I want to
    change the water bottle in order W6724985." proposed to cancel W6724985."""
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", LEI)
    t = conv.send("No, I don't want to cancel anything else. I want to change the water bottle in order W6724985.")
    assert "dropped \"Cancel an order\"" in t.text and "cancel order #W6724985" not in t.text, t.text
    assert [f.flow_id for f in conv.state.stack] == ["change_order_items"] and "Water Bottle" in t.text, t.text


CHEN = ("name and zip, Chen Silva, 46281")  # chen_silva_7485: delivered #W3069600 (Skateboard), #W2598834 (Jigsaw Puzzle)


def test_a_refund_method_named_with_the_items_is_taken_when_its_question_comes(engine):
    """Train 255: "the skateboard from W3069600, refund to my mastercard" took the skateboard and asked where
    the refund should go."""
    conv = engine().new_conversation()
    t = talk(conv, "I want to return something", CHEN, "the skateboard from W3069600, refund to my mastercard")[-1]
    assert t.expecting.slot == "confirmation" and "refund to Mastercard ending 2732" in t.text, t.text


def test_a_task_asked_for_after_the_yes_starts_when_this_one_is_done(engine):
    """Train 255: "yes go ahead. then i also want to return the jigsaw puzzle, other order" did the first return
    and dropped the second."""
    conv = engine().new_conversation()
    talk(conv, "I want to return something", CHEN, "the skateboard from W3069600", "the mastercard")
    t = conv.send("yes go ahead. then i also want to return the jigsaw puzzle, other order")
    assert "#W3069600 is now 'return requested'" in t.text and 'next thing you asked for: "Return items"' in t.text
    assert "Jigsaw Puzzle" in t.text and t.expecting.slot == "refund_method", t.text


def test_one_task_found_in_an_opening_that_routes_low_names_no_empty_second(engine):
    """Train 275: "I need to make a couple of returns and change something on another order." said "You asked
    for more than one thing: first "Change items in an order", then ." (one goal found, an empty queue said)."""
    t = engine().new_conversation().send("Hi, I need to make a couple of returns and change something on another order.")
    assert "then ." not in t.text and started_tasks(t)[:1] == ["return_items"], t.text


def test_no_before_a_yes_no_option_denies_it(engine):
    """Train 276: "same blue and 10 hours, just no water resistance" took the speaker they have (water resistant)."""
    conv = engine().new_conversation()
    talk(conv, "/change_order_items", "raj moore 20566", "#W9929926", "the bluetooth speaker")
    t = conv.send("same blue and 10 hours, just no water resistance")
    assert t.expecting.slot == "payment_method_id", t.text
    t = conv.send("gift card")
    assert "to Bluetooth Speaker (blue, 10 hours, no water resistance)" in t.text, t.text


def test_a_wish_said_with_in_and_instead_is_not_part_of_the_items_name(engine):
    """Train 270: "W9160732, I want the bluetooth speaker in blue instead of black" answered "That order has
    nothing that matches “bluetooth speaker in blue”"."""
    conv = engine().new_conversation()
    talk(conv, "I want to change an item in an order", "aarav.gonzalez9269@example.com")
    t = conv.send("W9160732, I want the bluetooth speaker in blue instead of black")
    assert "nothing that matches" not in t.text and "Bluetooth Speaker (black, 10 hours, no water resistance)" in t.text, t.text
    assert t.expecting.slot == "payment_method_id", t.text


def test_yes_that_one_takes_the_only_option_offered(engine):
    """Train 268: after "No other Makeup Kit option is ...: dark, professional, Brand B ($258.71). Which one would
    you like?", "yes that one" got "Sorry, I didn't get that"."""
    conv = engine().new_conversation()
    talk(conv, "Hey there! I'd like to change a few things in an order I haven't received yet :)",
         "sure, it's chen.johnson3889@example.com", "yep that one. the office chair, the makeup kit and the bluetooth speaker",
         "the professional size please")
    t = conv.send("oh, same as mine otherwise - dark, Brand B")
    assert "dark, professional, Brand B ($258.71)" in t.text, t.text
    t = conv.send("yes that one")
    assert "didn't get that" not in t.text and "Office Chair" in t.text, t.text
