"""What the Answerer returns: the checked answer, its sources, and the events of a streamed one.

Kept apart from answerer.py so the modules that build an answer of their own (two_parts.py: several facts quoted)
return the same type without importing the Answerer.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from engine.contracts import Button
from engine.knowledge import Passage

AnswerSource = Literal["generator", "policy", "catalogue", "faq", "scope", "recommendation"]
AnswerKind = Literal["grounded", "extractive", "scope", "recommendation", "order_facts_redirect", "catalogue"]


class SourceRef(BaseModel):
    title: str
    section: str


class Answer(BaseModel):
    text: str
    source: AnswerSource
    sources: list[SourceRef] = Field(default_factory=list)
    buttons: list[Button] = Field(default_factory=list)
    supported: bool = True
    replaced: bool = False
    kind: AnswerKind = "grounded"
    # diagnostics: why it was replaced, the raw generation, timings
    notes: list[str] = Field(default_factory=list)
    generated: str | None = None
    timings: dict[str, float] = Field(default_factory=dict)


class AnswerEvent(BaseModel):
    """`type="token"`: a text delta to show; `type="final"`: the checked `Answer`.

    If the final answer has `replaced=True`, the streamed tokens must be replaced by `answer.text`
    (streaming stops at the first word whose claim no fact supports, so little that is wrong was shown)."""

    type: Literal["token", "final"]
    text: str = ""
    answer: Answer | None = None


def quoted_answer(said: list[tuple[Passage, str]], buttons: list[Button], notes: list[str]) -> Answer:
    """Several passages quoted, each attributed, in the order given (several facts answer one message)."""
    return Answer(text="\n".join(f'{p.attribution()}: "{t}"' for p, t in said), source=said[0][0].source,
                  sources=[SourceRef(title=p.title, section=p.section) for p, _ in said], buttons=buttons,
                  kind="extractive", notes=notes)
