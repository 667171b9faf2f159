"""The trained classifier: TF-IDF word + char n-grams (and, optionally, the sentence embedding) ->
one linear model over intents and fallback topics, temperature-calibrated.

Training uses scikit-learn (imported lazily). Prediction does NOT call scikit-learn: the vocabulary,
idf weights and coefficients are copied into plain dicts / numpy arrays and a single utterance is
scored with a sparse dot product (~0.1 ms), which avoids sklearn's per-call validation overhead.
With `embeddings`, the 384 MiniLM dimensions are extra columns of the same linear model (`dense_coef`),
so one LinearSVC weighs n-grams against meaning; without torch the TF-IDF-only model is trained instead.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.router.embed import dictionary_words
from engine.router.spelling import Speller, speller_from_vocab
from engine.voice_typing import as_meant

MAX_CHARS = 1000  # longer input is truncated before classification (100 KB must stay fast)
_WORD = re.compile(r"(?u)\b\w+\b")
_SPACES = re.compile(r"\s+")


_CLOSING = re.compile(r"[.!?,;:]+(?=\s|$)")


def normalise(text: str) -> str:
    text = as_meant(unicodedata.normalize("NFKC", text or "")[:MAX_CHARS]).lower()
    text = re.sub(r"#?\bw?\d{5,}\b", " 0000000 ", text)  # order ids / long numbers -> one token
    # punctuation closing a word is not part of it: "cancel an order." must read as "cancel an order" (its
    # character n-grams were "order." and fell to fallback 0.93); a question mark stays as its own token
    text = _CLOSING.sub(lambda m: " ? " if "?" in m.group() else " ", text)
    return _SPACES.sub(" ", text).strip()


def word_tokens(text: str, ngram: tuple[int, int]) -> list[str]:
    toks = _WORD.findall(text)
    out = []
    lo, hi = ngram
    for n in range(lo, hi + 1):
        if n == 1:
            out.extend(toks)
        else:
            out.extend(" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1))
    return out


# Address cues (`address_cues` setting): which address does the shopper mean? A linear model over n-grams
# cannot express "an address word AND an account word somewhere in the message", so two conjunction
# tokens are added to the word features: the account's saved/default address vs one order's address.
_ADDRESS = re.compile(r"\b(?:addr?ess?|adress|addres|street|ship(?:ping)? to|deliver(?:ed|y)? to|send (?:it|them) to|redirect|reroute)\b")
_ACCOUNT_CUE = re.compile(r"\b(?:account|profile|default|on file|saved|stored|address book|on record|settings|"
                          r"future|next time|primary|all (?:my )?orders)\b")
_ORDER_CUE = re.compile(r"\b(?:order|orders|package|parcel|shipment|purchase|delivery|redirect|reroute|bought|"
                        r"placed|pending|0000000)\b")
CUE_ACCOUNT, CUE_ORDER = "__address_account__", "__address_order__"


def cue_tokens(text: str) -> list[str]:
    """Conjunction tokens for the normalised text (see `_ADDRESS`)."""
    if not _ADDRESS.search(text):
        return []
    out = []
    if _ACCOUNT_CUE.search(text):
        out.append(CUE_ACCOUNT)
    if _ORDER_CUE.search(_ACCOUNT_CUE.sub(" ", text)):
        out.append(CUE_ORDER)
    return out


def word_features(text: str, ngram: tuple[int, int], address_cues: bool) -> list[str]:
    """The word part of the features of a normalised text: n-grams, plus the cue tokens when enabled.
    Training (`count_features`) and scoring (`TfidfLinear.decision`) both use this, so they cannot drift."""
    toks = word_tokens(text, ngram)
    return toks + cue_tokens(text) if address_cues else toks


def char_wb_tokens(text: str, ngram: tuple[int, int]) -> list[str]:
    """Same n-grams as sklearn's analyzer='char_wb' (words padded with one space each side)."""
    lo, hi = ngram
    out = []
    for w in text.split():
        w = f" {w} "
        L = len(w)
        for n in range(lo, hi + 1):
            if n > L:
                break
            out.extend(w[i:i + n] for i in range(L - n + 1))
    return out


@dataclass
class TfidfLinear:
    """Pure-numpy scorer extracted from fitted vectorizers + a linear classifier."""

    labels: list[str]
    word_ngram: tuple[int, int]
    char_ngram: tuple[int, int]
    word_vocab: dict[str, int]
    char_vocab: dict[str, int]
    word_idf: np.ndarray
    char_idf: np.ndarray
    coef: np.ndarray          # (n_word + n_char, n_classes) float32
    intercept: np.ndarray     # (n_classes,)
    temperature: float = 1.0
    address_cues: bool = False
    speller: Speller | None = None  # repairs unknown words before scoring (`spelling` setting)
    dense_coef: np.ndarray | None = None  # (384, n_classes): sentence-embedding columns (`embeddings` setting)

    @property
    def needs_embedding(self) -> bool:
        return self.dense_coef is not None

    def embedding_text(self, text: str) -> str:
        """The text the sentence embedding reads: truncated and spell-repaired like the n-grams (not lower-cased)."""
        t = as_meant(str(text or "")[:MAX_CHARS])
        return self.speller.correct(t) if self.speller is not None else t

    def prepare(self, text: str) -> str:
        """The text as the features see it: normalised, unknown words repaired."""
        t = normalise(text)
        return self.speller.correct(t) if self.speller is not None else t

    def _part(self, toks: list[str], vocab: dict[str, int], idf: np.ndarray, offset: int):
        counts = Counter(t for t in toks if t in vocab)
        if not counts:
            return None, None
        idx = np.fromiter((vocab[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        val = (1.0 + np.log(tf)) * idf[idx]
        val /= math.sqrt(float(val @ val)) or 1.0
        return idx + offset, val

    def decision(self, text: str, emb: np.ndarray | None = None, prepared: str | None = None) -> np.ndarray:
        """Class scores; `emb` is the text's sentence embedding, required when `needs_embedding`;
        `prepared` is `prepare(text)` when the caller has it already (the router does, once per message)."""
        t = self.prepare(text) if prepared is None else prepared
        s = self.intercept.astype(np.float64).copy()
        wi, wv = self._part(word_features(t, self.word_ngram, self.address_cues), self.word_vocab, self.word_idf, 0)
        ci, cv = self._part(char_wb_tokens(t, self.char_ngram), self.char_vocab, self.char_idf, len(self.word_vocab))
        if wi is not None:
            s += wv @ self.coef[wi]
        if ci is not None:
            s += cv @ self.coef[ci]
        if self.dense_coef is not None:
            if emb is None:
                raise ValueError("this model scores sentence embeddings too: pass the text's `emb`")
            s += np.asarray(emb, dtype=np.float64) @ self.dense_coef
        return s

    def known_words(self, text: str, prepared: str | None = None) -> int:
        t = self.prepare(text) if prepared is None else prepared
        return sum(1 for w in _WORD.findall(t) if w in self.word_vocab)

    def proba(self, text: str, emb: np.ndarray | None = None, prepared: str | None = None) -> np.ndarray:
        return softmax(self.decision(text, emb, prepared) * self.temperature)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def fit_temperature(scores: np.ndarray, y: np.ndarray) -> float:
    """Temperature scaling (one scalar) by NLL grid search on held-out scores."""
    best, best_t = float("inf"), 1.0
    for t in np.geomspace(0.3, 60, 80):
        p = softmax(scores * t)
        nll = -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))
        if nll < best:
            best, best_t = nll, float(t)
    return best_t


@dataclass
class Settings:
    word_ngram: tuple[int, int] = (1, 2)
    char_ngram: tuple[int, int] = (2, 5)
    char_min_df: int = 2
    C: float = 0.5
    fallback_weight: float = 1.0
    val_fraction: float = 0.1
    seed: int = 13
    embeddings: bool = False
    embed_scale: float = 1.0     # weight of the (unit-length) embedding columns against the TF-IDF ones
    embed_dims: int = 0          # train on this many top singular directions of the embeddings (0: all 384)
    jobs: int = 2                # threads for the one-vs-rest fits (liblinear releases the GIL)
    segment_routing: bool = True
    address_cues: bool = False   # conjunction tokens: address + account words / address + order words
    decide_by_class: bool = True  # argmax over intents + fallback topics (False: over summed labels)
    segment_block: float = 0.8   # a part that is this confidently fallback keeps the message fallback
    shop_anchor_discount: float = 1.0  # weight of BANKING77/CLINC topics when the shop is named (anchors.py)
    bank_anchor_discount: float = 1.0  # weight of the intents when a bank's things, not the shop's, are named
    clause_reading: bool = True  # an opening of several clauses read clause by clause (engine/router/clauses.py)
    spelling: bool = False       # repair unknown words at prediction (engine/router/spelling.py)
    tol: float = 1e-4
    fallback_cost: float = 2.0   # threshold: cost of sending a fallback utterance into a flow (other errors 1)
    threshold_bootstrap: int = 0  # threshold: median over this many resamples of the validation split
    threshold: float | None = None  # a fixed threshold (None: the one chosen on validation is served)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict | None) -> "Settings":
        d = dict(d or {})
        known = {k: d.pop(k) for k in list(d) if k in cls.__dataclass_fields__ and k != "extra"}
        for k in ("word_ngram", "char_ngram"):
            if k in known:
                known[k] = tuple(known[k])
        return cls(**known, extra=d)


@dataclass
class Counts:
    """Raw n-gram counts of every training text, computed once per training run: the calibration fit
    and the final fit take rows of them (the tokens themselves are never kept: ~8M strings)."""

    words: Any               # scipy CSR (texts x word terms)
    word_terms: np.ndarray   # term of each column
    chars: Any               # scipy CSR (texts x char n-grams)
    char_terms: np.ndarray

    def rows(self, idx) -> "Counts":
        return Counts(self.words[idx], self.word_terms, self.chars[idx], self.char_terms)

    def __len__(self) -> int:
        return self.words.shape[0]


def count_features(texts: list[str], st: Settings) -> Counts:
    """Word features (`word_features`) and char_wb n-grams of the normalised texts, counted."""
    from sklearn.feature_extraction.text import CountVectorizer

    norm = [normalise(t) for t in texts]
    wv = CountVectorizer(analyzer=lambda t: word_features(t, st.word_ngram, st.address_cues), lowercase=False)
    cv = CountVectorizer(analyzer=lambda t: char_wb_tokens(t, st.char_ngram), lowercase=False)
    W, C = wv.fit_transform(norm), cv.fit_transform(norm)
    return Counts(W, wv.get_feature_names_out(), C, cv.get_feature_names_out())


def _tfidf(counts, terms: np.ndarray, min_df: int):
    """What TfidfVectorizer(sublinear_tf=True, min_df) fitted on these rows gives: matrix, vocabulary, idf."""
    from sklearn.feature_extraction.text import TfidfTransformer

    keep = np.flatnonzero(np.bincount(counts.indices, minlength=counts.shape[1]) >= min_df)
    X = counts[:, keep]
    tt = TfidfTransformer(sublinear_tf=True)
    X = tt.fit_transform(X)
    return X, {str(terms[k]): i for i, k in enumerate(keep)}, tt.idf_.astype(np.float64)


def fit_tfidf(counts: Counts, y: np.ndarray, classes: list[str], st: Settings,
              E: np.ndarray | None = None) -> TfidfLinear:
    """TF-IDF of these texts' counts (see `count_features`) and, when given, their sentence embeddings `E`
    as extra columns -> LinearSVC; `y` indexes `classes`. Returns the pure-numpy scorer."""
    from scipy.sparse import csr_matrix, hstack

    Xw, wvocab, widf = _tfidf(counts.words, counts.word_terms, 1)
    Xc, cvocab, cidf = _tfidf(counts.chars, counts.char_terms, st.char_min_df)
    Ed = V = None
    if E is not None:
        Ed = E.astype(np.float64)
        if 0 < st.embed_dims < Ed.shape[1]:  # train on the top singular directions (fewer columns)
            # the top right singular vectors, from the 384 x 384 Gram matrix (the SVD of the tall
            # matrix took 1.5 s per fit computing left vectors that are never used)
            w, vecs = np.linalg.eigh(Ed.T @ Ed)
            V = vecs[:, np.argsort(w)[::-1][:st.embed_dims]]  # (384, dims)
            Ed = Ed @ V
    parts = [Xw, Xc] + ([csr_matrix(Ed * st.embed_scale)] if Ed is not None else [])
    X = hstack(parts).tocsr()
    del parts
    weights = {k: (st.fallback_weight if classes[k].startswith("fallback") else 1.0) for k in set(y.tolist())}
    coef, inter = fit_one_vs_rest(X, y, len(classes), weights, st)
    n_sparse = Xw.shape[1] + Xc.shape[1]
    dense = coef[n_sparse:].astype(np.float64) * st.embed_scale if E is not None else None
    if dense is not None and V is not None:
        dense = V @ dense  # back to the 384 embedding dimensions: scoring is unchanged
    speller = speller_from_vocab(wvocab, widf, len(counts), dictionary_words()) if st.spelling else None
    return TfidfLinear(list(classes), st.word_ngram, st.char_ngram, wvocab, cvocab, widf, cidf,
                       coef[:n_sparse], inter, address_cues=st.address_cues, speller=speller, dense_coef=dense)


def fit_one_vs_rest(X, y: np.ndarray, n_cls: int, weights: dict[int, float], st: Settings):
    """LinearSVC one-vs-rest, the classes shared out over `st.jobs` threads (liblinear releases the GIL).

    Each thread fits its classes with every other class relabelled as one `rest` label, whose own
    classifier is dropped: class k's binary problem (positives weighted `weights[k]`, negatives 1) is
    exactly the one liblinear's multi-class one-vs-rest solves, so the model is the same, in about half
    the time on 2 cores. Classes absent from `y` get intercept -10 (never predicted)."""
    from concurrent.futures import ThreadPoolExecutor
    from sklearn.svm import LinearSVC

    present = sorted(weights)
    jobs = max(1, min(st.jobs, len(present)))
    rest = -1

    def fit(group: list[int]):
        yy = np.where(np.isin(y, group), y, rest)
        cw = {k: weights[k] for k in group} | {rest: 1.0}
        clf = LinearSVC(C=st.C, class_weight=cw, max_iter=5000, tol=st.tol, random_state=st.seed).fit(X, yy)
        if len(clf.classes_) == 2:  # binary: one row, for classes_[1]
            a, b = (int(k) for k in clf.classes_)
            out = {b: (clf.coef_[0], clf.intercept_[0])}
            return out if a == rest else out | {a: (-clf.coef_[0], -clf.intercept_[0])}
        return {int(k): (clf.coef_[r], clf.intercept_[r]) for r, k in enumerate(clf.classes_) if k != rest}

    groups = [present[i::jobs] for i in range(jobs)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        fitted = [kv for part in pool.map(fit, groups) for kv in part.items()]
    coef = np.zeros((X.shape[1], n_cls), dtype=np.float32)
    inter = np.full(n_cls, -10.0)
    for k, (w, b) in fitted:
        coef[:, k], inter[k] = w, b
    return coef, inter
