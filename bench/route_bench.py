"""Router benchmark: ours vs TF-IDF+LogReg and TF-IDF+LinearSVC baselines, on held-out data.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/route_bench.py [--embeddings] [--data ../shared/data]

All models train on the same data: `intents/*.yaml` (Bitext train, CLINC150 train, the BANKING77
training part, hand-written examples). Reported on: Bitext validation, CLINC150 val + oos_val,
the BANKING77 sample held out by `engine.router.build_intents.banking77_split`, and
bench/data/realistic_shoppers.yaml (hand-written). The issue's mapping knows only flow labels and
fallback, so for Bitext/CLINC/BANKING77 every non-flow label (repair, chit-chat, fallback) counts as
"fallback" (it does not start a flow). The realistic set is scored on the exact label.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from engine.router import FLOW_INTENTS, RouteContext, train_router  # noqa: E402
from engine.router.build_intents import banking77_split, read_banking, read_bitext, clinc_label  # noqa: E402
from engine.router.intent_data import load_intents, strip_annotations  # noqa: E402


def collapse(label: str) -> str:
    return label if label in FLOW_INTENTS else "fallback"


def load_sets(data: Path) -> dict[str, list[tuple[str, str]]]:
    bit = [(strip_annotations(u)[0], l) for u, l, _ in
           read_bitext(data / "bitext/Bitext_Sample_Customer_Service_Validation_Dataset.csv")]
    d = json.loads((data / "clinc150/clinc150_train_val.json").read_text())
    clinc = [(t, clinc_label(i, for_training=False)) for part in ("val", "oos_val") for t, i in d[part]]
    clinc = [(t, l) for t, l in clinc if l]
    bank = [(t, "fallback") for t, _, _ in read_banking(data / "banking77/train.csv", split="bench")]
    real = yaml.safe_load((ROOT / "bench/data/realistic_shoppers.yaml").read_text())
    realistic = [(r["text"], r["label"]) for r in real["messages"]]
    return {"bitext": bit, "clinc": clinc, "banking": bank, "realistic": realistic}


def macro_f1(y_true, y_pred, labels):
    f1s = []
    for l in labels:
        tp = sum(1 for a, b in zip(y_true, y_pred) if a == l and b == l)
        fp = sum(1 for a, b in zip(y_true, y_pred) if a != l and b == l)
        fn = sum(1 for a, b in zip(y_true, y_pred) if a == l and b != l)
        if tp + fp + fn == 0:
            continue
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s)) if f1s else 0.0


class Baseline:
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


class Ours:
    def __init__(self, router):
        self.r = router

    def predict_one(self, text):
        return self.r.route(text).label

    def predict_batch(self, texts):
        return [r.label for r in self.r.route_batch(texts)]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def evaluate(model, sets, lat_texts) -> dict:
    out = {}
    t0 = time.perf_counter()
    preds = {k: model.predict_batch([t for t, _ in v]) for k, v in sets.items()}
    n = sum(len(v) for v in sets.values())
    out["batch_utt_per_s"] = n / (time.perf_counter() - t0)
    bt = [collapse(l) for _, l in sets["bitext"]]
    bp = [collapse(p) for p in preds["bitext"]]
    out["bitext_acc"] = float(np.mean([a == b for a, b in zip(bt, bp)]))
    out["bitext_flow_macro_f1"] = macro_f1(bt, bp, FLOW_INTENTS)
    cl = [(l, collapse(p)) for (_, l), p in zip(sets["clinc"], preds["clinc"])]
    out["clinc_fallback_recall"] = float(np.mean([p == "fallback" for l, p in cl if l == "fallback"]))
    out["clinc_acc"] = float(np.mean([l == p for l, p in cl]))
    out["banking_into_flow"] = float(np.mean([collapse(p) != "fallback" for p in preds["banking"]]))
    out["realistic_acc"] = float(np.mean([l == p for (_, l), p in zip(sets["realistic"], preds["realistic"])]))
    out["realistic_flow_vs_not_acc"] = float(np.mean([collapse(l) == collapse(p) for (_, l), p in
                                                      zip(sets["realistic"], preds["realistic"])]))
    lat = []
    for t in lat_texts:
        s = time.perf_counter()
        model.predict_one(t)
        lat.append((time.perf_counter() - s) * 1000)
    out["p50_ms"] = float(np.percentile(lat, 50))
    out["p95_ms"] = float(np.percentile(lat, 95))
    out["_miss_realistic"] = [(t, l, p) for (t, l), p in zip(sets["realistic"], preds["realistic"]) if l != p]
    out["_miss_bitext"] = [(t, a, b) for (t, _), a, b in zip(sets["bitext"], bt, bp) if a != b]
    out["_miss_clinc"] = [(t, l, p) for (t, l), p in zip(sets["clinc"], preds["clinc"]) if l == "fallback" and collapse(p) != "fallback"]
    out["_miss_banking"] = [(t, p) for (t, _), p in zip(sets["banking"], preds["banking"]) if collapse(p) != "fallback"]
    return out


ROWS = [("bitext_acc", "Bitext routing accuracy", "pct", True), ("bitext_flow_macro_f1", "Bitext macro-F1 (flows)", "pct", True),
        ("clinc_fallback_recall", "CLINC fallback recall", "pct", True), ("banking_into_flow", "BANKING77 into a flow", "pct", False),
        ("realistic_acc", "Realistic set accuracy", "pct", True), ("realistic_flow_vs_not_acc", "Realistic flow-vs-not acc.", "pct", True),
        ("p50_ms", "p50 ms / utterance", "ms", False), ("p95_ms", "p95 ms / utterance", "ms", False),
        ("batch_utt_per_s", "batch utterances / s", "num", True), ("train_s", "training s", "s", False),
        ("rss_mb", "process peak RSS MB after", "num", False)]


def fmt(v, kind):
    return {"pct": f"{v * 100:.2f}%", "ms": f"{v:.3f}", "s": f"{v:.1f}", "num": f"{v:,.0f}"}[kind]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data"))
    ap.add_argument("--embeddings", action="store_true", help="also bench the TF-IDF + MiniLM blend")
    ap.add_argument("--show-misses", type=int, default=15)
    ap.add_argument("--json", default=str(ROOT / "models/router/eval/bench.json"))
    a = ap.parse_args(argv)
    import torch
    torch.set_num_threads(1)
    sets = load_sets(Path(a.data))
    print("sets:", {k: len(v) for k, v in sets.items()})
    ex = load_intents(ROOT / "intents")
    texts, labels = [e.text for e in ex], [e.intent for e in ex]
    rng = np.random.default_rng(0)
    pool = [t for v in sets.values() for t, _ in v]
    lat_texts = [pool[i] for i in rng.choice(len(pool), 500, replace=False)]
    results = {}
    variants = [("ours", False)] + ([("ours+emb", True)] if a.embeddings else [])
    for name, emb in variants:
        t0 = time.perf_counter()
        r = train_router(ROOT, progress=False, embeddings=emb, save=False, examples=ex)
        tr = time.perf_counter() - t0
        res = evaluate(Ours(r), sets, lat_texts)
        res.update(train_s=tr, rss_mb=rss_mb(), threshold=r.threshold)
        results[name] = res
    for name in ("logreg", "linearsvc"):
        t0 = time.perf_counter()
        b = Baseline(name).fit(texts, labels)
        tr = time.perf_counter() - t0
        res = evaluate(b, sets, lat_texts)
        res.update(train_s=tr, rss_mb=rss_mb())
        results[f"tfidf+{name}"] = res
    names = list(results)
    ours = names[0]
    head = f"{'figure':30s}" + "".join(f"{n:>16s}" for n in names) + "".join(f"{'ours/' + n[6:]:>16s}" for n in names if n.startswith("tfidf"))
    print(head)
    print("-" * len(head))
    for key, title, kind, _ in ROWS:
        line = f"{title:30s}" + "".join(f"{fmt(results[n][key], kind):>16s}" for n in names)
        for n in names:
            if n.startswith("tfidf"):
                d = results[n][key]
                line += f"{(results[ours][key] / d if d else float('inf')):>16.3f}"
        print(line)
    print(f"\nthreshold (ours, chosen on the validation split): {results[ours]['threshold']}")
    for n in names:
        if n.startswith("ours"):
            for k in ("_miss_realistic", "_miss_bitext", "_miss_clinc", "_miss_banking"):
                m = results[n][k]
                print(f"\n{n} {k[6:]} misses ({len(m)}):")
                for row in m[:a.show_misses]:
                    print("  ", row)
    Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.json).write_text(json.dumps({n: {k: v for k, v in r.items()} for n, r in results.items()}, indent=1, default=str))


if __name__ == "__main__":
    main()
