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

import fcntl
import json
import pickle
import re
import sys
from pathlib import Path

import numpy as np

from engine.contracts import Route, RouteCandidate
from engine.understand import RouteContext
from engine.router.anchors import discount_external, discount_intents, external_mask, intent_mask
from engine.router.context import answer_strength, with_context
from engine.router.intent_data import (
    CHITCHAT_INTENTS, FALLBACK, FLOW_INTENTS, REPAIR_INTENTS, ROUTER_LABELS, SLOT_ANSWER, IntentFileError, Problem,
)
from engine.router.model import MAX_CHARS, Settings, TfidfLinear, softmax
from engine.router.train import (
    ARTEFACT, MANIFEST, MODEL_VERSION, collapse, collapse_index, current_hash, read_settings,
    stratified_split, train_router,
)
from engine.router.quick_start import StartingRouter, start_router
from engine.router.clauses import read_clauses, route_clauses, split_clauses
from engine.pasted_lines import without_quoted_lines
from engine.refusals import refused, unrefused
from engine.thanks_words import ONLY as THANKS_ONLY
from engine.unsupported_asks import overrule

__all__ = [
    "Router", "RouteContext", "load_router", "train_router", "is_stale", "IntentFileError", "Problem",
    "FLOW_INTENTS", "REPAIR_INTENTS", "CHITCHAT_INTENTS", "ROUTER_LABELS", "answer_strength", "segments",
    "read_settings", "stratified_split", "split_clauses", "MODEL_VERSION", "start_router", "StartingRouter",
]

# several-part messages split on sentence ends (not inside an email or 3.5) and on "but / also / btw / tho" joints
_SPLIT = re.compile(r"(?:[.!?;]+(?=\s|$)|\.{2,}|…|\n|,\s*(?:but|and|so|also|tho|though)\b|\b(?:but|also|anyway|btw|tho|though)\b)\s*",
                    re.I)
_SMALL_TALK = (FALLBACK, *CHITCHAT_INTENTS, "affirm", "deny")
def segments(text: str) -> list[str]:
    parts = [p.strip() for p in _SPLIT.split(text[:MAX_CHARS]) if p and len(p.strip()) > 2]
    return parts if len(parts) > 1 else []


class Router:
    """A trained router. Use `load_router` to get one.

    `scorer.labels` are the trained classes (intents and `fallback:<topic>`); `labels` the routing labels
    they collapse to. Probabilities are temperature-calibrated. A scorer trained with sentence embeddings
    (`scorer.needs_embedding`) gets each text encoded by the packaged MiniLM on one thread."""

    def __init__(self, scorer: TfidfLinear, threshold: float, settings: Settings, manifest: dict | None = None,
                 labels: list[str] | None = None):
        self.scorer = scorer
        self.classes = list(scorer.labels)
        self.labels = list(labels) if labels else [c for c in self.classes if ":" not in c]
        if FALLBACK not in self.labels:
            self.labels.append(FALLBACK)
        self._group = collapse_index(self.classes, self.labels)
        self._external = external_mask(self.classes)
        self._intents = intent_mask(self.classes)
        self.threshold = float(threshold)
        self.settings = settings
        self.manifest = manifest or {}

    def proba(self, text: str, emb: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities over `labels` (fallback topics summed); `emb` is a precomputed
        embedding of `text` (route_batch encodes in batches)."""
        return collapse(self.class_proba(text, emb), self._group, len(self.labels))

    def class_proba(self, text: str, emb: np.ndarray | None = None, prepared: str | None = None) -> np.ndarray:
        """Calibrated probabilities over the trained classes (intents and fallback topics), the public data
        sets' topics discounted when the message names the shop's things, the intents when it names a bank's."""
        if emb is None and self.scorer.needs_embedding:
            emb = self._encode([text])[0]
        pc = self.scorer.proba(text, emb, prepared)
        # the public data sets' topics weigh less when the shop is named, the shop's intents when a bank's
        # things are named and the shop's are not (engine/router/anchors.py)
        pc = discount_external(text, pc, self._external, getattr(self.settings, "shop_anchor_discount", 1.0))
        return discount_intents(text, pc, self._intents, getattr(self.settings, "bank_anchor_discount", 1.0))

    @property
    def kind(self) -> str:
        """"full" (as `shoptalk train` fits it) or "quick" (fitted once, no refit: quick_start.py)."""
        return "quick" if self.manifest.get("quick") else "full"

    def describe(self) -> str:
        """Which model answers, for /readyz and the web page."""
        what = "TF-IDF + MiniLM" if self.scorer.needs_embedding else "TF-IDF only"
        return f"{self.kind} router ({what})"

    def warm_up(self) -> None:
        """Load what routing needs (MiniLM: ~1 s) now, not on a shopper's first message."""
        self._encode(["warm up"])

    def _encode(self, texts: list[str]) -> list:
        """Sentence embeddings when the scorer uses them (one thread: one core per worker), else Nones."""
        if not self.scorer.needs_embedding:
            return [None] * len(texts)
        from engine.router.embed import encode
        return list(encode([self.scorer.embedding_text(t) for t in texts], threads=1))

    def _top(self, p: np.ndarray, k: int = 3) -> list[RouteCandidate]:
        return [RouteCandidate(label=self.labels[i], score=round(float(p[i]), 4)) for i in np.argsort(-p)[:k]]

    def _segment_route(self, text: str, p: np.ndarray) -> Route | None:
        """A several-part message whose other parts are small talk: the clear flow request in one part wins.
        A part that is itself a confident open question (e.g. banking) keeps the whole message fallback."""
        best = None
        parts = segments(text)
        # one part at a time: a single text takes MiniLM's frozen fast path (a padded batch does not)
        for seg, emb in ((p, self._encode([p])[0]) for p in parts):
            ps = self.proba(seg, emb)
            j = int(ps.argmax())
            lab = self.labels[j]
            if lab in FLOW_INTENTS and ps[j] >= max(self.threshold, 0.5):
                if best is None or ps[j] > best[1][best[0]]:
                    best = (j, ps)
            elif lab == FALLBACK and ps[j] >= self.settings.segment_block:
                return None
        if best is None:
            return None
        j, ps = best
        merged = np.maximum(p, ps)
        return Route(label=self.labels[j], confidence=round(float(ps[j]), 4), decided_by="classifier:segment",
                     threshold=self.threshold, top=self._top(merged / merged.sum()))

    def _closing_route(self, text: str, p: np.ndarray) -> Route | None:
        """"Perfect, thanks! Have a good one.": a short message of thanks, yes and goodbye parts, one of them a
        sure goodbye, is a goodbye (as a whole, the thanks pull it to fallback)."""
        parts = segments(text)
        if not parts or len(parts) > 3 or len(text.split()) > 14:
            return None
        sure = 0.0
        for seg in parts:  # one part at a time: the first that is no closing ends the reading
            ps = self.proba(seg, self._encode([seg])[0])
            j = int(ps.argmax())
            lab = self.labels[j]
            if lab not in ("goodbye", "affirm", "greet") and not THANKS_ONLY.fullmatch(seg.strip(" ,.!")):
                return None
            if lab == "goodbye":
                sure = max(sure, float(ps[j]))
        if sure < max(self.threshold, 0.5):
            return None
        return Route(label="goodbye", confidence=round(sure, 4), decided_by="classifier:closing",
                     threshold=self.threshold, top=self._top(p))

    def _refused(self, text: str) -> np.ndarray:
        """The labels the message says it does not want ("not a refund, another size": engine/refusals.py)."""
        return np.array([i for i, lab in enumerate(self.labels) if lab in refused(text)], dtype=int)

    @staticmethod
    def _without(p: np.ndarray, gone: np.ndarray) -> np.ndarray:
        """`p` with the refused labels' probability spread over the rest (unchanged when nothing is refused)."""
        if not gone.size:
            return p
        q = p.copy()
        q[gone] = 0.0
        return q / q.sum() if q.sum() > 0 else p

    def _decide(self, pc: np.ndarray, gone: np.ndarray) -> tuple[np.ndarray, int]:
        """(label probabilities, the deciding label's index) from class probabilities `pc`, the refused labels
        `gone` taken out ("not a refund, I want another size": the refused task is no candidate)."""
        if gone.size:
            pc = self._without(pc, np.flatnonzero(np.isin(self._group, gone)))
        p = collapse(pc, self._group, len(self.labels))
        # the most likely class decides (one fallback topic against one intent), not the summed topics
        return p, int(self._group[pc.argmax()]) if self.settings.decide_by_class else int(p.argmax())

    def _unrefused_route(self, text: str, gone: np.ndarray) -> Route | None:
        """"I don't want a refund, I want the jacket in another size": the refused words pull the whole message
        off every flow; what is left once the refusal is cut says what is wanted (None: no flow it is sure of)."""
        rest = unrefused(text).strip(" ,.;:-–—")
        if rest == text.strip(" ,.;:-–—") or len(re.findall(r"\w+", rest)) < 3:
            return None
        p, i = self._decide(self.class_proba(rest), gone)
        if self.labels[i] not in FLOW_INTENTS or p[i] < max(self.threshold, 0.5):
            return None
        return Route(label=self.labels[i], confidence=round(float(p[i]), 4), decided_by="classifier:unrefused",
                     reason=f"what is left once the refused task is cut (“{rest}”) asks for it",
                     threshold=self.threshold, top=self._top(p))

    def _unquoted_route(self, text: str, gone: np.ndarray) -> Route | None:
        """"“I'm not sure I can answer that.” ok then what CAN you do": a line quoted whole (a notice, the
        assistant's last reply) pulls the message off what the shopper asks; the rest alone decides when the
        router is sure of a flow, help or a person (None: nothing quoted, or nothing it is sure of)."""
        rest, quoted = without_quoted_lines(text)
        if not quoted or len(re.findall(r"\w+", rest)) < 2:
            return None
        p, i = self._decide(self.class_proba(rest), gone)
        if (self.labels[i] not in FLOW_INTENTS and self.labels[i] != "help") or p[i] < max(self.threshold, 0.5):
            return None
        return Route(label=self.labels[i], confidence=round(float(p[i]), 4), decided_by="classifier:unquoted",
                     reason=f"what is said besides the quoted line (“{rest}”) asks for it",
                     threshold=self.threshold, top=self._top(p))

    def _clause_route(self, text: str, p: np.ndarray, label: str, conf: float, decided: str,
                      gone: np.ndarray) -> Route | None:
        """A message of several clauses read one clause at a time (engine/router/clauses.py); None: one
        clause, or the clauses change nothing. `gone`: labels the message refuses, refused in every clause."""
        # one clause at a time: a single text takes MiniLM's frozen fast path (a padded batch does not)
        parts = route_clauses(text, lambda c: self._without(self.proba(c, self._encode([c])[0]), gone))
        if not parts:
            return None
        floor = max(self.threshold, 0.5)
        got = read_clauses(p, self.labels, parts, FLOW_INTENTS, floor, self.settings.segment_block,
                           whole_is_flow=label in FLOW_INTENTS)
        if got is None:
            return None
        if got.label is None:  # no clause is sure: the label stands, the candidates are the clauses' best
            return Route(label=label, confidence=round(conf, 4), decided_by=decided, threshold=self.threshold,
                         top=self._top(got.top))
        return Route(label=got.label, confidence=round(got.confidence, 4), decided_by="classifier:clauses",
                     reason=got.why, threshold=self.threshold, top=self._top(got.top))

    def _classify(self, text: str, emb: np.ndarray | None = None, prepared: str | None = None,
                  clauses: bool = False) -> Route:
        gone = self._refused(text)
        p, i = self._decide(self.class_proba(text, emb, prepared), gone)
        label, conf, decided = self.labels[i], float(p[i]), "classifier"
        if label != FALLBACK and conf < self.threshold:
            label, decided = FALLBACK, "threshold"
        if label == FALLBACK and (closing := self._closing_route(text, p)) is not None:
            return closing
        if label == FALLBACK and gone.size and (wanted := self._unrefused_route(text, gone)) is not None:
            return wanted
        if label == FALLBACK and (unquoted := self._unquoted_route(text, gone)) is not None:
            return unquoted
        if clauses and getattr(self.settings, "clause_reading", True) and (label in FLOW_INTENTS or label in _SMALL_TALK):
            by_clause = self._clause_route(text, p, label, conf, decided, gone)
            if by_clause is not None:
                return by_clause
        elif self.settings.segment_routing and label in _SMALL_TALK:
            seg = self._segment_route(text, p)
            if seg is not None:
                return seg
        return Route(label=label, confidence=round(conf, 4), decided_by=decided, threshold=self.threshold,
                     top=self._top(p))

    def route(self, text: str, ctx: RouteContext | None = None, emb: np.ndarray | None = None) -> Route:
        try:
            text = "" if text is None else str(text)
            if not text.strip() or not re.search(r"\w", text[:MAX_CHARS]):
                return Route(label=FALLBACK, confidence=1.0, decided_by="empty_input", threshold=self.threshold)
            expecting = ctx is not None and bool(ctx.expecting_slot or ctx.expecting_type)
            strength = answer_strength(text, ctx) if expecting else 0
            if strength == 2:  # "#W2378156" to "which order?": the context rule decides, no classifier needed
                r = Route(label=SLOT_ANSWER, confidence=1.0, decided_by="slot_answer", threshold=self.threshold)
            elif self.scorer.known_words(text, prep := self.scorer.prepare(text)) == 0:  # emoji, other scripts, noise
                r = Route(label=FALLBACK, confidence=1.0, decided_by="rule:no_known_words", threshold=self.threshold)
            else:
                # an opening (nothing asked) is read clause by clause; an answer to a question as a whole
                r = self._classify(text, emb, prep, clauses=not expecting)  # normalised, spell-repaired once
                r = overrule(text, r, FLOW_INTENTS)  # "split the payment", "undo my cancellation": no flow does it
        except Exception as exc:  # never raise on odd input; say why
            return Route(label=FALLBACK, confidence=0.0, decided_by=f"error:{type(exc).__name__}",
                         threshold=self.threshold)
        return with_context(text, r, ctx, self.threshold, strength) if expecting else r

    def route_batch(self, texts: list[str], ctx: RouteContext | None = None) -> list[Route]:
        """Route many texts; sentence embeddings (if the scorer uses them) are encoded in batches first."""
        return [self.route(t, ctx, e) for t, e in zip(texts, self._encode(texts))]


def is_stale(project_dir: Path, intents_dir: Path | None = None) -> tuple[bool, str]:
    project_dir = Path(project_dir)
    out = project_dir / "models" / "router"
    intents_dir = Path(intents_dir or project_dir / "intents")
    if not (out / ARTEFACT).exists() or not (out / MANIFEST).exists():
        return True, "no trained router found"
    try:
        man = json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return True, "manifest unreadable"
    if man.get("data_hash") != current_hash(project_dir, intents_dir):
        return True, "intents or settings changed"
    return False, "up to date"


def load_router(project_dir: Path, *, train_if_needed: bool = True, progress: bool = True,
                embeddings: bool | None = None, warm: bool = True) -> Router:
    """Load models/router/, training it first when missing or stale (and saying so). A router trained with
    sentence embeddings is retrained TF-IDF-only where they cannot run (no torch / model package) or
    `embeddings=False` asks for the light model; `embeddings=True` asks for them (if they can run).
    Processes that start together (service workers, test workers) train once: the others wait on a file
    lock, then load what the first one wrote."""
    out = Path(project_dir) / "models" / "router"
    d, why = _usable(Path(project_dir), embeddings)
    if d is None:
        if not train_if_needed:
            raise FileNotFoundError(f"router in {out} is not usable ({why}); run `shoptalk train`")
        out.mkdir(parents=True, exist_ok=True)
        with open(out / ".train.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            d, why = _usable(Path(project_dir), embeddings)  # another process may have trained meanwhile
            if d is None:
                print(f"Training the intent router ({why}) ...", file=sys.stderr, flush=True)
                r = train_router(project_dir, progress=progress, embeddings=embeddings)
                print(f"Router trained in {r.manifest['metrics']['train_seconds']} s -> {out}", file=sys.stderr,
                      flush=True)
    if d is not None:
        r = Router(d["scorer"], d["threshold"], d["settings"], json.loads((out / MANIFEST).read_text()),
                   labels=d.get("labels"))
    if warm:
        r.warm_up()
    return r


def _usable(project_dir: Path, embeddings: bool | None) -> tuple[dict | None, str]:
    """The saved artefact if it is up to date and of the wanted kind, else (None, why not)."""
    from engine.router import embed
    stale, why = is_stale(project_dir)
    if stale:
        return None, why
    with open(project_dir / "models" / "router" / ARTEFACT, "rb") as f:
        d = pickle.load(f)
    want = (read_settings(project_dir)[0].embeddings if embeddings is None else embeddings) and embed.available()
    if d["scorer"].needs_embedding != want:
        return None, ("sentence embeddings requested" if want else
                      "the trained router needs sentence embeddings, which cannot run here")
    return d, why
