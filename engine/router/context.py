"""Context rules: while a flow asks for a slot, an answer that fills it is a `slot_answer`, not a new
intent; control words still win, and a confident different flow intent is a digression.

Kept apart from the classifier so the rules can be read (and tested) on their own.
"""
from __future__ import annotations

import re

from engine.contracts import Route
from engine.understand import MAX_TEXT, RouteContext
from engine.router.intent_data import FALLBACK, FLOW_INTENTS, SLOT_ANSWER

_ORDER_ID = re.compile(r"#?\s?\bw?\s?\d{7}\b", re.I)
# An email starts where a run of local-part characters starts and has at most 64 of them (RFC 5321):
# unanchored, `[\w.+-]+@` was retried from every character of a long word, and routing "x" * 100000
# with context took 25.6 s. Every pattern here is linear in the text; bench/extract_bench.py checks.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")
_ZIP = re.compile(r"\b\d{5}\b")
_NUMBER = re.compile(r"\b\d+(\.\d+)?\b|\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
_ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|other)\b( one)?", re.I)
_FILLER = set("""a an the my it its it's is was that this one please pls plz thanks thank you sure ok okay
here yes yeah order id number no email e-mail mail address zip code postal i i'm im am me of for with
and just oh um uh well hmm so its be would like to use choose pick want take go with lets let's""".split())
_PATTERNS = {"order_id": _ORDER_ID, "email": _EMAIL, "zip": _ZIP, "number": _NUMBER, "quantity": _NUMBER,
             "money": _NUMBER, "ordinal": _ORDINAL, "item": _ORDINAL}
_VALUE_TYPES = ("order_id", "email", "zip", "number", "quantity", "money")
_CONTROL = ("cancel", "start_over", "help", "correction")


def _residual(text: str, pattern: re.Pattern | None = None) -> list[str]:
    t = pattern.sub(" ", text) if pattern else text
    return [w for w in re.findall(r"[a-z']+", t.lower()) if w not in _FILLER]


def _value_strength(text: str, pattern: re.Pattern) -> int:
    """2: the text is essentially a value `pattern` matches (at most two other words); 1: contains one; 0: no."""
    if not pattern.search(text):
        return 0
    return 2 if len(_residual(text, pattern)) <= 2 else 1


def _choice_values(c) -> list:
    if isinstance(c, dict):
        return [c.get("title"), c.get("value")]
    return [getattr(c, "title", None), getattr(c, "value", None), c]


def answer_strength(text: str, ctx: RouteContext) -> int:
    """2: the utterance is essentially an answer to the expected slot; 1: it contains one; 0: no."""
    et = (ctx.expecting_type or ctx.expecting_slot or "").lower()
    t = text[:MAX_TEXT].strip()
    pat = next((p for k, p in _PATTERNS.items() if k in et), None)
    if pat is not None and pat.search(t):
        return _value_strength(t, pat)
    if ctx.choices:
        low = t.lower()
        for c in ctx.choices:
            for v in _choice_values(c):
                if isinstance(v, (str, int, float)) and str(v).strip() and \
                        re.search(r"(?<!\w)" + re.escape(str(v).lower()) + r"(?!\w)", low):
                    return 2 if len(_residual(low.replace(str(v).lower(), " "))) <= 2 else 1
        if _ORDINAL.search(t):
            return 2 if len(_residual(t, _ORDINAL)) <= 2 else 1
    return 0


def _bare_value(text: str) -> bool:
    """The message is essentially an email, an order id or a zip (at most two other words): the shopper
    answers, perhaps a question the flow asks next ("email or name and zip?" -> the email itself)."""
    t = text[:MAX_TEXT].strip()
    return any(_value_strength(t, p) == 2 for p in (_EMAIL, _ORDER_ID, _ZIP))


def with_context(text: str, r: Route, ctx: RouteContext, threshold: float, strength: int | None = None) -> Route:
    """Apply the slot-answer / control-word / digression rules to the classifier's route `r`;
    `strength` is `answer_strength(text, ctx)` when the caller already has it."""
    et = (ctx.expecting_type or "").lower()
    text = text[:MAX_TEXT]  # what the engine reads of a message; the classifier reads less
    strength = answer_strength(text, ctx) if strength is None else strength
    slot = Route(label=SLOT_ANSWER, confidence=max(r.confidence, 0.9), decided_by="slot_answer",
                 threshold=threshold, top=r.top,
                 entities={"expecting_slot": ctx.expecting_slot, "expecting_type": ctx.expecting_type})
    if strength == 2 or _bare_value(text):  # an email or order id alone is an answer, whichever slot is asked
        return slot
    if et in ("boolean", "bool", "yes_no", "confirm") and r.label in ("affirm", "deny"):
        return slot
    if r.label in _CONTROL and r.confidence >= threshold:  # control words always win inside a flow
        return r
    if r.label in FLOW_INTENTS and r.decided_by.startswith("classifier"):
        # a clear new request is a digression; the same flow restated is still an answer
        if r.label == ctx.active_flow:
            return slot
        if r.confidence >= max(threshold, 0.6):
            return r
    if strength == 1:
        return slot
    if et in _VALUE_TYPES:  # the expected value is not there: not an answer; keep the classifier's route
        return r
    if r.label in (FALLBACK, "affirm", "deny", "greet") or r.confidence < 0.6:
        return slot  # free-text / names / choices: the flow validates the value
    return r
