"""Extraction and routing on long and adversarial inputs: what an attacker's message costs.

    flock /tmp/shoptalk-cpu.lock .venv/bin/python bench/extract_bench.py [--repeats 5] [--json PATH]

Why: routing "x" * 100000 with a slot expected took 25.6 s (the context rules' email regex was retried
from every character), "order" + 4000 spaces took minutes in the rule extractor, and the unit test
that should have caught it only asserted "< 30 s". This bench times every entry point on inputs built
to make a backtracking regex blow up, and prints medians (ms per call) and ratios:

  rules path   what one message costs the keyword engine, given the input as a client sends it:
               RuleRouter.route with a slot expected + CombinedExtractor([RuleExtractor]).extract
               (both read the first MAX_TEXT = 4000 characters, as Conversation.send does)
  context      the trained router's context rules (engine.router.context.with_context) on the raw input
  trained      a trained Router.route with a slot expected (TF-IDF, trained here from the small test
               intents into a temporary folder: the input handling and context rules are the real ones)
  direct 10k / direct 100k
               RuleExtractor.extract called directly (it reads up to 200 000 characters); the ratio
               100k/10k is ~10 when time is linear in the input and ~100 when it is quadratic

Targets, checked and printed: the worst adversarial input on the rules path <= 50 ms per call, and
the direct extractor's 100k/10k ratio <= 20 for every input. Exit status 1 if a target is missed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.contracts import Route  # noqa: E402
from engine.router.context import with_context  # noqa: E402
from engine.slots.entities import ExtractContext  # noqa: E402
from engine.slots.extract import RuleExtractor  # noqa: E402
from engine.understand import CombinedExtractor, RouteContext, RuleRouter  # noqa: E402

TARGET_MS = 50.0  # worst adversarial input, rules path, per call
TARGET_SCALING = 20.0  # direct extractor, time(100k) / time(10k); linear ~10, quadratic ~100
NORMAL = "hi, I'd like to return the keyboard from order #W2378156, my email is yusuf.rossi7301@example.com"
CTX = RouteContext(expecting_slot="order_id", expecting_type="order_id", active_flow="return_items")


def _run(unit: str, head: str = "", tail: str = ""):
    """An input of about n characters: `head`, then `unit` repeated, then `tail`."""
    return lambda n: head + unit * max(1, (n - len(head) - len(tail)) // len(unit)) + tail


# name -> builder(n). Each targets a pattern shape that backtracks when written carelessly.
ADVERSARIAL = {
    "x": _run("x"),
    "@": _run("@"),
    "a.": _run("a."),
    "digits": _run("1"),
    "digits+commas": _run("1,", tail="x"),
    "x@x.": _run("x@x."),
    "order+spaces": _run(" ", head="order", tail="x"),
    "address+spaces": _run(" ", head="1 main st", tail="x"),
    "city+spaces": _run(" ", head="1 main st, a", tail="x"),
    "size+spaces": _run(" ", head="size", tail="x"),
    "no+spaces": _run(" ", head="no", tail="x"),
    "ending in+spaces": _run(" ", head="ending in", tail="x"),
    "yes+dots": _run(".", head="yes", tail="x"),
    "stars": _run("*", tail="x"),
    "cancel words": _run("cancel "),
    "address words": _run("address "),
    "ordinals": _run("first ", head="!!! "),
    "mixed unicode": _run("é🙂你好ⅷ٣\u200b Ä "),
    "surrogates": _run("\ud800x "),
    "sentence x N": _run(NORMAL + " "),
}


def _median_ms(fn, text: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(text)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _trained_router(tmp: Path):
    """A Router trained TF-IDF-only from tests/fixtures/intents_small (a few seconds)."""
    from engine.router import load_router

    shutil.copytree(ROOT / "tests" / "fixtures" / "intents_small", tmp / "intents")
    (tmp / "models").mkdir()
    (tmp / "models" / "router_settings.yaml").write_text("embeddings: false\n")
    return load_router(tmp, progress=False, embeddings=False)


def _machine() -> dict:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    measured = ["engine/understand.py", "engine/router/context.py", "engine/slots", "engine/nlu"]
    return {"commit": git("rev-parse", "HEAD"), "uncommitted_changes_in_measured_code": bool(git("status", "--porcelain", "--", *measured)),
            "nproc": os.cpu_count(), "cpu_model": cpu, "python": platform.python_version(),
            "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--size", type=int, default=100_000, help="characters of each adversarial input")
    ap.add_argument("--json", type=Path, help="write the figures here (e.g. bench/results/extract_bench.json)")
    args = ap.parse_args()

    rx = RuleExtractor.from_seed()
    combined, rules = CombinedExtractor([rx]), RuleRouter()
    ectx = ExtractContext(expecting_slot="order_id", expecting_type="order_id")
    classifier_route = Route(label="fallback", confidence=0.3, decided_by="classifier")
    with tempfile.TemporaryDirectory() as tmp:
        trained = _trained_router(Path(tmp))
    paths = {
        "rules path": lambda t: (rules.route(t, CTX), combined.extract(t, ectx)),
        "context": lambda t: with_context(t, classifier_route, CTX, 0.5),
        "trained": lambda t: trained.route(t, CTX),
        "direct 10k": lambda t: rx.extract(t[:10_000], ectx),
        "direct 100k": lambda t: rx.extract(t, ectx),
    }
    inputs = {"normal sentence": NORMAL, **{k: b(args.size) for k, b in ADVERSARIAL.items()}}
    for fn in paths.values():  # warm caches and lazy builds
        fn(NORMAL)

    results: dict[str, dict[str, float]] = {}
    print(f"ms per call, median of {args.repeats}; adversarial inputs are {args.size:,} characters")
    print(f"{'input':18}" + "".join(f"{p:>13}" for p in paths) + f"{'100k/10k':>10}")
    for name, text in inputs.items():
        row = {p: round(_median_ms(fn, text, args.repeats), 3) for p, fn in paths.items()}
        row["scaling"] = round(row["direct 100k"] / max(row["direct 10k"], 1e-3), 1) if name != "normal sentence" else None
        results[name] = row
        print(f"{name:18}" + "".join(f"{row[p]:13.2f}" for p in paths) + f"{row['scaling'] or 0:10.1f}", flush=True)

    adversarial = {k: v for k, v in results.items() if k != "normal sentence"}
    normal_ms = results["normal sentence"]["rules path"]
    worst_name = max(adversarial, key=lambda k: adversarial[k]["rules path"])
    worst_ms = adversarial[worst_name]["rules path"]
    worst_scaling = max(adversarial, key=lambda k: adversarial[k]["scaling"])
    summary = {
        "rules_path_normal_ms": normal_ms, "rules_path_worst_input": worst_name, "rules_path_worst_ms": worst_ms,
        "rules_path_worst_over_normal": round(worst_ms / max(normal_ms, 1e-3), 1),
        "trained_worst_ms": max(v["trained"] for v in adversarial.values()),
        "context_worst_ms": max(v["context"] for v in adversarial.values()),
        "direct_100k_worst_ms": max(v["direct 100k"] for v in adversarial.values()),
        "direct_worst_scaling_input": worst_scaling, "direct_worst_scaling": adversarial[worst_scaling]["scaling"],
        "target_rules_path_ms": TARGET_MS, "target_scaling": TARGET_SCALING,
    }
    summary["pass"] = worst_ms <= TARGET_MS and summary["direct_worst_scaling"] <= TARGET_SCALING
    print(f"\nrules path: normal sentence {normal_ms:.2f} ms, worst adversarial '{worst_name}' {worst_ms:.2f} ms "
          f"= {summary['rules_path_worst_over_normal']}x normal; target <= {TARGET_MS:.0f} ms: "
          f"{'met' if worst_ms <= TARGET_MS else 'MISSED'}")
    print(f"direct extractor: worst 100k/10k ratio '{worst_scaling}' {summary['direct_worst_scaling']}x "
          f"(linear ~10); target <= {TARGET_SCALING:.0f}: "
          f"{'met' if summary['direct_worst_scaling'] <= TARGET_SCALING else 'MISSED'}")
    print(f"trained router with a slot expected: worst {summary['trained_worst_ms']:.2f} ms; "
          f"context rules alone: worst {summary['context_worst_ms']:.2f} ms")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"bench": "extract_bench", "machine": _machine(),
                                         "args": {"repeats": args.repeats, "size": args.size},
                                         "summary": summary, "ms_per_call": results}, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0 if summary["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
