"""Validation problems with a location, shared by every loader designers meet."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


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
