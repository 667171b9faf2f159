"""Open answers end to end through the service: a POSTed message to its reply, and the first streamed token.

    flock /tmp/shoptalk-cpu.lock env HF_HUB_OFFLINE=1 .venv/bin/python bench/answer_latency.py \
        --json bench/results/answer_latency-DATE.json

Starts `uvicorn service.app:app_from_env` with the generator as configured (models/generator_settings.yaml),
waits until `/readyz` is 200 (it reports the generator's background load: the time to ready is printed),
then asks each question of bench/data/gen_questions.yaml in a new conversation, twice: once through
`POST /v1/conversations/{id}/messages` (the whole reply) and once through `.../messages/stream` (time to
the first `token` event). Only turns answered by the generator path (a `generated` event in the turn) count
towards the open-answer percentiles; the others (routed into a flow) are counted and listed.

Targets (issue 15): p50 <= 1.5 s, p95 <= 3 s, first streamed token <= 0.3 s, on 2 cores.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from machine import machine  # noqa: E402
from report import write_json  # noqa: E402

KEY = "latency-bench-key"
HEADERS = {"X-API-Key": KEY}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): with 46 questions p95 is the 44th slowest."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


class Service:
    """The real service in a subprocess, on a copy of the seed store, with an in-memory tracker."""

    def __init__(self, env_extra: dict[str, str]):
        self.tmp = Path(tempfile.mkdtemp(prefix="answer-latency-"))
        store = self.tmp / "store.sqlite"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, PYTHONPATH=str(ROOT), SHOPTALK_PROJECT_DIR=str(ROOT), SHOPTALK_STORE_PATH=str(store),
                   SHOPTALK_API_KEYS=f"bench:{KEY}", SHOPTALK_RATE_LIMIT_PER_MINUTE="0", SHOPTALK_LOG_LEVEL="warning",
                   SHOPTALK_GENERATOR="auto", SHOPTALK_ANALYTICS="0", HF_HUB_OFFLINE="1", **env_extra)
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "service.app:app_from_env", "--factory",
                                      "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log",
                                      "--log-level", "warning"], env=env, cwd=str(ROOT), start_new_session=True)
        self.listening_s = self.ready_s = None
        self.components: dict = {}
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                r = httpx.get(self.url + "/readyz", timeout=2)
                if self.listening_s is None:
                    self.listening_s = time.monotonic() - self.t0
                body = r.json()
                self.components = body.get("components") or body.get("error", {}).get("details", {})
                if r.status_code == 200:
                    self.ready_s = time.monotonic() - self.t0
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.close()
        raise SystemExit(f"service not ready: {self.components}")

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        shutil.rmtree(self.tmp, ignore_errors=True)


def ask(client: httpx.Client, url: str, text: str) -> tuple[float, dict]:
    cid = client.post(f"{url}/v1/conversations", headers=HEADERS).json()["conversation_id"]
    t = time.perf_counter()
    r = client.post(f"{url}/v1/conversations/{cid}/messages", json={"text": text}, headers=HEADERS)
    elapsed = time.perf_counter() - t
    r.raise_for_status()
    return elapsed, r.json()


def ask_streamed(client: httpx.Client, url: str, text: str) -> tuple[float | None, float, bool]:
    """(first token s or None, whole stream s, answered by the generator)."""
    cid = client.post(f"{url}/v1/conversations", headers=HEADERS).json()["conversation_id"]
    t = time.perf_counter()
    first, event, generated = None, None, False
    with client.stream("POST", f"{url}/v1/conversations/{cid}/messages/stream", json={"text": text},
                       headers=HEADERS) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
                if event == "token" and first is None:
                    first = time.perf_counter() - t
            elif line.startswith("data: ") and event == "turn":
                generated = is_generated(json.loads(line[6:]))
    return first, time.perf_counter() - t, generated


def is_generated(turn: dict) -> bool:
    return any(e.get("type") == "generated" for e in turn.get("events") or [])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", default=str(ROOT / "bench/data/gen_questions.yaml"))
    ap.add_argument("--set", action="append", default=[], metavar="ENV=VALUE",
                    help="extra environment for the service, e.g. SHOPTALK_GENERATOR_DECODER=transformers")
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    questions = [q["q"] for q in yaml.safe_load(Path(args.questions).read_text())["questions"]]
    extra = dict(item.split("=", 1) for item in args.set)
    report = {"bench": "answer_latency", "machine": machine(("engine", "service", "models", "bench")),
              "argv": argv if argv is not None else sys.argv[1:], "service_env": extra}
    print(f"load average at start {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {len(questions)} questions")
    svc = Service(extra)
    try:
        print(f"service listening after {svc.listening_s:.1f} s, ready (generator loaded) after {svc.ready_s:.1f} s: "
              f"generator {svc.components.get('generator')!r}")
        post, first, other = [], [], []
        with httpx.Client(timeout=60) as client:
            ask(client, svc.url, "hi")  # the web server's first request is not an open answer
            for q in questions:
                elapsed, turn = ask(client, svc.url, q)
                (post if is_generated(turn) else other).append(elapsed)
                if not is_generated(turn):
                    print(f"  not an open answer ({(turn.get('route') or {}).get('label')}): {q}")
                tok, _total, generated = ask_streamed(client, svc.url, q)
                if generated and tok is not None:
                    first.append(tok)
    finally:
        svc.close()
    if not post:
        raise SystemExit("no question was answered by the generator")
    res = {"service_ready_s": svc.ready_s, "service_listening_s": svc.listening_s,
           "generator_component": svc.components.get("generator"), "open_answers": len(post),
           "routed_elsewhere": len(other), "p50_s": statistics.median(post), "p95_s": percentile(post, 95),
           "max_s": max(post), "first_token_p50_s": statistics.median(first) if first else None,
           "first_token_p95_s": percentile(first, 95) if first else None, "streamed_with_tokens": len(first),
           "loadavg_end": os.getloadavg()[0], "post_s": post, "first_token_s": first}
    report["result"] = res
    print(f"open answers through the service: {len(post)} (other routes {len(other)})")
    print(f"  reply p50 {res['p50_s']:.2f} s, p95 {res['p95_s']:.2f} s, max {res['max_s']:.2f} s (targets 1.5 / 3 s)")
    if first:
        print(f"  first streamed token p50 {res['first_token_p50_s']:.3f} s, p95 {res['first_token_p95_s']:.3f} s "
              f"over {len(first)} streamed answers (target 0.3 s)")
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    if args.json:
        write_json(args.json, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
