"""An opening that buys something new and says where it should go: "Gift for my nephew: a skateboard, maple,
31 inch, graphic design. Ship it to his place please", "I'm buying a gift for my dad's 70th: the wristwatch with
the leather strap. Please send it to his address, not mine."

Routed a clause at a time, "ship it to his place" is the clearest request, and it reads as moving an order's
shipping address. But no order exists yet: the shopper names a product to buy and says nothing of an order
placed. Checkout asks where to ship, so the purchase is the task.
"""
from __future__ import annotations

import re

# buying said in words, or a gift named for someone
_BUYING = re.compile(r"\b(?:buy|buying|purchas(?:e|ing)|order\s+(?:me|him|her|them)|get\s+(?:me|him|her|them)\s+(?:an?|the)|"
                     r"(?:a\s+)?(?:gift|present)\s+for)\b", re.I)
# an order that already exists: its number, the word, or a purchase told in the past
_PLACED = re.compile(r"#?\bW\d{7}\b|\b(?:orders?|package|parcel|shipment|delivery)\b|\b(?:ordered|bought|purchased|"
                     r"placed|received|arrived|shipped|got)\b", re.I)


def buys_for_elsewhere(text: str, names_product: bool) -> bool:
    """Whether `text` buys a product it names (`names_product`: a catalogue product is in it) and names no
    order placed, so where to ship it belongs to the purchase."""
    return names_product and _BUYING.search(text) is not None and _PLACED.search(text) is None
