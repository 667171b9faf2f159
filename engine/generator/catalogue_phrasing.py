"""What the shopper can buy, said in the shopper's words.

"cheapest black t-shirt in size L?" is answered "We don't have a black T-Shirt in size L right now", not
"We have no T-Shirt with color black, size L"; "how many sneaker options can I buy?" leads with the options
one can buy ("2 Sneakers options are available to buy right now; 3 more are sold out"), never with the count
of every variant listed, which a shopper reads as what they can buy. Only available variants are offered;
sold-out ones are named only as sold out.
"""
from __future__ import annotations

import re

from .catalogue_values import ordered

COLOR_KEYS = ("color", "colour")


def _or(vals: list[str]) -> str:
    return vals[0] if len(vals) == 1 else ", ".join(vals[:-1]) + " or " + vals[-1]


def plural(name: str) -> bool:
    """"Sneakers", "Running Shoes", "Headphones" name a pair or a set: no article, "they"."""
    return name.endswith("s") and not name.endswith("ss")


def condition(key: str, vals: list[str], flags: list[str]) -> str:
    """One constraint as the shopper would say it after the product: "in black", "in size L",
    "with capacity 2L", "that is waterproof"."""
    if key in flags:
        return f"that {'is' if vals == ['yes'] else 'is not'} {key}"
    if key.lower() in COLOR_KEYS:
        return f"in {_or(vals)}"
    if key.lower() == "size":
        return f"in size {_or(vals)}"
    if key.lower() == "features" and "none" not in vals:  # "with rotisserie", not "with features rotisserie"
        return f"with {_or(vals)}"
    if _self_named(key, vals):
        return f"that is {_or(vals)}"
    if key.lower() == "compartment":  # "with a laptop compartment"
        return f"with a {_or(vals)} compartment"
    return f"with {key} {_or(vals)}"


# options whose value is said before the name, as an adjective: "a glass Water Bottle", "wireless Gaming Mice", "a gas
# Grill" (not "a Water Bottle with material glass")
ADJECTIVE_KEYS = frozenset({"material", "connectivity", "type", "style"})


def _adjective(key: str, vals: list[str]) -> bool:
    return key.lower() in ADJECTIVE_KEYS and "none" not in vals


def _self_named(key: str, vals: list[str]) -> bool:
    """An option whose name lists its values ("bagged/bagless"): its value alone says it ("bagless")."""
    return "/" in key and all(v.lower() in key.lower().split("/") for v in vals)


def shopper_label(name: str, wanted: dict[str, list[str]], flags: list[str], *, article: str = "") -> str:
    """"a black T-Shirt in size L", "waterproof Hiking Boots in size 10", "the Fleece Jacket in size M".
    `article`: "a" (a / an), "the", "auto" ("a" when a colour or feature comes first, else "the"), "" none;
    a plural name takes no indefinite article."""
    first = [k for k, v in wanted.items() if k.lower() in COLOR_KEYS or _self_named(k, v) or _adjective(k, v)]
    front = [_or(wanted[k]) for k in first] + [k for k, v in wanted.items() if k in flags and v == ["yes"]]
    rest = [condition(k, v, flags) for k, v in wanted.items()
            if k not in first and not (k in flags and v == ["yes"])]
    withs = [c[len("with "):] for c in rest if c.startswith("with ")]
    rest = [c for c in rest if not c.startswith("with ")] + (["with " + " and ".join(withs)] if withs else [])
    text = " ".join(front + [name] + rest)
    if article == "auto":
        article = "a" if front else "the"
    if article == "the":
        return "the " + text
    if article == "a" and not plural(name):
        first = text.split()[0]
        vowel = first[0] in "AEFHILMNORSX" if first.isupper() and len(first) > 1 else first[0].lower() in "aeiou"
        return ("an " if vowel else "a ") + text
    return text


def option_values(key: str, avail: list[dict], chosen: list[dict]) -> tuple[list[str], list[str]]:
    """(values of `key` one can buy, values only sold-out variants have), in catalogue order."""
    can = ordered(str(v["options"][key]) for v in avail if key in v["options"])
    gone = [x for x in ordered(str(v["options"][key]) for v in chosen if key in v["options"]) if x not in can]
    return can, gone


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
LETTER_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")


def plural_key(key: str, n: int) -> str:
    """"color" -> "colors", "capacity" -> "capacities" (one: the key as it is)."""
    if n == 1 or key.endswith("s"):
        return key
    if re.search(r"[^aeiou]y$", key):
        return key[:-1] + "ies"
    return key + ("es" if re.search(r"(x|ch|sh)$", key) else "s")


def value_list(vals: list[str]) -> str:
    """Values as a shopper reads a list: letter sizes small to large, numbers in order, words alphabetically
    ("black, blue, purple and red"), joined with "and" (a list the shopper can check against theirs)."""
    if all(re.match(r"\d", v) for v in vals) and len(vals) > 2:  # a run of sizes: "7, 8, 9, 10, 11, 12"
        return ", ".join(vals)
    if all(v in LETTER_SIZES for v in vals):
        vals = sorted(vals, key=LETTER_SIZES.index)
    elif not all(re.match(r"\d", v) for v in vals):
        vals = sorted(vals, key=str.lower)
    return _or(list(vals)).replace(" or ", " and ") if len(vals) > 1 else (vals[0] if vals else "")


def values_text(key: str, can: list[str], gone: list[str]) -> str:
    """"four colors you can buy right now (4 options): black, blue, purple and red (white is sold out)": the
    count said in words and in figures, for a shopper who asked "how many" either way."""
    n = len(can)
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return (f"{word} {plural_key(key, n)} you can buy right now ({n} option{'s' if n != 1 else ''}): "
            f"{value_list(can)}{sold_out_note(gone)}")


def near_text(label: str, avail: list[dict], price: float, opts, money) -> str:
    """"a laptop for around 2300 dollars?": the available variants closest to the price the shopper has in mind
    (within a tenth of it, at most three), or the closest one said to be further off; never a yes to a price
    that is not one of them ("the hose was around 95 bucks, right?" reads the real price)."""
    by_gap = sorted(avail, key=lambda v: abs(v["price"] - price))
    close = [v for v in by_gap if abs(v["price"] - price) <= 0.1 * price][:3]
    said = money(price).replace(".00", "")
    if not close:
        v = by_gap[0]
        return (f"No available {label} costs around {said}: the closest is the one with {opts(v)}, at "
                f"{money(v['price'])}.")
    rows = "; ".join(f"the one with {opts(v)}, at {money(v['price'])}" for v in close)
    return f"The available {label} options closest to {said}: {rows}."


def sold_out_note(gone: list[str], key: str = "") -> str:
    if not gone:
        return ""
    return f" ({key + ' ' if key else ''}{_or(gone).replace(' or ', ' and ')} {'is' if len(gone) == 1 else 'are'} sold out)"


def count_text(label: str, is_plural: bool, avail: int, listed: int) -> str:
    """"The Sneakers have 2 options available to buy right now (2 of the 5 we list); 3 more are sold out."
    (`label` from
    shopper_label with "the")"""
    subject, has = label[0].upper() + label[1:], "have" if is_plural else "has"
    gone = listed - avail
    if avail == 0:
        return (f"{subject} {has} no available option right now" +
                (f": {'the one' if gone == 1 else f'all {gone}'} we list {'is' if gone == 1 else 'are'} sold out."
                 if gone else "."))
    if not gone:
        return f"{subject} {has} {avail} option{'s' if avail != 1 else ''} to buy right now, all of them available."
    # the part of the whole, in the shopper's words too ("how many versions can I buy?": "11 of the 16 we list")
    return (f"{subject} {has} {avail} option{'s' if avail != 1 else ''} available to buy right now ({avail} of the "
            f"{listed} we list); {gone} more {'is' if gone == 1 else 'are'} sold out.")


# "how many laptops / kinds of laptops / power banks with USB-C?": the things counted by their name, not the options
COUNTED_BY_NAME = re.compile(r"\bhow many\b(?![^?]*\b(options?|variants?|versions?|choices?|combinations?|combos?|"
                             r"configurations?|colou?rs?|sizes?)\b)", re.I)


def named_count_text(the: str, name: str, avail: int, listed: int) -> str:
    """"We have 2 E-Reader variants with connectivity Wi-Fi + Cellular to buy right now (2 options available, none sold
    out).": a count of the product asked by its name ("how many e-readers with cellular?") said of the product,
    which "the E-Reader ... has 2 options" leaves to be read as its colours or sizes. `the`: shopper_label with "the"."""
    if avail == 0:
        return count_text(the, plural(name), avail, listed)
    s = "s" if avail != 1 else ""
    things = the[len("the "):] if the.startswith("the ") else the
    things = things.replace(name, f"{name} variant{s}", 1) if name in things else f"{things} variant{s}"
    gone = listed - avail
    rest = ", none sold out)." if not gone else \
        f", {avail} of the {listed} we list); {gone} more {'is' if gone == 1 else 'are'} sold out."
    return f"We have {avail} {things} to buy right now ({avail} option{s} available{rest}"


def none_available(name: str, wanted: dict[str, list[str]], flags: list[str], chosen: list[dict],
                   variants: list[dict]) -> str:
    """Nothing available with every value asked for: said plainly, then what there is instead (the values
    available with all but one of the constraints, never a sold-out variant's price)."""
    label = shopper_label(name, wanted, flags, article="auto")
    if not chosen:
        text = f"We don't have {label} right now: that is not available."
    else:
        n = len(chosen)
        text = (f"We don't have {label} available right now: "
                f"{'the one we list is' if n == 1 else f'all {n} we list are'} out of stock.")
    avail = [v for v in variants if v.get("available")]
    if not avail:
        return text + f" No {name} is available right now."
    them = "them" if plural(name) else "it"
    if len(wanted) == 1:
        (key, _), = wanted.items()
        vals = _values(key, avail)
        return text + (f" We have {them} {_comes(key, vals, flags)}." if vals else "")
    others = []
    for key in wanted:
        rest = {k: vals for k, vals in wanted.items() if k != key}
        near = [v for v in avail if key in v["options"]
                and all(str(v["options"].get(k)) in vals for k, vals in rest.items())]
        if near:
            subject = shopper_label(name, rest, flags, article="the")
            verb = "come" if plural(name) else "comes"
            others.append(f"{subject[0].upper()}{subject[1:]} {verb} {_comes(key, _values(key, near), flags)}.")
    if not others:  # nothing with all but one either: what there is of the first value asked
        key = next(iter(wanted))
        vals = _values(key, avail)
        others = [f"We have {them} {_comes(key, vals, flags)}."] if vals else []
    return " ".join([text] + others)


def _comes(key: str, vals: list[str], flags: list[str]) -> str:
    """"in size S, XL or XXL", "in red", "with capacity 1L or 1.5L", "only without waterproof"."""
    if key in flags:
        return "with or without " + key if len(vals) > 1 else f"only {'with' if vals == ['yes'] else 'without'} {key}"
    return condition(key, vals, flags)


def _values(key: str, variants: list[dict]) -> list[str]:
    return ordered(str(v["options"][key]) for v in variants if key in v["options"])


def price_span(avail: list[dict]) -> str:
    """"$219.43" for one price, "from $1,902.67 to $2,195.04" for several (available variants only)."""
    lo, hi = min(v["price"] for v in avail), max(v["price"] for v in avail)
    return f"${lo:,.2f}" if lo == hi else f"from ${lo:,.2f} to ${hi:,.2f}"


def value_prices(key: str, vals: list[str], avail: list[dict]) -> str:
    """"Prices: blue $2,195.04; green $1,917.21.": what each listed value costs, for a shopper who asked for the
    values and their prices together (a list of values alone leaves the prices to guess)."""
    rows = [f"{val} {price_span([v for v in avail if str(v['options'].get(key)) == val])}" for val in vals]
    return f"Prices: {'; '.join(rows)}."
