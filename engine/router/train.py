"""Training the router: TF-IDF (+ MiniLM embedding columns when torch is present) -> LinearSVC over
intents and fallback topics, temperature and threshold chosen on a stratified validation split of
`intents/`, then refit on everything.

Writes models/router/{router.pkl, manifest.json}. scikit-learn (and torch for the embeddings) are
imported only here, lazily.
"""
from __future__ import annotations

import json
import os
import pickle
import platform
import sys
import time
from pathlib import Path

import numpy as np

from engine.router.intent_data import FALLBACK, FLOW_INTENTS, ROUTER_LABELS, Example, data_hash, load_intents
from engine.router.model import MAX_CHARS, Settings, count_features, fit_temperature, fit_tfidf, softmax

MODEL_VERSION = "5"
ARTEFACT = "router.pkl"
MANIFEST = "manifest.json"


def settings_path(project_dir: Path) -> Path:
    return Path(project_dir) / "models" / "router_settings.yaml"


def read_settings(project_dir: Path) -> tuple[Settings, bytes]:
    p = settings_path(project_dir)
    if not p.exists():
        return Settings(), b""
    import yaml
    raw = p.read_bytes()
    return Settings.from_dict(yaml.safe_load(raw) or {}), raw


def current_hash(project_dir: Path, intents_dir: Path) -> str:
    _, raw = read_settings(project_dir)
    return _hash(intents_dir, raw)


def _hash(intents_dir: Path, settings_raw: bytes) -> str:
    return data_hash(intents_dir, settings_raw + MODEL_VERSION.encode())


def lib_versions() -> dict[str, str]:
    import importlib.metadata as md
    out = {"python": platform.python_version(), "numpy": np.__version__}
    for m, dist in (("sklearn", "scikit-learn"), ("scipy", "scipy"), ("torch", "torch"),
                    ("transformers", "transformers"), ("spacy", "spacy")):
        mod = sys.modules.get(m)
        if mod is not None:
            out[m] = getattr(mod, "__version__", "?")
            continue
        try:
            out[m] = md.version(dist)
        except md.PackageNotFoundError:
            continue
    return out


def progress_bar(total: int, desc: str, enabled: bool):
    """The outer training bar (a terminal bar, or one line when the output is a log; see engine.progress)."""
    from engine.progress import progress
    return progress(total, desc, enabled)


def stratified_split(labels: list[str], frac: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, validation indices); classes with < 10 examples stay whole in train."""
    rng = np.random.default_rng(seed)
    y = np.array(labels)
    val: list[int] = []
    for lab in sorted(set(labels)):
        idx = np.flatnonzero(y == lab)
        rng.shuffle(idx)
        k = int(round(len(idx) * frac)) if len(idx) >= 10 else 0
        val.extend(idx[:k].tolist())
    mask = np.zeros(len(labels), dtype=bool)
    mask[val] = True
    return np.flatnonzero(~mask), np.flatnonzero(mask)


def collapse_index(classes: list[str], labels: list[str]) -> np.ndarray:
    """For each class, the index of its routing label (every `fallback:<topic>` -> fallback)."""
    return np.array([labels.index(c.split(":", 1)[0]) for c in classes])


def collapse(p: np.ndarray, group: np.ndarray, n_labels: int) -> np.ndarray:
    """Class probabilities -> routing-label probabilities (fallback topics summed)."""
    if p.ndim == 1:
        return np.bincount(group, weights=p, minlength=n_labels)
    out = np.zeros((p.shape[0], n_labels))
    np.add.at(out.T, group, p.T)
    return out


def choose_threshold(p: np.ndarray, y: np.ndarray, labels: list[str], pred: np.ndarray | None = None,
                     fallback_cost: float = 2.0, bootstrap: int = 0, seed: int = 0,
                     fixed: float | None = None) -> tuple[float, dict]:
    """Confidence threshold on validation: below it a non-fallback prediction -> fallback.

    The lowest-cost threshold, where an error that sends a fallback utterance into a flow costs
    `fallback_cost` (it starts a wrong flow: the shopper must say "never mind") and any other error 1 (a
    flow request answered as a question still gets that flow's button). The cost is flat over a range of
    thresholds: the middle of the longest lowest-cost range is taken. With `bootstrap` > 0 it is the
    median of that choice over resamples of the validation split: on the full split a handful of
    examples decided it (0.52 -> 0.10 when 240 examples were added; a 99.9%-recall constraint hinged on
    the third-worst fallback example and moved 0.52 <-> 0.76 between identical trainings).
    `p` are routing-label probabilities; `pred` the decided labels (default: argmax of `p`). With `fixed`
    that threshold is returned and measured; the validation choice is still reported (`val_choice`)."""
    fb = labels.index(FALLBACK)
    is_flow = np.array([lab in FLOW_INTENTS for lab in labels])
    pred = p.argmax(1) if pred is None else pred
    conf = p[np.arange(len(p)), pred]
    grid = np.round(np.arange(0.0, 0.95, 0.01), 2)
    # per-example cost at each threshold (examples x grid): one matrix product per resample
    routed = np.where((pred[:, None] != fb) & (conf[:, None] < grid[None, :]), fb, pred[:, None])
    wrong = routed != y[:, None]
    cost = wrong * np.where((y == fb)[:, None] & is_flow[routed], fallback_cost, 1.0)
    best = lambda c: _middle_of_longest_run(np.isclose(c, c.min()))  # noqa: E731
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        weights = rng.multinomial(len(y), np.full(len(y), 1.0 / len(y)), size=bootstrap)
        best_t = float(np.median([grid[best(c)] for c in weights @ cost]))
    else:
        best_t = float(grid[best(cost.sum(0))])
    choice, best_t = best_t, (best_t if fixed is None else float(fixed))
    final = np.where((pred != fb) & (conf < best_t), fb, pred)
    n_fb = max(1, int((y == fb).sum()))
    return best_t, {"val_choice": choice, "val_accuracy": float((final == y).mean()), "val_size": int(len(y)),
                    "val_errors": int((final != y).sum()),
                    "val_fallback_recall": round(1.0 - float(((y == fb) & is_flow[final]).sum()) / n_fb, 5)}


def _middle_of_longest_run(mask: np.ndarray) -> int:
    """Index in the middle of the longest run of True. The validation cost is flat over a range of
    thresholds; its lowest end moved from 0.48 to 0.19 when a few hundred examples were added, the middle
    of the range moves less."""
    best, start = (0, 0), None
    for i, m in enumerate(list(mask) + [False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return (best[0] + best[1] - 1) // 2


def _classes(examples: list[Example]) -> tuple[list[str], list[str]]:
    present = {e.train_label for e in examples}
    labels = [l for l in ROUTER_LABELS if l in {c.split(":", 1)[0] for c in present}]
    if FALLBACK not in labels:
        labels.append(FALLBACK)
    topics = sorted(c for c in present if c.startswith(FALLBACK + ":"))
    classes = [c for c in labels if c in present or c == FALLBACK and not topics] + topics
    return labels, classes


def _serving_embeddings(m, texts: list[str], E: np.ndarray, project_dir: Path, progress: bool) -> np.ndarray:
    """The embeddings serving would use for these validation texts: serving embeds `m.embedding_text`
    (spell-repaired), so a text the repair changes is embedded again (and cached) as repaired."""
    from engine.router import embed
    fixed = [m.embedding_text(t) for t in texts]
    changed = [k for k, (t, f) in enumerate(zip(texts, fixed)) if t[:MAX_CHARS] != f]
    if not changed:
        return E
    E = E.copy()
    E[changed] = embed.cached_embeddings([fixed[k] for k in changed], project_dir, progress)
    return E


def train_router(project_dir: Path, *, progress: bool = True, embeddings: bool | None = None,
                 intents_dir: Path | None = None, out_dir: Path | None = None, save: bool = True,
                 examples: list[Example] | None = None, refit: bool = True):
    """Train from `intents/*.yaml` (or the given examples); writes models/router/ unless save=False.

    `refit=False` keeps the model fitted on the training part (the one temperature and threshold were
    calibrated on) instead of refitting on everything: half the fitting time, for the quick router that
    answers while the full one trains (engine/router/quick_start.py)."""
    from engine.router import Router
    from engine.router import embed
    project_dir = Path(project_dir)
    intents_dir = Path(intents_dir or project_dir / "intents")
    st, st_raw = read_settings(project_dir)
    if embeddings is not None:
        st.embeddings = bool(embeddings)
    st.embeddings = st.embeddings and embed.available()  # no torch: the TF-IDF-only model
    t0 = time.perf_counter()
    bar = progress_bar(4 if st.embeddings else 3, "training router", progress)  # the stages below
    examples = load_intents(intents_dir) if examples is None else examples
    texts = [e.text for e in examples]
    labels, classes = _classes(examples)
    y = np.array([classes.index(e.train_label) for e in examples])
    group = collapse_index(classes, labels)
    counts = count_features(texts, st)
    tr, va = stratified_split([e.train_label for e in examples], st.val_fraction, st.seed)
    bar.update(1)
    E = embed.cached_embeddings(texts, project_dir, progress) if st.embeddings else None
    if E is not None:
        bar.update(1)
    T, threshold, vmetrics = 1.0, (0.3 if st.threshold is None else st.threshold), {}
    if len(va):  # 1) fit on the training part; calibrate temperature and threshold on validation
        m = fit_tfidf(counts.rows(tr), y[tr], classes, st, None if E is None else E[tr])
        E_va = None if E is None else _serving_embeddings(m, [texts[i] for i in va], E[va], project_dir, progress)
        s_va = np.stack([m.decision(texts[i], None if E_va is None else E_va[k]) for k, i in enumerate(va)])
        T = fit_temperature(s_va, y[va])
        p_va = softmax(s_va * T)
        pred = group[p_va.argmax(1)] if st.decide_by_class else None
        threshold, vmetrics = choose_threshold(collapse(p_va, group, len(labels)), group[y[va]], labels, pred,
                                               st.fallback_cost, st.threshold_bootstrap, st.seed, st.threshold)
    bar.update(1)
    if refit or not len(va):
        final = fit_tfidf(counts, y, classes, st, E)  # 2) refit on everything
    else:
        final = m
    final.temperature = T
    bar.update(1)
    bar.close()
    secs = time.perf_counter() - t0
    manifest = {
        "model_version": MODEL_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "data_hash": _hash(intents_dir, st_raw),  # the settings trained with, not a re-read
        "intents_dir": str(intents_dir),
        "n_examples": len(texts),
        "label_counts": {l: int((group[y] == i).sum()) for i, l in enumerate(labels)},
        "labels": labels,
        "fallback_topics": [c for c in classes if c.startswith(FALLBACK + ":")],
        "threshold": threshold,
        "temperature": T,
        "quick": not refit,  # the quick router of quick_start.py: fitted once, not refit on everything
        "embeddings": final.needs_embedding,
        "settings": {k: (list(v) if isinstance(v, tuple) else v) for k, v in st.__dict__.items()},
        "libraries": lib_versions(),
        "metrics": {**vmetrics, "train_seconds": round(secs, 2), "n_features": int(final.coef.shape[0])},
    }
    router = Router(final, threshold, st, manifest, labels=labels)
    if save:
        write_artefact(Path(out_dir or project_dir / "models" / "router"), router)
    return router


def write_artefact(out: Path, router) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / (ARTEFACT + ".tmp")
    with open(tmp, "wb") as f:
        pickle.dump({"scorer": router.scorer, "threshold": router.threshold, "settings": router.settings,
                     "labels": router.labels}, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, out / ARTEFACT)
    (out / MANIFEST).write_text(json.dumps(router.manifest, indent=2), encoding="utf-8")
