"""What analytics cost a turn: the load bench's button mix (bench/load_bench.py) on two SQLite x1 servers,
one with analytics off and one with them on while a dashboard reads /v1/analytics/summary every second (so
the derivation runs during the load), rounds interleaved so the machine's load hits both alike.

    flock /tmp/shoptalk-cpu.lock .venv/bin/python bench/analytics_cost.py --json bench/results/analytics_cost.json

Target: p50 overhead <= 1 ms: the median over `--repeats` rounds of (p50 on - p50 off), each round running
both servers back to back in alternating order, so a change in the shared machine's load hits both.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_bench import KEY, Served, load  # noqa: E402
from machine import machine  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conversations", type=int, default=10, help="concurrent conversations (few: the p50 is the "
                    "turn's own time more than queueing behind other turns)")
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--max-seconds", type=float, default=60)
    ap.add_argument("--json", help="write the figures, the commit and the machine here")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-analytics-"))
    servers = {mode: Served(f"sqlite:///{tmp}/tracker-{mode}.db", 1, tmp / f"store-{mode}.db", analytics=mode == "on")
               for mode in ("off", "on")}
    runs: dict[str, list[dict]] = {"off": [], "on": []}
    try:
        for srv in servers.values():
            asyncio.run(load(srv.url, 20, 7, 30, KEY, "raw"))  # warm up
        for round_ in range(args.repeats):
            for mode in (("off", "on") if round_ % 2 == 0 else ("on", "off")):
                r = asyncio.run(load(servers[mode].url, args.conversations, args.turns, args.max_seconds, KEY, "raw"))
                runs[mode].append(r)
                print(f"round {round_ + 1} analytics={mode}: p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
                      f"{r['turns_per_s']:.1f} turns/s, errors {r['errors']}", flush=True)
        import httpx

        summary = httpx.get(servers["on"].url + "/v1/analytics/summary", headers={"X-API-Key": KEY}, timeout=60).json()
    finally:
        for srv in servers.values():
            srv.stop()
    med = {mode: {k: statistics.median(r[k] for r in rs) for k in ("p50_ms", "p99_ms", "turns_per_s")}
           for mode, rs in runs.items()}
    # each round runs both servers back to back: the median of the paired differences is the overhead
    overhead = statistics.median(on["p50_ms"] - off["p50_ms"] for on, off in zip(runs["on"], runs["off"]))
    print(f"analytics off: p50 {med['off']['p50_ms']:.2f} ms   on: p50 {med['on']['p50_ms']:.2f} ms   "
          f"overhead (median of paired rounds) {overhead:+.2f} ms (target <= 1 ms); analysed turns on the 'on' "
          f"server: {summary['turns']}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"bench": "analytics_cost", "machine": machine(), "args": vars(args),
                                               "medians": med, "p50_overhead_ms": overhead, "runs": runs,
                                               "analysed_turns": summary["turns"]}, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0 if overhead <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
