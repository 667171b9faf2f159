"""`shoptalk serve --reload`: each worker polls flows/, intents/ and knowledge/ and hot-swaps its engine.

Polling (path, mtime, size) every half second needs no extra package and behaves the same on
every file system (bind mounts, network shares) where inotify may stay silent. A change is acted
on once two polls agree, so an editor's half-written save is not loaded. Flow edits reload at
once (`EngineHolder.reload_flows`); intent edits retrain the router in the background
(`EngineHolder.retrain_router`); knowledge edits rebuild the generator's index in the background
(`EngineHolder.reload_knowledge`). Each worker process watches on its own, so every worker swaps.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from engine.reload import EngineHolder, ReloadOutcome

log = logging.getLogger("shoptalk.reload")

ENV = "SHOPTALK_RELOAD"          # set to 1 by `shoptalk serve --reload`, read in each worker
SUFFIXES = (".yaml", ".yml")
Signature = frozenset[tuple[str, int, int]]


def enabled(env: dict[str, str] | None = None) -> bool:
    value = (os.environ if env is None else env).get(ENV, "")
    return value.strip().lower() in ("1", "true", "yes", "on")


def hold(engine: Any) -> Any:
    """Wrap a real Engine in an EngineHolder (hot reload and the designer view need one); test
    doubles and holders pass through unchanged."""
    from engine.engine import Engine

    return EngineHolder(engine) if isinstance(engine, Engine) else engine


def signature(folder: Path, recursive: bool) -> Signature:
    """(path, mtime_ns, size) of every YAML file: any save, rename or removal changes it."""
    if not folder.is_dir():
        return frozenset()
    files = folder.rglob("*") if recursive else folder.iterdir()
    out = set()
    for path in files:
        if path.suffix in SUFFIXES and not path.name.startswith("."):
            try:
                st = path.stat()
            except OSError:  # removed between listing and stat: the next poll sees it gone
                continue
            out.add((str(path), st.st_mtime_ns, st.st_size))
    return frozenset(out)


class ProjectWatcher:
    """Watches one project's flows/, intents/ and knowledge/ for an EngineHolder. `poll_once` is the whole
    logic (tests call it directly); `start` runs it every `interval` seconds in a daemon thread."""

    def __init__(self, holder: EngineHolder, project_dir: Path, interval: float = 0.5):
        self.holder, self.interval = holder, interval
        self.folders = {"flows": (Path(project_dir) / "flows", True),
                        "intents": (Path(project_dir) / "intents", True),
                        "knowledge": (Path(project_dir) / "knowledge", True)}
        self._seen = {name: signature(folder, rec) for name, (folder, rec) in self.folders.items()}
        self._pending: dict[str, Signature] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll_once(self, settle: bool = True) -> list[ReloadOutcome | str]:
        """Reload what changed since the last poll. With `settle`, a change counts once the next
        poll sees the same files (the save is complete). Returns what was done."""
        done: list[ReloadOutcome | str] = []
        for name, (folder, recursive) in self.folders.items():
            now = signature(folder, recursive)
            if now == self._seen[name]:
                self._pending.pop(name, None)
                continue
            if settle and self._pending.get(name) != now:
                self._pending[name] = now
                continue
            self._pending.pop(name, None)
            self._seen[name] = now
            if name == "flows":
                done.append(self.holder.reload_flows())
            elif name == "knowledge":
                self.holder.reload_knowledge()
                done.append("reloading knowledge")
            else:
                thread = self.holder.retrain_router()
                done.append("retraining" if thread is not None else "not retrained (keyword rules)")
        return done

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll_once()
            except Exception:  # keep watching: one bad poll must not end hot reload
                log.exception("hot reload: poll failed")

    def start(self) -> ProjectWatcher:
        self._thread = threading.Thread(target=self._run, name="shoptalk-watch", daemon=True)
        self._thread.start()
        log.info("hot reload: watching %s", ", ".join(str(f) for f, _ in self.folders.values()))
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


@contextmanager
def watching(app: Any, env: dict[str, str] | None = None) -> Iterator[ProjectWatcher | None]:
    """For the app's lifespan: watch while the app serves, when hot reload is enabled."""
    holder = getattr(app.state, "engine", None)
    if not enabled(env) or not isinstance(holder, EngineHolder) or holder.project_dir is None:
        yield None
        return
    watcher = ProjectWatcher(holder, holder.project_dir).start()
    app.state.watcher = watcher
    try:
        yield watcher
    finally:
        watcher.stop()
        app.state.watcher = None
