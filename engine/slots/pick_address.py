"""Which address the shopper means: typed out, the default, an order's ("where my backpack order went"),
or one they have with one part changed ("same place, the zip should be 98110").
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..flows.model import SlotDef
from . import cues
from .candidate_sets import user_orders
from .candidates import Candidate
from .entities import Entity
from .outcomes import slot_answer
from .resolve import find_mentions, resolve

if TYPE_CHECKING:
    from .types import SlotEnv


def _orders_holding(text: str, env: "SlotEnv") -> set[str]:
    """The shopper's orders that hold a product the text names ("my vacuum order")."""
    orders = user_orders(env)
    names = sorted({str(i.get("name", "")) for o in orders.values() for i in (o or {}).get("items", [])})
    cands = [Candidate(n, n, "item", names=(n,)) for n in names if n]
    said = {cands[h].value for _, _, hits in find_mentions(text, cands) for h in hits}
    return {oid for oid, o in orders.items() if said & {str(i.get("name", "")) for i in (o or {}).get("items", [])}}


_ZIP_EDIT = re.compile(r"\bzip(?:\s*code)?\b\D{0,40}?(\d{5})\b", re.I)
_UNIT_EDIT = re.compile(r"\b(apt|apartment|suite|ste|unit)\.?(?:\s+(?:number|no\.?|#))?\s*(?:is|should\s+be|=|:|to)?\s*"
                        r"#?\s*(\d[\w-]*|[a-z]\d*)\b", re.I)
_SAME_PLACE = re.compile(r"\b(?:same\s+(?:place|address|one)|that\s+(?:address|place)|the\s+(?:zip|apartment|apt|suite|unit)"
                         r"(?:\s+(?:number|code))?\s+(?:is|should\s+be)|got\s+the\s+(?:zip|apartment|apt|suite|unit))\b",
                         re.I)


def _address_edit(slot: SlotDef, text: str, env: "SlotEnv") -> dict | None:
    """"same place, the zip should be 98110", "the apartment is 2B not 2": an address the shopper has
    (the one given, else the order's, else the default) with one part changed."""
    if not _SAME_PLACE.search(text):
        return None
    zip_ = _ZIP_EDIT.search(text)
    unit = _UNIT_EDIT.search(text)
    if not (zip_ or unit):
        return None
    order = env.order(env.values.get("order_id")) if env.values.get("order_id") else None
    base = env.values.get(slot.name) or (order or {}).get("address") or (env.user() or {}).get("address")
    if not isinstance(base, dict):
        return None
    new = {k: str(base.get(k) or "") for k in ("address1", "address2", "city", "state", "country", "zip")}
    if zip_:
        new["zip"] = zip_.group(1)
    if unit:
        have = new["address2"].split()
        word = have[0] if len(have) > 1 else unit.group(1).title().replace("Apartment", "Apt")
        new["address2"] = f"{word} {unit.group(2).upper() if len(unit.group(2)) <= 3 else unit.group(2)}"
    return new if new != {k: str(base.get(k) or "") for k in new} else None


_ADDRESS_OF = re.compile(r"\b(?:where|address|same\s+place|ship(?:s|ped|ping)?\s+to|goes|going|went|sent\s+to"
                         r"|deliver(?:s|ed)?\s+to)\b", re.I)


def _address_said_of(text: str, order: Entity) -> bool:
    """The words around an order number say its address ("where #W1 goes", "the address on #W1", "#W1's address"),
    within the sentence that names it: "no more address changes. now switch the payment on #W1" names no address."""
    if order.start < 0:
        return _ADDRESS_OF.search(text) is not None
    begin = max([0] + [m.end() for m in re.finditer(r"[.!?;]\s", text[:order.start])])
    stop = re.search(r"[.!?;](?:\s|$)", text[order.end:])
    end = order.end + stop.start() if stop else len(text)
    return _ADDRESS_OF.search(text[begin:end]) is not None


def pick_address(slot: SlotDef, text: str, entities: list[Entity], env: "SlotEnv", cands: list[Candidate],
                 ordinal: int | None) -> tuple[bool, Any]:
    typed = [e.value for e in entities if e.type == "address" and isinstance(e.value, dict)]
    if typed:
        return True, typed[0]
    edited = _address_edit(slot, text, env)
    if edited is not None:
        return True, edited
    selectors = []
    held = _orders_holding(text, env)  # "the address my backpack order went to"
    if held and _ADDRESS_OF.search(text):
        selectors.append(("order", lambda pool: [i for i in pool if set(cands[i].refs) & held]
                          or "Those orders don't ship anywhere I can use."))
    if cues.DEFAULT_ADDRESS.search(text):
        default = [i for i, c in enumerate(cands) if "default" in c.flags]
        selectors.append(("default", lambda pool: [i for i in pool if i in default]
                          or "You have no default address on your account."))
    # "where order #W... goes": an order id points at its address only when the words say so
    # ("actually it's order #W..." corrects the order, it names no address)
    named_orders = [e.value for e in entities if e.type == "order_id" and (
        _address_said_of(text, e) or (e.start >= 0 and cues.AS_REFERENCE.search(text[:e.start])))]
    # ("the same one that #W... had" points at that order's address too)
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
    return slot_answer(slot, env, outcome, cands)
