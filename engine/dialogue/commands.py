"""Commands: what one shopper message asks the conversation to do.

As in Rasa CALM, understanding produces small command objects and the state machine applies
them; keeping them as plain dataclasses makes each decision visible in tests and event logs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StartFlow:
    flow: str
    slots: dict[str, Any] = field(default_factory=dict)
    source: str = "router"
    text: str | None = None   # the part of the message that asked for it (default: all of it)
    replaces: bool = False    # "change the item instead": the task in progress is dropped, not resumed later


@dataclass(frozen=True)
class QueueFlows:
    """Tasks asked for in the same message as the one started now, done one after the other."""

    goals: tuple[tuple[str, str], ...]   # (flow id, the part of the message that asked for it)
    say: str = ""                         # what the shopper is told instead of the tasks' titles
    next: bool = False                    # right after the task in progress, before what was queued earlier
    announce: bool = True                 # say now what is queued (not when it is started at once after a yes)


@dataclass(frozen=True)
class SetSlots:
    """Values for named slots (buttons, `/inform{...}`)."""

    values: dict[str, Any]
    source: str = "button"


@dataclass(frozen=True)
class Answer:
    """Free text answering the slot being asked for."""

    text: str


@dataclass(frozen=True)
class Correct:
    """New values for slots already filled in the active flow: replay from where they were used."""

    values: dict[str, Any]


@dataclass(frozen=True)
class Reask:
    """Ask a collected slot again (the shopper chose it from "what would you like to change?")."""

    slot: str


@dataclass(frozen=True)
class Continue:
    """The message asks for the task already running ("I need to cancel it" while cancelling): say that
    it goes on, and ask its open question again, instead of stopping it."""

    note: str


@dataclass(frozen=True)
class Affirm:
    pass


@dataclass(frozen=True)
class Deny:
    pass


@dataclass(frozen=True)
class CancelFlow:
    pass


@dataclass(frozen=True)
class StartOver:
    pass


@dataclass(frozen=True)
class Handoff:
    reason: str = "shopper asked for a person"


@dataclass(frozen=True)
class RunPattern:
    """Start a conversation-repair flow such as pattern_help or pattern_greet."""

    pattern: str
    context: dict[str, Any] = field(default_factory=dict)
    after: bool = False  # once the flows running now are done ("No, I'm done. Bye." to "Shall we get back?")


@dataclass(frozen=True)
class AnswerQuestion:
    """A question about the task in progress, answered from the store; the task stays where it is."""

    text: str
    buttons: tuple = ()
    topic: str = ""


@dataclass(frozen=True)
class OfferTasks:
    """A need too vague to start one task ("a few things to sort out with my orders"): `text` said, with the
    buttons of the tasks it may mean (flow ids, in order)."""

    text: str
    flows: tuple[str, ...]


@dataclass(frozen=True)
class Fallback:
    """An open question for the generative fallback (or the pattern_fallback flow). `suggest`: flows the
    router found likely but not confident enough to start; the answer offers them as buttons. `beside_task`: the
    message also starts a task ("... I'd like to return it. How do I go about it?"), so an answer that only says
    the shop's documents do not cover the question is left out: the task that starts is the answer."""

    text: str
    suggest: tuple[str, ...] = ()
    beside_task: bool = False


Command = StartFlow | QueueFlows | SetSlots | Answer | Correct | Reask | Continue | Affirm | Deny | CancelFlow | StartOver | Handoff | RunPattern | AnswerQuestion | OfferTasks | Fallback
