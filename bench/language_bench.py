"""Language identification for short shop messages: lingua-language-detector against py3langid.

Both run behind the same gate (engine/language.py: noise removed, length rules, confidence thresholds),
limited to English and the languages of languages.yaml, on bench/data/language_messages.yaml: per
language how many of its messages get the reply in their language, how many English messages wrongly get
one (the main risk), the time per message, and the load time and memory of each, measured in a fresh
process each so neither pays for the other.

    python bench/language_bench.py [--json bench/results/language_bench-DATE.json]

py3langid is only needed for the comparison (pip install py3langid); the product uses lingua.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench/data/language_messages.yaml"
# Every English message the project holds (training examples, blind realistic sets, CLINC150, BANKING77,
# Bitext): none may get the other-language reply.
ENGLISH_CORPORA = [*sorted((ROOT / "intents").glob("*.yaml")), *sorted((ROOT / "bench/data").glob("realistic_shoppers*.yaml"))]


def english_corpus() -> list[str]:
    """The texts of `examples:` lists and `text:` keys, entity marks removed ("[#W1](order_id)" -> "#W1")."""
    out: list[str] = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("examples", "text"):
            out.append(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", node))

    for path in ENGLISH_CORPORA:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return list(dict.fromkeys(out))


def py3langid_detector(codes):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(sorted({*codes, "en"}))
    return lambda text: ident.rank(text)


def measure(name: str) -> dict:
    """One detector, in this process: load, then every message through the gate."""
    from engine.language import FILE, LanguageGate, lingua_detector, read_replies

    import numpy  # noqa: F401  (loaded in the service anyway, by the router: not counted against py3langid)

    replies = read_replies(ROOT / FILE)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    detect = {"lingua": lambda c: lingua_detector(c), "lingua-low": lambda c: lingua_detector(c, low_accuracy=True),
              "py3langid": py3langid_detector}[name](sorted(replies))
    load_s = time.perf_counter() - t0
    gate = LanguageGate(replies, detect)
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    gate.identify("warm up the detector with one message")
    times, per_language, raw_right, false_positives = [], {}, 0, []
    for code, messages in data["other"].items():
        right = 0
        for text in messages:
            t = time.perf_counter()
            found = gate.identify(text)
            times.append(time.perf_counter() - t)
            right += found is not None and found.code == code
            raw_right += max(dict(detect(text)).items(), key=lambda kv: kv[1])[0] == code
        per_language[code] = f"{right}/{len(messages)}"
    for text in data["english"]:
        t = time.perf_counter()
        found = gate.identify(str(text))
        times.append(time.perf_counter() - t)
        if found is not None:
            false_positives.append(f"{text} -> {found.code}")
    short = [(code, t) for code, texts in data["other_very_short"].items() for t in texts]
    short_right = sum((f := gate.identify(t)) is not None and f.code == code for code, t in short)
    short_wrong = [f"{t} -> {f.code}" for code, t in short if (f := gate.identify(t)) is not None and f.code != code]
    corpus = english_corpus()
    corpus_fp = [f"{t} -> {f.code}" for t in corpus if (f := gate.identify(t)) is not None]
    others = sum(len(m) for m in data["other"].values())
    ms = sorted(x * 1000 for x in times)
    return {
        "detector": name, "answered_in_their_language": sum(int(v.split("/")[0]) for v in per_language.values()),
        "other_messages": others, "per_language": per_language, "raw_top1_right": raw_right,
        "english_messages": len(data["english"]), "english_false_positives": false_positives,
        "very_short_answered": f"{short_right}/{len(short)}", "very_short_wrong_language": short_wrong,
        "english_corpus_messages": len(corpus), "english_corpus_false_positives": len(corpus_fp),
        "english_corpus_false_positive_examples": corpus_fp[:25],
        "ms_per_message_p50": round(statistics.median(ms), 3), "ms_per_message_p95": round(ms[int(len(ms) * 0.95)], 3),
        "load_s": round(load_s, 3), "rss_added_mb": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--one", choices=["lingua", "lingua-low", "py3langid"], help=argparse.SUPPRESS)  # the child process
    ap.add_argument("--json", type=Path, help="write the figures, with the commit and machine, to this file")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    rows = []
    for name in ("lingua", "lingua-low", "py3langid"):
        out = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True)
        if out.returncode:
            print(f"{name}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
            continue
        rows.append(json.loads(out.stdout))
    for r in rows:
        print(f"{r['detector']:10} other languages answered {r['answered_in_their_language']}/{r['other_messages']} "
              f"{r['per_language']} (raw top-1 {r['raw_top1_right']}/{r['other_messages']}), very short "
              f"{r['very_short_answered']} (wrong language: {r['very_short_wrong_language']}); English false "
              f"positives {len(r['english_false_positives'])}/{r['english_messages']} {r['english_false_positives']}, "
              f"on the project's English corpora {r['english_corpus_false_positives']}/{r['english_corpus_messages']}; "
              f"{r['ms_per_message_p50']}/{r['ms_per_message_p95']} ms p50/p95; load {r['load_s']} s, "
              f"+{r['rss_added_mb']} MB")
    if args.json:
        sys.path.insert(0, str(ROOT / "bench"))
        from machine import machine

        args.json.write_text(json.dumps({"machine": machine(), "detectors": rows}, indent=2) + "\n")
    for r in rows:
        if r["english_corpus_false_positive_examples"]:
            print(f"{r['detector']} false positives (first 25):", *r["english_corpus_false_positive_examples"], sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
