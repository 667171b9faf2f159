"""`python -m engine.router.background --project DIR`: the full router's training process that
`StartingRouter` (quick_start.py) starts. Not imported by the package, so `-m` runs it cleanly."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def train_full(project_dir: Path) -> int:
    """The background process: train the full router unless another process already did (file lock)."""
    from engine.router import _usable, load_router

    t0 = time.perf_counter()
    d, _ = _usable(Path(project_dir), None)
    if d is not None:
        print("the full router is up to date", flush=True)
        return 0
    load_router(Path(project_dir), progress=True, warm=False)  # one line per stage: the log is not a terminal
    print(f"full router ready in {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Train the full router in the background (see start_router).")
    p.add_argument("--project", default=".")
    return train_full(Path(p.parse_args(argv).project))


if __name__ == "__main__":
    sys.exit(main())
