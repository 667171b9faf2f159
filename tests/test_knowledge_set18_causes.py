"""What a shopper read on the eighteenth knowledge set, by cause (no model: a catalogue answer is computed; a rule is
the fact quoted, as when the model's wording fails its check). The questions here are new wordings of each cause,
not the set's.

1. false claims: a bare "Yes." of an FAQ answer backed any claim by its question's words ("I'm a human"); a reading of
   an order time ("23:45:00 is 11:45 in the morning?") was read as the time asked; a word several products' names end
   with ("camera") was read by its synonym though only the others come in the option named ("4K"); a made-up plural
   ("wiredes") kept a misspelt option ("wireles") from being read; "what are my options?" of an item the shopper
   has listed the product's options;
2. ways to pay: "bitcoin" was an off-topic word even where the shopper asks to pay with it; "can I buy with X?" is
   whether X is a way to pay;
3. the shopper's story: words of buying it ("I picked", "I bought it for my son", "I wish I'd bought the waterproof
   ones", option values) were words a rule must share; "I got it last week" was no delivered order; a story told
   before two questions hid them; a need told before a question to the shop ("Do you give a bulk discount?") was
   read as a request for products;
4. counts said in "options" for "how many e-readers?"; a generated bare "No, you cannot." was kept without its rule;
5. status after a step: "After an exchange ..., so my order is cancelled now?", "After I confirm a return the order is
   still delivered"; a plan of two steps ("the items first and then the address"); "already processed, yes?" read as
   a premise with nothing asked after it;
6. things named in other words: "what we discussed" (the summary handed to a person), "free if it costs the same"
   (the price difference), "this chat" (the same conversation), "the new place" (an address), "change the delivery
   date" (no flow sets one).
"""
from __future__ import annotations

from pathlib import Path

from engine.generator import FlowInfo
from engine.generator.catalogue_answers import computed_answer
from engine.generator.catalogue_spelling import catalogue_words, respell
from engine.generator.fact_text import bare_verdict
from engine.generator.fixed_answers import clock_answer
from engine.generator.recommend import SYNONYMS
from engine.generator.two_parts import question_parts
from engine.knowledge.passages import load_catalogue
from engine.knowledge.subjects import entities
from tests.test_knowledge_set6_causes import _available, answerer  # noqa: F401 (the fixture)

ROOT = Path(__file__).resolve().parent.parent


def _text(answerer, question: str) -> str:  # noqa: F811
    return answerer.answer(question, flows=[FlowInfo(id="handoff", title="Talk to a person", payload="/handoff",
                                                     description="a human agent")]).text


# 1. false claims
def test_a_bare_yes_backs_no_claim_by_its_faq_question(answerer):  # noqa: F811
    faq = [p for p in answerer.retriever.passages if p.source == "faq"]
    assert answerer.claims.check("I'm a person.", "who am I talking to?", faq).problems
    assert not answerer.claims.check("I am the shop's virtual assistant, a computer program, not a person.",
                                     "who am I talking to?", faq).problems


def test_a_reading_of_the_order_time_is_not_the_time_asked(answerer):  # noqa: F811
    said = clock_answer("my order shows 22:10:00, that's 10:10 in the morning, right?", answerer.retriever.passages)
    assert said is not None and said[0].startswith("No: 22:10:00 is 10:10 PM"), said


def test_a_word_shared_by_products_is_read_by_the_option_named():
    text = computed_answer("any 5K camera in stock?", load_catalogue()).text
    assert "Action Camera" in text and "Digital Camera" not in text, text
    prices = {v["price"] for v in _available("Action Camera") if v["options"].get("resolution") == "5K"}
    assert any(f"{p:,.2f}" in text for p in prices), text


def test_a_product_named_in_full_is_that_product():
    text = computed_answer("is there an electric kettle under $140?", load_catalogue()).text
    assert "Electric Kettle" in text and "Tea Kettle" not in text, text


def test_a_misspelt_option_is_read_though_made_up_plurals_are_near():
    vocabulary = catalogue_words(load_catalogue(), SYNONYMS)
    assert "wiredes" not in vocabulary
    assert respell("cheapest wireles mouse", vocabulary) == "cheapest wireless mouse"


def test_my_options_for_an_item_i_have_are_the_rules(answerer):  # noqa: F811
    ans = answerer.answer("I ordered a backpack, it arrived yesterday and the colour is wrong. What are my options?")
    assert ans.kind != "catalogue" and "exchange" in ans.text, ans.text


# 2. ways to pay
def test_paying_with_crypto_is_asked_of_the_ways_to_pay(answerer):  # noqa: F811
    for question in ("can I pay in crypto?", "Can I pay with Bitcoin?"):  # what there is, not the scope answer
        text = _text(answerer, question)
        assert "PayPal" in text and "gift card" in text, text


def test_buying_with_a_payment_method_is_asked_of_the_ways_to_pay(answerer):  # noqa: F811
    assert "ways to pay" in entities("could I order with PayPal?")
    assert "ways to pay" not in entities("can I pay the price difference with a gift card?")
    assert "payment methods" in _text(answerer, "could I order with PayPal?")


# 3. the shopper's story
def test_the_story_of_choosing_is_not_what_is_asked(answerer):  # noqa: F811
    text = _text(answerer, "I accidentally selected the wrong size for the running shoes in my order, which hasn't "
                           "shipped yet. Can I fix it?")
    assert "options of an item" in text or "item options" in text, text


def test_bought_for_someone_and_a_wish_for_another_option(answerer):  # noqa: F811
    assert "another customer" not in entities("I bought a helmet for my daughter and it arrived yesterday")
    assert {"delivered", "other options"} <= entities("the boots I got last week, I wish I'd ordered the leather ones")
    text = _text(answerer, "I wish I'd ordered the leather ones, the boots came last week. What are my options?")
    assert "exchange" in text and "delivered" in text, text


def test_an_option_asked_of_a_product_is_still_asked(answerer):  # noqa: F811
    assert answerer.answer("which brand makes your bluetooth speaker?").kind == "scope"


def test_a_story_before_two_questions_keeps_both(answerer):  # noqa: F811
    question = "My order is still pending and I no longer need it. Can I cancel it, and which reason should I choose?"
    assert len(question_parts(question)) == 2
    text = _text(answerer, question)
    assert "only while it is pending" in text and "ordered by mistake" in text, text


def test_a_need_told_before_a_question_to_the_shop_is_no_product_request(answerer):  # noqa: F811
    assert answerer.answer("I want 25 desk lamps for the team. Do you offer volume pricing?").kind == "scope"
    assert answerer.answer("I'm looking for a yoga mat. Do you have it in blue?").kind == "catalogue"


# 4. counts and bare verdicts
def test_a_count_by_the_products_name_says_the_product():
    n = len(_available("Tablet"))
    text = computed_answer("how many tablets do you have?", load_catalogue()).text
    assert text.startswith(f"We have {n} Tablet variant"), text
    assert computed_answer("how many sneaker options can i buy", load_catalogue()).text.startswith("The Sneakers have")


def test_a_bare_verdict_is_no_answer():
    assert bare_verdict("No, you cannot.") and bare_verdict("Yes.")
    assert not bare_verdict("No, the items can be changed only once.")


# 5. status after a step
def test_the_status_after_a_step_decides(answerer):  # noqa: F811
    assert "exchange requested" in _text(answerer, "After an exchange is confirmed, the order is now cancelled?")
    assert "return requested" in _text(answerer, "After I confirm a return the order stays delivered, right?")


def test_a_plan_of_two_steps_is_read_as_after_the_first(answerer):  # noqa: F811
    assert "anymore" in _text(answerer, "I'll modify the items first and then switch the payment method, ok?")


def test_a_tag_after_already_leaves_the_clause_asked(answerer):  # noqa: F811
    text = _text(answerer, "I can change my default address, so my order that's already processed will get it too, yes?")
    assert "processed order cannot" in text, text


# 6. things named in other words
def test_what_was_said_in_the_chat_is_the_summary(answerer):  # noqa: F811
    assert "summary" in _text(answerer, "Can a person see what I said earlier?")


def test_an_exchange_that_costs_the_same_is_the_price_difference(answerer):  # noqa: F811
    assert "price difference" in _text(answerer, "does swapping sizes cost anything if both are the same price?")


def test_this_conversation_is_the_same_conversation(answerer):  # noqa: F811
    text = _text(answerer, "I need to exchange a shirt and change an address on another order, can I do both in "
                           "this conversation?")
    assert "several of your requests" in text, text


def test_moving_home_is_the_address(answerer):  # noqa: F811
    assert "address" in _text(answerer, "We're relocating next month, what do I need to change so parcels reach the "
                                        "new home?")


def test_moving_an_order_to_another_payment_is_no_address():
    assert "shipping address" not in entities("I'm moving my pending order from PayPal onto my gift card")


def test_changing_the_delivery_date_is_not_done(answerer):  # noqa: F811
    text = _text(answerer, "the order is pending, could I move the delivery date to next friday?")
    assert "delivery date" in text and "can't" in text, text
