"""A circuit breaker for the HTTP store: a dead backend answers in milliseconds, not after timeouts.

Closed: calls go through and consecutive failures are counted. After `failures_to_open` failures in
a row, or a call that waited its whole time budget without an answer (`trip`), it opens: calls are refused at once for `open_seconds`, so a shopper hears "the order system
is unreachable" straight away instead of after every call's timeout and retries. Then it lets one
trial call through (half-open); its success closes the breaker, its failure opens it again.
One breaker per store instance (per worker), shared by that worker's threads.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

State = Literal["closed", "open", "half_open"]


@dataclass
class CircuitBreaker:
    failures_to_open: int = 3
    open_seconds: float = 5.0
    clock: Callable[[], float] = time.monotonic
    _failures: int = field(default=0, init=False)
    _opened_at: float | None = field(default=None, init=False)
    _probing: bool = field(default=False, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def allow(self) -> bool:
        """May a call go out now? In half-open state only one trial call is let through."""
        with self._lock:
            if self._opened_at is None:
                return True
            if not self._probing and self.clock() - self._opened_at >= self.open_seconds:
                self._probing = True
                return True
            return False

    def success(self) -> None:
        """The backend answered (a refusal counts: it is alive and deciding)."""
        with self._lock:
            self._failures, self._opened_at, self._probing = 0, None, False

    def failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._probing or self._failures >= self.failures_to_open:
                self._opened_at, self._probing = self.clock(), False

    def trip(self) -> None:
        """Open now: a call waited its whole time budget without any answer."""
        with self._lock:
            self._failures = max(self._failures, self.failures_to_open)
            self._opened_at, self._probing = self.clock(), False

    def retry_after(self, default: float) -> float:
        """Seconds until a call may go out again: the rest of the open period, else `default`."""
        with self._lock:
            if self._opened_at is None:
                return default
            return max(default, self.open_seconds - (self.clock() - self._opened_at))

    @property
    def state(self) -> State:
        with self._lock:
            if self._opened_at is None:
                return "closed"
            if self._probing or self.clock() - self._opened_at >= self.open_seconds:
                return "half_open"
            return "open"
