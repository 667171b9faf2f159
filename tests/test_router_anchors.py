"""A message naming this shop's things (an order, an item, a catalogue product) is not a bank's or a general
assistant's question: the public data sets' fallback topics are discounted for it (no model needed)."""
from __future__ import annotations

import numpy as np
import pytest

from engine.router.anchors import BANK_ANCHOR, discount_external, discount_intents, external_mask, intent_mask, shop_anchor

CLASSES = ["return_items", "fallback:banking77 1: request_refund, ...", "fallback:clinc150 1: oos, ...",
           "fallback:questions about the shop's rules"]
EXTERNAL = external_mask(CLASSES)


@pytest.mark.parametrize("text", ["return an item", "refund for the kettle", "where is #W2378156",
                                  "do I have any orders that haven't been delivered?", "the Pet Bed I bought"])
def test_shop_things_are_anchors(text):
    assert shop_anchor().search(text)


@pytest.mark.parametrize("text", ["my card payment was declined", "what's the weather tomorrow", "I was charged twice"])
def test_a_bank_or_assistant_question_names_nothing_of_the_shop(text):
    assert not shop_anchor().search(text)


def test_a_bank_topic_leading_an_anchored_message_gives_way_to_the_flow():
    pc = np.array([0.25, 0.6, 0.05, 0.1])
    out = discount_external("refund for an item i received", pc, EXTERNAL, 0.1)
    assert CLASSES[int(out.argmax())] == "return_items" and abs(out.sum() - 1) < 1e-9


def test_without_an_anchor_or_with_the_shop_topic_leading_nothing_changes():
    pc = np.array([0.25, 0.6, 0.05, 0.1])
    assert discount_external("I was charged twice, can I get a refund?", pc, EXTERNAL, 0.1) is pc
    rules = np.array([0.2, 0.1, 0.1, 0.6])  # a question about the shop's rules stays one
    assert discount_external("can I return an opened item?", rules, EXTERNAL, 0.1) is rules
    assert discount_external("return an item", pc, EXTERNAL, 1.0) is pc  # the setting off


INTENTS = intent_mask(CLASSES)


@pytest.mark.parametrize("text", ["The top-up is broken.", "my ATM withdrawal failed", "what's the exchange rate",
                                  "I forgot my PIN", "the bank transfer hasn't arrived"])
def test_a_bank_thing_named_without_the_shop_turns_a_task_shaped_message_away(text):
    pc = np.array([0.8, 0.1, 0.05, 0.05])  # "... is broken" reads as a return
    out = discount_intents(text, pc, INTENTS, 0.1)
    assert BANK_ANCHOR.search(text) and CLASSES[int(out.argmax())].startswith("fallback")


@pytest.mark.parametrize("text", ["return the kettle, it's broken", "the top-up card in my order #W2378156 is broken",
                                  "change my shipping address", "cancel my pending order"])
def test_shop_requests_keep_their_task(text):
    pc = np.array([0.8, 0.1, 0.05, 0.05])
    assert discount_intents(text, pc, INTENTS, 0.1) is pc
