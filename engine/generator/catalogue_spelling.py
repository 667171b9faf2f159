"""A catalogue word misspelt by one letter, read as the catalogue's: "dumbells under 460?", "cheapest rechargable
toothbrush".

The catalogue answers compare words: a product name, a synonym or an option value the shopper misspells names
nothing, so "dumbells under 460?" got the scope answer and "a rechargable toothbrush, tired of buying batteries"
was answered for AA batteries. A word of at least 6 letters that is no catalogue word, no word of the shop's
knowledge and no English word (the packaged MiniLM tokenizer's whole words: "charge" is no misspelt "charger",
"starts" no "smarts"), one edit (a letter added, dropped, changed, or two swapped) from exactly one catalogue word,
is read as that word. Only the catalogue's own words are targets, and only for the catalogue's answers (the rules are searched
in the shopper's words). The words a catalogue question is read by are targets too ("cheepest", "heavyest", "wich colors"),
and so are the option names ("compartement"). A 5-letter word missing one letter of a 6-letter catalogue word is read as it
("laptp", "tshrt"); a shorter word is too close to others. When a misspelling is one edit from several forms of one word
("deliverd": deliver, delivered), the form ending in the same letter is read.

A word typed without its vowels ("ordr", "crd", "rfnd": no vowel after its first letter, no known word) is read as
the one vocabulary word it is, its consonants in order and only vowels left out (any length: a phone keyboard drops
vowels, not consonants).

`knowledge_respeller` does the same for the words of the shop's policy and FAQ, for every reading of a question: "can i
exchnage my shoes, its deliverd" otherwise names neither the exchange nor the delivered order the rules are about.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from engine.knowledge import Passage
from engine.knowledge.wording import words
from engine.router.embed import dictionary_words

MIN_LEN = 6  # shorter words are too close to too many others ("boot" / "book" / "boat")
# the words catalogue questions are read by (catalogue_answers.py, catalogue_extremes.py)
CUE_WORDS = ("cheapest", "priciest", "expensive", "heaviest", "lightest", "biggest", "largest", "smallest", "tallest",
             "longest", "shortest", "available", "colors", "colours", "options", "which", "variants")


def one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


def catalogue_words(catalogue: dict, extra: Iterable[str] = ()) -> set[str]:
    """The words of the product names, option values and `extra` (synonyms), with their plurals."""
    texts = [p["name"] for p in catalogue.values()] + list(extra)
    texts += [str(x) for p in catalogue.values() for v in p["variants"].values() for x in v["options"].values()]
    texts += [k for p in catalogue.values() for v in p["variants"].values() for k in v["options"]] + list(CUE_WORDS)
    words = {w for t in texts for w in re.findall(r"[a-z]+", t.lower())}
    # English plurals only: a made-up "wiredes" is one edit from "wireles" too, and "wireless" was then no longer the
    # one word it could be
    return words | {w + "s" for w in words} | {w + "es" for w in words if re.search(r"(s|x|z|ch|sh)$", w)}


def option_words(catalogue: dict, knowledge: list[Passage]) -> set[str]:
    """The words of the catalogue's options and their values that no rule of the policy or FAQ uses ("waterproof",
    "navy"): a shopper's description of their item, which a rule holding for every item need not repeat."""
    values = " ".join(f"{k} {x}" for p in catalogue.values() for v in p["variants"].values()
                      for k, x in v["options"].items())
    return words(values) - words(" ".join(p.text + " " + p.section for p in knowledge))


def known_words(passages: list[Passage]) -> set[str]:
    """Words never respelt: those of the shop's policy and FAQ, and English words."""
    return {w for p in passages if p.source != "catalogue" for w in re.findall(r"[a-z]+", p.text.lower())} | \
        set(dictionary_words())


def vowels_dropped(short: str, word: str) -> bool:
    """Whether `short` is `word` with some of its vowels after the first letter left out ("ordr", "crd", "retrn",
    "exchng"): how a word is typed fast on a phone, the consonants kept in order."""
    if len(short) >= len(word) or short[:1] != word[:1]:
        return False
    i = 0
    for ch in word:
        if i < len(short) and ch == short[i]:
            i += 1
        elif ch not in "aeiou" or i == 0:
            return False
    return i == len(short)


def respell(question: str, vocabulary: set[str], known: set[str] = frozenset()) -> str:
    """`question` with each word misspelt by one edit from exactly one word of `vocabulary` written as that word;
    a word of `vocabulary` or of `known` (the knowledge's words) is never changed."""
    def fix(m: re.Match) -> str:
        word = m.group().lower()
        if word in vocabulary or word in known:
            return m.group()
        if len(word) >= 3 and not re.search(r"[aeiou]", word[1:]):  # "ordr", "crd": the one word it is typed from
            near = {w for w in vocabulary if vowels_dropped(word, w)}
            if len({re.sub(r"e?s$", "", w) for w in near}) == 1:
                return min(near, key=len)
        if len(word) < MIN_LEN - 1:
            return m.group()
        near = {w for w in vocabulary if len(w) >= MIN_LEN and one_edit(word, w)
                and (len(word) >= MIN_LEN or len(w) == len(word) + 1)}  # "laptp": a letter left out
        if len({re.sub(r"e?s$", "", w) for w in near}) > 1:  # "deliverd": deliver or delivered, as it ends
            near = {w for w in near if w[-1] == word[-1]}
        if len({re.sub(r"e?s$", "", w) for w in near}) != 1:  # none, or two words it could be
            return m.group()
        return min(near, key=len)
    return re.sub(r"[A-Za-z]+", fix, question)


def knowledge_respeller(passages: list[Passage], catalogue_vocabulary: set[str]):
    """A function respelling a question's words misspelt from the words of the policy and FAQ (see the docstring)."""
    vocabulary = {w for p in passages if p.source != "catalogue" for w in re.findall(r"[a-z]+", p.text.lower())}
    known = set(dictionary_words()) | catalogue_vocabulary

    def fixed(question: str) -> str:
        return respell(question, vocabulary, known)
    return fixed
