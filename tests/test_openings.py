"""First messages whose request comes first and details after (issue #14, through the trained router
and `Conversation.send`): the details are read by the flow the opening clause asks for, and a
general question shaped the same way stays an open question."""
from __future__ import annotations


def test_a_request_followed_by_pasted_details_starts_the_task(engine):
    t = engine().new_conversation().send(
        "For #W7736983, exchange Coffee Maker {'color': 'black', 'capacity': '4 cups', 'type': 'espresso'} "
        "to {'color': 'stainless steel', 'type': 'drip', 'features': 'built-in grinder'}; via paypal_6840891.")
    assert "exchange_items" in t.flow_stack, (t.route, t.text)
    assert t.route.decided_by == "request_head" and "exchange Coffee Maker" in t.route.reason


def test_an_outside_question_with_details_stays_an_open_question(engine):
    for text in ("can you tell me how to change the oil in my car: step by step",
                 "what's the weather like in Boston: rain or sun?"):
        t = engine().new_conversation().send(text)
        assert t.active_flow is None and t.route.label == "fallback", (text, t.route)


def test_where_the_refund_goes_is_never_a_return(engine):
    """"... cancel it and refund my paypal": the refund part says where a cancel's money goes back; it
    started a return once several parts were read as tasks."""
    for text in ("the blender i ordered isnt needed anymore, got one as a gift. cancel it and refund my paypal",
                 "cancel order #W1234567 and refund it to my original card please"):
        t = engine().new_conversation().send(text)
        assert "return_items" not in t.flow_stack, (text, t.route, t.flow_stack)
