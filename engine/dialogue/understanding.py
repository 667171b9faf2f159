"""What the engine learned from one message before the state machine acts on it: the contract between
engine/engine.py (which routes and extracts) and engine/dialogue/interpret.py (which decides)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..contracts import Route
from ..question_or_request import Reading, read_message
from ..unsupported_asks import unsupported


@dataclass
class Understanding:
    """What the engine learned from one message before the state machine acts on it.

    The classifier's route is computed on first use (`routing`): a reply that plainly answers the
    open question never needs it, and the router's sentence embedding is the largest part of such a
    turn."""

    text: str
    _route: Route | None = None
    trigger: tuple[str, dict[str, Any]] | None = None
    entities: list = field(default_factory=list)
    # several tasks in one message: (intent, the part that asks for it), in the order said
    goals: list[tuple[str, str]] = field(default_factory=list)
    routing: Callable[[], Route] | None = None
    # routes another text (a part of this message) with the same router
    route_part: Callable[[str], Route] | None = None

    @property
    def route(self) -> Route:
        if self._route is None:
            if self.routing is None:
                raise ValueError("an Understanding needs a route or a way to compute one")
            self._route = self.routing()
        return self._route

    @cached_property
    def reading(self) -> Reading:
        """The message's question and request clauses (engine/question_or_request.py), read once per turn."""
        return read_message(self.text)

    @cached_property
    def unsupported(self) -> str | None:
        """The kind of request no flow does that the message makes (engine/unsupported_asks.py), or None:
        every rule of the turn that must not start a task for it asks here, so they cannot disagree."""
        return unsupported(self.text)

    @property
    def routed(self) -> bool:
        """Whether the classifier (or a trigger) has been consulted for this message."""
        return self._route is not None

    def decide(self, label: str, rule: str, reason: str, **route: Any) -> None:
        """Record that a context rule, not the classifier alone, decided what the message does
        (`route`: other fields of the Route it leaves, e.g. the confidence of the part it routed)."""
        update = {"label": label, "decided_by": rule, "reason": reason, **route}
        self._route = self._route.model_copy(update=update) if self._route is not None else Route(**update)
