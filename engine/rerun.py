"""One background job that coalesces requests: started while it runs, it runs exactly once more.

The router retrain and the knowledge rebuild both follow designers' edits: a save during a run must be
picked up (one more run), but ten saves must not queue ten runs.
"""
from __future__ import annotations

import threading
from collections.abc import Callable


class CoalescingJob:
    """Runs `work` in a daemon thread named `name`; `start` returns at once with that thread."""

    def __init__(self, work: Callable[[], None], name: str):
        self._work, self._name = work, name
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False

    def start(self) -> threading.Thread:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return self._thread
            self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
            self._thread.start()
            return self._thread

    def _loop(self) -> None:
        while True:
            self._work()
            with self._lock:
                if not self._again:
                    return
                self._again = False

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a running job has finished (tests, shutdown); True when none is running."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()
