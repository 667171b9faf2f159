"""Claims checked, not words: each sentence of a generated answer must stand in ONE fact of the knowledge.

The lexical check (grounding.py) accepts "Refunds to a gift card take 5 to 7 business days": every word
and number is in the FAQ passage, which says gift-card refunds are immediate and *other* refunds take 5 to
7 business days. Here a passage is cut into its facts (sentences and "; " clauses), and a sentence of the
answer is a claim with
* a **subject**: the store's entities it names (payment methods, order statuses, the actions cancel /
  return / exchange / change / refund, catalogue products), plus the question's entity of a class the
  sentence leaves implicit ("how long to a gift card?" -> "It takes 5 to 7 business days" is about gift
  cards);
* **values**: durations ("immediately", "5 to 7 business days"), amounts ($), other numbers (counts);
* **polarity** (can / cannot, "No, ...") and **quantifiers** (only, once, all/every/any).
A claim holds when one fact carries all its values, every entity of its subject (in the fact or its
section heading), the same polarity, and its restrictive quantifiers. A "Yes"/"No" verdict must agree with
the polarity of the fact that best matches the question.

Deterministic on purpose (no parser): the policy is written one fact per bullet (knowledge/policy.md),
so a sentence-level comparison is what the knowledge supports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.knowledge import Passage
from engine.knowledge.subjects import ENTITIES, INHERITED, acts, entities, has  # noqa: F401 (re-exported)
from engine.knowledge.subjects import entity_class as _class
from engine.knowledge.wording import GENERIC, jaccard, missing, words  # noqa: F401 (re-exported)

from .asks import DESTINATION_WORDS, asked, holds
from .decisive import AFTER_STEP, PREMISE  # noqa: F401 (re-exported)
from .fact_text import (ALL, ONCE, ONLY, VERDICT, YES_NO_Q, Fact, asked_negative, negative,  # noqa: F401
                        split_facts, values)
from .ranking import FactRanker


# "a pending, processed or cancelled order": a status in a list of statuses, no act of cancelling ("you cannot cancel a
# pending order" is no claim that fact backs)
STATUS_LIST = re.compile(r"\b(pending|processed|delivered),? or cancell?ed\b", re.I)


def _named(text: str, products: list[str]) -> set[str]:
    """entities(), without the action cancel that a list of statuses names ("... or cancelled order")."""
    ents = entities(text, products)
    if "cancel" in ents and STATUS_LIST.search(text) and "cancel" not in entities(STATUS_LIST.sub(" ", text), products):
        ents.discard("cancel")
    return ents


# the assistant saying what it is ("I'm a human", "I am a person")
SELF = re.compile(r"\s*\b(i am|i'm|im)\b", re.I)
# a permission stated in a clause of its own ("you can change the status"), not negated
CAN = re.compile(r"\b(you|we|i|it|they|customers?) (can|may)\b(?! not\b)(?! only\b)")


@dataclass
class ClaimResult:
    sentence: str
    ok: bool
    why: str = ""
    fact: Fact | None = None


@dataclass
class ClaimCheck:
    claims: list[ClaimResult] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [f"claim {c.sentence!r}: {c.why}" for c in self.claims if not c.ok]


class ClaimChecker(FactRanker):
    """Checks the claims of an answer against the facts of the knowledge (the ranking of facts: ranking.py)."""

    def facts(self, passages: list[Passage]) -> list[Fact]:
        out = []
        for p in passages:
            for s in split_facts(p.text):  # the section (FAQ question, heading, product) names the subject too
                out.append(Fact(s, p, _named(s + " " + p.section, self.products), values(s), negative(s)))
        return out

    def check_sentence(self, sentence: str, question: str, facts: list[Fact], *, loose: bool = False) -> ClaimResult:
        """`loose`: an unfinished sentence (streaming): only its values and subject so far are checked."""
        body = VERDICT.sub("", sentence).strip()
        ents = _named(body, self.products)
        classes = {_class(e) for e in ents}
        q_ents = self._question_entities(question)
        for e in q_ents:
            cls = _class(e)
            if (cls in INHERITED or cls == "product") and cls not in classes:
                ents.add(e)
        vals = values(body)
        neg = negative(body)
        ws = words(body) - GENERIC
        if not ws and not vals:
            return ClaimResult(sentence, True, "verdict only")
        best_why = "no single fact states it"
        for f in facts:
            if not vals <= f.values:
                continue
            if not words(VERDICT.sub("", f.text)) - GENERIC and not f.values:
                continue  # a bare "Yes." backs a verdict, never a claim by its FAQ question's words ("I'm a human")
            if not ents - self._waived(f) <= f.entities:
                best_why = f"no fact with {', '.join(sorted(vals)) or 'it'} is about {', '.join(sorted(ents - f.entities))}"
                continue
            if loose:
                return ClaimResult(sentence, True, "", f)
            qualifiers = {e for e in entities(f.text) if _class(e) in ("payment", "status")}
            if qualifiers and not qualifiers & ents:
                best_why = f"the fact holds only for {', '.join(sorted(qualifiers))}: {f.text!r}"
                continue
            if DESTINATION_WORDS.search(body.lower()) and not DESTINATION_WORDS.search(f.text.lower()):
                # "the refund goes to your gift card" says where money goes: a fact on how fast it comes is no backing
                best_why = f"says where the money goes; the fact does not: {f.text!r}"
                continue
            step = AFTER_STEP.match(f.text)  # "After its items are changed, ... cannot be cancelled": only after that
            if step and acts(step.group(1)) and not acts(step.group(1)) & (ents | q_ents):
                best_why = f"the fact holds only after {step.group(1).strip()}: {f.text!r}"
                continue
            if SELF.match(body) and not SELF.search(f.text):  # "I'm a human": what the assistant is, by a fact of it
                best_why = f"says what the assistant is; the fact does not: {f.text!r}"
                continue
            if neg != f.negative:
                best_why = f"the fact says the opposite ({'cannot' if f.negative else 'can'}): {f.text!r}"
                continue
            if neg and CAN.search(body.lower()) and not CAN.search(f.text.lower()):
                # "you can change the status ... and the order cannot be changed": the "can" needs a fact saying it too
                best_why = f"says a 'can' beside its 'cannot'; the fact says only what cannot be done: {f.text!r}"
                continue
            if ONLY.search(body.lower()) and not ONLY.search(f.text.lower()):
                best_why = f"'only' is not in the fact {f.text!r}"
                continue
            once = ONCE.search(body.lower())
            if once and once.group() not in f.text.lower():
                best_why = f"'{once.group()}' is not in the fact {f.text!r}"
                continue
            if ALL.search(body.lower()) and not ALL.search(f.text.lower()) and not vals:
                best_why = f"the fact does not say all/every/any: {f.text!r}"
                continue
            absent = missing(ws, words(f.text + " " + f.passage.section))
            if absent:
                best_why = f"{', '.join(sorted(absent))} not in the fact {f.text!r}"
                continue
            # a name quoted ("return requested") is the fact's own words or wrong, however close its words are
            named_as = [q for q in re.findall(r'["\u201c]([^"\u201d]+)["\u201d]', body) if q.lower() not in f.text.lower()]
            if named_as:
                best_why = f"'{named_as[0]}' is not in the fact {f.text!r}"
                continue
            return ClaimResult(sentence, True, "", f)
        return ClaimResult(sentence, False, best_why)

    def verdict_ok(self, answer: str, question: str, facts: list[Fact]) -> tuple[bool, str]:
        """A "Yes"/"No" must agree with the deciding fact; without one, an answer about an order status must still say
        no when the fact does ("only while pending" to "it's cancelled, so I can change it?" reads as a yes)."""
        m = VERDICT.match(answer)
        if not YES_NO_Q.search(question):
            return True, ""
        asked_part, q_ents = self._subject(question)
        q_status = {e for e in q_ents if _class(e) == "status"}
        if not m and not q_status:
            return True, ""
        f = self.best_fact(question, facts) or self.best_fact(question, facts, relaxed=True)
        if f is None:
            return (False, "a yes/no verdict no fact decides") if m else (True, "")
        fact_says_no = f.negative != asked_negative(asked_part)
        if self._restricts_status(f) and q_status and not q_status <= f.entities:
            fact_says_no = not fact_says_no  # only while pending, and the question is about a processed order
        if not m:
            if fact_says_no and not negative((split_facts(answer) or [answer])[0]):
                return False, f"does not say no, as the fact {f.text!r} does for a {', '.join(sorted(q_status))} order"
            return True, ""
        said_no = m.group(1).lower() in ("no", "nope", "unfortunately")
        if said_no != fact_says_no:
            return False, f"the verdict '{m.group(1)}' contradicts the fact {f.text!r}"
        return True, ""

    def answers_asked(self, answer: str, question: str, facts: list[Fact]) -> str:
        """Why `answer` does not answer what the question asks ("" when it does, or when no fact holds the
        asked value either: then the claims alone decide). "The order is in 24-hour format" to "is that am or
        pm?" is true and no answer."""
        ask = asked(question)
        if ask.kind == "none":
            return ""
        body = VERDICT.sub("", answer.strip())
        if holds(ask, body, values(body), entities(body, self.products)):
            return ""
        if not any(holds(ask, f.text, f.values, entities(f.text, self.products)) for f in facts):
            return ""
        return f"does not say what the question asks for ({ask.describe()})"

    def other_action(self, answer: str, question: str, facts: list[Fact]) -> str:
        """Why `answer` is about another action than the one asked ("" when not): "After you confirm a return, the
        status is 'return requested'" is true, and no answer to "what status after I modify the items?" when a fact
        about modifying is there to quote."""
        q_acts = {e for e in self._subject(question)[1] if _class(e) == "action"}
        a_acts = acts(VERDICT.sub("", answer.strip()))
        if not q_acts or not a_acts or q_acts & a_acts or not any(q_acts & acts(f.text) for f in facts):
            return ""
        return f"about {', '.join(sorted(a_acts))}, not the {', '.join(sorted(q_acts))} asked"

    def other_payment(self, answer: str, question: str, facts: list[Fact]) -> str:
        """Why `answer` is about another payment method than the one asked ("" when not): "Gift card refunds are
        instant, so my credit card refund will be instant too?" is not answered by the gift card's rule, true as it is,
        when a fact about the credit card is there to quote."""
        q_pay = {e for e in self._subject(question)[1] if _class(e) == "payment"}
        a_pay = {e for e in entities(VERDICT.sub("", answer.strip()), self.products) if _class(e) == "payment"}
        if not q_pay or not a_pay or q_pay & a_pay or not any(q_pay & f.entities for f in facts):
            return ""
        return f"about {', '.join(sorted(a_pay))}, not the {', '.join(sorted(q_pay))} asked"

    def other_detail(self, answer: str, question: str, facts: list[Fact]) -> str:
        """Why `answer` leaves out the specific thing asked ("" when not): "You can return items only from a delivered
        order" is true, and no answer to "what if I return only part of an order?" when a fact about returning some of
        the items is there to quote."""
        q_det = {e for e in self._subject(question)[1] if _class(e) == "detail"}
        if not q_det or q_det & entities(VERDICT.sub("", answer.strip()), self.products) or \
                not any(q_det & f.entities for f in facts):
            return ""
        return f"leaves out the {', '.join(sorted(q_det))} asked"

    def check(self, answer: str, question: str, passages: list[Passage], *, partial: bool = False) -> ClaimCheck:
        """Every sentence (and list item) of `answer` as a claim; `partial`: the last one is still growing.
        A complete answer must also hold the value the question asks for (`answers_asked`)."""
        facts = self.facts(passages)
        out = ClaimCheck()
        ok, why = self.verdict_ok(answer.strip(), question, facts)
        if not ok:
            out.claims.append(ClaimResult(answer.strip(), False, why))
        why = "" if partial else (self.answers_asked(answer, question, facts)
                                  or self.other_action(answer, question, facts)
                                  or self.other_payment(answer, question, facts)
                                  or self.other_detail(answer, question, facts))
        if why:
            out.claims.append(ClaimResult(answer.strip(), False, why))
        sentences = [s for line in answer.splitlines() for s in split_facts(line.strip(" -*\u2022"))]
        for i, sentence in enumerate(sentences):
            loose = partial and i == len(sentences) - 1
            out.claims.append(self.check_sentence(sentence, question, facts, loose=loose))
        return out
