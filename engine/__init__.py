"""shoptalk: a hybrid intent-router dialogue engine for online shops.

`from engine import Engine` gives the Python API; importing it loads no model (torch and spaCy
are imported only when a trained router or the generator is actually used).
"""
from __future__ import annotations

from typing import Any

__all__ = ["Engine", "Conversation", "Turn"]


def __getattr__(name: str) -> Any:
    if name in ("Engine", "Conversation"):
        from . import engine as _engine

        return getattr(_engine, name)
    if name == "Turn":
        from .contracts import Turn

        return Turn
    raise AttributeError(name)
