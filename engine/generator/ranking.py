"""Which fact of the knowledge answers a question: its subject covered, the value asked present, its words shared,
and the rules that decide by what the shopper says of their order (decisive.py) weighed first.

`FactRanker.best_fact` chooses the fact the Answerer quotes, and the one a yes/no verdict must agree with (claims.py).
"""
from __future__ import annotations

import re

from engine.knowledge.subjects import DEARER, ENTITIES, IN_PERSON, INHERITED, NEW_ORDER, NOT_YET, acts, entities, has
from engine.knowledge.story import story_spans
from engine.knowledge.subjects import entity_class as _class
from engine.knowledge.wording import GENERIC, jaccard, missing, words

from .asks import AMOUNT_ASKED, STATED_DURATION, asked, holds
from .decisive import (AFTER_STEP, PREMISE, STEP, follows_step, leaves_status, negated_details, same_thing, signals,
                       tail_details)
from .decisive import mirrors as starts_from
from .fact_text import (ANY_PAYMENT, CONJUNCTION_ONCE, EVERY, MODAL, ONE_ONLY, ONLY, PAID_WITH, STATED_TIME, YES_NO_Q,
                        Fact)
from .grounding import NUMBER_WORDS
from .option_wish import misplaced_option_rule, option_rule
from .ranking_cues import (ALLOWED_ONLY, COUNTS_AS, FREE_FORM, GIFT_ALONE, GIVEN_AS, ITEM_STATE, MIND_CHANGED, NO_SWAP, NUMBER_STEMS,
                            OPTION_DONE, OPTION_WORDS, OTHER_METHOD, PAID, PERMISSION, SAME_KIND, STATED_FIGURE, STATUS_OF,
                            STORY)


# money coming back: a time or amount stated of it is decided by a fact holding one, whatever else that fact names
MONEY = frozenset({"refund", "price difference"})


def q_acts_said(q_ents: set[str]) -> bool:
    """Whether the question names an action at all (its action words are then the entity, whichever one)."""
    return any(_class(e) == "action" for e in q_ents)


class FactRanker:
    def __init__(self, products: list[str], option_words: set[str] = frozenset()):
        self.products = products
        self._product_words = words(" ".join(products))  # "boots" of "Hiking Boots": see `score`
        self._option_words = set(option_words)  # "the waterproof ones": a value of a product's options, no rule's word

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
        last = list(PREMISE.finditer(question))[-1]
        if not own and re.match(r"\s*(since|because)\b", last.group(), re.I):  # "since X, right?" asks whether X
            asked_part = question[last.start():]
            own = entities(asked_part, self.products)
        classes = {_class(e) for e in own}
        lent = {e for e in ents - own if _class(e) in ("status", "payment", "product") and _class(e) not in classes}
        if "different product" in ents and sum(_class(e) == "product" for e in lent) >= 2:  # the two products lent
            lent.add("different product")
        if "different product" in ents and own & {"exchange", "change"}:  # "A tea kettle and an electric kettle are
            lent.add("different product")  # both kettles, so I can exchange one for the other?": the swap asked
        rule = re.search(r"\b(can|may|allowed)\b", question[:len(question) - len(asked_part)], re.I)
        if not any(_class(e) == "action" for e in own):  # "since I'm allowed to change it, can you put half on X?"
            return (asked_part, own | lent) if rule and own else (question, ents)
        if "status" not in classes or not rule:  # "I changed its items, so I can cancel it?": the order's history
            lent |= {e for e in ents - own if _class(e) == "action" and not (e == "cancel" and "cancelled" in ents)}
        return asked_part, own | lent

    def wish_entities(self, question: str, q_ents: set[str] | None = None) -> set[str]:
        """What is asked, with another option the shopper's story wants ("I chose the wrong colour ... Should I cancel it
        or can you change it?"): the option is what the actions asked are for."""
        q_ents = self._subject(question)[1] if q_ents is None else q_ents
        asked_part = self._subject(question)[0]
        premise = question[:len(question) - len(asked_part)]
        if OPTION_DONE.search(question):  # "I changed the sizes yesterday, now the colour?": what holds after that step
            return q_ents - {"other options"}
        if re.search(r"\b(can|may|let|lets|allowed)\b", premise, re.I):  # "Exchanges let me pick another size, so
            return q_ents                                                  # ...?": a rule stated, no wish told
        return q_ents | ({"other options"} & entities(question, self.products))

    def _question_words(self, question: str, q_ents: set[str]) -> set[str]:
        """The question's content words less the generic ones and those its entities already stand for
        ("modify" is the entity change, checked as an entity)."""
        # an action word stands for its action even when read as another one ("swap the size" of a pending order is
        # a change, not an exchange): checked as the entity, not a word to share
        forms = " ".join(f for e in ENTITIES if e in q_ents or (ENTITIES[e][0] == "action" and q_acts_said(q_ents))
                         for f in ENTITIES[e][1] if has(f, question.lower()))
        forms += " " + " ".join(e for e in q_ents if e not in ENTITIES)  # product names
        question = CONJUNCTION_ONCE.sub(" ", question)  # "once its items are changed" is a when, not a count
        # the shopper's particulars: how they paid ("paid w paypal") is the payment entity; a time they state
        # ("instantly", "right away", "in an hour") is a value, checked as one (asks.py), not a word a fact must share
        question = PAID_WITH.sub(" ", STATED_DURATION.sub(" ", STATED_TIME.sub(" ", question.lower())))
        # "I've gone off it and don't want something else in its place": the story of a return, no words to share
        question = COUNTS_AS.sub(" is ", MIND_CHANGED.sub(" ", NO_SWAP.sub(" ", question)))  # "count as pending"
        for span in story_spans(question):  # "move it from one Visa card to my other": the change its story names
            question = question.replace(span, " ")
        # "I only have my user id, nothing else": that thing alone, as the knowledge says it ("A user id alone ...")
        question = re.sub(r"\bnothing else\b|\band that'?s (it|all)\b", " alone ", question)
        question = re.sub(r"\b(only|just)\b(?=[^.?!]*\balone\b)", " ", question)
        # and the reason they give ("i want to cancel because i found it cheaper elsewhere, is that ok?"): the rule on
        # reasons answers it without sharing its words
        question = re.sub(r"\b(because|cause|as i|since i)\b[^,;?.!]*", " ", question)
        if FREE_FORM.search(question) and "reason" in question:  # "a free text box, so I can write whatever I like?"
            question = GIVEN_AS.sub(" ", FREE_FORM.sub(" ", question))
        # "am i even allowed to", "before i ask for anything, ...": how the question is framed, not what it is about
        # ("while we're at it")
        question = re.sub(r"\bam i\b|\b(before|until) i (ask|do|say|decide|go ahead)\b[^,;?.!]*"
                          r"|\bwhile (we're|we are|i'm|i am|you're|you are) at it\b|\bas well\b"
                          r"|\bmeans?\b|\b(straight|right|directly) (?=to\b)"  # "means it goes straight to"
                          r"|\b(chatting|talking|speaking|texting) (with|to)\b", " ", question)  # "chatting with"
        # the reason stated in the shopper's words ("can I put that I found it cheaper somewhere else?")
        question = re.sub(r"\b(found|saw|seen|got|get) (it|one|them)\b[^,;?.!]*\b(cheaper|elsewhere|somewhere else|"
                          r"better (deal|price))\b[^,;?.!]*", " ", question)
        # so is the amount asked ("a full refund?") and a status said by what has not happened yet ("hasn't shipped")
        question = NOT_YET.sub(" ", AMOUNT_ASKED.sub(" ", question))
        # "a more expensive version" is the price difference, "trade it for" an exchange: checked as the entity ("pay
        # anything" stays a word to share: it asks what is paid)
        question = re.sub(r"\btrad(e|es|ed|ing)\b|\b(more|less) expensive\b|\bcosts? (more|less)\b"
                          r"|\bextra\b(?![- ]?(large|small))", " ", question)
        if "price difference" in q_ents:  # "free if the new one costs the same?": what it costs, the entity
            question = DEARER.sub(" ", question)
        question = NEW_ORDER.sub(" ", question)  # "order the replacement size separately" is the entity new order
        if "new order" in q_ents:  # "order the same items again"
            question = re.sub(r"\bagain\b", " ", question)
        question = IN_PERSON.sub(" visit ", question)  # "in person" is a visit to a place, no person to talk to
        return words(question) - GENERIC - words(forms)

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
        q_pays = {e for e in q_ents if _class(e) == "payment"}
        # "from one Visa card to my other Visa card": one kind named for both, which only the rule on a method "different
        # from the original one" names (a switch between two kinds is answered by the rules naming them)
        same_kind = len(q_pays) == 1 and ask.kind == "none" and "refund" not in q_ents and SAME_KIND.search(question)
        if ANY_PAYMENT.search(f.text) or (same_kind and OTHER_METHOD.search(f.text)):  # "the original payment method"
            # is whichever the shopper paid with
            have |= {e for e in must if _class(e) == "payment"}
            named = named | {e for e in q_ents if _class(e) == "payment"}
        lacking = {_class(e) for e in must} - {_class(e) for e in must & have}
        # cancelling makes a pending order "cancelled": a rule for cancelled orders answers "if I cancel my pending
        # order ...?" (never for a delivered one, which cannot be cancelled)
        outcome = "cancel" in q_ents and "cancelled" in f.entities and \
            {e for e in q_ents if _class(e) == "status"} == {"pending"}
        if outcome:
            lacking.discard("status")
        # a rule on an action done only in one status holds in that status ("the reason for cancelling must be ..." to
        # "it's pending, what reason do I give to cancel it?")
        f_acts = acts(f.text)
        if f_acts and all(STATUS_OF.get(a) in q_ents for a in f_acts) and \
                {e for e in q_ents if _class(e) == "status"} <= {STATUS_OF.get(a) for a in f_acts}:
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
        # a prohibition about the specific thing asked ("cannot act on another customer's orders") holds for every
        # action, as does a restriction of it ("an order is paid with one payment method" to "split it 50/50 on my
        # pending order"); a "cannot" is about what its own clause names ("A user id alone is not enough: ... with your
        # email address" forbids nothing about an email)
        forbidden_details = negated_details(f.text) | entities(f.passage.section) if f.negative else set()
        restricts = not f.negative and bool(ONE_ONLY.search(f.text.lower())) and bool(q_details & entities(f.text))
        waivable = ({"status"} if general else set()) | ({"action"} if restricts or q_details & forbidden_details else set())
        # a rule on refunds that names no action ("Refunds to a gift card are immediate.") holds for the refund of any
        # ("if I return it to a gift card, is the money there faster?")
        # ... when the sentence that asks is about the money ("How long till I get the code emailed?" is not)
        said = re.split(r"(?<=[.!?])\s+", question.strip())
        # "... refund back to paypal. how long?": a bare last question asks of the sentence before it
        last = " ".join(said[-2:]) if len(re.findall(r"\w+", said[-1])) < 4 else said[-1]
        if "refund" in f.entities and not acts(f.text) and ask.kind in ("duration", "destination") and \
                re.search(r"\b(money|funds|refund\w*)\b", last, re.I):
            waivable.add("action")
        # "a cancelled order cannot be changed" holds whatever the payment method it would be changed to
        # ... as does "after its items are changed, the order cannot be changed" after the step the question starts from
        q_status_named = {e for e in q_ents if _class(e) == "status"}
        if f.negative and (q_status_named & entities(f.text) or starts_from(question, f.text)):
            waivable.add("payment")
        if ask.kind == "status" and ask.stated and f_acts:  # "a return ... goes straight to cancelled?": the status an
            waivable |= {"payment", "status"}                # action leaves, whatever was paid with; the one stated is
                                                             # what is checked, not a subject the fact must name
        if lacking and not lacking <= waivable:
            return None
        # a short last clause asking about one specific thing ("..., both in the same chat?"): only a rule about that
        # thing answers; the requests before it are what it is asked of
        tailed = tail_details(question)
        if tailed and not tailed & f.entities:
            return None
        # what the shopper says of their order (decisive.py): "once I confirm a return, is it marked returned straight
        # away?" is answered by "After you confirm a return, ..." with or without a time
        sig = signals(question, asked_part, q_ents, f)
        mirrors, forbids, reads_status, history = sig.mirrors, sig.forbids, sig.reads_status, sig.history
        # ("the order cannot be changed anymore" after the step still says it of the address asked)
        blanket = f.negative and bool({e for e in q_ents if _class(e) == "action"} & acts(f.text))
        if q_details and not q_details & f.entities and not blanket:  # "if i switch payment to a gift card does it
            mirrors, history = False, history or None  # need enough money on it?": the step says nothing of what is asked
        if ask.kind in ("duration", "destination", "count", "amount", "status", "requirement") and \
                not holds(ask, f.text, f.values, entities(f.text, self.products)) and \
                not (ask.stated and (self._restricts_status(f) or (mirrors and not MONEY & q_ents))) and not forbids and \
                not (ask.stated and q_details and q_details <= f.entities and not MONEY & (q_ents | q_details)):
            return None  # "only while pending" decides "a week later?"; "straight away, or do you check with me
            # first?" is decided by the rule on that very check (a time stated of money, "the price difference back
            # on my card is immediate too?", only by a fact holding a time)
        ctx = words(f.text + " " + f.passage.section)
        if GIFT_ALONE.search(question):  # a gift (a present, a gift receipt) shares no word with a gift card
            ctx = ctx - words("gift")
        q_words, shared, part_details = self._best_part(asked_part, q_ents, ctx, catalogue=f.passage.source == "catalogue",
                                                        f_ents=f.entities)
        asked_details = q_details if part_details is None else part_details
        # the specific things the question names ("customer service", "a new order") count as its words: a product's
        # "battery life: 10 hours", or the time zone's "24-hour format", does not answer "what are your customer
        # service hours?"; a rule naming no other specific thing may answer by the words alone
        asked_n = len(q_words) + len(asked_details)
        by_words = not q_words or (shared >= 2 and shared / len(q_words) >= 0.66)
        elsewhere = f.passage.source == "catalogue" or any(_class(e) == "detail" for e in f.entities - q_ents)
        f_details = {e for e in entities(f.text) if _class(e) == "detail"}
        # "the item came damaged, can i cancel it with reason X?": the action asked is allowed only in another status
        # than the one the shopper's order is in, which decides whatever else they ask of it
        q_status_said = {e for e in q_ents if _class(e) == "status"}
        elsewhere_only = self._restricts_status(f) and bool(q_status_said) and not q_status_said & f.entities and \
            bool({e for e in q_ents if _class(e) == "action"} & acts(f.text))
        # a "not" or "cannot" said of the very thing asked ("A user id alone is not enough" to "is my user id enough to
        # look at my orders?") decides however few other words it shares
        wish_ents = self.wish_entities(question, q_ents)  # "the same shoes one size bigger" of a delivered order: the
        # (not over a count asked or stated: "can I change the size of two items, one today and one tomorrow?")
        wish = option_rule(wish_ents, f) and ask.kind in ("none", "choice")  # exchange's rule
        # a rule listing the only values allowed for the very thing the shopper states ("The reason ... must be either
        # ..." to "I'll put 'found it cheaper' as the reason") decides however few other words it shares
        allowed_only = bool(q_details & f.entities) and ALLOWED_ONLY.search(f.text) is not None
        # two or more specific things asked, all named by the fact ("will a person need me to explain it all again?":
        # a human agent and the summary handed over) decide it however the rest is worded
        covers = len(q_details) >= 2 and q_details <= f.entities
        follows = follows_step(question, q_ents, f)  # "once I've confirmed a return, what happens next?"
        decisive = reads_status or forbids or bool(history) or mirrors or elsewhere_only or wish or allowed_only or covers or \
            follows or \
            bool(q_details & forbidden_details - {"human agent"}) or leaves_status(question, q_ents, f)
        if asked_n and (shared + len(asked_details & f.entities)) / asked_n < 0.66 and not relaxed \
                and not (by_words and not elsewhere) and not decisive:
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
        if STATED_FIGURE.search(asked_part) and f.values and not any(v.startswith("dur:") for v in f.values) and \
                not re.search(r"\d:\d", f.text):  # "around a hundred kinds of products?": the fact with the count
            score += 1.0
        if EVERY.search(asked_part) and EVERY.search(f.text):  # "do I have to send back all of them?": a rule about all
            score += 0.5
        if ask.kind == "choice" and holds(ask, f.text, f.values, f.entities):
            score += 2.0
        # the specific thing asked about ("a different product"), and less for each one the fact does not name
        score += 0.5 * len(q_details & f.entities) - 0.5 * len(q_details - f.entities)
        if q_details & forbidden_details:  # a "cannot" for that very thing ("another customer's orders") decides
            score += 1.0
        if tailed and f_details <= q_details:  # "..., both in the same chat?": the rule about that alone
            score += 1.0
        q_acts = {e for e in q_ents if _class(e) == "action"}
        if q_acts and q_acts <= acts(f.text):  # a rule about doing what is asked, not a status named after it
            score += 0.5
        # "a different size of something from a delivered order" names no action: the one that order's status allows
        # (an exchange; a change while pending) is what gets the other options
        q_status_one = {e for e in q_ents if _class(e) == "status"}
        if not q_acts and "other options" in q_ents and len(q_status_one) == 1 and acts(f.text) and \
                {STATUS_OF.get(a) for a in acts(f.text)} == q_status_one:
            score += 1.0
        if follows:  # what holds after the step asked about, above the rule for taking it
            score += 2.0
        if wish:
            score += 3.0
        elif misplaced_option_rule(wish_ents, f):  # "Each item can be changed ..." to a delivered order's size
            score -= 3.0
        if leaves_status(question, q_ents, f):  # "a return means the order goes to cancelled?": the status that
            score += 3.0                               # action leaves decides
        if not same_thing(asked_part, f.text):  # "change the items ..." is not answered by a payment rule
            score -= 0.5
        if history is None and not mirrors and AFTER_STEP.match(f.text) and PERMISSION.search(asked_part) and \
                not STEP.match(question):  # ("if i swap the size, can i still cancel it?" starts from a step)
            score -= 1.0  # "is that allowed?" is answered by what may be done, not by what holds after doing it
        if history is not None:  # the state after the shopper's own history decides; after another one it does not hold
            score += 4.0 if history else -1.0
            if history and re.search(r'"[^"]+"', f.text):  # the status it leaves ("exchange requested") says what is
                score += 0.5                                # still allowed, more than an email about it
        # the status the shopper reads by its own name ("pending (items modified)") decides as their history does, so
        # does the step they start from ("if I switch the payment, can I still cancel it afterwards?": "After a payment
        # change, ...")
        if reads_status or forbids:  # most when the rule is about an action asked beside the status read ("After an
            said = question.lower()  # exchange my order says 'return requested'?" asks of no return)
            for name in re.findall(r'"([^"]+)"', f.text):
                said = said.replace(name.lower(), " ")
            score += 3.0 if reads_status and acts(said) & acts(f.text) else 1.5
        if mirrors:  # a step that leaves the value asked unsaid ("After a payment change, the order stays pending" to
            # "... is the gift card refunded straight away?") yields to the fact holding it
            score += 3.0 if ask.kind == "none" or holds(ask, f.text, f.values, entities(f.text, self.products)) else 0.5
        q_status = {e for e in q_ents if _class(e) == "status"}
        f_status = {e for e in entities(f.text) if _class(e) == "status"}
        # a rule for another status ranks well below one for it, unless it restricts the status ("only while
        # pending"): that rule answers for the other statuses too (quoting.py adds their "cannot")
        if q_status and f_status and not q_status & f_status and not self._restricts_status(f) and not outcome:
            penalty += 2.0
        return score - penalty

    def decides(self, question: str, f: Fact) -> bool:
        """Whether `f` is a rule that decides the question by what the shopper says of their order (its history,
        the status they read, a status that forbids what they mean to do, the step they start from): such a rule is
        weighed even when retrieval ranks it low (so is the rule about what a short last clause asks)."""
        asked_part, q_ents = self._subject(question)
        sig = signals(question, asked_part, q_ents, f)
        return bool(sig.mirrors or sig.forbids or sig.reads_status or sig.history or sig.tail) or \
            leaves_status(question, q_ents, f) or option_rule(self.wish_entities(question, q_ents), f)

    def _best_part(self, asked_part: str, q_ents: set[str], ctx: set[str], *, catalogue: bool,
                   f_ents: set[str] | frozenset = frozenset()) -> tuple[set[str], int, set[str] | None]:
        """The question's words a fact must share, and how many it shares: of the whole message, or of the one question
        of several it answers best ("what reason do I give? can I say I found it cheaper elsewhere?" is answered by the
        rule on reasons). The shopper's own figures ("an order of $120") are particulars, not what is asked.
        A clause naming in no other word the specific thing a fact is about ("me and my sister both want to cancel our
        orders here, we share the same address so that's ok?") is asked by itself: the third value is the specific
        things it names (None: those of the whole question)."""
        sentences = [q for q in re.findall(r"[^?.!]+[?.!]*", asked_part) if q.strip()]
        if catalogue and any(q.rstrip().endswith("?") for q in sentences):
            # "I need 40 office chairs. Do you give a bulk discount?": a product's passage answers what is asked of it,
            # not the need told before the question
            sentences = [q for q in sentences if q.rstrip().endswith("?")] or sentences
        clauses = [c for c in re.split(r",\s+", asked_part) if c.strip()]
        parts = [asked_part] + (sentences if len(sentences) > 1 else []) + (clauses if len(clauses) > 1 else [])
        best: tuple[tuple[float, float], set[str], int, set[str] | None] | None = None
        q_details = {e for e in q_ents if _class(e) == "detail"}
        q_payments = {e for e in q_ents if _class(e) == "payment"}
        for i, part in enumerate(parts):
            q_words = {w for w in self._question_words(part, q_ents) if not re.fullmatch(r"[\d.]+", w)
                       and w not in NUMBER_WORDS and w not in NUMBER_STEMS and not (w == "pric" and re.search(r"\$\s?\d", part))}
            if not catalogue:  # a rule holds for every product and option: a product's word it lacks is no gap, nor
                # the option the shopper's item differs in ("a cheaper colour of the same jacket")
                # (a catalogue option the shopper's item has, "the waterproof ones", when a rule is asked of an order:
                # "what brand is the smartphone?" asks the brand)
                described = self._option_words if any(_class(e) in ("action", "status") for e in q_ents) else set()
                q_words = q_words - missing(q_words & (self._product_words | OPTION_WORDS | ITEM_STATE | STORY
                                                       | described), ctx)
            if q_payments & f_ents:  # "a jacket i paid for with paypal": said by the fact naming paypal
                q_words = q_words - PAID
            shared = len(q_words) - len(missing(q_words, ctx))
            clause = i > len(parts) - len(clauses) - 1 and len(clauses) > 1
            named = {e for e in entities(part, self.products) if _class(e) == "detail"} if i else set()
            alone = bool(not q_words and named & f_ents)  # the part naming the very thing, in no other word
            if not alone and (clause or (not q_words and i)):  # "is that possible?" alone names nothing to share
                continue
            ratio = shared / len(q_words) if q_words else 1.0
            details = named if alone else q_details  # and of those, the share the fact names
            key = (ratio, len(details & f_ents) / len(details) if details else 1.0)
            if best is None or key > best[0]:
                best = (key, q_words, shared, named if alone else None)
        assert best is not None
        return best[1], best[2], best[3]

    def _waived(self, f: Fact) -> set[str]:
        """Product names a policy or FAQ fact need not repeat: its rules hold for every product."""
        return set() if f.passage.source == "catalogue" else {p.lower() for p in self.products}

    @staticmethod
    def _restricts_status(f: Fact) -> bool:
        """"You can cancel an order only while it is pending" also answers for the other statuses (no)."""
        return bool(ONLY.search(f.text.lower())) and any(_class(e) == "status" for e in f.entities)
