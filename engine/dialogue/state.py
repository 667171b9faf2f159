"""A conversation's state: the flow stack, slots with provenance, and a bounded event log.

Pydantic models so the state serialises to JSON as-is (tracker stores, snapshots) and is
restored exactly; the snapshot stays bounded so turn 1,000 costs what turn 1 costs.
"""
from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

from pydantic import BaseModel, Field

MAX_EVENTS = 100
MAX_TRANSCRIPT = 40


class StepEvent(TypedDict):
    """The event the state machine logs for every step it runs (`type` is "step")."""

    type: Literal["step"]
    turn: int
    flow: str
    step: str                   # the step's id
    kind: str                   # collect, say, action, branch, ...
    outcome: NotRequired[str]   # branch: the target taken or "next"; action with on_error: "ok" / "on_error"


def step_events(events: list[dict[str, Any]]) -> list[StepEvent]:
    """The step events among a turn's (or the log's) events."""
    return [e for e in events if e.get("type") == "step"]  # type: ignore[misc]


class SlotValue(BaseModel):
    value: Any
    source: str            # "user", "button", "trigger", "action", "set", "carried"
    flow: str | None = None
    turn: int = 0
    display: str | None = None


class Frame(BaseModel):
    """One active flow: where it is, what it has done, and what it waits for."""

    flow_id: str
    step: int = 0
    history: list[int] = Field(default_factory=list)       # executed step indexes, in order
    waiting: Literal["collect", "confirm", "call"] | None = None
    attempts: dict[str, int] = Field(default_factory=dict)
    confirmed: bool = False
    partial: dict[str, list] = Field(default_factory=dict)  # variants collected item by item
    results: dict[str, Any] = Field(default_factory=dict)
    context: dict[str, Any] = Field(default_factory=dict)   # pattern variables, opening utterance
    called: bool = False        # pushed by a `call` step: returns to its caller
    interrupted: bool = False   # another flow was started on top of it (a digression)


class DialogueState(BaseModel):
    conversation_id: str
    stack: list[Frame] = Field(default_factory=list)
    slots: dict[str, SlotValue] = Field(default_factory=dict)
    turn: int = 0
    # further tasks asked for in one message ("cancel X and return Y"): {"flow", "text"}, in order
    queued: list[dict[str, str]] = Field(default_factory=list)
    # the buttons the last turn showed ({"title", "payload"}): typing a button's label presses it
    buttons: list[dict[str, str]] = Field(default_factory=list)
    events: list[dict[str, Any]] = Field(default_factory=list)
    transcript: list[dict[str, str]] = Field(default_factory=list)

    @property
    def top(self) -> Frame | None:
        return self.stack[-1] if self.stack else None

    def value(self, name: str) -> Any:
        slot = self.slots.get(name)
        return slot.value if slot else None

    def values(self) -> dict[str, Any]:
        return {k: v.value for k, v in self.slots.items()}

    @property
    def user_id(self) -> str | None:
        return self.value("user_id")

    def working_copy(self) -> "DialogueState":
        """A copy one turn may change freely, so a failed turn leaves the conversation as it was.

        Frames and slots are deep-copied; the event log and transcript are append-only and their
        entries are never changed once written, so copying the lists (not the entries) is enough.
        A full deep copy of the bounded log was the largest single cost of a scripted turn."""
        return self.model_copy(update={
            "stack": [frame.model_copy(deep=True) for frame in self.stack],
            "slots": {name: slot.model_copy(deep=True) for name, slot in self.slots.items()},
            "queued": [dict(q) for q in self.queued],
            "buttons": [dict(b) for b in self.buttons],
            "events": list(self.events),
            "transcript": list(self.transcript),
        })

    def log(self, event: dict[str, Any], sink: list[dict[str, Any]]) -> None:
        """Record an event in the bounded log and in this turn's list."""
        event = {"turn": self.turn, **event}
        sink.append(event)
        self.events.append(event)
        if len(self.events) > MAX_EVENTS:
            del self.events[: len(self.events) - MAX_EVENTS]

    def say(self, role: str, text: str) -> None:
        self.transcript.append({"role": role, "text": text[:2000]})
        if len(self.transcript) > MAX_TRANSCRIPT:
            del self.transcript[: len(self.transcript) - MAX_TRANSCRIPT]
