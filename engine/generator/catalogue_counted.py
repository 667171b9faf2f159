"""The few variants a count by the product's name stands for, each by what sets it apart and its price.

"How many grills with a rotisserie can I get?" is answered "We have 3 Grill variants with rotisserie ..." and then
which three they are ("type charcoal, size medium at $962.69; ..."): a shopper counting models asks in order to
choose one, and a bare count of variants leaves them to ask again for each.
"""
from __future__ import annotations

from .catalogue_store import money

MOST_LISTED = 5  # beyond this a list reads as a catalogue page; the count and the price span are enough


def option_said(key: str, value: object) -> str:
    """"type charcoal"; a value its option's name lists ("bagged/bagless") alone: "bagless"."""
    return str(value) if "/" in key and str(value).lower() in key.lower().split("/") else f"{key} {value}"


def counted_variants(fit: list[dict]) -> str:
    """" They are: type charcoal, size medium at $962.69; ..." for 2 to MOST_LISTED variants, by the options that
    differ among them, the cheapest first; "" otherwise."""
    if not 1 < len(fit) <= MOST_LISTED:
        return ""
    keys = list(dict.fromkeys(k for v in fit for k in v["options"]))
    differ = [k for k in keys if len({str(v["options"].get(k)) for v in fit}) > 1]
    if not differ:
        return ""
    parts = [", ".join(option_said(k, v["options"][k]) for k in differ if k in v["options"]) + f" at {money(v['price'])}"
             for v in sorted(fit, key=lambda x: x["price"])]
    return " They are: " + "; ".join(parts) + "."
