"""What language-model shoppers found on tau-bench train tasks 310-329 (round 8): a goodbye said after
thanks answered "I don't have an answer to that", and another order named right after a finished
cancellation sent to "I can't see order details from here". Through `Conversation.send` with the
trained router, on the seed store (messages written for these tests)."""
from __future__ import annotations

ETHAN = "Ethan Lopez, zip 43275"  # pending #W6426438 (skateboard, ...) and #W9409203 (office chair, ...)


def _cancel_first(conv) -> None:
    for text in ("I need to cancel an order", ETHAN, "#W6426438", "no longer needed"):
        conv.send(text)
    assert "is cancelled" in conv.send("yes").text


def test_another_order_named_after_a_cancellation_is_cancelled_too(engine):
    """Train 317: "yes, the office chair one #W8770097, don't need it anymore" after the first cancellation."""
    conv = engine().new_conversation()
    _cancel_first(conv)
    t = conv.send("oh and #W9409203 as well please, the one with the office chair - no need for it now")
    assert "cancel_order" in t.flow_stack and t.slots.get("order_id") == "#W9409203", (t.route, t.text)


def test_a_status_question_after_a_cancellation_is_not_a_cancellation(engine):
    conv = engine().new_conversation()
    _cancel_first(conv)
    t = conv.send("where is #W9409203 right now?")
    assert "cancel order #W9409203" not in t.text, t.text


def test_thanks_then_goodbye_is_a_goodbye(engine):
    """Train 313: "Perfect, thanks! Have a good one." after a finished task got "I don't have an answer"."""
    conv = engine().new_conversation()
    _cancel_first(conv)
    t = conv.send("Great, thank you! Have a nice evening.")
    assert t.route.label == "goodbye", (t.route, t.text)
    assert "don't have an answer" not in t.text, t.text


def test_an_option_that_cannot_keep_the_rest_is_offered_without_contradicting_itself():
    """Train 319: "manual, same as now" got "No other Espresso Machine option is manual with the same capacity
    and pressure: 9 bar, 2L, manual ($2719.16)": the one it listed is manual."""
    from engine.slots.candidates import Candidate
    from engine.slots.options import resolve_option
    from engine.slots.scales import table

    def variant(value: str, pressure: str, capacity: str, kind: str, price: float) -> Candidate:
        options = {"pressure": pressure, "capacity": capacity, "type": kind}
        return Candidate(value, f"{pressure}, {capacity}, {kind}", "variant", terms=tuple(options.values()),
                         options=options, price=price)

    cands = [variant("a", "9 bar", "2L", "manual", 100.0), variant("b", "9 bar", "2L", "automatic", 120.0),
             variant("c", "15 bar", "1.5L", "capsule", 90.0)]
    now = {"item_id": "x", "options": {"pressure": "19 bar", "capacity": "1L", "type": "capsule"}, "price": 80.0}
    got = resolve_option("manual, same as now", cands, current=now, scales=table(None), product="Espresso Machine")
    assert got.offered == (0,) and not got.picked
    assert "No other" not in got.reason and "keeps your capacity and pressure" in got.reason, got.reason
    assert "The one that is manual: 9 bar, 2L, manual" in got.reason, got.reason
