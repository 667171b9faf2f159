"""The trained classifier: TF-IDF word + char n-grams -> linear model, temperature-calibrated.

Training uses scikit-learn (imported lazily). Prediction does NOT call scikit-learn: the vocabulary,
idf weights and coefficients are copied into plain dicts / numpy arrays and a single utterance is
scored with a sparse dot product (~0.1 ms), which avoids sklearn's per-call validation overhead.
Optional sentence embeddings (packaged all-MiniLM-L6-v2) add a second linear model whose
calibrated probabilities are blended with the TF-IDF ones.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

MAX_CHARS = 1000  # longer input is truncated before classification (100 KB must stay fast)
_WORD = re.compile(r"(?u)\b\w+\b")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")[:MAX_CHARS].lower()
    text = re.sub(r"#?\bw?\d{5,}\b", " 0000000 ", text)  # order ids / long numbers -> one token
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
    Training (`tokenize`) and scoring (`TfidfLinear.decision`) both use this, so they cannot drift."""
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

    def _part(self, toks: list[str], vocab: dict[str, int], idf: np.ndarray, offset: int):
        counts = Counter(t for t in toks if t in vocab)
        if not counts:
            return None, None
        idx = np.fromiter((vocab[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        val = (1.0 + np.log(tf)) * idf[idx]
        val /= math.sqrt(float(val @ val)) or 1.0
        return idx + offset, val

    def decision(self, text: str) -> np.ndarray:
        t = normalise(text)
        s = self.intercept.astype(np.float64).copy()
        wi, wv = self._part(word_features(t, self.word_ngram, self.address_cues), self.word_vocab, self.word_idf, 0)
        ci, cv = self._part(char_wb_tokens(t, self.char_ngram), self.char_vocab, self.char_idf, len(self.word_vocab))
        if wi is not None:
            s += wv @ self.coef[wi]
        if ci is not None:
            s += cv @ self.coef[ci]
        return s

    def known_words(self, text: str) -> int:
        return sum(1 for w in _WORD.findall(normalise(text)) if w in self.word_vocab)

    def proba(self, text: str) -> np.ndarray:
        return softmax(self.decision(text) * self.temperature)


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
    embed_weight: float = 0.5
    segment_routing: bool = True
    address_cues: bool = False   # conjunction tokens: address + account words / address + order words
    decide_by_class: bool = True  # argmax over intents + fallback topics (False: over summed labels)
    segment_block: float = 0.8   # a part that is this confidently fallback keeps the message fallback
    tol: float = 1e-4
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict | None) -> "Settings":
        d = dict(d or {})
        known = {k: d.pop(k) for k in list(d) if k in cls.__dataclass_fields__ and k != "extra"}
        for k in ("word_ngram", "char_ngram"):
            if k in known:
                known[k] = tuple(known[k])
        return cls(**known, extra=d)


def tokenize(texts: list[str], st: Settings) -> tuple[list[list[str]], list[list[str]]]:
    """Word and char_wb n-grams of the normalised texts, computed once per training run (the calibration
    fit and the final fit reuse them; tokenising is most of the vectorising time)."""
    norm = [normalise(t) for t in texts]
    return ([word_features(t, st.word_ngram, st.address_cues) for t in norm],
            [char_wb_tokens(t, st.char_ngram) for t in norm])


def fit_tfidf(tokens: tuple[list[list[str]], list[list[str]]], y: np.ndarray, classes: list[str],
              st: Settings) -> TfidfLinear:
    """Fit vectorizers + LinearSVC on pre-tokenised texts (see `tokenize`); `y` indexes `classes`.
    Returns the pure-numpy scorer."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    words, chars = tokens
    wv = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, lowercase=False)
    cv = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, lowercase=False, min_df=st.char_min_df)
    X = hstack([wv.fit_transform(words), cv.fit_transform(chars)]).tocsr()
    present = sorted(set(y.tolist()))
    weights = {k: (st.fallback_weight if classes[k].startswith("fallback") else 1.0) for k in present}
    clf = LinearSVC(C=st.C, class_weight=weights, max_iter=5000, tol=st.tol).fit(X, y)
    n_cls = len(classes)
    coef = np.zeros((X.shape[1], n_cls), dtype=np.float32)
    inter = np.full(n_cls, -10.0)
    if len(present) == 2:  # binary LinearSVC has one row
        coef[:, present[1]] = clf.coef_[0]
        coef[:, present[0]] = -clf.coef_[0]
        inter[present[1]], inter[present[0]] = clf.intercept_[0], -clf.intercept_[0]
    else:
        for row, k in enumerate(clf.classes_):
            coef[:, k] = clf.coef_[row]
            inter[k] = clf.intercept_[row]
    wvocab = {k: int(v) for k, v in wv.vocabulary_.items()}
    cvocab = {k: int(v) for k, v in cv.vocabulary_.items()}
    return TfidfLinear(list(classes), st.word_ngram, st.char_ngram, wvocab, cvocab,
                       wv.idf_.astype(np.float64), cv.idf_.astype(np.float64), coef, inter,
                       address_cues=st.address_cues)


def _identity(tokens: list[str]) -> list[str]:
    return tokens
