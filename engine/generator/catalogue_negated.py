"""A shopper's negative guess checked: "the tablet doesn't come in gold, does it?", "there isn't a 50ft hose, is
there?", "you don't sell grills, right?", "none of the mats are 6mm and TPE, right?".

Read as written, the negation made the value one the shopper does not want ("a Smartphone with color black (not
gold) is available"), or nothing was asked at all (the scope answer). The value is what is asked about: the
question is answered without its negation ("the tablet does come in gold") and the answer says whether the
guess holds: "That's right: ..." when nothing like it is available, "Actually, we do: ..." when it is.
"""
from __future__ import annotations

import re

# a negation in the guess, and a tag asking to confirm it
NEGATION = re.compile(r"\b(?:doesn't|does not|don't|do not|isn't|is not|aren't|are not|there's no|there is no|"
                      r"none of|no)\b", re.I)
TAG = re.compile(r",?\s*(?:(?:does|do|is|are|has|have|can|will)\s+(?:it|there|they|you|that|this|one)|right|"
                 r"correct|am i right|is that (?:right|so|true)|isn't it|yeah)\s*\?", re.I)
# what each negation says without it
AFFIRMED = {"doesn't": "does", "does not": "does", "don't": "do", "do not": "do", "isn't": "is", "is not": "is",
            "aren't": "are", "are not": "are", "there's no": "there's a", "there is no": "there is a",
            "none of": "any of", "no": "any"}


def affirmed(question: str) -> str | None:
    """The question without the negation of its guess ("... does come in gold, does it?"); None when the
    question is no negative guess with a tag ("doesn't the lamp come in white?" asks plainly)."""
    first = NEGATION.search(question)
    tag = TAG.search(question)
    if first is None or tag is None or tag.start() < first.end():
        return None
    said = first.group().lower()
    return question[:first.start()] + AFFIRMED.get(said, said) + question[first.end():tag.start()] + "?"


def answered(text: str, found: bool) -> str:
    """The computed answer to the affirmed question, led by whether the shopper's guess holds."""
    text = re.sub(r"^Yes:\s*", "", text)
    lead = "Actually, we do: " if found else "That's right: "
    return lead + text[:1].lower() + text[1:]
