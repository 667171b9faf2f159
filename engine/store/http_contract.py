"""The HTTP store contract: one endpoint per store action, as pydantic models both sides import.

The client (`http_store.HttpStore`) validates every answer with these models and the reference
server (`http_server`) declares its routes with them, so `schemas/store_http.openapi.json`
(generated from the server) cannot drift from what the client accepts. Request bodies are built
from `actions.ACTIONS`, the same specs the flow validator checks flows against.

Every action is `POST /v1/actions/<name>` with a JSON body, reads included: emails, names and zip
codes then never appear in URLs or access logs. Document models allow extra fields, because a
shop's system may carry more than the engine reads; the client returns documents as received.
"""
from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from .actions import ACTIONS, ActionSpec

API_PREFIX: Final = "/v1"
IDEMPOTENCY_HEADER: Final = "Idempotency-Key"
ACTING_FOR_HEADER: Final = "X-Shoptalk-Acting-For"  # "user:<user_id>" or "staff"; absent = nobody signed in
REPLAYED_HEADER: Final = "Idempotent-Replayed"


class _Doc(BaseModel):
    """A store document: the fields the engine relies on; anything else the shop sends is kept."""

    model_config = ConfigDict(extra="allow")


class Address(_Doc):
    address1: str
    address2: str = ""
    city: str
    country: str
    state: str
    zip: str


class Name(_Doc):
    first_name: str
    last_name: str


class PaymentMethod(_Doc):
    id: str
    source: str = Field(description="credit_card, paypal or gift_card")
    brand: str | None = None
    last_four: str | None = None
    balance: float | None = Field(None, description="gift cards only")


class User(_Doc):
    name: Name
    address: Address
    email: str
    payment_methods: dict[str, PaymentMethod]
    orders: list[str]


class OrderItem(_Doc):
    name: str
    product_id: str
    item_id: str
    price: float
    options: dict[str, Any]


class Fulfillment(_Doc):
    tracking_id: list[str]
    item_ids: list[str]


class PaymentEntry(_Doc):
    transaction_type: Literal["payment", "refund"]
    amount: float
    payment_method_id: str


class Order(_Doc):
    order_id: str
    user_id: str
    address: Address
    items: list[OrderItem]
    fulfillments: list[Fulfillment]
    status: str
    payment_history: list[PaymentEntry]


class Variant(_Doc):
    item_id: str
    options: dict[str, Any]
    available: bool
    price: float


class Product(_Doc):
    name: str
    product_id: str
    variants: dict[str, Variant]


class OrderSummary(BaseModel):
    order_id: str
    status: str
    items: list[str]
    total: float


class Ticket(BaseModel):
    ticket_id: str
    message: str


class Handoff(BaseModel):
    ticket_id: str
    user_id: str | None
    summary: str
    created: str


class WriteLogEntry(BaseModel):
    seq: int
    at: str
    op: str
    as_user: str | None
    user_id: str | None
    order_id: str | None


class StoreExport(BaseModel):
    """The whole store in the seed files' shape (for tests, drives and migrations)."""

    users: dict[str, User]
    orders: dict[str, Order]
    products: dict[str, Product]


class ErrorBody(BaseModel):
    code: str = Field(description="stable, machine-readable; the policy codes are listed in docs/store_http.md")
    message: str = Field(description="one sentence the assistant says to the shopper as it is")


class ErrorResponse(BaseModel):
    """Every non-2xx answer. A refusal (4xx other than 401) means nothing was changed."""

    error: ErrorBody


class ResetResult(BaseModel):
    reset: bool


# What each action answers, by action name (the engine's flows read these shapes).
RESULTS: Final[dict[str, Any]] = {
    "find_user_id_by_email": str,
    "find_user_id_by_name_zip": str,
    "get_user_details": User,
    "get_order_details": Order,
    "get_product_details": Product,
    "list_all_product_types": dict[str, str],
    "find_product": Product,
    "list_user_orders": list[OrderSummary],
    "cancel_pending_order": Order,
    "modify_pending_order_address": Order,
    "modify_pending_order_payment": Order,
    "modify_pending_order_items": Order,
    "return_delivered_order_items": Order,
    "exchange_delivered_order_items": Order,
    "modify_user_address": User,
    "place_order": Order,
    "transfer_to_human_agents": Ticket,
}

_PARAM_TYPES: Final[dict[str, Any]] = {"str": str, "list[str]": list[str], "bool": bool, "dict": dict[str, Any]}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _request_model(spec: ActionSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for p in spec.params:
        annotation = _PARAM_TYPES[p.type]
        default = ... if p.required else (False if p.type == "bool" else None)
        if not p.required and p.type != "bool":
            annotation = annotation | None
        fields[p.name] = (annotation, default)
    return create_model(f"{_camel(spec.name)}Request", __config__=ConfigDict(extra="forbid"), **fields)


def _response_model(name: str) -> type[BaseModel]:
    return create_model(f"{_camel(name)}Response", result=(RESULTS[name], ...))


REQUESTS: Final[dict[str, type[BaseModel]]] = {name: _request_model(spec) for name, spec in ACTIONS.items()}
RESPONSES: Final[dict[str, type[BaseModel]]] = {name: _response_model(name) for name in ACTIONS}
if set(RESULTS) != set(ACTIONS):  # pragma: no cover - a new action needs its result shape here
    raise RuntimeError(f"http_contract.RESULTS does not cover {sorted(set(ACTIONS) ^ set(RESULTS))}")

# Admin endpoints: exports and the write log for tests and audits, reset for scripted drives.
ADMIN_RESPONSES: Final[dict[str, type[BaseModel]]] = {
    "export": create_model("ExportResponse", result=(StoreExport, ...)),
    "write-log": create_model("WriteLogResponse", result=(list[WriteLogEntry], ...)),
    "handoffs": create_model("HandoffsResponse", result=(list[Handoff], ...)),
    "reset": create_model("ResetResponse", result=(ResetResult, ...)),
}


def action_path(name: str) -> str:
    return f"{API_PREFIX}/actions/{name}"


def admin_path(name: str) -> str:
    return f"{API_PREFIX}/admin/{name}"


# HTTP status of each refusal code the engine's own policy raises (any other refusal code: 409).
REFUSAL_STATUS: Final[dict[str, int]] = {
    "not_authenticated": 403, "not_your_order": 403,
    "user_not_found": 404, "order_not_found": 404, "product_not_found": 404,
    "bad_arguments": 422, "unknown_action": 404,
}

# Contract errors: the engine's side of the call was wrong or the server is busy; never shown as is.
UNAUTHORIZED: Final = "unauthorized"                          # 401: missing or wrong bearer token
IDEMPOTENCY_KEY_REQUIRED: Final = "idempotency_key_required"  # 400: a write without a key
IDEMPOTENCY_KEY_REUSED: Final = "idempotency_key_reused"      # 422: the key came with another request
IDEMPOTENCY_IN_PROGRESS: Final = "idempotency_in_progress"    # 409: the first request with the key still runs
RESET_DISABLED: Final = "reset_disabled"                      # 403: the server was started without reset
BAD_ACTING_FOR: Final = "bad_acting_for"                      # 400: X-Shoptalk-Acting-For is malformed
CONTRACT_CODES: Final = frozenset({UNAUTHORIZED, IDEMPOTENCY_KEY_REQUIRED, IDEMPOTENCY_KEY_REUSED,
                                   IDEMPOTENCY_IN_PROGRESS, RESET_DISABLED, BAD_ACTING_FOR})

# What the engine says when the backend cannot give an answer (codes of the StoreError it raises).
STORE_UNAVAILABLE: Final = "store_unavailable"
STORE_BAD_RESPONSE: Final = "store_bad_response"
STORE_WRITE_UNKNOWN: Final = "store_write_unknown"
STORE_MISCONFIGURED: Final = "store_misconfigured"
SHOPPER_MESSAGES: Final[dict[str, str]] = {
    STORE_UNAVAILABLE: "I can't reach the shop's order system right now, so nothing was changed. "
                       "Please try again in a few minutes.",
    STORE_BAD_RESPONSE: "The shop's order system sent an answer I couldn't read, so nothing was changed. "
                        "Please try again in a few minutes.",
    STORE_WRITE_UNKNOWN: "The shop's order system didn't confirm that change, so I can't tell whether it went "
                         "through. Please check your order in a few minutes before asking again.",
    STORE_MISCONFIGURED: "The shop's order system turned my request down for a technical reason, so nothing was "
                         "changed. Please try again later.",
}


def refusal_status(code: str) -> int:
    return REFUSAL_STATUS.get(code, 409)
