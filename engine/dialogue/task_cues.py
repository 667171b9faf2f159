"""Recognising a question asked in the middle of a task, by its shape and its keywords.

Mid-task, most messages are answers ("the lamp", "to my gift card"), so a message only counts as a
question about the task when it is shaped like one (a question mark, an interrogative opening a
clause, "tell me ...") *and* names a topic by keywords at word boundaries. Requests that can never be
a slot answer ("track my parcel", "undo my cancellation", "tracking number please") count without the
question shape. Plain regexes keep this importable without spaCy and fast: every pattern's
quantifiers are bounded (`.{0,40}`), so a message costs time linear in its length.
"""
from __future__ import annotations

import re

_QUESTION_WORDS = frozenset(
    "how what what's whats which when where where's who why is isn't are aren't was were will won't would "
    "do does doesn't did didn't can could should shall has have am".split())
# Words that may open a clause before the question itself: "ok so how much ...", "wait, is the lamp ...".
_OPENERS = frozenset("ok okay so wait hmm hm um uh oh well and but also actually sorry hi hey quick one "
                     "question btw then just".split())
_ASKING = re.compile(r"\b(tell me|let me know|i (want|would like|'d like|need) to know|(i'?m |i am )?wondering|"
                     r"do you know|can you (check|see|confirm|look)|show me|remind me|any idea|curious)\b")
_CLAUSE = re.compile(r"[.,;:!?]+|\s[-–—]\s")
# "can I get the refund on my gift card?" asks for something (an answer to the slot), not about it.
_REQUEST = re.compile(r"^(please )?(can|could|may|would) (i|you|we) (please |just )?(have|get|use|put|send|make|"
                      r"pay|receive|request|ask for|choose|pick|go with|refund|exchange|return|swap|change|switch|"
                      r"do|take|cancel|keep|try)\b")
_WH = re.compile(r"\b(how|what|what's|which|where|where's|when|why)\b")


def normalize(text: str) -> str:
    """Lower case, straight apostrophes, US spelling of "colour", single spaces."""
    low = str(text or "").lower().replace("’", "'").replace("‘", "'").replace("colour", "color")
    return " ".join(low.split())


def is_question(text: str) -> bool:
    """Shaped like a question: a "?", an interrogative opening some clause, or "tell me ...", but not
    a polite request with no question word ("could you refund it to my Visa?")."""
    t = normalize(text)
    clauses = []
    for clause in _CLAUSE.split(t):
        words = clause.split()
        while words and words[0] in _OPENERS:
            words = words[1:]
        clauses.append(words)
    if not _WH.search(t) and any(_REQUEST.match(" ".join(words)) for words in clauses):
        return False
    if t.rstrip().endswith("?") or any(words and words[0] in _QUESTION_WORDS for words in clauses):
        return True
    return bool(_ASKING.search(t))


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# Banking, travel and other talk that shares words with ours ("why was I charged a fee?", "when will
# my new card arrive?"): the store knows nothing about it, so such messages are never task questions.
NOT_OURS = _rx(
    r"\b(fees?|transfers?|transferred|top.?ups?|exchange rates?|currenc\w*|atm|withdr[ae]w\w*|pin|statements?|"
    r"banks?|banking|direct debit|credit score|salary|traffic|weather|warranty|warranties)\b",
    r"\b(new|physical|virtual|replacement|debit) card\b",
    r"\bcard\b.{0,20}\b(arrive|arrived|arriving|delivered|expire\w*|activat\w*|be here|sent|mailed|lost|stolen)\b",
    r"\b(apr|taxes|paycheck|flights?|freeze|frozen|reactivate)\b|\b(lost|stolen|blocked)\b.{0,15}\bcard\b",
    r"\btrack\b.{0,10}\b(the |my )?(card|money|funds)\b|\b(return|refund) (window|policy|period)\b",
)
# Requests, not answers, even without a question shape.
UNDO_CANCEL = _rx(
    r"\b(undo|reverse|revert|retract|take back|cancel|withdraw|stop)\b.{0,25}\bcancell?ation\b",
    r"\bun-?cancel(l?ed|l?ing)?\b",
    r"\b(re-?open|re-?activate|reinstate|restore|revive|bring back|recover)\b.{0,25}\border\b",
    r"\bdidn'?t (mean|want) to cancel\b",
    r"\b(get|have) (my|the|that) (cancell?ed )?order back\b",
)
TRACKING_REQUEST = _rx(
    r"\btracking\s?(number|no\.?|nr|id|code|info|information|details|link|#)s?\b",
    r"\btrack (my|the|this|that|it|a|an|our)\b",
)
# The rest need the question shape.
TRACKING = _rx(
    r"\btracking\b",
    r"\bwhere('s| is| are)\b.{0,15}\b(order|package|parcel|shipment|delivery|stuff|items?)\b",
    r"\b(has|have|did|is|was|were)\b.{0,25}\b(shipped|dispatched|out for delivery|on (its|their) way)\b",
    r"\bdid (it|they|my order|the order|my package|the package|my parcel|the parcel)\b.{0,10}\bship\b",
)
MONEY_BACK = _rx(
    r"\bhow much\b.{0,40}\b(back|refunds?|refunded|reimburs\w*|credited|returned)\b",
    r"\bhow much (money )?(do|will|would|can|could|am) i\b.{0,15}\b(get|receive|recieve)\b",
    r"\b(refund|reimbursement|credit)s?\b.{0,15}\b(amount|total|sum|value|worth)\b",
    r"\b(amount|total|sum|value)\b.{0,20}\b(refund|reimbursement|back)\b",
    r"\b(amount|much)\b.{0,25}\b(refunded|reimbursed|credited|paid back)\b",
    r"\bwhat('s| is| was| will be| would be)\b.{0,10}\b(the |my )?(total )?refund\b",
    r"\b(refund|money|credit|cash)\b.{0,25}\b(go|goes|going|sent|end up|land|be credited|paid out|issued)\b",
    r"\bwhere\b.{0,30}\b(refund|money|credit|cash)\b",
    r"\b(which|what) (card|account|method|payment method|payment)\b.{0,30}\b(refund|money|back|credit)\b",
    r"\bwhen\b.{0,30}\b(refund|money back|my money|reimburs\w*|credited|refunded|get (it|that|this) back)\b",
    r"\b(get|receive|recieve)\b.{0,12}\b(money|refund|cash)\b",
    r"\b(get|receive|recieve)\b.{0,20}\bback\b",
)
MONEY_PAY = _rx(
    r"\bhow much\b.{0,30}\b(pay|paying|owe|cost|costs|charge|charged|more|extra|less)\b",
    r"\b(do|will|would|should|must|have|am) i\b.{0,15}\b(pay|owe|be charged|get charged)\b",
    r"\b(pay|paying|cost|costs|owe)\b.{0,10}\b(anything|any|something)?\s?(more|extra|less|additional)\b",
    r"\b(cheaper|pricier|more expensive|less expensive|same price)\b",
    r"\b(is there|will there be|would there be) (a |an |any )?(extra|additional) (charge|cost|payment)s?\b",
)
DIFFERENCE = _rx(
    r"\bprice\s?diff(erence)?s?\b|\bdifference\b.{0,20}\b(price|cost|pay|paid|owe|amount)\b",
    r"\b(price|cost)\b.{0,20}\bdifference\b",
)
PAID_WITH = _rx(
    r"\b(what|which)\b.{0,20}\b(card|payment method|method of payment|payment|account|method)\b.{0,30}"
    r"\b(used|paid|charged|billed|did i use|was used)\b",
    r"\bhow (did|was|were|has|have)\b.{0,15}\b(pay|paid|billed)\b",
    r"\b(what|which)\b.{0,25}\b(did i|was it|was this|was that|were they|have i)\b.{0,10}\b(pa(id|y)|charged?|billed)\b",
    r"\b(it|this|that|order|they|i)\b.{0,5}\bpaid\b.{0,5}\b(with|by|using|via|through|on)\b",
    r"\b(original|initial) (payment|card|method)\b",
)
LATEST = _rx(
    r"\b(most recent|latest|newest|last|recent|previous)\b.{0,15}\b(order|purchase)s?\b",
    r"\b(which|what)\b.{0,30}\b(order|one|purchase)\b.{0,25}\b(most recent|latest|newest|last|recent)\b",
    r"\b(order|one)\b.{0,25}\b(most recently|last)\b.{0,10}\b(ordered|placed|bought|made)\b",
)
DATES = _rx(
    r"\bwhen\b.{0,40}\b(ordered|placed|bought|purchased|shipped|delivered|arrive|arrived|arriving|arrival|"
    r"come|coming|get here|be here)\b",
    r"\bwhen (did|do|have) i (order|buy|purchase|place)\b",
    r"\b(order|purchase|delivery|ship|shipping|arrival|dispatch)\s?dates?\b",
    r"\bdates?\b.{0,15}\b(order|purchase|delivery|shipping)\b",
    r"\b(what|which) (day|date)\b.{0,30}\b(order|ordered|placed|bought|purchased|ship|shipped|deliver|delivered|"
    r"arrive|arrives|arriving|come)\b",
    r"\bhow long ago\b",
)
OPTIONS = _rx(
    r"\b(what|which|how many|any|other|else|list|show)\b.{0,30}\b(options?|variants?|versions?|colors?|sizes?|"
    r"styles?|choices|alternatives|models|kinds|types|materials?|capacit(y|ies))\b",
    r"\b(options?|colors?|sizes?|variants?|versions?|styles?)\b.{0,20}\b(available|are there|do you have|"
    r"in stock|exist|can i (choose|pick|get|have))\b",
    r"\b(is|are|was|were)\s(it|they|this|that|these|those|the [a-z-]+( [a-z-]+)?|any)\b.{0,25}"
    r"\b(available|in stock|out of stock|sold out)\b",
    r"\b(comes? in|(do they|does it|do these|does this|does that) come in)\b",
    r"\bwhat (else )?can i (choose|pick|swap|exchange|change|get)\b",
    r"\b(do you have|have you got|do they have)\s(it|them|this|that|one|ones|the [a-z-]+|any [a-z-]+)\s"
    r"(in|with)\b",
    r"\b(is there one|are there (any|ones))\s(in|with)\b",
)
# What the task in progress has picked: "which bookshelf did you pick for me?", "what am I getting instead?"
PICKED = _rx(
    r"\b(which|what)\b.{0,30}\b(did|have|has|had|do|does|will|would)\s(you|we|i|it)\b.{0,20}\b(pick|picked|choose|"
    r"chose|chosen|select|selected|go with|gone with|went with|settle on|settled on|end up with|put down)\b",
    r"\b(which|what)\b.{0,30}\b(am i|are we|will i|would i)\s(be\s)?(getting|get|receiving|receive)\b",
    r"\b(which|what)('s| is| was| are| were)\b.{0,15}\b(new|replacement)\b",
)
# "payment options" or "shipping options" are not a product's options.
OTHER_OPTIONS = re.compile(r"\b(payment|pay|card|shipping|shipment|delivery|contact|return|refund|support|financing)\s"
                           r"(options?|methods?|choices|types?)\b")
HAS_ITEM = _rx(
    r"\b(is|are|was|were)\b.{0,40}\b(in|part of|included in|inside)\b.{0,20}\b(this|that|the|my|it|order)\b",
    r"\b(does|did|do)\b.{0,30}\b(order|it|this|that|one)\b.{0,15}\b(have|has|contain|contains|include|includes|hold)\b",
    r"\bdid i (order|buy|purchase)\b",
    r"\b(which|what) (order|one)\b.{0,30}\b(has|had|have|contains?|includes?|is|was|with|holds?)\b",
    r"\bin (which|what) order\b",
)


# The gift card's balance asked about: "it really only has $37 on it?", "how much is left on my gift card?"
BALANCE = _rx(
    r"\bbalance\b.{0,30}\b(gift ?card|card|it|left|remaining|on)\b|\b(gift ?card|card)\b.{0,30}\bbalance\b",
    r"\bhow much\b.{0,25}\b(on|left|in)\b.{0,20}\b(gift ?card|card|it)\b",
    r"\b(gift ?card|card|it)\b.{0,20}\b(only )?(has|have|got|holds?)\b.{0,15}\$\s?\d[\d.,]*\b.{0,12}\b(on|in|left)\b",
    r"\$\s?\d[\d.,]*\b.{0,10}\b(left|remaining)\b.{0,20}\b(gift ?card|card|it)\b",
)


def cues(text: str) -> frozenset[str]:
    """The topic cues a message carries; empty when it is neither a question nor an undo/tracking
    request, so answers to the slot being asked ("the lamp", "to my gift card") have none."""
    t = normalize(text)
    found: set[str] = set()
    if NOT_OURS.search(t):
        return frozenset()
    if UNDO_CANCEL.search(t):
        found.add("undo_cancel")
    if TRACKING_REQUEST.search(t):
        found.add("tracking")
    if not is_question(t):
        return frozenset(found)
    for name, pattern in (("tracking", TRACKING), ("money_back", MONEY_BACK), ("money_pay", MONEY_PAY),
                          ("difference", DIFFERENCE), ("paid_with", PAID_WITH), ("latest_order", LATEST),
                          ("order_dates", DATES), ("options", OPTIONS), ("has_item", HAS_ITEM), ("picked", PICKED),
                          ("balance", BALANCE)):
        if pattern.search(t):
            found.add(name)
    if "options" in found and OTHER_OPTIONS.search(t):
        found.discard("options")
    return frozenset(found)
