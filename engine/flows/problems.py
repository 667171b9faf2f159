"""Validation problems with a location, shared by every loader designers meet."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


# Every problem code validate reports, and what it means (docs/flows.md lists them too).
PROBLEM_CODES: dict[str, str] = {
    "yaml_syntax": "the file is not valid YAML",
    "encoding": "the file is not UTF-8",
    "bad_type": "a value of the wrong type (text, number, list, mapping...)",
    "bad_value": "a value outside the allowed ones",
    "bad_step": "a step that is not a mapping or a known word",
    "bad_branch": "a branch case without if/goto or else",
    "bad_expression": "an expression or message template that does not parse",
    "bad_pattern": "a regular expression that does not compile",
    "unknown_key": "a key the format does not have",
    "unknown_step_kind": "a step with no (or more than one) kind key",
    "unknown_slot_type": "a slot type that does not exist",
    "missing_id": "a flow without a valid id",
    "missing_description": "a flow without a description",
    "missing_steps": "a flow without steps",
    "missing_choices": "a choice slot without choices",
    "missing_of": "an items/variants/variant slot without `of:`",
    "missing_prompt": "a collected slot without prompts",
    "missing_folder": "no flows/ folder",
    "duplicate_id": "two flows, or two steps of a flow, with one id",
    "unknown_slot": "a slot that is not declared",
    "unknown_name": "a template or expression reading a name nothing provides",
    "unknown_step": "a goto/branch/on_no/on_error target that is not a step id",
    "unknown_flow": "a call to a flow that does not exist",
    "unknown_action": "a store action that does not exist",
    "unknown_check": "a slot check that does not exist",
    "bad_arguments": "store action arguments that are unknown, missing or of the wrong type",
    "recursive_call": "a flow that calls itself",
    "unreachable": "a step no path reaches",
    "write_without_confirm": "a store write some path reaches without a confirm",
    "unused_slot": "a slot declared or collected but never used",
    "foreign_slot": "a message or expression reading a slot only another flow (not one it calls) declares",
    "intent_without_flow": "an intent with examples that starts no flow",
    "flow_without_intent": "a flow no intent with examples starts",
    "shared_example": "one example in two intents",
    "too_few_examples": "an intent with fewer than 5 examples",
    "invalid": "a mistake in an intent file (see the message)",
}


@dataclass(frozen=True)
class Loc:
    """Where something was written: 1-based line and column in a designer's file."""

    file: str
    line: int
    col: int = 1


@dataclass(frozen=True)
class Problem:
    """One mistake in a designer's file, printed as `file:line:col: severity: message (hint)`."""

    file: str
    line: int
    col: int
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"
    code: str = "invalid"

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}{hint}"

    @classmethod
    def at(cls, loc: Loc, message: str, hint: str = "", severity: Literal["error", "warning"] = "error",
           code: str = "invalid") -> "Problem":
        return cls(loc.file, loc.line, loc.col, message, hint, severity, code)

    def as_dict(self) -> dict:
        return {
            "file": self.file, "line": self.line, "col": self.col, "severity": self.severity,
            "code": self.code, "message": self.message, "hint": self.hint,
        }


@dataclass
class FlowLoadError(Exception):
    """Raised when flows cannot be loaded; carries every problem found, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
