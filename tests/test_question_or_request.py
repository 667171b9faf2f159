"""Question or request (issue #15): a first message that asks about a task's rules is answered with
the task's button and starts nothing; a request starts the task; a message holding both gets the
answer, then the task. Through `Conversation.send` with the trained router and the retriever's
answers (no language model: what a message does is decided before the generator runs)."""
from __future__ import annotations

import pytest

from engine.question_or_request import read_message

ISSUE_QUESTIONS = [  # each got "First I need to confirm who you are" before
    ("What reasons are accepted for cancelling an order?", "cancel_order"),
    ("Where does the refund for a return go?", "return_items"),
    ("Can I exchange a shirt for a pair of shoes?", "exchange_items"),
    ("Can I change the shipping address of my order after it shipped?", "change_order_address"),
    ("What can I change on a pending order?", "change_order_items"),
    ("can I return opened items?", "return_items"),
]
REQUESTS = [
    ("I want to return my headphones", "return_items"),
    ("can you cancel my order #W1234567?", "cancel_order"),
    ("Could you please change the shipping address on my order?", "change_order_address"),
    ("can I return my headphones?", "return_items"),  # an own item, no condition: the task checks the rule
    ("I'd like to exchange the shoes I bought", "exchange_items"),
    ("where is my order?", "order_status"),
]


@pytest.fixture(scope="module")
def answerer():
    from pathlib import Path

    from engine.generator import load_answerer

    return load_answerer(Path(__file__).resolve().parents[1], load_generator=False)


@pytest.fixture
def talk(engine, answerer):
    def send(text: str):
        return engine().replace(answerer=answerer).new_conversation().send(text)

    return send


def _tasks(turn) -> list[str]:
    return [f for f in turn.flow_stack if not f.startswith("pattern_")]


def _offered(turn) -> list[str]:
    return [b.payload.lstrip("/") for m in turn.messages for b in m.buttons]


@pytest.mark.slow
@pytest.mark.parametrize("text,task", ISSUE_QUESTIONS)
def test_a_question_about_a_task_is_answered_with_its_button_not_started(talk, text, task):
    t = talk(text)
    assert _tasks(t) == [], (text, t.flow_stack, t.text)
    assert "confirm who you are" not in t.text
    assert task in _offered(t), (text, _offered(t))
    assert t.messages[0].source != "flow" and t.messages[0].text
    assert t.route.decided_by == "question:rules" and t.route.label == "fallback"
    assert task in t.route.reason and "“" in t.route.reason  # says which task and which words decided


@pytest.mark.slow
@pytest.mark.parametrize("text,task", REQUESTS)
def test_a_request_still_starts_its_task(talk, text, task):
    t = talk(text)
    assert task in t.flow_stack, (text, t.route, t.text)


# Polite requests about the shopper's own order or item, found answered as rules questions by
# language-model shoppers (issue #15 part 1), verbatim; and rules questions in the same polite forms.
POLITE_REQUESTS = [
    ("could I change some stuff in an order I placed? it hasn't shipped yet", "change_order_items"),
    ("exchange a gaming mouse I got for a different kind, would that be ok?", "exchange_items"),
    # the router sends the whole to fallback ("if that's possible" tips it): the request, its tail left off, starts
    ("I'd like to return something I ordered, if that's possible?", "return_items"),
    pytest.param("Need to cancel an order.", "cancel_order"),
]
POLITE_QUESTIONS = [
    ("can you change the address after an order shipped?", "change_order_address"),
    ("what can I change on a pending order?", "change_order_items"),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,task", POLITE_REQUESTS)
def test_a_polite_request_about_the_shoppers_own_order_starts_the_task(talk, text, task):
    t = talk(text)
    assert task in t.flow_stack, (text, t.route, t.text)
    assert t.route.decided_by != "question:rules"


@pytest.mark.slow
@pytest.mark.parametrize("text,task", POLITE_QUESTIONS)
def test_a_polite_question_about_the_rules_is_answered_with_the_button(talk, text, task):
    t = talk(text)
    assert _tasks(t) == [], (text, t.flow_stack, t.text)
    assert task in _offered(t), (text, _offered(t))
    assert t.route.decided_by == "question:rules"


@pytest.mark.slow
def test_a_question_and_a_request_get_the_answer_then_the_task(talk):
    t = talk("Where does the refund for a return go? I want to return my headphones.")
    assert "return_items" in t.flow_stack, (t.route, t.text)
    assert t.route.decided_by == "question:and_request"
    assert t.messages[0].source != "flow" and "refund" in t.messages[0].text.lower()
    assert "confirm who you are" in t.messages[-1].text  # then the task begins: sign in first


@pytest.mark.slow
def test_a_question_inside_a_task_keeps_the_task(talk, engine, answerer):
    conv = engine().replace(answerer=answerer).new_conversation()
    conv.send("I want to return my headphones")
    t = conv.send("can I return opened items?")
    assert "return_items" in t.flow_stack and t.route.decided_by != "question:rules"


def test_a_general_question_offers_no_task(rules_engine):
    t = rules_engine().new_conversation().send("what's the weather like in Boston?")
    assert _tasks(t) == [] and t.route.decided_by != "question:rules"


def test_the_keyword_router_answers_questions_too(rules_engine):
    t = rules_engine().new_conversation().send("Can I cancel an order after it shipped?")
    assert _tasks(t) == [] and t.route.decided_by == "question:rules" and "cancel_order" in t.route.reason


@pytest.mark.parametrize("text,kind", [
    ("Can I exchange a shirt for a pair of shoes?", "question"),
    ("Is it possible to return an item without the box?", "question"),
    ("Do you accept returns on sale items?", "question"),
    ("I'd like to know whether I can cancel after it shipped", "question"),
    ("Could you tell me how exchanges work?", "question"),
    ("If it already shipped, can I still cancel?", "question"),
    ("can you cancel my order #W1234567?", "request"),
    ("Is it possible to cancel order #W1234567?", "request"),
    ("can I order a blue kettle?", "request"),
    ("I got a package and the box was wet. Can I return it?", "request"),
    ("How do I return my headphones?", "request"),
    ("what's in my order?", "request"),
    ("I want to return my headphones, can I get the refund on a gift card?", "both"),
    ("What's your return window? I want to return the lamp.", "both"),
    ("My order arrived damaged.", None),
    # a thing of the shopper's said with their own past act is theirs: leave to act on it is a request
    ("could I change some stuff in an order I placed? it hasn't shipped yet", "request"),
    ("Could I cancel an order I placed? I don't need it anymore.", "request"),
    ("would it be ok if I returned a jacket I bought from you?", "request"),
    ("would it be possible to check where my headphones are?", "request"),
    ("exchange a gaming mouse I got for a different kind, would that be ok?", "request"),  # leave, asked
    # ... unless a time frame or a condition is what the rule turns on, or it is any thing, or "how"
    ("can I change the color of something I ordered before it ships?", "question"),
    ("Can I add another product to an order I already placed?", "question"),
    ("can I return anything I bought?", "question"),
    ("how do I return something I bought?", "question"),
    ("how can I find out where my order is?", "question"),
    ("would it be ok to return opened items?", "question"),
    # indirect frames read like the direct ones ("I was wondering if I can" = "can I", "do you think you could" =
    # "could you"); a thing of theirs said elsewhere in the message still makes "where is it?" theirs
    ("I was wondering if I can swap the size of the jacket I got", "request"),
    ("I was wondering if I can return opened items", "question"),
    ("do you think you could set a new default address for me?", "request"),
    ("is there any way I can get the backpack I ordered in grey instead?", "request"),
    ("i want to see my past orders", "request"),
    ("got the umbrella but we no longer have a balcony, can I return it?", "request"),
    ("hola, my order of the espresso machine, where it is now?", "request"),
    ("my headphones still havent shown up. whats going on with the delivery", "request"),
    ("how do i change my profile address? new place is 77 Lake Dr", "request"),
    ("can I return items I no longer need?", "question"),
    # asking for a person is the request, however it is asked; whether one can see the chat, or be reached
    # some other time, is a question
    ("Is it at all possible to speak with someone from your team?", "request"),
    ("is there a live agent available?", "request"),
    ("Can a human see what we've discussed so far?", "question"),
    ("is there a way to reach a human later if I need one?", "question"),
    # a hedge before the wish is still the wish (train 279)
    ("Hi, I think I want to return a couple of things from an order, the dumbbell set and the makeup kit. "
     "Is that possible?", "request"),
    ("I think it arrived broken", None),
    # polite asks for someone to do it are requests, unless a condition is what they turn on
    ("would it be possible for someone to cancel the order I placed yesterday?", "request"),
    ("would it be possible for someone to cancel an order after it shipped?", "question"),
    ("Hi there! Just wondering if you could look up my order for me?", "request"),
    ("I was wondering if someone could change my shipping address", "request"),
    ("i was wondering if you can change an order after it shipped", "question"),
    # a person named in the story, asked for again
    ("An agent helped me with my refund last month. Could I speak to her again?", "request"),
    ("Can I talk to them about the rules for returns?", "question"),
    # "could you" said inside a hedge ("reckon you could", "is there any way you could", "tell me you can") is
    # still "could you"; the shopper's saved address is theirs to change
    ("do you reckon you could cancel my pending order?", "request"),
    ("is there a way you could send my order to my mum's place instead?", "request"),
    ("please just tell me you can swap the jacket to a medium", "request"),
    ("do you think you can change an order after it ships?", "question"),
    ("would it be possible to change my home address?", "request"),
    ("can I change my address once the order has shipped?", "question"),
])
def test_the_shape_of_a_message_decides(text, kind):
    assert read_message(text).kind == kind, [(c.kind, c.cue) for c in read_message(text).clauses]


def test_a_long_odd_message_is_read_quickly():
    import time

    for text in ("ok. " * 1000, "can you tell me if i can " * 160 + "?", "how do i " * 440 + "?"):
        t0 = time.perf_counter()
        read_message(text[:4000])  # the engine reads at most MAX_TEXT = 4000 characters
        assert time.perf_counter() - t0 < 0.5, text[:40]
