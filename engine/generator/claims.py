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

from engine.knowledge import Passage, tokenize
from engine.knowledge.subjects import ENTITIES, INHERITED, acts, entities, has  # noqa: F401 (re-exported)
from engine.knowledge.subjects import entity_class as _class
from engine.knowledge.wording import GENERIC, jaccard, missing, words  # noqa: F401 (re-exported)

from .asks import asked, holds
from .grounding import NUMBER_WORDS, numbers_in

NEGATION = re.compile(r"\b(not|cannot|can't|cant|don't|doesn't|won't|isn't|aren't|never|no|unable|nor)\b|n't\b")
_IGNORE_NEG = re.compile(r'"[^"]*"|\bno longer needed\b|\bnothing else\b|\bor not\b', re.I)
CONJUNCTION_ONCE = re.compile(r"\bonce\s+(?=(its|it|the|my|your|a|an|i|you|we|they|this|that)\b)", re.I)
# what the shopper states before asking: "..., so can I ...?", "since ..., ", "I already changed it, now ..."
PREMISE = re.compile(r",?\s+\bso\b\s+(?=\w)|\b(?:because|since)\b[^,]*,\s*|\balready\b[^,.?]*[,.]\s*(?:(?:and|but)\s+)?(?:now\s+)?",
                     re.I)
ANY_PAYMENT = re.compile(r"\b(original|any|every|each|your) payment method\b", re.I)
ONLY = re.compile(r"\b(only|just)\b")
MODAL = re.compile(r"\b(can|cannot|can't|must|only|need|needs|not)\b")
ONCE = re.compile(r"\b(once|twice|one time|two times)\b")
ALL = re.compile(r"\b(all|every|always|any|each)\b")
VERDICT = re.compile(r"^\W*(yes|yeah|yep|sure|of course|absolutely|certainly|no|nope|unfortunately)\b\W*", re.I)
IMMEDIATE = re.compile(r"\b(immediate(?:ly)?|instant(?:ly)?|right away|at once|straight away)\b")
_NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
DURATION = re.compile(_NUM + r"(?:\s*(?:to|-|–|or)\s*" + _NUM + r")?\s*(business\s+|working\s+)?"
                      r"(minute|hour|day|week|month|year)s?\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])|;\s+")
# a yes/no question: led by an auxiliary (or a clause so led: "it says processed, can I ...?"), or a statement
# asked back ("..., right?", "so I can ...?")
YES_NO_Q = re.compile(r"(^|[,;:-]\s*)(can|could|do|does|did|is|are|will|would|may|should|am|must|if) (i|we|you|it|my|the)\b"
                      r"|^\s*(can|could|do|does|did|is|are|will|would|may|should|am|must|if)\b"
                      r"|,?\s*\b(right|correct|true|yeah|ok|okay|that works|isn't it|is that (so|right|correct|true))\s*\?+(?=\s|$)"
                      r"|\bso (i|we) (can|could|will|would|get|don't|do not|can't)\b[^?]*\?\s*$", re.I)

def _num(tok: str) -> str:
    return str(NUMBER_WORDS[tok]) if tok in NUMBER_WORDS else tok


def values(text: str) -> set[str]:
    """Durations ("dur:5-7 business day", "dur:immediate"), amounts and other numbers ("num:46.66")."""
    low = text.lower()
    out = {f"num:{n}" for n in numbers_in(re.sub(r"\bone\b", " ", text, flags=re.I))}
    if IMMEDIATE.search(low):
        out.add("dur:immediate")
    for m in DURATION.finditer(low):
        a, b, biz, unit = m.group(1), m.group(2), m.group(3), m.group(4)
        span = _num(a) + (f"-{_num(b)}" if b else "")
        out.add(f"dur:{span} {'business ' if biz else ''}{unit}")
    return out


def negative(text: str) -> bool:
    return NEGATION.search(_IGNORE_NEG.sub(" ", text.lower())) is not None


def split_facts(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


@dataclass
class Fact:
    """One sentence of a passage, with its section heading (context for the subject, never for values)."""

    text: str
    passage: Passage
    entities: set[str]
    values: set[str]
    negative: bool


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


class ClaimChecker:
    def __init__(self, products: list[str]):
        self.products = products
        self._product_words = words(" ".join(products))  # "boots" of "Hiking Boots": see `score`

    def facts(self, passages: list[Passage]) -> list[Fact]:
        out = []
        for p in passages:
            for s in split_facts(p.text):  # the section (FAQ question, heading, product) names the subject too
                out.append(Fact(s, p, entities(s + " " + p.section, self.products), values(s), negative(s)))
        return out

    def _question_entities(self, question: str) -> set[str]:
        return self._subject(question)[1]
    def _subject(self, question: str) -> tuple[str, set[str]]:
        """The part of the question that asks, and its entities: "You can change a pending order, so I can return
        from it too?" asks about returning, "It's cancelled, so I can change its address?" about changing a cancelled
        order. The premise lends what the asked part names none of, and its actions unless it states a rule."""
        ents = entities(question, self.products)
        asked_part = PREMISE.split(question)[-1]
        if asked_part == question:
            return question, ents
        own = entities(asked_part, self.products)
        classes = {_class(e) for e in own}
        lent = {e for e in ents - own if _class(e) in ("status", "payment", "product") and _class(e) not in classes}
        rule = re.search(r"\b(can|may|allowed)\b", question[:len(question) - len(asked_part)], re.I)
        if not any(_class(e) == "action" for e in own):  # "since I'm allowed to change it, can you put half on X?"
            return (asked_part, own | lent) if rule and own else (question, ents)
        if "status" not in classes or not rule:  # "I changed its items, so I can cancel it?": the order's history
            lent |= {e for e in ents - own if _class(e) == "action" and not (e == "cancel" and "cancelled" in ents)}
        return asked_part, own | lent

    def _question_words(self, question: str, q_ents: set[str]) -> set[str]:
        """The question's content words less the generic ones and those its entities already stand for
        ("modify" is the entity change, checked as an entity)."""
        forms = " ".join(f for e in q_ents if e in ENTITIES for f in ENTITIES[e][1] if has(f, question.lower()))
        forms += " " + " ".join(e for e in q_ents if e not in ENTITIES)  # product names
        question = CONJUNCTION_ONCE.sub(" ", question)  # "once its items are changed" is a when, not a count
        return words(question) - GENERIC - words(forms)

    def check_sentence(self, sentence: str, question: str, facts: list[Fact], *, loose: bool = False) -> ClaimResult:
        """`loose`: an unfinished sentence (streaming): only its values and subject so far are checked."""
        body = VERDICT.sub("", sentence).strip()
        ents = entities(body, self.products)
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
            if not ents - self._waived(f) <= f.entities:
                best_why = f"no fact with {', '.join(sorted(vals)) or 'it'} is about {', '.join(sorted(ents - f.entities))}"
                continue
            if loose:
                return ClaimResult(sentence, True, "", f)
            qualifiers = {e for e in entities(f.text) if _class(e) in ("payment", "status")}
            if qualifiers and not qualifiers & ents:
                best_why = f"the fact holds only for {', '.join(sorted(qualifiers))}: {f.text!r}"
                continue
            if neg != f.negative:
                best_why = f"the fact says the opposite ({'cannot' if f.negative else 'can'}): {f.text!r}"
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

    def best_fact(self, question: str, facts: list[Fact], rank: dict[str, float] | None = None, *,
                  relaxed: bool = False) -> Fact | None:
        """The fact that answers the question best: its subject covered (one entity of each class the question
        names: "switch from PayPal to a gift card" is answered by a gift-card fact), the asked value present,
        and 2/3 of the question's other words shared (`relaxed`: no word share required; the Answerer relaxes
        only when MiniLM finds the passage close in meaning, for paraphrases such as "verify who I am").

        The value the question asks for (asks.py: a duration, count, amount, status) must be in the fact: the
        entities a question names choose among the facts that answer it, never a fact that does not. A fact
        holding an option of an "A or B?" question is preferred when there is one."""
        scored = [(self.score(question, f, rank, relaxed=relaxed), i, f) for i, f in enumerate(facts)]
        scored = [(sc, -i, f) for sc, i, f in scored if sc is not None and sc > 0]
        return max(scored, key=lambda x: (x[0], x[1]))[2] if scored else None

    def score(self, question: str, f: Fact, rank: dict[str, float] | None = None, *,
              relaxed: bool = False) -> float | None:
        """How well `f` answers `question` (see `best_fact`); None when it cannot answer it."""
        asked_part, q_ents = self._subject(question)
        must = {e for e in q_ents if _class(e) in INHERITED or _class(e) == "product"}
        q_classes = {_class(e) for e in q_ents}
        # the price difference is a specific thing asked about, as a detail is ("do I get the difference back?")
        q_details = {e for e in q_ents if _class(e) == "detail" or e == "price difference"}
        ask = asked(question)
        have = f.entities | self._waived(f)
        named = f.entities
        if ANY_PAYMENT.search(f.text):  # "the original payment method" is whichever the shopper paid with
            have |= {e for e in must if _class(e) == "payment"}
            named = named | {e for e in q_ents if _class(e) == "payment"}
        lacking = {_class(e) for e in must} - {_class(e) for e in must & have}
        # cancelling makes a pending order "cancelled": a rule for cancelled orders answers "if I cancel my pending
        # order ...?" (never for a delivered one, which cannot be cancelled)
        outcome = "cancel" in q_ents and "cancelled" in f.entities and \
            {e for e in q_ents if _class(e) == "status"} == {"pending"}
        if outcome:
            lacking.discard("status")
        penalty = 0.0
        if relaxed and f.passage.source == "catalogue":  # a product's passage answers in its own words only
            return None
        if relaxed:  # a paraphrase: a fact of the same action for another payment or status ranks lower
            penalty = 2.0 * len(lacking & {"payment", "status"})
            lacking -= {"payment", "status"}
        # a rule that holds for every status ("only while pending"; "not for a different product")
        general = self._restricts_status(f) or bool(q_details & f.entities)
        # a paraphrase says in other words what the fact says, still about the specific thing asked: "can you change
        # my account email?" is not answered by the rule for the default address
        if relaxed and q_details and not q_details & f.entities:
            return None
        # a prohibition about the specific thing asked ("cannot act on another customer's orders") holds for every action
        waivable = ({"status"} if general else set()) | ({"action"} if q_details & f.entities and f.negative else set())
        # "a cancelled order cannot be changed" holds whatever the payment method it would be changed to
        if f.negative and {e for e in q_ents if _class(e) == "status"} & entities(f.text):
            waivable.add("payment")
        if lacking and not lacking <= waivable:
            return None
        if ask.kind in ("duration", "destination", "count", "amount", "status") and \
                not holds(ask, f.text, f.values, entities(f.text, self.products)) and \
                not (ask.stated and self._restricts_status(f)):  # "only while pending" decides "a week later?"
            return None
        ctx = words(f.text + " " + f.passage.section)
        q_words, shared = self._best_part(asked_part, q_ents, ctx, catalogue=f.passage.source == "catalogue")
        # the specific things the question names ("customer service", "a new order") count as its words: a product's
        # "battery life: 10 hours", or the time zone's "24-hour format", does not answer "what are your customer
        # service hours?"; a rule naming no other specific thing may answer by the words alone
        asked_n = len(q_words) + len(q_details)
        by_words = not q_words or (shared >= 2 and shared / len(q_words) >= 0.66)
        elsewhere = f.passage.source == "catalogue" or any(_class(e) == "detail" for e in f.entities - q_ents)
        if asked_n and (shared + len(q_details & f.entities)) / asked_n < 0.66 and not relaxed \
                and not (by_words and not elsewhere):
            return None
        in_section = len(q_words) - len(missing(q_words, words(f.passage.section)))
        extra = [e for e in f.entities - q_ents if _class(e) in q_classes]
        # a rule for one payment method answers a question naming none less well than the rule for all of them
        narrower = [e for e in entities(f.text) if _class(e) == "payment" and "payment" not in q_classes]
        narrower = narrower if len(narrower) == 1 else []  # a fact listing them all is no narrower
        in_text = q_ents & (entities(f.text, self.products) | (named - f.entities))  # by the fact, not its section
        score = shared + 0.5 * in_section + 0.5 * len(q_ents & named) + 0.5 * len(in_text) \
            - 0.3 * len(extra) - 0.5 * len(narrower) + 0.01
        score += 0.5 * (rank or {}).get(f.passage.id, 0.0)  # the retriever's score breaks ties
        if f.passage.source == "faq":  # an FAQ question asked in other words: its answer is the one
            score += jaccard(question, f.passage.section)
        if YES_NO_Q.search(question) and MODAL.search(f.text.lower()):  # "X cannot ..." decides a yes/no
            score += 0.4
        if ask.kind == "choice" and holds(ask, f.text, f.values, f.entities):
            score += 2.0
        # the specific thing asked about ("a different product"), and less for each one the fact does not name
        score += 0.5 * len(q_details & f.entities) - 0.25 * len(q_details - f.entities)
        if q_details & f.entities and f.negative:  # a "cannot" for that very thing ("another customer's orders") decides
            score += 0.5
        q_acts = {e for e in q_ents if _class(e) == "action"}
        if q_acts and q_acts <= acts(f.text):  # a rule about doing what is asked, not a status named after it
            score += 0.5
        # the shopper did something already ("I already changed the size, now ..."): the rule for the order after it
        premise = question[:len(question) - len(asked_part)]
        after = re.match(r"\s*(after|once)\b([^,]*),", f.text, re.I)
        if premise and after and acts(premise) & acts(after.group(2)) and not re.search(r"\b(can|may|allowed)\b", premise, re.I):
            score += 1.0
        q_status = {e for e in q_ents if _class(e) == "status"}
        f_status = {e for e in entities(f.text) if _class(e) == "status"}
        # a rule for another status ranks well below one for it, unless it restricts the status ("only while
        # pending"): that rule answers for the other statuses too (quoting.py adds their "cannot")
        if q_status and f_status and not q_status & f_status and not self._restricts_status(f) and not outcome:
            penalty += 2.0
        return score - penalty

    def _best_part(self, asked_part: str, q_ents: set[str], ctx: set[str], *, catalogue: bool) -> tuple[set[str], int]:
        """The question's words a fact must share, and how many it shares: of the whole message, or of the one question
        of several it answers best ("what reason do I give? can I say I found it cheaper elsewhere?" is answered by the
        rule on reasons). The shopper's own figures ("an order of $120") are particulars, not what is asked."""
        sentences = [q for q in re.findall(r"[^?.!]+[?.!]*", asked_part) if q.strip()]
        parts = [asked_part] + (sentences if len(sentences) > 1 else [])
        best: tuple[float, set[str], int] | None = None
        for part in parts:
            q_words = {w for w in self._question_words(part, q_ents) if not re.fullmatch(r"[\d.]+", w)
                       and w not in NUMBER_WORDS and not (w == "pric" and re.search(r"\$\s?\d", part))}
            if not catalogue:  # a rule holds for every product: a product's word it lacks is no gap
                q_words = q_words - missing(q_words & self._product_words, ctx)
            shared = len(q_words) - len(missing(q_words, ctx))
            if not q_words and part is not parts[0]:  # "is that possible?" alone names nothing a fact must share
                continue
            ratio = shared / len(q_words) if q_words else 1.0
            if best is None or ratio > best[0]:
                best = (ratio, q_words, shared)
        assert best is not None
        return best[1], best[2]

    def _waived(self, f: Fact) -> set[str]:
        """Product names a policy or FAQ fact need not repeat: its rules hold for every product."""
        return set() if f.passage.source == "catalogue" else {p.lower() for p in self.products}

    @staticmethod
    def _restricts_status(f: Fact) -> bool:
        """"You can cancel an order only while it is pending" also answers for the other statuses (no)."""
        return bool(ONLY.search(f.text.lower())) and any(_class(e) == "status" for e in f.entities)

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
        fact_says_no = f.negative != negative(asked_part)
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

    def check(self, answer: str, question: str, passages: list[Passage], *, partial: bool = False) -> ClaimCheck:
        """Every sentence (and list item) of `answer` as a claim; `partial`: the last one is still growing.
        A complete answer must also hold the value the question asks for (`answers_asked`)."""
        facts = self.facts(passages)
        out = ClaimCheck()
        ok, why = self.verdict_ok(answer.strip(), question, facts)
        if not ok:
            out.claims.append(ClaimResult(answer.strip(), False, why))
        why = "" if partial else self.answers_asked(answer, question, facts)
        if why:
            out.claims.append(ClaimResult(answer.strip(), False, why))
        sentences = [s for line in answer.splitlines() for s in split_facts(line.strip(" -*\u2022"))]
        for i, sentence in enumerate(sentences):
            loose = partial and i == len(sentences) - 1
            out.claims.append(self.check_sentence(sentence, question, facts, loose=loose))
        return out
