"""Spelling repair for words the router was never trained on ("wheres my oder", "chnage my items",
"myshipping address").

Character n-grams already soften typos, but the word features of a misspelt word are simply missing, so
a short message can lose the one word that carried its intent. At prediction time each unknown
alphabetic word is replaced by the most frequent training word one edit away (Norvig's deletion,
transposition, substitution, insertion) or, failing that, split into two known words. A word seen in
training only a few times (Bitext's own typos: "oder", "chnage") counts as unknown when a neighbour is
at least `dominance` times as frequent. Short words (<= 3 letters) have too many neighbours to guess.

A real English word is never "repaired": the training vocabulary lacks most of them, and their neighbours
are frequent ("cold" -> "could", "band" -> "and", "heating" -> "heading", "unrelated" -> "un related").
`dictionary` holds the whole words of the packaged MiniLM tokenizer's vocabulary (`embed.dictionary_words`).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from engine.voice_typing import ABBREVIATIONS as SHOP_ABBREVIATIONS

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Shop-chat abbreviations (engine/voice_typing.py writes them out before any reading; a router used alone, as the
# benches do, writes them out here), and two that are words only to this router's vocabulary
ABBREVIATIONS: dict[str, str] = {**SHOP_ABBREVIATIONS, "acc": "account", "ord": "order"}
_WORD = re.compile(r"[A-Za-z]+")


def _edits1(w: str, substitutions: bool = True) -> set[str]:
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = ({a + b[1:] for a, b in splits if b}
           | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
           | {a + c + b for a, b in splits for c in _LETTERS})
    return out | {a + c + b[1:] for a, b in splits if b for c in _LETTERS} if substitutions else out


@dataclass
class Speller:
    """`df`: document frequency of each single training word (from the fitted word vocabulary)."""

    df: dict[str, float]
    min_len: int = 4
    rare: float = 3.0        # a known word seen at most this often may itself be a typo ...
    dominance: float = 100.0  # ... of a neighbour at least this many times as frequent
    min_substitution_len: int = 6  # "hills" -> "bills", "fake" -> "make": short real words, not typos
    dictionary: frozenset[str] = frozenset()  # real words, kept as written

    def fix(self, word: str) -> str | None:
        """The repair of one unknown (or rare, dominated) word, or None when there is no confident one."""
        known = self.df.get(word, 0.0)
        full = ABBREVIATIONS.get(word)
        if full and known <= self.rare and all(w in self.df for w in full.split()):
            return full
        if len(word) < self.min_len or known > self.rare or word in self.dictionary:
            return None
        cands = [c for c in _edits1(word, len(word) >= self.min_substitution_len) if c in self.df and len(c) > 2]
        if cands:
            best = max(cands, key=lambda c: (self.df[c], c))
            return best if not known or self.df[best] >= self.dominance * known else None
        if known:
            return None
        splits = [(word[:i], word[i:]) for i in range(2, len(word) - 1)
                  if word[:i] in self.df and word[i:] in self.df]
        if splits:
            a, b = max(splits, key=lambda s: (min(self.df[s[0]], self.df[s[1]]), s))
            return f"{a} {b}"
        return None

    def correct(self, text: str) -> str:
        """`text` with its unknown words repaired (compared in lower case; other words kept as written)."""
        return _WORD.sub(lambda m: self.fix(m.group(0).lower()) or m.group(0), text)


def speller_from_vocab(vocab: dict[str, int], idf, n_docs: int, dictionary=frozenset()) -> Speller:
    """Document frequencies recovered from sklearn's smoothed idf: idf = ln((1+n)/(1+df)) + 1."""
    return Speller({w: (1 + n_docs) / math.exp(float(idf[i]) - 1) - 1
                    for w, i in vocab.items() if w.isalpha()}, dictionary=frozenset(dictionary))
