"""The content words of a question, a claim and a fact, compared the same way on all three (claims.py): stemmed,
with the words that frame a question ("how long", "possible", "today") set apart from those naming what it is
about."""
from __future__ import annotations

from .retrieval import tokenize

# words that frame a question or an answer without naming what it is about: a claim's other words must be in
# its fact, and a question's other words in the fact that answers it ("how long does shipping take?" is not
# answered by a refund fact: "shipping" is in no fact with a duration)
GENERIC = set(tokenize("""long take takes taking took get gets getting got receive received back money happen happens
need needs want like know tell ask asking possible allowed able way much many soon fast quick quickly time times
still also already really usually typically normally generally item items thing things shop store customer
customers offer offers accept accepts support work works done make go goes come comes use using someone anything
something help please hi hello thanks thank ok okay policy policies rule rules process will would there question
exactly actually usual general sure yes kind kinds sort type types option options get around speak talk contact
reach call pair first one another order orders right correct true send sent instead least now too even then
different various whole entire completely method methods same info information stuff yeah yep show next later
put new start begin give say found today tonight yesterday tomorrow morning evening afternoon cheaper pricier
number other others left week weekend fine good valid acceptable enough alright both last separate separately
through second moment everything away wait
ready bit roughly besides see earlier previously carry carries""", keep_stop=False))
GENERIC = {w.rstrip("e") for w in GENERIC}


def words(text: str) -> set[str]:
    """Content words, stemmed, with a final "e" dropped so that "shoes"/"shoe" and "changes"/"change" meet."""
    return {t.rstrip("e") for t in tokenize(text)}


def missing(ws: set[str], ctx: set[str]) -> set[str]:
    """Words of `ws` not in `ctx`; a stem and a longer form of it meet ("cancel" / "cancell")."""
    return {w for w in ws if w not in ctx and not any(
        len(w) >= 4 and len(c) >= 4 and (c.startswith(w) or w.startswith(c)) for c in ctx)}


def jaccard(a: str, b: str) -> float:
    """Overlap of two questions' words, small words included ("what can I change" vs "what can be changed")."""
    wa, wb = {t.rstrip("e") for t in tokenize(a, keep_stop=True)}, {t.rstrip("e") for t in tokenize(b, keep_stop=True)}
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0
