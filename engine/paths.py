"""How files are named in messages to designers: relative to the project when they lie inside it."""
from __future__ import annotations

from pathlib import Path


def display_path(path: str | Path, root: Path | None) -> str:
    """`path` relative to `root` when it lies inside it (both resolved, so "./flows" and an absolute path
    agree), else as given: "flows/returns.yaml:12" reads better than a machine's absolute path."""
    if root is None:
        return str(path)
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)
