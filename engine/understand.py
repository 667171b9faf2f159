"""Turning a raw message into an `Understanding`: trigger syntax, routing, entities.

`/intent{"slot": "value"}` (Rasa's syntax, used by buttons and tests) bypasses the router.
Free text goes to the trained router when one is available; `RuleRouter` is the small,
dependency-free stand-in used when it is not (or when a project opts out of models).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Protocol

from .contracts import Route, RouteCandidate
from .slots.entities import Entity, ExtractContext

_TRIGGER = re.compile(r"^/([A-Za-z_][\w]*)(\{.*\})?\s*$", re.S)
MAX_TEXT = 4000  # characters the engine reads of one message; the rest is ignored, not an error


class TriggerError(ValueError):
    pass


def parse_trigger(text: str) -> tuple[str, dict[str, Any]] | None:
    """`/return_items{"order_id": "#W1"}` -> ("return_items", {...}); None for free text."""
    m = _TRIGGER.match(text.strip())
    if not m:
        return None
    slots: dict[str, Any] = {}
    if m.group(2):
        try:
            slots = json.loads(m.group(2))
        except json.JSONDecodeError as exc:
            raise TriggerError(f"the slots after /{m.group(1)} are not valid JSON: {exc.msg}") from None
        if not isinstance(slots, dict):
            raise TriggerError(f"the slots after /{m.group(1)} must be a JSON object")
    return m.group(1), slots


class RouterLike(Protocol):
    def route(self, text: str, ctx: Any = None) -> Route: ...


@dataclass
class RouteContext:
    """Where the conversation stands, for every router: what slot is asked for, in which flow."""

    expecting_slot: str | None = None
    expecting_type: str | None = None
    active_flow: str | None = None
    choices: list | None = None


_RULES: list[tuple[str, re.Pattern]] = [
    ("cancel", re.compile(r"^(never ?mind|nevermind|stop|forget it|cancel( that| this| it)?|abort|quit)\b[.!]*$", re.I)),
    ("start_over", re.compile(r"\b(start over|start again|restart|from the beginning)\b", re.I)),
    ("affirm", re.compile(r"^(yes|yeah|yep|yup|sure|ok|okay|correct|right|please do|go ahead|confirm|do it|y)\b[ .!]*(please)?[.!]*$", re.I)),
    ("deny", re.compile(r"^(no|nope|nah|don't|do not|n)\b[ .!]*(thanks|thank you)?[.!]*$", re.I)),
    ("handoff", re.compile(r"\b(human|real person|agent|representative|someone real)\b", re.I)),
    ("help", re.compile(r"\b(what can you do|help me\b$|^help$|options)\b", re.I)),
    ("greet", re.compile(r"^(hi|hello|hey|good (morning|afternoon|evening))\b[ !.]*$", re.I)),
    ("goodbye", re.compile(r"^(bye|goodbye|thanks,? bye|see you)\b", re.I)),
]
_FLOW_WORDS: list[tuple[str, re.Pattern]] = [
    ("cancel_order", re.compile(r"\bcancel\b.*\border\b|\bcancel my\b", re.I)),
    ("exchange_items", re.compile(r"\bexchange|swap\b", re.I)),
    ("return_items", re.compile(r"\breturn|refund|money back\b", re.I)),
    ("change_order_address", re.compile(r"\b(shipping )?address\b.*\border\b|\border\b.*\baddress\b", re.I)),
    ("change_default_address", re.compile(r"\b(default|my) address\b", re.I)),
    ("change_order_payment", re.compile(r"\bpayment method\b|\bpay with\b", re.I)),
    ("change_order_items", re.compile(r"\b(change|modify) (the )?items?\b|\bdifferent (size|color|colour)\b", re.I)),
    ("checkout", re.compile(r"\b(buy|purchase|place an order|checkout|check out)\b", re.I)),
    ("order_status", re.compile(r"\b(where is|status|track|tracking|my orders?)\b", re.I)),
]


class RuleRouter:
    """Keyword rules: enough to drive flows without trained models, and honest about it
    (`decided_by="rule"`, confidence 0.5 for keyword guesses)."""

    def route(self, text: str, ctx: RouteContext | None = None) -> Route:
        t = (text or "").strip()
        if not t:
            return Route(label="fallback", confidence=1.0, decided_by="empty_input")
        for label, pattern in _RULES:
            if pattern.search(t):
                return Route(label=label, confidence=0.9, decided_by="rule:" + label)
        if ctx is not None and ctx.expecting_slot:
            return Route(label="slot_answer", confidence=0.6, decided_by="slot_answer")
        for label, pattern in _FLOW_WORDS:
            if pattern.search(t):
                return Route(label=label, confidence=0.5, decided_by="rule:keywords",
                             top=[RouteCandidate(label=label, score=0.5)])
        return Route(label="fallback", confidence=0.5, decided_by="rule:no_match")


class CombinedExtractor:
    """Runs every extractor and keeps the first entity found for each overlapping span."""

    def __init__(self, extractors: list[Any]):
        self.extractors = extractors

    def extract(self, text: str, ctx: ExtractContext) -> list[Entity]:
        text = text[:MAX_TEXT]
        out: list[Entity] = []
        for extractor in self.extractors:
            for e in extractor.extract(text, ctx):
                if any(o.type == e.type and o.start < e.end and e.start < o.end for o in out):
                    continue
                out.append(e)
        return sorted(out, key=lambda e: e.start)
