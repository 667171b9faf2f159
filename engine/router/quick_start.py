"""A fast first answer on a fresh clone: serve with a quick router while the full one trains.

The full router embeds every training example with MiniLM (about a minute on 2 cores, once) before
it can fit. `start_router` answers at once instead:

1. the full router in models/router/ is up to date: it is loaded, nothing else happens;
2. else the quick router, TF-IDF n-grams only and fitted once (no refit on all the data), trained in
   seconds into models/router/quick/ (kept, keyed by the same data hash), answers;
3. meanwhile a background process (`python -m engine.router.background`, niced, its output in
   models/router/train.log) trains the full router under the same file lock `load_router` uses, so
   several workers train it once; when it ends, each `StartingRouter` loads it and swaps it in.

`StartingRouter.describe()` says which model answers (/readyz and the web page show it).
"""
from __future__ import annotations

import atexit
import fcntl
import json
import logging
import pickle
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger("shoptalk.router")

QUICK_DIR = Path("models") / "router" / "quick"
TRAIN_LOG = Path("models") / "router" / "train.log"
NICE = 10  # the background training yields the CPU to the shoppers' turns


def start_router(project_dir: Path) -> Any:
    """The full router when it is up to date, else a `StartingRouter` answering with the quick one."""
    from engine.router import _usable, load_router

    project_dir = Path(project_dir).resolve()
    full, _ = _usable(project_dir, None)
    if full is not None:
        return load_router(project_dir, train_if_needed=False)
    quick = load_quick_router(project_dir)
    return StartingRouter(quick, project_dir)


def load_quick_router(project_dir: Path) -> Any:
    """models/router/quick/, trained first when missing or stale (one process trains, others wait)."""
    from engine.router import Router
    from engine.router.train import ARTEFACT, MANIFEST, current_hash, train_router

    project_dir = Path(project_dir)
    out = project_dir / QUICK_DIR
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        want = current_hash(project_dir, project_dir / "intents")
        try:
            manifest = json.loads((out / MANIFEST).read_text())
            fresh = manifest.get("data_hash") == want and (out / ARTEFACT).exists()
        except (OSError, ValueError):
            fresh = False
        if not fresh:
            t0 = time.perf_counter()
            log.info("no up-to-date full router yet: training the quick TF-IDF router (seconds) ...")
            train_router(project_dir, progress=False, embeddings=False, out_dir=out, refit=False)
            log.info("quick router trained in %.1f s", time.perf_counter() - t0)
        with open(out / ARTEFACT, "rb") as f:
            d = pickle.load(f)
        manifest = json.loads((out / MANIFEST).read_text())
    return Router(d["scorer"], d["threshold"], d["settings"], manifest, labels=d.get("labels"))


class StartingRouter:
    """Routes with the quick router until the full one, trained in a background process, is loaded.

    Everything but `describe` is the current router's (`route`, `labels`, `threshold`, ...). The swap is
    one attribute assignment, so a message is routed wholly by one model or the other."""

    def __init__(self, quick: Any, project_dir: Path, *, start: bool = True):
        self._current = quick
        self._project_dir = Path(project_dir)
        self._state = "training"      # training -> full | failed
        self._detail = ""
        self._started = time.monotonic()
        self._proc: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        if start:
            self._thread = threading.Thread(target=self._train_full, name="full-router-training", daemon=True)
            self._thread.start()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._current, name)

    @property
    def kind(self) -> str:
        """"quick" until the full router is swapped in, then "full"."""
        return "full" if self._state == "full" else "quick"

    def describe(self) -> str:
        if self._state == "full":
            return f"full router (TF-IDF + MiniLM), swapped in {self._detail}"
        if self._state == "failed":
            return f"quick router (TF-IDF only); full training failed: {self._detail}"
        return (f"quick router (TF-IDF only) while the full one trains "
                f"({time.monotonic() - self._started:.0f} s so far)")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the background training ended (tests, benches); True if the full router answers."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._state == "full"

    def _train_full(self) -> None:
        from engine.router import load_router

        logfile = self._project_dir / TRAIN_LOG
        log.info("answering with the quick router; training the full one in the background (log: %s)", logfile)
        cmd = [sys.executable, "-m", "engine.router.background", "--project", str(self._project_dir)]
        nice = shutil.which("nice")  # not os.nice in preexec_fn: that is unsafe in a threaded server
        cmd = [nice, "-n", str(NICE), *cmd] if nice else cmd
        try:
            with open(logfile, "w") as out:
                self._proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                              cwd=self._project_dir)
                atexit.register(self._stop)
                code = self._proc.wait()
            if code != 0:
                raise RuntimeError(f"exit code {code}; see {logfile}: {_tail(logfile)}")
            full = load_router(self._project_dir, train_if_needed=False, progress=False)
        except Exception as exc:  # the quick router keeps answering; the failure is said, not hidden
            self._state, self._detail = "failed", str(exc)
            log.error("full router training failed; the quick router keeps answering: %s", exc)
            return
        self._current = full
        self._state = "full"
        self._detail = f"after {time.monotonic() - self._started:.0f} s"
        log.info("full router ready %s: swapped in", self._detail)

    def _stop(self) -> None:
        """At exit: the background training stops with the server (a later start resumes from the cache)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()


def _tail(path: Path, lines: int = 3) -> str:
    try:
        return " | ".join(path.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError as exc:
        return f"(log unreadable: {exc})"
