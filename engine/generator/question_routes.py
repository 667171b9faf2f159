"""Which path answers a shop question: the fixed answers (a request no task does, a redirect to the shopper's
own orders, a clock time, a computed catalogue fact, a recommendation, two quoted parts, a corrected premise, the
scope answer), or the retrieved facts the generator words an answer from. Order matters: earlier paths are
decided by rules that are never wrong about their kind of question; the generator is the last resort."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.knowledge import Hit, tokenize
from engine.knowledge.subjects import entities, entity_class
from engine.unsupported_asks import unsupported

from .answer_types import Answer, SourceRef, quoted_answer
from .catalogue_needs import with_needs
from .catalogue_spelling import respell
from .claims import PREMISE
from .fixed_answers import FlowInfo, clock_answer
from .near_hits import RETRIEVE_K, with_asked
from .option_wish import forbidden_option_action
from .premise_check import corrected_premise, kept_old
from .question_rules import ORDER_RULE, OWN_FACTS, POLICY_Q, RULE_ABOUT_MINE, TASTE, off_topic
from .quoting import sentence_of
from .recommend import is_recommendation
from .sold_out_swap import SoldOutSwap, sold_out_swap, swap_rule
from .two_parts import covered, quoted_parts, question_parts
from .uncovered import uncovered_details

if TYPE_CHECKING:
    from .answerer import Answerer

@dataclass
class Routed:
    """The path chosen for one question. `fixed` is the whole answer when a rule decided it; otherwise `hits`
    are the passages (the answering one first) the generator words an answer from."""

    kind: str                    # cannot_do, redirect, scope, clock, catalogue, recommendation, two_parts, premise,
                                 # option, generate
    fixed: Answer | None
    hits: list[Hit] = field(default_factory=list)
    clean: str = ""              # the question as read: instructions removed, shorthand and spelling repaired
    injected: bool = False       # instructions were removed from the message


def asking_part(text: str) -> str:
    """The part of a message that asks: its last question, after the shopper's premise ("My parcel was delivered
    while I was away. ... Since it's been delivered, can I exchange it?"; "my user id is in my profile, so my user
    id is enough, right?"). A lookup of the shopper's own order is what this part asks, not what a story tells."""
    asks = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.rstrip().endswith("?")]
    return PREMISE.split(asks[-1] if asks else text)[-1]


def statuses(text: str) -> set[str]:
    """The order statuses a message names (its own order's, when it tells one)."""
    return {e for e in entities(text) if entity_class(e) == "status"}


def _sold_out(ans: Answerer, clean: str, swap: SoldOutSwap, flows: list[FlowInfo]) -> Answer:
    """The availability of what the item would become, then the rule of the action the order's status allows."""
    named = statuses(clean)
    action = "change" if "pending" in named else "exchange" if "delivered" in named else swap.action
    rule = swap_rule(ans.knowledge_facts, action)
    text = swap.text + (f'\n{rule.passage.attribution()}: "{sentence_of(rule.passage.text, rule)}"' if rule else "")
    sources = [SourceRef(title="Product catalogue", section=swap.product)]
    return Answer(text=text, source="catalogue", kind="catalogue", notes=["computed: sold-out swap"],
                  buttons=ans._flow_buttons(flows, clean), sources=sources + (
                      [SourceRef(title=rule.passage.title, section=rule.passage.section)] if rule else []))


def route_question(ans: Answerer, question: str, flows: list[FlowInfo]) -> Routed:
    clean, injected = ans.sanitize(question)
    kind = unsupported(question)
    said = ans.cannot_do.get(kind or "")
    if said is not None:  # "cancel just the lamp from my order": the rule, and what the shop does instead
        return Routed("cannot_do", ans.cannot_do_answer(said, flows), [], clean, injected)
    # a request no task does that names an order ("ship half of #W1 now ...") is answered by the rule (the FAQ)
    if OWN_FACTS.search(asking_part(clean)) and not RULE_ABOUT_MINE.search(clean) and kind is None:
        return Routed("redirect", ans.order_facts_redirect(flows), [], clean, injected)
    if not clean or (injected and not tokenize(clean)):
        return Routed("scope", ans.scope_answer(flows, clean), [], clean, injected)
    clock = clock_answer(clean, ans.retriever.passages)
    if clock is not None:  # a clock time read by the policy's rule (fixed_answers.clock_answer)
        text, rule = clock
        clock_said = Answer(text=text, source="policy", kind="extractive", notes=["computed: clock time"],
                            sources=[SourceRef(title=rule.title, section=rule.section)])
        return Routed("clock", clock_said, [], clean, injected)
    # "dumbells": the catalogue's word (catalogue_spelling.py); "to keep my head safe": the helmet (catalogue_needs.py)
    shop = with_needs(respell(clean, *ans._spelling), ans.catalogue)
    swap = sold_out_swap(shop, ans.catalogue)
    if swap is not None:  # "exchange it for a natural rubber one" with none available: that first, then the rule
        return Routed("catalogue", _sold_out(ans, clean, swap, flows), [], clean, injected)
    computed = ans.computed(shop, flows)
    parts = question_parts(clean)
    if computed is not None:  # "how many products ..., and what time zone ...?": the rule quoted after the count
        both = quoted_parts(ans, clean, parts, head=computed.text) if len(parts) > 1 and \
            computed.kind == "catalogue" else None
        if both:
            rule = quoted_answer(both, [], [])
            computed.text, computed.sources = f"{computed.text}\n{rule.text}", computed.sources + rule.sources
        return Routed("catalogue", computed, [], clean, injected)
    if TASTE.search(clean):  # "which watch looks the most elegant?": looks are no fact the shop holds
        return Routed("scope", ans.scope_answer(flows, clean), [], clean, injected)
    # ("the boots came on Tuesday ... I want the same boots a size bigger": their own order, no listing)
    if is_recommendation(shop, ans.catalogue) and not ORDER_RULE.search(clean) and not statuses(clean):
        rec = ans.recommendation(shop, flows)
        if rec is not None:
            return Routed("recommendation", rec, [], clean, injected)
    both = quoted_parts(ans, clean, parts) if len(parts) > 1 else None
    if both:  # two questions, each with its own fact: both quoted (two_parts.py)
        both_answer = quoted_answer(both, ans._flow_buttons(flows, clean), ["two parts"])
        return Routed("two_parts", both_answer, [], clean, injected)
    if uncovered_details(ans.claims, clean, ans.knowledge_facts):  # "who pays the postage?"
        return Routed("scope", ans.scope_answer(flows, clean), [], clean, injected)
    hits = ans._search(clean, max(RETRIEVE_K, int(ans.settings.top_k)))
    asked_part = asking_part(clean)  # "My son ordered it by accident. It's still pending. What reason ...?": the last
    if asked_part != clean:  # "Returns can go to a gift card, so when I cancel ...?": search what is asked too
        hits = with_asked(hits, ans.retriever.search(asked_part, k=RETRIEVE_K))
    best = hits[0].score if hits else 0.0
    known = ans.retriever.known_words(clean)
    best_cos = max((h.cosine for h in hits if not h.beyond), default=0.0)
    if (off_topic(clean) and best_cos < 0.5) or best < ans.settings.min_retrieval_score or \
            (known < 0.34 and best < 0.3):
        return Routed("scope", ans.scope_answer(flows, clean), hits, clean, injected)
    if POLICY_Q.search(clean):  # the rules first; a product passage may still follow
        hits = sorted(hits, key=lambda h: h.passage.source == "catalogue")
    hits = ans._answering(clean, hits)
    kept = kept_old(clean, ans.knowledge_facts)  # "... so I keep the old one": the item goes back, said first,
    wrong = kept or corrected_premise(ans.claims, clean, ans.knowledge_facts)  # whatever passage answers the rest
    if not hits and wrong is None and asked_part != clean:  # the story matched no rule and states nothing false:
        hits = ans._answering(asked_part, ans._search(asked_part, max(RETRIEVE_K, int(ans.settings.top_k))))
        clean = asked_part if hits else clean  # the question it ends with, read alone
    if not hits and wrong is None:  # retrieved, but no fact holds what is asked ("how long does shipping take?")
        return Routed("scope", ans.scope_answer(flows, clean), [], clean, injected)
    top = hits[0].passage if hits else wrong.passage  # type: ignore[union-attr]
    # "since gift card refunds take 5-7 days": the premise corrected first (and an item said to be kept, always)
    if wrong is not None and (not hits or wrong.passage.id != top.id or kept is not None):
        said = [(wrong.passage, sentence_of(wrong.passage.text, wrong))]  # the premise corrected first
        said += [(p, t) for p, t in (ans._quoted(top, clean) if hits else []) if not covered(t, said[0][1])]
        fixed = quoted_answer(said, ans._flow_buttons(flows, clean), ["premise corrected"])
        return Routed("premise", fixed, [], clean, injected)
    if forbidden_option_action(ans.claims.wish_entities(clean)) is not None:  # "exchange stuff from a pending order":
        # the prohibition and the action that status allows instead, quoted (a model's "no, you cannot" drops the latter)
        fixed = ans._quote(hits[0], replaced=False, notes=["another action gets it"], flows=flows, question=clean)
        return Routed("option", fixed, [], clean, injected)
    hits = hits[:max(1, int(ans.settings.top_k))]
    if top.source == "catalogue" and set(tokenize(top.section)) <= set(tokenize(clean)):
        hits = hits[:1]  # the product is named: a second product's prices only confuse the model
    return Routed("generate", None, hits, clean, injected)
