"""The money a task moves, computed from the store exactly as `engine/store/policy.py` will move it.

A shopper half-way through a return or an exchange asks "how much will I get back?", and every
confirmation should state the amount: both must agree with what the store write then does, so the
figures come from the same policy functions (`pick_items`, `new_variant`, `money`) and the same
order/user/product documents, read as the signed-in shopper through `SlotEnv`. Nothing here writes,
and nothing is guessed: a missing slot or a record the store doesn't have gives None.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..slots.types import SlotEnv
from ..store import policy
from ..store.errors import StoreError

# flow id -> (items slot, new items slot, payment slot) for the two item swaps the policy prices alike.
SWAP_SLOTS: dict[str, tuple[str, str, str]] = {
    "exchange_items": ("exchange_item_ids", "new_item_ids", "payment_method_id"),
    "change_order_items": ("modify_item_ids", "new_item_ids", "payment_method_id"),
}
SAME_PRICE = "the new items cost the same, so nothing is charged or refunded"


def ids(value: Any) -> list[str]:
    """Slot values for items are a list, or one id for single-item slots."""
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def method_phrase(env: SlotEnv, method_id: Any) -> str:
    """How a shopper names their own payment method: "your Visa ending 1234", "your gift card", "PayPal"."""
    method = ((env.user() or {}).get("payment_methods") or {}).get(str(method_id))
    if method is None:
        return f"payment method {method_id}"
    if method.get("source") == "credit_card":
        brand = str(method.get("brand") or "").title() or "card"
        return f"your {brand} ending {method.get('last_four', '')}"
    if policy.is_gift_card(method):
        return "your gift card"
    return "PayPal" if method.get("source") == "paypal" else f"payment method {method_id}"


def join_words(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1] if parts else ""


@dataclass(frozen=True)
class Transfer:
    """One amount moving to or from one of the shopper's payment methods."""

    amount: float
    method_id: str
    instant: bool   # gift cards are credited at once; cards and PayPal take 5 to 7 business days


@dataclass(frozen=True)
class ReturnRefund:
    """A return's refund: the chosen items' prices, to `method_id` once the shopper has picked it."""

    amount: float
    items: tuple[dict, ...]
    method_id: str | None
    allowed: tuple[str, ...]   # where it may go: the original payment method, then gift cards


@dataclass(frozen=True)
class Swap:
    """An exchange or item change priced as the policy prices it (`diff` > 0: the shopper pays)."""

    diff: float
    pairs: tuple[tuple[dict, dict], ...]   # (order item, new variant)
    method_id: str | None
    shortfall: float | None   # a gift card's balance when it doesn't cover `diff`


def is_instant(env: SlotEnv, method_id: str) -> bool:
    """Refunds to a gift card land at once (policy: `credit_gift_card`); others take 5 to 7 business days."""
    return policy.is_gift_card(((env.user() or {}).get("payment_methods") or {}).get(method_id) or {})


def _transfer(env: SlotEnv, method_id: str, amount: float) -> Transfer:
    return Transfer(policy.money(amount), method_id, is_instant(env, method_id))


def _per_method(env: SlotEnv, order: Mapping[str, Any], kind: str | None) -> list[Transfer]:
    """Payment-history amounts of one `kind` ("payment"/"refund"; None: every entry), summed per
    method in the order the methods first appear."""
    per: dict[str, float] = {}
    for entry in order.get("payment_history") or []:
        if kind is None or entry.get("transaction_type") == kind:
            pid = str(entry["payment_method_id"])
            per[pid] = per.get(pid, 0.0) + entry["amount"]
    return [_transfer(env, pid, amount) for pid, amount in per.items()]


def cancel_refunds(env: SlotEnv, order: Mapping[str, Any]) -> list[Transfer]:
    """What `policy.cancel_pending_order` refunds: every payment-history entry back to its method."""
    return _per_method(env, order, None)


def refunds_made(env: SlotEnv, order: Mapping[str, Any]) -> list[Transfer]:
    """Refund entries already in an order's payment history (a cancelled order's refund)."""
    return _per_method(env, order, "refund")


def payments_made(env: SlotEnv, order: Mapping[str, Any]) -> list[Transfer]:
    return _per_method(env, order, "payment")


def return_refund(env: SlotEnv, values: Mapping[str, Any]) -> ReturnRefund | None:
    """The refund of the items chosen so far (None until an order and at least one item are known)."""
    order = env.order(values.get("order_id"))
    chosen = ids(values.get("return_item_ids"))
    if not order or not chosen:
        return None
    try:
        items = policy.pick_items(order, chosen)
    except StoreError:
        return None
    method = values.get("refund_method")
    return ReturnRefund(policy.money(sum(it["price"] for it in items)), tuple(items),
                        str(method) if method else None, refund_destinations(env, order))


def refund_destinations(env: SlotEnv, order: Mapping[str, Any]) -> tuple[str, ...]:
    """Where `policy.return_order_items` lets a refund go: the original method, then any gift card."""
    history = order.get("payment_history") or []
    original = [str(history[0]["payment_method_id"])] if history else []
    gift = [m["id"] for m in ((env.user() or {}).get("payment_methods") or {}).values()
            if policy.is_gift_card(m) and m["id"] not in original]
    return tuple(original + gift)


def swap(env: SlotEnv, flow_id: str, values: Mapping[str, Any]) -> Swap | None:
    """The price difference once every chosen item has its replacement; None before that or when the
    store would refuse the swap (the flow then says why)."""
    if flow_id not in SWAP_SLOTS:
        return None
    items_slot, new_slot, pay_slot = SWAP_SLOTS[flow_id]
    order = env.order(values.get("order_id"))
    old_ids, new_ids = ids(values.get(items_slot)), ids(values.get(new_slot))
    if not order or not old_ids or len(old_ids) != len(new_ids):
        return None
    try:
        old_items = policy.pick_items(order, old_ids)
        products = {it["product_id"]: env.product(it["product_id"]) for it in old_items}
        if any(p is None for p in products.values()):
            return None
        variants = [policy.new_variant(products, old, new, allow_unchanged=True)  # the same one again: $0
                    for old, new in zip(old_items, new_ids)]
    except StoreError:
        return None
    diff = policy.money(sum(v["price"] - old["price"] for old, v in zip(old_items, variants)))
    method_id = values.get(pay_slot)
    method = ((env.user() or {}).get("payment_methods") or {}).get(str(method_id)) if method_id else None
    short = None
    if method is not None and policy.is_gift_card(method) and method.get("balance", 0.0) < diff:
        short = float(method.get("balance", 0.0))
    return Swap(diff, tuple(zip(old_items, variants)), str(method_id) if method_id else None, short)


def swap_words(env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> str:
    """Each item with what it becomes, "" before every item has its pick. A pending order's item left as it is is
    said so ("change Headphones (on-ear, white) to Headphones (over-ear, black), and keep Vacuum Cleaner (robotic) as
    it is"): two lists, old "to" new, read as if every item changed. A delivered item exchanged for the same options
    is replaced by a new one ("exchange Garden Hose (50ft, vinyl) for a new one with the same options")."""
    from ..slots.candidates import describe_item

    priced = swap(env, flow_id or "", values)
    if priced is None:
        return ""
    same = [old["item_id"] == new["item_id"] for old, new in priced.pairs]
    if flow_id == "exchange_items":
        return "exchange " + join_words([f"{describe_item(old)} for " + (
            "a new one with the same options" if kept else describe_item({**new, "name": old["name"]}))
            for (old, new), kept in zip(priced.pairs, same)])
    changed = [f"{describe_item(old)} to {describe_item({**new, 'name': old['name']})}"
               for (old, new), kept in zip(priced.pairs, same) if not kept]
    kept = [describe_item(old) for (old, _), k in zip(priced.pairs, same) if k]
    parts = ([f"change {join_words(changed)}"] if changed else []) + \
        ([f"keep {join_words(kept)} as {'it is' if len(kept) == 1 else 'they are'}"] if kept else [])
    return ", and ".join(parts) + (" (no option changes)" if not changed else "")


def free_swap_method(env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> str | None:
    """The order's own payment method when an item swap costs the same (no money moves, yet the store records a
    method): asking "which method should pay the difference?" after "nothing is charged" only puzzles the
    shopper. None: a difference to pay or refund, no swap yet, or the original method no longer the shopper's."""
    priced = swap(env, str(flow_id), values) if flow_id in SWAP_SLOTS else None
    if priced is None or priced.diff:
        return None
    history = (env.order(values.get("order_id")) or {}).get("payment_history") or []
    original = str(history[0]["payment_method_id"]) if history else None
    return original if original in ((env.user() or {}).get("payment_methods") or {}) else None


def difference_words(env: SlotEnv, diff: float, method_id: str | None) -> str:
    """"you pay $22.55 more with your Visa ending 1234" / "you get $7.99 back to your gift card"."""
    if diff > 0:
        return f"you pay {policy.fmt(diff)} more" + (f" with {method_phrase(env, method_id)}" if method_id else "")
    if diff < 0:
        return f"you get {policy.fmt(diff)} back" + (f" to {method_phrase(env, method_id)}" if method_id else "")
    return SAME_PRICE


def transfers_words(env: SlotEnv, transfers: list[Transfer], back: bool = False, timing: bool = False) -> str:
    """"$10.00 to your gift card and $20.00 to PayPal"; `back` says "$10.00 back to ...", `timing`
    adds when each arrives (gift cards at once, other methods in 5 to 7 business days)."""
    return join_words([f"{policy.fmt(t.amount)}{' back' if back else ''} to {method_phrase(env, t.method_id)}"
                       + ((" at once" if t.instant else " within 5 to 7 business days") if timing else "")
                       for t in transfers])


def cart_total(env: SlotEnv, cart: list[str]) -> float | None:
    """A checkout cart's total at today's catalogue prices (None if an item isn't in the catalogue)."""
    if not cart:
        return None
    prices: dict[str, float] = {}
    for pid in env.store.list_all_product_types().values():
        for vid, variant in ((env.product(pid) or {}).get("variants") or {}).items():
            prices[vid] = variant["price"]
    if any(item_id not in prices for item_id in cart):
        return None
    return policy.money(sum(prices[item_id] for item_id in cart))


def confirmation_money(flow_id: str | None, values: dict, env: SlotEnv) -> str | None:
    """The money sentence for a flow's confirmation, or None when the flow moves no money or its
    figures aren't all known yet."""
    if flow_id == "return_items":
        refund = return_refund(env, values)
        if refund is None or refund.method_id is None:
            return None
        return f"You'll get {policy.fmt(refund.amount)} back to {method_phrase(env, refund.method_id)}."
    if flow_id == "cancel_order":
        order = env.order(values.get("order_id"))
        transfers = cancel_refunds(env, order) if order else []
        return f"You'll get {transfers_words(env, transfers, back=True)}." if transfers else None
    if flow_id in SWAP_SLOTS:
        priced, pay = swap(env, flow_id, values), values.get(SWAP_SLOTS[flow_id][2])
        if priced is None:  # not priced (the store will say why): where any difference goes, as chosen
            return f"The price difference goes through {method_phrase(env, pay)}." if pay else None
        if priced.diff and priced.method_id is None:
            return None
        if not priced.diff:  # the store still records a method: named, so the shopper can change it here
            return ("The new items cost the same, so nothing is charged to or refunded to "
                    f"{method_phrase(env, pay)}." if pay else SAME_PRICE[0].upper() + SAME_PRICE[1:] + ".")
        return "You'll " + difference_words(env, priced.diff, priced.method_id).removeprefix("you ") + "."
    if flow_id == "change_order_payment":
        order = env.order(values.get("order_id"))
        new = values.get("new_payment_method_id")
        history = (order or {}).get("payment_history") or []
        if not history or not new:
            return None
        amount, old = history[0]["amount"], history[0]["payment_method_id"]
        return (f"You'll pay {policy.fmt(amount)} with {method_phrase(env, new)} and get {policy.fmt(amount)} "
                f"back to {method_phrase(env, old)}.")
    if flow_id == "checkout":
        cart, method = values.get("cart"), values.get("payment_method_id")
        total = cart_total(env, ids(cart)) if isinstance(cart, (list, tuple)) else None
        if total is None or not method:
            return None
        return f"You'll pay {policy.fmt(total)} with {method_phrase(env, method)}."
    return None


def amount_charged(flow_id: str | None, values: Mapping[str, Any], env: SlotEnv) -> tuple[str, float] | None:
    """(payment slot, amount) a flow will charge to the method in that slot, once the amount is known:
    the same figures the store's `require_balance` checks after the confirmation."""
    if flow_id in SWAP_SLOTS:
        pay_slot = SWAP_SLOTS[flow_id][2]
        priced = swap(env, flow_id, {**values, pay_slot: None})
        return (pay_slot, priced.diff) if priced is not None and priced.diff > 0 else None
    if flow_id == "change_order_payment":
        history = (env.order(values.get("order_id")) or {}).get("payment_history") or []
        return ("new_payment_method_id", history[0]["amount"]) if history else None
    if flow_id == "checkout":
        cart = values.get("cart")
        total = cart_total(env, ids(cart)) if isinstance(cart, (list, tuple)) else None
        return ("payment_method_id", total) if total else None
    return None


def short_of(method: Mapping[str, Any] | None, due: float) -> bool:
    """A gift card whose balance is below what is due (other methods are never short)."""
    return method is not None and policy.is_gift_card(method) and float(method.get("balance", 0.0)) < due


def payers(flow_id: str | None, env: SlotEnv, slot: str) -> list[str]:
    """The methods this payment question offers (its filter applied: an order's own method is no "other"
    one) that can pay what the flow charges there; all it offers when it charges nothing."""
    from ..slots.types import choices_for

    methods = (env.user() or {}).get("payment_methods") or {}
    slot_def = env.flow_slots.get(slot)
    offered = choices_for(slot_def, env) if slot_def is not None else None
    ids = [str(ch.value) for ch in offered] if offered is not None else list(methods)
    due = amount_charged(flow_id, env.values, env)
    if due is None or due[0] != slot:
        return ids
    return [pid for pid in ids if not short_of(methods.get(pid), due[1])]


NO_PAYER = "No other payment method on your account can pay it."


def no_payer(flow_id: str | None, options_named: bool = False) -> str:
    """What can still be done when no offered method can pay: said plainly, never the refused card again (just
    the fact when the options the card does cover are named next, as for an item swap)."""
    if options_named:
        return NO_PAYER
    if flow_id in SWAP_SLOTS:
        return (f"{NO_PAYER[:-1]}: you can pick cheaper options (tell me which item to change), keep the items as "
                "they are, or talk to a person.")
    if flow_id == "change_order_payment":  # the order's own method pays it already: it is no "other" one
        return ("No payment method on your account besides the one the order already uses can pay it, so I can't "
                "go ahead: you can keep the order's payment as it is, or talk to a person.")
    return f"{NO_PAYER[:-1]}, so I can't go ahead: you can keep things as they are, or talk to a person."
