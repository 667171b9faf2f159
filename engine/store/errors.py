"""Store errors carry a stable code for programs and a sentence a shopper understands."""
from __future__ import annotations


class StoreError(Exception):
    """A rejected read or write. Nothing was changed when this is raised."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"StoreError({self.code!r}, {self.message!r})"
