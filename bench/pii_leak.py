"""Does any seed customer's personal data reach the logs? Drive the real service and count.

    flock /tmp/shoptalk-cpu.lock .venv/bin/python bench/pii_leak.py [--conversations 1000] [--router rules]

Generates conversations from the store seed (bench/pii_scenarios.py: sign-in by email, by name and
zip, by button payload; zips, addresses, phone and card numbers typed in passing; order questions;
button clicks), sends every message through the FastAPI app (`create_app`, the same code path
`shoptalk serve` runs: JSON, streaming and Rasa channels) with the root logger at DEBUG, captures
every record an operator's handler would print, and counts the seed PII values in those lines:
user ids, emails, first, last and full names, street lines, suites, cities, zips, payment method ids
of all 500 customers and the 1,000 orders' addresses, plus each customer's synthetic phone and card
number in any spacing. Prints the counts and examples of leaks; writes them to
bench/results/pii_leak.json with the commit and the machine. Target: 0 leaks.

The capture handler is added AFTER the app installs its redaction, and has no filter of its own:
what it sees is what a handler from an operator's logging config would see.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from pii_scenarios import CLICK, Persona, Seed, script  # noqa: E402

_WORD = re.compile(r"[A-Za-z0-9]+")
_SEPARATED_DIGITS = re.compile(r"(?<=\d)[\s().\-]+(?=\d)")
_LABEL = re.compile(r"\[(name|user_id|address|city|zip|email|payment_id|phone|card_number|message|pii)\]")
_BENCH_KEY = "pii-leak-bench"  # the Rasa channel is integrator-only
_CASED = ("name", "city")  # matched in their seed spelling across customers (a colour "brown" is no leak)


class LeakFinder:
    """Every seed PII value, looked up by word n-grams (names and cities in seed case, the rest in
    any case) and by digit runs with separators removed (phones, cards)."""

    def __init__(self, seed: Seed):
        self.cased: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        self.digits: dict[str, str] = {}
        for p in seed.personas:
            for kind, value in _values(p):
                self._add(kind, value)
        for order in seed.orders.values():
            a = order["address"]
            for kind, value in (("address", a["address1"]), ("address", a["address2"]), ("city", a["city"]),
                                ("zip", a["zip"]), ("user_id", order["user_id"])):
                self._add(kind, value)
            for payment in order.get("payment_history") or ():
                self._add("payment_id", payment["payment_method_id"])

    def _add(self, kind: str, value: str) -> None:
        if not value:
            return
        if kind in ("phone", "card"):
            self.digits[value] = kind
        elif kind in _CASED:
            self.cased[" ".join(_WORD.findall(value))] = kind
        else:
            self.folded[" ".join(_WORD.findall(value)).lower()] = kind

    def find(self, line: str, own: Persona | None = None) -> list[tuple[str, str]]:
        """(kind, value) for every seed value in `line`; `own`'s names count in any case."""
        own_names = {" ".join(_WORD.findall(v)).lower(): k for k, v in _values(own) if k in _CASED} if own else {}
        words = _WORD.findall(line)
        found = []
        for n in range(1, 6):
            for i in range(len(words) - n + 1):
                gram = " ".join(words[i:i + n])
                low = gram.lower()
                kind = self.folded.get(low) or self.cased.get(gram) or own_names.get(low)
                if kind:
                    found.append((kind, gram))
        for run in re.findall(r"\d+", _SEPARATED_DIGITS.sub("", line)):  # adjacent numbers merge: scan windows
            for size in (10, 15, 16):
                for i in range(len(run) - size + 1):
                    if run[i:i + size] in self.digits:
                        found.append((self.digits[run[i:i + size]], run[i:i + size]))
        return _outermost(found)


def _values(p: Persona) -> list[tuple[str, str]]:
    a = p.address
    return [("user_id", p.user_id), ("email", p.email), ("name", p.first), ("name", p.last),
            ("name", f"{p.first} {p.last}"), ("address", a["address1"]), ("address", a["address2"]),
            ("city", a["city"]), ("zip", a["zip"]), ("phone", p.phone), ("card", p.card),
            *(("payment_id", pid) for pid in p.payment_ids)]


def _outermost(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """"Yusuf Rossi" is one leak, not three (the full name, the first and the last)."""
    values = [v for _, v in found]
    return [(k, v) for k, v in found if not any(v != o and f" {v} " in f" {o} " for o in values)]


class Capture(logging.Handler):
    """What an operator's handler prints, tagged with the conversation being driven."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        self.lines: list[tuple[int, str]] = []
        self.conversation = -1

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((self.conversation, self.format(record)))


@dataclass
class Report:
    conversations: int = 0
    turns: int = 0
    http_errors: int = 0
    signed_in: int = 0
    channels: Counter = field(default_factory=Counter)
    log_lines: int = 0
    turn_lines: int = 0
    leaks: int = 0
    leaking_lines: int = 0
    leaks_by_kind: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    examples: list[dict] = field(default_factory=list)


def _send(client, channel: str, conv: dict, text: str) -> dict | None:
    if channel == "rasa":
        r = client.post("/webhooks/rest/webhook", json={"sender": conv["sender"], "message": text},
                        headers={"X-API-Key": _BENCH_KEY})
        return {"messages": [{"buttons": m.get("buttons") or []} for m in r.json()]} if r.status_code == 200 else None
    path = f"/v1/conversations/{conv['conversation_id']}/messages" + ("/stream" if channel == "stream" else "")
    r = client.post(path, json={"text": text}, headers={"Authorization": f"Bearer {conv['token']}"})
    if r.status_code != 200:
        return None
    if channel != "stream":
        return r.json()
    events = re.findall(r"event: (\w+)\ndata: (.*)\n", r.text)
    return next((json.loads(d) for k, d in events if k == "turn"), None)


def drive(client, persona: Persona, steps: list, rng: random.Random, channel: str, report: Report) -> None:
    conv = {"sender": persona.email}
    if channel != "rasa":
        conv = client.post("/v1/conversations").json()
    last, signed_in = None, False
    for step in steps:
        if step is CLICK:
            buttons = [b for m in (last or {}).get("messages", []) for b in m.get("buttons") or []]
            if not buttons:
                continue
            step = rng.choice(buttons)["payload"]
        last = _send(client, channel, conv, step)
        report.turns += 1
        if last is None:
            report.http_errors += 1
        elif (last.get("slots") or {}).get("user_id"):
            signed_in = True
    report.signed_in += signed_in
    report.channels[channel] += 1


def run(conversations: int = 1000, seed: int = 19, engine=None, router: str = "rules",
        examples: int = 10) -> Report:
    """Drive `conversations` scripted shoppers through the service and count PII in its logs."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    data = Seed.load()
    finder, rng, report = LeakFinder(data), random.Random(seed), Report()
    tmp = Path(tempfile.mkdtemp(prefix="shoptalk-pii-"))
    if engine is None:
        from engine import Engine

        engine = Engine.load(ROOT, store_path=str(tmp / "store.db"), router=router, generator=None)
    settings = Settings(project_dir=str(ROOT), store_path=str(tmp / "store.db"), generator="off",
                        tracker_url=f"sqlite:///{tmp / 'tracker.db'}", log_level="debug", redact_logs=True,
                        rate_limit_per_minute=0, shopper_rate_limit_per_minute=0, api_keys=[f"bench:{_BENCH_KEY}"])
    root, capture, owners = logging.getLogger(), Capture(), {}
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        app = create_app(settings, engine=engine)
        root.addHandler(capture)  # after the app installed its filters: no redaction of its own
        with TestClient(app) as client:
            for i in range(conversations):
                persona = owners[i] = rng.choice(data.personas)
                channel = rng.choices(["api", "stream", "rasa"], weights=[8, 1, 1])[0]
                capture.conversation = i
                drive(client, persona, script(persona, data, rng), rng, channel, report)
                report.conversations += 1
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
    for conv_index, line in capture.lines:
        report.log_lines += 1
        report.turn_lines += " DEBUG shoptalk.service turn " in line
        report.labels.update(_LABEL.findall(line))
        leaks = finder.find(line, owners.get(conv_index))
        if leaks:
            report.leaks += len(leaks)
            report.leaking_lines += 1
            report.leaks_by_kind.update(k for k, _ in leaks)
            if len(report.examples) < examples:
                report.examples.append({"conversation": conv_index, "values": leaks, "line": line[:600]})
    return report


def machine() -> dict:
    """The commit and the machine the figures come from."""
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "service", "bench/pii_leak.py",
                            "bench/pii_scenarios.py"], capture_output=True, text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown")
    return {"commit": commit, "uncommitted_changes_in_measured_code": bool(dirty), "nproc": os.cpu_count(),
            "cpu_model": cpu, "python": sys.version.split()[0], "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--conversations", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--router", choices=["rules", "auto"], default="rules",
                    help="rules: keyword router (no model); auto: the trained router and spaCy, as served")
    ap.add_argument("--examples", type=int, default=10)
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "pii_leak.json"))
    args = ap.parse_args(argv)
    logging.getLogger("shoptalk").propagate = True
    started = time.perf_counter()
    report = run(args.conversations, args.seed, router=args.router, examples=args.examples)
    seconds = time.perf_counter() - started
    print(f"conversations {report.conversations} ({dict(report.channels)}), turns {report.turns}, "
          f"http errors {report.http_errors}, signed in {report.signed_in}")
    print(f"log lines {report.log_lines} (turn debug lines {report.turn_lines}); "
          f"redaction labels {dict(report.labels.most_common())}")
    print(f"leaks {report.leaks} in {report.leaking_lines} lines {dict(report.leaks_by_kind)}  ({seconds:.1f} s)")
    for ex in report.examples:
        print(f"  conversation {ex['conversation']}: {ex['values']}\n    {ex['line']}")
    out = {"bench": "pii_leak", "machine": machine(), "args": vars(args), "seconds": round(seconds, 1),
           **{k: (dict(v) if isinstance(v, Counter) else v) for k, v in vars(report).items()}}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    print(f"-> {args.json}")
    return 0 if report.leaks == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
