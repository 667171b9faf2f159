"""Load benchmark of the shoptalk service on loopback (bounded in count and time).

    .venv/bin/python bench/load_bench.py                       # starts its own servers: SQLite x1, Redis x2, x4
    .venv/bin/python bench/load_bench.py --url http://127.0.0.1:8000 --api-key KEY   # an already running server

Prints, per configuration: p50/p99 turn latency over HTTP and turns/s for C concurrent conversations
x T scripted turns; the Redis/SQLite throughput ratio; turn 1 vs turn 1,000 of one conversation;
and the in-process scripted turn p50/p99.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KEY = "bench-key"
SCRIPT = ['/return_items{"order_id": "#W2378156"}', '/inform{"auth_method": "email"}', "/start_over",
          "/order_status", "/cancel"]


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    def __init__(self, tracker_url: str, workers: int, store: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=str(ROOT), SHOPTALK_PROJECT_DIR=str(ROOT), SHOPTALK_TRACKER_URL=tracker_url,
                   SHOPTALK_STORE_PATH=str(store), SHOPTALK_API_KEYS=f"bench:{KEY}", SHOPTALK_RATE_LIMIT_PER_MINUTE="0",
                   SHOPTALK_GENERATOR="off", SHOPTALK_LOG_LEVEL="warning", SHOPTALK_LOCK_WAIT_SECONDS="60")
        if workers > 1:
            env["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="bench-metrics-")
        self.proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "service.app:app_from_env", "--factory",
                                      "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
                                      "--no-access-log", "--log-level", "warning"], env=env, cwd=str(ROOT),
                                     start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    # every worker must be up: a few more probes
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.3)
        time.sleep(1.0 if workers > 1 else 0)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


async def load(url: str, conversations: int, turns: int, max_seconds: float, key: str = KEY) -> dict:
    headers = {"X-API-Key": key}
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + max_seconds
    limits = httpx.Limits(max_connections=conversations, max_keepalive_connections=conversations)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as client:
        cids = await asyncio.gather(*[client.post("/v1/conversations") for _ in range(conversations)])
        cids = [r.json()["conversation_id"] for r in cids]

        async def one(cid):
            nonlocal errors
            for n in range(turns):
                if time.monotonic() > deadline:
                    return
                t0 = time.perf_counter()
                r = await client.post(f"/v1/conversations/{cid}/messages", json={"text": SCRIPT[n % len(SCRIPT)]})
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*[one(c) for c in cids])
        elapsed = time.perf_counter() - started
    return {"turns": len(latencies), "errors": errors, "seconds": elapsed, "turns_per_s": len(latencies) / elapsed,
            "p50_ms": pct(latencies, 50) * 1000, "p99_ms": pct(latencies, 99) * 1000}


def long_conversation(url: str, turns: int = 1000, key: str = KEY) -> dict:
    lat = []
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=30) as c:
        cid = c.post("/v1/conversations").json()["conversation_id"]
        for n in range(turns):
            t0 = time.perf_counter()
            r = c.post(f"/v1/conversations/{cid}/messages", json={"text": SCRIPT[n % len(SCRIPT)]})
            lat.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
    return {"turn_1_ms": lat[0] * 1000, "turns_1_20_median_ms": statistics.median(lat[:20]) * 1000,
            "turns_981_1000_median_ms": statistics.median(lat[-20:]) * 1000, f"turn_{turns}_ms": lat[-1] * 1000}


def in_process(turns: int = 2000) -> dict:
    from engine import Engine

    store = Path(tempfile.mkdtemp(prefix="bench-inproc-")) / "store.db"
    engine = Engine.load(ROOT, store_path=str(store), generator=None)
    conv = engine.new_conversation()
    for text in SCRIPT * 4:  # warm up
        conv.send(text)
    lat = []
    for n in range(turns):
        t0 = time.perf_counter()
        conv.send(SCRIPT[n % len(SCRIPT)])
        lat.append(time.perf_counter() - t0)
    return {"turns": turns, "p50_ms": pct(lat, 50) * 1000, "p99_ms": pct(lat, 99) * 1000}


def show(name, r):
    print(f"{name:<22} " + "  ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items()),
          flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="bench this running server instead of starting servers")
    ap.add_argument("--api-key", default=KEY)
    ap.add_argument("--conversations", type=int, default=100)
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--max-seconds", type=float, default=60, help="time bound per configuration")
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    ap.add_argument("--workers", default="2,4", help="Redis worker counts")
    ap.add_argument("--long-turns", type=int, default=1000)
    args = ap.parse_args(argv)

    print(f"# {args.conversations} conversations x {args.turns} scripted turns, {os.cpu_count()} cores", flush=True)
    if args.url:
        show("server", asyncio.run(load(args.url, args.conversations, args.turns, args.max_seconds, args.api_key)))
        show("turn 1 vs 1000", long_conversation(args.url, args.long_turns, args.api_key))
        return 0
    show("in-process", in_process())
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    results = {}
    srv = Served(f"sqlite:///{tmp}/tracker.db", 1, tmp / "store.db")
    try:
        results["sqlite x1"] = asyncio.run(load(srv.url, args.conversations, args.turns, args.max_seconds))
        show("sqlite x1", results["sqlite x1"])
        show("sqlite turn 1 vs 1000", long_conversation(srv.url, args.long_turns))
    finally:
        srv.stop()
    for workers in [int(w) for w in args.workers.split(",") if w]:
        srv = Served(args.redis_url, workers, tmp / "store.db")
        try:
            name = f"redis x{workers}"
            results[name] = asyncio.run(load(srv.url, args.conversations, args.turns, args.max_seconds))
            show(name, results[name])
            if workers == 2:
                show("redis turn 1 vs 1000", long_conversation(srv.url, args.long_turns))
        finally:
            srv.stop()
    base = results["sqlite x1"]["turns_per_s"]
    for name, r in results.items():
        if name.startswith("redis"):
            print(f"ratio {name} / sqlite x1 throughput: {r['turns_per_s'] / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
