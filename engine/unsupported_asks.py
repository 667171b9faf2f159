"""Requests no flow does, recognised before a flow is started for them (by the router, and by the openings and
sign-in readings of engine/dialogue). Plain regular expressions: importable without numpy or torch.

"Can I split the payment with another card?" used to start checkout, "undo the cancellation of my
order" cancel_order: each shares its words with a flow (pay, card, cancel) while asking for something
the shop cannot do. A wrongly started flow asks the shopper to sign in for a task they never asked for;
the honest answer is an open one (the FAQ and policy say what the shop does instead), with the nearest
flow still offered as a button from the router's candidates. The classifier cannot learn this alone:
a fallback topic of such requests sits next to the flows and pushes the calibrated threshold up (the
sixth training batch tried it: docs/router.md). So a few narrow patterns, each naming one kind of
request, overrule a flow label. Plain regexes with bounded gaps: linear time on any input.
"""
from __future__ import annotations

import json
import re

from engine.contracts import Route
from engine.refusals import refused
from engine.slots.extract import SEED_PRODUCTS

_GAP = r"[^.?!]{0,30}?"  # words between the parts of one request, within one sentence
# after a product's name: it is one of the shopper's orders' items ("... in one of my orders", "... I bought")
_IN_AN_ORDER = (r"\s+(?:(?:in|from|on|of)\s+(?:\w+\s+){0,4}?(?:orders?|purchases?|#?w\d{7})\b|(?:that\s+|which\s+)?"
                r"(?:i|we)(?:'ve|\s+have)?\s+(?:just\s+|recently\s+)?(?:ordered|bought|purchased|got|received)\b)")

# kind -> pattern; each asks for something no flow does (flows/*.yaml)
KINDS: dict[str, re.Pattern[str]] = {
    # a cancelled order cannot be reopened (policy: a cancelled order cannot be changed)
    "undo_cancellation": re.compile(
        r"\b(?:undo|reverse|revert|retract|take\s+back|withdraw)\b" + _GAP + r"\bcancell?ation\b"
        r"|\bcancel\s+(?:the|my|that|this)\s+cancell?ation\b"
        r"|\bun-?cancel(?:l?ed|l?ing)?\b"
        r"|\b(?:re-?open|re-?activate|reinstate|restore|revive|bring\s+back|recover|resume)\b" + _GAP +
        r"\bcancell?ed\b"
        r"|\bdidn'?t\s+(?:mean|want)\s+to\s+cancel\b"
        r"|\bcancell?ed\b" + _GAP + r"\b(?:by\s+(?:mistake|accident)|bring\s+it\s+back|re-?open|reinstate|restore)\b"
        # "My order #W1 was cancelled. I want to reactivate it please"
        r"|\bcancell?ed\b[^?!]{0,40}?\b(?:re-?open|re-?activate|reinstate|restore|revive|un-?cancel)\s+(?:it|the\s+order|"
        r"my\s+order|that)\b"
        # "Can you reopen #W1? I cancelled it without meaning to": only a cancelled order is reopened
        r"|\b(?:re-?open|re-?activate|reinstate)\s+(?:order\s+)?(?:#?w\d{7}|(?:my|the|that|this)\s+(?:\w+\s+)?order)\b"
        r"|\b(?:accidentally|mistakenly)\s+cancell?ed\b|\bcancell?ed\s+(?:it|that|them|the\s+order|my\s+order)\s+"
        r"(?:without\s+meaning\s+to|by\s+(?:mistake|accident)|accidentally)\b"
        # a cancellation regretted: done too fast ("cancelled it in a rush"), or the things still wanted after it
        r"|\b(?:i|we)\s+cancell?ed\b[^.?!]{0,40}?\b(?:in\s+a\s+(?:hurry|rush|panic)|too\s+(?:quickly|fast|soon|hastily)"
        r"|hastily|rashly|without\s+thinking)\b"
        r"|\b(?:i|we)\s+cancell?ed\b[^?!]{0,80}?\bbut\b[^?!]{0,20}?\b(?:still|now|actually|really)\s+(?:\w+\s+)?"
        r"(?:want|need)\s+(?:it|them|those|these|that|the|my)\b", re.I),
    # a return or exchange, once requested, is not withdrawn by any flow
    "undo_request": re.compile(
        r"\b(?:undo|reverse|revert|retract|withdraw|revoke|call\s+off|take\s+back)\s+(?:the|my|that|this|our)\s+"
        r"(?:return|exchange|refund)(?:\s+request)?\b"
        r"|\bcancel\s+(?:the|my|that|this|our)\s+(?:return|exchange)(?:\s+request)?"
        r"(?=\s+(?:i|we|that|which|please|pls|plz)\b|\s+request\b|\s*(?:$|[,.!?;]))", re.I),
    # (before the split payment: "ship half my order today and the other half next week" splits a delivery)
    # an order ships as one (no flow splits, holds, schedules or merges deliveries)
    "partial_delivery": re.compile(
        r"\b(?:partial|split)\s+(?:delivery|deliveries|shipment|shipments)\b"
        r"|\bsplit\s+(?:my|the|this|that)\s+(?:order|package|parcel)\b"
        r"|\b(?:ship|send|deliver)\b[^.?!]{0,60}?\b(?:the\s+)?rest\b" + _GAP + r"\b(?:later|next\s+(?:week|month|day)|"
        r"tomorrow|afterwards|another\s+(?:day|time))\b"
        r"|\b(?:merge|combine|consolidate)\b" + _GAP + r"\borders\b"
        r"|\b(?:ship|send|deliver)\b" + _GAP + r"\b(?:and|but)\s+the\s+rest\s+(?:to|at|home)\b"
        r"|\b(?:ship|send|deliver)\s+(?:just|only)\s+(?:the|my|one)\b[^.?!]{0,60}?\b(?:the\s+rest|everything\s+else)\b"
        r"|\b(?:ship|send|deliver)\s+(?:half|part|some)\s+(?:of\s+)?(?:my|the|this|that|it|order|#?w\d{7})\b"  # "ship half of ..."
        r"|\b(?:ship|send|deliver)\b[^.?!]{0,60}?\bnow\s+and\s+(?:send|ship|deliver)\b[^.?!]{0,60}?\blater\b",
        re.I),
    # one order is paid with one payment method (policy)
    "split_payment": re.compile(
        r"\bsplit(?:ting)?\b" + _GAP + r"\b(?:payment|bill|cost|charge|total|price|amount)\b"
        r"|\b(?:pay|paying|charge|use|using)\b" + _GAP + r"\b(?:two|2|multiple|several|both|different)\s+"
        r"(?:cards|credit\s+cards|payment\s+methods|methods|accounts)\b"
        r"|\bhalf\b" + _GAP + r"\b(?:and|,)\s+(?:the\s+other\s+)?half\b"
        r"|\bhalf\b[^.?!]{0,70}?\b(?:and|,)\s+the\s+other\s+half\s+(?:on|with|to|by|via)\b"  # "... half of #W1 on my visa and ..."
        r"|\b(?:part\s+(?:of\s+it\s+)?|\$?\d+(?:\.\d\d)?\s+(?:dollars\s+|bucks\s+)?)(?:on|with|to)\b" + _GAP +
        r"\b(?:and|,)\s+the\s+rest\s+(?:on|with|to)\b"
        # "pay half of W1 with my gift card and put the rest on my visa"
        r"|\b(?:half|\$\d+(?:\.\d\d)?)\s+(?:of\s+(?:it|the\s+\w+|#?w\d{7})\s+)?(?:on|with|to)\b" + _GAP +
        r"\b(?:and|,)\s+(?:put|charge|pay)\s+the\s+rest\s+(?:on|with|to)\b"
        r"|\bpay\s+half\b", re.I),
    # nothing is passed to the courier: no flow adds delivery instructions or a note to an order
    "delivery_instructions": re.compile(
        r"\b(?:note|instructions?|message)\s+(?:for|to)\s+(?:the\s+)?(?:courier|driver|delivery\s+(?:person|guy|driver)|"
        r"mail\s*man|postman)\b|\bdelivery\s+(?:instructions?|notes?)\b"
        r"|\b(?:tell|ask)\s+(?:the\s+)?(?:courier|driver|delivery\s+(?:person|guy|driver))\s+to\b"
        # "just leave the package with the neighbour if nobody's home"
        r"|\bleave\s+(?:it|them|the\s+(?:package|parcel|box|order|delivery))\s+(?:with|at|by|on|in|behind|outside|"
        r"under)\s+(?:the\s+|my\s+)?(?:neighbou?r|door|porch|front|back|reception|concierge|gate|mat|garage|shed)", re.I),
    # the account holds an address and payment methods; no flow edits email, phone or password (policy); a phone
    # in an order ("change a phone in one of my orders", "the phone I bought") is a product, not the account's
    "account_details": re.compile(
        r"\b(?:change|update|edit|fix|correct|reset|replace|modify)\s+(?:\w+\s+){0,3}?"
        r"(?:e-?mail(?:\s+address)?|(?:phone|mobile)(?:\s+number|(?!" + _IN_AN_ORDER + r"))|password|user\s?name|"
        r"login)\b", re.I),
    # a pending order is cancelled as a whole (policy): no flow cancels one item of it ("cancel just the lamp from my
    # order", "cancel one item in #W1, keep the rest"); its items change only to other options of the same product
    "partial_cancel": re.compile(
        r"\bcancel\s+(?:just\s+|only\s+)?(?:the|my|one|that|this)\s+(?!orders?\b)(?:[\w-]+\s+){0,3}?(?:from|in|out\s+of)\s+"
        r"(?:(?:my|the|this|that|an?|one\s+of\s+my)\s+)?(?:\w+\s+)?(?:order\b|#?w\d{5,})"
        r"|\bcancel\b" + _GAP + r"\bkeep\s+the\s+rest\b"
        r"|\bcancel\s+(?:just\s+|only\s+)?(?:one|1|some|a\s+few|part)\s+(?:of\s+the\s+)?(?:items?|things?|products?)\b"
        r"|\bcancel\s+(?:just|only)\s+(?:one|1|some|a\s+few|part)\b", re.I),
    # delivery is not scheduled, rushed or held by any flow
    "delivery_timing": re.compile(
        # ("upgrade the tablet in my order to a laptop" is another product, no faster delivery)
        r"\b(?:expedite|rush|speed\s+up)\b" + _GAP + r"\b(?:shipping|delivery|order|shipment|package)\b"
        r"|\bupgrade\b" + _GAP + r"\b(?:shipping|delivery|shipment)\b"
        r"|\b(?:upgrade|switch|change|move)\b" + _GAP + r"\b(?:overnight|next[- ]day|express|faster|priority)\b"
        r"|\b(?:deliver|ship|send)\s+(?:(?:it|them|this|that|#?w\d{5,}|(?:my|the)\s+(?:order|package|parcel))\s+)?"
        r"(?:on|by|before)\s+(?:monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday|the\s+\d{1,2}(?:st|nd|rd|th)?|a\s+specific\s+(?:day|date))\b"
        r"|\b(?:schedule|reschedule|choose|pick|change|move|set|select)\b" + _GAP +
        r"\bdelivery\s+(?:date|day|time|slot)\b"
        r"|\bhold\b" + _GAP + r"\b(?:delivery|shipment|package|parcel)\b"
        # asked for, not asked about ("does changing the address delay the delivery?" asks what a change does)
        r"|(?:^\W*|\b(?:to|please|pls|you|u|i|we|just|and|or|can|could|would)\s+)(?:pause|postpone|delay)\s+"
        r"(?:the\s+|my\s+|this\s+)?(?:delivery|shipment|shipping|package|parcel|order)\b", re.I),
    # a pending order's items change only to another option of the same product (policy): none added or removed
    "add_or_remove_item": re.compile(
        r"\badd\b" + _GAP + r"\b(?:to|onto|into)\s+(?:my|the|this|that|an?)\s+"
        r"(?:existing|current|pending|old|previous|last|recent|placed|other)\s+order\b"
        r"|\badd\b" + _GAP + r"\b(?:to|onto|into)\s+(?:my|that|this)\s+order\b"
        # the order named a sentence before ("My order is still pending. Could you add a bottle to it?")
        r"|\b(?:my|the|this|that)\s+order\b[^?]{0,60}?\badd\b" + _GAP + r"\b(?:to|onto|into)\s+it\b"
        r"|\b(?:remove|take\s+out|take\s+off|delete)\b" + _GAP + r"\bfrom\s+(?:(?:my|the|this|that)\s+(?:\w+\s+)?order\b|"
        r"(?:order\s*)?#?w\d{5,})"
        r"|\btake\s+(?:the\s+|my\s+|that\s+)?[\w-]+(?:\s+[\w-]+){0,2}?\s+(?:off|out\s+of)\s+(?:(?:my|the|this|that)\s+)?"
        r"(?:order\b|#?w\d{5,})", re.I),
    # prices are the catalogue's: no coupons, promo codes or price matching (no flow changes a price)
    "discounts": re.compile(r"\b(?:coupons?|promo(?:tional)?\s+codes?|discount\s+codes?|vouchers?|price[- ]match\w*|"
                            r"price\s+adjustment)\b", re.I),
    # invoices, VAT receipts and tax documents: the shop's information says nothing of them
    "invoice": re.compile(r"\b(?:(?:vat|tax|proper|official|business|company|itemi[sz]ed)\s+)?invoices?\b"
                          r"|\b(?:vat|tax)\s+(?:receipt|document|number)s?\b", re.I),
    # gift wrapping and notes are not offered
    "gift_wrap": re.compile(r"\bgift[- ]?wrap(?:ped|ping)?\b|\bgift\s+(?:note|message|receipt|box)\b|\bwrap(?:ped|ping)?\s+"
                            r"(?:it|them|this|that|the\s+\w+|my\s+\w+)\s+(?:up\s+)?(?:as|like|for)\s+a\s+(?:gift|present)\b|"
                            r"\b(?:include|add|put|enclose)\s+a\s+(?:(?:gift|greeting|birthday|handwritten)\s+)?(?:card|note)\s+"
                            r"with\s+a\s+(?:short\s+|personal\s+)?message\b", re.I),
    # another shop's order is not this shop's to look up or change
    "another_shop": re.compile(r"\b(?:amazon|ebay|walmart|aliexpress|etsy|temu|shein|best\s+buy|costco)\b"
                               r"|\b(?:another|other|a\s+different)\s+(?:site|website|web\s+site|store|shop|retailer)\b",
                               re.I),
    # shop features the shop has none of, asked for: loyalty or reward points, wish lists, store pickup, reviews
    "shop_features": re.compile(
        # points asked about ("how many reward points did I earn?"), not mentioned beside a task
        r"\b(?:how\s+many|do\s+(?:i|you|we)\s+(?:get|earn|have|offer|collect)|earn(?:ed)?|check|redeem|use|balance\s+of)\b"
        r"[^.?!]{0,30}?\b(?:loyalty|reward|rewards|bonus)\s+points?\b|\b(?:loyalty|rewards?)\s+(?:program(?:me)?s?|scheme|club|card)\b"
        # a wish list used or asked for ("put it on my wishlist", "do you have a wish list?")
        r"|\b(?:add|put|save|move|keep)\b[^.?!]{0,40}?\b(?:to|on|in|into)\s+(?:my|a|the)\s+wish\s*-?\s*list\b"
        r"|\b(?:have|is\s+there|got)\s+(?:a\s+)?wish\s*-?\s*lists?\b"
        r"|\b(?:in-?\s*store|store|curbside)\s+pick-?\s*ups?\b|\bpick\s+(?:it|them|\w+)\s+up\s+(?:in|at|from)\s+(?:the\s+|a\s+|"
        r"your\s+)?(?:store|shop|warehouse)\b"
        # the shopper's own review asked for ("where can I leave a review?"), not "I'll leave a bad review"
        r"|\b(?:can|could|may|how\s+(?:do|can)|where\s+(?:can|do))\s+(?:i|we)\s+(?:leave|write|post|submit)\s+(?:a\s+|my\s+)?"
        r"(?:product\s+)?reviews?\b",
        re.I),
    # writing or translating for the shopper is not a shop's task ("write me a complaint letter to my landlord")
    "writing": re.compile(r"\b(?:write|draft|compose)\s+(?:me\s+|us\s+)?(?:a|an)\s+(?:\w+\s+){0,2}"
                          r"(?:letter|email|e-mail|poem|essay|story|note|speech|review|haiku|limerick|song|rap|sonnet|rhyme|joke|"
                          r"message|card|caption|toast|greeting)\b|"
                          r"\btranslate\b|\bhow\s+(?:do|can|would|should)\s+(?:i|you|we)\s+say\b.{1,80}?\bin\s+(?:french|spanish|"
                          r"german|italian|portuguese|chinese|mandarin|japanese|korean|russian|arabic|hindi|dutch|swedish|"
                          r"polish|turkish|greek|hebrew)\b"
                          # a message passed to someone else ("inform carl that ...", "text mom to ...")
                          r"|\b(?:inform|text|message|notify)\s+(?!(?:me|us|you|them|him|her|it|the|your|my|our|customer|"
                          r"support|someone|somebody|an?|here|this|in|on|back|again|now)\b)[a-z]+\s+(?:that|to)\b", re.I),  # 'how can i say "cancel my order" in french'
    # whether the assistant is (or could be) a person, asked and nothing else: a question about the assistant ("could
    # you be a real person"), not a request for one ("can you get me a real person")
    "about_the_assistant": re.compile(
        r"^\W*(?:so\s+|wait\s+|hey\s+)?(?:are|r|could|can|would|will)\s+(?:you|u)\s+(?:be\s+|pretend\s+to\s+be\s+|act\s+like\s+)?"
        r"(?:an?\s+)?(?:real\s+|actual\s+|live\s+)?(?:person|human(?:\s+being)?|bot|robot|ai|machine)"
        r"(?:\s+or\s+(?:an?\s+)?(?:real\s+|actual\s+)?(?:person|human|bot|robot|ai|machine))?\W*$", re.I),
    # advice on what to buy anywhere ("should I buy bitcoin") and food or other services are not this shop's orders
    # (the weather is left to the router: "what's the weather? where is my order" still asks for the order)
    "advice_or_services": re.compile(
        r"\bshould\s+(?:i|we)\s+(?:buy|get|purchase|invest)\b|\bwhat\s+do\s+(?:i|we)\s+(?:need|have)\s+to\s+buy\b|\bwhat\s+should\s+(?:i|we)\s+(?:buy|get)\s+"
        r"(?:my|for|as)\b|\bany\s+(?:tips|advice)\s+(?:for|on)\s+(?:an?\s+)?(?:first|beginner|newbie|new)\b"
        r"|\b(?:pizzas?|takeout|take-out|uber\s*eats|doordash|grubhub|groceries|a\s+taxi|an?\s+uber)\b"
        # a reminder, an alarm or a calendar entry ("remind me tomorrow to check on my order")
        r"|^\W*(?:(?:please|pls|hey|can\s+you|could\s+you|would\s+you)\s+)*(?:remind\s+me\s+(?:to|tomorrow|later|tonight|"
        r"in|on|at|next|every)\b|set\s+(?:me\s+)?(?:up\s+)?(?:a|an)\s+(?:reminder|alarm|timer)\b)"
        r"|\b(?:add|put)\s+(?:\w+\s+){1,4}?(?:to|in)\s+my\s+calendar\b"
        # a tradesman sent to the shopper's home ("can you send an electrician round to look at my wiring?")
        r"|\b(?:send|get|book)\s+(?:me\s+)?(?:an?\s+|someone\s+like\s+an?\s+)?(?:electrician|plumber|technician|handyman|"
        r"repair\s*(?:man|person)|engineer|installer)\b"
        # the weather asked in one sentence, the parcel only saying when ("what's the weather like when my package
        # gets here"); a second sentence may still ask for the order
        r"|^\W*(?:(?:so|hey|ok(?:ay)?)\W+)?(?:what|how)\w*\b[^.?!]{0,25}\b(?:weather|forecast)\b[^.?!]*(?:[.?!]*\s*$|[.?!]+"
        r"(?![^.?!]*\b(?:where|status|track\w*|when|shipped|cancel\w*|return\w*|exchang\w*|chang\w*|refund\w*)\b))", re.I),
}


# "...broke, so I want to buy one from you": the other shop is the story, this shop the one asked
_HERE = re.compile(r"\b(?:from|with|at|on|through)\s+(?:you|u|you\s+guys|y'?all|here|this\s+(?:site|website|store|shop)|"
                   r"your\s+(?:site|website|store|shop))\b", re.I)


# "... I found it cheaper in another shop": a reason for the request, not a request about the other shop's order
_CHEAPER_THERE = re.compile(r"\b(?:cheaper|more\s+cheap|for\s+less|less\s+expensive|(?:a\s+)?(?:better|lower)\s+(?:price|deal))"
                            r"\s+(?:\w+\s+){0,2}?(?:in|at|on|from)\s+(?:an?\s+|the\s+)?(?:other|another|different)?\s*"
                            r"(?:site|website|store|shop|retailer|amazon|ebay|walmart|best\s+buy|costco)\b", re.I)


# last words of product names that also name a container or a bundle ("the 100ml bottle" of perfume)
_CONTAINERS = frozenset({"bottle", "set", "kit"})


def _product_names() -> dict[str, frozenset[str]]:
    """Each way the catalogue's products are named (whole, and by their last word) -> the products it names."""
    names: dict[str, set[str]] = {}
    try:
        for pid, prod in json.loads(SEED_PRODUCTS.read_text()).items():
            words = prod["name"].lower().split()
            # "Dumbbell Set" is also "dumbbells" ("a set of dumbbells"); "Water Bottle" is a bottle, not water
            head = {words[-2]} if len(words) > 1 and words[-1] in _CONTAINERS and words[-2] != "water" else set()
            for name in {prod["name"].lower()} | ({words[-1]} - _CONTAINERS) | head:
                names.setdefault(name, set()).add(pid)
    except (OSError, ValueError, KeyError, AttributeError):
        pass  # no catalogue: no product is known, nothing is read as another product
    return {n: frozenset(p) for n, p in names.items()}


_NAMES = _product_names()
# any product of the catalogue by its name or last word ("desk lamp", "lamp", "dumbbells"), as a regex alternative
PRODUCT_NAME = r"(?:" + "|".join(re.escape(n) for n in sorted(_NAMES, key=len, reverse=True)) + r")(?:e?s)?" if _NAMES else r"(?!)"
# "swap the grill in my pending order for a vacuum cleaner": an item for another product (policy: the same product's
# options only)
# kinds of goods the catalogue does not sell, which a shopper may still want an item swapped for ("my t-shirt for a
# hoodie"): another product all the same
_GOODS = ("hoodie", "hoody", "sweater", "sweatshirt", "jumper", "cardigan", "jeans", "trousers", "pants", "shorts", "skirt",
          "dress", "coat", "hat", "cap", "scarf", "gloves", "socks", "sandals", "slippers", "tv", "television", "sofa",
          "couch", "blender", "toaster", "microwave", "printer", "monitor")
_GOOD = r"(?:" + "|".join(_GOODS) + r")s?"
_SWAP_FOR = re.compile(r"\b(?:swap|exchange|switch|trade|change|replace|turn|upgrade)\w*\s+(?:\w+\s+){0,6}?(?P<a>" + PRODUCT_NAME +
                       r")\b[^.?!]{0,50}?\b(?:for|to|with|into)\s+(?:an?\s+|the\s+|some\s+|my\s+)?(?:[a-z-]+\s+){0,2}?"
                       r"(?P<b>" + PRODUCT_NAME + r"|" + _GOOD + r")\b", re.I)


# "exchange it for another product", "change the grill to a different type of product" ("a different kind" of mouse
# may be another option of it)
_OTHER_KIND = re.compile(r"\b(?:swap|exchange|switch|trade|change|replace)\w*\s+(?:it|them|this|that|my|the|an?)\b"
                         r"[^.?!]{0,60}?\b(?:for|to|with|into)\s+"
                         r"(?:an?\s+|some\s+)?(?:different|another|other)\s+(?:(?:kind|type|sort)\s+of\s+)?product\b", re.I)


def _named(said: str) -> frozenset[str]:
    low = said.lower()
    return _NAMES.get(low) or _NAMES.get(re.sub(r"e?s$", "", low)) or frozenset()


def _another_product(text: str) -> bool:
    """An item swapped for a product of another type (both named, naming no product in common)."""
    if _OTHER_KIND.search(text):
        return True
    m = _SWAP_FOR.search(text)
    if m is None:
        return False
    a, b = _named(m.group("a")), _named(m.group("b"))
    if a and not b and re.fullmatch(_GOOD, m.group("b").lower()):
        return True
    return bool(a and b and not a & b)


# every kind recognised: the patterns above, and an item swapped for another product (read with the catalogue)
ALL_KINDS: tuple[str, ...] = (*KINDS, "another_product")


def unsupported(text: str) -> str | None:
    """The kind of request no flow does that `text` makes, or None."""
    low = text[:1000]
    kinds = [k for k, pattern in KINDS.items() if pattern.search(low)
             and not (k == "another_shop" and (_HERE.search(low) or _CHEAPER_THERE.search(low)))]
    if _another_product(low):
        kinds.append("another_product")
    if kinds and (gone := refused(low)):  # "not reopen it, I know you can't - just order the same again"
        kinds = [k for k in kinds if k not in gone]
    return kinds[0] if kinds else None


def overrule(text: str, route: Route, flows: frozenset[str] | tuple[str, ...]) -> Route:
    """`route` unchanged, or fallback when it names a flow for a request no flow does (the candidates
    are kept: the answer still offers the nearest flow the router ranks high enough)."""
    if route.label not in flows:
        return route
    kind = unsupported(text)
    if kind is None:
        return route
    return route.model_copy(update={"label": "fallback", "decided_by": f"rule:unsupported:{kind}",
                                    "reason": f"asks for something no flow does ({kind.replace('_', ' ')})"})
