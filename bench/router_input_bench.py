"""Routing time of odd and oversized input, against an ordinary message.

    flock /tmp/shoptalk-cpu.lock env HF_HUB_OFFLINE=1 .venv/bin/python bench/router_input_bench.py

tests/test_router.py checks that the classifier reads at most MAX_CHARS characters of a message (what keeps
100 KB cheap) and that odd input falls back; it no longer bounds the time, because a shared machine makes
any bound either flaky or meaningless. The time is here: the median of `--repeats` routes per input with
the project's router (models/router/, sentence embeddings included when it was trained with them), and its
ratio to an ordinary message.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from engine.router import RouteContext, load_router  # noqa: E402

INPUTS = {
    "ordinary message": "i want to return the lamp and get a refund",
    "empty": "",
    "whitespace": "   \n\t",
    "100 KB of x": "x" * 100_000,
    "100 KB of words": "word " * 20_000,
    "100 KB of a real request": "i want to return the lamp and get a refund " * 2500,
    "emoji": "😀🎉🔥",
    "Cyrillic": "Где мой заказ?",
    "Chinese": "我的订单在哪里",
    "control characters": "\x00\x01",
    "Arabic": "مرحبا",
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", default=str(ROOT))
    ap.add_argument("--repeats", type=int, default=21)
    args = ap.parse_args(argv)
    router = load_router(Path(args.project), progress=False)
    ctx = RouteContext(expecting_slot="order_id", expecting_type="order_id", active_flow="order_status")
    router.route("warm up the model")
    base = None
    print(f"median of {args.repeats} routes; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for name, text in INPUTS.items():
        for label, c in (("", None), (" (expecting order_id)", ctx)):
            times = []
            for _ in range(args.repeats):
                t = time.perf_counter()
                r = router.route(text, c)
                times.append(time.perf_counter() - t)
            med = statistics.median(times) * 1000
            base = med if base is None else base
            print(f"  {name + label:<44} {med:8.2f} ms  x{med / base:5.1f}  -> {r.label} ({r.decided_by})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
