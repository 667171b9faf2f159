"""`shoptalk train` and `shoptalk eval` for the intent router."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def configure_train(p):
    g = p.add_mutually_exclusive_group()
    g.add_argument("--embeddings", action="store_true", default=None,
                   help="add MiniLM sentence-embedding columns (default: models/router_settings.yaml)")
    g.add_argument("--no-embeddings", dest="embeddings", action="store_false", help="train the light TF-IDF-only model")
    p.add_argument("--no-progress", action="store_true")


def train(args) -> int:
    from engine.router import IntentFileError, train_router
    project = Path(args.project)
    print(f"Training the intent router from {project / 'intents'} ...", file=sys.stderr)
    try:
        r = train_router(project, progress=not args.no_progress, embeddings=args.embeddings)
    except IntentFileError as exc:
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return 1
    m = r.manifest
    print(f"trained {m['n_examples']} examples, {len(m['labels'])} labels in {m['metrics']['train_seconds']} s; "
          f"threshold {m['threshold']}; validation accuracy {m['metrics'].get('val_accuracy', 0):.4f}")
    print(f"-> {project / 'models/router/manifest.json'}")
    return 0


def configure_evaluate(p):
    p.add_argument("--split", type=float, default=0.2, help="fraction of intents held out for evaluation")
    p.add_argument("--show", type=int, default=30, help="misrouted examples to list")


def evaluate(args) -> int:
    """Hold out a stratified split of intents/*.yaml, train on the rest, report P/R/F1 + confusion."""
    import numpy as np
    from engine.router import IntentFileError, stratified_split, train_router
    from engine.router.intent_data import load_intents
    project = Path(args.project)
    try:
        ex = load_intents(project / "intents")
    except IntentFileError as exc:
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return 1
    tr, te = stratified_split([e.intent for e in ex], args.split, 99)
    r = train_router(project, progress=True, save=False, examples=[ex[i] for i in tr])
    y = [ex[i].intent for i in te]
    pred = [x.label for x in r.route_batch([ex[i].text for i in te])]
    labels = [l for l in r.labels if l in set(y) | set(pred)]
    rows = {}
    print(f"{'intent':24s} {'prec':>7s} {'rec':>7s} {'f1':>7s} {'n':>6s}")
    for l in labels:
        tp = sum(a == l and b == l for a, b in zip(y, pred))
        fp = sum(a != l and b == l for a, b in zip(y, pred))
        fn = sum(a == l and b != l for a, b in zip(y, pred))
        P = tp / (tp + fp) if tp + fp else 0.0
        R = tp / (tp + fn) if tp + fn else 0.0
        F = 2 * P * R / (P + R) if P + R else 0.0
        rows[l] = {"precision": P, "recall": R, "f1": F, "support": tp + fn}
        print(f"{l:24s} {P:7.3f} {R:7.3f} {F:7.3f} {tp + fn:6d}")
    acc = float(np.mean([a == b for a, b in zip(y, pred)]))
    print(f"accuracy {acc:.4f} on {len(y)} held-out examples; threshold {r.threshold}")
    idx = {l: i for i, l in enumerate(labels)}
    cm = np.zeros((len(labels), len(labels)), dtype=int)
    for a, b in zip(y, pred):
        cm[idx[a], idx[b]] += 1
    short = [l[:6] for l in labels]
    print("\nconfusion (rows = true, cols = predicted)")
    print(" " * 24 + "".join(f"{s:>7s}" for s in short))
    for l in labels:
        print(f"{l:24s}" + "".join(f"{v:7d}" for v in cm[idx[l]]))
    out = project / "models" / "router" / "eval"
    out.mkdir(parents=True, exist_ok=True)
    mis = [{"text": ex[i].text, "true": a, "pred": b, "file": ex[i].file, "line": ex[i].line}
           for i, a, b in zip(te, y, pred) if a != b]
    print(f"\nmisrouted ({len(mis)}):")
    for m in mis[:args.show]:
        print(f"  {m['file']}:{m['line']}  {m['true']} -> {m['pred']}: {m['text'][:100]}")
    (out / "report.json").write_text(json.dumps({"accuracy": acc, "per_intent": rows, "labels": labels,
                                                 "confusion": cm.tolist(), "misrouted": mis,
                                                 "threshold": r.threshold}, indent=1))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(10, 9))
        ax.imshow(np.log1p(cm), cmap="Blues")
        ax.set_xticks(range(len(labels)), labels, rotation=90)
        ax.set_yticks(range(len(labels)), labels)
        for i in range(len(labels)):
            for j in range(len(labels)):
                if cm[i, j]:
                    ax.text(j, i, str(cm[i, j]), ha="center", va="center", fontsize=6)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        fig.tight_layout()
        fig.savefig(out / "confusion.png", dpi=110)
        print(f"wrote {out / 'confusion.png'} and {out / 'report.json'}")
    except ModuleNotFoundError:
        print(f"matplotlib missing: wrote {out / 'report.json'} only")
    return 0
