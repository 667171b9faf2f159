"""Slot answers that pick from what the shop knows: candidate sets per slot and their resolution.

`candidates_for` builds the set a slot picks from (the designer's `display:` template titles them);
`pick` reads one answer against it and returns (found, value), or (False, Ambiguous) when the answer
fits several candidates or none (the slot's `clarify:` template words the question), or
(False, None) when the answer does not refer to the set at all (it may answer something else).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..contracts import Choice
from ..flows.model import SlotDef
from ..store.errors import StoreError
from . import cues
from .candidates import (STATUS_WORDS, Candidate, address_candidates, item_candidates, order_candidates, payment_candidates,
                         variant_candidates)
from .entities import Entity
from .options import narrow, resolve_option
from .resolve import Ambiguous, Outcome, ambiguous, find_mentions, resolve, titles
from .scales import table

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


def _user_orders(env: "SlotEnv") -> dict[str, dict | None]:
    user = env.user() or {}
    return {oid: env.order(oid) for oid in user.get("orders", [])}


def _original_method(env: "SlotEnv") -> str | None:
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
        orders = _user_orders(env)
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
        cands = payment_candidates(methods, _original_method(env))
    elif t == "address" and user:
        cands = address_candidates(user, _user_orders(env))
    elif t in ("choice", "product") and slot.choices:
        cands = [Candidate(c.value, c.title, "choice", terms=(c.title, *c.synonyms, str(c.value)),
                           fields={"title": c.title}) for c in slot.choices]
    else:
        return None
    return _titled(slot, cands)


def offerable(c: Candidate) -> bool:
    return c.available and "excluded" not in c.flags


def _ordinal(entities: list[Entity]) -> int | None:
    found = [e.value for e in entities if e.type == "ordinal" and isinstance(e.value, int)]
    return found[0] if found else None


def _clarify(slot: SlotDef, env: "SlotEnv", outcome: Outcome, cands: list[Candidate]) -> Ambiguous:
    amb = ambiguous(outcome, cands)
    if slot.clarify is None:
        return amb
    try:
        scope = {**env.scope(), "reason": amb.reason, "options": titles(cands, list(outcome.offered)),
                 "count": len(outcome.offered)}
        return Ambiguous(slot.clarify.render(scope).strip() or amb.reason, amb.candidates)
    except Exception:  # noqa: BLE001 - fall back to the engine's own wording
        return amb


def _result(slot: SlotDef, env: "SlotEnv", outcome: Outcome | None, cands: list[Candidate],
            multiple: bool = False) -> tuple[bool, Any]:
    if outcome is None:
        return False, None
    if not outcome.found:
        return False, _clarify(slot, env, outcome, cands)
    values = [cands[i].value for i in outcome.picked]
    return True, (values if multiple else values[0])


def pick(slot: SlotDef, text: str, entities: list[Entity], env: "SlotEnv", partial: list | None = None,
         among: list | None = None) -> tuple[bool, Any]:
    """(found, value) for a candidate slot; (False, Ambiguous) to clarify; (False, None) when unrelated.

    `among`: what a clarifying question offered (its Choices, or their values). The reply is read
    among them first ("a silver one" after "three lamps are less bright: ..." means a less bright
    silver one; "both" after "One or both?" the button taking both), then, if it names none of
    them, among everything."""
    cands = candidates_for(slot, env, partial)
    if cands is None:
        return False, None
    if among:
        titled = [a for a in among if isinstance(a, Choice)]
        among = [a.value if isinstance(a, Choice) else a for a in among]
        if any(isinstance(v, list) for v in among):  # a multiple slot's offer: whole answers as buttons
            chosen = _whole_answer(text, among, [c.title for c in titled], _ordinal(entities))
            if chosen is not None:
                return True, chosen
    offered = sorted((c for c in cands if among and c.value in among), key=lambda c: among.index(c.value))
    if offered:  # in the order the buttons showed them, so "the first one" is the first button
        found, value = _pick(slot, text, entities, env, partial, offered, chosen_from=True)
        narrowed = isinstance(value, Ambiguous) and 0 < len(value.candidates) < len(offered)
        if found or narrowed:  # resolved, or narrowed to fewer of the offered: otherwise read anew
            return found, value
    return _pick(slot, text, entities, env, partial, cands)


def _whole_answer(text: str, offer: list, titles: list[str], ordinal: int | None) -> list | None:
    """A reply to "One or both?" / "which of these?" where each button is a whole answer (a list):
    its title typed back, an ordinal, "both"/"all" (the button taking them all, the longest), "one"."""
    low = text.strip().lower().rstrip(".!")
    for value, title in zip(offer, titles):
        if low == title.lower():
            return value
    if cues.wants_all(text) or cues.BOTH.search(text):
        return max(offer, key=lambda v: len(v) if isinstance(v, list) else 1)
    if re.fullmatch(r"\W*(?:just\s+|only\s+)?(?:one|a\s+single\s+one|only\s+one|just\s+the\s+one)\W*", low) \
            and titles and titles[0].lower().startswith("one "):
        return offer[0]
    if ordinal is not None and -len(offer) <= (ordinal - 1 if ordinal > 0 else ordinal) < len(offer):
        return offer[ordinal - 1 if ordinal > 0 else ordinal]
    return None


def _pick(slot: SlotDef, text: str, entities: list[Entity], env: "SlotEnv", partial: list | None,
          cands: list[Candidate], chosen_from: bool = False) -> tuple[bool, Any]:
    t = slot.type
    ordinal = _ordinal(entities)
    if t in ("variants", "variant"):
        if t == "variants":
            item, product = current_target(slot, env, partial or [])
        else:
            item, product = None, env.product(env.values.get(slot.of or ""))
        if item is None and cues.SAME.search(text):  # "the same ones I got last time"
            item = bought_before(env, product)
        outcome = resolve_option(text, cands, current=item, scales=table(slot.scales),
                                 product=str((product or {}).get("name", "product")), ordinal=ordinal)
        return _result(slot, env, outcome, cands)
    if t == "order_id":
        return _pick_order(slot, text, entities, env, cands, ordinal)
    if t == "items":  # "the order with the lamp" describes the order, it picks no item
        about_order = [m.span() for m in _ORDER_WITH.finditer(text)]
        names_only = [Candidate(c.value, c.title, c.kind, names=c.names) for c in cands]
        about_order += [(s, e) for s, e, _ in find_mentions(text, names_only)  # "the one with the lamp"
                        if _ONE_WITH.search(text[:s])]
        for a, b in about_order:
            text = text[:a] + " " * (b - a) + text[b:]
        outcome = resolve(text, cands, multiple=slot.multiple, ordinal=ordinal, where="That order has",
                          compare=_comparer(slot, cands))
        if outcome is None:  # an extractor may still have resolved an item (e.g. by its id)
            ids = list(dict.fromkeys(e.value for e in entities if e.type == "item" and e.confidence >= 0.9
                                     and e.value in [c.value for c in cands]
                                     and not any(a <= e.start < b for a, b in about_order)))
            if ids and (slot.multiple or len(ids) == 1):
                return True, (ids if slot.multiple else ids[0])
        return _result(slot, env, outcome, cands, slot.multiple)
    if t == "payment_method":
        return _pick_payment(slot, text, entities, env, cands, ordinal)
    if t == "address":
        return _pick_address(slot, text, entities, env, cands, ordinal)
    outcome = resolve(text, cands, ordinal=ordinal, where="There are")  # choice / product
    return _result(slot, env, outcome, cands)


_ORDER_WITH = re.compile(r"\b(?:order|package|purchase|delivery|parcel)s?\s+(?:with|that\s+(?:has|had|contains?"
                         r"|included?)|containing|including)\b[^,.;]*", re.I)


_ONE_WITH = re.compile(r"\bone\s+(?:with|that\s+(?:has|had|contains?)|containing)\s+(?:the\s+|a\s+|an\s+|my\s+)?$",
                       re.I)


def _pick_order(slot, text, entities, env, cands, ordinal) -> tuple[bool, Any]:
    bare = re.fullmatch(r"\W*(?:the|my)?\s*([a-z' ]+?)\W*", text.lower())
    if bare and any(bare.group(1) in words for words in STATUS_WORDS.values()):
        text = f"the {bare.group(1)} one"  # a one-word answer "pending" to "which order?"
    selectors = []
    if cues.LATEST.search(text) or cues.OLDEST.search(text):
        newest = bool(cues.LATEST.search(text))
        selectors.append(("recency", lambda pool: [max(pool, key=lambda i: cands[i].recency * (1 if newest else -1))]
                          if pool else "You have no orders I can use here."))
        if re.search(r"\blast\b", text, re.I):
            ordinal = None  # "my last order" is recency, not the last button
    reference = {v for k, v in env.values.items() if isinstance(v, str) and v.startswith("#W")}
    if cues.OTHER.search(text) and reference:
        selectors.append(("other", lambda pool: [i for i in pool if cands[i].value not in reference]))
    others = []
    if slot.check:  # orders the shopper may name that this flow cannot take, with the store's reason
        offered = {c.value for c in cands}
        others = [(c, why) for c in candidates_for(slot, env, checked=False) or []
                  if c.value not in offered and (why := check_error(slot, c.value, env))]
    outcome = resolve(text, cands, ordinal=ordinal, selectors=selectors, where="You have", others=others,
                      compare=_comparer(slot, cands))
    return _result(slot, env, outcome, cands)


def _comparer(slot: SlotDef, cands: list[Candidate]):
    scales = table(slot.scales)
    return lambda text, idx: narrow(text, cands, idx, scales)


def _pick_payment(slot, text, entities, env, cands, ordinal) -> tuple[bool, Any]:
    ids = [c.value for c in cands]
    direct = [e.value for e in entities if e.type == "payment_method" and isinstance(e.value, str)
              and e.value in ids and not cues.negated(text, max(e.start, 0))]
    if len(set(direct)) == 1:
        return True, direct[0]
    selectors = []
    original = next((i for i, c in enumerate(cands) if "original" in c.flags), None)
    if cues.ORIGINAL.search(text):
        paid = _original_method(env)
        if original is None:
            user = env.user() or {}
            from .candidates import describe_method

            m = user.get("payment_methods", {}).get(paid)
            why = (f"The order was paid with {describe_method(m)}, which can't be used here."
                   if m else "I can't find how that order was paid.")
            return False, _clarify(slot, env, Outcome(offered=tuple(range(len(cands))), reason=why + " Which one?"),
                                   cands)
        selectors.append(("original", lambda pool: [original] if original in pool else
                          "That isn't how the order was paid."))
    if cues.OTHER.search(text):
        chosen = env.values.get(slot.name)
        skip = {cands[original].value} if original is not None else set()
        skip |= {chosen} if chosen else set()
        selectors.append(("other", lambda pool: [i for i in pool if cands[i].value not in skip]
                          or "There is no other payment method I can use here."))
    user = env.user() or {}
    offered = {c.value for c in cands}
    others = [(c, "that one can't be used here.") for c in payment_candidates(
        list(user.get("payment_methods", {}).values()), _original_method(env)) if c.value not in offered]
    outcome = resolve(text, cands, ordinal=ordinal, selectors=selectors, where="You have", others=others)
    return _result(slot, env, outcome, cands)


_ADDRESS_OF = re.compile(r"\b(?:where|address|same\s+place|ship(?:s|ped|ping)?\s+to|goes|going|went|sent\s+to"
                         r"|deliver(?:s|ed)?\s+to)\b", re.I)


def _pick_address(slot, text, entities, env, cands, ordinal) -> tuple[bool, Any]:
    typed = [e.value for e in entities if e.type == "address" and isinstance(e.value, dict)]
    if typed:
        return True, typed[0]
    selectors = []
    if cues.DEFAULT_ADDRESS.search(text):
        default = [i for i, c in enumerate(cands) if "default" in c.flags]
        selectors.append(("default", lambda pool: [i for i in pool if i in default]
                          or "You have no default address on your account."))
    # "where order #W... goes": an order id points at its address only when the words say so
    # ("actually it's order #W..." corrects the order, it names no address)
    named_orders = [e.value for e in entities if e.type == "order_id"] if _ADDRESS_OF.search(text) else []
    current = env.values.get("order_id")
    if named_orders:
        selectors.append(("order", lambda pool: [i for i in pool if set(cands[i].refs) & set(named_orders)]
                          or f"I don't have an address for order {named_orders[0]}."))
    elif cues.ORDER_ADDRESS.search(text) or (cues.OTHER.search(text) and re.search(r"\border", text, re.I)):
        others = [i for i, c in enumerate(cands) if set(c.refs) - {current}]
        if cues.LATEST.search(text) or re.search(r"\b(?:last|previous)\s+order", text, re.I):
            recency = {oid: pos for pos, oid in enumerate((env.user() or {}).get("orders", []))}
            latest = max((oid for i in others for oid in cands[i].refs if oid != current),
                         key=lambda o: recency.get(o, -1), default=None)
            others = [i for i in others if latest in cands[i].refs]
        selectors.append(("order", lambda pool: [i for i in pool if i in others]
                          or "Your other orders don't ship anywhere else."))
    asking = "Your other orders ship to more than one address; which one" if any(
        name == "order" for name, _ in selectors) else ""
    outcome = resolve(text, cands, ordinal=ordinal, selectors=selectors, where="You have", asking=asking)
    return _result(slot, env, outcome, cands)
