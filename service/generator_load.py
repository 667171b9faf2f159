"""Load the open-question generator in a background thread when the service starts.

Without it the first open question paid the whole load (retriever, MiniLM, the language model: 9-27 s
on 2 shared cores) while a shopper waited. The engine's answerer is lazy (`engine._LazyAnswerer`): the
thread calls its `get()`, so a question that arrives during the load waits only for the rest of it, on
the answerer's own lock. `/readyz` reports the state: "loading" is not ready (a load balancer keeps
sending shoppers to instances that answer open questions within their targets), "ok (...)" is.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

log = logging.getLogger("shoptalk.service")

State = Literal["disabled", "loading", "ok", "error"]


@dataclass(frozen=True)
class LoadStatus:
    state: State
    seconds: float = 0.0  # load time so far (loading) or in all (ok, error)
    detail: str = ""

    def component(self) -> str:
        """The `/readyz` component text; healthy values start with "ok" or are "disabled"."""
        if self.state == "loading":
            return f"loading ({self.seconds:.1f} s so far; open questions wait for it)"
        if self.state == "ok":
            return f"ok ({self.detail}, loaded in {self.seconds:.1f} s)"
        if self.state == "error":
            return f"error: {self.detail}"
        return "disabled"


class GeneratorLoader:
    """Starts the answerer's load once and tells how far it got (thread-safe, one per app)."""

    def __init__(self, answerer: Any):
        self._answerer = answerer
        self._lock = threading.Lock()
        self._status = LoadStatus("disabled")
        self._t0 = 0.0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._answerer is None or not callable(getattr(self._answerer, "get", None)):
            # off, or an answerer handed over already loaded (tests, benches)
            self._set(LoadStatus("disabled" if self._answerer is None else "ok", 0.0, _describe(self._answerer)))
            return
        with self._lock:
            if self._thread is not None:
                return
            self._t0 = time.monotonic()
            self._status = LoadStatus("loading")
            self._thread = threading.Thread(target=self._run, name="generator-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            loaded = self._answerer.get()
        except Exception as exc:  # reported on /readyz and in the log; an open question retries the load
            log.exception("loading the generator failed")
            self._set(LoadStatus("error", time.monotonic() - self._t0, f"{type(exc).__name__}: {exc}"))
            return
        seconds = time.monotonic() - self._t0
        log.info("generator loaded in the background in %.1f s", seconds)
        self._set(LoadStatus("ok", seconds, _describe(loaded)))

    def _set(self, status: LoadStatus) -> None:
        with self._lock:
            self._status = status

    def status(self) -> LoadStatus:
        with self._lock:
            if self._status.state == "loading":
                return LoadStatus("loading", time.monotonic() - self._t0)
            return self._status

    def wait(self, timeout: float | None = None) -> LoadStatus:
        """Block until the load ended (benches, tests); the status then."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.status()


def _describe(answerer: Any) -> str:
    generator = getattr(answerer, "generator", None)
    if generator is None:
        return "no generator: quoted passages only"
    describe = getattr(generator, "describe", None)
    return describe() if callable(describe) else type(generator).__name__
