"""Questions inside a task ("how much will I get back?") answered from the real seeded store.

Every expected figure is computed here from the seed JSON files on their own (prices summed and
rounded, method names spelled out), never by calling the module under test, so a wrong sum, a wrong
direction or a wrong card shows up as a failure. The None cases are slot answers a shopper gives in
the same flows: they must reach the flow, not be taken for questions.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.dialogue.task_questions import TOPICS, TaskAnswer, answer_task_question, confirmation_money
from engine.flows.loader import load_flows
from engine.slots.types import SlotEnv
from engine.store import STAFF

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "engine" / "store" / "seed"
USERS = json.loads((SEED / "users.json").read_text(encoding="utf-8"))
ORDERS = json.loads((SEED / "orders.json").read_text(encoding="utf-8"))
PRODUCTS = json.loads((SEED / "products.json").read_text(encoding="utf-8"))
FLOWS = load_flows(ROOT / "flows", root=ROOT)


def usd(x: float) -> str:
    return f"${abs(round(x, 2)):,.2f}"


def spoken(user_id: str, method_id: str) -> str:
    m = USERS[user_id]["payment_methods"][method_id]
    if m["source"] == "credit_card":
        return f"your {m['brand'].title()} ending {m['last_four']}"
    return "your gift card" if m["source"] == "gift_card" else "PayPal"


def env_for(store, user_id, flow_id=None, values=None) -> SlotEnv:
    """As TurnContext.env builds it: the store, the signed-in shopper, the values, the flow's slots."""
    slots = dict(FLOWS.flows[flow_id].slots) if flow_id else {}
    return SlotEnv(store, user_id, dict(values or {}), slots, scope=dict, _cache={})


def ask(store, text, user_id, flow_id=None, values=None) -> TaskAnswer | None:
    return answer_task_question(text, env_for(store, user_id, flow_id, values), flow_id, dict(values or {}))


def methods(user_id, source):
    return [m["id"] for m in USERS[user_id]["payment_methods"].values() if m["source"] == source]


def first_order(status, cond=lambda o, u: True):
    return next(o for o in ORDERS.values() if o["status"] == status and cond(o, USERS[o["user_id"]]))


def alternatives(item, pick):
    """Available variants of the item's product other than the item, the one `pick` (min/max by price) chooses."""
    alts = [v for v in PRODUCTS[item["product_id"]]["variants"].values()
            if v["available"] and v["item_id"] != item["item_id"]]
    return pick(alts, key=lambda v: v["price"])


def paid_by_card_with_gift(o, u):
    return (len(o["items"]) >= 2 and o["payment_history"][0]["payment_method_id"].startswith("credit_card")
            and any(m["source"] == "gift_card" for m in u["payment_methods"].values()))


RETURN = first_order("delivered", paid_by_card_with_gift)
PENDING_CARD = first_order("pending", lambda o, u: o["payment_history"][0]["payment_method_id"].startswith("credit"))
PENDING_GIFT = first_order("pending", lambda o, u: o["payment_history"][0]["payment_method_id"].startswith("gift"))
CANCELLED = first_order("cancelled")


# -- refund ---------------------------------------------------------------------------------------------
def test_return_refund_is_the_sum_of_the_chosen_items_to_the_chosen_method(store):
    uid, oid = RETURN["user_id"], RETURN["order_id"]
    chosen = RETURN["items"][:2]
    gift = methods(uid, "gift_card")[0]
    values = {"order_id": oid, "return_item_ids": [i["item_id"] for i in chosen], "refund_method": gift}
    expected = usd(sum(i["price"] for i in chosen))
    answer = ask(store, "how much will I get back?", uid, "return_items", values)
    assert answer.topic == "refund"
    assert f"{expected} back to your gift card" in answer.text
    assert confirmation_money("return_items", values, env_for(store, uid, "return_items", values)) == \
        f"You'll get {expected} back to your gift card."


def test_return_refund_before_a_method_is_chosen_names_where_it_may_go(store):
    uid, oid = RETURN["user_id"], RETURN["order_id"]
    item = RETURN["items"][0]
    values = {"order_id": oid, "return_item_ids": [item["item_id"]]}
    answer = ask(store, "where does my refund go?", uid, "return_items", values)
    original = spoken(uid, RETURN["payment_history"][0]["payment_method_id"])
    assert usd(item["price"]) in answer.text and original in answer.text and "gift card" in answer.text
    assert confirmation_money("return_items", values, env_for(store, uid)) is None  # no method yet


def test_cancel_refund_is_the_order_total_back_to_the_original_method(store):
    for order, when in ((PENDING_CARD, "within 5 to 7 business days"), (PENDING_GIFT, "at once")):
        uid, oid = order["user_id"], order["order_id"]
        pid = order["payment_history"][0]["payment_method_id"]
        total = usd(sum(p["amount"] for p in order["payment_history"]))
        answer = ask(store, "If I cancel, how much do I get back and when?", uid, "cancel_order", {"order_id": oid})
        assert answer.topic == "refund"
        assert f"{total} back to {spoken(uid, pid)} {when}" in answer.text
        assert confirmation_money("cancel_order", {"order_id": oid}, env_for(store, uid)) == \
            f"You'll get {total} back to {spoken(uid, pid)}."


def test_stated_cancel_refund_is_what_the_store_then_refunds(store):
    uid, oid = PENDING_CARD["user_id"], PENDING_CARD["order_id"]
    said = confirmation_money("cancel_order", {"order_id": oid}, env_for(store, uid))
    after = store.cancel_pending_order(oid, "no longer needed", as_user=uid)
    refunded = sum(p["amount"] for p in after["payment_history"] if p["transaction_type"] == "refund")
    assert usd(refunded) in said


# -- price difference -------------------------------------------------------------------------------------
def _exchange_case(pick):
    order = next(o for o in ORDERS.values() if o["status"] == "delivered" and methods(o["user_id"], "credit_card")
                 and methods(o["user_id"], "gift_card"))
    item = order["items"][0]
    return order, item, alternatives(item, pick)


@pytest.mark.parametrize("pick", [max, min])
def test_exchange_price_difference_and_its_direction(store, pick):
    order, item, new = _exchange_case(pick)
    uid, diff = order["user_id"], round(new["price"] - item["price"], 2)
    card = methods(uid, "credit_card")[0]
    values = {"order_id": order["order_id"], "exchange_item_ids": [item["item_id"]],
              "new_item_ids": [new["item_id"]], "payment_method_id": card}
    answer = ask(store, "what's the price difference?", uid, "exchange_items", values)
    assert answer.topic == "price_difference"
    words = (f"you pay {usd(diff)} more with {spoken(uid, card)}" if diff > 0
             else f"you get {usd(diff)} back to {spoken(uid, card)}")
    assert words in answer.text
    said = confirmation_money("exchange_items", values, env_for(store, uid))
    assert said == "You'll " + words.removeprefix("you ") + "."
    done = store.exchange_delivered_order_items(order["order_id"], [item["item_id"]], [new["item_id"]], card,
                                                as_user=uid)
    assert usd(done["exchange_price_difference"]) in said  # what was said is what the store recorded


def test_item_change_in_a_pending_order_uses_its_own_slots(store):
    order = PENDING_CARD
    item = order["items"][0]
    new = alternatives(item, max)
    uid, pid = order["user_id"], order["payment_history"][0]["payment_method_id"]
    values = {"order_id": order["order_id"], "modify_item_ids": [item["item_id"]], "new_item_ids": [new["item_id"]],
              "payment_method_id": pid}
    answer = ask(store, "do I have to pay more for that?", uid, "change_order_items", values)
    diff = round(new["price"] - item["price"], 2)
    assert answer.topic == "price_difference" and usd(diff) in answer.text
    assert ("more" if diff > 0 else "back") in answer.text


def test_gift_card_that_cannot_cover_the_difference_is_said(store):
    def case():
        for o in ORDERS.values():
            gifts = methods(o["user_id"], "gift_card")
            if o["status"] != "delivered" or not gifts:
                continue
            balance = USERS[o["user_id"]]["payment_methods"][gifts[0]]["balance"]
            for item in o["items"]:
                new = alternatives(item, max) if len(PRODUCTS[item["product_id"]]["variants"]) > 1 else None
                if new and new["price"] - item["price"] > balance:
                    return o, item, new, gifts[0], balance
    order, item, new, gift, balance = case()
    values = {"order_id": order["order_id"], "exchange_item_ids": [item["item_id"]],
              "new_item_ids": [new["item_id"]], "payment_method_id": gift}
    answer = ask(store, "how much more will it cost?", order["user_id"], "exchange_items", values)
    assert f"gift card has {usd(balance)} left" in answer.text


def test_difference_before_the_new_option_is_known_gives_the_price_range(store):
    order, item, _ = _exchange_case(max)
    prices = [v["price"] for v in PRODUCTS[item["product_id"]]["variants"].values()
              if v["available"] and v["item_id"] != item["item_id"]]
    values = {"order_id": order["order_id"], "exchange_item_ids": [item["item_id"]]}
    answer = ask(store, "will it be cheaper?", order["user_id"], "exchange_items", values)
    assert usd(item["price"]) in answer.text and usd(min(prices)) in answer.text and usd(max(prices)) in answer.text


# -- orders -------------------------------------------------------------------------------------------------
def test_which_payment_method_paid_the_order(store):
    uid, oid = RETURN["user_id"], RETURN["order_id"]
    pid = RETURN["payment_history"][0]["payment_method_id"]
    answer = ask(store, "which card did I use for this order?", uid, "return_items", {"order_id": oid})
    assert answer.topic == "paid_with"
    assert f"{spoken(uid, pid)} ({usd(RETURN['payment_history'][0]['amount'])})" in answer.text


def test_order_dates_are_not_invented(store):
    uid, oid = RETURN["user_id"], RETURN["order_id"]
    answer = ask(store, "when did I place this order?", uid, "return_items", {"order_id": oid})
    assert answer.topic == "order_dates"
    assert "doesn't record dates" in answer.text
    assert RETURN["fulfillments"][0]["tracking_id"][0] in answer.text
    listed = USERS[uid]["orders"]
    assert f"number {listed.index(oid) + 1} of the {len(listed)}" in answer.text


def test_latest_order_is_the_last_one_on_the_account(store):
    uid = RETURN["user_id"]
    last = USERS[uid]["orders"][-1]
    answer = ask(store, "which one is my most recent order?", uid, "return_items", {"order_id": RETURN["order_id"]})
    assert answer.topic == "latest_order" and last in answer.text
    assert ORDERS[last]["status"] in answer.text


def test_tracking_numbers_and_unshipped_orders(store):
    uid = RETURN["user_id"]
    shipped = ask(store, "what's the tracking number?", uid, "return_items", {"order_id": RETURN["order_id"]})
    assert shipped.topic == "tracking" and RETURN["fulfillments"][0]["tracking_id"][0] in shipped.text
    pending = ask(store, "tracking number please", PENDING_CARD["user_id"], "cancel_order",
                  {"order_id": PENDING_CARD["order_id"]})
    assert "hasn't shipped" in pending.text and "no tracking number" in pending.text


def test_has_item_yes_no_and_which_order(store):
    uid, oid = RETURN["user_id"], RETURN["order_id"]
    inside = RETURN["items"][0]
    yes = ask(store, f"is the {inside['name'].lower()} in this order?", uid, "return_items", {"order_id": oid})
    assert yes.topic == "has_item" and yes.text.startswith("Yes") and usd(inside["price"]) in yes.text
    held = {i["product_id"] for o in USERS[uid]["orders"] for i in ORDERS[o]["items"]}
    absent = next(p for p in PRODUCTS.values() if p["product_id"] not in held)
    no = ask(store, f"did I order a {absent['name'].lower()}?", uid, "return_items", {"order_id": oid})
    assert no.text.startswith("No") and absent["name"] in no.text
    which = ask(store, f"which order has the {inside['name'].lower()}?", uid)
    expected = [o for o in USERS[uid]["orders"]
                if any(i["product_id"] == inside["product_id"] for i in ORDERS[o]["items"])]
    assert all(o in which.text for o in expected)


def test_another_shoppers_order_is_not_revealed(store):
    uid = RETURN["user_id"]
    other = next(o for o in ORDERS.values() if o["user_id"] != uid)
    answer = ask(store, f"what's the tracking number of {other['order_id']}?", uid, "return_items")
    assert "couldn't find" in answer.text
    assert not any(t in answer.text for f in other["fulfillments"] for t in f["tracking_id"])


def test_signed_out_shoppers_get_no_order_facts(store):
    answer = ask(store, "what's my tracking number?", None, "return_items", {"order_id": RETURN["order_id"]})
    assert answer.topic == "tracking" and "#W" not in answer.text and "sign" in answer.text


# -- options ------------------------------------------------------------------------------------------------
def test_available_options_count_and_values(store):
    product = next(p for p in PRODUCTS.values() if any(not v["available"] for v in p["variants"].values())
                   and all("color" in v["options"] for v in p["variants"].values()))
    available = [v for v in product["variants"].values() if v["available"]]
    listing = ask(store, f"what options does the {product['name'].lower()} come in?", RETURN["user_id"])
    assert listing.topic == "options" and f"has {len(available)} option" in listing.text
    colors = sorted({v["options"]["color"] for v in available})
    answer = ask(store, f"which colors are available for the {product['name'].lower()}?", RETURN["user_id"])
    assert f"{len(colors)} color" in answer.text and all(c in answer.text for c in colors)


def test_options_of_the_item_being_exchanged_without_naming_it(store):
    order, item, _ = _exchange_case(max)
    values = {"order_id": order["order_id"], "exchange_item_ids": [item["item_id"]]}
    answer = ask(store, "how many options are there?", order["user_id"], "exchange_items", values)
    n = sum(v["available"] for v in PRODUCTS[item["product_id"]]["variants"].values())
    assert answer.topic == "options" and item["name"] in answer.text and f"{n} option" in answer.text


# -- undo a cancellation ----------------------------------------------------------------------------------------
def test_a_cancelled_order_cannot_be_reopened(store):
    uid, oid = CANCELLED["user_id"], CANCELLED["order_id"]
    answer = ask(store, f"can you reopen order {oid}?", uid)
    assert answer.topic == "undo_cancel" and "can't be reopened" in answer.text
    refund = sum(p["amount"] for p in CANCELLED["payment_history"] if p["transaction_type"] == "refund")
    assert usd(refund) in answer.text
    assert "/checkout" in [b.payload for b in answer.buttons]


def test_undo_while_still_cancelling_is_left_to_the_flow(store):
    values = {"order_id": PENDING_CARD["order_id"]}
    assert ask(store, "undo my cancellation", PENDING_CARD["user_id"], "cancel_order", values) is None
    outside = ask(store, "please undo my cancellation", PENDING_CARD["user_id"], None, values)
    assert "isn't cancelled" in outside.text


# -- answers are not questions --------------------------------------------------------------------------------
ANSWERS = ["the lamp", "to my gift card", "all of them", "yes", "no", "the first one", "my gift card",
           "refund to my gift card", "to the original payment method", "the blue one, size L", "I want the red one",
           "no longer needed", "I ordered it by mistake", "paypal", "use my gift card", "both",
           "can I get the refund on my gift card?", "could you refund it to my visa?",
           "can I exchange it for the red one?", "I'd like to return the helmet", "exchange it for a red one",
           '/inform{"refund_method": "gift_card_1"}', "what are my payment options?"]


@pytest.mark.parametrize("flow_id", ["return_items", "exchange_items", "cancel_order", "change_order_items"])
def test_slot_answers_are_not_questions(store, flow_id):
    order = RETURN if flow_id in ("return_items", "exchange_items") else PENDING_CARD
    item_slot = {"return_items": "return_item_ids", "exchange_items": "exchange_item_ids",
                 "change_order_items": "modify_item_ids"}.get(flow_id)
    values = {"order_id": order["order_id"], **({item_slot: [order["items"][0]["item_id"]]} if item_slot else {})}
    caught = {t: a.topic for t in ANSWERS if (a := ask(store, t, order["user_id"], flow_id, values))}
    assert caught == {}


def test_topics_are_the_documented_ones():
    assert set(TOPICS) == {"refund", "return_refund", "price_difference", "shortfall", "paid_with", "order_dates",
                           "latest_order", "options", "has_item", "tracking", "undo_cancel", "picked", "balance",
                           "task_card"}


def test_long_and_adversarial_messages_get_an_answer_or_none(store):
    """Handled without error (their speed is a bench figure: bench/extract_bench.py, long inputs)."""
    for text in ("how much " * 4000, "is the " + "a-" * 20000 + " available?", "when " * 8000 + "?"):
        got = ask(store, text, RETURN["user_id"], "return_items", {"order_id": RETURN["order_id"]})
        assert got is None or got.topic in TOPICS


def test_payment_change_and_checkout_confirmations_state_the_money(store):
    order = next(o for o in ORDERS.values()
                 if o["status"] == "pending" and len(USERS[o["user_id"]]["payment_methods"]) > 1)
    uid, old = order["user_id"], order["payment_history"][0]["payment_method_id"]
    new = next(m for m in USERS[uid]["payment_methods"] if m != old)
    amount = usd(order["payment_history"][0]["amount"])
    values = {"order_id": order["order_id"], "new_payment_method_id": new}
    assert confirmation_money("change_order_payment", values, env_for(store, uid)) == \
        f"You'll pay {amount} with {spoken(uid, new)} and get {amount} back to {spoken(uid, old)}."
    variants = [v for p in list(PRODUCTS.values())[:2] for v in list(p["variants"].values())[:1]]
    cart = {"cart": [v["item_id"] for v in variants], "payment_method_id": old}
    assert confirmation_money("checkout", cart, env_for(store, uid)) == \
        f"You'll pay {usd(sum(v['price'] for v in variants))} with {spoken(uid, old)}."
    assert confirmation_money("change_order_address", {"order_id": order["order_id"]}, env_for(store, uid)) is None


def test_questions_about_other_things_are_left_alone(store):
    order, item, _ = _exchange_case(max)
    values = {"order_id": order["order_id"], "exchange_item_ids": [item["item_id"]]}
    for text in ("why was I charged a fee on my card?", "when will my new card arrive?",
                 "how long is the warranty on the laptop?", "what time is it?"):
        assert ask(store, text, order["user_id"], "exchange_items", values) is None, text
    # with no product in play, "what are my options?" asks for help, not for a product's variants
    assert ask(store, "what are my options?", order["user_id"]) is None
    assert ask(store, "what are my options?", order["user_id"], "exchange_items", values).topic == "options"
