"""Writing a bench's figures to bench/results/: one JSON file per run, with the commit and machine inside."""
from __future__ import annotations

import json
from pathlib import Path


def write_json(path: str | Path, report: dict) -> None:
    """`report` as indented JSON at `path` (folders made); prints where it went."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {path}")
