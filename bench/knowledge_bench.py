"""Knowledge bench: the blind shopper questions of bench/data/knowledge_questions.yaml through the real
Answerer (the embedded generator as served, `engine.generator.load_answerer`), scored by what a shopper reads.

    flock /tmp/shoptalk-cpu.lock env HF_HUB_OFFLINE=1 .venv/bin/python bench/knowledge_bench.py \
        --json bench/results/knowledge_bench_DATE.json
    # another set, the run added to the kept history:
    ... bench/knowledge_bench.py --questions bench/data/knowledge_questions_2.yaml \
        --history bench/results/knowledge_bench_2026-12-05.json --label "first run on set 2"

Each question is {q, kind: fact|trap|unknown, source, expect: [any-of substrings], forbid: [substrings of
false claims], note}. Figures (targets from issue #15):
* expected fact held: answers to fact and trap questions holding one of `expect` (>= 90%);
* right or honestly unknown: fact/trap answers holding the fact with no false claim, or the scope answer
  ("the shop's information does not cover it"); unknown answers that are the scope answer (or hold an
  `expect` alternative) with no false claim (>= 97%);
* false claims: an answer containing a `forbid` substring, or a fact/trap answer without the expected fact
  that states a number neither the question nor the expected facts hold (0);
* internal-instruction quotes: an answer holding 8 consecutive words of a rule of policy.md's Internal
  section or of the seed's agent wiki (0).
Misses are printed verbatim.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import yaml  # noqa: E402

from engine.generator import FlowInfo, load_answerer  # noqa: E402
from engine.generator.evaluation import fact_in, origin  # noqa: E402
from engine.generator.grounding import numbers_in  # noqa: E402
from engine.knowledge.policy_file import read_policy  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from machine import machine  # noqa: E402

WINDOW = 8  # consecutive words of an internal rule that make a quote


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def internal_rules(project: Path) -> list[str]:
    """Rules for the assistant alone: policy.md's Internal section plus every sentence of the seed's agent
    wiki that addresses the agent (a shopper must never read either)."""
    rules = read_policy(project / "knowledge" / "policy.md").internal_rules()
    wiki = project / "engine" / "store" / "seed" / "wiki.md"
    if wiki.exists():
        for sent in re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", wiki.read_text())):
            if re.search(r"\b(you should|tool|the user|as a retail agent|you have to|remember to)\b", sent, re.I):
                rules.append(sent.strip("- "))
    return rules


def _windows(rule: str) -> set[tuple[str, ...]]:
    w = _words(rule)
    return {tuple(w[i:i + WINDOW]) for i in range(max(1, len(w) - WINDOW + 1))}


def quotes_internal(text: str, windows: set[tuple[str, ...]]) -> bool:
    w = _words(text)
    return any(tuple(w[i:i + WINDOW]) in windows for i in range(max(1, len(w) - WINDOW + 1)))


def flows(project: Path) -> list[FlowInfo]:
    from engine.flows.loader import load_flows

    return [FlowInfo(id=f["id"], title=f["title"], payload=f["payload"], description=f["description"])
            for f in load_flows(project / "flows", root=project).catalog()]


def score(item: dict, ans, windows) -> dict:
    text, kind = ans.text, item.get("kind", "fact")
    expect = [str(e) for e in item.get("expect") or []]
    forbid = [str(f) for f in item.get("forbid") or []]
    low = text.lower()
    forbidden = [f for f in forbid if f.lower() in low]
    # a price is held in any writing of it: "47.2" in "$47.20"
    held = bool(expect) and (fact_in(text, expect) or bool(
        {n for e in expect if re.fullmatch(r"\$?\d[\d,]*(\.\d+)?", e.strip()) for n in numbers_in(e)} & numbers_in(text)))
    scope = ans.kind == "scope"
    wrong_number = []
    if kind in ("fact", "trap") and not held and not scope:
        allowed = numbers_in(item["q"]) | numbers_in(" ".join(expect))
        wrong_number = sorted(numbers_in(text) - allowed)
    false_claim = bool(forbidden or wrong_number)
    if kind == "unknown":
        right = (scope or held) and not false_claim
    else:
        right = (held or scope) and not false_claim
    return {"q": item["q"], "kind": kind, "source": item.get("source"), "answer": text, "origin": origin(ans),
            "answer_kind": ans.kind, "held": held, "scope": scope, "right": right, "forbidden": forbidden,
            "wrong_numbers": wrong_number, "false_claim": false_claim, "internal_quote": quotes_internal(text, windows),
            "notes": ans.notes, "generated": ans.generated, "expect": expect, "forbid": forbid,
            "seconds": round(ans.timings.get("total_s", 0.0), 3)}


def summarise(rows: list[dict]) -> dict:
    facts = [r for r in rows if r["kind"] in ("fact", "trap") and r["expect"]]
    pct = lambda a, b: round(100.0 * a / b, 1) if b else 0.0  # noqa: E731
    held = sum(r["held"] for r in facts)
    right = sum(r["right"] for r in rows)
    by_kind = {}
    for k in sorted({r["kind"] for r in rows}):
        sub = [r for r in rows if r["kind"] == k]
        by_kind[k] = {"n": len(sub), "right": sum(r["right"] for r in sub), "held": sum(r["held"] for r in sub),
                      "scope": sum(r["scope"] for r in sub)}
    origins: dict[str, int] = {}
    for r in rows:
        origins[r["origin"]] = origins.get(r["origin"], 0) + 1
    return {"n": len(rows), "fact_questions": len(facts), "expected_fact_held": held,
            "expected_fact_held_pct": pct(held, len(facts)), "right_or_unknown": right,
            "right_or_unknown_pct": pct(right, len(rows)),
            "honest_unknown_on_fact_questions": sum(r["scope"] for r in facts),
            "false_claims": sum(r["false_claim"] for r in rows),
            "internal_quotes": sum(r["internal_quote"] for r in rows), "by_kind": by_kind, "by_origin": origins}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--project", default=str(ROOT))
    ap.add_argument("--questions", default=str(ROOT / "bench" / "data" / "knowledge_questions.yaml"))
    ap.add_argument("--json", help="write every answer and figure with the commit and machine")
    ap.add_argument("--history", help="also add this run to a history file ({bench, runs: [...]}; runs are kept)")
    ap.add_argument("--label", default="", help="the run's label in --history")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every answer, not only the misses")
    args = ap.parse_args(argv)
    project = Path(args.project)
    items = yaml.safe_load(Path(args.questions).read_text())
    items = items.get("questions", items) if isinstance(items, dict) else items
    where = machine()
    t = time.perf_counter()
    answerer = load_answerer(project)
    load_s = time.perf_counter() - t
    windows = set().union(*(_windows(r) for r in internal_rules(project)))
    flow_info = flows(project)
    rows = []
    for item in items:
        ans = answerer.answer(item["q"], flows=flow_info)
        rows.append(score(item, ans, windows))
    figures = summarise(rows)
    for r in rows:
        miss = not r["right"] or r["false_claim"] or r["internal_quote"] or (r["expect"] and r["kind"] != "unknown"
                                                                             and not r["held"])
        if miss or args.verbose:
            flags = [f for f, on in (("WRONG", not r["right"]), ("FALSE-CLAIM", r["false_claim"]),
                                     ("INTERNAL", r["internal_quote"]), ("no-fact", r["expect"] and not r["held"]))
                     if on]
            print(f"--- [{r['kind']}/{r['source']}] {r['q']}  {' '.join(flags) or 'ok'} ({r['origin']})")
            print(f"    answer: {r['answer']!r}")
            print(f"    expect: {r['expect']} forbid: {r['forbid']} forbidden hit: {r['forbidden']} "
                  f"wrong numbers: {r['wrong_numbers']}")
            if r["generated"]:
                print(f"    model said: {r['generated']!r}  notes: {r['notes']}")
    f = figures
    print(f"\nquestions {f['n']} (load {load_s:.1f} s, commit {where['commit'][:7]}, {where['cpu_model']})")
    print(f"expected fact held: {f['expected_fact_held']}/{f['fact_questions']} = {f['expected_fact_held_pct']}% "
          f"(target >= 90%)")
    print(f"right or honestly unknown: {f['right_or_unknown']}/{f['n']} = {f['right_or_unknown_pct']}% (target >= 97%;"
          f" scope answers to fact questions: {f['honest_unknown_on_fact_questions']})")
    print(f"false claims: {f['false_claims']} (target 0)")
    print(f"internal-instruction quotes: {f['internal_quotes']} (target 0)")
    print(f"by kind: {f['by_kind']}\nby origin: {f['by_origin']}")
    settings = answerer.settings.model_dump() if hasattr(answerer.settings, "model_dump") else {}
    run = {"label": args.label, "machine": where, "load_s": round(load_s, 2),
           "settings": {k: v for k, v in settings.items() if k != "api_key"},
           "questions_file": os.path.relpath(args.questions, ROOT), "figures": figures, "answers": rows}
    if args.json:
        Path(args.json).write_text(json.dumps({"bench": "knowledge_bench", **run}, indent=1) + "\n")
    if args.history:
        path = Path(args.history)
        history = json.loads(path.read_text()) if path.exists() else {"bench": "knowledge_bench", "runs": []}
        history.setdefault("runs", []).append(run)
        path.write_text(json.dumps(history, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
