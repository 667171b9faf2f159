"""What a question asks for, as opposed to what it names.

"my order says 02:30:00, is that am or pm?" names order times; it asks for one of two options, and an
answer about the 24-hour format, true as it is, does not answer it. "Which orders can be cancelled?" names
cancelling and asks for an order status; the fact about the reasons for cancelling is true and beside the
point. A fact chosen by the question's entities alone can be true and still not answer, and a generated
sentence that only repeats such a fact reads as an answer while it is not one.

`asked(question)` reads the kind of value asked for from the question's shape (no list of phrasings):
* duration: how long / how soon / how many days, or "when" about a refund ("when is it refunded?");
* destination: where a refund goes ("where does the money go?", "can the refund go to a gift card
  instead?"): a fact saying where it is refunded to;
* count: how many / how often / how many times (a number, or once / twice);
* amount: how much (money: a $ figure, or the total / the price difference / a balance);
* status: which / what orders (an order status: pending, processed, delivered, cancelled);
* choice: "A or B?" at the end of the question (one of the options named);
* a duration or an amount the question states ("can I return it after 30 days?", "a gift card with $5 on
  it?"): the question asks about that value, and only a fact holding a value of its kind confirms or
  contradicts it;
* requirement: what the shopper must give or have for an action ("what information do I need to give to return an
  item?"): only a fact saying what one confirms, gives or must have answers (not one naming "the details");
* none: anything else (yes/no verdicts are checked against the fact's polarity in claims.py).
`holds(asked, text, values, entities)` says whether a fact's or an answer's text carries that value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["duration", "destination", "count", "amount", "status", "choice", "requirement", "none"]

_DURATION = re.compile(
    r"\bhow (long|soon|fast|quickly)\b|\b(quicker|faster|sooner|slower)\b"
    r"|\bhow many (business |working )?(minutes|hours|days|weeks|months)\b"
    # "until I get my money back" ("wait until it's back" in stock is no time asked)
    r"|\b(till|until)\b[^?]*\b(get|have|see|receive)\b[^?]*\bback\b", re.I)
# "when" as the question's own word, not a leading clause ("When I change the payment method, ...")
_WHEN = re.compile(r"(?:^|[,;?.!]\s*|\b(and|but|so)\s+)when\s+(is|are|will|do|does|would|should|can|could|am|did)\b"
                   r"|^\s*when\s+(will|do|does|is|are|would)\b|\b(and|or)\s+when\s*\?*\s*$", re.I)  # "how much ... and when??"
_REFUND_TIME = re.compile(r"\b(refund\w*|money back|(money|funds) (come|comes|coming|go|goes) back|get (it|my money|the money) back|reimburs\w*|credited"
                          r"|(get|see|receive) (my |the |back )?(money|funds)|get back)\b", re.I)
_COUNT = re.compile(r"\bhow (many|often)\b|\bnumber of\b", re.I)
# a count the question states ("as often as I like", "more than once"): only a fact with a count decides it
# so does doing it in several goes: "twice", "one today and the other tomorrow", "separately", "one at a time"
_STATED_COUNT = re.compile(r"\bas (often|many times) as\b|\bmore than once\b|\ba second time\b|\bas much as i (like|want)\b"
                           r"|\b(twice|(?:two|2|three|3) times?|multiple times|several times|separately|one at a time|one by one|in (two|2|several)"
                           r" (goes|batches|steps|rounds|parts))\b"
                           r"|\b(today|now|first)\s+and\s+(the|my|a|an|then)\s+(\w+\s+){1,2}(tomorrow|later|next (week|day|month|time)|"
                           r"another day|the day after)\b", re.I)
# a time said of the refund itself ("my return refunded to my visa is instant too?"): how long, not where it goes
# ("the money goes to a gift card instantly?" asks where; "gift card refunds are instant, so can you put my refund on
# a new gift card?" asks where too: the time is the premise)
_IS_INSTANT = re.compile(r"\b(is|are|be|being|was)\s+(also\s+|too\s+|just\s+|then\s+)?(instant|immediate|quick|fast)\b", re.I)
# "my return refunded to my gift card will also take about a week?": how long, of a refund whose destination is named
_TAKES = re.compile(r"\b(take|takes|taking|last|lasts)\b[^?]*\b(\d+|one|two|three|five|seven|a|an|few)\s*"
                    r"(business |working )?(minute|hour|day|week|month)s?\b", re.I)
# a status the question says an order takes ("means the order goes straight to cancelled", "it becomes delivered?")
_STATED_STATUS = re.compile(r"\b(goes|go|becomes?|turns?|changes?|switch(es)?|moves?|is marked|gets marked|is set)\s+"
                            r"(straight |right |directly |automatically )?(to |as |into )?\"?"
                            r"(cancell?ed|delivered|processed|returned|refunded)\b"
                            # "so my order is cancelled now?": the status a step left it in
                            r"|\b(is|it's|its)\s+(now\s+)?(cancell?ed|delivered|processed|returned|refunded)\s+now\b"
                            r"|\b(is|it's|its)\s+now\s+(cancell?ed|delivered|processed|returned|refunded)\b"
                            # "After I confirm a return the order is still delivered, so ...": the status after a step
                            r"|^\s*after\b[^,?]*?\b(is|stays|remains)\s+(still\s+)?"
                            r"(pending|delivered|processed|cancell?ed)\b",
                            re.I)
# buying something on its own ("order the new size separately"): a new order, not doing it in several goes
_OWN_ORDER = re.compile(r"\b(order|buy|purchase)\w*\s+(\w+\s+){0,3}separately\b", re.I)
# a purpose, not a question about time: "switch it to my gift card to get the money back faster?"
_PURPOSE = re.compile(r"\b(to|so (that )?i (can|could))\s+(get|have|receive)\b[^?,]*?\b(faster|quicker|sooner)\b", re.I)
# how much comes back or is lost: "do I get everything back?", "a full refund?", "what do I lose if I cancel?"
AMOUNT_ASKED = re.compile(r"\bhow much\b|\bget (everything|it all|all (of )?(it|my money)|the (full|whole) (amount|price)) back\b"
                     r"|\b(full|whole|partial) refund\b|\bwhat do (i|we) (lose|pay)\b"
                     r"|\b(whole|full|entire) (total|amount|price)\b|\bonly (a )?part of it\b", re.I)
_STATUS = re.compile(r"\b(which|what|what kind of|what type of)\s+(orders?|order status(es)?|statuses)\b"
                     r"|\b(which|what)\s+(\w+\s+)?status(es)?\b", re.I)
# where a refund goes: "where does my refund go?", "the refund can go to a gift card instead?"
# ("what happens to the money I paid?": where it goes, asked as what becomes of it)
_DESTINATION = re.compile(r"\b(where|go(es)? (in)?to|sent to|credited to|refunded to|paid (back )?to|instead)\b"
                          r"|\bwhat (happens|becomes of)\b(?: (?:to|with))? (?:the|my|our) (?:money|payment|funds)\b", re.I)
_INSTEAD_OF_REFUND = re.compile(r"\binstead of (getting |having |a |an |the |my )*(money back|refund\w*|my money|the money)"
                                r"( back)?\b", re.I)
# "a refund to the original credit card ... takes 5 to 7 business days" says where it goes too
DESTINATION_WORDS = re.compile(r"\b(refunded|refunds?|goes|go|sent|credited|paid back)\s+(either\s+)?to\b|\boriginal payment method\b",
                               re.I)
# "... is that am or pm?", "... to the gift card or to paypal?": the last "A or B" of a question
_CHOICE = re.compile(r"\b((?:\w[\w:$.-]*\s+){0,2}\w[\w:$.-]*)\s+or\s+((?:\w[\w:$.-]*\s*){1,4})\?*\s*$", re.I)
_ARTICLE = re.compile(r"^((to|a|an|the|for|with|in|on|by|at)\s+)+", re.I)
_NOT_CHOICE = re.compile(r"^(not|no|otherwise|something|anything|else|so|both|neither|either)\b", re.I)
_LEAD = re.compile(r"^(?:.*\b(?:is|are|it|that|this|be|the|a|an|to|with|by|in|on|for)\s+)", re.I)
STATED_DURATION = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)\s*"
                              r"(business |working )?(minute|hour|day|week|month|year)s?\b"
                              r"|\b(instant(ly)?|immediate(ly)?|right away|straight away)\b", re.I)
_STATED_AMOUNT = re.compile(r"\$\s?\d|\b\d+(\.\d+)?\s*(dollars|usd|bucks)\b"
                            r"|\b(a little|not much|little|low|small|not enough|insufficient)\s+(money|balance|credit|funds?)\b",
                            re.I)
AMOUNT_WORDS = re.compile(r"\$\s?\d|\b(total|full amount|price difference|balance|nothing(?! else)|free)\b", re.I)
ONCE_WORDS = re.compile(r"\b(once|twice|one|single|several|multiple)\b", re.I)  # "only once", "several deliveries"
STATUSES = {"pending", "processed", "delivered"}
# what the shopper must give or have: "what info do I need to provide to return ...?", "what do I need if I want to ..."
_REQUIREMENT = re.compile(r"\bwhat (?:\w+ )?(?:information|info|details?|data)\b[^?]*\b(?:need|give|provide|required|want)\b"
                          r"|\bwhat (?:do|does|would|will|should|must) (?:i|we) (?:need|have)(?: to (?:give|provide|tell|send|"
                          r"say|confirm|have))?\b(?! to do\b)", re.I)
# a fact saying what one gives or must have ("To return items you confirm the order id, ...", "must have enough balance")
REQUIREMENT_WORDS = re.compile(r"\b(?:you confirm the|confirms who|must (?:have|be)|give all|with your (?:email|name))\b")


@dataclass(frozen=True)
class Asked:
    kind: Kind
    options: tuple[str, ...] = field(default_factory=tuple)  # for "choice": the options named, lower case
    stated: bool = False  # the question states the value ("after 30 days?") rather than asking for one

    def describe(self) -> str:
        return f"one of {', '.join(self.options)}" if self.kind == "choice" else f"a {self.kind}"


def _choice(question: str) -> tuple[str, ...]:
    body = question.strip().rstrip("?!. ")
    if "?" in body:  # the last question of several
        body = body.rsplit("?", 1)[1]
    m = _CHOICE.search(body + "?")
    if not m:
        return ()
    left, right = m.group(1).strip(), _ARTICLE.sub("", m.group(2).strip())
    if _NOT_CHOICE.match(right):
        return ()
    left = _LEAD.sub("", left) or left
    left_words, right_words = left.split(), right.split()
    # the options are parallel: as many words on each side ("am or pm", "gift card or paypal account")
    left = " ".join(left_words[-max(1, min(len(right_words), len(left_words))):])
    return (left.lower(), right.lower())


def asked(question: str) -> Asked:
    """The kind of value the question asks for (see the module docstring)."""
    q = question.strip()
    if _DURATION.search(_PURPOSE.sub(" ", q)) or (_WHEN.search(q) and _REFUND_TIME.search(q)):
        return Asked("duration")
    if _STATED_STATUS.search(q):  # "the order goes straight to cancelled, doesn't it?": a fact with a status decides
        return Asked("status", stated=True)
    # "swap it for headphones instead of getting my money back?": the refund is what the shopper would rather not have
    # ("the refund can go to paypal instead of my card?" still asks where it goes)
    kept = _INSTEAD_OF_REFUND.sub(" ", q)
    last = re.split(r",\s*|\bso\b", q)[-1]  # the part that asks, not a premise
    if _DESTINATION.search(kept) and (_REFUND_TIME.search(kept) or re.search(r"\bmoney\b", kept, re.I)) and not \
            (_IS_INSTANT.search(last) or _TAKES.search(last)):
        return Asked("destination")
    if _COUNT.search(q):
        return Asked("count")
    if AMOUNT_ASKED.search(q):
        return Asked("amount")
    if _STATUS.search(q):
        return Asked("status")
    if _STATED_COUNT.search(_OWN_ORDER.sub(" ", q)):  # "order the new size separately" is no count of goes
        return Asked("count", stated=True)
    if STATED_DURATION.search(q):  # "can I return it after 30 days?": only a fact with a duration decides
        return Asked("duration", stated=True)
    if _STATED_AMOUNT.search(q):  # "with a gift card that has only $5?": a fact about amounts or balances
        return Asked("amount", stated=True)
    options = _choice(q)
    if options:
        return Asked("choice", options)
    if _REQUIREMENT.search(q):
        return Asked("requirement")
    return Asked("none")


def _has_word(form: str, text: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])", text) is not None


def holds(ask: Asked, text: str, vals: set[str], ents: set[str]) -> bool:
    """Whether `text` (a fact or an answer, with its values and entities as claims.py reads them) carries
    the value the question asks for."""
    low = text.lower()
    if ask.kind == "duration":
        return any(v.startswith("dur:") for v in vals)
    if ask.kind == "destination":
        return DESTINATION_WORDS.search(low) is not None
    if ask.kind == "count":
        return any(v.startswith("num:") for v in vals) or ONCE_WORDS.search(low) is not None
    if ask.kind == "amount":
        return any(v.startswith("num:") for v in vals) or AMOUNT_WORDS.search(low) is not None
    if ask.kind == "status":  # also a status by its quoted name: 'the order status becomes "exchange requested"'
        return bool(ents & STATUSES) or re.search(r'\bstatus\b[^."]*"[^"]+"', low) is not None
    if ask.kind == "requirement":
        return REQUIREMENT_WORDS.search(low) is not None
    if ask.kind == "choice":
        return any(_has_word(o, low) for o in ask.options) or any(o in ents for o in ask.options)
    return True
