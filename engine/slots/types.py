"""Slot types: turn an answer (entities + raw text) into a slot value, validate it, offer choices.

One function per concern so the state machine stays small: `choices_for` feeds buttons and
`expecting`, `parse_answer` reads a value for the slot being asked, and `validate` applies the
designer's pattern/range/choices/named store check, returning a shopper-facing reason on failure.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..contracts import Choice
from ..flows.model import SlotDef
from ..flows.template import format_address
from ..store.errors import StoreError
from .entities import Entity

_ALL_WORDS = re.compile(r"\b(all|both|everything|every item|all of them|the whole order)\b", re.I)
_NAME_WORDS = re.compile(r"^\s*(?:my name is |i am |i'm |it's |this is )?([A-Za-z][A-Za-z'\-]+)\s+([A-Za-z][A-Za-z'\-]+)\s*[.!]?\s*$", re.I)


@dataclass
class SlotEnv:
    """What slot parsing may look at: the store (read-only use), the shopper and current values."""

    store: Any
    user_id: str | None
    values: dict[str, Any]
    flow_slots: dict[str, SlotDef]
    scope: Callable[[], dict[str, Any]] = dict
    _cache: dict[str, Any] = field(default_factory=dict)

    def user(self) -> dict | None:
        if not self.user_id:
            return None
        key = f"user:{self.user_id}"
        if key not in self._cache:
            try:
                self._cache[key] = self.store.get_user_details(self.user_id, as_user=self.user_id)
            except StoreError:
                self._cache[key] = None
        return self._cache[key]

    def order(self, order_id: Any) -> dict | None:
        if not order_id or not self.user_id:
            return None  # orders are only read on behalf of a signed-in shopper
        key = f"order:{self.user_id}:{order_id}"
        if key not in self._cache:
            try:
                self._cache[key] = self.store.get_order_details(order_id, as_user=self.user_id)
            except StoreError:
                self._cache[key] = None
        return self._cache[key]

    def product(self, product_id: Any) -> dict | None:
        key = f"product:{product_id}"
        if key not in self._cache:
            try:
                self._cache[key] = self.store.get_product_details(product_id)
            except StoreError:
                self._cache[key] = None
        return self._cache[key]

    def order_for(self, slot: SlotDef) -> dict | None:
        """The order an items/variants slot refers to (following `of:` links)."""
        src = self.flow_slots.get(slot.of or "")
        if slot.type == "variants" and src is not None:
            return self.order_for(src)
        return self.order(self.values.get(slot.of or ""))


def describe_item(item: dict) -> str:
    opts = ", ".join(str(v) for v in (item.get("options") or {}).values())
    return f"{item.get('name', 'item')} ({opts})" if opts else str(item.get("name", "item"))


def describe_method(m: dict) -> str:
    if m.get("source") == "credit_card":
        return f"{str(m.get('brand', 'credit')).title()} card ending {m.get('last_four', '')}"
    if m.get("source") == "gift_card":
        return f"Gift card (balance ${float(m.get('balance', 0)):,.2f})"
    return "PayPal" if m.get("source") == "paypal" else str(m.get("id"))


def _variant_title(v: dict) -> str:
    return f"{', '.join(str(x) for x in v['options'].values())} (${v['price']:.2f})"


def current_variant_target(slot: SlotDef, env: SlotEnv, partial: list) -> tuple[dict | None, dict | None]:
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


def choices_for(slot: SlotDef, env: SlotEnv, partial: list | None = None) -> list[Choice] | None:
    """Allowed answers, for buttons and `expecting.choices` (None when the answer is open)."""
    t = slot.type
    if t == "choice":
        return [Choice(value=c.value, title=c.title) for c in slot.choices]
    if t == "boolean":
        return [Choice(value=True, title="Yes"), Choice(value=False, title="No")]
    if t == "order_id" and env.user():
        out = []
        for oid in env.user().get("orders", []):
            if slot.check and _check_error(slot, oid, env):
                continue
            order = env.order(oid)
            status = order["status"] if order else ""
            names = ", ".join(i["name"] for i in (order or {}).get("items", [])[:3])
            out.append(Choice(value=oid, title=f"{oid} · {status} · {names}"))
        return out
    if t == "items":
        order = env.order_for(slot)
        return [Choice(value=i["item_id"], title=describe_item(i)) for i in order["items"]] if order else None
    if t == "payment_method" and env.user():
        methods = list(env.user().get("payment_methods", {}).values())
        if slot.filter is not None:
            scope = env.scope()
            methods = [m for m in methods if slot.filter.eval({**scope, "method": m})]
        return [Choice(value=m["id"], title=describe_method(m)) for m in methods]
    if t in ("variants", "variant"):
        if t == "variants":
            item, product = current_variant_target(slot, env, partial or [])
            current = item["item_id"] if item else None
        else:
            product, current = env.product(env.values.get(slot.of or "")), None
        if not product:
            return None
        return [Choice(value=v["item_id"], title=_variant_title(v)) for v in product["variants"].values()
                if v.get("available") and v["item_id"] != current]
    if t == "product" and slot.choices:
        return [Choice(value=c.value, title=c.title) for c in slot.choices]
    return None


def _by_type(entities: list[Entity], kind: str) -> list[Entity]:
    return [e for e in entities if e.type == kind]


def _match_choice(text: str, choices: list[Choice], entities: list[Entity]) -> Any:
    """A choice picked by value, title words or ordinal ("the second one")."""
    low = text.strip().lower()
    for c in choices:
        if low in (str(c.value).lower(), c.title.lower()):
            return c.value
    ordinals = _by_type(entities, "ordinal")
    if ordinals:
        n = int(ordinals[0].value)
        idx = n - 1 if n > 0 else len(choices) + n
        if 0 <= idx < len(choices):
            return choices[idx].value
    hits = [c for c in choices if low and (low in c.title.lower() or str(c.value).lower() in low)]
    return hits[0].value if len(hits) == 1 else None


def parse_answer(slot: SlotDef, text: str, entities: list[Entity], env: SlotEnv,
                 partial: list | None = None) -> tuple[bool, Any]:
    """(found, value) for the slot from this utterance; found=False when nothing matched."""
    t = slot.type
    first = {e.type: e.value for e in reversed(entities)}  # first entity of each type wins
    if t == "text":
        return (bool(text.strip()), text.strip())
    if t in ("email", "zip", "order_id", "boolean", "reason"):
        return (t in first, first.get(t))
    if t == "number":
        for kind in ("number", "money", "quantity"):
            if kind in first:
                return True, first[kind]
        return False, None
    if t == "person_name":
        if "person_name" in first:
            return True, first["person_name"]
        if "first_name" in first and "last_name" in first:
            return True, {"first_name": first["first_name"], "last_name": first["last_name"]}
        m = _NAME_WORDS.match(text)
        return (True, {"first_name": m.group(1).title(), "last_name": m.group(2).title()}) if m else (False, None)
    if t == "address":
        return ("address" in first, first.get("address"))
    if t == "choice":
        allowed = [c.value for c in slot.choices]
        value = next((e.value for e in entities if e.value in allowed and not isinstance(e.value, bool)), None)
        if value is None:
            value = _match_choice(text, choices_for(slot, env) or [], entities)
        if value is None:
            for c in slot.choices:
                if any(s.lower() in text.lower() for s in (c.title, *c.synonyms)):
                    return True, c.value
        return (value is not None, value)
    if t == "product":
        return ("product" in first, first.get("product"))
    choices = choices_for(slot, env, partial) or []
    if t == "items":
        found = _by_type(entities, "item")
        ids = [e.value for e in found]
        # "all of them": every item, even when an entity merger kept only one entity for the span
        if _ALL_WORDS.search(text) and all(_ALL_WORDS.search(e.text or "") for e in found):
            ids = [c.value for c in choices]
        if not ids:
            one = _match_choice(text, choices, entities)
            ids = [one] if one is not None else []
        if not ids:
            return False, None
        return True, (list(dict.fromkeys(ids)) if slot.multiple else ids[0])
    if t == "payment_method":
        value = first.get("payment_method")
        if isinstance(value, dict):  # only a source was named ("gift card"): resolve among choices
            same = [c for c in choices if str(c.value).startswith(str(value.get("source")))]
            value = same[0].value if len(same) == 1 else None
        if value is None:
            value = _match_choice(text, choices, entities)
        if value is None and re.search(r"\b(original|same (one|card|method)|how i paid)\b", text, re.I):
            order = env.order(env.values.get("order_id"))
            first = ((order or {}).get("payment_history") or [{}])[0].get("payment_method_id")
            value = first if first in [c.value for c in choices] else None
        if value is None and len(choices) == 1 and len(text.split()) <= 4 and re.search(r"\b(yes|that one|it|that)\b", text, re.I):
            value = choices[0].value
        return (value is not None, value)
    if t in ("variants", "variant"):
        return _parse_variant(slot, text, entities, env, choices, partial or [])
    return False, None


def _parse_variant(slot, text, entities, env, choices, partial) -> tuple[bool, Any]:
    direct = _match_choice(text, choices, entities)
    if direct is not None:
        return True, direct
    wanted = {str(e.value["value"]).lower() for e in _by_type(entities, "option") if isinstance(e.value, dict)}
    low = text.lower()
    current_id = None
    if slot.type == "variants":
        item, product = current_variant_target(slot, env, partial)
        base = {k: str(v).lower() for k, v in (item or {}).get("options", {}).items()}
        current_id = (item or {}).get("item_id")
    else:
        product, base = env.product(env.values.get(slot.of or "")), {}
    if not product:
        return False, None
    for v in product["variants"].values():  # option values said in plain words count too
        for val in v["options"].values():
            if str(val).lower() in low and len(str(val)) > 1:
                wanted.add(str(val).lower())
    if not wanted:
        return False, None
    best, best_key = None, None
    for v in product["variants"].values():
        item_id = v["item_id"]
        if not v.get("available") or item_id == current_id:
            continue
        opts = {k: str(x).lower() for k, x in v["options"].items()}
        hits = len(wanted & set(opts.values()))
        same = sum(1 for k, x in opts.items() if base.get(k) == x)
        key = (hits, same)
        if hits and (best_key is None or key > best_key):
            best, best_key = item_id, key
    return (best is not None, best)


def _check_error(slot: SlotDef, value: Any, env: SlotEnv, check: str | None = None) -> str | None:
    from ..store.checks import CHECKS

    try:
        CHECKS[check or slot.check](env.store, value, env.user_id)
    except StoreError as exc:
        return exc.message
    return None


# Slot types whose values name the shopper's own data (orders, their items, saved payment methods):
# a value is only accepted once it can be checked against the signed-in shopper.
SHOPPER_SCOPED = frozenset({"order_id", "payment_method", "items", "variants"})


def verifiable(slot: SlotDef, env: SlotEnv) -> bool:
    """Whether a value for `slot` can be checked now. Values naming the shopper's data wait for
    sign-in (and items for their order), so a payload sent before sign-in is checked after it."""
    from ..store.checks import NEEDS_USER

    if slot.check in NEEDS_USER or slot.type in ("order_id", "payment_method"):
        if env.user() is None:
            return False
    if slot.type in ("items", "variants"):
        return env.order_for(slot) is not None
    return True


def validate(slot: SlotDef, value: Any, env: SlotEnv) -> str | None:
    """A shopper-facing reason the value is not acceptable, or None."""
    if value is None or value == "" or value == []:
        return "I didn't catch a value there."
    if slot.pattern and not re.fullmatch(slot.pattern, str(value)):
        return f"{value} doesn't look right."
    if slot.type == "number":
        try:
            num = float(value)
        except (TypeError, ValueError):
            return f"{value} is not a number."
        if slot.min is not None and num < slot.min:
            return f"It must be at least {slot.min:g}."
        if slot.max is not None and num > slot.max:
            return f"It must be at most {slot.max:g}."
    if slot.type == "choice" and value not in [c.value for c in slot.choices]:
        return f"Please pick one of: {', '.join(c.title for c in slot.choices)}."
    if slot.type in ("items", "payment_method", "variant"):
        allowed = choices_for(slot, env)
        values = value if isinstance(value, list) else [value]
        if allowed is None and slot.type in SHOPPER_SCOPED:
            return "I can't check that yet."  # fail closed: nothing to check the value against
        if allowed is not None and any(v not in [c.value for c in allowed] for v in values):
            return "That isn't one of the options I can offer here."
    if slot.type == "variants":
        values = value if isinstance(value, list) else [value]
        for pos, new in enumerate(values):  # each replacement must be an option of the item it replaces
            allowed = choices_for(slot, env, values[:pos])
            if allowed is None or new not in [c.value for c in allowed]:
                return "That option isn't available for this item."
    if slot.check:
        return _check_error(slot, value, env)
    if slot.type == "order_id":  # the shopper's own order, even where the flow names no check
        return _check_error(slot, value, env, "order_of_user")
    return None


def display(slot: SlotDef, value: Any, env: SlotEnv) -> str:
    """Readable text for a slot value ("Electric Kettle (white, 2L)") for messages and summaries."""
    if slot.type == "items":
        order = env.order_for(slot)
        ids = value if isinstance(value, list) else [value]
        items = {i["item_id"]: i for i in (order or {}).get("items", [])}
        return ", ".join(describe_item(items[i]) if i in items else str(i) for i in ids)
    if slot.type == "payment_method" and env.user():
        m = env.user().get("payment_methods", {}).get(value)
        return describe_method(m) if m else str(value)
    if slot.type in ("variants", "variant"):
        ids = value if isinstance(value, list) else [value]
        out = []
        for pid in _products_of(slot, env):
            product = env.product(pid)
            for i in ids:
                if product and i in product["variants"]:
                    out.append(f"{product['name']} ({_variant_title(product['variants'][i])})")
        return ", ".join(out) or ", ".join(map(str, ids))
    if slot.type == "address" and isinstance(value, dict):
        return format_address(value)
    if slot.type == "person_name" and isinstance(value, dict):
        return f"{value.get('first_name', '')} {value.get('last_name', '')}".strip()
    if slot.type == "boolean":
        return "yes" if value else "no"
    if slot.type == "choice":
        return next((c.title for c in slot.choices if c.value == value), str(value))
    return str(value)


def _products_of(slot: SlotDef, env: SlotEnv) -> list[str]:
    if slot.type == "variant":
        return [env.values.get(slot.of or "")]
    order = env.order_for(slot)
    ids = env.values.get(slot.of or "") or []
    ids = [ids] if isinstance(ids, str) else ids
    items = {i["item_id"]: i for i in (order or {}).get("items", [])}
    return list(dict.fromkeys(items[i]["product_id"] for i in ids if i in items))
