"""Mid-task replies: does the engine take what a shopper says to an open question the way a person
would? Runs bench/data/midtask_replies.yaml (written blind; see its README) through
`Conversation.send` with the trained router, and prints the share right, the wrong values given
where a clarifying question was expected, and both per kind and per flow.

    .venv/bin/python bench/midtask_bench.py [--router auto|rules] [--only ID,ID] [--out FILE] [--show N]

Right means: the asked slot holds exactly the expected value (addresses compared case- and
space-insensitively), or, for "clarify", the slot is still empty and the same slot is asked again;
at a confirmation, "yes" writes, "no" writes nothing and keeps or stops the request, a correction
sets the named slots, "clarify" writes nothing and changes nothing.
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import Engine  # noqa: E402
from engine.store import SqliteStore  # noqa: E402

DATA = ROOT / "bench" / "data" / "midtask_replies.yaml"


def _norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: " ".join(str(v).lower().replace(",", " ").split()) for k, v in value.items() if v not in (None, "")}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, list) and not isinstance(got, list):
        got = [got]
    return _norm(got) == _norm(want)


def judge(case: dict, before: Any, turn, slots_before: dict) -> tuple[str, str]:
    """(verdict, detail): verdict is right | wrong | wrong_value_for_clarify | setup."""
    asking, want = case["asking"], case["expect"]
    wrote = [a for a in turn.actions if a.write and a.ok]
    if asking == "confirmation":
        if want == "yes":
            return ("right" if wrote else "wrong"), f"writes={[a.name for a in wrote]} said={turn.text[:160]!r}"
        if want == "no":
            ok = not wrote and (not turn.flow_stack or (turn.expecting is not None and turn.expecting.slot == "confirmation"))
            return ("right" if ok else "wrong"), f"said={turn.text[:160]!r}"
        if want == "clarify":
            changed = {k: v for k, v in turn.slots.items() if slots_before.get(k) != v}
            ok = not wrote and not changed and bool(turn.flow_stack)
            return ("right" if ok else ("wrong_value_for_clarify" if changed or wrote else "wrong")), \
                f"changed={changed} said={turn.text[:160]!r}"
        bad = {k: turn.slots.get(k) for k, v in want.items() if not _same(turn.slots.get(k), v)}
        return ("wrong" if bad or wrote else "right"), f"got={bad} said={turn.text[:160]!r}"
    got = turn.slots.get(asking)
    if want == "clarify":
        if got is not None and got != slots_before.get(asking):
            return "wrong_value_for_clarify", f"set {asking}={got!r} said={turn.text[:160]!r}"
        asked = turn.expecting is not None and turn.expecting.slot == asking
        return ("right" if asked else "wrong"), f"expecting={turn.expecting.slot if turn.expecting else None} " \
                                                 f"said={turn.text[:160]!r}"
    return ("right" if _same(got, want) else "wrong"), f"got={got!r} said={turn.text[:160]!r}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--router", default="auto")
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default="")
    ap.add_argument("--show", type=int, default=15, help="print this many failures")
    args = ap.parse_args()
    cases = yaml.safe_load(DATA.read_text())
    if args.only:
        keep = set(args.only.split(","))
        cases = [c for c in cases if c["id"] in keep]
    tmp = Path(tempfile.mkdtemp(prefix="midtask-"))
    seeded = tmp / "seed.sqlite"
    SqliteStore(seeded).close()
    base = Engine.load(ROOT, store_path=tmp / "base.sqlite", router=args.router, generator=None)
    results, times = [], []
    for n, case in enumerate(cases):
        path = tmp / f"c{n}.sqlite"
        shutil.copyfile(seeded, path)
        store = SqliteStore(path)
        engine = Engine(base.flows, store, base.router, base.extractor, None, base.project_dir)
        conv = engine.new_conversation()
        turn = None
        for msg in case["setup"]:
            turn = conv.send(msg)
        asked = turn.expecting.slot if turn is not None and turn.expecting else None
        if asked != case["asking"]:
            results.append((case, "setup", f"setup ended asking {asked!r}: {turn.text[:160] if turn else ''!r}"))
        else:
            slots_before = dict(turn.slots)
            t0 = time.perf_counter()
            reply = conv.send(str(case["reply"]))
            times.append(time.perf_counter() - t0)
            verdict, detail = judge(case, None, reply, slots_before)
            results.append((case, verdict, f"{detail} route={reply.route.label}/{reply.route.decided_by}"))
        store.close()
        path.unlink()
    shutil.rmtree(tmp, ignore_errors=True)
    return report(results, times, args)


def report(results: list, times: list, args) -> int:
    scored = [r for r in results if r[1] != "setup"]
    right = sum(r[1] == "right" for r in scored)
    clar = [r for r in scored if r[0]["expect"] == "clarify"]
    wrong_clar = sum(r[1] == "wrong_value_for_clarify" for r in clar)
    by_kind, by_flow = defaultdict(Counter), defaultdict(Counter)
    for case, verdict, _ in scored:
        by_kind[case["kind"]][verdict == "right"] += 1
        by_flow[case["setup"][0].lstrip("/")][verdict == "right"] += 1
    times.sort()
    summary = {
        "cases": len(results), "scored": len(scored), "setup_failures": len(results) - len(scored),
        "right": right, "right_pct": round(100 * right / max(1, len(scored)), 2),
        "clarify_cases": len(clar), "wrong_value_where_clarify_expected": wrong_clar,
        "p50_ms": round(1000 * times[len(times) // 2], 1) if times else None,
        "p95_ms": round(1000 * times[int(len(times) * 0.95)], 1) if times else None,
        "by_kind": {k: f"{c[True]}/{c[True] + c[False]}" for k, c in sorted(by_kind.items())},
        "by_flow": {k: f"{c[True]}/{c[True] + c[False]}" for k, c in sorted(by_flow.items())},
    }
    print(json.dumps(summary, indent=1))
    print("target: right >= 97%, wrong values where clarify was expected = 0")
    for case, verdict, detail in [r for r in results if r[1] != "right"][:args.show]:
        print(f"  {verdict:24} {case['id']:18} {case['reply']!r} expect={case['expect']!r}\n      {detail}")
    if args.out:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=ROOT).stdout.strip()
        Path(args.out).write_text(json.dumps({
            "commit": commit.stdout.strip() + ("+dirty" if dirty else ""), "machine": _machine(),
            "summary": summary,
            "failures": [{"id": c["id"], "verdict": v, "detail": d} for c, v, d in results if v != "right"],
        }, indent=1) + "\n")
    return 0


def _machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    import os
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}


if __name__ == "__main__":
    raise SystemExit(main())
