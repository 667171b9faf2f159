"""How well the review inbox groups messages: groups and purity on 300 hand-written realistic messages.

    flock /tmp/shoptalk-cpu.lock env HF_HUB_OFFLINE=1 .venv/bin/python bench/review_grouping.py

The messages are the labelled realistic shopper sets of bench/route_bench.py (19 routes). Two kinds of
300-message inbox: three random samples (seeds 0-2), and the 300 the trained router is least sure of
(the inbox's own kind: fallbacks and low-confidence routes). Purity = the share of messages whose group's
majority label is their own label: one click assigns a whole group, so an impure group teaches the
router wrong examples. Every variant runs the inbox's own code (`service.review`): the default, the
MiniLM vector alone cut at a cosine distance (0.5, 0.8), the vector alone at the default's group count,
and other router weights. Writes bench/results/review_grouping.json.
"""
from __future__ import annotations

import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

from machine import machine  # noqa: E402
from route_bench import load_realistic  # noqa: E402

from engine.router import load_router  # noqa: E402
from service.review import Embeddings, Grouping, cluster, features, router_proba  # noqa: E402

N = 300
ALL = 1e9  # per_sqrt that never binds: the distance cut alone decides
VARIANTS = {
    "default": Grouping(),
    "minilm cut 0.5": Grouping(router_weight=0, per_sqrt=ALL, same_below=0.5),
    "minilm cut 0.8": Grouping(router_weight=0, per_sqrt=ALL, same_below=0.8),
    "minilm, default count": Grouping(router_weight=0),
    "router weight 1": Grouping(router_weight=1.0),
    "router weight 2": Grouping(router_weight=2.0),
    "default, 1.2 x sqrt(n)": Grouping(per_sqrt=1.2),
}


def purity(groups: list[int], labels: list[str]) -> float:
    by: dict[int, list[str]] = {}
    for g, label in zip(groups, labels):
        by.setdefault(g, []).append(label)
    return sum(Counter(v).most_common(1)[0][1] for v in by.values()) / len(labels)


def main() -> None:
    rows = list({t: (t, label) for v in load_realistic().values() for t, label in v}.values())
    texts, labels = [t for t, _ in rows], [label for _, label in rows]
    router = load_router(ROOT, train_if_needed=False, progress=False)
    vectors = Embeddings()(texts)
    proba = router_proba(router, texts, vectors)  # what the inbox groups on (fallback left out)
    full = np.stack([router.proba(t, v) for t, v in zip(texts, vectors)])  # for the router's own reading
    top = [router.labels[i] for i in full.argmax(1)]
    samples = {f"random seed {s}": random.Random(s).sample(range(len(texts)), N) for s in range(3)}
    samples["least sure 300"] = [int(i) for i in np.argsort(full.max(1))[:N]]
    out = {"machine": machine(), "messages": len(texts), "samples": {}}
    for name, idx in samples.items():
        lab = [labels[i] for i in idx]
        router_acc = sum(top[i] == labels[i] for i in idx) / N
        print(f"{name}: {N} messages, {len(set(lab))} labels, router top label right for {router_acc:.0%}")
        res = {"labels": len(set(lab)), "router_accuracy": round(router_acc, 4), "variants": {}}
        for vname, g in VARIANTS.items():
            groups = cluster(features(vectors[idx], proba[idx], g.router_weight), g, vectors[idx])
            n, p = len(set(groups)), purity(groups, lab)
            res["variants"][vname] = {"groups": n, "purity": round(p, 4), "grouping": g.__dict__}
            print(f"  {vname:24s} {n:4d} groups  purity {p:.0%}")
        out["samples"][name] = res
    path = ROOT / "bench/results/review_grouping.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print("wrote", path.relative_to(ROOT))


if __name__ == "__main__":
    main()
