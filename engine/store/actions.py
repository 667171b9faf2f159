"""The store operations a flow may call, described as data.

The flow validator reads ACTIONS to reject unknown actions and wrong arguments before a
conversation ever runs; the flow engine calls `call_action`, which enforces the same specs at run
time and scopes every order/user operation to the signed-in shopper (`as_user`).
"""
from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .errors import StoreError


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str  # "str", "list[str]", "dict" or "bool"
    required: bool = True


@dataclass(frozen=True)
class ActionSpec:
    name: str
    params: tuple[ParamSpec, ...]
    write: bool
    description: str
    # True: only for a verified shopper; order/user arguments are checked to be theirs.
    needs_user: bool

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)


def _p(name: str, type: str = "str", required: bool = True) -> ParamSpec:
    return ParamSpec(name, type, required)


# `user_id` is optional wherever it appears with needs_user: call_action fills in the signed-in shopper.
_ADDRESS = (_p("address1"), _p("address2", required=False), _p("city"), _p("state"), _p("country"), _p("zip"))
# allow_unchanged: the flow offers the option the shopper has now ("the same one", a replacement)
_SWAP = (_p("order_id"), _p("item_ids", "list[str]"), _p("new_item_ids", "list[str]"), _p("payment_method_id"),
         _p("allow_unchanged", "bool", required=False))

_SPECS = (
    ActionSpec("find_user_id_by_email", (_p("email"),), False,
               "Find the user id for an email address (authentication).", False),
    ActionSpec("find_user_id_by_name_zip", (_p("first_name"), _p("last_name"), _p("zip")), False,
               "Find the user id by first name, last name and zip code (authentication).", False),
    ActionSpec("get_user_details", (_p("user_id", required=False),), False,
               "The shopper's profile: name, address, email, payment methods, order ids.", True),
    ActionSpec("get_order_details", (_p("order_id"),), False,
               "One of the shopper's orders with items, status, fulfillments and payments.", True),
    ActionSpec("get_product_details", (_p("product_id"),), False,
               "A product with all its variants, options, prices and availability.", False),
    ActionSpec("list_all_product_types", (), False, "Every product name mapped to its product id.", False),
    ActionSpec("find_product", (_p("name_or_id"),), False,
               "A product looked up by id or by name (case-insensitive).", False),
    ActionSpec("list_user_orders", (_p("user_id", required=False),), False,
               "Summaries (id, status, item names, total) of the shopper's orders.", True),
    ActionSpec("cancel_pending_order", (_p("order_id"), _p("reason")), True,
               "Cancel a pending order ('no longer needed' or 'ordered by mistake') and refund it.", True),
    ActionSpec("modify_pending_order_address", (_p("order_id"),) + _ADDRESS, True,
               "Change the shipping address of a pending order.", True),
    ActionSpec("modify_pending_order_payment", (_p("order_id"), _p("payment_method_id")), True,
               "Pay a pending order with a different saved payment method.", True),
    ActionSpec("modify_pending_order_items", _SWAP, True,
               "Swap items of a pending order for other options of the same product (once only).", True),
    ActionSpec("return_delivered_order_items",
               (_p("order_id"), _p("item_ids", "list[str]"), _p("payment_method_id")), True,
               "Request a return of delivered items, refunded to the original method or a gift card.", True),
    ActionSpec("exchange_delivered_order_items", _SWAP, True,
               "Request an exchange of delivered items for other options of the same product.", True),
    ActionSpec("modify_user_address", (_p("user_id", required=False),) + _ADDRESS, True,
               "Change the shopper's default address.", True),
    ActionSpec("place_order", (_p("user_id", required=False), _p("item_ids", "list[str]"),
                               _p("address", "dict", required=False), _p("payment_method_id")), True,
               "Check out: order available items (default address if none given), paid with a saved method.",
               True),
    ActionSpec("transfer_to_human_agents", (_p("summary"), _p("user_id", required=False)), True,
               "Hand the conversation to a human colleague with a summary; returns a ticket id.", False),
)

ACTIONS: Mapping[str, ActionSpec] = MappingProxyType({spec.name: spec for spec in _SPECS})


def _coerce(spec: ParamSpec, value: Any, action: str) -> Any:
    """Forgive what YAML and slot filling naturally produce (a zip as int, one item id as a string)."""
    if spec.type == "str":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str):
            return value
    elif spec.type == "list[str]":
        if isinstance(value, str):
            return [value]
        if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int)) for v in value):
            return [str(v) for v in value]
    elif spec.type == "bool":
        if isinstance(value, bool):
            return value
    elif spec.type == "dict":
        if value is None or isinstance(value, Mapping):
            return None if value is None else dict(value)
    raise StoreError("bad_arguments", f"{action}: argument {spec.name!r} should be {spec.type}, "
                                      f"not {type(value).__name__}.")


def call_action(store: Any, name: str, args: Mapping[str, Any], user_id: str | None) -> Any:
    """Run action `name` for the signed-in shopper `user_id` (None before authentication)."""
    spec = ACTIONS.get(name)
    if spec is None:
        raise StoreError("unknown_action", f"There is no store action called {name!r}.")
    args = dict(args or {})
    unknown = sorted(set(args) - {p.name for p in spec.params})
    if unknown:
        raise StoreError("bad_arguments", f"{name}: unknown argument(s) {', '.join(unknown)}.")
    if spec.needs_user and user_id is None:
        raise StoreError("not_authenticated",
                         "I need to verify who you are first: your email, or your name and zip code.")
    if spec.param("user_id") is not None and args.get("user_id") is None and user_id is not None:
        args["user_id"] = user_id
    missing = [p.name for p in spec.params if p.required and args.get(p.name) is None]
    if missing:
        raise StoreError("bad_arguments", f"{name}: missing argument(s) {', '.join(missing)}.")
    args = {k: _coerce(spec.param(k), v, name) for k, v in args.items() if v is not None or k == "address"}
    method = getattr(store, name)
    if "as_user" in inspect.signature(method).parameters:
        args["as_user"] = user_id
    if name == "place_order":
        args.setdefault("address", None)
    return method(**args)
