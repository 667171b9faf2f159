"""Candidate sets: everything the shop knows that a slot may pick from, described for matching.

A shopper never says "item 2323972008"; they say "the kettle", "the black one", "my visa", "my
Chicago place", "the latest one". Each builder here turns store data into `Candidate`s that carry the
words that can name them (`names` for product names, with aliases and typo tolerance; `terms` for
values matched as whole words: colours, brands, last four digits, cities, statuses), the ordered facts
a comparison needs (options, price, recency) and flags ("current", "original", "default").

Recency of orders: the store keeps no order dates (tau-bench's seed has none, and its order ids are
random), so recency is the position in the profile's `orders` list, which `place_order` appends to:
the last entry is the newest order, and buttons list orders in that same order.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..flows.template import format_address

STATUS_WORDS = {
    "pending": ("pending", "not shipped", "hasn't shipped", "not sent", "unshipped"),
    "processed": ("processed", "shipped", "on its way", "in transit"),
    "delivered": ("delivered", "arrived", "received"),
    "cancelled": ("cancelled", "canceled"),
}
SOURCE_WORDS = {
    "credit_card": ("credit card", "debit card", "card", "credit", "bank card"),
    "gift_card": ("gift card", "gift", "giftcard", "store credit", "voucher", "gift balance", "card"),  # a card too
    "paypal": ("paypal", "pay pal"),
}
BRAND_WORDS = {"mastercard": ("mastercard", "master card", "mc"), "amex": ("amex", "american express"),
               "visa": ("visa",), "discover": ("discover",)}
ADDRESS_KEYS = ("address1", "address2", "city", "state", "country", "zip")
# What people call a city besides its name ("the LA one", "shipping to philly", "the DC address").
CITY_NICKNAMES = {"los angeles": ("LA", "L.A."), "new york": ("NYC", "New York City"), "philadelphia": ("Philly",),
                  "washington": ("DC", "D.C.", "Washington DC"), "san francisco": ("SF", "San Fran"),
                  "las vegas": ("Vegas",), "san antonio": ("Santo",), "indianapolis": ("Indy",)}


def city_terms(city: str) -> tuple[str, ...]:
    return (city, *CITY_NICKNAMES.get(city.strip().lower(), ())) if city else ()


def method_terms(m: Mapping[str, Any]) -> tuple[str, ...]:
    """Words that name a payment method: its source, brand and last four digits."""
    source, brand = str(m.get("source", "")), str(m.get("brand", "")).lower()
    return tuple(t for t in (*SOURCE_WORDS.get(source, (source,)), *BRAND_WORDS.get(brand, (brand,) if brand else ()),
                             *((str(m["last_four"]),) if m.get("last_four") else ())) if t)


@dataclass(frozen=True, eq=False)
class Candidate:
    """One thing a slot may take. `value` is what the slot stores; `fields` what a `display:`
    template reads (engine.flows.model.CANDIDATE_FIELDS)."""

    value: Any
    title: str
    kind: str                                    # order | item | variant | payment_method | address
    names: tuple[str, ...] = ()                  # product names (matched with aliases, plurals, typos)
    terms: tuple[str, ...] = ()                  # whole-word descriptions: values, brands, cities...
    options: Mapping[str, str] = field(default_factory=dict)
    price: float | None = None
    available: bool = True
    recency: int = 0                             # orders: higher is newer
    flags: frozenset[str] = frozenset()          # current, original, default, ...
    refs: tuple[str, ...] = ()                   # addresses: the orders that ship there
    fields: Mapping[str, Any] = field(default_factory=dict)


def phrase_options(options: Mapping[str, Any]) -> str:
    """"black, size 9, waterproof": options in words, for reasons and what the shopper said."""
    parts = []
    for name, value in options.items():
        v = str(value)
        if v.lower() == "yes":
            parts.append(str(name))
        elif v.lower() == "no":  # "not waterproof", "no water resistance"
            parts.append(f"not {name}" if str(name).endswith(("proof", "able", "ible", "ed", "ant")) else f"no {name}")
        elif v.lower() == "none":
            parts.append(f"no {name}")
        elif v.replace(".", "").isdigit() or len(v) <= 2:
            parts.append(f"{name} {v}")
        else:
            parts.append(v)
    return ", ".join(parts)


def describe_options(options: Mapping[str, Any]) -> str:
    """"black, 9, waterproof": the option values as the catalogue writes them, in its order, so a summary
    shows an item exactly as its buttons and the product pages do; a bare yes or no says of what
    ("Hiking Boots (12, leather, yes)" left the shopper guessing)."""
    return ", ".join(phrase_options({k: v}) if str(v).lower() in ("yes", "no") else str(v) for k, v in options.items())


def describe_item(item: Mapping[str, Any]) -> str:
    opts = describe_options(item.get("options") or {})
    return f"{item.get('name', 'item')} ({opts})" if opts else str(item.get("name", "item"))


def describe_method(m: Mapping[str, Any]) -> str:
    if m.get("source") == "credit_card":
        brand = str(m.get("brand", "credit")).title()  # "Visa card ending 1234", "Mastercard ending 4300"
        return f"{brand}{'' if brand.lower().endswith('card') else ' card'} ending {m.get('last_four', '')}"
    if m.get("source") == "gift_card":
        return f"Gift card (balance ${float(m.get('balance', 0)):,.2f})"
    return "PayPal" if m.get("source") == "paypal" else str(m.get("id"))


def _values(options: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(v) for v in options.values() if str(v).lower() not in ("yes", "no", "none"))


def order_candidates(user: Mapping[str, Any], orders: Mapping[str, Mapping[str, Any] | None]) -> list[Candidate]:
    """The shopper's orders in the profile's order (oldest first); `orders` maps id -> details."""
    out = []
    for pos, oid in enumerate(user.get("orders", [])):
        if oid not in orders:
            continue
        order = orders[oid] or {}
        items = order.get("items", [])
        names = tuple(dict.fromkeys(str(i.get("name", "")) for i in items))
        status = str(order.get("status", ""))
        city = str((order.get("address") or {}).get("city", ""))
        total = sum(float(p.get("amount", 0)) for p in order.get("payment_history", [])
                    if p.get("transaction_type") == "payment")
        # a status describes an order only as "the pending one", "my delivered order": "has it shipped?"
        # asks about an order, it does not pick one
        digits = str(oid).lstrip("#Ww")
        # "the one ending in 66": the order number's last digits, said with an ending cue
        ending = (f"{cue} {digits[-n:]}" for n in (2, 3, 4) for cue in ("ending in", "ends in", "ending with",
                                                                           "ends with", "ending"))
        methods = user.get("payment_methods", {})
        paid = {p.get("payment_method_id") for p in order.get("payment_history", [])
                if p.get("transaction_type") == "payment"}
        terms = (*(f"{w} {noun}" for w in STATUS_WORDS.get(status.split(" ")[0], (status,))
                   for noun in ("one", "ones", "order", "orders", "package")), *city_terms(city), *ending,
                 *(v for i in items for v in _values(i.get("options") or {})),
                 *(t for pid in sorted(p for p in paid if p) for t in method_terms(methods.get(pid) or {})))
        counts = Counter(str(i.get("name", "")) for i in items)  # "2 Bluetooth Speakers": a repeated item counted
        listed = [n if counts[n] == 1 else f"{counts[n]} × {n}" for n in names]
        shown = ", ".join(listed) if len(listed) <= 5 else ", ".join(listed[:4]) + f" and {len(listed) - 4} more"
        title = f"{oid} · {status} · {shown}" if status else str(oid)  # every item: the shopper picks by them
        fields = {"title": title, "order_id": oid, "status": status, "items": ", ".join(names),
                  "count": len(items), "total": round(total, 2), "city": city, "position": pos + 1}
        out.append(Candidate(oid, title, "order", names, tuple(t for t in terms if t), price=round(total, 2),
                             recency=pos, fields=fields,
                             flags=frozenset({status.split(" ")[0]} if status else ())))
    return out


def item_candidates(order: Mapping[str, Any]) -> list[Candidate]:
    out = []
    for item in order.get("items", []):
        opts = {str(k): str(v) for k, v in (item.get("options") or {}).items()}
        title = describe_item(item)
        fields = {"title": title, "name": item.get("name", ""), "options": describe_options(opts),
                  "price": item.get("price"), "item_id": item["item_id"]}
        out.append(Candidate(item["item_id"], title, "item", (str(item.get("name", "")),), _values(opts), opts,
                             item.get("price"), fields=fields))
    return out


def variant_candidates(product: Mapping[str, Any], current: str | None = None,
                       offer_current: bool = False) -> list[Candidate]:
    """Every variant of a product (unavailable ones too, flagged, so "the blue one" can be told it is
    out of stock); the current one is flagged and only kept when `offer_current`."""
    out = []
    for v in product.get("variants", {}).values():
        is_current = v["item_id"] == current
        if is_current and not offer_current:
            flags = frozenset({"current", "excluded"})
        else:
            flags = frozenset({"current"}) if is_current else frozenset()
        opts = {str(k): str(x) for k, x in v.get("options", {}).items()}
        title = f"{describe_options(opts)} (${float(v['price']):.2f})" + (" (your current one)" if is_current else "")
        fields = {"title": title, "name": product.get("name", ""), "options": describe_options(opts),
                  "price": v["price"], "item_id": v["item_id"], "available": bool(v.get("available")),
                  "current": is_current}
        out.append(Candidate(v["item_id"], title, "variant", (str(product.get("name", "")),), _values(opts), opts,
                             float(v["price"]), bool(v.get("available")), flags=flags, fields=fields))
    return out


def payment_candidates(methods: list[Mapping[str, Any]], original: str | None = None) -> list[Candidate]:
    out = []
    for m in methods:
        source = str(m.get("source", ""))
        brand = str(m.get("brand", "")).lower()
        terms = method_terms(m)
        title = describe_method(m)
        fields = {"title": title, "id": m.get("id"), "source": source, "brand": brand,
                  "last_four": m.get("last_four", ""), "balance": m.get("balance"), "original": m.get("id") == original}
        flags = {"original"} if m.get("id") == original else set()
        out.append(Candidate(m.get("id"), title, "payment_method", terms=tuple(t for t in terms if t),
                             price=m.get("balance"), flags=frozenset(flags | {source}), fields=fields))
    return out


def _address(a: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(a.get(k) or "") for k in ADDRESS_KEYS}


def address_candidates(user: Mapping[str, Any], orders: Mapping[str, Mapping[str, Any] | None]) -> list[Candidate]:
    """The profile's default address, then each order's shipping address (the same address once,
    with every order that ships there). Orders are given oldest first."""
    found: dict[tuple, dict[str, Any]] = {}

    def key(a: Mapping[str, Any]) -> tuple:
        return tuple(str(a.get(k) or "").strip().lower() for k in ADDRESS_KEYS)

    if user.get("address"):
        found[key(user["address"])] = {"address": _address(user["address"]), "default": True, "orders": [], "items": set()}
    for oid, order in orders.items():
        a = (order or {}).get("address")
        if a:
            entry = found.setdefault(key(a), {"address": _address(a), "default": False, "orders": [], "items": set()})
            entry["orders"].append(oid)
            names = [str(i.get("name")) for i in (order or {}).get("items") or [] if i.get("name")]
            # "Office Chair", "chair" (a head word of 5+ letters: "Luggage Set" gives no "set")
            entry["items"].update([*names, *(n.split()[-1] for n in names if len(n.split()[-1]) >= 5)])
    out = []
    for entry in found.values():
        a, orders_there = entry["address"], tuple(entry["orders"])
        line = format_address(a)
        where = "your default address" if entry["default"] else f"where order {orders_there[0]} ships"
        title = f"{line} ({where})"
        # not the state: "IN" would match "in"; the street also without its number ("the one on sunset drive")
        street = re.sub(r"^\s*\d+[a-z]?\s+", "", a["address1"], flags=re.I)
        # ... and by what ships there: "the same address as the chair order"
        terms = (*city_terms(a["city"]), a["address1"], street if street != a["address1"] else "", a["zip"],
                 *sorted(entry["items"]))
        fields = {"title": title, **a, "default": entry["default"], "orders": ", ".join(orders_there)}
        out.append(Candidate(a, title, "address", terms=tuple(t for t in terms if t), refs=orders_there,
                             flags=frozenset({"default"} if entry["default"] else ()), fields=fields))
    return out
