"""Load benchmark of the shoptalk service on loopback (bounded in count and time).

    .venv/bin/python bench/load_bench.py                  # SQLite x1, Redis x2 and x4, raw client, 3 repeats each
    .venv/bin/python bench/load_bench.py --client httpx   # the same scenario driven by httpx.AsyncClient
    .venv/bin/python bench/load_bench.py --url http://127.0.0.1:8000 --api-key KEY   # a running server
    .venv/bin/python bench/load_bench.py --configs redis:2 --stores sqlite,postgresql   # store backends compared
    flock /tmp/shoptalk-cpu.lock .venv/bin/python bench/load_bench.py --json bench/results/load_bench.json

Button mix (the figure compared across sessions; driven exactly as before): C concurrent conversations
(default 100), each sending T scripted turns (default 20) one after the other on its own keep-alive
connection. The turns are real engine turns: a return that signs in by email and collects items and refund
method, is cancelled at the confirmation and started again (button payloads, no free text, so the router's
model and the generator stay out). After each run every conversation is read back: all T turns stored, in
order, none lost.

Free-text mix (`--free-text-conversations`, 0 skips it): what a shopper types, on its own server with the
generator on (SQLite x1 by default, `--free-text-config`): a return asked for in words (the router's
model), sign-in by name and zip (spaCy reads the person's name), items named in words, "never mind", and
open questions answered by the generator. Each answer's origin is counted from the turn (`source` of its
messages): generator wording, or a quoted passage (the answer's check, deadline or lock wait replaced it).

Counting: turns/s counts successful turns only (HTTP 200); failed turns (errors, timeouts, lost
connections) are reported separately as `errors`, and `attempted_per_s` is the old figure, failures
included. p50/p99 are over successful turns. Printed per configuration: those, CPU per turn of the server,
Redis and the load generator; the Redis/SQLite ratio; turn 1 vs turn 1,000 of one conversation; the
in-process engine turn. The default client (bench/rawhttp.py) writes requests by hand (~0.1 ms of CPU per
turn): httpx.AsyncClient, even with one client per conversation, spends ~2.5 ms of CPU per turn, more than
the server, on the same 2 cores (`--client httpx` shows it). `--json FILE` writes every figure with the
commit and the machine (nproc, CPU model).

Store backends (`--stores`, comma-separated): `sqlite` (a file per bench, the default), `postgresql` (a
database of its own on 127.0.0.1:5432, migrated, dropped at the end) or a postgresql://... URL. With more
than one, each configuration starts one server per store and the repeats are interleaved (one run on
each store in turn, `repeats` times) so a change in the machine's load hits every store alike; the
figures are the medians per store, and `ratio <config> <store> / sqlite` compares the throughputs.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from free_text_mix import EXPECTED_SLOTS as FREE_EXPECTED, free_turn, turn_kind  # noqa: E402
from machine import machine  # noqa: E402
from rawhttp import RawConnection  # noqa: E402

KEY = "bench-key"
RETURN = '/return_items{"order_id": "#W2378156"}'
SIGN_IN = [RETURN, '/inform{"auth_method": "email"}', '/inform{"email": "yusuf.rossi7301@example.com"}']
CYCLE = ['/inform{"return_item_ids": "4202497723"}', '/inform{"refund_method": "credit_card_9513926"}', "/cancel",
         RETURN]
# what the engine asks for after each of the first turns: proof that the turns run the flows
EXPECTED_SLOTS = ["auth_method", "email", "return_item_ids", "refund_method", "confirmation", None, "return_item_ids"]


def script_turn(n: int) -> str:
    return SIGN_IN[n] if n < len(SIGN_IN) else CYCLE[(n - len(SIGN_IN)) % len(CYCLE)]


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids) -> float:
    """utime + stime of these processes (from /proc), in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def redis_cpu(url: str | None) -> float:
    if not url:
        return 0.0
    import redis

    info = redis.Redis.from_url(url).info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


class Served:
    def __init__(self, tracker_url: str, workers: int, store: Path | str, generator: str = "off",
                 analytics: bool = True):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.redis_url = tracker_url if tracker_url.startswith("redis") else None
        env = dict(os.environ, PYTHONPATH=str(ROOT), SHOPTALK_PROJECT_DIR=str(ROOT), SHOPTALK_TRACKER_URL=tracker_url,
                   SHOPTALK_STORE_PATH=str(store), SHOPTALK_API_KEYS=f"bench:{KEY}", SHOPTALK_RATE_LIMIT_PER_MINUTE="0",
                   SHOPTALK_GENERATOR=generator, SHOPTALK_LOG_LEVEL="warning", SHOPTALK_LOCK_WAIT_SECONDS="60",
                   SHOPTALK_ANALYTICS="1" if analytics else "0", SHOPTALK_ANALYTICS_REFRESH_SECONDS="1")
        if workers > 1:
            env["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="bench-metrics-")
        self.proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "service.app:app_from_env", "--factory",
                                      "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
                                      "--no-access-log", "--log-level", "warning",
                                      # keep-alive past httpx's slowest gaps (uvicorn's default is 5 s)
                                      "--timeout-keep-alive", "75"], env=env, cwd=str(ROOT),
                                     start_new_session=True)
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(self.url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.3)
        self._dashboard = threading.Event()
        if analytics:  # a dashboard open during the run: the summary (and so the derivation) once a second
            threading.Thread(target=self._poll_summary, daemon=True).start()

    def _poll_summary(self):
        while not self._dashboard.wait(1.0):
            try:
                httpx.get(self.url + "/v1/analytics/summary", headers={"X-API-Key": KEY}, timeout=30)
            except httpx.HTTPError:
                pass

    def pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-g", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def stop(self):
        self._dashboard.set()
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


class HttpxConnection:
    """The same calls as RawConnection, through httpx.AsyncClient: one client (one keep-alive
    connection) per conversation, as a shop's backend session would hold it. One shared client with a
    100-connection pool spends ~8 ms of CPU per request in httpcore's pool bookkeeping."""

    def __init__(self, url: str, headers: dict[str, str]):
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        self.client = httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60)

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        r = await self.client.request(method, path, json=body)
        return r.status_code, r.content

    async def aclose(self):
        await self.client.aclose()


async def load(url: str, conversations: int, turns: int, max_seconds: float, key: str = KEY,
               client: str = "raw", free_text: bool = False) -> dict:
    """One run. The button mix (free_text=False) sends `script_turn`; the free-text mix `free_turn`, and every
    reply of it is parsed to count how it was answered."""
    host, port = url.split("//", 1)[1].split(":")
    headers = {"X-API-Key": key}
    if client == "httpx":
        conns = [HttpxConnection(url, headers) for _ in range(conversations)]
    else:
        conns = await asyncio.gather(*[RawConnection(host, int(port), headers).open() for _ in range(conversations)])
    latencies: list[float] = []  # successful turns only
    errors = attempted = 0
    first: list[dict] = []
    kinds: dict[str, list[float]] = {}  # free text: how each turn was answered -> its latencies
    first_free: list[dict] = []
    try:
        created = await asyncio.gather(*[c.request("POST", "/v1/conversations", {}) for c in conns])
        cids = [json.loads(body)["conversation_id"] for _, body in created]
        deadline = time.monotonic() + max_seconds

        async def one(i, conn, cid):
            nonlocal errors, attempted
            for n in range(turns):
                if time.monotonic() > deadline:
                    return
                t0 = time.perf_counter()
                try:
                    status, body = await conn.request("POST", f"/v1/conversations/{cid}/messages",
                                                      {"text": free_turn(n, i) if free_text else script_turn(n)})
                except (OSError, asyncio.IncompleteReadError, httpx.HTTPError):
                    status, body = 0, b""  # counted as an error; the turn may still have been stored
                took = time.perf_counter() - t0
                attempted += 1
                if status != 200:
                    errors += 1
                    continue
                latencies.append(took)
                if free_text:
                    turn = json.loads(body)
                    kinds.setdefault(turn_kind(turn), []).append(took)
                    if i == 0:
                        first_free.append(turn)
                elif i == 0:
                    first.append(json.loads(body))

        started = time.perf_counter()
        await asyncio.gather(*[one(i, c, cid) for i, (c, cid) in enumerate(zip(conns, cids))])
        elapsed = time.perf_counter() - started
        stored = await asyncio.gather(*[c.request("GET", f"/v1/conversations/{cid}?limit={turns}")
                                        for c, cid in zip(conns, cids)])
    finally:
        for c in conns:
            if isinstance(c, HttpxConnection):
                await c.aclose()
            else:
                c.close()
    lost = 0
    for i, (status, body) in enumerate(stored):
        transcript = json.loads(body)["transcript"] if status == 200 else []
        sent = [free_turn(n, i) if free_text else script_turn(n) for n in range(turns)]
        if [t["user"] for t in transcript] != sent:
            lost += 1
    if free_text:
        slots = [(t.get("expecting") or {}).get("slot") for t in first_free[:len(FREE_EXPECTED)]]
        if slots != FREE_EXPECTED[:len(slots)]:
            raise AssertionError(f"the free-text turns did not run the flow: {slots}")
    else:
        slots = [(t.get("expecting") or {}).get("slot") for t in first[:len(EXPECTED_SLOTS)]]
        if slots != EXPECTED_SLOTS[:len(slots)]:
            raise AssertionError(f"the scripted turns did not run the flow: {slots}")
    out = {"turns": attempted, "ok_turns": len(latencies), "errors": errors, "bad_conversations": lost,
           "seconds": elapsed, "turns_per_s": len(latencies) / elapsed, "attempted_per_s": attempted / elapsed,
           "p50_ms": pct(latencies, 50) * 1000, "p99_ms": pct(latencies, 99) * 1000}
    for kind, lat in sorted(kinds.items()):
        out[f"{kind}_turns"] = len(lat)
        out[f"{kind}_p50_ms"] = pct(lat, 50) * 1000
    return out


async def long_conversation(url: str, turns: int = 1000, key: str = KEY) -> dict:
    """One conversation, turns one after the other: turn 1 vs turn 1,000 (same script as the load)."""
    host, port = url.split("//", 1)[1].split(":")
    conn = await RawConnection(host, int(port), {"X-API-Key": key}).open()
    try:
        cid = json.loads((await conn.request("POST", "/v1/conversations", {}))[1])["conversation_id"]
        lat = []
        for n in range(turns):
            t0 = time.perf_counter()
            status, body = await conn.request("POST", f"/v1/conversations/{cid}/messages", {"text": script_turn(n)})
            lat.append(time.perf_counter() - t0)
            assert status == 200, body
    finally:
        conn.close()
    ms = [x * 1000 for x in lat]
    out = {"turn_1_ms": ms[0]}
    # the snapshot is bounded (recent events and transcript are capped), so it stops growing after
    # ~100 turns: compare windows before and after the cap with the last one
    for start in sorted({1, 101, turns // 2 + 1, turns - 19}):
        if start + 19 <= turns:
            out[f"turns_{start}_{start + 19}_median_ms"] = statistics.median(ms[start - 1:start + 19])
    out[f"turn_{turns}_ms"] = ms[-1]
    return out


def in_process(turns: int = 2000) -> dict:
    from engine import Engine

    store = Path(tempfile.mkdtemp(prefix="bench-inproc-")) / "store.db"
    engine = Engine.load(ROOT, store_path=str(store), generator=None)
    lat = []
    conv = None
    for n in range(turns + 40):
        if n % 20 == 0:
            conv = engine.new_conversation()
        t0 = time.perf_counter()
        conv.send(script_turn(n % 20))
        if n >= 40:  # warm-up
            lat.append(time.perf_counter() - t0)
    return {"turns": turns, "p50_ms": pct(lat, 50) * 1000, "p99_ms": pct(lat, 99) * 1000}


def measured(srv: Served | None, url: str, args, key: str = KEY, free_text: bool = False,
             repeats: int | None = None) -> dict:
    """`repeats` runs; the median of each figure, plus CPU per turn of server, Redis and this process."""
    runs = []
    conversations, turns, max_seconds = ((args.free_text_conversations, args.free_text_turns,
                                          args.free_text_max_seconds) if free_text else
                                         (args.conversations, args.turns, args.max_seconds))
    for _ in range(repeats or args.repeats):
        pids = srv.pids() if srv else []
        s0, r0, g0 = cpu_seconds(pids), redis_cpu(srv.redis_url if srv else None), resource.getrusage(resource.RUSAGE_SELF)
        r = asyncio.run(load(url, conversations, turns, max_seconds, key, args.client, free_text))
        g1 = resource.getrusage(resource.RUSAGE_SELF)
        n = max(1, r["ok_turns"])  # CPU per successful turn
        if srv:
            r["server_cpu_ms_per_turn"] = (cpu_seconds(pids) - s0) * 1000 / n
            r["redis_cpu_ms_per_turn"] = (redis_cpu(srv.redis_url) - r0) * 1000 / n
        r["loadgen_cpu_ms_per_turn"] = (g1.ru_utime + g1.ru_stime - g0.ru_utime - g0.ru_stime) * 1000 / n
        show("  run", r)
        runs.append(r)
    return medians(runs)


def medians(runs: list[dict]) -> dict:
    """Floats: the median over the runs; counts: their sum."""
    keys = list(dict.fromkeys(k for r in runs for k in r))  # a turn kind may be missing from one run
    return {k: statistics.median(r[k] for r in runs if k in r) if isinstance(next(r[k] for r in runs if k in r), float)
            else sum(r.get(k, 0) for r in runs) for k in keys}


def show(name, r):
    print(f"{name:<24} " + "  ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items()),
          flush=True)


def bench_stores(results: dict, name: str, tracker: str, workers: int, stores: dict, args) -> None:
    """One server per store, all warmed up; `repeats` rounds of one run on each store in turn."""
    servers = {}
    try:
        for store, where in stores.items():
            servers[store] = srv = Served(tracker, workers, where)
            asyncio.run(load(srv.url, 20, 7, 30, KEY, "raw"))  # warm every worker up (imports, caches)
        runs: dict[str, list[dict]] = {store: [] for store in stores}
        for round_ in range(args.repeats):
            for store, srv in servers.items():
                print(f"# round {round_ + 1}: {name} store={store}", flush=True)
                runs[store].append(measured(srv, srv.url, args, repeats=1))
    finally:
        for srv in servers.values():
            srv.stop()
    for store in stores:
        results[f"{name} store={store}"] = r = medians(runs[store])
        r["turns_per_s_runs"] = [run["turns_per_s"] for run in runs[store]]
        show(f"{name} store={store}", r)
    base = results.get(f"{name} store=sqlite", {}).get("turns_per_s")
    for store in stores:
        if store != "sqlite" and base:
            results[f"ratio {name} {store} / sqlite"] = ratio = results[f"{name} store={store}"]["turns_per_s"] / base
            print(f"ratio {name} {store} / sqlite throughput: {ratio:.2f}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="bench this running server instead of starting servers")
    ap.add_argument("--api-key", default=KEY)
    ap.add_argument("--conversations", type=int, default=100)
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw")
    ap.add_argument("--max-seconds", type=float, default=60, help="time bound per run")
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    ap.add_argument("--configs", default="sqlite:1,redis:2,redis:4", help="tracker:workers, comma-separated")
    ap.add_argument("--stores", default="sqlite", help="store backends, comma-separated: sqlite, postgresql "
                                                      "(a database of its own) or a postgresql:// URL")
    ap.add_argument("--long-turns", type=int, default=1000, help="turn 1 vs this turn (0: skip)")
    ap.add_argument("--no-in-process", action="store_true")
    ap.add_argument("--free-text-conversations", type=int, default=8, help="free-text mix (0: skip it)")
    ap.add_argument("--free-text-turns", type=int, default=12)
    ap.add_argument("--free-text-max-seconds", type=float, default=180, help="time bound per free-text run")
    ap.add_argument("--free-text-config", default="sqlite:1", help="tracker:workers of the free-text mix's server")
    ap.add_argument("--analytics", choices=("on", "off"), default="on", help="the servers' analytics (on: a "
                    "dashboard also reads /v1/analytics/summary every second); bench/analytics_cost.py compares both")
    ap.add_argument("--json", help="also write every figure, the commit and the machine to this file")
    args = ap.parse_args(argv)
    report = {"bench": "load_bench", "machine": machine(), "argv": argv if argv is not None else sys.argv[1:],
              "results": {}}

    def save():
        if args.json:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            report["loadavg_end"] = os.getloadavg()[0]
            Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
            print(f"wrote {args.json}")

    print(f"# {args.conversations} conversations x {args.turns} scripted turns, client={args.client}, "
          f"{args.repeats} repeats (medians), {os.cpu_count()} cores", flush=True)
    if args.url:
        show("server", measured(None, args.url, args, args.api_key))
        if args.long_turns:
            show("turn 1 vs later", asyncio.run(long_conversation(args.url, args.long_turns, args.api_key)))
        return 0
    if not args.no_in_process:
        report["results"]["in-process engine turn"] = r = in_process()
        show("in-process engine turn", r)
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    results = report["results"]
    stores, cleanups = {}, []
    for spec in args.stores.split(","):
        if spec == "postgresql":
            from race_bench import own_postgres

            url, drop = own_postgres()
            stores[spec] = url
            cleanups.append(drop)
        elif spec == "sqlite":
            stores[spec] = tmp / "store.db"
        else:  # a postgresql:// URL, migrated beforehand (shoptalk store migrate)
            stores[spec.split("://")[0]] = spec
    try:
        for config in args.configs.split(","):
            kind, workers = config.split(":")
            tracker = f"sqlite:///{tmp}/tracker-{workers}.db" if kind == "sqlite" else args.redis_url
            if len(stores) > 1:
                bench_stores(results, f"{kind} x{workers}", tracker, int(workers), stores, args)
                continue
            srv = Served(tracker, int(workers), next(iter(stores.values())), analytics=args.analytics == "on")
            try:
                asyncio.run(load(srv.url, 20, 7, 30, KEY, "raw"))  # warm every worker up (imports, caches)
                name = f"{kind} x{workers}"
                results[name] = measured(srv, srv.url, args)
                show(name, results[name])
                if args.long_turns and workers in ("1", "2"):
                    results[f"{kind} x{workers} turn 1 vs later"] = r = asyncio.run(long_conversation(srv.url, args.long_turns))
                    show(f"{kind} turn 1 vs later", r)
            finally:
                srv.stop()
    finally:
        for drop in cleanups:
            drop()
    base = next((r["turns_per_s"] for name, r in results.items() if name.startswith("sqlite x")
                 and "turns_per_s" in r), None)
    for name, r in list(results.items()):
        if name.startswith("redis") and base and "turns_per_s" in r:
            results[f"ratio {name} / sqlite x1"] = ratio = r["turns_per_s"] / base
            print(f"ratio {name} / sqlite x1 throughput: {ratio:.2f}")
    if args.free_text_conversations:
        kind, workers = args.free_text_config.split(":")
        tracker = f"sqlite:///{tmp}/tracker-free.db" if kind == "sqlite" else args.redis_url
        srv = Served(tracker, int(workers), tmp / "store-free.db", generator="auto")
        try:
            asyncio.run(load(srv.url, 2, 12, 300, KEY, "raw", True))  # warm up: router, spaCy, generator loaded
            name = f"free text {kind} x{workers}"
            print(f"# {args.free_text_conversations} conversations x {args.free_text_turns} free-text turns "
                  "(router, spaCy, generator)", flush=True)
            results[name] = measured(srv, srv.url, args, free_text=True)
            show(name, results[name])
        finally:
            srv.stop()
    save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
