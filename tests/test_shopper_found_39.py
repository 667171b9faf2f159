"""LM shoppers, rounds 38-39 (train 111-122): a reason said with "really" ("an order that I don't really need
anymore") was asked again after the order was picked; "Yes, go ahead. After that I have another order to change too."
at a confirmation did the task but forgot the other order's change (the shopper had to ask again)."""
from __future__ import annotations

from conftest import payloads, talk


def test_a_reason_said_with_really_is_not_asked_again(engine):
    t = engine().new_conversation().send("Hi! I placed an order I don't really need anymore, can you cancel it?")
    assert "I no longer need it" in t.text, t.text


def test_another_change_announced_with_the_yes_is_asked_once_the_task_is_done(engine):
    conv = engine().new_conversation()
    *_, done, then = talk(conv, "I want to cancel an order", "Ivan Santos, 75277", "#W8770097", "no longer needed",
                          "Yes, go ahead. After that I have another order to change too.", "the shipping address")
    assert done.text.index("is cancelled") < done.text.index("Which change would you like to make on the other order?")
    assert "/change_order_address" in payloads(done), payloads(done)
    assert then.active_flow == "change_order_address" and "#W8770097" not in " ".join(payloads(then)), then.text
