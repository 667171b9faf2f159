"""Messages that ask two things at once, each answered by its own fact.

"Can I return a processed order, and where does the refund for a return go?", "Am I talking to a real person, and
can I get a human if I need one?", "How many products do you carry, and what time zone are the order times in?":
read as one question, the fact of one part was quoted (or the model wrote one sentence) and the other part went
unanswered. Each part is searched by itself; when every part has a fact that answers it and the facts differ, the
passages of both are quoted, in the order asked (a part the catalogue answers keeps its computed answer).
"""
from __future__ import annotations

import re
from typing import Any

from engine.knowledge import Passage, tokenize
from engine.knowledge.subjects import entities

from .catalogue_answers import RULE_WORDS
from .near_hits import RETRIEVE_K
from .quoting import sentence_of

# where a second question starts: after a "?", at ", and can ...", " and where ...", "; also", "while we're at it"
PART_BREAK = re.compile(
    r"\?+\s+(?=\S)"
    r"|\s*[,;]\s*(?:and\s+|also\s+|plus\s+|but\s+)?(?=(?:can|could|do|does|did|is|are|will|would|should|where|what|"
    r"when|how|which|who|why|am|may)\b)"
    r"|\s+and\s+(?:also\s+)?(?=(?:can|could|do|does|is|are|will|would|where|what|when|how|which|who|why|am|may)\s"
    r"(?:i|you|it|they|the|a|an|my|of|much|long|many|to|is|are|does|do|can)\b)", re.I)
# each part is a question of its own: "Since refunds take 5-7 days, should I ...?" is a premise and one question, as is
# "what about the address then, after the item change, can I ...?"
# ("when I cancel my order, where is my refund?" is a clause and one question; so is "what if I change the payment
# method, does it stay pending?": its "what if" part is the condition of the question that follows)
ASKS = re.compile(r"^(?!(?:what|how) about\b)(?!what if\b)(?:can|could|do|does|did|is|are|was|will|would|should|where|what|what's|"
                  r"how|which|who|why|am|may|have|has|when (?:is|are|will|do|does|did|can|could|would|should))\b", re.I)
# a fact of the section already quoted answers a later part when it scores at least this share of the best found by
# the part's own search ("order the same items again": 0.6 of the exchange rule's score; "which of them can be
# cancelled": "A processed order cannot be cancelled" scores 0.38 of "only while it is pending")
NEAR_SHARE = 0.5
# a part that only points back at the first ("is it?", "how?") is no question of its own
MIN_WORDS = 1


def question_parts(question: str) -> list[str]:
    """The questions of a message; `[question]` when it asks one thing (or a part is no question of its own)."""
    pieces = [p.strip(" ,;.-") for p in PART_BREAK.split(question)]
    pieces = [p for p in pieces if p]
    # "I clicked buy on the wrong thing and it still says pending. Can I cancel it, and what reason do I give?": the
    # story told first is the premise of the first question, kept with it; that question asks from its last sentence
    premise = ""
    if pieces and not ASKS.match(pieces[0]):
        last = re.split(r"(?<=[.!])\s+", pieces[0])[-1]
        if last != pieces[0]:
            premise, pieces[0] = pieces[0][:len(pieces[0]) - len(last)], last
    if len(pieces) < 2 or any(len(tokenize(p)) < MIN_WORDS or not ASKS.match(p) for p in pieces):
        return [question]
    return [premise + pieces[0]] + pieces[1:3]


def covered(text: str, quoted: str) -> bool:
    """`text` (a fact) is already in what is quoted."""
    squash = lambda s: re.sub(r"\W+", " ", s.lower()).strip()  # noqa: E731
    return squash(text) in squash(quoted)


def quoted_parts(answerer: Any, question: str, parts: list[str], head: str = "") -> list[tuple[Passage, str]] | None:
    """(passage, text quoted) answering each of `parts` with its own fact, after `head` (a computed answer to the
    catalogue part, whose parts are skipped); None when a part has no fact that answers it, or one fact answers all."""
    said: list[tuple[Passage, str]] = []
    answered = 1 if head else 0  # parts whose fact is not already quoted
    for part in parts:
        if head and (answerer.computed(part, []) is not None or not (entities(part) or RULE_WORDS.search(part))):
            continue  # the catalogue's part, answered in `head` ("how thick is the pink one" names no rule)
        hits = answerer._search(part, RETRIEVE_K)
        if not hits or hits[0].score < answerer.settings.min_retrieval_score:
            return None
        found = answerer._answering(part, hits)
        if not found or found[0].passage.source == "catalogue":  # a product's passage answers no rule asked
            return None
        new = [(p, text) for p, text in answerer._quoted(found[0].passage, part)
               if not any(covered(text, t) for _, t in said)]
        # a later part asked of what the first found ("..., and can I then order the same items again?"): a fact of the
        # passage or section already quoted that answers it, before one found by the part's words alone
        sections = {(p.source, p.section) for p, _ in said}  # a policy section's bullets are passages of their own
        rest = [f for f in answerer.claims.facts([p for p in answerer._knowledge if (p.source, p.section) in sections])
                if not any(covered(f.text, t) for _, t in said)]
        near = answerer.claims.best_fact(part, rest) if rest else None
        own = answerer.claims.best_fact(part, answerer.claims.facts([found[0].passage]))
        if near is not None and own is not None and near.text != own.text and \
                (answerer.claims.score(part, near) or 0.0) < NEAR_SHARE * (answerer.claims.score(part, own) or 0.0):
            near = None  # "which of them can be cancelled": "only while pending" answers far better than the section's
        if near is not None:
            new = [(near.passage, sentence_of(near.passage.text, near))]
        answered += bool(new)
        for p, text in new:
            said = [(q, t) for q, t in said if not covered(t, text)] + [(p, text)]
    return said if said and answered >= 2 else None
