"""Who a store operation acts for: the store's own wall behind the engine's slot checks.

Every operation that reads or writes a user or an order takes `as_user`, the shopper signed in to
the conversation, and refuses any other user's data. `None` (nobody signed in) is refused too:
the wall fails closed. Staff tools (seed replays, the CLI, tests) pass `STAFF`, an object that no
JSON payload, slot or conversation state can produce.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .errors import StoreError


class _Staff:
    """The principal of staff tools; compared by identity, never by value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "STAFF"


STAFF: Final = _Staff()
Principal = "str | _Staff | None"

NOT_SIGNED_IN = "I need to verify who you are first: your email, or your name and zip code."


def principal_user(as_user: Any) -> str | None:
    """The shopper a call acts for (None for STAFF); refuses a missing or malformed principal."""
    if as_user is STAFF:
        return None
    if not isinstance(as_user, str) or not as_user.strip():
        raise StoreError("not_authenticated", NOT_SIGNED_IN)
    return as_user.strip()


def check_user(user_id: Any, as_user: Any) -> None:
    """Only the signed-in shopper's own account (or staff)."""
    shopper = principal_user(as_user)
    if shopper is not None and str(user_id).strip() != shopper:
        raise StoreError("not_your_order", "I can only show or change your own account.")


def check_owner(order: Mapping[str, Any], as_user: Any) -> None:
    """Only the signed-in shopper's own orders (or staff)."""
    shopper = principal_user(as_user)
    if shopper is not None and order["user_id"] != shopper:
        raise StoreError(
            "not_your_order",
            f"Order {order['order_id']} isn't one of your orders, so I can't look at it or change it.",
        )
