"""What a slot picks from now: the candidate set for each slot type, titled by the slot's `display:`.

Kept apart from reading answers (pick.py and the pick_* modules) because the dialogue also needs the
set alone: the buttons of a question, the store check of a value, a summary's list order.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..flows.model import SlotDef
from ..store.errors import StoreError
from .candidates import (Candidate, address_candidates, item_candidates, order_candidates, payment_candidates,
                         variant_candidates)

if TYPE_CHECKING:
    from .types import SlotEnv


def check_error(slot: SlotDef, value: Any, env: "SlotEnv", check: str | None = None) -> str | None:
    from ..store.checks import CHECKS

    try:
        CHECKS[check or slot.check](env.store, value, env.user_id)
    except StoreError as exc:
        return exc.message
    return None


def current_target(slot: SlotDef, env: "SlotEnv", partial: list) -> tuple[dict | None, dict | None]:
    """For a variants slot: (the order item being changed now, its product)."""
    item_ids = env.values.get(slot.of or "") or []
    if isinstance(item_ids, str):
        item_ids = [item_ids]
    order = env.order_for(slot)
    if not order or len(partial) >= len(item_ids):
        return None, None
    item_id = item_ids[len(partial)]
    item = next((i for i in order["items"] if i["item_id"] == item_id), None)
    return item, (env.product(item["product_id"]) if item else None)


def bought_before(env: "SlotEnv", product: dict | None) -> dict | None:
    """The shopper's earlier purchase of this product (the newest), for "the same one as last time"."""
    if not product:
        return None
    for oid in reversed((env.user() or {}).get("orders", [])):
        for item in (env.order(oid) or {}).get("items", []):
            if item.get("product_id") == product.get("product_id"):
                return item
    return None


def user_orders(env: "SlotEnv") -> dict[str, dict | None]:
    user = env.user() or {}
    return {oid: env.order(oid) for oid in user.get("orders", [])}


def original_method(env: "SlotEnv") -> str | None:
    order = env.order(env.values.get("order_id"))
    payments = [p for p in (order or {}).get("payment_history", []) if p.get("transaction_type") == "payment"]
    return payments[0].get("payment_method_id") if payments else None


def _titled(slot: SlotDef, cands: list[Candidate]) -> list[Candidate]:
    """Titles from the slot's `display:` template (the default title when it fails to render)."""
    if slot.display is None:
        return cands
    out = []
    for c in cands:
        try:
            title = slot.display.render(dict(c.fields)).strip() or c.title
        except Exception:  # noqa: BLE001 - a designer's template must not break the question
            title = c.title
        out.append(Candidate(**{**c.__dict__, "title": title}))
    return out


def candidates_for(slot: SlotDef, env: "SlotEnv", partial: list | None = None, *,
                   checked: bool = True) -> list[Candidate] | None:
    """Everything the slot may pick from now (None: the set is not known yet, e.g. before sign-in)."""
    t, user = slot.type, env.user()
    if t == "order_id" and user:
        orders = user_orders(env)
        cands = order_candidates(user, orders)
        if checked and slot.check:
            cands = [c for c in cands if not check_error(slot, c.value, env)]
    elif t == "items":
        order = env.order_for(slot)
        if not order:
            return None
        cands = item_candidates(order)
    elif t in ("variants", "variant"):
        if t == "variants":
            item, product = current_target(slot, env, partial or [])
            current = item["item_id"] if item else None
        else:
            product, current = env.product(env.values.get(slot.of or "")), None
        if not product:
            return None
        cands = variant_candidates(product, current, slot.offer_current)
    elif t == "payment_method" and user:
        methods = list(user.get("payment_methods", {}).values())
        if slot.filter is not None:
            scope = env.scope()
            methods = [m for m in methods if slot.filter.eval({**scope, "method": m})]
        cands = payment_candidates(methods, original_method(env))
    elif t == "address" and user:
        cands = address_candidates(user, user_orders(env))
    elif t == "product" and not slot.choices:  # the catalogue, by name
        cands = [Candidate(pid, name, "product", names=(name,), fields={"title": name})
                 for name, pid in env.store.list_all_product_types().items()]
    elif t in ("choice", "product") and slot.choices:
        cands = [Candidate(c.value, c.title, "choice", terms=(c.title, *c.synonyms, str(c.value)),
                           fields={"title": c.title}) for c in slot.choices]
    else:
        return None
    return _titled(slot, cands)


def offerable(c: Candidate) -> bool:
    return c.available and "excluded" not in c.flags
