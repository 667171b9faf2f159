"""Which facts a quoted answer holds: the fact that answers, and the facts it cannot be read without.

A quote replaces a generated answer that failed its check, so it must answer by itself:
* the same rule for the other payment methods, when the question names none of the quoted fact's or names
  others too: "when is the first one refunded?" is answered by both "a refund to the original gift card is
  immediate" and "... credit card or PayPal account takes 5 to 7 business days", and "I switch to PayPal,
  the gift card I paid with gets its money back in 5-7 days?" needs the gift-card fact, not only the PayPal
  one its words chose;
* for a "cannot" about an order status answering a yes/no question or one naming the order's status, the status
  the action needs (and for an "only while pending" to a question about another status, that status's "cannot"): "A processed order cannot be
  exchanged" is followed by "You can exchange items only from a delivered order";
* for a refund "to the original payment method" when the question names the method paid with, that method's rule of
  the same section: "I paid with a gift card, what happens to my money if I cancel?" is answered by where it goes and
  by "The refund for a cancelled order paid with a gift card is immediate".
"""
from __future__ import annotations

import re

from .claims import ONLY, YES_NO_Q, ClaimChecker, Fact, acts, entities
from .option_wish import option_companion

PAYMENT = {"gift card", "credit card", "paypal"}
ORIGINAL = re.compile(r"\boriginal payment method\b", re.I)
BECOMES = re.compile(r'\bstatus becomes "', re.I)
STATUS = {"pending", "processed", "delivered"}
ACTIONS = {"cancel", "return", "exchange", "change"}


def _kind(f: Fact) -> str:
    """"dur" for a fact with a duration (its numbers are the duration's), "num" for other figures."""
    kinds = {v.split(":", 1)[0] for v in f.values}
    return "dur" if "dur" in kinds else "num" if kinds else ""


def companions(checker: ClaimChecker, best: Fact, facts: list[Fact], question: str) -> list[Fact]:
    """Facts of `facts` to quote after `best` (see the module docstring), in knowledge order."""
    q_ents = checker._question_entities(question)  # what is asked, not a premise's rule ("..., so I can ...?")
    q_pay = q_ents & PAYMENT
    best_ents = entities(best.text)
    best_pay = best_ents & PAYMENT
    out: list[Fact] = []
    if best_pay and (not q_pay or q_pay - best_pay):
        rest = best_ents - PAYMENT
        for f in facts:
            f_ents = entities(f.text)
            f_pay = f_ents & PAYMENT
            if f is best or f.passage.source != best.passage.source or f.passage.section != best.passage.section:
                continue
            if not f_pay or f_pay & best_pay or (q_pay and not f_pay & q_pay):
                continue
            if _kind(f) != _kind(best) or (f_ents - PAYMENT) != rest:
                continue
            out.append(f)
    if q_pay and not best_pay and ORIGINAL.search(best.text):
        out += [f for f in facts if f is not best and f.passage.source == best.passage.source
                and f.passage.section == best.passage.section and entities(f.text) & q_pay
                and not any(f is o for o in out)]
    q_actions = q_ents & ACTIONS
    # "a different size of something from a delivered order" names no action: the rule chosen is the exchange's, so
    # the status it needs is said with it ("You can exchange items only from a delivered order")
    # (unless the rule chosen itself restricts the status: "can only be exchanged for the same product" does not)
    restricts_status = ONLY.search(best.text.lower()) and best_ents & STATUS
    if not q_actions and q_ents & STATUS and acts(best.text) and not restricts_status:
        own = [f for f in facts if f is not best and f.passage.source == "policy" and not f.negative
               and ONLY.search(f.text.lower()) and acts(f.text) == acts(best.text) and entities(f.text) & q_ents & STATUS]
        out += own[:1]
    # a yes/no question in any sentence: "I already requested an exchange. Can I now exchange another item?"
    yes_no = any(YES_NO_Q.search(s) for s in re.split(r"(?<=[.!?])\s+", question.strip()))
    # "my order is still pending, how do I return it?" needs the status a return needs as much as a yes/no does; so
    # does a status an action leads to ('the order status becomes "exchange requested"') to "can I cancel it?"
    if q_actions and ((best.negative and best_ents & STATUS and (yes_no or q_ents & STATUS))
                      or (BECOMES.search(best.text) and yes_no)):
        need = _status_needed(best, facts, out, q_ents, q_actions, question)
        out += [need] if need else []
    # "change the size of the jacket in my delivered order?": after its "cannot", the exchange that gets another size
    other = option_companion(checker.wish_entities(question, q_ents), best, facts)
    if other is not None and not any(other is o for o in out):
        out.append(other)
    # and "only while it is pending" to a question about another status: the "cannot" of that status
    q_status = q_ents & (STATUS | {"cancelled"})
    if not best.negative and ONLY.search(best.text.lower()) and best_ents & STATUS and q_actions and \
            q_status and not q_status & best_ents:
        for f in facts:
            if f.negative and q_status <= entities(f.text) and q_actions <= acts(f.text) and f.passage.source == "policy":
                out.append(f)
                break
    return out


def _status_needed(best: Fact, facts: list[Fact], out: list[Fact], q_ents: set[str], q_actions: set[str],
                   question: str) -> Fact | None:
    """The policy's "only while <status>" rule for what is asked: of several actions named ("can't be cancelled, but I
    can change the address?", "it says exchange requested, can I cancel it?"), the rule for the one asked last and
    naming most of the question."""
    last = acts(re.split(r"[,.;!?]\s+", question.strip().rstrip("?!. "))[-1])
    found = [(q_actions <= acts(f.text), bool(last & acts(f.text)), len(q_ents & entities(f.text)), -i, f)
             for i, f in enumerate(facts)
             if f is not best and not any(f is o for o in out) and not f.negative and ONLY.search(f.text.lower())
             and entities(f.text) & STATUS and q_actions & acts(f.text) and f.passage.source == "policy"]
    return max(found, key=lambda x: x[:4])[4] if found else None


def sentence_of(text: str, fact: Fact) -> str:
    """The whole sentence of `text` holding `fact`: a "; " clause alone reads as a cut-off quote."""
    return next((x for x in re.split(r"(?<=[.!?])\s+", text) if fact.text in x), fact.text)
