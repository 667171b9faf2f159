"""The grounded fallback: retrieve -> (maybe) generate -> check claims -> answer, or quote the passage.

Order of decisions for one question:
1. instructions embedded in the message are removed (they never reach the model);
2. questions about the shopper's own order/account/payment facts -> redirect to the order-status flow;
3. catalogue and money questions (cheapest, most expensive, how many, in stock, A vs B, price range) ->
   computed from the catalogue and phrased by a fixed template (catalogue_answers.py);
4. product requests -> real, available catalogue variants with checkout buttons;
5. off-topic questions, or no retrieved fact that answers the question -> the scope answer (the shop's
   information does not cover it; the tasks and a person are offered);
6. otherwise the generator words an answer from the passages; every sentence is checked as a claim
   (claims.py: its subject and value together in one fact, same polarity) besides the lexical check
   (grounding.py), and an answer that fails is replaced by the passage of the best fact, quoted.
Any generator error or an expired deadline also yields the quoted passage: never a crash, never a hang.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from engine.contracts import Button
from engine.knowledge import Hit, Passage, Retriever, tokenize
from engine.knowledge.cannot_do import CannotDo
from engine.knowledge.regional import normalised
from engine.knowledge.shorthand import expand_shorthand

from .answer_types import Answer, AnswerEvent, SourceRef
from .asks import asked
from .catalogue_answers import computed_answer
from .catalogue_spelling import catalogue_words, knowledge_respeller, known_words, option_words
from .claims import ENTITIES, ClaimChecker, entities
from .errors import GeneratorError, GeneratorTimeout
from .fact_text import YES_NO_Q, bare_verdict
from .fixed_answers import (ORDER_FACTS_TEXT, FlowInfo, by_words_named, computed_buttons,
                            flow_buttons, order_status_button, recommendation_listing, scope_parts)
from .grounding import check_support, content_overlap, numbers_in
from .near_hits import RETRIEVE_K, ranked
from .negative_guess import guess_lead
from .option_wish import option_lead
from .plain_asks import plain_ask
from .question_routes import Routed, route_question
from .question_rules import INJECTION, PROMPT_LEAK, QUANT
from .quoting import companions, sentence_of
from .recommend import SYNONYMS
from .shaping import shape

# MiniLM cosine from which a passage is close enough in meaning that its facts may answer a question sharing
# few of their words ("how do you verify who I am"); on the knowledge bench every question the documents do
# not cover stayed below 0.58
RELAXED_COSINE = 0.6


SYSTEM_PROMPT = (  # short on purpose: every prompt token is paid for before the first answer token
    "Answer the shop customer's question in one short sentence, using only the facts below. "
    "Copy numbers and words from the facts exactly.\nFacts:\n{facts}"
)


# the model saying it will do something to the shopper's order: only a flow acts, after the shopper's yes
ACTS = re.compile(r"\bI(?:'ll|\s+will|'ve|\s+have|'m\s+going\s+to|\s+am\s+going\s+to|\s+can\s+go\s+ahead\s+and)\s+"
                  r"(?:go\s+ahead\s+and\s+|now\s+|just\s+)?(?:do|make|cancel(?:led)?|change[ds]?|return(?:ed)?|exchange[ds]?|"
                  r"process(?:ed)?|refund(?:ed)?|switch(?:ed)?|update[ds]?|send|sent|place[ds]?|apply|applied|issue[ds]?|"
                  r"arrange[ds]?|submit(?:ted)?|modif(?:y|ied)|add(?:ed)?|remove[ds]?)\b", re.I)


def _new_words(answer: str, question: str) -> int:
    """Content words of the answer that the question did not already contain."""
    return len(set(tokenize(answer)) - set(tokenize(question)))


def _pretty_source(p: Passage) -> str:
    return {"policy": "store policy", "catalogue": "catalogue", "faq": "FAQ"}[p.source]


# an FAQ answer's leading verdict ("No. An order is paid with one payment method ...")
_VERDICT = re.compile(r"^\s*(?:yes|no)\.\s+", re.I)


class Answerer:
    def __init__(self, retriever: Retriever, catalogue: dict, generator: Any | None, settings: Any,
                 cannot_do: dict[str, CannotDo] | None = None):
        self.retriever = retriever
        self.cannot_do = cannot_do or {}  # knowledge/cannot_do.yaml: the reply to a request no task does
        self.catalogue = catalogue
        self.generator = generator
        self.settings = settings
        self.product_names = [p["name"] for p in catalogue.values()]
        self._knowledge = [p for p in retriever.passages if p.source != "catalogue"]
        self.claims = ClaimChecker(self.product_names, option_words(catalogue, self._knowledge))
        self._spelling = (catalogue_words(catalogue, SYNONYMS), known_words(retriever.passages))
        self._knowledge_spelling = knowledge_respeller(retriever.passages, self._spelling[0])
        # the facts of the policy and FAQ, split once (~50 ms): every quote, premise and coverage check reads them
        self.knowledge_facts = self.claims.facts(self._knowledge)

    # ---------- helpers ----------
    def sanitize(self, question: str) -> tuple[str, bool]:
        """Remove instruction-like text; returns (clean question, whether something was removed)."""
        cleaned = INJECTION.sub(" ", question)
        injected = cleaned != question
        cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,.;:-")
        cleaned = re.sub(r"^(and|then|now|so)\b\s*", "", cleaned, flags=re.I)
        # "what about the address then — after the item change, can I ...?": the follow-up's topic, then its question
        cleaned = re.sub(r"^(what|how) about\b[^—–?,\d]{0,40}?\s+[—–]\s*(?=\w+\b[^?]*\?)", "", cleaned, flags=re.I)
        cleaned = plain_ask(cleaned)  # "could you kindly advise whether ...": the question, said plainly
        return self._knowledge_spelling(normalised(expand_shorthand(cleaned))), injected  # "exchnage", "postcode"

    _by_words_named = staticmethod(by_words_named)

    def cannot_do_answer(self, said: CannotDo, flows: list[FlowInfo]) -> Answer:
        """The designer's reply to a request no task does, with the tasks it offers as buttons; a reply the policy
        does not back (`covered: false`) is an honest "the shop's information does not say", as the scope answer."""
        by_id = {f.id: f for f in flows}
        buttons = [Button(title=by_id[i].title, payload=by_id[i].payload) for i in said.offer if i in by_id]
        if said.faq:  # the FAQ's own answer, quoted as any FAQ answer is
            return Answer(text=f'From our FAQ: "{said.reply}"', source="faq", buttons=buttons, kind="extractive",
                          notes=[f"cannot do: {said.kind} (FAQ)"], sources=[SourceRef(title="FAQ", section=said.faq)])
        return Answer(text=said.reply, source="policy" if said.covered else "scope", buttons=buttons,
                      kind="extractive" if said.covered else "scope", notes=[f"cannot do: {said.kind}"])

    def _flow_buttons(self, flows: list[FlowInfo], text: str, limit: int = 2) -> list[Button]:
        return flow_buttons(flows, text, limit)

    def _quote(self, hit: Hit, *, replaced: bool, notes: list[str], flows: list[FlowInfo],
               question: str, generated: str | None = None, prefix: str = "") -> Answer:
        p = hit.passage
        parts = self._quoted(p, question)
        if p.source != "catalogue":  # "You don't take PayPal, do you?": whether the guess holds, then the fact
            said = " ".join(t for _, t in parts)  # and which action the rule quoted is ("You can exchange it ...")
            prefix += guess_lead(self.claims, question, self.knowledge_facts, said) or \
                option_lead(self.claims.wish_entities(question), said, self.knowledge_facts,
                            yes_no=bool(YES_NO_Q.search(question)))
        text = prefix + "\n".join(f'{q.attribution()}: "{t}"' for q, t in parts)
        return Answer(text=text, source=p.source, sources=[SourceRef(title=q.title, section=q.section) for q, _ in parts],
                      buttons=self._flow_buttons(flows, question + " " + p.section), supported=True,
                      replaced=replaced, kind="extractive", notes=notes, generated=generated)

    def _quoted(self, p: Passage, question: str) -> list[tuple[Passage, str]]:
        """What to quote of `p`, and after it (quoting.py): the fact of an FAQ answer that answers the
        question ("Refunds to a gift card are immediate.", not its sentence about the 5 to 7 business days
        of other payment methods) unless the question names no payment method or status; a policy bullet
        whole; a catalogue passage whole. Then the companion facts the quoted one cannot be read without
        (the same rule for the other payment methods; the status an action needs)."""
        if p.source == "catalogue":
            return [(p, p.text)]
        own = [f for f in self.claims.facts([p]) if tokenize(f.text)]
        if not own:
            return [(p, p.text)]
        qualified = {e for e in entities(question) if ENTITIES.get(e, ("",))[0] in ("payment", "status")}
        best = (self.claims.best_fact(question, own) or self.claims.best_fact(question, own, relaxed=True)
                if len(own) > 1 else None) or own[0]
        whole = p.source != "faq" or not qualified or len(own) == 1
        text = p.text
        if whole and p.source == "faq" and (best is not own[0] or not YES_NO_Q.search(question)) and _VERDICT.match(text):
            # the FAQ's "No." answers its own question, not this one (another fact does, or a what-question asks no
            # yes or no: "after I confirm an exchange, what happens next?")
            text = _VERDICT.sub("", text)
        out = {(p.source, p.section): (p, [text if whole else sentence_of(p.text, best)])}
        for f in companions(self.claims, best, self.knowledge_facts, question):
            q, said = out.setdefault((f.passage.source, f.passage.section), (f.passage, []))
            if f.text not in " ".join(said):
                said.append(sentence_of(f.passage.text, f))
        return [(q, " ".join(said)) for q, said in out.values()]

    # ---------- fixed paths ----------
    def scope_answer(self, flows: list[FlowInfo], question: str = "", limit: int = 6) -> Answer:
        text, buttons = scope_parts(flows, question, limit)
        return Answer(text=text, source="scope", kind="scope", buttons=buttons)

    def order_facts_redirect(self, flows: list[FlowInfo]) -> Answer:
        return Answer(text=ORDER_FACTS_TEXT, source="scope", kind="order_facts_redirect",
                      buttons=[order_status_button(flows)])

    def recommendation(self, question: str, flows: list[FlowInfo]) -> Answer | None:
        found = recommendation_listing(question, self.catalogue)
        if found is None:
            return None
        return Answer(text=found.text, source="recommendation" if found.buttons else "catalogue",
                      kind="recommendation", buttons=found.buttons, notes=found.notes,
                      sources=[SourceRef(title="Product catalogue", section=found.product)])

    def computed(self, question: str, flows: list[FlowInfo]) -> Answer | None:
        """Cheapest / most expensive / how many / in stock / A vs B / price range: from the catalogue."""
        comp = computed_answer(question, self.catalogue)
        if comp is None:
            return None
        if comp.what == "not_listed":  # the product exists; the property asked for is not in the catalogue
            scope = self.scope_answer(flows, question)
            return Answer(text=comp.text, source="scope", kind="scope", notes=["computed: not listed"],
                          buttons=scope.buttons, sources=[SourceRef(title="Product catalogue", section=comp.product)])
        return Answer(text=comp.text, source="catalogue", kind="catalogue", notes=[f"computed: {comp.what}"],
                      buttons=computed_buttons(comp, self.catalogue, flows, question),
                      sources=[SourceRef(title="Product catalogue", section=comp.product or "all products")])

    def extractive_answer(self, question: str, *, flows: list[FlowInfo] | None = None) -> Answer:
        """Deterministic: the passage of the fact that answers best, quoted and attributed (no model)."""
        flows = flows or []
        clean, _ = self.sanitize(question)
        hits = self._answering(clean or question, self._search(clean or question, RETRIEVE_K))
        if not hits:
            return self.scope_answer(flows, clean)
        return self._quote(hits[0], replaced=False, notes=["extractive"], flows=flows, question=clean)

    # ---------- routing ----------
    def _search(self, question: str, k: int) -> list[Hit]:
        """near_hits.ranked; things named in other words ("without asking me", "my husband's order", "back out" for
        cancelling, "a pricier one" for the price difference) are searched by the knowledge's own words for them too."""
        low = question.lower()
        terms = " ".join(e for e in entities(question) if ENTITIES.get(e, ("",))[0] == "detail"
                         or (ENTITIES.get(e, ("",))[0] in ("action", "money") and e not in low))
        return ranked(self.retriever, question, k, terms)

    def _answering(self, question: str, hits: list[Hit]) -> list[Hit]:
        """`hits` with the passage of the fact that answers first ([] when none does): of the best ranked and the rules
        that decide by what the shopper says of their order (decisive.py); then, for a value asked (asks.py), of all
        ("if I cancel an order paid w paypal the money goes to a gift card?" ranks refund times above "the total is
        refunded to the original payment method", the only fact saying where it goes)."""
        near = [h for h in hits if not h.beyond or any(self.claims.decides(question, f)
                                                       for f in self.claims.facts([h.passage]))]
        found = self._answering_in(question, near)
        return found or ([] if len(near) == len(hits) or asked(question).kind == "none" else
                         self._answering_in(question, hits))

    def _answering_in(self, question: str, hits: list[Hit]) -> list[Hit]:
        facts, rank = self.claims.facts([h.passage for h in hits]), {h.passage.id: h.score for h in hits}
        best = self.claims.best_fact(question, facts, rank)
        # relaxed only for a policy or FAQ passage close in meaning (a product's passage is close to any question
        # naming the product, and says nothing of its brand or accessories)
        if best is None and max((h.cosine for h in hits if h.passage.source != "catalogue"), default=0.0) >= RELAXED_COSINE:
            best = self.claims.best_fact(question, facts, rank, relaxed=True)
        if best is None:
            return []
        return sorted(hits, key=lambda h: h.passage is not best.passage)

    def route(self, question: str, flows: list[FlowInfo]) -> Routed:
        """Which path answers `question` (question_routes.py): a fixed answer, or the hits to generate from."""
        return route_question(self, question, flows)

    def _messages(self, question: str, hits: list[Hit]) -> list[dict]:
        facts = "\n".join(f"- {h.passage.section}: {h.passage.text}" for h in hits)
        return [{"role": "system", "content": SYSTEM_PROMPT.format(facts=facts)},
                {"role": "user", "content": question}]

    def _check(self, text: str, question: str, hits: list[Hit], *, partial: bool = False) -> list[str]:
        """Lexical problems (numbers, units, products, terms, actions), then claim problems. `partial`: a
        stream in progress, whose last sentence is unfinished (only its values and subject are checked)."""
        passages = [h.passage.text + " " + h.passage.section for h in hits]
        owners = [h.passage.section if h.passage.source == "catalogue" else None for h in hits]
        check = check_support(text, passages, product_names=self.product_names, question=question, owners=owners)
        if check.unsupported:
            return check.unsupported
        return self.claims.check(text, question, [h.passage for h in hits], partial=partial).problems

    def _finish(self, generated: str, raw: str, question: str, hits: list[Hit], flows: list[FlowInfo],
                prefix: str, timings: dict) -> Answer:
        """`generated` is the complete part of the model's `raw` text (see shaping.shape)."""
        top = hits[0].passage
        for h in hits:  # the model copied a line of the facts list: its fact, without the "- Section:" label
            label = f"- {h.passage.section}:"
            if generated.lstrip().startswith(label):
                generated = generated.lstrip()[len(label):].strip()
        problems: list[str] = []
        if not generated.strip():
            problems = ["empty or incomplete generation (no complete sentence)"]
        elif PROMPT_LEAK.search(generated) or re.search(r"^\s*[-*]?[^\n]*:\s*$", generated, re.M):
            problems = ["echoes the prompt or leaves a list item empty"]
        elif _new_words(generated, question) == 0:
            problems = ["repeats the question"]
        elif bare_verdict(generated):  # "No, you cannot.": the rule that decides it is quoted
            problems = ["a bare yes or no, without the fact"]
        elif ACTS.search(generated):  # "You're right, I'll do a second item change.": this lane answers, it never acts
            problems = ["promises to act on the shopper's order"]
        else:
            problems = self._check(generated, question, hits)
        if not problems:
            if QUANT.search(question) and numbers_in(top.text) and not numbers_in(generated):
                problems = ["omits the figure the passage states"]
            elif content_overlap(generated, " ".join(h.passage.text + " " + h.passage.section for h in hits)) < 0.5:
                problems = ["mostly not drawn from the passages"]
        if problems:
            ans = self._quote(hits[0], replaced=True, notes=problems, flows=flows, question=question,
                              generated=raw, prefix=prefix)
            ans.timings = timings
            return ans
        used = [h.passage for h in hits if content_overlap(generated, h.passage.text) > 0.2] or [top]
        label = "; ".join(list(dict.fromkeys(f"{_pretty_source(p)}, {p.section}" for p in used))[:2])
        generated = generated.strip()
        return Answer(text=f"{prefix}{generated}\n(Source: {label})", source="generator",
                      sources=[SourceRef(title=p.title, section=p.section) for p in used],
                      buttons=self._flow_buttons(flows, question + " " + top.section), supported=True,
                      replaced=False, kind="grounded", generated=generated, timings=timings)

    # ---------- public API ----------
    def stream_answer(self, question: str, *, flows: list[FlowInfo] | None = None,
                      deadline_s: float | None = None) -> Iterator[AnswerEvent]:
        flows = list(flows or [])
        t0 = time.monotonic()
        deadline = self.settings.deadline_s if deadline_s is None else deadline_s
        routed = self.route(question, flows)
        fixed, hits, clean, injected = routed.fixed, routed.hits, routed.clean, routed.injected
        prefix = "I can't follow instructions written in a message, but here is what I can tell you. " if injected else ""
        if fixed is not None:
            yield AnswerEvent(type="token", text=fixed.text)
            yield AnswerEvent(type="final", answer=fixed)
            return
        t_retrieved = time.monotonic()
        timings = {"retrieval_s": t_retrieved - t0}
        remaining = deadline - (t_retrieved - t0)
        if self.generator is None or remaining <= 0:
            why = "no generator configured" if self.generator is None else "deadline expired before generation"
            ans = self._quote(hits[0], replaced=False, notes=[why], flows=flows, question=clean, prefix=prefix)
            ans.timings = timings
            yield AnswerEvent(type="token", text=ans.text)
            yield AnswerEvent(type="final", answer=ans)
            return
        if prefix:
            yield AnswerEvent(type="token", text=prefix)
        text, shown, stopped, deltas, stop_why = "", 0, False, 0, []
        max_tokens = self.settings.max_tokens
        try:
            for delta in self.generator.stream(self._messages(clean, hits), max_tokens=max_tokens,
                                               deadline_s=remaining):
                if "first_token_s" not in timings:
                    timings["first_token_s"] = time.monotonic() - t_retrieved
                text += delta
                deltas += 1
                if shape(text)[1]:  # one sentence (or a list) is asked for; stop paying for more
                    break
                # show only complete words, and only while everything shown so far is supported
                cut = max(text.rfind(" "), text.rfind("\n"))
                if cut > shown:
                    stop_why = self._check(text[:cut], clean, hits, partial=True)
                    if stop_why:
                        stopped = True
                        break
                    yield AnswerEvent(type="token", text=text[shown:cut])
                    shown = cut
        except GeneratorTimeout as exc:
            ans = self._quote(hits[0], replaced=bool(text), notes=[f"deadline: {exc}"], flows=flows,
                              question=clean, generated=text or None, prefix=prefix)
            timings["total_s"] = time.monotonic() - t0
            ans.timings = timings
            yield AnswerEvent(type="final", answer=ans)
            return
        except GeneratorError as exc:
            ans = self._quote(hits[0], replaced=bool(text), notes=[f"generator error: {exc}"], flows=flows,
                              question=clean, generated=text or None, prefix=prefix)
            ans.timings = timings
            yield AnswerEvent(type="final", answer=ans)
            return
        timings["total_s"] = time.monotonic() - t0
        if stopped:  # the reason is the check that stopped it, not what the cut-off text lacks
            ans = self._quote(hits[0], replaced=True, notes=["stopped streaming at an unsupported word",
                                                    *(self._check(text, clean, hits, partial=True) or stop_why)],
                              flows=flows, question=clean, generated=text, prefix=prefix)
            ans.timings = timings
            yield AnswerEvent(type="final", answer=ans)
            return
        complete = shape(text, final=True, cut=deltas >= max_tokens)[0]
        ans = self._finish(complete, text, clean, hits, flows, prefix, timings)
        seen = text[:shown].strip()
        if not ans.replaced and complete.startswith(seen) and len(complete) > len(seen):
            yield AnswerEvent(type="token", text=complete[len(seen):])
        yield AnswerEvent(type="final", answer=ans)

    def answer(self, question: str, *, flows: list[FlowInfo] | None = None,
               deadline_s: float | None = None) -> Answer:
        final = None
        for ev in self.stream_answer(question, flows=flows, deadline_s=deadline_s):
            if ev.type == "final":
                final = ev.answer
        assert final is not None
        return final
