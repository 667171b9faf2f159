"""Reading an opening one clause at a time.

One embedding of a whole message averages what its sentences say. A shopper who tells a story before the
request ("I got the kettle on Monday and the lid is cracked. I'd like my money back."), or asks for two
things ("where's my luggage set? also I'd like to return the perfume"), gets a split, lukewarm route: the
story pulls towards order status or fallback, two goals halve each other's probability. Routed alone, each
clause says one thing clearly. So a message of several clauses is split, each clause is scored with the
same model, and the decision reads the clauses in order:

- the **first goal stated** leads: the first clause shaped like a request (not a story: "I ordered ...",
  "it arrived ...") whose flow the router is sure of; the clauses after it may ask for more (the engine
  queues those, `Understanding.goals`). When the whole message routes to a flow, a different leading
  clause wins only if a later clause asks for the whole message's flow (two goals, the whole read the
  second): "Wife wants the card changed. Can we change that on the order?" keeps the whole's reading;
- a story-shaped clause leads only when no clause is a request and the whole message is not a flow;
- a later clause that says how the task before it is paid ("and pay the difference with my gift card") is
  part of that task, not a goal; a person asked for in the last clause after a story leads;
- a clause that is confidently an open question keeps a message that is not a flow as a whole open
  (BANKING77's "I was charged twice. Can I get a refund?" is a bank's question);
- when no clause is sure, the candidates are the clauses' best probabilities, so a flow asked for in one
  clause is still offered as a button (`SUGGEST_FLOOR`) rather than drowned by the others.

Pure functions over the router's probabilities; the Router calls `read_clauses` (engine/router/__init__.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.money_words import REFUND_METHOD
from engine.question_cues import COMPLAINT
from engine.refusals import is_refusal
from engine.understand import SUPPORTED_PART

MAX_CLAUSES = 6  # a long message's later clauses are details, not goals (and each costs one embedding)

# Where a clause ends: sentence ends, line breaks, semicolons, and the joints a second goal starts with
# ("..., also", "btw", "and then", "plus", "oh and"). Commas alone do not split: "the blue one, size 9".
_JOINT = re.compile(
    r"(?:(?:[!?;]|\.(?!\d))+|\.{2,}|…|\n|:(?=\s))\s*"  # "...from an order I got: a pet bed" (not "10:30", "1.5L")
    r"|\s+[-–—]+\s+"  # "Not reopen it, I know you can't - just order me the same kettle again"
    r"|\s*,\s*(?=(?:but|and|so|also|plus|then|tho|though|oh|btw|and\s+then|and\s+also)\b)"
    r"|\s+(?=(?:also|btw|anyway|plus|and\s+also|and\s+then|oh\s+and|as\s+well\s+as|after\s+that)\b)"
    # "cancel the tablet order and return the headphones", ", second i want to exchange ...": a second task
    r"|\s+(?=and\s+(?:(?:i\s+)?(?:also\s+)?(?:want|need|would\s+like|'d\s+like)\s+to\s+)?(?:cancel|return|exchange|"
    r"swap|change|modify|update|track|check\s+on|pay|charge)\s+(?:the|my|this|that|these|those|it|them|an?|one|order|"
    r"#|for)\b)"
    r"|\s+(?=and\s+if\b)"  # "check on order #W... and if it hasnt shipped cancel it"
    r"|\s*,\s*(?=(?:second(?:ly)?|next|lastly|finally|after\s+that)\b)",
    re.I)
_LEAD_JOINT = re.compile(r"^\W*(?:(?:but|and|so|also|plus|then|tho|though|oh|btw|anyway|as\s+well\s+as|after\s+that|"
                         r"second(?:ly)?|next|lastly|finally)\b\W*)+",
                         re.I)

# How a request sounds, as opposed to a story or a detail: a wish, a polite ask, a question about the
# shopper's own order, or an imperative task verb first.
_REQUEST = re.compile(
    # "I'd love ...", "I need ...", not "I love the gold" (a liking told)
    r"\b(?:i(?:'d|\s+would)\s+(?:also\s+|really\s+|just\s+)?(?:like|love|want|need|wish)|i\s+(?:also\s+|really\s+|just\s+)?"
    r"(?:want|need|wish)|i\s*wanna|i'?m\s+(?:looking|trying|hoping)\s+to"
    r"|(?:can|could)\s+(?:you|u|i|we|somebody|someone|it|this|that|they)|would\s+(?:you|u)|will\s+you|please|pls|plz"
    r"|help\s+me|let\s+me|how\s+(?:do|can)\s+i|i\s+(?:have|got)\s+to|i\s+gotta|is\s+it\s+possible|any\s+chance"
    r"|what(?:'s|\s+is|\s+are)\s+(?:the\s+)?status)\b"
    # a bullet or a fragment naming what is wanted: "- status of W6851636", "tracking # for the bike?"
    r"|^\W*(?:(?:the|an?|my)\s+)?(?:status|tracking(?:\s*(?:#|number|no\.?|info|link))?|update)\s+(?:of|on|for)\b"
    # a passive ask ("can the smart watch order be paid with ..."), a wish for a value ("should be 128GB")
    r"|\b(?:can|could)\s+(?:the|my|this|that|these|those)\s+(?:\w+\s+){0,4}be\s+\w+|\bshould\s+be\b"
    r"|(?:^|,)\s*(?:need|want)\b"
    # what the order itself needs: "it needs a new shipping address", "the order has to go to my new place"
    r"|\b(?:it|order|package|parcel|delivery)\s+(?:needs|has\s+to|must)\s+(?:a\s+new|to\s+(?:go|ship|be))\b"
    # a decision said as a plan: "im sending it back", "ill need to return some stuff", "returning the makeup kit"
    r"|\b(?:i'?m|i\s+am|i'?ll|ill|i\s+will)\s+(?:just\s+|gonna\s+|going\s+to\s+|need\s+to\s+|have\s+to\s+)?"
    r"(?:send(?:ing)?\s+(?:\w+\s+){1,3}back|return(?:ing)?|cancel(?:l?ing)?|exchang(?:e|ing)|swap(?:ping)?)\b"
    r"|^\W*(?:returning|cancell?ing|exchanging|swapping)\s+(?:the|my|this|that|these|those|order|#)\b"
    # "the toothbrush and speaker are going back", "it's all going back": a return decided, said of the things
    r"|\b(?:is|are|'s|'re|both|all)\s+(?:all\s+|both\s+)?(?:going|goin|gonna\s+go)\s+back\b"
    # a question about the shopper's own order, asked at the clause's start
    r"|^\W*(?:(?:so|and|also|oh|ok(?:ay)?|then|now|but|first(?:ly)?|second(?:ly)?|next|lastly|finally)\W+)*(?:where(?:'s|\s+is|\s+are|\s+r)\b|where\W*$|when\s+(?:will|is|does|do|did"
    r"|are)\b|has\s+(?:it|my|the|that|this)\b|have\s+(?:you|they)\s+(?:shipped|sent)\b|did\s+(?:it|my|the|you)\b"
    r"|is\s+(?:it|my|the|that|this)\b)", re.I)
_IMPERATIVE = re.compile(
    r"^\W*(?:(?:hi|hey|hello|ok(?:ay)?|so|and|also|oh|well|now|then|just|kindly|pls|please|first(?:ly)?|second(?:ly)?"
    r"|next|lastly|finally)\b\W*)*"
    r"(?:cancel|return|refund|exchange|swap|switch|change|modify|update|upgrade|downgrade|edit|fix|replace|buy|purchase|get\s+me"
    r"|order(?!\s*(?:#|w\s?\d|\d{4}|number\b|no\b|id\b))"  # "Order W1 arrived": the noun, not "to order"
    r"|send|ship|track|check|add|remove|drop|take|put|use|charge|pay|connect|transfer|talk|speak|give|need|want"
    r"|stop|halt|scrap|ditch|void|undo|redirect|reroute|move|set|make)\b", re.I)


# a story clause telling that the shopper already did a task ("I cancelled the chair order by mistake")
_DONE_BY = r"\b(?:i|we)\s+(?:already\s+|just\s+|accidentally\s+|mistakenly\s+)?"
_DONE = {"cancel_order": re.compile(_DONE_BY + r"cancell?ed\b"  # "my order #W1 got cancelled", "it was cancelled"
                                   r"|\b(?:was|got|been|is|has\s+been)\s+(?:already\s+|just\s+)?cancell?ed\b", re.I),
         "return_items": re.compile(_DONE_BY + r"(?:returned|sent\s+(?:it|them|\w+\s+\w+)\s+back)\b", re.I),
         "exchange_items": re.compile(_DONE_BY + r"exchanged\b", re.I)}


@dataclass(frozen=True)
class Clause:
    """One clause of a message and what the router says of it alone."""

    text: str
    label: str          # the most likely routing label of the clause
    p: float            # its probability
    request: bool       # shaped like a request (not a story or a detail)


@dataclass(frozen=True)
class ClauseReading:
    """What the clauses decide: `label` and `confidence` of the leading clause (None: no clause leads),
    `top` the probabilities the candidates are read from (the whole message's, or the clauses' best)."""

    label: str | None
    confidence: float
    lead: str
    top: np.ndarray
    why: str


def split_clauses(text: str) -> list[str]:
    """The message's clauses in order (a message of one clause: [])."""
    parts = []
    for p in _JOINT.split(text):
        p = _LEAD_JOINT.sub("", p or "").strip(" ,-–")
        if len(re.findall(r"\w+", p)) >= 2 or (p and len(p) > 3 and _IMPERATIVE.search(p)):
            parts.append(p)
    return parts[:MAX_CLAUSES] if len(parts) > 1 else []


# "if it hasn't shipped, cancel it": the condition is not the request, the imperative after it is
_CONDITION = re.compile(r"^\W*(?:if|when|once|unless)\b.{1,80}?(?:,\s*|\s(?=(?:cancel|return|refund|exchange|swap|"
                        r"change|send|ship|hold|stop|switch)\b))", re.I)
# "pay the difference with my gift card", "refund my paypal": how the task before it is paid, not a goal
_DETAIL = re.compile(
    r"^\W*(?:(?:and|then|also|just|please|pls)\s+)*(?:(?:pay|charge|put|cover|bill|use)\b.{0,30}\bdifference\b"
    r"|.{0,40}\bfor\s+the\s+(?:price\s+)?difference\b"  # "Gift card again for the difference"
    r"|refund\s+(?:it\s+|the\s+money\s+)?(?:to\s+|back\s+to\s+|on(?:to)?\s+)?" + REFUND_METHOD + r"\b)", re.I)


# the subject of a cleft names the thing, the task comes after it: "the one I really need to deal with is the order
# with the grill, ..."
_CLEFT = re.compile(r"\b(?:one|ones|thing|order)\s+(?:that\s+)?i\s+(?:really\s+|just\s+)?(?:need|want|have)\s+to\s+"
                    r"(?:deal\s+with|sort(?:\s+out)?|talk\s+about|ask\s+about|look\s+at)\b", re.I)


# a preface that only says there is something to deal with: "I have a couple of orders to sort out", "need a few
# fixes on orders that haven't shipped", "got some issues with my orders": the clauses after it say what
_PREFACE = re.compile(r"^\W*(?:(?:hi|hey|hello|so|ok(?:ay)?|well)\W+)*(?:i\s+(?:have|'ve\s+got|got|need)\s+|i'?ve\s+got\s+|"
                      r"need\s+|got\s+|there\s+are\s+)?(?:a\s+(?:few|couple)(?:\s+of)?|some|several|two|three|multiple|a\s+"
                      r"bunch\s+of)\s+(?:\w+\s+)?(?:orders?|things|fix(?:es)?|changes|issues|problems)\b(?:\s+(?:to\s+(?:sort|deal|fix|"
                      r"look|talk|go)|i\s+need\s+help|that|on|with|for)\b[^,:;.]*)?\W*$"
                      # "I need to sort out an order": an order to deal with, the clauses after it say what
                      r"|^\W*(?:(?:hi|hey|hello|so|ok(?:ay)?|well)\W+)*(?:i\s+(?:need|have|want|gotta|got)\s+(?:to\s+)?|gotta\s+|"
                      r"need\s+to\s+)(?:sort\s+out|fix|deal\s+with|update|take\s+care\s+of|look\s+at|amend)\s+(?:an?|my|one|"
                      r"one\s+of\s+my|this|that)\s+(?:\w+\s+)?orders?\b(?:\s+(?:real\s+)?(?:quick(?:ly)?|asap|please))?\W*$", re.I)


def is_request(clause: str) -> bool:
    """A clause asks for something (a wish, a polite ask, a status question, an imperative), not a story."""
    if _PREFACE.match(clause) or COMPLAINT.search(clause):  # "I wish to lodge a complaint about my return": told
        return False
    clause = _CLEFT.sub(" ", clause)
    return bool(_REQUEST.search(clause) or _IMPERATIVE.search(clause) or _IMPERATIVE.search(_CONDITION.sub("", clause)))


def is_detail(clause: str) -> bool:
    """A clause that says how the task before it is paid or refunded ("and pay the difference with PayPal"):
    part of that task, never a goal of its own."""
    return bool(_DETAIL.search(clause))


def read_clauses(whole: np.ndarray, labels: Sequence[str], clauses: Sequence[tuple[str, np.ndarray]],
                 flows: frozenset[str] | tuple[str, ...], floor: float, block: float,
                 whole_is_flow: bool) -> ClauseReading | None:
    """Decide from the clauses of one message. `whole`: the whole message's probabilities over `labels`;
    `clauses`: (clause, its probabilities); `floor`: how sure a clause must be of its flow; `block`: a clause
    this sure of fallback keeps an open question open; `whole_is_flow`: the whole message routes to a flow.
    None when the clauses change nothing."""
    fb = labels.index("fallback")
    detail = [bool(k) and is_detail(t) for k, (t, _) in enumerate(clauses)]  # never the first clause
    details = {labels[int(p.argmax())] for d, (_, p) in zip(detail, clauses) if d}
    clauses = [cp for d, cp in zip(detail, clauses) if not d]
    # "Not a question about your policy - please start the return ...": a clause saying what is not wanted is no
    # goal and no story, and its words mislead the whole message's reading: the request beside it leads
    refusing = any(is_refusal(t) for t, _ in clauses)
    prefaced = bool(clauses) and _PREFACE.match(clauses[0][0]) is not None
    clauses = [(t, p) for t, p in clauses if not is_refusal(t) and not _PREFACE.match(t)]  # a preface asks nothing
    if not clauses or (len(clauses) < 2 and not whole_is_flow and not refusing):
        return None
    read = [Clause(t, labels[int(p.argmax())], float(p.max()), is_request(t)) for t, p in clauses]
    # buying is asked for, never told as a story: "the fleece jacket in XL, navy" lists what a change wants
    sure = [(c, p) for c, (_, p) in zip(read, clauses) if c.label in flows and c.p >= floor
            and (c.request or c.label != "checkout")]
    lead = next(((c, p) for c, p in sure if c.request), None)
    best = np.max(np.stack([whole, *(p for _, p in clauses)]), axis=0)
    best = best / best.sum()
    if not whole_is_flow and any(c.label == "fallback" and c.p >= block for c in read):
        return None  # one part is plainly an open question (a bank's, a policy's): the message stays one
    if lead is None and not whole_is_flow:
        if sure:  # story-shaped clauses only: the surest one
            c, p = max(sure, key=lambda cp: cp[0].p)
            return ClauseReading(c.label, c.p, c.text, _candidates(best, p), f"the clause “{c.text}” asks for it")
        return ClauseReading(None, float(whole[fb]), "", best, "no clause is sure of a flow")
    if lead is None:
        return None
    c, p = lead
    if whole_is_flow and not refusing:
        goal = labels[int(whole.argmax())]
        later = read[read.index(c) + 1:]
        person = c.label == "handoff" and goal != "handoff" and read.index(c) == len(read) - 1
        if person:  # "I tried to return it three times online... Can I speak to someone?": the person is the goal
            return ClauseReading(c.label, c.p, c.text, _candidates(best, p), f"the request “{c.text}” asks for a person")
        # "..., and if it hasn't, cancel it": "cancel it" reads as the repair; a later clause the whole message
        # agrees with needs less certainty of its own ("..., and also the keyboard in it should be the clicky one")
        asked_later = any(x.p >= min(floor, SUPPORTED_PART)
                          and (x.label == goal or x.label == "cancel" and goal == "cancel_order") for x in later)
        done = _DONE.get(goal)
        if done is not None and any(done.search(x.text) for x in read[:read.index(c)]):
            # "I cancelled the chair order by mistake ..., so just order me the same chair again": the whole
            # message's task is what the story says the shopper already did; the request is the lead
            return ClauseReading(c.label, c.p, c.text, _candidates(best, p), f"the first request “{c.text}” asks "
                                 f"for it; the story says {goal} was done")
        # products listed after "I'd like to exchange two things" are that task's items, not a purchase
        # the clauses agree, or the whole message's goal is not asked for after the lead: the lead may be a pronoun
        # ("can we change that?") whose content the story before it carries; a preface before it carries none ("I
        # have to deal with one of my orders - it needs a new shipping address": the order's address, not the account's)
        story = not (prefaced and read.index(c) == 0)
        if goal == c.label or (story and not (asked_later or goal in details or goal == "checkout")):
            return None
    return ClauseReading(c.label, c.p, c.text, _candidates(best, p), f"the first request “{c.text}” asks for it")


def _candidates(best: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """The leading clause's probabilities, with every other clause's best kept as a lesser candidate."""
    merged = np.maximum(lead, 0.5 * best)
    return merged / merged.sum()


def route_clauses(text: str, proba: Callable[[str], np.ndarray]) -> list[tuple[str, np.ndarray]]:
    """Each clause of `text` with its probabilities (`proba` scores one text); [] for a one-clause message."""
    return [(c, proba(c)) for c in split_clauses(text)]
