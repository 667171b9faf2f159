"""Reading a message against the open question, without changing anything.

Understanding asks "does this message answer what we asked?" before it asks "does it start
something else?"; both the decision (`interpret`) and the filling (`filling`) read through here,
so a message is parsed against a slot's candidates in one way only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..flows.model import SlotDef
from ..slots import cues
from ..slots.entities import Entity, ExtractContext
from ..slots.types import choices_for, parse_answer, validate, verifiable
from .context import TurnContext
from .item_wishes import described_by_own_options, without_item_names
from .state import Frame
from .wishes import items_part

# Slot types whose answers are recognised against what the shop knows (entities, candidates,
# choices): for these, a message that yields a valid value is an answer before anything else.
# Free text and names are not: almost any message "parses" as one.
ANSWER_FIRST_TYPES = frozenset({"choice", "boolean", "order_id", "email", "zip", "items", "payment_method",
                                "variants", "variant", "address", "product", "number"})

_QUESTION_WORDS = {"what", "how", "do", "does", "can", "could", "is", "are", "why", "when", "which", "where",
                   "will", "would", "should", "did", "have", "has"}


def entities_for(ctx: TurnContext, frame: Frame | None, text: str, slot: SlotDef | None = None) -> list[Entity]:
    """Entities in `text`, extracted with the slot's candidates and the shopper's data as context."""
    env = ctx.env(frame)
    if slot is not None and slot.type in ("items", "variants"):
        order = env.order_for(slot)
    else:
        order = env.order(ctx.state.value("order_id"))
    choices = None
    if slot is not None and frame is not None:
        choices = [ch.model_dump() for ch in (choices_for(slot, env, frame.partial.get(slot.name, [])) or [])]
    ectx = ExtractContext(expecting_slot=slot.name if slot else None, expecting_type=slot.type if slot else None,
                          choices=choices, order=order, user=env.user())
    return ctx.entities(text, ectx)


@dataclass(frozen=True)
class Reading:
    """What a message says to one slot: a usable value, a value refused (with the reason), an
    ambiguous reference (several candidates fit), or nothing at all."""

    found: bool = False
    value: Any = None
    error: str | None = None
    ambiguous: Any = None   # engine.slots.resolve.Ambiguous, when the reply fits several candidates

    @property
    def usable(self) -> bool:
        return self.found and self.error is None


def read_answer(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str, *, ordinals: bool = True,
                explicit: bool = False) -> Reading:
    """Parse `text` as an answer to `slot` and validate it, reading the store but writing nothing.
    `ordinals=False`: no "the last one" (the text may be about another slot); `explicit`: the text
    answered something else (the opening message), so an address counts only when written out."""
    env = ctx.env(frame)
    partial = list(frame.partial.get(slot.name, []))
    entities = entities_for(ctx, frame, text, slot)
    if not ordinals or explicit:
        entities = [e for e in entities if e.type != "ordinal"]
    by_order = _address_by_order(text, entities) if slot.type == "address" else None
    if by_order is None and explicit and slot.type == "address":  # "same sunset drive address": a known one named
        same = _SAME_ADDRESS.search(text)
        by_order = same.start() if same else None
    if by_order is not None and explicit:  # read from the reference on: the order being changed is no model
        text = text[by_order:]
        entities = entities_for(ctx, frame, text, slot)
    if explicit and slot.type in _EXPLICIT_ENTITY and not any(e.type in _EXPLICIT_ENTITY[slot.type] for e in entities) \
            and by_order is None and not (slot.type == "order_id" and _names_an_item(slot, text, env)):
        # an opening names the task; only values it spells out count ("change the shipping address of
        # #W..." is not a new address, "exchange my kettle" does not pick an order)
        return Reading()
    if explicit and slot.type == "choice":  # an earlier message gives a choice only by its words
        value = named_choice(slot, text)
        return Reading(True, value, validate(slot, value, env)) if value is not None else Reading()
    if slot.type == "items":  # "the helmet to red": red is the new helmet's, not the red T-shirt of the order
        text = items_part(slot, text)
        entities = [e for e in entities if e.start < 0 or text[e.start:e.end].strip()]
    among = frame.context.get("among:" + slot.name)  # what a clarifying question offered, read first
    found, value = False, None
    if slot.type == "variants":  # "the green speaker swapped for a red one": green names the item, red is wished
        wish = without_item_names(ctx, frame, slot, text)
        if wish != text:
            found, value = parse_answer(slot, wish, [e for e in entities if e.start < 0 or wish[e.start:e.end].strip()],
                                        env, partial, among=among)
        described = explicit and wish != text and described_by_own_options(ctx, frame, slot, text)
        if not found and not hasattr(value, "candidates") and not described:  # only the item was said ("the green
            # speaker"); an opening that describes the item by its own options ("the 19 bar, 2L one") wishes nothing
            found, value = parse_answer(slot, text, entities, env, partial, among=among)
    else:
        found, value = parse_answer(slot, text, entities, env, partial, among=among)
    if not found and not explicit and _POINTING.search(text) and len(text.split()) <= 6:
        only = choices_for(slot, env, partial) or []
        proposed = frame.context.get("proposed:" + slot.name)
        if proposed is not None:  # "yes, that one" to "the last one on your list is ...": the proposal
            found, value = True, proposed
        elif len(only) == 1:  # "yeah that one" when one candidate is shown: that one, no guess
            found, value = True, only[0].value
    if not found:
        return Reading(ambiguous=value if value is not None and hasattr(value, "candidates") else None)
    if not verifiable(slot, env):
        return Reading(True, value)
    if slot.type == "variants" and not isinstance(value, list):
        allowed = [ch.value for ch in (choices_for(slot, env, partial) or [])]
        return Reading(True, value, None if value in allowed else "That option isn't available for this item.")
    return Reading(True, value, validate(slot, value, env))


def _address_by_order(text: str, entities) -> int | None:
    """"the same address as my other order #W...": an address the shop knows, named by its order; where
    that reference starts, or None."""
    for e in entities:
        m = cues.AS_REFERENCE.search(text[:e.start]) if e.type == "order_id" and e.start >= 0 else None
        if m:
            return m.start()
    return None


# "same sunset drive address", "the same address as the chair order": an address the shop knows, named
_SAME_ADDRESS = re.compile(r"\b(?:same|identical)\s+(?:[\w.'-]+\s+){1,4}?address\b"
                           r"|\b(?:same|identical)\s+address\s+(?:as|like)\b", re.I)


# Slot types an opening message may fill only with a value written out, not a reference.
# (An order may also be picked by the product it holds: "exchange my boots" when one order has boots.)
def _names_an_item(slot: SlotDef, text: str, env) -> bool:
    """Whether `text` names a product of one of the shopper's orders by a word the catalogue shares between
    products ("the kettle": Electric Kettle and Tea Kettle; "a camera"): the shopper's orders tell which."""
    from ..slots.candidate_sets import candidates_for
    from ..slots.resolve import names_said

    return names_said(text, candidates_for(slot, env) or [])


_EXPLICIT_ENTITY = {"address": ("address",), "order_id": ("order_id", "product", "item"),
                    "payment_method": ("payment_method",)}

_STOP = re.compile(r"\b(stop|forget it|never ?mind|nevermind|keep (?:everything|all of (?:it|them))|"
                   r"keep (?:it|them)(?=\s*(?:as\s+(?:it\s+is|they\s+are|is)|after\s+all|then|for\s+now|please|thanks?"
                   r"|the\s+same)?\s*(?:[.!,;]|$))|"
                   r"not (?:anymore|any ?more)|changed my mind)\b", re.I)
# (a "don't want" wants nothing instead: "I don't want to change any more addresses. can we stop this")
_INSTEAD = re.compile(r"\b(rather|instead|prefer|(?<!n't\s)(?<!not\s)(?<!dont\s)(?:want|would like|'d like)|but)\b", re.I)


def _said_choices(slot: SlotDef, text: str) -> set:
    low = cues.unmodal(text.lower())  # "I don't need to explain" says no "don't need"
    return {ch.value for ch in slot.choices for w in (ch.title, *ch.synonyms)
            if w and re.search(r"(?<!\w)" + re.escape(w.lower()) + r"(?:s|es)?(?!\w)", low)} if slot.type == "choice" \
        else set()  # "both were mistakes": a synonym's plural too


def names_a_choice(slot: SlotDef, text: str) -> bool:
    """The message says one of a choice slot's titles or synonyms ("changed my mind" is a cancel
    reason there, not a wish to stop)."""
    return bool(_said_choices(slot, text))


def named_choice(slot: SlotDef, text: str) -> Any:
    """The one choice whose title or synonym the message says in so many words (None: none or
    several). A message that answered something else gives a choice only this way, never by a
    stray word ("I need to cancel" is no "no longer needed")."""
    said = _said_choices(slot, text)
    return said.pop() if len(said) == 1 else None


# "you won't stop spamming me", "can't stop it": the word stop, not a wish to stop the task
_NOT_A_STOP = re.compile(r"\b(?:won'?t|wouldn'?t|don'?t|doesn'?t|didn'?t|can'?t|cannot|never|not|to)\s+stop\b"
                         r"|\bstop\s+(?:\w+ing|it from|them from|you from)\b", re.I)


def wants_to_stop(text: str) -> bool:
    """"no, stop", "I'll just keep everything", "changed my mind": the shopper drops the task
    ("changed my mind, I'd rather have the glass one" changes it instead; "because you won't stop
    spamming me" is a reason, not a stop)."""
    found = [m for m in _STOP.finditer(text)
             if not (m.group().lower() == "stop" and _NOT_A_STOP.search(text, max(0, m.start() - 12), m.end() + 24))]
    return bool(found) and _INSTEAD.search(text) is None


_POINTING = re.compile(r"^\W*(?:(?:yes|yeah|yep|yup|ok(?:ay)?|sure|right)\W+)?(?:that|this|it|that'?s it|"
                       r"that'?s the one|that one|this one|the one|yes|yeah|yep|that'?s right|correct)\b", re.I)


def looks_like_question(text: str) -> bool:
    t = text.strip().lower()
    first = re.split(r"[\s,]+", t, maxsplit=1)[0] if t else ""
    return t.endswith("?") or first in _QUESTION_WORDS


# -- yes and no, as people say them ----------------------------------------------------------------
_YES = re.compile(r"\b(yes+|yeah|yep|yup|ya|sure|ok(ay)?|k|fine|alright|all right|right|correct|confirm(ed)?|"
                  r"go ahead|do it|please do|sounds good|that'?s (right|correct|fine|it)|perfect|great|absolutely|"
                  r"of course|definitely|no problem|no worries|why not|proceed|let'?s do it|place (?:it|the order)|"
                  r"go for it|submit it|lock it in)\b", re.I)
# a bare "no" is a no only as an answer ("no", "no, the blue one", "no thanks"), not "no time to ..."
_NO = re.compile(r"\b(no+(?=\s*(?:[,.!?;]|$|thanks|thank|wait|i\b|that|it\b|not|don|please|sorry|the\b|actually|"
                 r"way|never|go\b|stop|cancel|leave))|nope|nah|not|don'?t|do not|negative|wrong|"
                 r"that'?s not)\b", re.I)
# "wait" and "hold on" say no only where a clause starts ("wait, no"), not in "no time to wait"
_NO_START = re.compile(r"(?:^|[,.!?;]\s*)\W*(wait|hold on)\b", re.I)
_NOT_A_NO = re.compile(r"\b(no problem|no worries|why not)\b", re.I)
_NOT_A_YES = re.compile(r"\b(not|isn'?t|wasn'?t|doesn'?t look) (quite |really )?(right|correct|fine|it|ok(ay)?|good|"
                        r"what i (want|wanted|meant|asked for))\b", re.I)

# "don't do it", "let's not do it then", "do not proceed": a yes phrase under a negation is a no
_DONT_DO = re.compile(r"\b(?:don'?t|do\s+not|let'?s\s+not|not|never)\s+(?:(?:do|go\s+ahead\s+(?:and\s+)?do)\s+(?:it|that|this)"
                      r"|go\s+ahead|proceed|bother)\b", re.I)


_NO_THATS_ALL = re.compile(r"\b(?:no+|nope|nah)\b\W*(?:that'?s|thats|that\s+is)\s+(?:it|all)\b", re.I)
_UNSURE = re.compile(r"\b(not sure|unsure|maybe|perhaps|i don'?t know|dunno|not certain|let me think|hmm+)\b", re.I)


def yes_no(text: str) -> str | None:
    """"affirm", "deny" or None for a reply to a yes/no question. When a message holds both ("no
    wait, yes go ahead"), the last one said counts; "no problem" is a yes, "not right" a no."""
    low = text.lower()
    if _UNSURE.search(low) and not re.search(r"\b(yes|yeah|yep|no|nope|go ahead|do it)\b", _UNSURE.sub(" ", low)):
        return None  # "hmm wait. not sure": neither, so the question is asked again
    marks = [(m.start(), "deny") for m in _NOT_A_YES.finditer(low)]
    masked = _NOT_A_YES.sub(lambda m: "#" * len(m.group(0)), low)
    marks += [(m.start(), "deny") for m in _DONT_DO.finditer(masked)]
    masked = _DONT_DO.sub(lambda m: "#" * len(m.group(0)), masked)
    marks += [(m.start(), "deny") for m in _NO_THATS_ALL.finditer(masked)]  # "no, that's it": nothing more
    masked = _NO_THATS_ALL.sub(lambda m: "#" * len(m.group(0)), masked)
    marks += [(m.start(), "affirm") for m in _NOT_A_NO.finditer(masked)]
    masked = _NOT_A_NO.sub(lambda m: "#" * len(m.group(0)), masked)
    marks += [(m.start(), "affirm") for m in _YES.finditer(masked)]
    marks += [(m.start(), "deny") for m in _NO.finditer(masked)]
    if not marks and asks_for_something(_NO_START.sub(" ", text)):
        return None  # "hold on, I also need to change my other order": a pause before a request, not a no
    marks += [(m.start(1), "deny") for m in _NO_START.finditer(masked)]
    if not marks:
        return None
    return max(marks)[1]


_FILLER = re.compile(r"\b(ugh|um+|uh+|hmm+|oh|well|then|please|thanks|thank you|just|so|and|it|that|i|guess|think)\b", re.I)


def only_yes_no(text: str) -> bool:
    """The message is a yes or a no and nothing else ("ugh ok. yes, go ahead", "nope")."""
    rest = _FILLER.sub(" ", _NO_START.sub(" ", _NO.sub(" ", _YES.sub(" ", _NOT_A_NO.sub(" ", text.lower())))))
    return yes_no(text) is not None and not re.search(r"\w", rest)


# How a new request sounds ("I'd like to...", "can you...", "cancel my other order"), as opposed to
# an answer that merely mentions a topic ("use the address my backpack order went to").
# words that lead a sentence and ask nothing ("oh, and then ...", "ok so ..."): read past when a sentence is routed
LEAD_FILLER = (r"hi|hey|hello|also|and|but|oh|ok(?:ay)?|actually|sorry|wait|um+|so|btw|one more thing|then|next|now|"
               r"after\s+that|finally|lastly|fine|well|alright|hmm+")
_REQUEST = re.compile(r"^\W*(?:(?:" + LEAD_FILLER + r")\b[\s,.!]*)*"
                      r"(?:(?:on|for|in|with)\s+(?:(?:the\s+)?order\s+)?#?W\d{7}\b[\s,:-]*)?"  # "on #W1 I want to swap ..."
                      r"(?:i(?:'d|\s+would)?\s+(?:also\s+)?(?:like|want|need)\b|i\s+wanna\b|can\s+(?:you|i)\b|"
                      r"i\s+(?:also\s+)?(?:wanted|needed|was\s+hoping|was\s+going)\s+to\b|"  # "i also wanted to change the hose"
                      r"could\s+(?:you|i)\b|please\b|help\s+me\b|let\s+me\b|how\s+(?:do|can)\s+i\b|i\s+have\s+to\b|"
                      r"cancel\b|return\b|exchange\b|change\b|modify\b|update\b|buy\b|purchase\b|track\b|"
                      r"where\s+is\b|where'?s\b|what\s+is\s+the\s+status\b|talk\s+to\b|speak\s+to\b)", re.I)


def asks_for_something(text: str) -> bool:
    """A clause of the message is shaped like a request of its own, not like an answer
    ("no, I don't want to buy anything. I want to cancel my order" asks; "the puzzle one" answers)."""
    clauses = re.split(r"[.;!?]+|,\s*(?:but|so|and)?\s*|\s+but\s+", text)
    return any(_REQUEST.search(c) is not None for c in clauses if c.strip())


_ASKING = re.compile(r"^\W*(?:(?:ok(?:ay)?|so|and|but|wait|hmm+|um+|well|oh|sorry)\W+)*(?!what about|how about)"
                     r"(?:(?:how|what|when|why|which|where|who)\b(?!\s+(?:my|the|your|our|their|i|we)\b[^?]*$)"
                     r"|(?:is|are|do|does|did|will|would it|should)\b)", re.I)


_FINE_WORDS = r"(?:ok(?:ay)?|fine|good|alright|all\s+right|work|do|possible|doable|allowed)"
_APPROVAL = re.compile(r"^\W*(?:(?:and|so|but)\s+)?(?:is|would|will|does|could|can)?\s*(?:that|this|it)\s+(?:be\s+)?"
                       + _FINE_WORDS + r"(?:\s+(?:with\s+you|for\s+you|then|too))?\W*$", re.I)


def approval_only(text: str) -> bool:
    """ "Is that okay?", "would that work?" after an answer: approval asked, which the summary gives."""
    return _APPROVAL.match(text) is not None


def asks_a_question(text: str) -> bool:
    """A sentence opens with a question word ("how long does a refund take?", "hmm not sure. which
    one did I pay with?"), unlike a polite request that answers ("can I get it on my gift card?") or
    a suggestion ("what about the blue one?")."""
    return any(_ASKING.search(s) is not None for s in re.split(r"(?<=[.!?])\s+", text) if s.strip())


# "is the robotic one ok?", "would a quiet one work?", "the 8GB one, would that do?": a pick said as a question
# asking approval (the confirmation still guards it), unlike "does the robot one have a bin?", which asks
_FINE = r"(?:be\s+)?(?:ok(?:ay)?|fine|good|alright|all\s+right|work|do|possible)(?:\s+(?:for\s+me|then|instead))?\W*$"
_TENTATIVE = (re.compile(r"^\W*(?:(?:ok(?:ay)?|so|and|hmm+|um+|well)\W+)*(?:is|would|will|could)\s+(?P<pick>(?:the|an?)\s+"
                         r"(?:(?!\b(?:is|would|will|could|does|have|has)\b)[^,?])+?)\s+" + _FINE, re.I),
              re.compile(r"^\W*(?P<pick>(?:the|an?)\s+[^,?]+?),?\s+(?:is|would|will|could)\s+(?:that|it|this)\s+" + _FINE, re.I))


def tentative_pick(text: str) -> str | None:
    """The pick in a question asking whether it will do ("is the robotic one ok?": "the robotic one"), else None."""
    for rx in _TENTATIVE:
        m = rx.match(text.strip())
        if m:
            return m.group("pick")
    return None


def split_question(text: str) -> tuple[str, str] | None:
    """(the sentences that say something, the sentences that ask) when a message does both
    ("all of them. is the return process complicated?", "yes cancel it. and it's cancelled at once,
    right?"); None when it only says or only asks. Sentences end at . ! or ?."""
    parts = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
    asked = [s for s in parts if _ASKING.search(s) is not None or s.rstrip().endswith("?")]
    said = [s for s in parts if s not in asked]
    if not asked or not said:
        return None
    return " ".join(said), " ".join(asked)

