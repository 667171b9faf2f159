"""The per-turn working set the state machine passes around, and the template scope it builds."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..contracts import ActionRecord, BotMessage, Button
from ..flows.model import Flow, FlowSet, SlotDef
from ..slots.entities import Entity, ExtractContext
from ..slots.types import SlotEnv
from .state import DialogueState, Frame
from .task_shortfall import cannot_cover

Extract = Callable[[str, ExtractContext], list[Entity]]

# Where a slot value can come from. Shopper sources (anything a message can carry: free text, a
# button or `/intent{...}` payload, a correction) go through `TurnContext.fill`, which enforces
# `protected` and the slot's checks; only flow steps (an action's result, a `set`) write directly.
SHOPPER_SOURCES = frozenset({"user", "button", "trigger", "correction"})
STEP_SOURCES = frozenset({"action", "set"})


@dataclass(frozen=True)
class Fill:
    """The outcome of offering a shopper's value to a slot."""

    ok: bool
    error: str | None = None
    code: str = "filled"   # filled | unknown_slot | protected | deferred | invalid


@dataclass
class TurnContext:
    """Everything one turn reads and produces; discarded after the turn."""

    state: DialogueState
    flows: FlowSet
    store: Any
    extract: Extract
    messages: list[BotMessage] = field(default_factory=list)
    actions: list[ActionRecord] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    fallback: Callable[[str, "TurnContext", bool], None] | None = None  # (question, ctx, beside_task)
    # Store reads shared by every SlotEnv of this turn; cleared after each write.
    reads: dict[str, Any] = field(default_factory=dict)
    # Entities already extracted this turn: one message is read against several slots, and the
    # extractors (spaCy) are the costly part of a turn.
    _entities: dict[tuple, list[Entity]] = field(default_factory=dict)

    def entities(self, text: str, ectx: ExtractContext) -> list[Entity]:
        """`extract`, once per text and context within this turn (forgotten after a write)."""
        key = (text, ectx.expecting_slot, ectx.expecting_type,
               tuple((str(c.get("value")), c.get("title")) if isinstance(c, dict) else str(c) for c in ectx.choices or ()),
               (ectx.order or {}).get("order_id"), (ectx.user or {}).get("email"))
        if key not in self._entities:
            self._entities[key] = self.extract(text, ectx)
        return list(self._entities[key])

    def forget_reads(self) -> None:
        """After a store write: orders and balances changed, so later prompts read them afresh."""
        self.reads.clear()
        self._entities.clear()

    def task_frame(self) -> Frame | None:
        """The innermost frame of a shopper's task (not a repair pattern such as pattern_correction)."""
        return next((f for f in reversed(self.state.stack) if not self.flows.flows[f.flow_id].pattern), None)

    def task_values(self) -> dict[str, Any]:
        """The slot values, with what the task's slots hold part-way (the new options picked so far for
        some of several items): a question about the task in progress is answered from both."""
        values, frame = self.state.values(), self.task_frame()
        for name, part in (frame.partial.items() if frame is not None else ()):
            values[name] = values.get(name) or part
        return values

    def say(self, text: str, buttons: list[Button] | None = None, source: str = "flow") -> None:
        if not text.strip() and not buttons:
            return
        self.messages.append(BotMessage(text=text, buttons=buttons or [], source=source))
        self.state.say("bot", text)

    def log(self, type_: str, **data: Any) -> None:
        self.state.log({"type": type_, **data}, self.events)

    def flow(self, frame: Frame) -> Flow:
        return self.flows.flows[frame.flow_id]

    def slot_def(self, name: str, frame: Frame | None = None) -> SlotDef | None:
        return self.flows.slot_def(name, frame.flow_id if frame else None)

    def env(self, frame: Frame | None) -> SlotEnv:
        flow_slots = dict(self.flow(frame).slots) if frame else {}
        return SlotEnv(self.store, self.state.user_id, self.state.values(), flow_slots,
                       scope=lambda: dict(Scope(self, frame)), _cache=self.reads)

    def fill(self, name: str, value: Any, source: str, frame: Frame | None) -> Fill:
        """The one way a shopper's value reaches a slot, whatever carried it (free text, button,
        payload, correction, opening message). Protected slots (`user_id`) refuse it; a value naming
        the shopper's data waits until it can be checked (`deferred`); every other value passes the
        slot's validation (ownership included) or is refused with the shopper-facing reason."""
        from ..slots.types import validate, verifiable

        if source not in SHOPPER_SOURCES:
            raise ValueError(f"fill() is for shopper values, not source {source!r}")
        slot = self.slot_def(name, frame)
        if slot is None:
            self.log("slot_rejected", slot=name, reason="unknown slot", source=source)
            return Fill(False, None, "unknown_slot")
        if slot.protected:
            self.log("slot_rejected", slot=name, reason="protected", source=source)
            return Fill(False, None, "protected")
        env = self.env(frame)
        if not verifiable(slot, env):
            self.log("slot_deferred", slot=name, source=source)
            return Fill(False, None, "deferred")
        error = validate(slot, value, env)
        if not error and slot.type == "payment_method":
            error = cannot_cover(frame.flow_id if frame else None, env, name, value)
        if error:
            self.log("slot_invalid", slot=name, source=source, error=error)
            if frame is not None and slot.check:  # "that order is pending": another task may take it
                frame.context["refused:" + name] = value
            return Fill(False, error, "invalid")
        self._write(slot, name, value, source, frame)
        return Fill(True)

    def set_slot(self, name: str, value: Any, source: str, frame: Frame | None) -> None:
        """A flow step's own write (an action's result, a `set`); undeclared names become results
        of the frame. Shopper values never come this way: see `fill`."""
        if source not in STEP_SOURCES:
            raise ValueError(f"set_slot() is for flow steps; a {source!r} value must go through fill()")
        slot = self.slot_def(name, frame)
        if slot is None:
            if frame is not None:
                frame.results[name] = value
            return
        self._write(slot, name, value, source, frame)

    def _write(self, slot: SlotDef, name: str, value: Any, source: str, frame: Frame | None) -> None:
        from ..slots.types import display
        from .state import SlotValue

        env = self.env(frame)
        env.values[name] = value
        shown = None
        if value is not None:
            try:
                shown = display(slot, value, env)
            except Exception as exc:  # display is cosmetic; never lose the value over it
                shown = str(value)
                self.log("display_error", slot=name, error=str(exc))
        self.state.slots[name] = SlotValue(value=value, source=source, flow=frame.flow_id if frame else None,
                                           turn=self.state.turn, display=shown)
        self.log("slot_set", slot=name, value=value, source=source)

    def clear_slot(self, name: str) -> None:
        if self.state.slots.pop(name, None) is not None:
            self.log("slot_cleared", slot=name)


class Scope(Mapping):
    """Names a template or condition can read: slots, action results, pattern variables and a few
    computed values (`display`, `user`, `methods`, `summary`, `flow_title`), computed only when read."""

    def __init__(self, ctx: TurnContext, frame: Frame | None, extra: Mapping[str, Any] | None = None):
        self.ctx, self.frame, self.extra = ctx, frame, extra or {}

    def _computed(self, key: str) -> Any:
        state = self.ctx.state
        if key == "display":
            return {k: (v.display if v.display is not None else v.value) for k, v in state.slots.items()}
        if key == "user":
            return self.ctx.env(self.frame).user()
        if key == "methods":  # payment method id -> how it is shown ("Visa card ending 1234")
            from ..slots.candidates import describe_method
            return {mid: describe_method(m) for mid, m in
                    ((self.ctx.env(self.frame).user() or {}).get("payment_methods") or {}).items()}
        if key == "flow_title":
            return self.ctx.flow(self.frame).display if self.frame else None
        if key == "summary":
            return conversation_summary(self.ctx)
        if key == "transcript":
            return "\n".join(f"{t['role']}: {t['text']}" for t in state.transcript[-10:])
        if key == "flow_list":
            return ", ".join(f["title"] for f in self.ctx.flows.catalog())
        raise KeyError(key)

    def __getitem__(self, key: str) -> Any:
        if key in self.extra:
            return self.extra[key]
        if self.frame is not None:
            if key in self.frame.context:
                return self.frame.context[key]
            if key in self.frame.results:
                return self.frame.results[key]
        if key in self.ctx.state.slots:
            return self.ctx.state.slots[key].value
        try:
            return self._computed(key)
        except KeyError:
            return None

    def get(self, key: str, default: Any = None) -> Any:
        value = self[key]
        return default if value is None else value

    def __iter__(self) -> Iterator[str]:
        keys = set(self.ctx.state.slots) | set(self.extra)
        if self.frame is not None:
            keys |= set(self.frame.context) | set(self.frame.results)
        return iter(keys)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def conversation_summary(ctx: TurnContext) -> str:
    """What a human agent needs: who, which flows, the collected slots and the recent transcript."""
    state = ctx.state
    flows = " > ".join(f.flow_id for f in state.stack) or "none"
    slots = "; ".join(f"{k}={v.display or v.value}" for k, v in state.slots.items())
    lines = " | ".join(f"{t['role']}: {t['text'][:200]}" for t in state.transcript[-10:])
    return f"user: {state.user_id or 'not signed in'}; active flows: {flows}; slots: {slots or 'none'}; transcript: {lines}"
