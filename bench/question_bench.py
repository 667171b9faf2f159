"""Question or request: is a first message about a task's rules answered (not started), a request
started, and a message holding both answered and started? Runs bench/data/task_questions_blind.yaml
(written blind: {text, expect: question|request|both, task: <flow id>}) through the real engine, one
fresh conversation per message as the service does, and prints the figures and every miss verbatim.

    .venv/bin/python bench/question_bench.py [--router auto|rules] [--generator retrieval|auto] [--out FILE]

- question: answered = no flow started AND the reply offers the task's button;
- request: the task's flow started, or sign-in started for it (the task waits under it);
- both: an answer (a message not from a flow) AND the task started.
`--generator retrieval` (default) answers with the retriever's quoted passages and no language model:
what the message *does* is decided before the generator runs, and the button comes from the route.
`--generator auto` loads the configured model (seconds per answer on 2 cores).
Target: >= 95% of questions answered.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import machine  # noqa: E402
from engine import Engine  # noqa: E402
from engine.contracts import Turn  # noqa: E402

DATA = ROOT / "bench" / "data" / "task_questions_blind.yaml"
TARGET = 95.0


def _offers(turn: Turn, payload: str) -> bool:
    return any(b.payload == payload for m in turn.messages for b in m.buttons)


def _started(turn: Turn, task: str) -> bool:
    """The task is on the stack (sign-in on top of it counts: it waits for the shopper to sign in), or it
    started and finished within the turn (a handoff is done in one step)."""
    return task in turn.flow_stack or any(e.get("type") == "flow_started" and e.get("flow") == task for e in turn.events)


def _answered(turn: Turn) -> bool:
    return any(m.source != "flow" for m in turn.messages)


def judge(case: dict, turn: Turn, payload: str) -> tuple[bool, str]:
    """(right, what happened) for one message."""
    tasks = [f for f in turn.flow_stack if not f.startswith("pattern_")] + \
        [e["flow"] for e in turn.events if e.get("type") == "flow_started" and e.get("flow") not in turn.flow_stack
         and not str(e.get("flow")).startswith("pattern_")]
    buttons = [b.title for m in turn.messages for b in m.buttons]
    seen = f"flows={tasks} buttons={buttons}"
    if case["expect"] == "question":
        return (not tasks and _offers(turn, payload)), seen
    if case["expect"] == "request":
        return _started(turn, case["task"]), seen
    return (_answered(turn) and _started(turn, case["task"])), seen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--router", default="auto")
    ap.add_argument("--generator", default="retrieval", choices=("retrieval", "auto"))
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    cases = yaml.safe_load(Path(args.data).read_text())
    tmp = Path(tempfile.mkdtemp(prefix="question-bench-"))
    if args.generator == "retrieval":
        from engine.generator import load_answerer

        answerer: Any = load_answerer(ROOT, load_generator=False)
    else:
        answerer = "auto"
    engine = Engine.load(ROOT, store_path=tmp / "store.sqlite", router=args.router, generator=answerer)
    payloads = {f["id"]: f["payload"] for f in engine.flow_catalog()}
    rows, times = [], []
    for n, case in enumerate(cases):
        if case["task"] not in payloads:
            raise SystemExit(f"{args.data}: case {n + 1}: unknown task {case['task']!r}")
        conv = engine.new_conversation()  # fresh, as the service starts one per shopper
        t0 = time.perf_counter()
        turn = conv.send(str(case["text"]))
        times.append(time.perf_counter() - t0)
        right, seen = judge(case, turn, payloads[case["task"]])
        r = turn.route
        rows.append({"text": case["text"], "expect": case["expect"], "task": case["task"], "right": right,
                     "seen": seen, "route": f"{r.label}/{r.decided_by}" if r else None,
                     "reason": r.reason if r else None, "reply": turn.text[:200]})
    return report(rows, times, args)


def report(rows: list[dict], times: list[float], args) -> int:
    by_kind: dict[str, Counter] = {}
    for row in rows:
        by_kind.setdefault(row["expect"], Counter())[row["right"]] += 1
    pct = {k: round(100 * c[True] / max(1, c[True] + c[False]), 2) for k, c in by_kind.items()}
    times.sort()
    summary = {
        "cases": len(rows), "right": sum(r["right"] for r in rows),
        "by_expect": {k: f"{c[True]}/{c[True] + c[False]}" for k, c in sorted(by_kind.items())},
        "questions_answered_pct": pct.get("question"), "requests_started_pct": pct.get("request"),
        "both_pct": pct.get("both"), "generator": args.generator, "router": args.router,
        "p50_ms": round(1000 * times[len(times) // 2], 1) if times else None,
        "p95_ms": round(1000 * times[int(len(times) * 0.95)], 1) if times else None,
    }
    print(json.dumps(summary, indent=1))
    print(f"target: questions answered, not started >= {TARGET}%")
    for row in rows:
        if not row["right"]:
            print(f"  MISS {row['expect']:8} {row['task']:22} {row['text']!r}\n"
                  f"       route={row['route']} {row['seen']}\n       reason={row['reason']}")
    if args.out:
        data = Path(args.data).resolve()
        data_name = str(data.relative_to(ROOT)) if data.is_relative_to(ROOT) else str(data)
        Path(args.out).write_text(json.dumps({"machine": machine(), "data": data_name, "summary": summary,
                                              "misses": [r for r in rows if not r["right"]]}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
