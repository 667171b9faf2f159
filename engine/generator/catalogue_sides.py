"""The computed answer's type, and the answers that set variants side by side: two values of one option compared,
the two ends of a product's price range, the values no available variant has, a property the catalogue does not list.

Apart from catalogue_answers.py (which decides what a question asks) so that each module stays one reader's length.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from engine.contracts import Button

from .catalogue_store import money as _money, opts as _opts


@dataclass
class Computed:
    """A computed answer: its text, the product it is about and the variants it names (for buttons)."""

    text: str
    product: str
    item_ids: list[str] = field(default_factory=list)
    what: str = ""  # cheapest, most_expensive, count, availability, comparison, price_range, options

    def buttons(self, catalogue: dict) -> list[Button]:
        out = []
        for pid, prod in catalogue.items():
            for v in prod["variants"].values():
                if v["item_id"] in self.item_ids and v.get("available"):
                    out.append(Button(title=f"Buy {prod['name']} ({_opts(v)}) {_money(v['price'])}",
                                      payload="/checkout" + json.dumps({"item_id": v["item_id"]})))
        return out[:3]


def _unavailable_values(name: str, variants: list[dict], key: str | None) -> Computed:
    """"Which sizes are not available?": the values of an option that no available variant has."""
    keys = [key] if key else list(dict.fromkeys(k for v in variants for k in v["options"]))
    parts = []
    for k in keys:
        listed = list(dict.fromkeys(str(v["options"][k]) for v in variants if k in v["options"]))
        avail = {str(v["options"].get(k)) for v in variants if v.get("available")}
        gone = [x for x in listed if x not in avail]
        if gone:
            parts.append(f"{k} {', '.join(gone)}")
    if not parts:
        return Computed(f"Every {' and every '.join(keys)} of the {name} has an available variant right now.", name,
                        what="unavailable")
    return Computed(f"Not available right now in the {name}: {'; '.join(parts)}.", name, what="unavailable")


def _spread(name: str, label: str, avail: list[dict], chosen: list[dict], nothing, *, summed: bool = False) -> Computed:
    """"the difference between the cheapest and the most expensive": both variants and the difference (their sum
    when the question adds them up: "cheapest and priciest added up?")."""
    if not avail:
        return Computed(nothing(), name, what="price_range")
    lo, hi = min(avail, key=lambda x: x["price"]), max(avail, key=lambda x: x["price"])
    tail = (f"together {_money(hi['price'] + lo['price'])}" if summed else
            f"a difference of {_money(hi['price'] - lo['price'])}")
    return Computed(f"The cheapest available {label} is the one with {_opts(lo)}, at {_money(lo['price'])}; the most "
                    f"expensive is the one with {_opts(hi)}, at {_money(hi['price'])}: {tail}.", name,
                    [lo["item_id"], hi["item_id"]], "price_range")


def _not_listed(name: str, prop: str, keys: list[str]) -> str:
    """A property the catalogue does not give (the product exists; its passage has only options and prices)."""
    listed = ", ".join(keys[:-1]) + (f" and {keys[-1]}" if len(keys) > 1 else keys[0] if keys else "")
    return (f"Our catalogue doesn't list the {prop} of the {name}, so I can't tell you that; it gives its "
            f"{listed}, and the price of each variant.")


def _compare(name: str, variants: list[dict], key: str, vals: list[str],
             shared: dict[str, list[str]] | None = None) -> Computed:
    """"the 128GB or the 256GB": the cheapest available variant with each value of one option (and with the values
    said of both, which a shopper reads as part of each side: "both with a white dial")."""
    return _compare_sides(name, variants, [{key: [val], **(shared or {})} for val in vals])


def _compare_sides(name: str, variants: list[dict], sides: list[dict[str, list[str]]]) -> Computed:
    """"tactile white full size or linear RGB full size": the cheapest available variant of each side."""
    rows = []
    for side in sides:
        match = [v for v in variants if v.get("available")
                 and all(str(v["options"].get(k)) in vals for k, vals in side.items())]
        label = ", ".join(f"{k} {' or '.join(vals)}" for k, vals in side.items())
        rows.append((label, min(match, key=lambda x: x["price"]) if match else None))
    if not any(v for _, v in rows):  # nothing to compare: said plainly, not as a price of "none available"
        text = f"Neither is available right now: the {name} is not available " + \
            " nor ".join(f"with {label}" for label, _ in rows) + "."
        return Computed(text, name, [], "comparison")
    parts = [f"with {label}: {_money(v['price'])}" if v else f"with {label}: not available" for label, v in rows]
    text = f"The cheapest available {name} " + "; ".join(parts) + "."
    if all(v for _, v in rows):
        (a, va), (b, vb) = rows
        diff = abs(va["price"] - vb["price"])
        text += (" They cost the same." if diff < 0.005 else
                 f" The one with {a if va['price'] < vb['price'] else b} is {_money(diff)} cheaper.")
    return Computed(text, name, [v["item_id"] for _, v in rows if v], "comparison")
