"""Questions a shopper asks inside a task, answered from the store without leaving the task.

Half-way through a return, "how much will I get back?" used to get an FAQ quote or start a purchase.
`answer_task_question` recognises such questions (`task_cues`: question shape plus topic keywords,
so slot answers like "the lamp" are never taken for questions), reads the signed-in shopper's own
records through `SlotEnv`, and states only what those records hold: amounts come from `task_money`,
which prices things exactly as the store policy will. It returns None for anything else, and the
engine handles the message as it always did; the flow stays where it was either way.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..contracts import Button
from ..slots.candidates import describe_item, describe_options
from ..slots.cues import ORDER_NUMBER
from ..slots.normalize import NameIndex, option_pattern, words
from ..slots.types import SlotEnv
from ..store import policy
from . import task_money as m
from .task_card import task_card_answer
from .task_cues import cues, is_question, normalize
from .task_money import confirmation_money
from .task_picks import picked_answer
from .task_return_refund import return_refund_answer
from .task_shortfall import ABOUT_THE_CARD, balance_answer, shortfall_answer

__all__ = ["TOPICS", "TaskAnswer", "answer_task_question", "confirmation_money"]

TOPICS = ("refund", "return_refund", "price_difference", "shortfall", "paid_with", "order_dates", "latest_order",
          "options", "has_item", "tracking", "undo_cancel", "picked", "balance", "task_card")
REFUND_FLOWS = frozenset({"return_items", "cancel_order", "change_order_payment"})
_NOT_THE_CARD = frozenset({"balance", "money_back", "money_pay", "difference", "paid_with", "undo_cancel"})
_THIS_ORDER = re.compile(r"\b(this|that|it)\b|#?\bw\s?\d{7}\b")
_MAX_LISTED = 8


@dataclass(frozen=True)
class TaskAnswer:
    """What to tell the shopper; the flow in progress is left untouched."""

    text: str            # plain words, money as "$22.55"
    topic: str           # one of TOPICS
    buttons: list[Button] = field(default_factory=list)


def answer_task_question(text: str, env: SlotEnv, flow_id: str | None, values: dict,
                         pay_slot: str | None = None) -> TaskAnswer | None:
    """The answer to a question about the task at hand or the shopper's orders, or None when `text`
    is not such a question (or is one the store can't help with here). `pay_slot`: the task's slot of type
    `payment_method`, whose card "is that the Mastercard ending 6380?" asks about."""
    if str(text or "").lstrip().startswith("/"):
        return None  # a button or `/intent{...}` payload carries an answer, never a question
    found, low, values = cues(text), normalize(text), values or {}
    returned = return_refund_answer(low, env, flow_id) if is_question(text) else None
    if returned is not None:  # "doesn't the refund from my return go on it?" inside another task
        return TaskAnswer(returned, "return_refund")
    # a question no topic names, or one about the card itself ("would my gift card cover the black one?")
    short = shortfall_answer(low, env, flow_id, values) if env.user() is not None and is_question(text) \
        and (not found or ABOUT_THE_CARD.search(low)) else None
    if short is not None:  # "is there no way to do the white one with it?" with the card short of the difference
        return TaskAnswer(short[0], "shortfall", short[1])
    card = None if found & _NOT_THE_CARD else task_card_answer(text, env, flow_id, values, pay_slot)
    if card is not None:  # "is that the Mastercard ending 6380?": the card the task uses
        return TaskAnswer(card, "task_card")
    if not found:
        return None
    if "balance" in found and not found & {"money_back", "money_pay", "difference"}:
        return TaskAnswer(balance_answer(low, env), "balance") if env.user() is not None else _sign_in("balance")
    if "undo_cancel" in found:
        return _undo_cancel(low, env, flow_id, values)
    if found & {"money_back", "money_pay", "difference"} and (flow_id in REFUND_FLOWS or flow_id in m.SWAP_SLOTS):
        if env.user() is None:
            return _sign_in("price_difference" if flow_id in m.SWAP_SLOTS else "refund")
        return _price_difference(env, flow_id, values) if flow_id in m.SWAP_SLOTS else _refund(env, flow_id, values)
    for cue, answer in (("tracking", _tracking), ("paid_with", _paid_with), ("latest_order", _latest),
                        ("order_dates", _dates)):
        if cue in found:
            return answer(low, env, values) if env.user() is not None else _sign_in(cue)
    if "picked" in found and env.user() is not None:  # "which bookshelf did you pick for me?": the task's own
        said = picked_answer(_products_named(low, env), env, flow_id, values)
        if said is not None:
            return TaskAnswer(said, "picked")
    if "options" in found:
        answer = _options(low, env, flow_id, values)
        if answer is not None:
            return answer
    if "has_item" in found:
        mentioned = _products_named(low, env)
        if mentioned:
            return _has_item(low, env, values, mentioned) if env.user() is not None else _sign_in("has_item")
    return None


def _sign_in(topic: str) -> TaskAnswer:
    return TaskAnswer("I can look that up once I know who you are, so let's finish signing you in first.", topic)


# -- which order, which product ----------------------------------------------------------------------
def _orders_asked(low: str, env: SlotEnv, values: Mapping[str, Any]) -> tuple[list[dict], list[str]]:
    """(orders the question is about, order numbers it names that aren't the shopper's). An order
    number in the text wins, then the task's order, then every order on the account."""
    named = ["#W" + digits for digits in ORDER_NUMBER.findall(low)]
    if named:
        found = [(oid, env.order(oid)) for oid in dict.fromkeys(named)]
        return [o for _, o in found if o], [oid for oid, o in found if not o]
    current = env.order(values.get("order_id"))
    if current:
        return [current], []
    return [o for o in (env.order(oid) for oid in (env.user() or {}).get("orders", [])) if o], []


def _not_found(missing: list[str]) -> str:
    return f"I couldn't find {m.join_words(missing)} among your orders."


def _products_named(low: str, env: SlotEnv) -> set[str]:
    """Product ids the message names ("the lamp", "keyboards"), matched against the catalogue."""
    index = NameIndex({pid: name for name, pid in env.store.list_all_product_types().items()})
    known = set(index.heads) | {tok for entries in index.full.values() for toks, _ in entries for tok in toks}
    # A near miss of a short word is more often another word ("charge" is not a "charger").
    return {key for start, end, keys in index.find(low)
            if {w for _, _, w in words(low[start:end])} & known or end - start >= 7 for key in keys}


def _item_list(order: Mapping[str, Any]) -> str:
    return m.join_words([describe_item(it) for it in order.get("items") or []]) or "no items"


# -- money ---------------------------------------------------------------------------------------------
def _refund(env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> TaskAnswer:
    order = env.order(values.get("order_id"))
    if order is None:
        return TaskAnswer("I can work that out as soon as I know which order it is.", "refund")
    oid = order["order_id"]
    if flow_id == "cancel_order":
        refunds = m.cancel_refunds(env, order)
        if not refunds:
            return TaskAnswer(f"Order {oid} has no payments on record, so there is nothing to refund.", "refund")
        text = f"If you cancel order {oid}, you'll get {m.transfers_words(env, refunds, back=True, timing=True)}"
        total = policy.money(sum(t.amount for t in refunds))
        return TaskAnswer(text + (f", {policy.fmt(total)} in all." if len(refunds) > 1 else "."), "refund")
    if flow_id == "change_order_payment":
        history = order.get("payment_history") or []
        if not history:
            return TaskAnswer(f"Order {oid} has no payment on record.", "refund")
        amount, old = history[0]["amount"], str(history[0]["payment_method_id"])
        when = "at once" if m.is_instant(env, old) else "within 5 to 7 business days"
        text = f"You'll get the {policy.fmt(amount)} paid for order {oid} back to {m.method_phrase(env, old)} {when}"
        new = values.get("new_payment_method_id")
        text += f", and {m.method_phrase(env, new)} is charged {policy.fmt(amount)} instead." if new else "."
        return TaskAnswer(text, "refund")
    refund = m.return_refund(env, values)
    allowed, where = m.refund_destinations(env, order), ""
    if allowed:
        first, *gift = [m.method_phrase(env, pid) for pid in allowed]
        where = f" The refund can go to {first}, which paid for the order" + (f", or to {gift[0]}." if gift else ".")
    if refund is None:
        prices = m.join_words([f"{describe_item(it)} {policy.fmt(it['price'])}" for it in order["items"]])
        return TaskAnswer(f"You get back the price of each item you return from order {oid}: {prices}.{where}",
                          "refund")
    items = m.join_words([describe_item(it) for it in refund.items])
    if refund.method_id:
        where = f" to {m.method_phrase(env, refund.method_id)}"
        return TaskAnswer(f"You'll get {policy.fmt(refund.amount)} back{where} for {items}.", "refund")
    return TaskAnswer(f"You'll get {policy.fmt(refund.amount)} back for {items}.{where}", "refund")


def _price_difference(env: SlotEnv, flow_id: str, values: Mapping[str, Any]) -> TaskAnswer:
    priced = m.swap(env, flow_id, values)
    if priced is not None:
        swaps = m.join_words([f"{describe_item(old)} ({policy.fmt(old['price'])}) for "
                              f"{describe_options(new['options'])} ({policy.fmt(new['price'])})"
                              for old, new in priced.pairs])
        words = m.difference_words(env, priced.diff, priced.method_id)
        text = f"Swapping {swaps}: {words}."
        if priced.shortfall is not None:
            text += (f" Your gift card has {policy.fmt(priced.shortfall)} left, which doesn't cover that, "
                     "so another payment method is needed.")
        return TaskAnswer(text, "price_difference")
    order = env.order(values.get("order_id"))
    items_slot = m.SWAP_SLOTS[flow_id][0]
    chosen = m.ids(values.get(items_slot))
    if order is None or not chosen:
        return TaskAnswer("The difference depends on the items and the new options you pick; I'll work it out "
                          "as soon as I know them.", "price_difference")
    lines = []
    for item in [it for it in order["items"] if it["item_id"] in chosen]:
        product = env.product(item["product_id"]) or {}
        prices = [v["price"] for v in (product.get("variants") or {}).values()
                  if v.get("available") and v["item_id"] != item["item_id"]]
        span = (f"the other available options cost {policy.fmt(min(prices))} to {policy.fmt(max(prices))}"
                if prices else "no other option is available right now")
        lines.append(f"your {describe_item(item)} cost {policy.fmt(item['price'])}; {span}")
    return TaskAnswer("The difference is the new option's price minus what you paid: " + "; ".join(lines)
                      + ". Once you pick the new options I'll tell you the exact amount.", "price_difference")


# -- orders ----------------------------------------------------------------------------------------------
def _paid_with(low: str, env: SlotEnv, values: Mapping[str, Any]) -> TaskAnswer:
    orders, missing = _orders_asked(low, env, values)
    lines = [_not_found(missing)] if missing else []
    for order in orders:
        paid = m.payments_made(env, order)
        means = m.join_words([f"{m.method_phrase(env, t.method_id)} ({policy.fmt(t.amount)})" for t in paid])
        line = f"Order {order['order_id']} was paid with {means or 'nothing on record'}"
        refunded = m.refunds_made(env, order)
        lines.append(line + (f"; refunded: {m.transfers_words(env, refunded)}." if refunded else "."))
    return TaskAnswer(" ".join(lines) or "You have no orders yet.", "paid_with")


def _tracking_line(order: Mapping[str, Any]) -> str:
    oid, status = order["order_id"], order["status"]
    shipped = [f for f in order.get("fulfillments") or [] if f.get("tracking_id")]
    if not shipped:
        return f"Order {oid} is {status} and hasn't shipped, so it has no tracking number."
    names = {it["item_id"]: it["name"] for it in order.get("items") or []}
    parts = [f"{m.join_words([str(t) for t in f['tracking_id']])} (for "
             f"{m.join_words(list(dict.fromkeys(names.get(i, i) for i in f.get('item_ids') or [])))})"
             for f in shipped]
    label = "tracking number" if sum(len(f["tracking_id"]) for f in shipped) == 1 else "tracking numbers"
    return f"Order {oid} is {status}; {label}: {'; '.join(parts)}."


def _tracking(low: str, env: SlotEnv, values: Mapping[str, Any]) -> TaskAnswer:
    orders, missing = _orders_asked(low, env, values)
    lines = ([_not_found(missing)] if missing else []) + [_tracking_line(o) for o in orders]
    return TaskAnswer(" ".join(lines) or "You have no orders yet.", "tracking")


def _position(env: SlotEnv, oid: str) -> str:
    listed = (env.user() or {}).get("orders", [])
    if oid not in listed:
        return ""
    n = listed.index(oid) + 1
    return (" It's your only order." if len(listed) == 1 else
            f" It's number {n} of the {len(listed)} orders listed on your account.")


def _dates(low: str, env: SlotEnv, values: Mapping[str, Any]) -> TaskAnswer:
    orders, missing = _orders_asked(low, env, values)
    text = ("I'm afraid the store doesn't record dates for orders, so I can't say when one was placed, "
            "shipped or delivered.")
    if missing:
        text += " " + _not_found(missing)
    if len(orders) == 1:
        text += " What I can tell you: " + _tracking_line(orders[0]) + _position(env, orders[0]["order_id"])
    elif orders:
        text += " Your orders, as listed on your account: " + m.join_words(
            [f"{o['order_id']} ({o['status']})" for o in orders]) + "."
    return TaskAnswer(text, "order_dates")


def _latest(low: str, env: SlotEnv, values: Mapping[str, Any]) -> TaskAnswer:
    listed = (env.user() or {}).get("orders", [])
    last = env.order(listed[-1]) if listed else None
    if last is None:
        return TaskAnswer("You have no orders yet.", "latest_order")
    summary = f"{last['order_id']} ({last['status']}: {m.join_words([it['name'] for it in last['items']])})"
    if len(listed) == 1:
        return TaskAnswer(f"You have one order: {summary}.", "latest_order")
    text = (f"The store doesn't record order dates, but new orders are added at the end of your account's list, "
            f"and the last one there is {summary}.")
    asked, _ = _orders_asked(low, env, values)
    if len(asked) == 1 and asked[0]["order_id"] != last["order_id"] and _THIS_ORDER.search(low):
        text = f"Order {asked[0]['order_id']} isn't the last one on your account. " + text
    return TaskAnswer(text, "latest_order")


def _has_item(low: str, env: SlotEnv, values: Mapping[str, Any], products: set[str]) -> TaskAnswer:
    orders, missing = _orders_asked(low, env, values)
    wanted = m.join_words(sorted({(env.product(p) or {}).get("name", p) for p in products}))
    if missing and not orders:
        return TaskAnswer(_not_found(missing), "has_item")
    if len(orders) == 1:
        order = orders[0]
        hits = [it for it in order["items"] if it["product_id"] in products]
        if hits:
            return TaskAnswer(f"Yes, order {order['order_id']} has {m.join_words([describe_item(i) for i in hits])}"
                              f" ({m.join_words([policy.fmt(i['price']) for i in hits])}).", "has_item")
        return TaskAnswer(f"No, order {order['order_id']} has no {wanted}; it has {_item_list(order)}.", "has_item")
    with_it = [o for o in orders if any(it["product_id"] in products for it in o["items"])]
    if not with_it:
        return TaskAnswer(f"None of your orders has a {wanted}.", "has_item")
    return TaskAnswer(f"Your orders with a {wanted}: " + m.join_words(
        [f"{o['order_id']} ({o['status']})" for o in with_it]) + ".", "has_item")


def _undo_cancel(low: str, env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> TaskAnswer | None:
    buttons = [Button(title="Order the items again", payload="/checkout"),
               Button(title="Talk to a person", payload="/handoff")]
    rule = "A cancelled order can't be reopened"
    if env.user() is None:
        return TaskAnswer(f"{rule}, but you can place a new order for the same items.", "undo_cancel", buttons)
    orders, missing = _orders_asked(low, env, values)
    if missing and not orders:
        return TaskAnswer(_not_found(missing), "undo_cancel")
    cancelled = [o for o in orders if o["status"] == "cancelled"]
    if len(orders) == 1 and not cancelled:
        if flow_id == "cancel_order":
            return None  # not cancelled yet: the shopper is calling the cancellation off, a repair's job
        return TaskAnswer(f"Order {orders[0]['order_id']} isn't cancelled (it's {orders[0]['status']}), "
                          "so there's nothing to undo.", "undo_cancel")
    if not cancelled:
        return TaskAnswer("None of your orders is cancelled, so there's nothing to undo.", "undo_cancel")
    if len(cancelled) > 1:
        return TaskAnswer(f"{rule}: {m.join_words([o['order_id'] for o in cancelled])} stay cancelled. You can "
                          "place a new order for the same items.", "undo_cancel", buttons)
    order = cancelled[0]
    refunded = m.refunds_made(env, order)
    refund = f" Its refund was issued when it was cancelled: {m.transfers_words(env, refunded)}." if refunded else ""
    return TaskAnswer(f"{rule}, so order {order['order_id']} stays cancelled.{refund} If you still want "
                      f"{_item_list(order)}, you can place a new order for them.", "undo_cancel", buttons)


# -- options -----------------------------------------------------------------------------------------------
def _context_products(env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> list[str]:
    """The products the task is about when the question names none: the items being swapped or
    returned, the product being bought, or an order's only product."""
    slots = {"exchange_items": "exchange_item_ids", "change_order_items": "modify_item_ids",
             "return_items": "return_item_ids"}
    order = env.order(values.get("order_id"))
    if flow_id == "checkout" and values.get("product_id"):
        return [str(values["product_id"])]
    chosen = m.ids(values.get(slots.get(flow_id or "", ""))) if flow_id in slots else []
    items = [it for it in (order or {}).get("items", []) if not chosen or it["item_id"] in chosen]
    pids = list(dict.fromkeys(it["product_id"] for it in items))
    return pids if chosen or len(pids) == 1 else []


def _options(low: str, env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> TaskAnswer | None:
    """None when no product is named or in play: "what are my options?" alone asks for help."""
    pids = sorted(_products_named(low, env)) or _context_products(env, flow_id, values)
    products = [p for p in (env.product(pid) for pid in pids[:3]) if p]
    if not products:
        return None
    return TaskAnswer(" ".join(_options_of(low, p) for p in products), "options")


def _options_of(low: str, product: Mapping[str, Any]) -> str:
    name, variants = product["name"], list(product["variants"].values())
    available = [v for v in variants if v.get("available")]
    said = {val for v in variants for val in map(str, v["options"].values()) if _says(low, val)}
    if said:
        label = m.join_words(sorted(said))
        fits = [v for v in available if said <= set(map(str, v["options"].values()))]
        if not fits:
            return f"No, the {name} isn't available in {label} right now."
        return f"Yes, the {name} is available in {label}: {_listing(fits)}."
    keys = [k for k in (variants[0]["options"] if variants else {})
            if re.search(rf"\b{re.escape(k)}(s|es)?\b", low)]
    if keys and available:
        parts = [f"{len(vals)} {key}{'s' if len(vals) != 1 else ''} ({', '.join(vals)})" for key in keys
                 for vals in [sorted({str(v['options'][key]) for v in available})]]
        return f"The {name} is available now in {m.join_words(parts)}."
    if not available:
        return f"The {name} has no options available right now."
    count = f"{len(available)} option{'s' if len(available) != 1 else ''}"
    return f"The {name} has {count} available: {_listing(available)}."


def _says(low: str, value: str) -> bool:
    """The message names an option value; one-letter sizes only as "size M" ("I'm" holds an "m")."""
    if len(value) < 2:
        return bool(re.search(rf"\bsize\s+{re.escape(value.lower())}\b", low))
    return bool(re.search(rf"(?<![\w-]){option_pattern(value)}(?![\w-])", low))


def _listing(variants: list[dict]) -> str:
    shown = [f"{', '.join(str(x) for x in v['options'].values())} ({policy.fmt(v['price'])})"
             for v in variants[:_MAX_LISTED]]
    more = len(variants) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more else "")
