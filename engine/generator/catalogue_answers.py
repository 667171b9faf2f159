"""Catalogue and money questions, computed: never a number the language model wrote.

"Which t-shirt is the cheapest?", "how many colors does the backpack come in?", "is the red XL t-shirt in
stock?", "how much more is the 256GB phone than the 128GB one?", "how much are the headphones?": the
answer is computed from products.json (the catalogue the passages are built from) and phrased by a fixed
template. A 135M model asked to pick a minimum from a passage copies the first price it sees.
Questions about the shopper's own orders never come here (the Answerer redirects them first).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from engine.contracts import Button
from engine.knowledge.retrieval import _stem

from .catalogue_values import attribute_asked, describe, mentioned_values, yes_no_keys
from .recommend import find_product

CHEAPEST = re.compile(r"\b(cheapest|least expensive|lowest[- ]price[d]?|most affordable|lowest cost|cheaper one|"
                      r"least (i|you|one) (can|could) pay|lowest)\b", re.I)
PRICIEST = re.compile(r"\b(most expensive|priciest|highest[- ]price[d]?|most costly|dearest)\b", re.I)
HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b", re.I)
PRICE = re.compile(r"\b(how much|price range|prices?|cost|costs|priced)\b", re.I)
AVAILABLE = re.compile(r"\b(in stock|available|availability|out of stock|sold out|can i (buy|get|order))\b", re.I)
COMPARE = re.compile(r"\b(difference|compare|compared|vs\.?|versus|cheaper|more expensive|pricier|or the)\b", re.I)
# "you have 17 laptops, right?": a count the shopper states is answered with the real one
COUNT_CLAIM = re.compile(r"\b(you have|there are|you've got|you sell)\s+\d+\b", re.I)
NOT_AVAILABLE = re.compile(r"\b(not|isn't|aren't|un)[- ]?(available|in stock)\b|\bout of stock\b|\bsold out\b", re.I)
# "the most expensive thing you sell is the digital camera, right?": about the whole store, a product named or not
STORE_WIDE = re.compile(r"\b(thing|things|item|items|product|products)\s+(you|we|the shop|the store)\s+(sell|have|carry|offer)"
                        r"|\b(in the (store|shop)|of all|in your (store|shop))\b", re.I)
# "the notebook comes in A4, A5 and A6, so I'll take the A6 hard cover, how much is it?": the last clause asks
CLAUSE = re.compile(r"\s*(?:[.;!]|,?\s+\b(?:so|then|but)\b)\s+", re.I)
LIST_OPTIONS = re.compile(r"\b(what|which)\b.*\b(options|variants|versions|colou?rs|sizes|come in|available in)\b", re.I)


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


def _ordered(values) -> list[str]:
    """Distinct option values, sizes 7, 8, 9 ... in numeric order when they are all numbers."""
    out = list(dict.fromkeys(values))
    if all(re.match(r"\d+(\.\d+)?", x) for x in out):  # "3 ft", "4 ft"; "1L", "1.5L", "2L"
        out.sort(key=lambda x: float(re.match(r"\d+(\.\d+)?", x).group()))
    return out


def _money(x: float) -> str:
    return f"${x:,.2f}"


def _opts(v: dict) -> str:
    return ", ".join(f"{k} {val}" for k, val in v["options"].items())


def _option_key_asked(question: str, keys: list[str]) -> str | None:
    """The option key a "how many ..." / "what ..." question names ("colors" -> "color")."""
    words = {_stem(w).rstrip("e") for w in re.findall(r"[a-z]+", question.lower().replace("colour", "color"))}
    for key in sorted(keys, key=len, reverse=True):  # "sizes" -> "siz", "size" -> "size": both "siz"
        if all(_stem(w).rstrip("e") in words for w in key.lower().split()):
            return key
    return None


def computed_answer(question: str, catalogue: dict) -> Computed | None:
    """The computed answer when the question is one of the shapes above about a product (or the whole
    catalogue for cheapest / most expensive / how many products); None otherwise."""
    found = find_product(question, catalogue)
    if found is None or ((CHEAPEST.search(question) or PRICIEST.search(question)) and STORE_WIDE.search(question)):
        return _store_wide(question, catalogue)
    pid, name = found
    variants = list(catalogue[pid]["variants"].values())
    clauses = [c for c in CLAUSE.split(question) if c and c.strip()]
    asked_in = next((c for c in reversed(clauses) if mentioned_values(c, variants)), question)
    if asked_in != question:  # values named earlier are the shopper's premise; the last clause asks
        question = asked_in + " " + " ".join(c for c in clauses if c is not asked_in and not mentioned_values(c, variants))
    mentioned = mentioned_values(question, variants)
    excluded = mentioned_values(question, variants, negated=True)
    if NOT_AVAILABLE.search(question) and not mentioned:
        return _unavailable_values(name, variants, _option_key_asked(question, list(dict.fromkeys(
            k for v in variants for k in v["options"]))))
    keys = list(dict.fromkeys(k for v in variants for k in v["options"]))
    # comparison: two values of one option key ("the 128GB or the 256GB", "black vs green")
    pair = next(((k, vals[:2]) for k, vals in mentioned.items() if len(vals) >= 2), None)
    asks = COMPARE.search(question) or PRICE.search(question) or CHEAPEST.search(question) or PRICIEST.search(question)
    halves = re.split(r"\s+(?:or|vs\.?|versus)\s+", question, maxsplit=1)
    if pair and asks and len(halves) == 2:
        sides = [mentioned_values(h, variants) for h in halves]
        if all(sides) and sum(len(v) for side in sides for v in side.values()) > 2:
            return _compare_sides(name, variants, sides)
    if pair and asks:
        return _compare(name, variants, *pair)
    chosen = [v for v in variants if all(str(v["options"].get(k)) in vals for k, vals in mentioned.items())
              and not any(str(v["options"].get(k)) in vals for k, vals in excluded.items())]
    avail = [v for v in chosen if v.get("available")]
    flags = yes_no_keys({k: {str(v["options"][k]) for v in variants if k in v["options"]} for k in keys})
    # "not PVC": the values that are left, by name ("material TPE (not PVC)"), those available first
    left = {k: _ordered(str(v["options"][k]) for v in (avail or chosen) if k in v["options"]) for k in excluded}
    wanted = ", ".join([describe(k, vals, flags) for k, vals in mentioned.items()] +
                       [f"{describe(k, left[k], flags)} (not {' or '.join(vals)})" if left[k] and k not in flags
                        else describe(k, ["no" if vals == ["yes"] else "yes"], flags) if k in flags
                        else f"{k} other than {' or '.join(vals)}" for k, vals in excluded.items()])
    label = f"{name}" + (f" with {wanted}" if wanted else "")
    prop = attribute_asked(question, keys)
    if prop and prop[1] is None:  # "how much does the bookshelf weigh?": not a price question
        return Computed(_not_listed(name, prop[0], keys), name, what="not_listed")
    if prop and not mentioned:
        key = prop[1]
        vals = _ordered(str(v["options"][key]) for v in (avail or chosen) if key in v["options"])
        return Computed(f"The {name} comes in {key}: {', '.join(vals)}.", name, what="options")
    if CHEAPEST.search(question) and PRICIEST.search(question):
        return _spread(name, label, avail, chosen)
    if CHEAPEST.search(question) or PRICIEST.search(question):
        high = bool(PRICIEST.search(question))
        if not avail:
            return Computed(_none_available(label, chosen, variants, mentioned), name, what="cheapest")
        v = (max if high else min)(avail, key=lambda x: x["price"])
        word = "most expensive" if high else "cheapest"
        return Computed(f"The {word} available {label} is the one with {_opts(v)}, at {_money(v['price'])}.",
                        name, [v["item_id"]], "most_expensive" if high else "cheapest")
    if HOW_MANY.search(question) or COUNT_CLAIM.search(question):
        key = _option_key_asked(question, keys)
        if key and key not in mentioned:
            vals = _ordered(str(v["options"][key]) for v in chosen if key in v["options"])
            return Computed(f"The {label} comes in {len(vals)} {key} option{'s' if len(vals) != 1 else ''}: "
                            f"{', '.join(vals)}.", name, what="count")
        return Computed(f"We have {len(chosen)} variant{'s' if len(chosen) != 1 else ''} of the {label}, "
                        f"{len(avail)} of them available right now.", name, what="count")
    if (mentioned or excluded) and (AVAILABLE.search(question) or re.match(r"^\s*(do|does|is|are|can|any)\b", question, re.I)):
        if avail:
            cheapest = min(avail, key=lambda x: x["price"])
            count = f"{len(avail)} variants, from" if len(avail) != 1 else "1 variant, at"
            return Computed(f"Yes: the {label} is available ({count} {_money(cheapest['price'])}).", name,
                            [v["item_id"] for v in sorted(avail, key=lambda x: x["price"])], "availability")
        return Computed(_none_available(label, chosen, variants, mentioned, flags), name, what="availability")
    if PRICE.search(question):
        if not avail:
            return Computed(_none_available(label, chosen, variants, mentioned), name, what="price_range")
        lo, hi = min(v["price"] for v in avail), max(v["price"] for v in avail)
        span = f"{_money(lo)}" if lo == hi else f"from {_money(lo)} to {_money(hi)}"
        return Computed(f"The available {label} variants cost {span} ({len(avail)} of {len(chosen)} available).",
                        name, what="price_range")
    if LIST_OPTIONS.search(question):
        key = _option_key_asked(question, keys)
        shown = [key] if key else keys
        parts = [f"{k}: {', '.join(_ordered(str(v['options'][k]) for v in chosen if k in v['options']))}"
                 for k in shown]
        return Computed(f"The {label} comes in {'; '.join(parts)}.", name, what="options")
    return None


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


def _none_available(label: str, chosen: list[dict], variants: list[dict] = (),
                    mentioned: dict[str, list[str]] | None = None, flags: list[str] = ()) -> str:
    """Nothing available with every value named; with several named, what is available with all but one of
    them ("the available ones with capacity 2L come in color white")."""
    text = (f"We have no {label}: none of our variants has that." if not chosen else
            f"No {label} is available right now ({len(chosen)} listed, all out of stock).")
    mentioned = mentioned or {}
    if len(mentioned) < 2:
        return text
    others = []
    for key in mentioned:
        rest = {k: vals for k, vals in mentioned.items() if k != key}
        near = [v for v in variants if v.get("available") and key in v["options"]
                and all(str(v["options"].get(k)) in vals for k, vals in rest.items())]
        if near:
            got = _ordered(str(v["options"][key]) for v in near)
            others.append(f"with {', '.join(describe(k, vals, list(flags)) for k, vals in rest.items())}: "
                          f"{describe(key, got, list(flags))}")
    return text + (f" Available {'; '.join(others)}." if others else "")


def _spread(name: str, label: str, avail: list[dict], chosen: list[dict]) -> Computed:
    """"the difference between the cheapest and the most expensive": both variants and the difference."""
    if not avail:
        return Computed(_none_available(label, chosen), name, what="price_range")
    lo, hi = min(avail, key=lambda x: x["price"]), max(avail, key=lambda x: x["price"])
    return Computed(f"The cheapest available {label} is the one with {_opts(lo)}, at {_money(lo['price'])}; the most "
                    f"expensive is the one with {_opts(hi)}, at {_money(hi['price'])}: a difference of "
                    f"{_money(hi['price'] - lo['price'])}.", name, [lo["item_id"], hi["item_id"]], "price_range")


def _not_listed(name: str, prop: str, keys: list[str]) -> str:
    """A property the catalogue does not give (the product exists; its passage has only options and prices)."""
    listed = ", ".join(keys[:-1]) + (f" and {keys[-1]}" if len(keys) > 1 else keys[0] if keys else "")
    return (f"Our catalogue doesn't list the {prop} of the {name}, so I can't tell you that; it gives its "
            f"{listed}, and the price of each variant.")


def _compare(name: str, variants: list[dict], key: str, vals: list[str]) -> Computed:
    """"the 128GB or the 256GB": the cheapest available variant with each value of one option."""
    return _compare_sides(name, variants, [{key: [val]} for val in vals])


def _compare_sides(name: str, variants: list[dict], sides: list[dict[str, list[str]]]) -> Computed:
    """"tactile white full size or linear RGB full size": the cheapest available variant of each side."""
    rows = []
    for side in sides:
        match = [v for v in variants if v.get("available")
                 and all(str(v["options"].get(k)) in vals for k, vals in side.items())]
        label = ", ".join(f"{k} {' or '.join(vals)}" for k, vals in side.items())
        rows.append((label, min(match, key=lambda x: x["price"]) if match else None))
    parts = [f"with {label}: {_money(v['price'])}" if v else f"with {label}: none available" for label, v in rows]
    text = f"The cheapest available {name} " + "; ".join(parts) + "."
    if all(v for _, v in rows):
        (a, va), (b, vb) = rows
        diff = abs(va["price"] - vb["price"])
        text += (" They cost the same." if diff < 0.005 else
                 f" The one with {a if va['price'] < vb['price'] else b} is {_money(diff)} cheaper.")
    return Computed(text, name, [v["item_id"] for _, v in rows if v], "comparison")


def _store_wide(question: str, catalogue: dict) -> Computed | None:
    ql = question.lower()
    if not re.search(r"\b(products?|items?|in the (store|shop)|you sell|do you have|of all)\b", ql):
        return None
    if CHEAPEST.search(question) or PRICIEST.search(question):
        avail = [(p["name"], v) for p in catalogue.values() for v in p["variants"].values() if v.get("available")]
        high = bool(PRICIEST.search(question))
        name, v = (max if high else min)(avail, key=lambda x: x[1]["price"])
        word = "most expensive" if high else "cheapest"
        return Computed(f"The {word} available item in our store is the {name} ({_opts(v)}), at "
                        f"{_money(v['price'])}.", name, [v["item_id"]], "most_expensive" if high else "cheapest")
    most = re.search(r"\b(most|fewest|least)\s+(options|variants|choices|versions)\b", ql)
    if most:  # "which product has the most options?": the available variants one can choose from now
        count = {p["name"]: sum(bool(v.get("available")) for v in p["variants"].values()) for p in catalogue.values()}
        n = (max if most.group(1) == "most" else min)(count.values())
        names = [name for name, c in count.items() if c == n]
        return Computed(f"{' and '.join(f'The {x}' if i == 0 else f'the {x}' for i, x in enumerate(names))} "
                        f"{'has' if len(names) == 1 else 'have'} the {most.group(1)} available variants to choose "
                        f"from: {n}.", names[0], what="count")
    if HOW_MANY.search(question) and re.search(r"\b(products?|types|kinds)\b", ql):
        n = sum(len(p["variants"]) for p in catalogue.values())
        return Computed(f"Our store sells {len(catalogue)} types of products, in {n} variants.", "", what="count")
    return None
