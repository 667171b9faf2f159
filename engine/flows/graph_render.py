"""Turn DOT text into SVG or PNG with Graphviz's `dot`, shared by `shoptalk graph` and the service."""
from __future__ import annotations

import shutil
import subprocess
from typing import Literal

ImageFormat = Literal["svg", "png"]
TIMEOUT_SECONDS = 30


class GraphvizMissing(RuntimeError):
    """`dot` is not on PATH: the message names the Debian package and the text-only alternative."""

    def __init__(self) -> None:
        super().__init__("Graphviz's `dot` program is not on PATH, so SVG/PNG cannot be drawn; install the Debian "
                         "package `graphviz` (apt-get install graphviz, or `make system-deps`), or use "
                         "--format mermaid (or dot), which need nothing")


class GraphvizFailed(RuntimeError):
    """`dot` ran but refused the input or timed out; carries its own error text."""


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def render(dot_text: str, fmt: ImageFormat) -> bytes:
    """Run `dot -T<fmt>`; raises GraphvizMissing or GraphvizFailed, never returns partial output."""
    binary = shutil.which("dot")
    if binary is None:
        raise GraphvizMissing()
    try:
        done = subprocess.run([binary, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GraphvizFailed(f"dot took longer than {TIMEOUT_SECONDS} s") from exc
    if done.returncode != 0:
        raise GraphvizFailed(f"dot failed ({done.returncode}): {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout
