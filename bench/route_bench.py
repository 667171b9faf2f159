"""Router benchmark: ours (TF-IDF + MiniLM, the default) and ours-tfidf (the light model without torch) vs
TF-IDF+LogReg and TF-IDF+LinearSVC baselines.

    flock /tmp/shoptalk-cpu.lock env HF_HUB_OFFLINE=1 .venv/bin/python bench/route_bench.py

All models train on the same data, `intents/*.yaml` (Bitext train, CLINC150 train + oos_train, the
BANKING77 training part, hand-written examples), and are reported on held-out data: Bitext validation,
CLINC150 val + oos_val, the BANKING77 sample held out by `build_intents.banking77_split`, and nineteen
hand-written realistic sets, each written blind (by authors who saw neither the training examples nor the router's
output) and first scored before any change for it (first runs in bench/results/route_bench_2026-12-05.json). Sets
whose misses have been read and worked on are development sets (1, 2, 4, 5, 7-18) and their misses are listed;
the held-out ones (3, 6, 19) never had their misses listed or read. The
issue's mapping knows only flows and fallback, so for Bitext / CLINC / BANKING77 every non-flow label
(repair, chit-chat, fallback) counts as fallback (it starts no flow); the realistic sets are scored on the
exact label; "right or offered" also counts a fallback route whose answer offers the right flow as a button
(the engine offers flows the router ranks at p >= SUGGEST_FLOOR below its threshold; the baselines offer
none): what the shopper can reach in one tap, beside the exact-label figure the issue asks for. For `ours`,
"engine" figures send each realistic message as the opening of a fresh conversation with the same trained router
and score what the engine does with it (bench/opening_bench.py: several requests split and the first started, a
story-first message's opening request, undo requests answered, half-recognised requests offered). Accuracy is
measured through the single-utterance path the service uses; the batch path is timed and its routes compared with it. Each model runs in its own process (peak RSS is that process's).
Timings are medians of `--repeats` runs (training, and the p50/p95 of each latency pass).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from engine.question_decision import offered  # noqa: E402
from engine.router import FLOW_INTENTS, train_router  # noqa: E402
from engine.router.build_intents import clinc_label, read_banking, read_bitext  # noqa: E402
from engine.router.intent_data import load_intents, strip_annotations  # noqa: E402

MODELS = ("ours", "ours-tfidf", "tfidf+logreg", "tfidf+linearsvc")
REALISTIC = {"realistic": "realistic_shoppers.yaml", "realistic2": "realistic_shoppers_2.yaml",
             "realistic3": "realistic_shoppers_3.yaml", "realistic4": "realistic_shoppers_4.yaml",
             "realistic5": "realistic_shoppers_5.yaml", "realistic6": "realistic_shoppers_6.yaml",
             "realistic7": "realistic_shoppers_7.yaml", "realistic8": "realistic_shoppers_8.yaml",
             "realistic9": "realistic_shoppers_9.yaml", "realistic10": "realistic_shoppers_10.yaml",
             "realistic11": "realistic_shoppers_11.yaml", "realistic12": "realistic_shoppers_12.yaml",
             "realistic13": "realistic_shoppers_13.yaml", "realistic14": "realistic_shoppers_14.yaml",
             "realistic15": "realistic_shoppers_15.yaml",
             "realistic16": "realistic_shoppers_16.yaml", "realistic17": "realistic_shoppers_17.yaml",
             "realistic18": "realistic_shoppers_18.yaml", "realistic19": "realistic_shoppers_19.yaml",
             "realistic20": "realistic_shoppers_20.yaml", "realistic21": "realistic_shoppers_21.yaml",
             "realistic22": "realistic_shoppers_22.yaml",
             "realistic23": "realistic_shoppers_23.yaml", "realistic24": "realistic_shoppers_24.yaml",
             "realistic25": "realistic_shoppers_25.yaml", "realistic26": "realistic_shoppers_26.yaml",
             "realistic27": "realistic_shoppers_27.yaml", "realistic28": "realistic_shoppers_28.yaml",
             "realistic29": "realistic_shoppers_29.yaml", "realistic30": "realistic_shoppers_30.yaml"}
# written before the router ran on them; misses never listed for tuning
HELD_OUT = ("realistic3", "realistic6", "realistic20")


def collapse(label: str) -> str:
    return label if label in FLOW_INTENTS else "fallback"


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def overlap() -> dict[str, int]:
    """How many messages of each realistic set are also a training example (mostly "yes please", "hello!")."""
    train = {_words(e.text) for e in load_intents(ROOT / "intents")}
    return {k: sum(_words(t) in train for t, _ in v) for k, v in load_realistic().items()}


def load_realistic() -> dict[str, list[tuple[str, str]]]:
    """The hand-written realistic sets: key -> [(text, label)] (a set not in this checkout is said and skipped)."""
    out = {}
    for key, name in REALISTIC.items():
        path = ROOT / "bench/data" / name
        if not path.exists():
            print(f"{key}: {path.relative_to(ROOT)} not in this checkout, skipped", file=sys.stderr)
            continue
        out[key] = [(r["text"], r["label"]) for r in yaml.safe_load(path.read_text())["messages"]]
    return out


def load_sets(data: Path) -> dict[str, list[tuple[str, str]]]:
    bit = [(strip_annotations(u)[0], l) for u, l, _ in
           read_bitext(data / "bitext/Bitext_Sample_Customer_Service_Validation_Dataset.csv")]
    d = json.loads((data / "clinc150/clinc150_train_val.json").read_text())
    clinc = [(t, clinc_label(i, for_training=False)) for part in ("val", "oos_val") for t, i in d[part]]
    sets = {"bitext": bit, "clinc": [(t, l) for t, l in clinc if l],
            "banking": [(t, "fallback") for t, _, _ in read_banking(data / "banking77/train.csv", split="bench")]}
    return sets | load_realistic()


def macro_f1(y_true, y_pred, labels) -> float:
    f1s = []
    for l in labels:
        tp = sum(a == l and b == l for a, b in zip(y_true, y_pred))
        fp = sum(a != l and b == l for a, b in zip(y_true, y_pred))
        fn = sum(a == l and b != l for a, b in zip(y_true, y_pred))
        if tp + fp + fn:
            f1s.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s)) if f1s else 0.0


class Baseline:
    """Plain TfidfVectorizer(word 1-2 grams, sublinear) + LogisticRegression / LinearSVC, sklearn predict."""

    def __init__(self, kind: str):
        self.kind = kind

    def fit(self, texts, labels):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import LinearSVC
        clf = LogisticRegression(max_iter=2000) if self.kind == "logreg" else LinearSVC()
        self.pipe = make_pipeline(TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)), clf)
        self.pipe.fit(texts, labels)
        return self

    def predict_one(self, text):
        return self.pipe.predict([text])[0]

    def predict_batch(self, texts):
        return list(self.pipe.predict(texts))

    def offered(self, text):
        return (self.predict_one(text),)


class Ours:
    def __init__(self, router):
        self.r = router

    def predict_one(self, text):
        return self.r.route(text).label

    def predict_batch(self, texts):
        return [r.label for r in self.r.route_batch(texts)]

    def offered(self, text):
        """The label, and for a fallback route the flows the engine offers as buttons with the answer."""
        r = self.r.route(text)
        if r.label == "cancel":  # with nothing in progress, pattern_cancel offers "Cancel an order" (flows/)
            return (r.label, "cancel_order")
        if r.label != "fallback":
            return (r.label,)
        return (r.label, *offered(r, lambda label: label if label in FLOW_INTENTS else None))


def score(sets, preds, offers=None) -> dict:
    out = {}
    bt = [collapse(l) for _, l in sets["bitext"]]
    bp = [collapse(p) for p in preds["bitext"]]
    out["bitext_acc"] = float(np.mean([a == b for a, b in zip(bt, bp)]))
    out["bitext_flow_macro_f1"] = macro_f1(bt, bp, FLOW_INTENTS)
    cl = [(l, collapse(p)) for (_, l), p in zip(sets["clinc"], preds["clinc"])]
    out["clinc_fallback_recall"] = float(np.mean([p == "fallback" for l, p in cl if l == "fallback"]))
    out["banking_into_flow"] = float(np.mean([collapse(p) != "fallback" for p in preds["banking"]]))
    for key in (k for k in REALISTIC if k in sets):
        pairs = [(l, p) for (_, l), p in zip(sets[key], preds[key])]
        out[f"{key}_acc"] = float(np.mean([l == p for l, p in pairs]))
        out[f"{key}_flow_vs_not"] = float(np.mean([collapse(l) == collapse(p) for l, p in pairs]))
        if offers is not None:
            out[f"{key}_offered"] = float(np.mean([l in o for (_, l), o in zip(sets[key], offers[key])]))
        out[f"_miss_{key}"] = [(t, l, p) for (t, l), p in zip(sets[key], preds[key]) if l != p]
    out["_miss_bitext"] = [(t, a, b) for (t, _), a, b in zip(sets["bitext"], bt, bp) if a != b]
    out["_miss_clinc"] = [(t, p) for (t, l), p in zip(sets["clinc"], preds["clinc"])
                          if l == "fallback" and collapse(p) != "fallback"]
    out["_miss_banking"] = [(t, p) for (t, _), p in zip(sets["banking"], preds["banking"]) if collapse(p) != "fallback"]
    return out


def latency(model, texts, repeats) -> tuple[float, float]:
    p50s, p95s = [], []
    for _ in range(repeats):
        lat = []
        for t in texts:
            s = time.perf_counter()
            model.predict_one(t)
            lat.append((time.perf_counter() - s) * 1000)
        p50s.append(float(np.percentile(lat, 50)))
        p95s.append(float(np.percentile(lat, 95)))
    return statistics.median(p50s), statistics.median(p95s)


def worker(name: str, data: Path, repeats: int) -> dict:
    """Train `name` `repeats` times, evaluate the last one; runs in its own process."""
    import torch
    torch.set_num_threads(1)
    sets = load_sets(data)
    ex = load_intents(ROOT / "intents")
    texts, labels = [e.text for e in ex], [e.intent for e in ex]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        if name.startswith("ours"):
            model = Ours(train_router(ROOT, progress=False, embeddings=name == "ours", save=False, examples=ex))
        else:
            model = Baseline(name.split("+")[1]).fit(texts, labels)
        times.append(time.perf_counter() - t0)
    torch.set_num_threads(1)  # training may have raised it for bulk embedding
    # accuracy through the single-utterance path the service uses; then the batch path, timed and compared
    # (a realistic message's label is the first element of what it offers: one route per message)
    offers = {k: [model.offered(t) for t, _ in sets[k]] for k in REALISTIC if k in sets}
    preds = {k: [o[0] for o in offers[k]] if k in offers else [model.predict_one(t) for t, _ in v]
             for k, v in sets.items()}
    res = score(sets, preds, offers)
    t0 = time.perf_counter()
    batch = {k: model.predict_batch([t for t, _ in v]) for k, v in sets.items()}
    n = sum(len(v) for v in sets.values())
    res["batch_utt_per_s"] = n / (time.perf_counter() - t0)
    res["batch_disagreements"] = sum(a != b for k in sets for a, b in zip(preds[k], batch[k]))
    rng = np.random.default_rng(0)
    pool = [t for v in sets.values() for t, _ in v]
    res["p50_ms"], res["p95_ms"] = latency(model, [pool[i] for i in rng.choice(len(pool), 500, replace=False)],
                                           repeats)
    res["train_s"] = statistics.median(times)
    res["train_runs_s"] = [round(t, 2) for t in times]
    res["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if name.startswith("ours"):
        res["threshold"] = model.r.threshold
    res["sizes"] = {k: len(v) for k, v in sets.items()}
    if name == "ours":  # after the memory figure: the engine adds spaCy and the retriever
        from opening_bench import engine_figures
        res |= engine_figures(model.r, {k: sets[k] for k in REALISTIC if k in sets}, ROOT)
    return res


def _realistic_rows(key: str) -> list[tuple[str, str, str]]:
    n = key[len("realistic"):] or "1"
    acc = f"Realistic {n} (held out) acc." if key in HELD_OUT else f"Realistic set {n} accuracy"
    return [(f"{key}_acc", acc, "pct"), (f"{key}_flow_vs_not", f"Realistic {n} flow-vs-not", "pct"),
            (f"{key}_offered", f"Realistic {n} right or offered", "pct"),
            (f"{key}_engine_acc", f"Realistic {n} engine reading", "pct"),
            (f"{key}_engine_offered", f"Realistic {n} engine or offered", "pct")]


ROWS = [("bitext_acc", "Bitext routing accuracy", "pct"), ("bitext_flow_macro_f1", "Bitext macro-F1 (flows)", "pct"),
        ("clinc_fallback_recall", "CLINC fallback recall", "pct"), ("banking_into_flow", "BANKING77 into a flow", "pct"),
        *[row for k in REALISTIC for row in _realistic_rows(k)],
        ("p50_ms", "p50 ms / utterance", "ms"), ("p95_ms", "p95 ms / utterance", "ms"),
        ("batch_utt_per_s", "batch utterances / s", "num"), ("train_s", "training s (median)", "s"),
        ("rss_mb", "peak RSS MB (own process)", "num")]


def fmt(v, kind):
    return {"pct": f"{v * 100:.2f}%", "ms": f"{v:.3f}", "s": f"{v:.1f}", "num": f"{v:,.0f}"}[kind]


def table(results: dict) -> str:
    names = list(results)
    base = [n for n in names if n.startswith("tfidf")]
    ours = [n for n in names if n.startswith("ours")]
    ratio_cols = [(o, b) for o in ours for b in base]
    head = f"{'figure':28s}" + "".join(f"{n:>16s}" for n in names) + \
        "".join(f"{o + '/' + b[6:]:>22s}" for o, b in ratio_cols)
    lines = [head, "-" * len(head)]
    for key, title, kind in ROWS:
        line = f"{title:28s}" + "".join(f"{fmt(results[n][key], kind) if key in results[n] else '-':>16s}"
                                        for n in names)
        for o, b in ratio_cols:
            d, v = results[b].get(key), results[o].get(key)
            line += f"{(v / d if d else float('inf')):>22.3f}" if v is not None and d is not None else f"{'-':>22s}"
        lines.append(line)
    return "\n".join(lines)


def list_misses(title: str, misses: list, held_out: bool, limit: int) -> None:
    print(f"{title} ({len(misses)}):")
    if held_out:
        print("    (not listed: this set is held out from tuning; --show-held-out lists them)")
        return
    for row in misses[:limit]:
        print("   ", row)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data"))
    ap.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ", ".join(MODELS))
    ap.add_argument("--repeats", type=int, default=3, help="training runs and latency passes per model")
    ap.add_argument("--show-misses", type=int, default=15)
    ap.add_argument("--show-held-out", action="store_true", help=f"list the misses of {', '.join(HELD_OUT)} (not for tuning)")
    ap.add_argument("--json", default=str(ROOT / "models/router/eval/bench.json"))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        print(json.dumps(worker(a.worker, Path(a.data), a.repeats), default=str))
        return
    results = {}
    for name in a.models.split(","):
        out = subprocess.run([sys.executable, __file__, "--worker", name, "--data", a.data,
                              "--repeats", str(a.repeats)], capture_output=True, text=True, check=True)
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{name}: done (training runs {results[name]['train_runs_s']} s)", file=sys.stderr, flush=True)
    print("sets:", next(iter(results.values()))["sizes"])
    print("realistic messages also in intents/ (same words, case and punctuation aside):", overlap())
    print(table(results))
    for n in results:
        if n.startswith("ours"):
            print(f"\nthreshold ({n}, chosen on the validation split of intents/): {results[n]['threshold']}")
            print(f"batch path routes that differ from single routes: {results[n]['batch_disagreements']}")
            for k in [f"_miss_{r}" for r in REALISTIC if f"_miss_{r}" in results[n]] + \
                    ["_miss_bitext", "_miss_clinc", "_miss_banking"]:
                list_misses(f"{n} {k[6:]} misses", results[n][k], k.removeprefix("_miss_") in HELD_OUT and
                            not a.show_held_out, a.show_misses)
            for r in REALISTIC:
                if f"_engine_miss_{r}" in results[n]:
                    list_misses(f"{n} {r} engine misses", results[n][f"_engine_miss_{r}"],
                                r in HELD_OUT and not a.show_held_out, a.show_misses)
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
