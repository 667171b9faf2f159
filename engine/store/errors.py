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


class StoreUnavailable(Exception):
    """The store could not be reached or failed mid-operation (database down, connection killed, HTTP
    backend dead). Not a refusal: the operation's transaction was rolled back (nothing was changed)
    and the same request may succeed once the store is back, so the service answers 503 with
    Retry-After instead of telling the shopper no."""

    def __init__(self, message: str, *, retry_after: float = 2.0):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after
