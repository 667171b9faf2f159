"""The one interface every store backend offers (SQLite, PostgreSQL, HTTP): what flows, checks, the
policy replays, the service and the CLI call. `open_store(url)` picks the backend; nothing above the
store names a backend class.

Contract for implementers:
- Every order/user operation takes keyword `as_user`: the signed-in shopper's user id, or `STAFF`
  (engine.store.access) for staff tools. Refuse other users' data with StoreError("not_your_order")
  and a missing principal with StoreError("not_authenticated") (see access.py).
- A refused read or write raises `StoreError(code, shopper_sentence)` and changes nothing. The codes
  are the ones policy.py, access.py and checks.py raise; flows branch on them.
- A backend that cannot be reached (database down, connection killed, HTTP backend dead) raises
  `StoreUnavailable`, never StoreError: the turn fails as a whole (the service answers 503 with
  Retry-After) instead of telling the shopper their request was refused.
- Results are seed-shaped dicts (engine/store/seed/*.json): a user, an order, a product exactly as
  `export_data()` would show them after the operation.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class Store(Protocol):
    """The shop's users, orders and products; names and semantics follow tau-bench's retail tools."""

    @property
    def url(self) -> str:
        """Where the store lives, as `open_store` accepts it again (may hold a password: log
        `engine.store.redact_url(store.url)`)."""
        ...

    # -- lifecycle ------------------------------------------------------------------------------------
    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...

    def reset(self) -> None:
        """Rebuild everything (handoff tickets and the write log included) from the seed files."""
        ...

    def export_data(self) -> dict[str, dict[str, Any]]:
        """One consistent snapshot in the seed files' shape: {"users": {id: doc}, "orders": ..., "products": ...}."""
        ...

    def export(self, path: str | Path) -> Path:
        """`export_data()` written as indented JSON to `path`."""
        ...

    # -- reads ----------------------------------------------------------------------------------------
    def find_user_id_by_email(self, email: str) -> str: ...

    def find_user_id_by_name_zip(self, first_name: str, last_name: str, zip: str) -> str: ...

    def get_user_details(self, user_id: str, *, as_user: Any) -> dict[str, Any]: ...

    def get_order_details(self, order_id: str, *, as_user: Any) -> dict[str, Any]: ...

    def get_product_details(self, product_id: str) -> dict[str, Any]: ...

    def list_all_product_types(self) -> dict[str, str]:
        """Product name -> product id, sorted by name."""
        ...

    def find_product(self, name_or_id: str) -> dict[str, Any]:
        """By product id, or by name ignoring case, spaces and hyphens ("t shirt" finds "T-Shirt")."""
        ...

    def list_user_orders(self, user_id: str, *, as_user: Any) -> list[dict[str, Any]]:
        """[{"order_id", "status", "items": [names], "total"}] in the user's order list order."""
        ...

    def write_log(self) -> list[dict[str, Any]]:
        """Every write, oldest first: {"seq", "at", "op", "as_user", "user_id", "order_id"}."""
        ...

    def list_handoffs(self) -> list[dict[str, Any]]:
        """[{"ticket_id", "user_id", "summary", "created"}], oldest first."""
        ...

    # -- writes (each one atomic: the policy check and the change see the same state) ------------------
    def cancel_pending_order(self, order_id: str, reason: str, *, as_user: Any) -> dict[str, Any]: ...

    def modify_pending_order_address(self, order_id: str, address1: str, address2: str, city: str, state: str,
                                     country: str, zip: str, *, as_user: Any) -> dict[str, Any]: ...

    def modify_pending_order_payment(self, order_id: str, payment_method_id: str, *,
                                     as_user: Any) -> dict[str, Any]: ...

    def modify_pending_order_items(self, order_id: str, item_ids: list[str], new_item_ids: list[str],
                                   payment_method_id: str, *, as_user: Any,
                                   allow_unchanged: bool = False) -> dict[str, Any]: ...

    def return_delivered_order_items(self, order_id: str, item_ids: list[str], payment_method_id: str, *,
                                     as_user: Any) -> dict[str, Any]: ...

    def exchange_delivered_order_items(self, order_id: str, item_ids: list[str], new_item_ids: list[str],
                                       payment_method_id: str, *, as_user: Any,
                                       allow_unchanged: bool = False) -> dict[str, Any]: ...

    def modify_user_address(self, user_id: str, address1: str, address2: str, city: str, state: str,
                            country: str, zip: str, *, as_user: Any) -> dict[str, Any]: ...

    def place_order(self, user_id: str, item_ids: list[str], address: dict[str, str] | None,
                    payment_method_id: str, *, as_user: Any) -> dict[str, Any]:
        """Checkout; `address` None ships to the user's default address. Returns the new order."""
        ...

    def transfer_to_human_agents(self, summary: str, user_id: str | None = None) -> dict[str, Any]:
        """{"ticket_id": "HT-000001", "message": shopper sentence}."""
        ...
