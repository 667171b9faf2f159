"""What the shopper says of their order that makes a rule the one that decides, however few words the two share:
what they already did ("I already swapped the size, now ..."), the status they read ("pending (items modified)"),
a status that forbids what they mean to do ("still pending, ... return it"), the step they start from ("once I
confirm a return, ..."), and the one thing a short last clause asks about ("..., both in the same chat?").

Read from the question's shape and the knowledge's own wording (an "After ..., " bullet, a quoted status name, an "A
pending, processed or cancelled order cannot be ..." bullet), never from a list of the shopper's phrasings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.knowledge.subjects import acts, entities
from engine.knowledge.subjects import entity_class as _class
from engine.knowledge.wording import GENERIC, words

from .asks import asked
from .fact_text import Fact, negative
from .ranking_cues import NEXT_ASKED, STEP_TAKEN

# what the shopper states before asking: "..., so can I ...?", "since ..., ", "I already changed it, now ..."
# ("I modified the items once already - can I change them again?": a dash ends the premise as a comma does)
# a history the shopper tells first ("i changed the payment method on my pending order yesterday, can i still cancel
# it?") is a premise as "already" is
PREMISE = re.compile(r",?\s+\bso\b\s+(?=\w)|\b(?:because|since)\b[^,]*,\s*"
                     # ("my order that's already processed, yes?": a tag after it asks of the clause, no premise ends)
                     r"|\balready\b[^,.?]*(?:[,.]|\s[-\u2013\u2014])(?!\s*(?:yes|yeah|right|ok|okay|fine|correct|true|"
                     r"isn'?t it|is it|won'?t it|doesn'?t it|wouldn'?t it|no)\W*$)\s*(?:(?:and|but)\s+)?(?:now\s+)?"
                     r"|^\s*(?:(?:i|we)\s+)?(?:just\s+|recently\s+|have\s+|'ve\s+)?(?:\w+ed|paid|made|got|bought|sent|put|chose|did|had)"
                     r"\b[^,.?]*[,.]\s*(?:(?:and|but)\s+)?(?:now\s+)?(?=(?:can|could|may|will|would|is|are|do|does|should|am|"
                     r"what|how|when)\b)", re.I)

# what a change is made to: "changed the payment method" is not "its items are changed"; a size or colour is an
# item's option (the FAQ: "the options of an item (for example size or color ...)")
CHANGED_THING = {"payment": re.compile(r"\b(pay\w*|card|gift card|paypal)\b"), "address": re.compile(r"\baddress"),
                 "item": re.compile(r"\b(items?|options?|sizes?|colou?rs?|styles?|materials?)\b")}


def same_thing(premise: str, after: str) -> bool:
    """Whether the shopper's history ("I changed the payment method") is what a fact's "After ..." clause is about
    ("After a payment change"); a clause naming nothing in particular agrees with any history. So also a question
    and a fact: "change the items" is not answered by a rule on payment changes."""
    said = {k for k, rx in CHANGED_THING.items() if rx.search(premise.lower())}
    about = {k for k, rx in CHANGED_THING.items() if rx.search(after.lower())}
    return not about or not said or bool(about & said)


# "A pending, processed or cancelled order cannot be returned.": the statuses and the actions a rule forbids
PROHIBITION = re.compile(r"^an? ((?:(?:pending|processed|delivered|cancelled),?\s+(?:or\s+)?)+)orders?\s+cannot be\s+([^.]*)",
                         re.I)


def forbidden(fact: str) -> set[tuple[str, str]]:
    """(status, action) pairs a prohibition bullet forbids; empty for any other fact."""
    m = PROHIBITION.match(fact.strip())
    if not m:
        return set()
    statuses = set(re.findall(r"pending|processed|delivered|cancelled", m.group(1).lower()))
    return {(st, act) for st in statuses for act in acts(m.group(2))}


def negated_details(text: str) -> set[str]:
    """The specific things the clauses of a fact that say "not" / "cannot" name."""
    return {e for clause in re.split(r"[:;,]|\bbut\b", text) if negative(clause)
            for e in entities(clause) if _class(e) == "detail"}


# the last clause of a message, when it is a short question of its own ("..., both in the same chat?")
# (a fragment: no clause with its own subject, "..., we share the same address so that's ok?")
# or a last phrase of where or how ("... and return stuff from another in the same chat?", "... without asking me?"),
# or the other way the shopper offers ("..., or do I need separate chats for that?")
TAIL = re.compile(r"(?:[,;]\s*|\s(?=(?:in|within|without|during)\s))"
                  r"((?:or\s+)?(?:(?:can|could|may|will|would|do|does|is|are)\s+(?:i|we|you)\s+)?"
                  r"(?:(?!(?:i|we|you|it|they|he|she|that's|that|this)\b(?<!this(?=\s+(?:chat|conversation|session)\b)))"
                  r"\S+\s+){0,5}\S+\?+)\s*$"
                  # "... in the same chat or do i need 2 chats" (no comma, no question mark)
                  r"|\s(or\s+(?:do|would|will|should|must)\s+(?:i|we)\s+(?:\S+\s+){0,3}\S+)\?*\s*$", re.I)
# what the shopper did ("I already changed ...", "i swapped ..."), not a rule they state ("since you change ...")
HISTORY = re.compile(r"\balready\b|(\b(i|we)\s+|^\s*)(?:just\s+|recently\s+|have\s+|'ve\s+|had\s+)?"
                     r"(\w+ed|paid|made|got|bought|sent|put|chose|did|had)\b", re.I)
# a step the shopper took, told in a sentence of its own ("I changed the items already; now ..."; "I need to" is none)
DONE = re.compile(r"\balready\b|\b(?:i|we)\s+(?:just\s+|have\s+|'ve\s+)?(?!need\b|feed\b|speed\b)\w+ed\b", re.I)
# a plan of two steps ("I'll change the items first and then change the address", "first cancel it, then ..."): the
# second is done after the first, as after a step told as done
PLAN = re.compile(r"(?:\bfirst\s+([^,.;?]*?)|([^,.;?]*?)\s+first)\s*,?\s*(?:and\s+)?then\b", re.I)
# "once I confirm a return ...", "after I cancel ...": the step a question starts from
# ("after the item change, ...": the step named by its noun)
# ("what if I change the payment method, ...": a hypothetical step)
# ("what if I change my pending order's payment method": a possessive is one word of the step)
STEP = re.compile(r"^\W*(?:once|after|when|(?:what )?if|as soon as|right after)\s+(?:i|we|you|the|an?|my)\s+"
                  r"((?:\w+(?:'s)?\s*){1,5})", re.I)
NOUN_STEP = re.compile(r"^\W*(?:once|after|right after)\s+(?:the|an?|my)\s+", re.I)
AFTER_STEP = re.compile(r"^\s*(?:after|once)\b([^,]*),", re.I)


def _plain(text: str) -> set[str]:
    """The words of a step other than its action and its little words, singular ("items" -> "item")."""
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower())
            if len(w) > 3 and not acts(w) and w not in ("your", "their", "were", "been", "have")}


def mirrors(question: str, fact: str) -> bool:
    """Whether the question starts from the step a fact's "After ..." clause names: the same action and another word
    of it ("once i confirm a return" / "After you confirm a return,")."""
    q, f = STEP.match(question), AFTER_STEP.match(fact)
    if not q or not f or not acts(q.group(1)) & acts(f.group(1)):
        return False
    if NOUN_STEP.match(question):  # "after the item change": the step itself, named by its noun ("its items are
        return bool(_plain(q.group(1)) & _plain(f.group(1)))  # changed"; not "a payment change")
    return bool((words(q.group(1)) & words(f.group(1))) - GENERIC - words(" ".join(acts(f.group(1)))))


@dataclass(frozen=True)
class Signals:
    """Why a fact decides a question whatever words they share:
    * history: the shopper did something ("I already changed the size, now ...") and the fact says what holds after
      that very step ("After its items are changed, ..."): True; after another step ("After a payment change"):
      False; None when the fact or the question has no such step;
    * reads_status: the fact names, by the knowledge's own name, the status the shopper reads ("pending (items
      modified)", "exchange requested") and says what it allows;
    * forbids: "my order is still pending, I want to return an item. how fast is the refund?" -- the rule forbidding
      what the shopper means to do with an order of that status answers first (there is no refund to time);
    * mirrors: "once I confirm a return, ...?" starts from the step the fact's "After you confirm a return, ..."
      names;
    * tail: the fact is about the one thing a short last clause asks ("..., both in the same chat?"); only such a
      fact answers (the requests before the clause are what it is asked of)."""

    history: bool | None
    reads_status: bool
    forbids: bool
    mirrors: bool
    tail: bool = False


def tail_details(question: str) -> set[str]:
    """The specific things a short last clause asks about ("..., both in the same chat?": several requests)."""
    tail = TAIL.search(question)
    if tail:
        return {e for e in entities(tail.group(1) or tail.group(2)) if _class(e) == "detail"}
    # several requests told in a sentence, then a short question of its own about them ("I need to change one order,
    # cancel another and exchange something. Do I need a separate chat for each?")
    said = [s for s in re.split(r"(?<=[.!?])\s+", question.strip()) if s]
    if len(said) >= 2 and said[-1].rstrip().endswith("?") and len(said[-1].split()) <= 10 and \
            len(acts(" ".join(said[:-1]))) >= 2:
        return {e for e in entities(said[-1]) if _class(e) == "detail"}
    return set()


def signals(question: str, asked_part: str, q_ents: set[str], f: Fact) -> Signals:
    """What makes `f` the rule that decides `question` (see `Signals`); `asked_part` and `q_ents` as ranking.py reads
    them (the part after the shopper's premise, and the entities asked about)."""
    premise = question[:len(question) - len(asked_part)]
    if not premise:  # "I changed the items already; now I want to ...": a sentence told before the one that asks
        told = re.search(r"[;.]\s+(?=\w)|,\s+(?=now\b)", question)
        premise = question[:told.start()] if told and DONE.search(question[:told.start()]) else ""
    after = re.match(r"\s*(after|once)\b([^,]*),", f.text, re.I)
    history = None
    if premise and after and acts(premise) & acts(after.group(2)) and HISTORY.search(premise) and \
            not re.search(r"\b(can|may|allowed)\b", premise, re.I):
        history = same_thing(premise, after.group(2))
    plan = PLAN.search(question)  # "I'll change the items first and then the address": after the first step, the second
    if history is None and after and plan and acts(plan.group(1) or plan.group(2)) & acts(after.group(2)):
        history = same_thing(plan.group(1) or plan.group(2), after.group(2))
    return Signals(mirrors=mirrors(question, f.text),
                   forbids=bool(forbidden(f.text) & {(st, act) for st in q_ents for act in q_ents}),
                   # a status by its name ('status becomes "return requested"'), not a reason to choose ("ordered by
                   # mistake"), which the shopper names as what they said, not as what their order reads
                   reads_status=any(" " in n and n.lower() in question.lower()
                                    for n in re.findall(r'\bstatus\b[^".]*"([^"]+)"', f.text)),
                   history=history, tail=bool(tail_details(question) & f.entities))


def leaves_status(question: str, q_ents: set[str], f: Fact) -> bool:
    """"a return means the order goes to cancelled?": `f` says which status the action asked leaves."""
    ask = asked(question)
    return ask.kind == "status" and ask.stated and bool({e for e in q_ents if _class(e) == "action"} & acts(f.text)) \
        and re.search(r"\bstatus (becomes|is)\b", f.text) is not None


def follows_step(question: str, q_ents: set[str], f: Fact) -> bool:
    """"once I've confirmed a return, what happens next?": `f` says what holds after that very step."""
    return bool(NEXT_ASKED.search(question)) and STEP_TAKEN.search(question) is not None and \
        AFTER_STEP.match(f.text) is not None and bool({e for e in q_ents if _class(e) == "action"} & acts(f.text))

