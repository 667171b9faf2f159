"""Generator bench: load time, first-token latency after retrieval, tokens/s, peak RSS, answer quality.

    flock /tmp/shoptalk-cpu.lock env HF_HUB_OFFLINE=1 .venv/bin/python bench/gen_bench.py --runs 3

Speed: each of `--runs` fresh worker processes loads the router (`engine.router.load_router`) and the
answerer (retriever + MiniLM + generator), then measures the first-token latency after retrieval on
the real answer path and the decode rate for 64 new tokens; the parent prints medians across workers.
A fresh process per run keeps load time and peak RSS honest (no warm caches, no freed-but-counted
memory). Quality (in the parent, once): on bench/data/gen_questions.yaml, the share of answers that
contain the expected fact, answers stating a number found nowhere in the store knowledge, and how many
answers kept the model's wording vs were replaced by a quoted passage.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import yaml  # noqa: E402

from engine.generator import FlowInfo, GeneratorSettings, load_answerer  # noqa: E402
from engine.generator.grounding import numbers_in  # noqa: E402

FLOWS = [FlowInfo("order_status", "Check an order", "/order_status"),
         FlowInfo("return_items", "Return items", "/return_items"),
         FlowInfo("exchange_items", "Exchange items", "/exchange_items"),
         FlowInfo("cancel_order", "Cancel an order", "/cancel_order")]
PROBES = ["How long does a refund take?", "What can be changed on a pending order?",
          "What time zone are order times in?", "What colors does the backpack come in?"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def settings_from(args) -> GeneratorSettings:
    over = {k: v for k, v in {"threads": args.threads, "dtype": args.dtype, "top_k": args.top_k,
                              "quantize": args.quantize}.items() if v}
    return GeneratorSettings.load(args.project).model_copy(update=over)


def worker(args) -> dict:
    """One worker: router + generator loaded; returns its timings as JSON-able numbers."""
    out: dict = {}
    if not args.no_router:
        from engine.router import load_router

        t = time.perf_counter()
        router = load_router(Path(args.project))
        out["router_load_s"] = time.perf_counter() - t
        router.proba("how long does a refund take")  # a routed message first, as in service
    t = time.perf_counter()
    answerer = load_answerer(Path(args.project), settings_from(args))
    out["load_s"] = time.perf_counter() - t
    gen = answerer.generator
    out["generator_load_s"] = getattr(gen, "load_seconds", 0.0)
    firsts, prompt_tokens = [], []
    for q in PROBES:
        ans = answerer.answer(q, flows=FLOWS)
        if "first_token_s" in ans.timings:
            firsts.append(ans.timings["first_token_s"])
            prompt_tokens.append(getattr(gen, "last_prompt_tokens", 0))
    out["first_token_s"] = statistics.median(firsts) if firsts else None
    out["prompt_tokens"] = statistics.median(prompt_tokens) if prompt_tokens else None
    msgs = answerer._messages("Describe the return policy.", answerer.retriever.search("return policy", k=2))
    rates = []
    for _ in range(3):
        t = time.perf_counter()
        n = sum(1 for _ in gen.stream(msgs, max_tokens=64, deadline_s=300, stop_at_eos=False))
        # deltas can join several tokens; the embedded loop always produces exactly 64 here
        rates.append(64 / (time.perf_counter() - t) if n else 0.0)
    out["tokens_per_s"] = statistics.median(rates)
    out["peak_rss_mb"] = rss_mb()
    return out


def quality(args) -> int:
    answerer = load_answerer(Path(args.project), settings_from(args))
    qs = yaml.safe_load(Path(args.questions).read_text())["questions"]
    knowledge_numbers = set()
    for p in answerer.retriever.passages:
        knowledge_numbers |= numbers_in(p.text)
    for prod in answerer.catalogue.values():
        for v in prod["variants"].values():
            knowledge_numbers |= numbers_in(f"{v['price']:.2f} " + " ".join(map(str, v["options"].values())))
    hit = unsupported = 0
    kinds: dict[str, int] = {}
    total_s, reasons = [], {}
    for item in qs:
        t = time.perf_counter()
        ans = answerer.answer(item["q"], flows=FLOWS)
        total_s.append(time.perf_counter() - t)
        ok = any(e.lower() in ans.text.lower() for e in item["expect"])
        bad = sorted(numbers_in(ans.text) - knowledge_numbers - numbers_in(item["q"]))
        hit += ok
        unsupported += bool(bad)
        kind = "generated" if ans.source == "generator" else "replaced" if ans.replaced else ans.kind
        kinds[kind] = kinds.get(kind, 0) + 1
        if ans.replaced:
            why = ans.notes[0].split(":")[0] if ans.notes else "?"
            reasons[why] = reasons.get(why, 0) + 1
        if args.verbose or not ok or bad:
            print(f"  {'OK  ' if ok else 'MISS'} [{kind}] {item['q']}\n       -> {ans.text[:200]!r}"
                  f"{'  UNSUPPORTED ' + str(bad) if bad else ''}"
                  + (f"\n       model said {ans.generated!r} ({'; '.join(ans.notes)})" if ans.replaced else ""))
    n = len(qs)
    print(f"questions: {n}; expected fact present: {hit}/{n} = {hit / n:.1%} (target >= 90%)")
    print(f"answers stating an unsupported number: {unsupported} (target 0)")
    print("answer kinds: " + ", ".join(f"{k} {v}/{n} ({v / n:.0%})" for k, v in sorted(kinds.items())))
    if reasons:
        print("why generations were replaced: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    print(f"median answer time {statistics.median(total_s):.2f} s")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--project", default=str(ROOT))
    ap.add_argument("--runs", type=int, default=3, help="fresh worker processes for the speed figures")
    ap.add_argument("--questions", default=str(ROOT / "bench/data/gen_questions.yaml"))
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--dtype", choices=["float32", "bfloat16"], default=None)
    ap.add_argument("--top-k", type=int, default=None)
    ap.add_argument("--quantize", choices=["int8", "none"], default=None)
    ap.add_argument("--no-router", action="store_true")
    ap.add_argument("--no-quality", action="store_true")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args)))
        return 0
    s = settings_from(args)
    print(f"backend={s.backend} dtype={s.dtype} quantize={s.quantize} threads={s.threads} top_k={s.top_k} max_tokens={s.max_tokens}; "
          f"load average at start {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    passthrough = [a for a in (argv if argv is not None else sys.argv[1:]) if a not in ("-v", "--verbose", "--no-quality")]
    results = []
    for i in range(args.runs):
        proc = subprocess.run([sys.executable, __file__, "--worker", *passthrough], capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            raise SystemExit(f"worker {i + 1} failed with exit code {proc.returncode}")
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(res)
        print(f"  worker {i + 1}: " + ", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                                for k, v in res.items()))

    if not results:
        return quality(args) if not args.no_quality else 0

    def med(key):
        vals = [r[key] for r in results if r.get(key) is not None]
        return statistics.median(vals) if vals else float("nan")

    print(f"medians over {args.runs} workers (router {'not ' if args.no_router else ''}loaded):")
    print(f"  load (retriever + MiniLM + generator): {med('load_s'):.2f} s (generator alone {med('generator_load_s'):.2f} s)")
    print(f"  first token after retrieval: {med('first_token_s'):.3f} s (prompt {med('prompt_tokens'):.0f} tokens; target <= 0.5 s)")
    print(f"  tokens/s, 64 new tokens: {med('tokens_per_s'):.1f} (target >= 20)")
    print(f"  peak RSS, one worker: {med('peak_rss_mb'):.0f} MB (target <= 1500 MB)")
    print(f"load average at end of speed runs {os.getloadavg()[0]:.2f}")
    if not args.no_quality:
        quality(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
