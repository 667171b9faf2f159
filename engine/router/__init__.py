"""The intent router: every free-text utterance -> a flow intent, a repair intent, chit-chat,
`slot_answer` or `fallback`, with the reason (`Route.decided_by`, top candidates, threshold).

    from engine.router import load_router, RouteContext
    router = load_router(Path("."))          # trains into models/router/ when missing or stale
    router.route("cancel the yoga mat order")
    router.route("#W2378156", RouteContext(expecting_slot="order_id", expecting_type="order_id",
                                            active_flow="cancel_order"))

Importable without torch / spaCy / scikit-learn: those load lazily (training, embeddings).
"""
from __future__ import annotations

import json
import os
import pickle
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.contracts import Route, RouteCandidate
from engine.understand import RouteContext
from engine.router.intent_data import (
    CHITCHAT_INTENTS, FALLBACK, FLOW_INTENTS, REPAIR_INTENTS, ROUTER_LABELS, SLOT_ANSWER,
    IntentFileError, Problem, data_hash, load_intents,
)
from engine.router.model import MAX_CHARS, Settings, TfidfLinear, fit_temperature, fit_tfidf, softmax

__all__ = [
    "Router", "RouteContext", "load_router", "train_router", "IntentFileError", "Problem",
    "FLOW_INTENTS", "REPAIR_INTENTS", "CHITCHAT_INTENTS", "ROUTER_LABELS",
]

MODEL_VERSION = "1"
ARTEFACT = "router.pkl"
MANIFEST = "manifest.json"


# --------------------------------------------------------------------------- slot answers
_ORDER_ID = re.compile(r"#?\s?\bw?\s?\d{7}\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_ZIP = re.compile(r"\b\d{5}\b")
_NUMBER = re.compile(r"\b\d+(\.\d+)?\b|\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
_ORDINAL = re.compile(r"\b(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|other)\b( one)?", re.I)
_FILLER = set("""a an the my it its it's is was that this one please pls plz thanks thank you sure ok okay
here yes yeah order id number no email e-mail mail address zip code postal i i'm im am me of for with
and just oh um uh well hmm so its be would like to use choose pick want take go with lets let's""".split())


def _residual(text: str, pattern: re.Pattern | None = None) -> list[str]:
    t = pattern.sub(" ", text) if pattern else text
    return [w for w in re.findall(r"[a-z']+", t.lower()) if w not in _FILLER]


def answer_strength(text: str, ctx: RouteContext) -> int:
    """2: the utterance is essentially an answer to the expected slot; 1: it contains one; 0: no."""
    et = (ctx.expecting_type or ctx.expecting_slot or "").lower()
    t = text.strip()
    pats = {"order_id": _ORDER_ID, "email": _EMAIL, "zip": _ZIP, "number": _NUMBER, "quantity": _NUMBER,
            "money": _NUMBER, "ordinal": _ORDINAL, "item": _ORDINAL}
    pat = next((p for k, p in pats.items() if k in et), None)
    if pat is not None and pat.search(t):
        return 2 if len(_residual(t, pat)) <= 2 else 1
    if ctx.choices:
        low = t.lower()
        for c in ctx.choices:
            vals = [c.get("title"), c.get("value")] if isinstance(c, dict) else \
                [getattr(c, "title", None), getattr(c, "value", None), c]
            for v in vals:
                if isinstance(v, (str, int, float)) and str(v).strip() and \
                        re.search(r"(?<!\w)" + re.escape(str(v).lower()) + r"(?!\w)", low):
                    return 2 if len(_residual(low.replace(str(v).lower(), " "))) <= 2 else 1
        if _ORDINAL.search(t):
            return 2 if len(_residual(t, _ORDINAL)) <= 2 else 1
    return 0


# --------------------------------------------------------------------------- segments
_SPLIT = re.compile(r"(?:[.!?;]+|\.{2,}|…|\n|,\s*(?:but|and|so|also|tho|though)\b|\b(?:but|also|anyway|btw|tho|though)\b)\s*",
                    re.I)


def segments(text: str) -> list[str]:
    parts = [p.strip() for p in _SPLIT.split(text[:MAX_CHARS]) if p and len(p.strip()) > 2]
    return parts if len(parts) > 1 else []


# --------------------------------------------------------------------------- the router
class Router:
    """A trained router. Use `load_router` to get one."""

    def __init__(self, tfidf: TfidfLinear, threshold: float, settings: Settings, manifest: dict | None = None,
                 embed_head: dict | None = None):
        self.tfidf = tfidf
        self.labels = tfidf.labels
        self.threshold = float(threshold)
        self.settings = settings
        self.manifest = manifest or {}
        self.embed_head = embed_head  # {"W": (384, C), "b": (C,), "T": float, "weight": float} or None
        self._fb = self.labels.index(FALLBACK)

    # probabilities for one text (TF-IDF, optionally blended with embeddings)
    def proba(self, text: str) -> np.ndarray:
        p = self.tfidf.proba(text)
        if self.embed_head is not None:
            from engine.router.embed import encode
            e = encode([text])[0]
            pe = softmax((e @ self.embed_head["W"] + self.embed_head["b"]) * self.embed_head["T"])
            w = self.embed_head["weight"]
            p = (1 - w) * p + w * pe
        return p

    def _top(self, p: np.ndarray, k: int = 3) -> list[RouteCandidate]:
        idx = np.argsort(-p)[:k]
        return [RouteCandidate(label=self.labels[i], score=round(float(p[i]), 4)) for i in idx]

    def _classify(self, text: str) -> Route:
        p = self.proba(text)
        i = int(p.argmax())
        label, conf = self.labels[i], float(p[i])
        decided = "classifier"
        if label != FALLBACK and conf < self.threshold:
            label, decided = FALLBACK, "threshold"
        # several-part chatty messages: a clear flow request in one part beats greetings/small talk
        if self.settings.segment_routing and label not in FLOW_INTENTS:
            best = None
            for seg in segments(text):
                ps = self.proba(seg)
                j = int(ps.argmax())
                if self.labels[j] in FLOW_INTENTS and ps[j] >= max(self.threshold, 0.5):
                    if best is None or ps[j] > best[1][best[0]]:
                        best = (j, ps)
            if best is not None:
                j, ps = best
                merged = np.maximum(p, ps)
                merged = merged / merged.sum()
                return Route(label=self.labels[j], confidence=round(float(ps[j]), 4), decided_by="classifier:segment",
                             threshold=self.threshold, top=self._top(merged))
        return Route(label=label, confidence=round(conf, 4), decided_by=decided, threshold=self.threshold,
                     top=self._top(p))

    def route(self, text: str, ctx: RouteContext | None = None) -> Route:
        try:
            text = "" if text is None else str(text)
            if not text.strip() or not re.search(r"\w", text[:MAX_CHARS]):
                return Route(label=FALLBACK, confidence=1.0, decided_by="empty_input", threshold=self.threshold)
            if self.tfidf.known_words(text) == 0:  # nothing we were trained on: emoji, other scripts, noise
                r = Route(label=FALLBACK, confidence=1.0, decided_by="rule:no_known_words",
                          threshold=self.threshold)
            else:
                r = self._classify(text)
        except Exception as exc:  # never raise on odd input; say why
            return Route(label=FALLBACK, confidence=0.0, decided_by=f"error:{type(exc).__name__}",
                         threshold=self.threshold)
        if ctx is None or not (ctx.expecting_slot or ctx.expecting_type):
            return r
        return self._with_context(text, r, ctx)

    def _with_context(self, text: str, r: Route, ctx: RouteContext) -> Route:
        et = (ctx.expecting_type or "").lower()
        strength = answer_strength(text, ctx)
        slot = Route(label=SLOT_ANSWER, confidence=max(r.confidence, 0.9), decided_by="slot_answer",
                     threshold=self.threshold, top=r.top,
                     entities={"expecting_slot": ctx.expecting_slot, "expecting_type": ctx.expecting_type})
        if strength == 2:
            return slot
        if et in ("boolean", "bool", "yes_no", "confirm") and r.label in ("affirm", "deny"):
            return slot
        # control words always win inside a flow
        if r.label in ("cancel", "start_over", "help", "correction") and r.confidence >= self.threshold:
            return r
        # a clear new request is a digression (or the same flow restated: still an answer)
        if r.label in FLOW_INTENTS and r.decided_by.startswith("classifier"):
            if r.label == ctx.active_flow and strength:
                return slot
            if r.label != ctx.active_flow and r.confidence >= max(self.threshold, 0.6):
                return r
            if r.label == ctx.active_flow:
                return slot
        if strength == 1:
            return slot
        if et in ("order_id", "email", "zip", "number", "quantity", "money"):
            # the expected value is not there: not an answer; keep the classifier's route
            return r
        if r.label in (FALLBACK, "affirm", "deny", "greet") or r.confidence < 0.6:
            return slot  # free-text / names / choices: the flow validates the value
        return r

    def route_batch(self, texts: list[str], ctx: RouteContext | None = None) -> list[Route]:
        return [self.route(t, ctx) for t in texts]


# --------------------------------------------------------------------------- training / loading
def _settings_path(project_dir: Path) -> Path:
    return project_dir / "models" / "router_settings.yaml"


def read_settings(project_dir: Path) -> tuple[Settings, bytes]:
    p = _settings_path(project_dir)
    if not p.exists():
        return Settings(), b""
    import yaml
    raw = p.read_bytes()
    return Settings.from_dict(yaml.safe_load(raw) or {}), raw


def _lib_versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "numpy": np.__version__}
    for m in ("sklearn", "scipy", "torch", "transformers", "spacy"):
        mod = sys.modules.get(m)
        if mod is None:
            try:
                import importlib.metadata as md
                dist = {"sklearn": "scikit-learn"}.get(m, m)
                out[m] = md.version(dist)
            except Exception:
                continue
        else:
            out[m] = getattr(mod, "__version__", "?")
    return out


def _progress(total: int, desc: str, enabled: bool):
    try:
        from tqdm import tqdm
        return tqdm(total=total, desc=desc, disable=not enabled, leave=False, file=sys.stderr)
    except Exception:  # pragma: no cover
        class _N:
            def update(self, n=1): pass
            def close(self): pass
            def set_description(self, d): pass
        return _N()


def _stratified_split(labels: list[str], frac: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.array(labels)
    val = []
    for lab in sorted(set(labels)):
        idx = np.flatnonzero(y == lab)
        rng.shuffle(idx)
        k = int(round(len(idx) * frac)) if len(idx) >= 10 else 0
        val.extend(idx[:k].tolist())
    val_mask = np.zeros(len(labels), dtype=bool)
    val_mask[val] = True
    return np.flatnonzero(~val_mask), np.flatnonzero(val_mask)


def choose_threshold(p: np.ndarray, y: np.ndarray, labels: list[str]) -> tuple[float, dict]:
    """Lowest-error confidence threshold on validation: below it a non-fallback prediction -> fallback.
    Errors that send a fallback utterance into a flow count double (they start the wrong flow)."""
    fb = labels.index(FALLBACK)
    pred = p.argmax(1)
    conf = p.max(1)
    best_t, best_cost = 0.0, None
    for t in np.round(np.arange(0.0, 0.95, 0.01), 2):
        routed = np.where((pred != fb) & (conf < t), fb, pred)
        wrong = routed != y
        cost = wrong.sum() + ((y == fb) & (routed != fb) & wrong).sum()
        if best_cost is None or cost < best_cost:
            best_t, best_cost = float(t), cost
    routed = np.where((pred != fb) & (conf < best_t), fb, pred)
    return best_t, {"val_accuracy": float((routed == y).mean()), "val_size": int(len(y)),
                    "val_errors": int((routed != y).sum())}


def train_router(project_dir: Path, *, progress: bool = True, embeddings: bool | None = None,
                 intents_dir: Path | None = None, out_dir: Path | None = None, save: bool = True,
                 examples=None) -> Router:
    """Train from `intents/*.yaml` (or given examples) and write models/router/{router.pkl,manifest.json}."""
    project_dir = Path(project_dir)
    intents_dir = Path(intents_dir or project_dir / "intents")
    st, st_raw = read_settings(project_dir)
    if embeddings is not None:
        st.embeddings = bool(embeddings)
    if st.embeddings:
        from engine.router import embed
        if not embed.available():
            st.embeddings = False
    t0 = time.perf_counter()
    bar = _progress(4 + (2 if st.embeddings else 0), "training router", progress)
    if examples is None:
        examples = load_intents(intents_dir)
    texts = [e.text for e in examples]
    labels = [e.intent for e in examples]
    label_order = [l for l in ROUTER_LABELS if l in set(labels)]
    if FALLBACK not in label_order:
        label_order.append(FALLBACK)
    y = np.array([label_order.index(l) for l in labels])
    bar.update(1)
    tr, va = _stratified_split(labels, st.val_fraction, st.seed)
    # 1) fit on the training part, calibrate temperature + threshold on the validation part
    m = fit_tfidf([texts[i] for i in tr], [labels[i] for i in tr], label_order, st)
    bar.update(1)
    head = None
    if len(va):
        s_va = np.stack([m.decision(texts[i]) for i in va])
        T = fit_temperature(s_va, y[va])
        p_va = softmax(s_va * T)
        if st.embeddings:
            from engine.router.embed import encode
            E = _embed_cached(texts, project_dir, bar)
            head = _fit_embed_head(E[tr], y[tr], len(label_order), st)
            pe = softmax((E[va] @ head["W"] + head["b"]) * 1.0)
            head["T"] = fit_temperature(E[va] @ head["W"] + head["b"], y[va])
            pe = softmax((E[va] @ head["W"] + head["b"]) * head["T"])
            p_va = (1 - st.embed_weight) * p_va + st.embed_weight * pe
            head["weight"] = st.embed_weight
        threshold, vmetrics = choose_threshold(p_va, y[va], label_order)
    else:
        T, threshold, vmetrics = 1.0, 0.3, {}
    bar.update(1)
    # 2) refit on everything with the calibrated temperature and threshold
    final = fit_tfidf(texts, labels, label_order, st)
    final.temperature = T
    if st.embeddings and head is not None:
        h2 = _fit_embed_head(E, y, len(label_order), st)
        h2.update(T=head["T"], weight=head["weight"])
        head = h2
    bar.update(1)
    bar.close()
    secs = time.perf_counter() - t0
    counts = {l: int((y == i).sum()) for i, l in enumerate(label_order)}
    manifest = {
        "model_version": MODEL_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "data_hash": data_hash(intents_dir, st_raw + MODEL_VERSION.encode()),
        "intents_dir": str(intents_dir),
        "n_examples": len(texts),
        "label_counts": counts,
        "labels": label_order,
        "threshold": threshold,
        "temperature": T,
        "embeddings": bool(head is not None),
        "settings": {k: (list(v) if isinstance(v, tuple) else v) for k, v in st.__dict__.items()},
        "libraries": _lib_versions(),
        "metrics": {**vmetrics, "train_seconds": round(secs, 2),
                    "n_features": int(final.coef.shape[0])},
    }
    router = Router(final, threshold, st, manifest, head)
    if save:
        out = Path(out_dir or project_dir / "models" / "router")
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / (ARTEFACT + ".tmp")
        with open(tmp, "wb") as f:
            pickle.dump({"tfidf": final, "threshold": threshold, "settings": st, "embed_head": head}, f,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, out / ARTEFACT)
        (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return router


def _embed_cached(texts: list[str], project_dir: Path, bar) -> np.ndarray:
    """Embeddings with an on-disk cache keyed by text (re-training after a small edit is quick)."""
    import hashlib
    from engine.router.embed import encode
    cache_p = project_dir / "models" / "router" / "embed_cache.npz"
    cache: dict[str, np.ndarray] = {}
    if cache_p.exists():
        try:
            z = np.load(cache_p, allow_pickle=False)
            cache = dict(zip(z["keys"].tolist(), z["vecs"]))
        except Exception:
            cache = {}
    keys = [hashlib.md5(t.encode()).hexdigest() for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in cache}.items())
    if missing:
        sub = _progress(len(missing), "embedding examples", True)
        vecs = encode([t for _, t in missing], threads=max(1, min(2, os.cpu_count() or 1)), progress=sub.update)
        sub.close()
        for (k, _), v in zip(missing, vecs):
            cache[k] = v
        cache_p.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache_p, keys=np.array(list(cache)), vecs=np.stack(list(cache.values())))
    bar.update(1)
    return np.stack([cache[k] for k in keys])


def _fit_embed_head(E: np.ndarray, y: np.ndarray, n_cls: int, st: Settings) -> dict:
    from sklearn.svm import LinearSVC
    clf = LinearSVC(C=1.0, max_iter=5000).fit(E, y)
    W = np.zeros((E.shape[1], n_cls), dtype=np.float32)
    b = np.full(n_cls, -10.0)
    for row, k in enumerate(clf.classes_):
        W[:, k] = clf.coef_[row]
        b[k] = clf.intercept_[row]
    return {"W": W, "b": b, "T": 1.0, "weight": st.embed_weight}


def is_stale(project_dir: Path, intents_dir: Path | None = None) -> tuple[bool, str]:
    project_dir = Path(project_dir)
    out = project_dir / "models" / "router"
    intents_dir = Path(intents_dir or project_dir / "intents")
    if not (out / ARTEFACT).exists() or not (out / MANIFEST).exists():
        return True, "no trained router found"
    try:
        man = json.loads((out / MANIFEST).read_text())
    except Exception:
        return True, "manifest unreadable"
    _, st_raw = read_settings(project_dir)
    if man.get("data_hash") != data_hash(intents_dir, st_raw + MODEL_VERSION.encode()):
        return True, "intents or settings changed"
    return False, "up to date"


def load_router(project_dir: Path, *, train_if_needed: bool = True, progress: bool = True,
                embeddings: bool | None = None) -> Router:
    """Load models/router/, training it first when missing or stale (and saying so)."""
    project_dir = Path(project_dir)
    stale, why = is_stale(project_dir)
    out = project_dir / "models" / "router"
    if stale:
        if not train_if_needed:
            raise FileNotFoundError(f"router in {out} is not usable ({why}); run `shoptalk train`")
        print(f"Training the intent router ({why}) ...", file=sys.stderr, flush=True)
        r = train_router(project_dir, progress=progress, embeddings=embeddings)
        print(f"Router trained in {r.manifest['metrics']['train_seconds']} s -> {out}", file=sys.stderr, flush=True)
        return r
    with open(out / ARTEFACT, "rb") as f:
        d = pickle.load(f)
    man = json.loads((out / MANIFEST).read_text())
    head = d.get("embed_head")
    if embeddings is False:
        head = None
    elif head is not None:
        from engine.router import embed
        if not embed.available():
            head = None  # torch absent: the TF-IDF model is the light fallback
    return Router(d["tfidf"], d["threshold"], d["settings"], man, head)
