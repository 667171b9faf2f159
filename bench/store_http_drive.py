"""Scripted drives (../shared/tools/tau_drive.py) on SQLite and through the HTTP reference server.

The HTTP store must change nothing about what the assistant does: the same tasks must pass. For each
task set this runs tau_drive twice at the current commit -- once on a fresh SQLite file, once with
TAU_DB pointing at `shoptalk store serve-http` (over its own fresh SQLite file) -- and records both
summaries, the indexes of the passed tasks and whether they are the same set.

    cd <project root> && flock /tmp/shoptalk-cpu.lock .venv/bin/python bench/store_http_drive.py \
        [--train 100] [--out bench/results/store_http_<date>.json]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT.parent / "shared" / "tools"
TASKS = ROOT.parent / "shared" / "data" / "tau_retail"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def drive(tasks: Path, limit: int | None, db: str, env: dict[str, str], out: Path) -> dict:
    args = [sys.executable, str(TOOLS / "tau_drive.py"), str(tasks)] + ([str(limit)] if limit else [])
    env = {**env, "TAU_DB": db, "TAU_OUT": str(out), "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    data = json.loads(out.read_text())
    return {"summary": data["summary"], "passed": sorted(t["index"] for t in data["tasks"] if t["pass"]),
            "wall_seconds": round(time.monotonic() - started, 1)}


def serve(db: Path, token: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "SHOPTALK_STORE_TOKEN": token}
    proc = subprocess.Popen([sys.executable, "-m", "engine.cli", "store", "serve-http", "--db", str(db),
                             "--port", str(port), "--allow-reset"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"serve-http did not start (exit {proc.returncode})")
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=100, help="the first N tasks of tasks_train.json")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / f"store_http_{dt.date.today()}.json"))
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    token = secrets.token_urlsafe(16)
    runs = []
    with tempfile.TemporaryDirectory(prefix="store_http_drive_") as tmp:
        for tasks, limit in ((TASKS / "tasks_dev.json", None), (TASKS / "tasks_train.json", args.train)):
            run = {"tasks_file": tasks.name, "tasks": limit or "all"}
            run["sqlite"] = drive(tasks, limit, str(Path(tmp) / f"{tasks.stem}.sqlite"), dict(os.environ),
                                  Path(tmp) / f"{tasks.stem}-sqlite.json")
            proc, url = serve(Path(tmp) / f"{tasks.stem}-served.sqlite", token)
            try:
                run["http"] = drive(tasks, limit, url, {**os.environ, "SHOPTALK_STORE_TOKEN": token},
                                    Path(tmp) / f"{tasks.stem}-http.json")
            finally:
                proc.terminate()
                proc.wait(30)
            run["same_tasks_passed"] = run["sqlite"]["passed"] == run["http"]["passed"]
            print(f"{tasks.name}: sqlite {len(run['sqlite']['passed'])} passed, http {len(run['http']['passed'])}"
                  f" passed, same tasks: {run['same_tasks_passed']}", flush=True)
            runs.append(run)
    result = {"what": "tau_drive on SQLite and through the HTTP reference server (shoptalk store serve-http)",
              "command": "flock /tmp/shoptalk-cpu.lock .venv/bin/python bench/store_http_drive.py "
                         f"--train {args.train}",
              "commit": commit, "machine": {"cpu": platform.processor() or platform.machine(),
                                            "cores": os.cpu_count()},
              "runs": runs}
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0 if all(r["same_tasks_passed"] for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
