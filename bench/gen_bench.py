"""Generator bench: load time, first-token latency after retrieval, tokens/s, peak RSS, answer quality.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/gen_bench.py --runs 3

Quality is measured on bench/data/gen_questions.yaml: share of final answers containing the expected
fact, and the number of final answers stating a number found nowhere in the store knowledge.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
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


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--project", default=str(ROOT))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--questions", default=str(ROOT / "bench/data/gen_questions.yaml"))
    ap.add_argument("--no-router", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    project = Path(args.project)
    settings = GeneratorSettings.load(project)
    print(f"backend={settings.backend} dtype={settings.dtype} threads={settings.threads} max_tokens={settings.max_tokens}")

    t0 = time.perf_counter()
    answerer = load_answerer(project, settings)
    load_s = time.perf_counter() - t0
    gen = answerer.generator
    print(f"load (retriever + MiniLM + generator): {load_s:.2f} s  (generator alone {getattr(gen, 'load_seconds', 0):.2f} s)")
    print(f"peak RSS, generator loaded: {rss_mb():.0f} MB")

    # first token after retrieval, through the real answer path
    probes = ["How long does a refund take?", "What can be changed on a pending order?", "What time zone are order times in?"]
    firsts = []
    for _ in range(args.runs):
        for q in probes:
            ans = answerer.answer(q, flows=FLOWS)
            if "first_token_s" in ans.timings:
                firsts.append(ans.timings["first_token_s"])
    # tokens/s for 64 new tokens
    rates = []
    msgs = answerer._messages("Describe the return policy.", answerer.retriever.search("return policy", k=3))
    for _ in range(args.runs):
        t = time.perf_counter()
        n = 0
        kw = {"stop_at_eos": False} if hasattr(gen, "eos_ids") else {}
        for _d in gen.stream(msgs, max_tokens=64, deadline_s=120, **kw):
            n += 1
        # deltas can hold several tokens; count real tokens for the embedded backend
        rates.append(64 / (time.perf_counter() - t) if kw else n / (time.perf_counter() - t))
    print(f"first token after retrieval: median {statistics.median(firsts):.3f} s (n={len(firsts)}, target <= 0.5 s)")
    print(f"tokens/s, 64 new tokens: median {statistics.median(rates):.1f} (runs={len(rates)}, target >= 20)")
    print(f"peak RSS after generation: {rss_mb():.0f} MB")

    router_note = "engine.router.load_router not available"
    if not args.no_router:
        try:
            from engine.router import load_router  # type: ignore

            t = time.perf_counter()
            load_router(project)
            router_note = f"router loaded in {time.perf_counter() - t:.2f} s"
        except Exception as exc:  # noqa: BLE001 - another engineer's module, report whatever happens
            router_note = f"router not loaded ({type(exc).__name__}: {exc})"
    print(f"{router_note}; peak RSS one worker: {rss_mb():.0f} MB (target <= 1500 MB)")

    # quality
    qs = yaml.safe_load(Path(args.questions).read_text())["questions"]
    knowledge_numbers = set()
    for p in answerer.retriever.passages:
        knowledge_numbers |= numbers_in(p.text)
    for prod in answerer.catalogue.values():
        for v in prod["variants"].values():
            knowledge_numbers |= numbers_in(f"{v['price']:.2f} " + " ".join(map(str, v["options"].values())))
    hit = unsupported = worded = replaced = 0
    total_s = []
    for item in qs:
        t = time.perf_counter()
        ans = answerer.answer(item["q"], flows=FLOWS)
        total_s.append(time.perf_counter() - t)
        ok = any(e.lower() in ans.text.lower() for e in item["expect"])
        bad = sorted(numbers_in(ans.text) - knowledge_numbers - numbers_in(item["q"]))  # echoing the shopper's budget is not a claim
        hit += ok
        unsupported += bool(bad)
        worded += ans.source == "generator"
        replaced += ans.replaced
        if args.verbose or not ok or bad:
            mark = "OK  " if ok else "MISS"
            print(f"  {mark} [{ans.kind}/{ans.source}{' replaced' if ans.replaced else ''}] {item['q']}\n"
                  f"       -> {ans.text[:160]!r}{'  UNSUPPORTED ' + str(bad) if bad else ''}")
    n = len(qs)
    print(f"questions: {n}; expected fact present: {hit}/{n} = {hit / n:.1%} (target >= 90%)")
    print(f"answers stating an unsupported number: {unsupported} (target 0)")
    print(f"worded by the model: {worded}/{n}; model answer replaced by a quoted passage: {replaced}/{n}; "
          f"median answer time {statistics.median(total_s):.2f} s")
    print(f"peak RSS at end: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
