"""The store's entities a text names: payment methods, order statuses, the actions on an order, the money and the
specific things a shopper asks about, each with its surface forms and its class.

Read the same way from a question, a generated sentence and a fact of the knowledge (engine/generator/claims.py
compares them), so "r u a bot", "send something back" or "my husband's order" name what the policy names.
"""
from __future__ import annotations

import re

from .story import told

# a shopper's people, each another customer of the shop ("my sister's order", "me and my mom")
FAMILY = tuple(f"my {w}" for w in ("sister", "sisters", "brother", "brothers", "mom", "mum", "mother", "dad", "father",
                                  "parents", "son", "daughter", "kid", "kids", "partner", "partners", "boyfriend",
                                  "girlfriend", "friend", "friends", "roommate", "neighbor", "neighbour", "boss",
                                  "colleague", "coworker", "grandma", "grandpa", "aunt", "uncle", "cousin", "fiance",
                                  "fiancee", "spouse"))
# entity -> surface forms (word-bounded, lower case); each entity belongs to one class
ENTITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "gift card": ("payment", ("gift card", "gift cards", "gift-card", "giftcard", "existing gift card")),
    "credit card": ("payment", ("credit card", "credit cards", "debit card", "card payment", "visa", "mastercard",
                                "amex", "visa card", "visa cards", "debit cards")),
    "paypal": ("payment", ("paypal",)),
    # which ways to pay there are: asked by naming one the shop does not list ("apple pay", "cash on delivery"),
    # answered by a fact listing the ones there are (see entities)
    "ways to pay": ("detail", ("apple pay", "google pay", "venmo", "bitcoin", "crypto", "cryptocurrency", "klarna",
                               "afterpay", "bank transfer", "wire transfer", "cash", "cash on delivery", "pay on delivery",
                               "installments", "ways to pay", "way to pay")),
    "pending": ("status", ("pending",)),
    "processed": ("status", ("processed", "shipped", "in transit")),
    # "it came last week", "they arrived yesterday": delivered, in the shopper's words ("hasn't arrived" is not)
    "delivered": ("status", ("delivered", "came last week", "came yesterday", "came today", "came this week",
                             "arrived last week", "arrived yesterday", "arrived today", "already arrived", "has arrived",
                             "have arrived", "it arrived", "they arrived", "it came", "they came", "got it last week",
                             "received it", "received them")),
    # the state, not the action: "my order is cancelled", "a cancelled order" (both also name the action cancel)
    "cancelled": ("status", tuple(f"{w} {c}" for c in ("cancelled", "canceled") for w in ("is", "was", "been", "got",
                  "already", "status")) + ("cancelled order", "canceled order", "cancelled orders", '"cancelled"')),
    # "back out", "change my mind" before it ships: cancelling, in the shopper's words
    "cancel": ("action", ("cancel", "cancels", "cancelled", "canceled", "cancelling", "canceling", "cancellation",
                          "back out", "call off", "call it off", "change my mind", "changed my mind", "change of mind")),
    "return": ("action", ("return", "returns", "returned", "returning", "send back", "send it back", "send them back",
                          "send something back", "send stuff back", "send things back", "send items back")),
    "exchange": ("action", ("exchange", "exchanges", "exchanged", "exchanging", "swap", "swapped", "swaps",
                              "swapping")),
    "change": ("action", ("change", "changes", "changed", "changing", "modify", "modified", "modifying",
                          "modification", "update", "updated", "edit", "switch", "add", "adding", "remove", "fix",
                          "removing", "switched", "switching")),
    "refund": ("money", ("refund", "refunds", "refunded", "money back", "reimburse", "reimbursed")),
    # "pay the $20 extra for an exchange": what one item costs more than the other ("extra large" is a size)
    "price difference": ("money", ("price difference", "difference", "extra for", "pay extra", "the extra", "pay the extra",
                                   "extra to pay", "costs extra", "cost extra")),
    # where the shopper lives now, in their words ("so it reaches the new place"; "moving my order to PayPal" is none)
    "shipping address": ("detail", ("shipping address", "address", "new place", "new home", "new house", "new flat",
                                    "new apartment", "moving house", "relocating")),
    # the profile's address, not an order's ("default address" is read before "address", see entities)
    "default address": ("detail", ("default address", "default shipping address", "default addresses", "home address",
                                   "account address", "profile address")),
    # placing another order, in the shopper's words ("order the new size first", "order it separately")
    "new order": ("detail", ("new order", "order the new", "order a new", "order another", "another order",
                             "separate order", "order it separately", "order them separately", "order one separately",
                             "buy the new", "buy a new one", "reorder", "re-order", "order the same", "order it again",
                             "order them again", "order again", "buy them again", "buy it again")),
    # what the shopper's account is known by, never enough alone to get into it ("is my user id enough?")
    "user id": ("detail", ("user id", "user ids", "userid", "user-id", "username", "user name", "account id",
                           "customer id")),
    # and what the email does ("will I get something telling me how to send them back?")
    "email": ("detail", ("email", "e-mail", "email address", "emails", "telling me how", "tell me how to", "explaining how",
                         "explains how", "instructions on how", "instructions for sending")),
    "human agent": ("detail", ("human", "person", "agent", "customer service", "representative", "someone")),
    # what a person taking over is told ("do I have to explain it all again?")
    "summary": ("detail", ("summary", "summarised", "summarized", "explain everything", "explain it all", "explain it again",
                           "explain again", "repeat myself", "repeat everything", "start over", "start again",
                           "from scratch", "all over again", "from the beginning",
                           # what has been said in the chat, handed to the person ("can they see what we discussed?")
                           "what we've discussed", "what we have discussed", "what we discussed", "what we talked about",
                           "what we've talked about", "what we've said", "what we said", "what i've said", "what i said",
                           "what i've asked", "what i asked", "what i told you", "what i've told you",
                           "discussed so far", "said so far", "the chat so far", "the conversation so far", "chat history",
                           "conversation history", "transcript", "chat log")),
    "time zone": ("detail", ("est", "gmt", "bst", "utc", "pst", "uk time", "british time", "time zone", "timezone", "local time", "my time")),
    # an item for another kind of product (also read from two catalogue products named together, see entities)
    "different product": ("detail", ("different product", "another product", "other product", "product type",
                                     "different type", "different kind")),
    "identity": ("detail", ("verify", "verified", "verification", "authenticate", "identity", "who i am",
                            "who you are", "confirms who", "really me", "it's me", "it is me", "its me", "its really me",
                            "prove it's me", "prove its me", "prove who", "check it's me", "check its me",
                            "check it is me", "check that it's me", "check who i am", "know it's me", "know its me",
                            "know is me", "know it is me", "know who i am", "know that it's me",
                            "get into my account", "access my account", "into my account", "log into my account",
                            "log in to my account", "find me", "find my account", "look me up", "identify me",
                            "recognise me", "recognize me", "pull up my account", "look up my account",
                            "bring up my account", "sign in", "signed in", "log in", "login", "password")),
    # the reason a cancellation is given ("I'll put 'found it cheaper elsewhere' as the reason")
    "reason": ("detail", ("reason", "reasons", "cancel reason", "cancellation reason", "reason for cancelling",
                          "reason for canceling", "reason for cancellation")),
    # the shopper's yes before an action ("will you do it without asking me first?")
    "confirmation": ("detail", ("confirm with", "confirmation", "without asking", "asking me", "ask me first", "without checking",
                                "checking with me", "check with me", "check it first", "check first", "review it first",
                                "as soon as i ask", "ask me before", "asks me before", "ask before", "the second i say",
                                "as soon as i say", "the moment i say",
                                "permission", "approval", "consent")),
    # someone else's orders ("can you also sort out my husband's order?")
    "another customer": ("detail", ("another customer", "other customer", "other customers", "someone else",
                                    "somebody else", "husband", "husbands", "wife", "family member", "his order", "her order",
                                    "his account", "her account", "their order", "their orders", "our orders") + FAMILY),
    # several requests in one conversation ("both in the same chat", "one after the other", "another request")
    "same conversation": ("detail", ("same conversation", "same chat", "one conversation", "one chat",
                                     "several requests", "several of your requests", "multiple requests",
                                     "two requests", "both requests", "another request", "more than one request",
                                     "one after the other", "in one go", "separate chat", "separate chats",
                                     "separate conversation", "separate conversations", "two chats", "two conversations", "2 chats",
                                     "2 conversations", "different chats", "different chat", "different conversation",
                                     "new chat", "new conversation", "another chat", "another conversation",
                                     "this chat", "this conversation", "this session", "same session")),
    # part of an order's items, not all of them ("send back just one of them", "only some of the items")
    "some items": ("detail", ("some items", "some of the items", "some of them", "only some", "just one of them",
                              "just one of", "only one of", "one of them", "not all", "which items", "all of them",
                              "only part of", "part of the order", "part of my order", "keep the rest", "keep the others",
                              "rest of the order", "rest of my order", "rest of that order", "rest of that delivered order")),
    # a cancelled order brought back ("undo a cancellation", "get the order back")
    "reopen": ("detail", ("reopen", "reopened", "re-open", "undo", "uncancel", "un-cancel", "reinstate", "reinstated",
                          "reactivate", "reactivated", "reactivating", "re-activate", "undone", "reversed",
                          "restore", "restored", "revive", "get the order back", "get my order back", "get it back",
                          "bring it back", "bring the order back")),
    # what a gift card must hold to pay ("does it need enough money on it", "sufficient funds")
    "balance": ("detail", ("enough balance", "enough money", "enough on it", "enough credit", "enough funds",
                           "sufficient", "balance", "cover the", "covers the")),
    # another variant of the same product ("a different size", "another colour")
    "other options": ("detail", tuple(f"{a} {b}" for a in ("different", "another", "other", "bigger", "smaller", "larger",
                                                            "new", "right")
                                      for b in ("size", "color", "colour", "options", "option"))
                      + ("size or color", "size up", "size down", "size bigger", "size smaller", "next size",
                         # what arrived is not what was wanted: another option of it is
                         "wrong size", "wrong color", "wrong colour")),
    # whether an item can be bought now ("a colour that's out of stock", "sold out")
    "in stock": ("detail", ("out of stock", "out-of-stock", "sold out", "sold-out", "in stock", "in-stock",
                            "available item", "available items", "unavailable",
                            "back in stock", "restock", "restocked", "until it's back", "till it's back",
                            "until they're back", "until it is back")),
    # every item of a change or exchange given together ("do I tell you both now?", "one at a time?")
    "all at once": ("detail", ("at once", "all at once", "both now", "both at once", "both together", "all together",
                               "one at a time", "one by one",
                               # an item left out of the ones given ("what if I forget one when I change them?")
                               "forget one", "forgot one", "forget an item", "forgot an item", "forget to add",
                               "forgot to add", "forget to include", "forgot to include", "left one out", "leave one out",
                               "left an item out", "leave an item out", "add another later", "add one more later")),
    # what sending something costs, which the knowledge never states ("who pays the postage on a return?"): a specific
    # thing asked, so that no fact about the refund is read as its answer
    "shipping cost": ("detail", ("postage", "shipping cost", "shipping costs", "shipping fee", "shipping fees",
                                 "delivery charge", "delivery charges", "delivery fee", "return shipping", "return label",
                                 "prepaid label", "shipping label", "pays for the shipping", "pay for the shipping",
                                 "pay for shipping", "pays for shipping", "pay the shipping", "pays the shipping")),
    # one order paid, or sent, in parts ("split 50/50", "half on my gift card", "two payment methods")
    "split": ("detail", ("split", "splits", "splitting", "50/50", "half and half", "half on", "half with", "half by",
                         "the rest with", "the rest on", "the rest by", "two payment methods", "two cards",
                         "two different cards", "multiple payment methods", "several payment methods",
                         "more than one payment method", "one payment method", "single payment method", "single one")),
    # two orders sent as one ("ship them together in one box")
    "combine orders": ("detail", ("combine", "combined", "combining", "combine orders", "merge", "merged",
                                  "ship them together", "ship together", "sent together", "in one box", "in one package",
                                  "in one delivery", "same box", "same package")),
}
# classes whose question entity a claim inherits when it names none of that class itself
INHERITED = {"payment", "status", "action"}
_DEFAULT_ADDRESS = re.compile(r"\b(default (shipping )?|e-?mail |home |account |profile )address(es)?\b"  # no order's address
                              r"|\baddress(es)? (on my account|on file)\b")
# "change my mind" is cancelling, not a change; "swap it for a pricier one" is paid for by the price difference
_MIND = re.compile(r"\bchanged? (my|our) minds?\b|\bchange of mind\b")
TRADE = re.compile(r"\btrad(e|es|ed|ing)\b[^.?!]*\bfor\b")
# an item that came not as wanted ("arrived too small", "came in the wrong colour") was delivered
ARRIVED_WRONG = re.compile(r"\b(arrived|came)\s+(too|in the wrong|the wrong|wrong|damaged|broken|faulty)\b")
IN_PERSON = re.compile(r"\bin[- ]person\b")
# "the order goes straight to cancelled": the status an order takes, no act of cancelling
GOES_CANCELLED = re.compile(r"\b(?:goes|go|becomes?|turns?|changes?|switch(?:es)?|moves?|marked|set)\s+"
                            r"(?:straight |right |directly |automatically )?(?:to |as |into )?\"?cancell?ed\b")
# "the status changes to 'refunded'": the status an order takes (a value claimed of it), no act of changing or refunding
STATUS_TO = re.compile(r"\bstatus\s+(?:changes?|switch(?:es)?|moves?|goes|turns?|becomes?|updates?)\s+(?:straight\s+|right\s+|"
                       r"directly\s+|automatically\s+)?(?:to|into)\s+['\"]?[\w ()-]+?['\"]?(?=[\s,.?!]|$)")
# "send the old ones back", "send my boots back": returning them, whatever is named between
SEND_BACK = re.compile(r"\bsend(?:s|ing)?\s+(?:[\w'-]+\s+){1,3}back\b")
NEW_ORDER = re.compile(r"\b(order|buy|purchase)\s+(the|a|an|another)\s+(new|replacement|other|second|bigger|smaller|right)\b"
                       r"|\b(order|buy|purchase)\s+(it|them|one|the \w+|the \w+ \w+)\s+(separately|first|myself)\b")
ACCEPT = re.compile(r"\b(accept|accepts|accepted)\b")
# whether one can pay with it at all ("can I buy through you with a gift card?", "do you take paypal?"): a way to pay
PAY_WITH_Q = re.compile(r"\b(can|could|may) (i|we) (pay|buy|order|purchase|check out|checkout|shop)\s+"
                        r"(?!(the |a |my )?(price )?(difference|extra|rest|balance|total)\b)"
                        r"((for )?(it|them|this|that|things|stuff|something|here|online|(through|from|with) "
                        r"(you|the shop)|(a|an|my|the) [a-z-]+( [a-z-]+)?)\s+)?(with|by|via|using|in)\b"
                        r"|\bdo (you|u) (take|accept)\b")
# what one item costs beside the other, or whether swapping costs anything ("free if it costs the same?")
DEARER = re.compile(r"\b(pricier|cheaper|more expensive|less expensive|costs? (more|less|the same|anything)"
                    r"|pay (more|less|extra|anything)"
                    r"|(the )?same price|free( of charge)?|charged?( me)? (anything|extra|more)|at no (extra )?cost)\b")


def has(form: str, text: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])", text) is not None


# each entity's forms as one pattern: `entities` reads every fact of the knowledge for each question
_FORMS = {e: re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) +
                        r")(?![\w-])") for e, (_, forms) in ENTITIES.items()}


def entity_class(entity: str) -> str:
    return ENTITIES[entity][0] if entity in ENTITIES else "product"


# "an order that hasn't shipped yet" is still pending, no processed one
# ("before it ships": the order is still pending)
NOT_YET = re.compile(r"\bbefore (?:it|they|the order|my order|the package) "
                     r"(?:ships?|is shipped|are shipped|goes out|leaves)\b|"
                     r"\b(?:hasn't|has not|haven't|have not|isn't|is not|wasn't|was not|not|not yet|never)\s+(?:been\s+|yet\s+)*"
                     r"(shipped|processed|sent out|dispatched|in transit)\b(?:\s+yet\b)?")


# a thing the shopper bought for someone ("I bought a jacket for my son"): their own order, the other only its user
FOR_SOMEONE = re.compile(r"\b(bought|ordered|got|purchased|picked|chose)\b[^.?!]{0,40}?\bfor (my|our) \w+")
# the shopper got it, in their words ("the boots I got last week", "we received them yesterday"): delivered
GOT_WHEN = re.compile(r"\b(i|we) (got|received)\s+(it |them )?(last week|yesterday|today|this week|last month|"
                      r"(a few|two|three|\d+) days ago|on (mon|tues|wednes|thurs|fri|satur|sun)day)\b")
# another option of the same thing wished for ("I wish I'd bought the waterproof ones", "should have got the blue one")
WISHED = re.compile(r"\b(wish (i'?d|i had|we'?d|we had)|should have|should've|rather have had)\s+"
                    r"(bought|ordered|got|gotten|picked|chosen|chose|gone for|taken)\b")
# someone else placed the order on the shopper's own account ("my son ordered it by accident on my account")
OWN_ACCOUNT = re.compile(r"\b(?:on|from|with|using|through|via|in) my (?:own )?(?:account|profile)\b")


def entities(text: str, products: list[str] = ()) -> set[str]:
    low = text.lower()
    if NOT_YET.search(low):
        low = NOT_YET.sub(" pending ", low)
    out = {e for e, rx in _FORMS.items() if rx.search(low)}
    if "human agent" in out and not any(has(f, IN_PERSON.sub(" ", low)) for f in ENTITIES["human agent"][1]):
        out.discard("human agent")  # "a real store i can go to in person": being there, not a person to talk to
    rest = _DEFAULT_ADDRESS.sub(" ", low)  # "my default shipping address" is the profile's, no order's
    if not any(has(f, rest) for f in ENTITIES["shipping address"][1]):
        out.discard("shipping address")
    if _MIND.search(low) and not any(has(f, _MIND.sub(" ", low)) for f in ENTITIES["change"][1]):
        out.discard("change")
    if OWN_ACCOUNT.search(low):  # "my flatmate ordered a lamp on my account": the shopper's own order, not another's
        out.discard("another customer")
    if FOR_SOMEONE.search(low) and not _FORMS["another customer"].search(FOR_SOMEONE.sub(" ", low)):
        out.discard("another customer")  # "I bought it for my son": bought by the shopper
    if GOT_WHEN.search(low):
        out.add("delivered")
    if WISHED.search(low):  # the variant wished for instead: another option of the same product
        out.add("other options")
    if ARRIVED_WRONG.search(low):  # "the shoes arrived too small": delivered, and not as wanted
        out.add("delivered")
    out = told(low, out)  # the shopper's story in their words ("the shoes came on Friday": delivered)
    if GOES_CANCELLED.search(low):
        out.add("cancelled")
        if not _FORMS["cancel"].search(GOES_CANCELLED.sub(" ", low)):
            out.discard("cancel")
    if STATUS_TO.search(low):
        rest = STATUS_TO.sub(" status ", low)
        out -= {e for e in ("change", "refund") if not _FORMS[e].search(rest)}
    if SEND_BACK.search(low):
        out.add("return")
    if NEW_ORDER.search(low):  # "order the replacement size separately": placing a new order
        out.add("new order")
    if TRADE.search(low):  # "trade my shoes for a pricier version": an exchange
        out.add("exchange")
    pays = out & {"gift card", "credit card", "paypal"}
    if pays == {"gift card", "credit card", "paypal"} or (pays and (ACCEPT.search(low) or PAY_WITH_Q.search(low))):
        out.add("ways to pay")  # the list of the ways to pay, and what it answers ("you accept only cards?")
    if out & {"exchange", "change"} and DEARER.search(low):
        out.add("price difference")
    swap_only = not any(has(f, low) for f in ENTITIES["exchange"][1] if not f.startswith("swap"))
    if "exchange" in out and "pending" in out and swap_only:  # a pending order's items are changed, not exchanged
        out = (out - {"exchange"}) | {"change"}
    named = {p.lower() for p in products if has(p.lower(), low)}
    if len(named) >= 2 or _one_for_another(low, products):  # "exchange my T-shirt for running shoes": an item for
        out.add("different product")                         # a different product
    return out | named


# between two products, the word of a swap: "swap the desk lamp ... for a kettle", "change my mouse to a keyboard"
_SWAP_WORD = re.compile(r"\b(for|to|into|instead|with)\b")


def _head(name: str) -> str:
    """A product's last word, singular: "kettle" of "Electric Kettle", "shoe" of "Running Shoes"."""
    word = name.lower().split()[-1]
    return re.sub(r"(?<=[a-z]{3})(es|s)$", "", word) if not word.endswith("ss") else word


def _one_for_another(low: str, products: list[str]) -> bool:
    """Two products named by their last word ("the desk lamp ... for a kettle"), one swapped for the other."""
    heads = {_head(p) for p in products if len(_head(p)) > 3}
    spots = sorted((m.start(), m.end(), m.group(1)) for h in heads
                   for m in re.finditer(rf"(?<![\w-])({re.escape(h)})(?:e?s)?(?![\w-])", low))
    return any(a[2] != b[2] and _SWAP_WORD.search(low[a[1]:b[0]]) for a, b in zip(spots, spots[1:]))


# "cancelled" naming a status, not the act: "a pending, processed or cancelled order cannot be returned"
_STATUS_CANCELLED = re.compile(r"\b(pending|processed|delivered),? or cancell?ed\b|\bcancell?ed orders?\b|\"cancell?ed\"")


def acts(text: str) -> set[str]:
    """The actions a text is about: "cancelled" as a status is no act of cancelling."""
    return {e for e in entities(_STATUS_CANCELLED.sub(" ", text.lower())) if entity_class(e) == "action"}
