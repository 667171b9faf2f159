"""Turning a raw message into an `Understanding`: trigger syntax, routing, entities.

`/intent{"slot": "value"}` (Rasa's syntax, used by buttons and tests) bypasses the router.
Free text goes to the trained router when one is available; `RuleRouter` is the small,
dependency-free stand-in used when it is not (or when a project opts out of models).
"""
from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Protocol

from .contracts import Route, RouteCandidate
from .slots.entities import Entity, ExtractContext

_TRIGGER = re.compile(r"^/([A-Za-z_][\w]*)(\{.*\})?\s*$", re.S)
_OPEN_TRIGGER = re.compile(r"/([A-Za-z_]\w*)\{")  # a button payload's start, for saying why it did not parse
MAX_TEXT = 4000  # characters the engine reads of one message; the rest is ignored, not an error
MAX_TRIGGER_JSON = 2000  # characters of a button's slot payload; real buttons send < 200
# how sure the router must be of a task for one part of a several-part message to ask for it, when the rest of the
# message supports it (a later clause of the task the whole reads; a request-shaped part under the threshold alone)
SUPPORTED_PART = 0.4
MAX_TRIGGER_DEPTH = 4  # nesting of that payload: {"address": {"zip": ...}} is 2; json recursion stays shallow
# C0/C1 control characters other than tab, newline and carriage return: never typed by a shopper,
# and NUL or ESC in a transcript, a log line or a terminal does harm
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: Any) -> str:
    """What every component reads of a message: a `str` of at most MAX_TEXT characters whose lone
    UTF-16 surrogates became U+FFFD and whose control characters became spaces.

    A JSON body may carry `"\\ud800"`; Python accepts it as a str, but the tokenizers (HF `tokenizers`,
    SQLite, `json.dumps(ensure_ascii=False).encode()`) raise on it. Normalising once, at the entrance,
    means no component has to remember. A surrogate pair split into two code units is joined."""
    if text is None:
        return ""
    return _clean_chars((text if isinstance(text, str) else str(text))[:MAX_TEXT])


def _clean_chars(text: str) -> str:
    if not text.isascii():
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROL.sub(" ", text)


def _clean_json(value: Any) -> Any:
    """The payload's strings as `clean_text` leaves a message: JSON's `"\\ud800"` escape decodes to a
    lone surrogate that would otherwise reach the slots, the turn and the service's JSON response."""
    if isinstance(value, str):
        return _clean_chars(value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {_clean_chars(k): _clean_json(v) for k, v in value.items()}
    return value


class TriggerError(ValueError):
    """A `/intent{...}` message whose payload cannot be read; the message says why, for the shopper."""


def _json_depth(raw: str) -> int:
    """Deepest `[`/`{` nesting of a JSON text, counted outside strings in one pass (json.loads recurses
    once per level, so a payload of 990 brackets reaches Python's recursion limit before it fails)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(raw: str) -> float:
    """JSON numbers only: 1e999 would be inf, which the service cannot send back (JSON has no inf)."""
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError(f"{raw[:20]} is out of range")
    return value


def parse_trigger(text: str) -> tuple[str, dict[str, Any]] | None:
    """`/return_items{"order_id": "#W1"}` -> ("return_items", {...}); None for free text.

    Raises TriggerError (never anything else) when the payload is not a small, shallow JSON object."""
    text = clean_text(text).strip()
    m = _TRIGGER.match(text)
    if not m:
        cut = _OPEN_TRIGGER.match(text)
        if cut:  # "/inform{..." that does not end with "}": cut off (or past MAX_TEXT), never free text
            raise TriggerError(f"the slots after /{cut.group(1)} must be one JSON object, ending with '}}'")
        return None
    name, raw = m.group(1), m.group(2)
    slots: dict[str, Any] = {}
    if raw:
        if len(raw) > MAX_TRIGGER_JSON:
            raise TriggerError(f"the slots after /{name} are too long ({len(raw)} characters, at most "
                               f"{MAX_TRIGGER_JSON})")
        if _json_depth(raw) > MAX_TRIGGER_DEPTH:
            raise TriggerError(f"the slots after /{name} are nested too deeply (at most {MAX_TRIGGER_DEPTH} levels)")
        try:
            slots = json.loads(raw, parse_constant=_no_constant, parse_float=_finite_float)
        except json.JSONDecodeError as exc:
            raise TriggerError(f"the slots after /{name} are not valid JSON: {exc.msg}") from None
        except (ValueError, RecursionError) as exc:  # e.g. an integer past int_max_str_digits
            raise TriggerError(f"the slots after /{name} cannot be read: {exc}") from None
        if not isinstance(slots, dict):
            raise TriggerError(f"the slots after /{name} must be a JSON object")
    return name, _clean_json(slots)


class RouterLike(Protocol):
    def route(self, text: str, ctx: Any = None) -> Route: ...


@dataclass
class RouteContext:
    """Where the conversation stands, for every router: what slot is asked for, in which flow."""

    expecting_slot: str | None = None
    expecting_type: str | None = None
    active_flow: str | None = None
    choices: list | None = None


class _Then:
    """`first`, then `second` later on the same line: what the regex `first.*second` matches, in one pass.

    As a regex, `.*` is retried from every `first` match, so "cancel " * 15000 took quadratic time."""

    def __init__(self, first: str, second: str):
        self.first, self.second = re.compile(first, re.I), re.compile(second, re.I)

    def search(self, text: str) -> bool:
        for line in text.split("\n"):
            m = self.first.search(line)
            if m and self.second.search(line, m.end()):
                return True
        return False


class _AnyOf:
    """The first of several searchers that matches (a regex alternation with `_Then` parts)."""

    def __init__(self, *parts: Any):
        self.parts = parts

    def search(self, text: str) -> bool:
        return any(p.search(text) for p in self.parts)


# Each pattern runs in time linear in the message: no two adjacent quantifiers share characters
# (`[ .!]*(please)?[.!]*$` did, and "yes" + "." * n + "x" took quadratic time). bench/extract_bench.py checks.
_RULES: list[tuple[str, Any]] = [
    ("cancel", re.compile(r"^(never ?mind|nevermind|stop|forget it|cancel( that| this| it)?|abort|quit)\b[.!]*$", re.I)),
    ("start_over", re.compile(r"\b(start over|start again|restart|from the beginning)\b", re.I)),
    ("affirm", re.compile(r"^(yes|yeah|yep|yup|sure|ok|okay|correct|right|please do|go ahead|confirm|do it|y)\b"
                          r"[ .!]*(?:please[.!]*)?$", re.I)),
    ("deny", re.compile(r"^(no|nope|nah|don't|do not|n)\b[ .!]*(?:(?:thanks|thank you)[.!]*)?$", re.I)),
    ("handoff", re.compile(r"\b(human|real person|agent|representative|someone real)\b", re.I)),
    ("help", re.compile(r"\b(what can you do|help me\b$|^help$|options)\b", re.I)),
    ("greet", re.compile(r"^(hi|hello|hey|good (morning|afternoon|evening))\b[ !.]*$", re.I)),
    ("goodbye", re.compile(r"^(bye|goodbye|thanks,? bye|see you)\b", re.I)),
]
_FLOW_WORDS: list[tuple[str, Any]] = [
    ("cancel_order", _AnyOf(_Then(r"\bcancel\b", r"\border\b"), re.compile(r"\bcancel my\b", re.I))),
    ("exchange_items", re.compile(r"\bexchange|swap\b", re.I)),
    ("return_items", re.compile(r"\breturn|refund|money back\b", re.I)),
    ("change_order_address", _AnyOf(_Then(r"\b(shipping )?address\b", r"\border\b"),
                                    _Then(r"\border\b", r"\baddress\b"))),
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
        t = clean_text(text).strip()
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
        text = clean_text(text)
        out: list[Entity] = []
        kept: dict[str, _Spans] = {}
        for extractor in self.extractors:
            for e in extractor.extract(text, ctx):
                spans = kept.setdefault(e.type, _Spans())
                if spans.overlaps(e.start, e.end):
                    continue
                spans.add(e.start, e.end)
                out.append(e)
        return sorted(out, key=lambda e: e.start)


class _Spans:
    """The kept spans of one entity type, pairwise non-overlapping, so sorted by start they are sorted by
    end too: whether a new span overlaps one is a binary search. (A scan of every kept entity made a
    message of 600 "first"s cost 15 ms in this check alone.)"""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.empty: list[tuple[int, int]] = []  # zero-length (or inverted) spans: rare, scanned

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # kept spans that start before `end`; the last ends latest
        if i and self.ends[i - 1] > start:
            return True
        return any(s < end and start < e for s, e in self.empty)

    def add(self, start: int, end: int) -> None:
        if start < end:
            i = bisect.bisect_left(self.starts, start)
            self.starts.insert(i, start)
            self.ends.insert(i, end)
        else:
            self.empty.append((start, end))
