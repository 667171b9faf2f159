"""Progress output for the waits a person sits through (training, embedding, model conversion).

On a terminal: a tqdm bar that clears itself when done. Anywhere else (a log file, a pipe, CI): one
line when the work ends, "embedding examples: 25522/25522 in 49.8 s", instead of a carriage-return
stream (nested tqdm bars made a 55 KB training log). Chats never get a bar: their model loading
turns library bars off (`quiet_libraries`).
"""
from __future__ import annotations

import sys
import time
from typing import IO, Any


class LineProgress:
    """tqdm's `update` / `close` / context-manager surface, printing one line at close."""

    def __init__(self, total: int, desc: str, file: IO[str]):
        self.total, self.desc, self.file = total, desc, file
        self.n = 0
        self._t0 = time.perf_counter()
        self._closed = False

    def update(self, n: int = 1) -> None:
        self.n += n

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        print(f"{self.desc}: {self.n}/{self.total} in {time.perf_counter() - self._t0:.1f} s", file=self.file,
              flush=True)

    def __enter__(self) -> "LineProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class NoProgress:
    """Progress turned off: counts, prints nothing."""

    def __init__(self, total: int = 0) -> None:
        self.total, self.n = total, 0

    def update(self, n: int = 1) -> None:
        self.n += n

    def close(self) -> None:
        pass

    def __enter__(self) -> "NoProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def progress(total: int, desc: str, enabled: bool = True, file: IO[str] | None = None, position: int = 0) -> Any:
    """A bar on a terminal, one closing line elsewhere, nothing when not `enabled`."""
    if not enabled:
        return NoProgress(total)
    out = file or sys.stderr
    if _is_tty(out):
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, leave=False, file=out, position=position)
    return LineProgress(total, desc, out)


def _is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def quiet_libraries() -> None:
    """Turn off the progress bars transformers and huggingface_hub draw while loading weights (a tenth of
    a second for our models, and they landed in the middle of the terminal chat). Call before loading."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
