"""Habits of shoppers that language-model shoppers showed the assistant mishandling (issue #14),
through `Conversation.send` with the trained router: a story before one request, a button pressed
by its number, an earlier task's order that this task cannot take, a question at a confirmation."""
from __future__ import annotations

from conftest import talk

EMAIL = "raj.sanchez2046@example.com"      # raj_sanchez_2970
PENDING, DELIVERED = "#W4566809", "#W7736708"


def test_a_story_before_one_request_is_one_request(engine):
    t = engine().new_conversation().send(
        "Hi... I got a package and it was all wet from the rain, the box was damaged. I'm worried the "
        "stuff inside is ruined. Can I return it?")
    assert "more than one thing" not in t.text and t.flow_stack[0] == "return_items", (t.flow_stack, t.text)


def test_an_earlier_tasks_order_is_not_offered_where_it_cannot_be_used(engine):
    conv = engine().new_conversation()
    talk(conv, "/cancel_order", "email", EMAIL, PENDING)
    conv.send("never mind")
    t = conv.send("I want to exchange some items")
    assert t.expecting.slot == "order_id" and PENDING not in t.text, t.text
    assert all(PENDING not in b.title for m in t.messages for b in m.buttons)


def test_a_button_pressed_by_its_number(engine):
    conv = engine().new_conversation()
    talk(conv, "/return_items", "email", EMAIL, DELIVERED, "all of them", "original payment method")
    menu = conv.send("no")
    assert "What would you like to change?" in menu.text
    titles = [b.title for m in menu.messages for b in m.buttons]
    assert titles[1].startswith("Items to return:"), titles
    t = conv.send("2")
    assert t.expecting.slot == "return_item_ids", t.text


def test_a_question_at_the_confirmation_is_answered_and_the_confirmation_stays(engine):
    conv = engine().new_conversation()
    talk(conv, "/return_items", "email", EMAIL, DELIVERED, "all of them", "original payment method")
    t = conv.send("Before I say yes... is the return process easy?")
    assert "Please answer yes" not in t.text and not t.actions, t.text
    assert t.expecting.slot == "confirmation" and t.route.label != "affirm"


def test_never_mind_with_nothing_in_progress_is_acknowledged(engine):
    t = engine().new_conversation().send("never mind")
    assert t.text.startswith("Okay") and "nothing was changed" in t.text, t.text


def test_all_of_them_picks_the_items_and_not_the_only_payment_method(engine):
    """ivan_santos_6635 has PayPal only: "all of them" answers the items, and the refund is still asked."""
    conv = engine().new_conversation()
    t = talk(conv, "/return_items", "email", "ivan.santos3158@example.com", "#W6893533",
             "All of them please, I want a full refund")[-1]
    assert len(t.slots.get("return_item_ids", [])) == 2 and "refund_method" not in t.slots, t.slots
    assert t.expecting.slot == "refund_method", t.text


def test_list_corrections_at_the_summary_add_take_out_or_set(engine):
    """raj's #W7736708 holds Headphones, Luggage Set, Notebook, Jigsaw Puzzle; the summary has the
    headphones and the notebook."""
    headphones, luggage, notebook, puzzle = "3104857380", "9692325258", "6574183535", "1096508426"
    cases = {
        "no wait, i never said the notebook. keep the notebook. i want the headphones and also the jigsaw puzzle":
            [headphones, puzzle],
        "no! remove the notebook. only headphones + jigsaw puzzle": [headphones, puzzle],
        "not the notebook though": [headphones],
        "add the luggage set too": [headphones, notebook, luggage],
        "only the headphones": [headphones],
    }
    for fix, want in cases.items():
        conv = engine().new_conversation()
        t = talk(conv, "/return_items", "email", EMAIL, DELIVERED, "the headphones and the notebook",
                 "original payment method", fix)[-1]
        assert sorted(t.slots["return_item_ids"]) == sorted(want), (fix, t.text)
        assert t.expecting.slot == "confirmation" and "items to return to" in t.text, (fix, t.text)


def test_another_task_instead_replaces_the_one_in_progress(engine):
    """An exchange under way: "then return the headphones instead" starts the return in its place, and
    nothing offers to go back to the exchange afterwards. (An exchange of a pending order changes its items
    at once, with no task to drop: tests/test_shopper_found_12.py.)"""
    conv = engine().new_conversation()
    talk(conv, "/exchange_items", "email", EMAIL, DELIVERED, "the headphones")
    t = conv.send("hmm, then return the headphones instead please")
    assert t.flow_stack == ["return_items"] and t.route.decided_by == "digression", (t.flow_stack, t.text)
    assert 'dropped "Exchange items"' in t.text and t.expecting.slot == "refund_method", t.text
    assert t.slots["return_item_ids"] == ["3104857380"], t.text


def test_changing_ones_mind_mid_task_stops_it_and_picks_nothing(engine):
    for said in ("Hmm, actually, I've changed my mind. I'll keep the air purifier as it is, no change.",
                 "No, I don't want to change it at all. Please cancel this change request."):
        conv = engine().new_conversation()
        t = talk(conv, "/change_order_items", "email", EMAIL, PENDING, "the air purifier", said)[-1]
        assert t.flow_stack == [] and "Nothing was changed" in t.text, (said, t.text)
        assert "new_item_ids" not in t.slots


def test_an_option_said_with_instead_is_an_answer_not_another_task(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/change_order_items", "email", EMAIL, PENDING, "the air purifier", "I'd like a large one instead")[-1]
    assert t.flow_stack == ["change_order_items"] and t.expecting.slot == "new_item_ids", (t.flow_stack, t.text)


def test_a_value_taken_from_a_message_is_said_at_once(engine):
    """"I don't need it anymore" in the opening fills the cancel reason: it is said then, not first
    seen in the summary."""
    t = engine().new_conversation().send("I want to cancel my order, I don't need it anymore")
    assert "I've taken the cancel reason: I no longer need it" in t.text, t.text


def test_options_that_fit_nothing_do_not_start_another_task(engine):
    """"I'd like ... instead" naming options no variant has is an answer that fits nothing (asked
    again), never an exchange or a purchase, whatever the router thinks of it."""
    conv = engine().new_conversation()
    talk(conv, "/change_order_items", "email", EMAIL, PENDING, "the air purifier")
    t = conv.send("I'd like robotic, bagless, purple instead")
    assert t.flow_stack == ["change_order_items"] and t.expecting.slot == "new_item_ids", (t.flow_stack, t.text)


def test_an_introduction_alone_signs_in_and_asks_what_next(engine):
    conv = engine().new_conversation()
    t = conv.send("my name is Raj Sanchez and my email is raj.sanchez2046@example.com.")
    assert conv.state.user_id == "raj_sanchez_2970" and "What can I do for you" in t.text, t.text
    assert conv.send("I want to return something").expecting.slot == "order_id"


def test_an_unknown_introduction_is_refused_once(engine):
    t = engine().new_conversation().send("I'm Raj Sanchez, zip 11111")
    assert t.text.count("couldn't find an account") == 1 and t.expecting.slot == "retry_method", t.text


def test_a_no_first_is_never_a_yes_because_something_else_is_right(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    t = talk(conv, "/return_items", "email", EMAIL, DELIVERED, "the headphones and the notebook",
             "original payment method", "No - I've changed my mind on the items. The refund card is right.")[-1]
    assert not t.actions and t.expecting is not None, t.text
    assert e.store.export_data() == seed_export


def test_a_question_about_the_choices_picks_none_of_them(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/return_items", "email", EMAIL, DELIVERED, "all of them", "ok but is one faster than the other?")[-1]
    assert "refund_method" not in t.slots and t.expecting.slot == "refund_method", t.text


def test_keeping_everything_as_it_is_stops_the_exchange(engine):
    conv = engine().new_conversation()
    t = talk(conv, "/exchange_items", "email", EMAIL, DELIVERED, "the headphones",
             "You know what, I'll just keep everything as it is. No exchange and no return, please. Thanks.")[-1]
    assert t.flow_stack == [] and "Nothing was changed" in t.text, t.text


def test_a_wish_per_item_said_in_turn_goes_with_its_own_item(engine):
    """anya_patel_3710's pending #W4604258 holds a Tea Kettle, Hiking Boots and a Bluetooth Speaker
    among others; the opening names them in another order than the order lists them, with a wish each."""
    conv = engine().new_conversation()
    t = talk(conv, "Please change the bluetooth speaker and the tea kettle and the hiking boots in my order "
                   "#W4604258 to red, 20 hours, without water resistance; glass, 1 liter, electric; size 11, not "
                   "waterproof", "anya.patel9309@example.com")[-1]
    # kettle 7497340597 -> glass 1 liter electric, boots 2648909398 -> 11 leather no, speaker 5855700373 -> red 20h no
    assert t.slots["modify_item_ids"] == ["7497340597", "2648909398", "5855700373"], t.slots
    assert t.slots["new_item_ids"] == ["9747045638", "5676696062", "1052700637"], t.text
    assert t.expecting.slot == "payment_method_id", t.text


def test_a_wish_that_fits_several_options_is_asked_for_its_own_item(engine):
    """harper_johansson's #W2912646: "black" sunglasses may have a black frame or black lenses (any
    of the options that has the value), and "4-piece" fits two luggage sets: both are asked, in words
    that name what the shopper said."""
    conv = engine().new_conversation()
    t = talk(conv, "Please change the sunglasses and the luggage set in my order #W2912646 to black; 4-piece",
             "harper.johansson4006@example.com")[-1]
    assert t.text.endswith("Two Luggage Set options are 4-piece: 4-piece, blue, softshell ($501.65); 4-piece, red, "
                           "hardshell ($452.62). Which one would you like?"), t.text
    t = conv.send("the blue one")
    assert "Four Sunglasses options are black" in t.text and "silver, black, polarized, metal" in t.text, t.text
    assert "brown, brown" not in [b.title for m in t.messages for b in m.buttons]
