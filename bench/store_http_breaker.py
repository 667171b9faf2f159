"""How long a shopper waits for an answer when the HTTP store's backend is dead (medians).

Two dead backends: a refused connection (nothing listens on the port) and a black hole (a socket
that accepts connections and never answers, so every attempt waits for its timeout). For each,
the message that needs the store (the email at sign-in) is timed through `Conversation.send`, on
a fresh store (breaker closed: the first turn that meets the dead backend) and again once the
breaker is open (every later turn). The turn must fail with the shopper sentence either way.

    .venv/bin/python bench/store_http_breaker.py [--repeats 15] [--out bench/results/store_http_breaker_<date>.json]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

from engine import Engine
from engine.store import StoreUnavailable
from engine.store.http_store import HttpStore, HttpStoreSettings

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "omar.silva4147@example.com"


def refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


class BlackHole:
    """Accepts connections, reads nothing, answers nothing."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                return


def timed_turn(engine: Engine) -> float:
    conv = engine.new_conversation()
    conv.send("/authenticate")
    conv.send('/inform{"auth_method": "email"}')
    started = time.perf_counter()
    try:
        conv.send(EMAIL)
    except StoreUnavailable as exc:
        assert "can't reach the shop's order system" in exc.message, exc.message
        return time.perf_counter() - started
    raise AssertionError("the turn did not fail against a dead backend")


def measure(base: Engine, url: str, settings: HttpStoreSettings, repeats: int) -> dict:
    first, later = [], []
    for _ in range(repeats):
        with HttpStore(url, settings) as store:
            engine = base.replace(store=store)
            first.append(timed_turn(engine))
            later.append(timed_turn(engine))
            assert store.breaker.state == "open"
    return {"first_turn_median_s": round(statistics.median(first), 4), "first_turn_max_s": round(max(first), 4),
            "open_breaker_turn_median_s": round(statistics.median(later), 4),
            "open_breaker_turn_max_s": round(max(later), 4), "repeats": repeats}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / f"store_http_breaker_{dt.date.today()}.json"))
    args = parser.parse_args()
    settings = HttpStoreSettings(token="bench")  # the defaults a deployment gets
    base = Engine.load(ROOT, store=HttpStore(refused_url(), settings), router="rules", generator=None)
    hole = BlackHole()
    results = {"connection_refused": measure(base, refused_url(), settings, args.repeats),
               "black_hole": measure(base, hole.url, settings, max(3, args.repeats // 5))}
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    out = {"what": "seconds from Conversation.send to the shopper sentence with a dead HTTP store backend",
           "command": f".venv/bin/python bench/store_http_breaker.py --repeats {args.repeats}",
           "commit": commit, "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count()},
           "settings": settings.model_dump(exclude={"token"}), "results": results}
    print(json.dumps(out, indent=1))
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
