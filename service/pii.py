"""The personal values one conversation holds, so its log lines can be scrubbed of exactly them.

Patterns (service/redact.py) catch PII by shape, but a name ("Yusuf Rossi"), a user id
(`sofia_rossi_8776`) or a city has no shape. The conversation knows them, though: its slots, the
slot values its bounded event log still records (a failed sign-in clears `name` and `zip`, the
event keeps them), the store actions of the turn (arguments and results: an order's shipping
address) and, once signed in, the shopper's own profile. `conversation_secrets` gathers all of
them into a `Secrets`, which rewrites every occurrence (any case, any spacing) to a typed label.

Slots are redacted by default: only slot types known to hold no personal data (choices, booleans,
numbers, order/item/product ids) are left out, so a new slot type is scrubbed until someone
decides otherwise. Order ids stay readable on purpose: they are what a debug session looks up.

While the engine runs a turn, `guard` puts a lazily built `Secrets` in a context variable, so an
engine log line or a traceback written during that turn (in the event loop or in the worker
thread `asyncio.to_thread` starts with a copy of the context) is scrubbed by the logging filter
without the engine knowing about the service.
"""
from __future__ import annotations

import contextlib
import contextvars
import difflib
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

# Slot types that hold no personal data; every other slot type is treated as personal.
KEEP_TYPES = frozenset({"choice", "boolean", "number", "order_id", "items", "variant", "variants", "product"})
_TYPE_LABELS = {"person_name": "name", "email": "email", "zip": "zip", "address": "address",
                "payment_method": "payment_id", "phone": "phone"}
_NAME_LABELS = {"user_id": "user_id", "email": "email", "zip": "zip", "name": "name"}
# Keys inside store records and slot dicts whose (string) values are personal.
_KEY_LABELS = {"first_name": "name", "last_name": "name", "address1": "address", "address2": "address",
               "city": "city", "zip": "zip", "email": "email", "user_id": "user_id",
               "payment_method_id": "payment_id", "phone": "phone", "phone_number": "phone"}
# Keys whose values are never personal on their own ("USA", "CO", "paypal", "visa").
_SKIP_KEYS = frozenset({"country", "state", "source", "brand", "last_four", "status", "type"})
_PAYMENT_ID = re.compile(r"^(?:credit_card|paypal|gift_card|debit_card|bank_account|apple_pay|card)_\d{3,}$")
# "Li" is a last name; other values shorter than 3 characters are noise, and a whole message is
# only worth matching in a traceback when it is longer than "yes please"'s first word.
_MIN_LEN = {"name": 2, "message": 6}


class Secrets:
    """Literal values to scrub, each with the label that replaces it (e.g. "Yusuf" -> "[name]")."""

    def __init__(self, values: Mapping[str, str] | None = None):
        self._labels: dict[str, str] = {}
        for value, label in (values or {}).items():
            self.add(value, label)
        self._pattern: re.Pattern[str] | None = None

    def add(self, value: Any, label: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return
        text = " ".join(str(value).split())
        if len(text) < _MIN_LEN.get(label, 3):
            return
        key = text.casefold()
        if key not in self._labels:
            self._labels[key] = label
            self._pattern = None

    def update(self, other: Secrets) -> Secrets:
        for key, label in other._labels.items():
            self.add(key, label)
        return self

    def __len__(self) -> int:
        return len(self._labels)

    def __contains__(self, value: str) -> bool:
        return " ".join(value.split()).casefold() in self._labels

    def _compiled(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._labels:
            parts = [r"\s+".join(re.escape(w) for w in key.split())
                     for key in sorted(self._labels, key=len, reverse=True)]
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
        return self._pattern

    def redact(self, text: str) -> str:
        pattern = self._compiled()
        if pattern is None or not text:
            return text
        return pattern.sub(lambda m: "[%s]" % self._labels.get(" ".join(m.group(0).split()).casefold(), "pii"),
                           text)


# ---------------------------------------------------------------- what a conversation holds
def slot_types(flows: Any) -> dict[str, set[str]]:
    """Every declared slot name with the types it has across flows."""
    types: dict[str, set[str]] = {}
    for flow in getattr(flows, "flows", {}).values():
        for name, slot in flow.slots.items():
            types.setdefault(name, set()).add(slot.type)
    return types


def add_slot(secrets: Secrets, name: str, value: Any, types: Mapping[str, set[str]]) -> None:
    """A slot's value, unless every type the slot is declared with is known to be non-personal."""
    declared = types.get(name)
    if value is None or (declared and declared <= KEEP_TYPES):
        return
    add_value(secrets, value, _slot_label(name, declared))


def _slot_label(name: str, declared: set[str] | None) -> str:
    return _NAME_LABELS.get(name) or next((_TYPE_LABELS[t] for t in sorted(declared or ()) if t in _TYPE_LABELS),
                                          "pii")


def add_value(secrets: Secrets, value: Any, label: str) -> None:
    """Every string leaf of `value` (a name's parts and the full name too)."""
    if isinstance(value, Mapping):
        if value.get("first_name") and value.get("last_name"):
            secrets.add(f"{value['first_name']} {value['last_name']}", "name")
        for key, inner in value.items():
            if key not in _SKIP_KEYS:
                add_value(secrets, inner, _KEY_LABELS.get(key, label))
    elif isinstance(value, (list, tuple, set)):
        for inner in value:
            add_value(secrets, inner, label)
    elif isinstance(value, str):
        secrets.add(value, label)
        if label == "name":
            for word in value.split():
                secrets.add(word, "name")
        elif label == "email" and "@" in value:
            secrets.add(value.split("@", 1)[0], "email")
    elif isinstance(value, int) and label == "zip":
        secrets.add(f"{value:05d}", "zip")


def add_record(secrets: Secrets, data: Any) -> None:
    """Personal fields of a store record or action arguments, found by key (items, prices and
    product names are left alone); `payment_methods` maps ids to methods, so its keys count."""
    if isinstance(data, Mapping):
        if data.get("first_name") and data.get("last_name"):
            secrets.add(f"{data['first_name']} {data['last_name']}", "name")
        for key, inner in data.items():
            if key == "payment_methods" and isinstance(inner, Mapping):
                for method_id in inner:
                    secrets.add(method_id, "payment_id")
            if key in _KEY_LABELS and isinstance(inner, (str, int)) and not isinstance(inner, bool):
                add_value(secrets, inner, _KEY_LABELS[key])
            elif key == "id" and isinstance(inner, str) and _PAYMENT_ID.match(inner):
                secrets.add(inner, "payment_id")
            else:
                add_record(secrets, inner)
    elif isinstance(data, (list, tuple)):
        for inner in data:
            add_record(secrets, inner)


def conversation_secrets(conv: Any, turn: Any = None) -> Secrets:
    """Everything personal `conv` (an engine Conversation) holds now, plus what `turn` touched."""
    state, secrets = getattr(conv, "state", None), Secrets()
    if state is None:  # not an engine Conversation (a test double): nothing known beyond the turn
        state = _NoState()
    engine = getattr(conv, "engine", None)
    engine = engine.current() if hasattr(engine, "current") else engine
    types = slot_types(getattr(engine, "flows", None))
    for name, slot in state.slots.items():
        add_slot(secrets, name, slot.value, types)
        if slot.display and not (types.get(name) and types[name] <= KEEP_TYPES):
            secrets.add(slot.display, _slot_label(name, types.get(name)))
    for event in state.events:  # values set earlier and cleared since (a failed sign-in)
        if event.get("type") in ("slot_set", "slot_partial") and event.get("slot"):
            add_slot(secrets, event["slot"], event.get("value"), types)
    if turn is not None:
        for name, value in (turn.slots or {}).items():
            add_slot(secrets, name, value, types)
        for action in turn.actions or ():
            add_record(secrets, action.args)
            add_record(secrets, action.result)
        if turn.route is not None:
            add_record(secrets, turn.route.entities)
    user_id = state.slots["user_id"].value if "user_id" in state.slots else None
    if user_id is None and turn is not None:
        user_id = (turn.slots or {}).get("user_id")
    store = getattr(engine, "store", None)
    if isinstance(user_id, str) and store is not None:
        try:
            add_record(secrets, store.get_user_details(user_id, as_user=user_id))
        except Exception:  # an unknown or deleted user: the slots above are all there is
            pass
    return secrets


class _NoState:
    slots: Mapping[str, Any] = MappingProxyType({})
    events: tuple = ()


# ---------------------------------------------------------------- secrets of the running turn
_current: contextvars.ContextVar[Callable[[], Secrets] | None] = contextvars.ContextVar(
    "shoptalk_turn_secrets", default=None)


def _lazy(build: Callable[[], Secrets]) -> Callable[[], Secrets]:
    """Built on the first log line of the turn only: a turn that logs nothing pays nothing."""
    box: list[Secrets] = []

    def get() -> Secrets:
        if not box:
            try:
                box.append(build())
            except Exception:  # never let redaction break logging; patterns still apply
                box.append(Secrets())
        return box[0]

    return get


def asked_slot(conv: Any, waiting: tuple[str, int] | None) -> tuple[str, set[str]] | None:
    """The slot the bot was waiting for at (flow id, step index), with its declared types."""
    if waiting is None:
        return None
    try:
        engine = conv.engine.current() if hasattr(conv.engine, "current") else conv.engine
        name = engine.flows.flows[waiting[0]].steps[waiting[1]].slot
        return name, slot_types(engine.flows).get(name, set())
    except Exception:  # a reloaded flow without that step: nothing was asked that we know of
        return None


_LOWER_WORD = re.compile(r"(?<![A-Za-z])[a-z][a-z'\-]*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_TOKEN = re.compile(r"\[[a-z_]+\]|\w+|[^\w\s]")


_MIN_LINES = 6  # "james" is on 5 lines of the intents, "lee" on 3; "track" on 68, "refund" on 486


@functools.lru_cache(maxsize=4)
def vocabulary(project_dir: str) -> frozenset[str]:
    """Words written in lower case on at least `_MIN_LINES` lines of the shop's intents and flows:
    the language of commands. Names in training examples are capitalised or rare ("my name is
    james"), so they are not part of it."""
    lines: Counter[str] = Counter()
    for path in [*Path(project_dir).glob("intents/*.yaml"), *Path(project_dir).glob("flows/*.yaml")]:
        try:
            for line in path.read_text(encoding="utf-8").splitlines():
                lines.update(set(_LOWER_WORD.findall(line)))
        except OSError:
            continue
    return frozenset(w for w, n in lines.items() if n >= _MIN_LINES)


def echoed_shapes(text: str, scrubbed: str) -> list[tuple[str, str]]:
    """(original words, label) for each part of `text` that the shapes replaced in `scrubbed`, so a
    bot reply quoting the shopper ("two orders match “San Diego”") loses it too."""
    a = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    b = [m.group(0) for m in _TOKEN.finditer(scrubbed)]
    out = []
    matcher = difflib.SequenceMatcher(a=[t for t, _, _ in a], b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        labels = [t[1:-1] for t in b[j1:j2] if t.startswith("[")]
        if op == "replace" and i2 > i1 and len(labels) == 1:
            out.append((text[a[i1][1]:a[i2 - 1][2]], labels[0]))
    return out


def unknown_short_reply(text: str, vocab: frozenset[str]) -> list[str]:
    """The words of a short message (1-4 words) that are (nearly) all outside the shop's vocabulary:
    what is left when a shopper types "Sophia Hernandez" unasked. Typos in a longer request ("trak
    my order") keep their known words, so they stay readable."""
    words = _WORD.findall(text)
    if text.startswith("/") or not vocab or not 1 <= len(words) <= 4 or len(text.split()) > 6:
        return []
    unknown = [w for w in words if w.casefold() not in vocab]
    return unknown if len(unknown) >= max(1, len(words) - 1) else []


class TurnScope:
    """One turn's view of the conversation: what it held before (`during`) and after (`after`).

    The answer to a personal question ("What's your first and last name?") is personal whatever
    the engine made of it: a short reply to such a prompt is scrubbed whole, even when it did not
    fill the slot (a misspelt name the store does not know is still somebody's name). So is a short
    message in words the shop never uses (a name typed unasked)."""

    def __init__(self, conv: Any, text: str):
        self.conv, self.text = conv, text
        # read before the turn changes it; resolved only if a line is logged
        frame = getattr(getattr(conv, "state", None), "top", None)
        self._waiting = (frame.flow_id, frame.step) if frame is not None and frame.waiting == "collect" else None

    def _text_secrets(self, secrets: Secrets) -> None:
        _add_echoes(secrets, self.text)
        engine = getattr(self.conv, "engine", None)
        engine = engine.current() if hasattr(engine, "current") else engine
        project = getattr(engine, "project_dir", None)
        unknown = unknown_short_reply(self.text, vocabulary(str(project))) if project else []
        if unknown:
            _add_text(secrets, " ".join(_WORD.findall(self.text)), "name")
            for word in unknown:
                secrets.add(word, "name")

    def during(self) -> Secrets:
        secrets = conversation_secrets(self.conv)
        _add_text(secrets, self.text, "message")
        self._text_secrets(secrets)
        return secrets

    def after(self, turn: Any = None) -> Secrets:
        try:
            return self._after(turn)
        except Exception:  # redaction never fails a turn; the shapes still apply to its line
            return Secrets()

    def _after(self, turn: Any) -> Secrets:
        secrets = conversation_secrets(self.conv, turn)
        route = getattr(getattr(turn, "route", None), "label", None)
        asked = asked_slot(self.conv, self._waiting)
        if (asked and not (asked[1] and asked[1] <= KEEP_TYPES) and not self.text.startswith("/")
                and route in (None, "slot_answer", "fallback") and len(self.text.split()) <= 6):
            _add_text(secrets, self.text, _slot_label(*asked))
        self._text_secrets(secrets)
        return secrets


def _add_text(secrets: Secrets, text: str, label: str) -> None:
    """A whole text, as typed and as it reads once shapes are scrubbed (the form a log line has
    when the literal values are applied: "Yusuf Rossi 19122" is "Yusuf Rossi [zip]" by then)."""
    from service.redact import redact  # service.redact imports this module

    secrets.add(text, label)
    secrets.add(redact(text), label)


def _add_echoes(secrets: Secrets, text: str) -> None:
    """What the shapes take out of the shopper's words stays out where the bot quotes them."""
    from service.redact import redact

    if not text.startswith("/"):
        for words, shape in echoed_shapes(text, redact(text)):
            secrets.add(words, shape)


@contextlib.contextmanager
def guard(conv: Any, text: str) -> Iterator[TurnScope]:
    """Scrub `conv`'s values and the shopper's `text` itself from log records written inside
    (engine errors, tracebacks); the scope it yields gives the secrets for the turn's own line."""
    scope = TurnScope(conv, text)
    token = _current.set(_lazy(scope.during))
    try:
        yield scope
    finally:
        _current.reset(token)


def current() -> Secrets | None:
    """The running turn's secrets, or None outside a guarded turn."""
    get = _current.get()
    return get() if get is not None else None
