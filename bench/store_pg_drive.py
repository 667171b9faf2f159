"""Scripted drives (../shared/tools/tau_drive.py) on SQLite and on PostgreSQL: the same tasks must pass.

The store backend must change nothing about what the assistant does. For each task set this runs
tau_drive twice at the current commit -- on a fresh SQLite file (the baseline), then with TAU_DB
pointing at a fresh, migrated PostgreSQL database of its own (dropped at the end) -- and records
both summaries, the indexes of the passed tasks and whether they are the same set.

    cd <project root> && flock /tmp/shoptalk-cpu.lock .venv/bin/python bench/store_pg_drive.py \
        [--train 100] [--out bench/results/store_pg_drive_<date>.json]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from machine import machine  # noqa: E402
from race_bench import own_postgres  # noqa: E402
from store_http_drive import TASKS, drive  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=100, help="the first N tasks of tasks_train.json")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / f"store_pg_drive_{dt.date.today()}.json"))
    args = parser.parse_args()
    result = {"what": "tau_drive on SQLite (baseline) and on PostgreSQL (TAU_DB=postgresql://...)",
              "command": f"flock /tmp/shoptalk-cpu.lock .venv/bin/python bench/store_pg_drive.py --train {args.train}",
              "machine": machine(), "runs": []}
    pg_url, drop = own_postgres()
    try:
        with tempfile.TemporaryDirectory(prefix="store_pg_drive_") as tmp:
            for tasks, limit in ((TASKS / "tasks_dev.json", None), (TASKS / "tasks_train.json", args.train)):
                run = {"tasks_file": tasks.name, "tasks": limit or "all"}
                run["sqlite"] = drive(tasks, limit, str(Path(tmp) / f"{tasks.stem}.sqlite"), dict(os.environ),
                                      Path(tmp) / f"{tasks.stem}-sqlite.json")
                run["postgresql"] = drive(tasks, limit, pg_url, dict(os.environ), Path(tmp) / f"{tasks.stem}-pg.json")
                run["same_tasks_passed"] = run["sqlite"]["passed"] == run["postgresql"]["passed"]
                print(f"{tasks.name}: sqlite {len(run['sqlite']['passed'])} passed, postgresql "
                      f"{len(run['postgresql']['passed'])} passed, same tasks: {run['same_tasks_passed']}", flush=True)
                result["runs"].append(run)
    finally:
        drop()
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if all(r["same_tasks_passed"] for r in result["runs"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
