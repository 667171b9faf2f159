"""British and colloquial shop words written as the shop's knowledge writes them, before a question is read:
"the postcode my parcel goes to", "swap my trainers", "money back on my voucher", "a bloke or a bot".

Every reading of a question compares words with the policy, the FAQ and the catalogue (retrieval, the entities of
subjects.py, the words a fact must share in ranking.py). Those are written in one variety of English: "postcode"
meets no "zip code", "parcel" no "order", "voucher" no "gift card", so such questions got the scope answer although
the knowledge answers them. Only words with one meaning in a shop chat are rewritten, each to the knowledge's word
for the same thing; a word that may be the shopper's own story ("post" a letter, "lines" of text) is rewritten only
in the phrase that fixes its meaning. Applied after the shorthand is written out (shorthand.py).
"""
from __future__ import annotations

import re

# (pattern, replacement): whole words, case-insensitive; the longer phrases first
_RULES: tuple[tuple[str, str], ...] = (
    # places and post
    # the postcode an order goes to is its shipping address; any other is the one that identifies the shopper
    (r"(the )?(post ?code|zip ?code|postal code)s? (my|the|an?) (parcel|order|package|delivery) (is going|goes|is sent|is being sent|ships)( to)?",
     "the shipping address of my order"),
    (r"post ?codes?|postal codes?", "zip code"),
    (r"(parcels?|packages?|deliver(?:y|ies)) with (?:a few|some|several|two|three|\d+) (?:bits|things|pieces)(?: in(?: it)?)?",
     "order with several items"),
    (r"parcels?", "order"),
    (r"bits and bobs", "items"),
    (r"post (it|them|the \w+|that|this) back", r"send \1 back"),
    (r"(it'?s|it is|it has been|it'?s been|they'?re|they are|they'?ve been) (posted|dispatched|sent out|shipped)",
     "it ships"),
    (r"(gets?|got|been|being|was|is) (posted|dispatched)", r"\1 shipped"),
    (r"dispatched", "shipped"), (r"dispatch(es)?", r"ship\1"),
    (r"(i'?ve |i have |we'?ve |we have )?(moved|am moving|i'm moving|are moving) (house|home|flat)", "my default address changed"),
    # money
    (r"(gift |shop |store )?vouchers?", "gift card"), (r"store credit", "gift card"),
    (r"working days?", "business days"),
    (r"left ?over (money|cash|amount)|(money|amount) left ?over|the change left", "price difference"),
    (r"(take|takes|taking|accept) (card|cards)\b", r"accept credit cards"),
    # "you only take cards?": which ways to pay there are, answered by the list of them
    (r"(you )?(only|just) (take|takes|accept|accepts)\b", r"\1accept"),
    (r"(do you|you|d'you|you don'?t|you do not|don'?t you|do not you) (take|takes)\b(?= (?:paypal|credit|debit|gift|visa|mastercard|amex|apple|google|cash|cards?)\b)",
     r"\1 accept"),
    # clothes and things ("trainers" are shoes, not people who train)
    (r"trainers", "sneakers"), (r"jumpers?", "sweater"), (r"mobile phones?|mobiles", "smartphone"),
    # people and the assistant
    (r"(a )?(bloke|lad|geezer|fella|fellow|chap|guy|real human being)", "a person"),
    (r"(chatting|talking|speaking|texting) (to|with)", "talking to"),
    # the catalogue as a whole
    (r"how many (lines|product lines|ranges|kinds of things|sorts of things|different things)"
     r"(?= (do|does|are|have|has|you|in)\b)", "how many products"),
    (r"product lines", "products"),
    (r"(do you|you) (stock|carry)\b", r"\1 sell"),
    # ordering
    (r"(raise|put in|put through|submit) (a|another) (new )?order", r"place \2 new order"),
    (r"(hit|pressed|press|clicked|click) (the )?(order|buy|checkout|place order|pay) button", "placed the order"),
    # time
    # a clock named by a shopper abroad: a question about the time zone orders are written in
    (r"(gmt|bst|utc|uk time|british time|london time)", r"the \1 time zone"),
    # a thing left alone is a thing not changed ("can't be touched once ordered")
    (r"(be|get|gets|been) (touched|altered|amended)", r"\1 changed"), (r"(alter|amend)(s|ed|ing)?", r"change\2"),
    (r"(once|after|when) (i'?ve|i have|i|you'?ve|you have|you) (placed|made|submitted|put in) (the|my|an?) order", "after ordering"),
)
_COMPILED = tuple((re.compile(rf"(?<![\w'-]){pat}(?![\w'-])", re.I), repl) for pat, repl in _RULES)


def normalised(text: str) -> str:
    """`text` with British and colloquial shop words written as the knowledge's (see the module docstring)."""
    for rx, repl in _COMPILED:
        text = rx.sub(repl, text)
    return text
