"""In-process, first-come-first-served locks per conversation.

The tracker's lease lock serialises turns across workers and hosts; this lock sits in front of it so
threads of one worker queue in arrival order (a ticket lock) instead of polling the tracker.
Unlike `threading.Lock`, a holder may release from another thread (streaming responses finish on a
different thread than the one that acquired).
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager


class _Entry:
    __slots__ = ("next_ticket", "serving", "abandoned", "refs", "cond")

    def __init__(self, mutex):
        self.next_ticket = 0
        self.serving = 0
        self.abandoned: set[int] = set()
        self.refs = 0
        self.cond = threading.Condition(mutex)


class LocalLockTimeout(Exception):
    pass


class KeyedFifoLock:
    def __init__(self):
        self._mu = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    def acquire(self, key: str, timeout: float | None = None) -> int:
        with self._mu:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry(self._mu)
            ticket = entry.next_ticket
            entry.next_ticket += 1
            entry.refs += 1
            deadline = None if timeout is None else time.monotonic() + timeout
            while entry.serving != ticket:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    entry.abandoned.add(ticket)
                    self._drop(key, entry)
                    raise LocalLockTimeout(key)
                entry.cond.wait(remaining)
            return ticket

    def release(self, key: str) -> None:
        with self._mu:
            entry = self._entries[key]
            entry.serving += 1
            while entry.serving in entry.abandoned:
                entry.abandoned.discard(entry.serving)
                entry.serving += 1
            self._drop(key, entry)
            entry.cond.notify_all()

    def _drop(self, key: str, entry: _Entry) -> None:
        entry.refs -= 1
        if entry.refs == 0:
            del self._entries[key]

    @contextmanager
    def hold(self, key: str, timeout: float | None = None):
        self.acquire(key, timeout)
        try:
            yield
        finally:
            self.release(key)

    def __len__(self) -> int:
        return len(self._entries)
