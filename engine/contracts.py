"""The response contract shared by the Python API, the service, the web page and tests.

One `Turn` is what `Conversation.send(text)` returns and what the HTTP service serialises,
so every consumer sees the same fields. Pydantic keeps them typed and JSON-ready without
pulling in torch or spaCy.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Button(BaseModel):
    """A quick reply; `payload` uses the `/intent{"slot": "value"}` trigger syntax or plain text."""

    title: str
    payload: str


class BotMessage(BaseModel):
    text: str
    buttons: list[Button] = Field(default_factory=list)
    # Where the text came from: "flow" (a template), "generator", "policy" (a quoted passage)...
    source: str = "flow"


class Choice(BaseModel):
    """One allowed answer for the slot being asked for."""

    value: Any
    title: str


class Expecting(BaseModel):
    """The slot the assistant is waiting for, so front ends can render the right input."""

    slot: str
    type: str
    flow: str
    choices: list[Choice] | None = None


class ActionRecord(BaseModel):
    """A store action the turn called, with its arguments and outcome."""

    name: str
    args: dict[str, Any]
    ok: bool
    result: Any = None
    error: str | None = None
    write: bool = False


class RouteCandidate(BaseModel):
    label: str
    score: float


class Route(BaseModel):
    """How the utterance was interpreted, and why.

    `label` is a flow intent, a repair intent (affirm, deny, cancel, start_over, correction,
    help), `slot_answer`, or `fallback`. `decided_by` names the rule that decided
    ("trigger", "slot_answer", "classifier", "threshold", "rule:...", and the conversation's own
    rules: "answer_first", "correction", "correction_at_confirmation", "yes_no", "digression").
    """

    label: str
    confidence: float = 1.0
    decided_by: str = "rule"
    reason: str | None = None   # when the conversation's state decided: why ("the message answers order_id")
    threshold: float | None = None
    top: list[RouteCandidate] = Field(default_factory=list)
    entities: dict[str, Any] = Field(default_factory=dict)


class Turn(BaseModel):
    """Everything one shopper message produced."""

    conversation_id: str
    messages: list[BotMessage] = Field(default_factory=list)
    expecting: Expecting | None = None
    active_flow: str | None = None
    flow_stack: list[str] = Field(default_factory=list)
    actions: list[ActionRecord] = Field(default_factory=list)
    route: Route | None = None
    slots: dict[str, Any] = Field(default_factory=dict)
    events: list[dict[str, Any]] = Field(default_factory=list)
    ended: bool = False

    @property
    def text(self) -> str:
        """All bot messages joined, convenient for tests and terminals."""
        return "\n".join(m.text for m in self.messages)


ReplySource = Literal["flow", "generator", "policy", "catalogue", "faq", "scope"]
