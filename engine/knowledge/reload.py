"""Hot reload of the generator's knowledge: knowledge/ changed (a designer's FAQ entry, an edit), so
the retriever is rebuilt from the files and swapped in, in the background, without blocking turns.

The running generator keeps answering from the old index until the new one is ready; a turn pins
the engine it started with, so it never mixes the two. Changes made while a rebuild runs are
picked up by one more run when it finishes.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from ..rerun import CoalescingJob
from .passages import load_passages

log = logging.getLogger("shoptalk.reload")


def rebuild_answerer(answerer: Any, project_dir: Path) -> Any | None:
    """A copy of `answerer` whose retriever reads knowledge/ again (same generator, catalogue and
    settings). None when no generator is loaded yet: the lazy one reads the files when it loads."""
    real = answerer.loaded() if hasattr(answerer, "loaded") else answerer
    if real is None or not hasattr(real, "retriever"):
        return None
    retriever = real.retriever.rebuilt(load_passages(project_dir))
    return type(real)(retriever, real.catalogue, real.generator, real.settings)


class KnowledgeReloader:
    """Rebuilds the knowledge index of one `EngineHolder` in a background thread; `start` returns at once."""

    def __init__(self, holder: Any):
        self.holder = holder
        self._job = CoalescingJob(self._once, "shoptalk-knowledge-reload")

    def start(self) -> threading.Thread:
        return self._job.start()

    def _once(self) -> None:
        holder = self.holder
        engine = holder.current()
        started = time.perf_counter()
        try:
            if engine.project_dir is None or engine.answerer is None:
                holder._record("knowledge", True, "no generator: nothing to reload")
                return
            answerer = rebuild_answerer(engine.answerer, Path(engine.project_dir))
        except Exception as exc:  # a broken file must not take the service down; the old index stays
            log.exception("knowledge changed but could not be loaded; the running index stays")
            holder._record("knowledge", False, f"knowledge reload failed: {type(exc).__name__}: {exc}")
            return
        if answerer is None:
            holder._record("knowledge", True, "generator not loaded yet: it reads knowledge/ when it loads")
            return
        version = holder.swap(answerer=answerer)
        seconds = time.perf_counter() - started
        log.info("knowledge reloaded in %.1f s: version %d (%d passages)", seconds, version,
                 len(answerer.retriever.passages))
        holder._record("knowledge", True, f"version {version}: {len(answerer.retriever.passages)} knowledge "
                       f"passages in {seconds:.1f} s")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until a running rebuild has finished (tests, shutdown); True when none is running."""
        return self._job.wait(timeout)
