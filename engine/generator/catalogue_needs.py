"""A product asked for by what it is for, read as the catalogue's product and options: "something to keep my head safe
on the bike" is the Cycling Helmet, "a kettle for the gas cooker" the Tea Kettle for gas, "a pocket for a drinking
bladder" the backpack's hydration compartment.

The catalogue answers (catalogue_answers.py, recommend.py) read a product by its name or a synonym and an option by
its value. A shopper who names the use instead got the scope answer, another product named only as where it is used
("ride my bike" read as the Bicycle, "my laptop's USB port" as the Laptop), or the cheapest item of the whole store.
Here each use or need is a pattern with the product it points to and, for a need an option meets, that option's value;
a match writes them after the question in brackets, and a product the shopper says they own ("my bike", "my laptop's")
is then no product asked for. Only patterns with one reading in a shop are listed (what a shopper needs, not a word a
policy question uses).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .recommend import find_product


@dataclass(frozen=True)
class Need:
    """A use or need (`pattern`, a regex) and what meets it: a product of the catalogue, or an option value."""
    pattern: str
    product: str = ""
    value: str = ""


NEEDS: tuple[Need, ...] = (
    # products by their use
    Need(r"protect(s|ing)? (my|your|the|his|her|their) (head|skull)|head protection|keep (my|your|the) head safe",
         "Cycling Helmet"),
    Need(r"shade (over|for|on|above)|sunshade|parasol|keep the sun off|out of the sun", "Patio Umbrella"),
    Need(r"barbecue|cook(ing)? (\w+ ){0,3}(outdoors|outside|in the garden|on the patio)|charcoal", "Grill"),
    Need(r"film(ing)? (myself|me|my \w+)|record(ing)? (myself|my rides|my runs|my dives)|snorkel\w*|scuba|underwater"
         r"|go ?pro|helmet cam", "Action Camera"),
    Need(r"keep an eye on (my|the) (home|house|flat|apartment|living room|place|kids|pets?|dog|cat)|home security"
         r"|(baby|pet) monitor|watch (my|the) (home|house|flat|place) while", "Indoor Security Camera"),
    Need(r"(a )?light (for|on) (my|the|a) desk|desk light|reading light", "Desk Lamp"),
    Need(r"(control|controlling|set|adjust|manage) (my |the )?(heating|central heating|temperature)|heating control",
         "Smart Thermostat"),
    Need(r"over (my|your|the) ears|on (my|your|the) ears", "Headphones"),
    Need(r"(gas|induction|electric) (hob|stove|cooker|range)|\bhob\b|stove ?top|on the stove", "Tea Kettle"),
    Need(r"carry on (my|your|the) back|hiking bag|day ?pack", "Backpack"),
    Need(r"(four|4|three|3|two|2) (suitcases|cases|travel bags)|suitcases", "Luggage Set"),
    Need(r"(somewhere|something|a place|a bed) for (my|the|a) (dog|cat|puppy|kitten|pet) to (sleep|lie|nap)",
         "Pet Bed"),
    Need(r"clean(er)? (the )?air|allerg(y|ies)|dust in the air|smoke in the air", "Air Purifier"),
    Need(r"water(ing)? (the|my) (garden|plants|lawn|flower beds)", "Garden Hose"),
    Need(r"hoover|clean(ing)? (my|the) (floors?|carpets?|rugs?)", "Vacuum Cleaner"),
    Need(r"charge my (phone|mobile) (on the go|while out|away from)|keep my phone charged", "Portable Charger"),
    Need(r"(store|keep|hold|put) (all )?(my|our|the) books", "Bookshelf"),
    Need(r"(something|a seat) to sit on (at|by) (my|the) desk|sit at (my|the) desk all day", "Office Chair"),
    Need(r"lift(ing)? weights|weights (at|for) home|strength training", "Dumbbell Set"),
    Need(r"read (e-?books|books on the go)|carry my books", "E-Reader"),
    # option values by the need they meet
    Need(r"recharg(e|ed|ing)|instead of (buying )?(aa )?batteries|no more batteries", value="rechargeable"),
    Need(r"(water|drinking|hydration) (bladder|reservoir|tube)|hydration", value="hydration"),
    Need(r"(four|4) (suitcases|cases|travel bags)", value="4-piece"),
    Need(r"(three|3) (suitcases|cases|travel bags)", value="3-piece"),
    Need(r"(two|2) (suitcases|cases|travel bags)", value="2-piece"),
    Need(r"alexa", value="Amazon Alexa"), Need(r"siri|homekit|apple home", value="Apple HomeKit"),
    Need(r"google home|hey google|google nest", value="Google Assistant"),
    Need(r"over (my|your|the) ears", value="over-ear"), Need(r"on (my|your|the) ears", value="on-ear"),
    Need(r"without (wires|a wire|cables?|a cable|a cord)|no (wires|cables?|cords?)|wire-?free|cord-?free", value="wireless"),
    Need(r"gas (hob|stove|cooker|range)", value="gas"), Need(r"induction (hob|stove|cooker|range)", value="induction"),
    Need(r"(power|charge|run)s? (\w+ ){0,2}(from|off|by|through|via) (\w+ ){0,3}usb|usb[- ]powered", value="USB"),
)
_COMPILED = tuple((re.compile(rf"(?<![\w-])(?:{n.pattern})(?![\w-])", re.I), n) for n in NEEDS)
# what the shopper owns and uses the product with ("ride my bike", "my laptop's USB port")
_OWNED = re.compile(r"\b(my|our) ((?:[\w-]+ ){0,1}[\w-]+?)(?:'s|s')?(?![\w-])", re.I)
_FEET = re.compile(r"\b(\d+)[- ]?(?:foot|feet)\b", re.I)


def with_needs(question: str, catalogue: dict) -> str:
    """`question` with the product or option value each use or need points to written in brackets after it, and a
    product the shopper owns named as their own thing; unchanged when it names no need."""
    question = _FEET.sub(r"\1 ft", question)  # "the 7-foot one": the catalogue writes "7 ft"
    found = [(rx, n) for rx, n in _COMPILED if rx.search(question)]
    products = [n.product for _, n in found if n.product]
    if products:
        def owned(m: re.Match) -> str:
            hit = find_product(m.group(2), catalogue)
            return f"{m.group(1)} own one" if hit and hit[1] != products[0] else m.group()
        question = _OWNED.sub(owned, question)
    said: set[str] = set()
    for rx, n in found:
        what = n.product or n.value
        if what in said or (n.product and n.product != products[0]):
            continue
        m = rx.search(question)
        if m:
            said.add(what)
            question = f"{question[:m.end()]} ({what}){question[m.end():]}"
    return question
