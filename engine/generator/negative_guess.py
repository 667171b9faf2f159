"""Whether a shopper's negative guess about a rule holds, said before the quoted fact: "You don't take PayPal, do
you?", "So I can't cancel once it's processed?".

Quoted alone, the fact ("Each account can hold ... PayPal accounts ...") leaves the shopper to work out whether the
answer to their guess is yes or no, and a guess led by "don't" reads a plain fact as agreeing with it. The guess is
asked again without its negation ("You do take PayPal?") and the claim checker's verdict rule (claims.py) decides it
against the knowledge: "Actually, yes." when the affirmed question is a yes, "That's right." when it is a no; nothing
when no fact decides it.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .catalogue_negated import affirmed
from .fact_text import VERDICT

if TYPE_CHECKING:
    from .claims import ClaimChecker
    from .fact_text import Fact

# a guess stated as a question, with no question word or tag: "So I can't cancel once it's processed?"
STATED = re.compile(r"^\W*(?:so\s+|and\s+|but\s+)?(?:i|we|you|it|they|that|this|a|an|the)\b[^?]*?"
                    r"\b(can't|cannot|can not|don't|do not|won't|will not|isn't|is not|aren't|are not|doesn't|does not)\b"
                    r"[^?]*\?\s*$", re.I)
POSITIVE = {"can't": "can", "cannot": "can", "can not": "can", "don't": "do", "do not": "do", "won't": "will",
            "will not": "will", "isn't": "is", "is not": "is", "aren't": "are", "are not": "are", "doesn't": "does",
            "does not": "does"}


def unnegated(question: str) -> str | None:
    """The shopper's negative guess asked without its negation; None when the question is no such guess."""
    tagged = affirmed(question)
    if tagged:
        return tagged
    m = STATED.match(question)
    if not m:
        return None
    return question[:m.start(1)] + POSITIVE[m.group(1).lower()] + question[m.end(1):]


def guess_lead(claims: ClaimChecker, question: str, facts: list[Fact], quoted: str) -> str:
    """"Actually, yes. " / "That's right. " before the `quoted` text when it holds the fact that decides a negative
    guess; "" otherwise (a verdict over a quote of another fact would read as that fact's)."""
    plain = unnegated(question)
    if not plain or VERDICT.match(quoted):  # the quote says its own "No." / "Yes."
        return ""
    plain = plain.rstrip(" ?") + ", right?"  # asked as a yes/no question, whatever its word order ("You do take ...")
    yes, _ = claims.verdict_ok("Yes, that holds.", plain, facts)
    no, _ = claims.verdict_ok("No, that does not hold.", plain, facts)
    decides = claims.best_fact(plain, facts) or claims.best_fact(plain, facts, relaxed=True)
    # (a bare "No." opening an FAQ answer decides nothing by itself)
    if yes == no or decides is None or len(decides.text.split()) < 3 or decides.text not in quoted:
        return ""
    return "Actually, yes. " if yes else "That's right. "

