"""Named slot validations that flow designers reference in YAML (`check: order_pending`).

Each check is `(store, value, user_id) -> None` and raises StoreError with a sentence naming the
value, so the flow can re-ask with a useful reason. Order checks always go through `as_user`, so a
check can never reveal the status of someone else's order.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from .errors import StoreError

Check = Callable[[Any, Any, "str | None"], None]


def _signed_in(user_id: str | None) -> str:
    if user_id is None:
        raise StoreError("not_authenticated", "I need to verify who you are first: your email, or your name and zip code.")
    return user_id


def _order(store: Any, value: Any, user_id: str | None) -> dict[str, Any]:
    return store.get_order_details(str(value), as_user=_signed_in(user_id))


def order_of_user(store: Any, value: Any, user_id: str | None) -> None:
    _order(store, value, user_id)


def order_pending(store: Any, value: Any, user_id: str | None) -> None:
    """Pending in any form ("pending" or "pending (item modified)"): not yet shipped."""
    order = _order(store, value, user_id)
    if not order["status"].startswith("pending"):
        raise StoreError("order_not_pending",
                         f"Order {order['order_id']} is {order['status']}, not pending, so it can't be changed "
                         "or cancelled.")


def order_modifiable(store: Any, value: Any, user_id: str | None) -> None:
    """Exactly "pending": items already modified once lock the order against further changes."""
    order = _order(store, value, user_id)
    if order["status"] != "pending":
        why = (" because its items were already modified once" if order["status"].startswith("pending")
               else f"; it is {order['status']}, not pending")
        raise StoreError("order_not_pending",
                         f"Order {order['order_id']} can't be changed or cancelled anymore{why}.")


def order_delivered(store: Any, value: Any, user_id: str | None) -> None:
    order = _order(store, value, user_id)
    if order["status"] != "delivered":
        raise StoreError("order_not_delivered",
                         f"Order {order['order_id']} is {order['status']}, not delivered, so it can't be "
                         "returned or exchanged.")


def user_exists_email(store: Any, value: Any, user_id: str | None) -> None:
    store.find_user_id_by_email(str(value))


def product_exists(store: Any, value: Any, user_id: str | None) -> None:
    store.find_product(str(value))


def variant_available(store: Any, value: Any, user_id: str | None) -> None:
    item_id = str(value).strip()
    for product_id in store.list_all_product_types().values():
        product = store.get_product_details(product_id)
        variant = product["variants"].get(item_id)
        if variant is not None:
            if not variant["available"]:
                raise StoreError("variant_not_available",
                                 f"Item {item_id} ({product['name']}) is out of stock at the moment.")
            return
    raise StoreError("variant_not_found", f"We don't have an item with id {item_id}.")


def _method(store: Any, value: Any, user_id: str | None) -> dict[str, Any]:
    user = store.get_user_details(_signed_in(user_id), as_user=user_id)
    method = user["payment_methods"].get(str(value).strip())
    if method is None:
        raise StoreError("payment_method_not_found", f"The payment method {value} isn't saved on your account.")
    return method


def payment_method_of_user(store: Any, value: Any, user_id: str | None) -> None:
    _method(store, value, user_id)


def gift_card_of_user(store: Any, value: Any, user_id: str | None) -> None:
    if _method(store, value, user_id).get("source") != "gift_card":
        raise StoreError("not_a_gift_card", f"{value} is not one of your gift cards.")


CHECKS: Mapping[str, Check] = MappingProxyType({f.__name__: f for f in (
    order_of_user, order_pending, order_modifiable, order_delivered, user_exists_email, product_exists,
    variant_available, payment_method_of_user, gift_card_of_user)})

# Checks that read the shopper's own data and so can only run once someone is signed in.
NEEDS_USER = frozenset({"order_of_user", "order_pending", "order_modifiable", "order_delivered",
                        "payment_method_of_user", "gift_card_of_user"})

__all__ = ["CHECKS", "NEEDS_USER", "Check"]
