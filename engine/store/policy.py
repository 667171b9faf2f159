"""The store policy (seed/wiki.md) as pure functions on seed-shaped dicts.

They mirror tau-bench's retail tools so its scenarios replay 1:1, but raise `StoreError` with a
shopper-facing sentence instead of returning "Error: ..." strings. Every function validates
everything before it mutates anything, and the store runs it inside a transaction, so a
rejection never leaves a half-applied change.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .errors import StoreError

CANCEL_REASONS = ("no longer needed", "ordered by mistake")
ADDRESS_FIELDS = ("address1", "address2", "city", "country", "state", "zip")  # seed key order


def money(amount: float) -> float:
    """Amounts are dollars with cents; float sums drift, so every stored amount is rounded."""
    return round(amount + 0.0, 2)


def fmt(amount: float) -> str:
    return f"${abs(amount):,.2f}"


def normalize_order_id(order_id: str) -> str:
    """Shoppers type 'w1234567' or '#W1234567 '; the seed always uses '#W1234567'."""
    oid = str(order_id).strip().upper()
    return oid if oid.startswith("#") or not oid else "#" + oid


def require_status(order: Mapping[str, Any], status: str, doing: str) -> None:
    """`doing` completes "so it can't be ...", e.g. "cancelled"."""
    if order["status"] != status:
        code = "order_not_pending" if status == "pending" else "order_not_delivered"
        hint = ""
        if status == "delivered" and order["status"] == "pending":
            hint = " You can cancel or change it instead."
        elif status == "pending" and order["status"] == "delivered":
            hint = " You can return or exchange items instead."
        raise StoreError(
            code,
            f"Order {order['order_id']} is {order['status']}, not {status}, so it can't be {doing}.{hint}",
        )


def payment_method(user: Mapping[str, Any], payment_method_id: str) -> dict[str, Any]:
    method = user["payment_methods"].get(payment_method_id)
    if method is None:
        raise StoreError(
            "payment_method_not_found",
            f"The payment method {payment_method_id} isn't saved on your account.",
        )
    return method


def is_gift_card(method: Mapping[str, Any]) -> bool:
    return method.get("source") == "gift_card"


def require_balance(method: Mapping[str, Any], amount: float) -> None:
    if is_gift_card(method) and method.get("balance", 0.0) < amount:
        raise StoreError(
            "insufficient_gift_card_balance",
            f"Gift card {method['id']} has {fmt(method.get('balance', 0.0))} left, "
            f"which doesn't cover {fmt(amount)}.",
        )


def credit_gift_card(method: dict[str, Any], amount: float) -> None:
    method["balance"] = money(method.get("balance", 0.0) + amount)


def make_address(address1: str, address2: str, city: str, state: str, country: str, zip: str) -> dict[str, str]:
    values = {"address1": address1, "address2": address2 or "", "city": city,
              "country": country, "state": state, "zip": zip}
    missing = [k for k in ADDRESS_FIELDS if k != "address2" and not str(values[k] or "").strip()]
    if missing:
        raise StoreError("invalid_address", f"The address is missing: {', '.join(missing)}.")
    return {k: str(values[k]).strip() for k in ADDRESS_FIELDS}


def pick_items(order: Mapping[str, Any], item_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Map each requested item id to a distinct line of the order (an order may hold duplicates)."""
    if not item_ids:
        raise StoreError("no_items", "Please tell me which items you mean.")
    used: set[int] = set()
    picked = []
    for item_id in item_ids:
        index = next((i for i, it in enumerate(order["items"])
                      if it["item_id"] == item_id and i not in used), None)
        if index is None:
            raise StoreError(
                "item_not_in_order",
                f"Item {item_id} isn't in order {order['order_id']}"
                + (" (or not that many times)." if any(it["item_id"] == item_id for it in order["items"]) else "."),
            )
        used.add(index)
        picked.append(order["items"][index])
    return picked


def item_index(products: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """item_id -> its product, because shoppers and tau name variants by item id only."""
    return {item_id: p for p in products.values() for item_id in p["variants"]}


def new_variant(products: Mapping[str, Mapping[str, Any]], old: Mapping[str, Any], new_item_id: str,
                allow_unchanged: bool) -> dict[str, Any]:
    """The variant `old` may become: same product, available, and (unless allowed) a real change."""
    product = products.get(old["product_id"], {"variants": {}})
    variant = product["variants"].get(new_item_id)
    if variant is None:
        other = item_index(products).get(new_item_id)
        if other is not None:
            raise StoreError(
                "different_product",
                f"Item {new_item_id} is a {other['name']}, but {old['name']} can only be swapped "
                f"for another {old['name']}.",
            )
        raise StoreError("variant_not_found", f"We don't have an item with id {new_item_id}.")
    if not variant["available"]:
        raise StoreError(
            "variant_not_available",
            f"The {old['name']} option {describe(variant['options'])} (item {new_item_id}) is out of stock.",
        )
    if new_item_id == old["item_id"] and not allow_unchanged:
        raise StoreError("same_item", f"Item {new_item_id} is the option you already have; pick a different one.")
    return variant


def describe(options: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in options.items())


def _swap_diff(order: Mapping[str, Any], products: Mapping[str, Mapping[str, Any]], item_ids: Sequence[str],
               new_item_ids: Sequence[str], allow_unchanged: bool) -> tuple[list, list, float]:
    if len(item_ids) != len(new_item_ids):
        raise StoreError(
            "item_count_mismatch",
            f"You listed {len(item_ids)} item(s) to change but {len(new_item_ids)} replacement(s); "
            "each item needs exactly one replacement.",
        )
    old_items = pick_items(order, item_ids)
    variants = [new_variant(products, old, new, allow_unchanged) for old, new in zip(old_items, new_item_ids)]
    diff = money(sum(v["price"] - old["price"] for old, v in zip(old_items, variants)))
    return old_items, variants, diff


def cancel_pending_order(order: dict[str, Any], user: dict[str, Any], reason: str) -> None:
    require_status(order, "pending", "cancelled")
    if reason not in CANCEL_REASONS:
        raise StoreError(
            "invalid_reason",
            f"An order can be cancelled because it's {' or '.join(repr(r) for r in CANCEL_REASONS)}.",
        )
    refunds = []
    for payment in order["payment_history"]:
        pid = payment["payment_method_id"]
        refunds.append({"transaction_type": "refund", "amount": payment["amount"], "payment_method_id": pid})
        method = user["payment_methods"].get(pid)
        if method is not None and is_gift_card(method):  # gift cards are refunded at once
            credit_gift_card(method, payment["amount"])
    order["status"] = "cancelled"
    order["payment_history"].extend(refunds)
    order["cancel_reason"] = reason


def modify_order_address(order: dict[str, Any], address: dict[str, str]) -> None:
    require_status(order, "pending", "changed")
    order["address"] = dict(address)


def modify_order_payment(order: dict[str, Any], user: dict[str, Any], payment_method_id: str) -> None:
    require_status(order, "pending", "changed")
    method = payment_method(user, payment_method_id)
    history = order["payment_history"]
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        raise StoreError(
            "payment_not_changeable",
            f"Order {order['order_id']} has more than one payment, so its payment method can't be changed.",
        )
    old_id, amount = history[0]["payment_method_id"], history[0]["amount"]
    if old_id == payment_method_id:
        raise StoreError(
            "same_payment_method",
            f"Order {order['order_id']} is already paid with {payment_method_id}; pick a different method.",
        )
    require_balance(method, amount)
    history.append({"transaction_type": "payment", "amount": amount, "payment_method_id": payment_method_id})
    history.append({"transaction_type": "refund", "amount": amount, "payment_method_id": old_id})
    if is_gift_card(method):
        credit_gift_card(method, -amount)
    old_method = user["payment_methods"].get(old_id)
    if old_method is not None and is_gift_card(old_method):
        credit_gift_card(old_method, amount)


def modify_order_items(order: dict[str, Any], user: dict[str, Any], products: Mapping[str, Mapping[str, Any]],
                       item_ids: Sequence[str], new_item_ids: Sequence[str], payment_method_id: str,
                       allow_unchanged: bool = False) -> None:
    require_status(order, "pending", "changed")
    old_items, variants, diff = _swap_diff(order, products, item_ids, new_item_ids, allow_unchanged)
    method = payment_method(user, payment_method_id)
    require_balance(method, diff)
    order["payment_history"].append({
        "transaction_type": "payment" if diff > 0 else "refund",
        "amount": abs(diff),
        "payment_method_id": payment_method_id,
    })
    if is_gift_card(method):
        credit_gift_card(method, -diff)
    for item, variant in zip(old_items, variants):
        item["item_id"] = variant["item_id"]
        item["price"] = variant["price"]
        item["options"] = dict(variant["options"])
    order["status"] = "pending (item modified)"


def return_order_items(order: dict[str, Any], user: dict[str, Any], item_ids: Sequence[str],
                       payment_method_id: str) -> None:
    require_status(order, "delivered", "returned")
    method = payment_method(user, payment_method_id)
    original = order["payment_history"][0]["payment_method_id"] if order["payment_history"] else None
    if payment_method_id != original and not is_gift_card(method):
        raise StoreError(
            "refund_method_not_allowed",
            f"A refund for order {order['order_id']} can go to the original payment method "
            f"({original}) or one of your gift cards, not {payment_method_id}.",
        )
    pick_items(order, item_ids)
    order["status"] = "return requested"
    order["return_items"] = sorted(item_ids)
    order["return_payment_method_id"] = payment_method_id


def exchange_order_items(order: dict[str, Any], user: dict[str, Any], products: Mapping[str, Mapping[str, Any]],
                         item_ids: Sequence[str], new_item_ids: Sequence[str], payment_method_id: str,
                         allow_unchanged: bool = False) -> None:
    require_status(order, "delivered", "exchanged")
    _, _, diff = _swap_diff(order, products, item_ids, new_item_ids, allow_unchanged)
    method = payment_method(user, payment_method_id)
    require_balance(method, diff)
    order["status"] = "exchange requested"
    order["exchange_items"] = sorted(item_ids)
    order["exchange_new_items"] = sorted(new_item_ids)
    order["exchange_payment_method_id"] = payment_method_id
    order["exchange_price_difference"] = diff


def modify_user_address(user: dict[str, Any], address: dict[str, str]) -> None:
    user["address"] = dict(address)


def new_order(order_id: str, user_id: str, user: dict[str, Any], products: Mapping[str, Mapping[str, Any]],
              item_ids: Sequence[str], address: dict[str, str], payment_method_id: str) -> dict[str, Any]:
    """Checkout: build a seed-shaped pending order, debit a gift card, and file it under the user."""
    if not item_ids:
        raise StoreError("empty_cart", "Your cart is empty, so there's nothing to order yet.")
    index = item_index(products)
    items = []
    for item_id in item_ids:
        product = index.get(item_id)
        if product is None:
            raise StoreError("variant_not_found", f"We don't have an item with id {item_id}.")
        variant = product["variants"][item_id]
        if not variant["available"]:
            raise StoreError(
                "variant_not_available",
                f"The {product['name']} option {describe(variant['options'])} (item {item_id}) is out of stock.",
            )
        items.append({"name": product["name"], "product_id": product["product_id"], "item_id": item_id,
                      "price": variant["price"], "options": dict(variant["options"])})
    total = money(sum(it["price"] for it in items))
    method = payment_method(user, payment_method_id)
    require_balance(method, total)
    if is_gift_card(method):
        credit_gift_card(method, -total)
    user["orders"].append(order_id)
    return {
        "order_id": order_id, "user_id": user_id, "address": dict(address), "items": items,
        "fulfillments": [], "status": "pending",
        "payment_history": [{"transaction_type": "payment", "amount": total, "payment_method_id": payment_method_id}],
    }
