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
from .candidates import describe_item, describe_method, describe_options  # noqa: F401 - used by the machine
from . import cues
from .entities import Entity
from .candidate_sets import candidates_for, check_error, current_target, offerable
from .choice_words import both_said
from .pick import pick
from .resolve import Ambiguous  # noqa: F401 - parse_answer's "which one?" result

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


def current_variant_target(slot: SlotDef, env: SlotEnv, partial: list) -> tuple[dict | None, dict | None]:
    """For a variants slot: (the order item being changed now, its product)."""
    return current_target(slot, env, partial)


def choices_for(slot: SlotDef, env: SlotEnv, partial: list | None = None) -> list[Choice] | None:
    """Allowed answers, for buttons and `expecting.choices` (None when the answer is open).

    Slots that pick from what the shop knows list their candidates (engine/slots/candidates.py),
    titled by the slot's `display:` template; address slots list the addresses the shop knows."""
    if slot.type == "boolean":
        return [Choice(value=True, title="Yes"), Choice(value=False, title="No")]
    if slot.type == "product" and not slot.choices:
        return None
    cands = candidates_for(slot, env, partial)
    if cands is None:
        return None
    return [Choice(value=c.value, title=c.title) for c in cands if offerable(c)]


def _by_type(entities: list[Entity], kind: str) -> list[Entity]:
    return [e for e in entities if e.type == kind]


def parse_answer(slot: SlotDef, text: str, entities: list[Entity], env: SlotEnv,
                 partial: list | None = None, *, among: list | None = None) -> tuple[bool, Any]:
    """(found, value) for the slot from this utterance; (False, None) when nothing matched, and
    (False, Ambiguous) when the answer fits several candidates or none of them: the state machine
    asks again with `Ambiguous.reason` and its candidates as buttons. Never a silent guess.
    `among`: what that question offered (`Ambiguous.candidates` or their values), read first
    (see slots.pick.pick)."""
    t = slot.type
    first = {e.type: e.value for e in reversed(entities)}  # first entity of each type wins
    if t == "text":
        return (bool(text.strip()), text.strip())
    if t == "order_id":  # "the same address as my other order #W..." names that order for the address only
        refs = [e for e in entities if e.type == "order_id" and e.start >= 0 and cues.AS_REFERENCE.search(text[:e.start])]
        for e in refs:  # the whole reference, "... as my other order #W2": "other order" names no order here either
            m = cues.AS_REFERENCE.search(text[:e.start])
            start = m.start() if m is not None else e.start
            text = text[:start] + " " * (e.end - start) + text[e.end:]
        entities = [e for e in entities if e not in refs]
        first = {e.type: e.value for e in reversed(entities)}
        if "order_id" in first:
            return True, first["order_id"]
    if t in ("email", "zip", "boolean", "reason"):
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
    if t == "choice":
        allowed = [c.value for c in slot.choices]
        value = next((e.value for e in entities if e.value in allowed and not isinstance(e.value, bool)
                      and not (e.start >= 0 and cues.negated(text, e.start))), None)  # not "it wasn't a mistake"
        if value is not None and not both_said(slot, text):  # both reasons in its words: asked (pick), not guessed
            return True, value
    if t == "product" and not slot.choices:  # the catalogue's names first: "a kettle" fits two
        found, value = pick(slot, text, entities, env, partial, among)
        if found or value is not None or "product" not in first:
            return found, value
        return True, first["product"]
    if t in ("order_id", "items", "payment_method", "variants", "variant", "address", "choice", "product"):
        return pick(slot, text, entities, env, partial, among)
    return False, None


def _check_error(slot: SlotDef, value: Any, env: SlotEnv, check: str | None = None) -> str | None:
    return check_error(slot, value, env, check)


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
        products = [p for p in (env.product(pid) for pid in _products_of(slot, env)) if p]
        out = []
        for i in ids:  # in the order chosen, each under the product it belongs to
            product = next((p for p in products if i in p["variants"]), None)
            out.append(f"{product['name']} ({describe_options(product['variants'][i]['options'])})" if product
                       else str(i))
        return ", ".join(out)
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
