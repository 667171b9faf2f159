"""Small talk around the tasks: thanks and praise ("Great, thanks!", "thank you so much, that was really
helpful!"), a goodbye said after an answer, and the greeting and signature of an email-style message ("Dear
Shop Team,", "Thank you, you've been very helpful. Cheers, Tom").

The router has no label for thanks: the public data sets' thank-you examples sit in its fallback topics, so a
thanks after a finished task was answered as an open question ("I don't have an answer to that in this shop's
policy ..."). A message that only thanks or praises gets a short friendly reply instead (interpret.py). Plain
regular expressions.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ..thanks_words import CLOSED as _CLOSED
from ..thanks_words import ONLY as _ONLY
from ..thanks_words import THANKED as _THANKED
from .context import TurnContext
from .understanding import Understanding

# an email's signature after its sign-off ("Cheers, Tom", "Best,\nAnna Lee"): the sender's name, capitalised
_SIGNATURE = re.compile(r"[\s,.!-]+[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’.-]+)?\s*$")
# a message that only greets, as an email opens ("Dear Shop Team,", "Hello there!")
_SALUTATION = re.compile(r"(?:dear|hello|hi|hey|good\s+(?:morning|afternoon|evening)|greetings)(?:[\s,]+(?:there|all|everyone|"
                         r"folks|the|team|shop|store|staff|sir|madam|or|support|customer|service|care|people))*[\s,.!]*",
                         re.I)


def thanks_pattern(ctx: TurnContext, text: str, label: str, decide: Callable[..., None]) -> str | None:
    """pattern_greet for a fallback message that only greets as a letter opens ("Dear Shop Team,"); else the
    pattern that answers a message that thanks the shop and says nothing else but praise (no request,
    question or answer): pattern_thanks, or pattern_goodbye when it also closes ("thanks, that's all"), recorded
    with `decide` (the router's `label` kept: "ok thanks" may be its yes; a fallback that closes is a goodbye);
    None for any other message (or a project without the pattern)."""
    said = " ".join(text.split()).strip(" ,.!")
    if label == "fallback" and len(said) <= 60 and _SALUTATION.fullmatch(said) and "pattern_greet" in ctx.flows.flows:
        decide("greet", "salutation", "the message only greets, as a letter opens")
        return "pattern_greet"
    signed = _SIGNATURE.search(said)
    if signed and _ONLY.fullmatch(said[:signed.start()].strip(" ,.!") or "-"):  # "Thanks so much! Cheers, Tom"
        said = said[:signed.start()].strip(" ,.!")
    # a thanks, or a closing alone with nothing open ("ok. that's it", "no that's all" after a finished return)
    if _CLOSED.search(said) or _THANKED.search(said):  # "nope, thanks" after a finished task: nothing more
        said = re.sub(r"^(?:no+|nope|nah)\b[\s,.!]*", "", said, flags=re.I) or said
    if len(said) > 200 or _ONLY.fullmatch(said) is None or (_THANKED.search(said) is None and _CLOSED.search(said) is None):
        return None
    pattern = "pattern_goodbye" if _CLOSED.search(said) else "pattern_thanks"
    if pattern not in ctx.flows.flows:
        return None
    decide("goodbye" if label == "fallback" and pattern == "pattern_goodbye" else label, "thanks",
           "the message only thanks or praises")
    return pattern


def ends_with_goodbye(u: Understanding) -> bool:
    """A message whose last sentence, after another, is a goodbye the router is sure of ("No, I'm done. Bye.")."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+", u.text.strip()) if p]
    if len(parts) < 2 or u.route_part is None:
        return False
    last = u.route_part(parts[-1])
    return last.label == "goodbye" and last.confidence >= 0.8


# a message that tells the shop something and asks nothing: "just wanted to say thanks for getting my bike here so
# quick!", "the kettle I bought my mom is her favourite thing now. Just wanted to say that!"
_JUST_SAYING = re.compile(r"\bjust\s+(?:wanted|want|wanna)\s+(?:to\s+)?(?:say|let\s+you\s+know|tell\s+you|share|drop\s+"
                          r"a\s+line)\b|\b(?:you\s+guys|you|your\s+(?:team|shop|store))\s+(?:have\s+been|are|were)\s+"
                          r"(?:great|amazing|awesome|fantastic|brilliant|wonderful|the\s+best)\b", re.I)


_PRAISE = re.compile(r"\b(?:great|amazing|awesome|fantastic|brilliant|wonderful|love[sd]?|favou?rite|perfect|super\s+fast|"
                     r"so\s+(?:quick|fast)|happy|pleased|delighted|thanks?|thank\s+you)\b", re.I)
# a problem told ("my order never arrived", "it's broken"): not praise, whatever the opening words
_PROBLEM = re.compile(r"\b(?:never|not|no|n't|broken|broke|wrong|missing|late|damaged|lost|stuck|problem|issue|"
                      r"complain\w*|disappoint\w*|unhappy|but)\b", re.I)


def praise_only(ctx: TurnContext, u: Understanding) -> str | None:
    """pattern_thanks for an opening that praises or tells and asks for nothing (no clause is a request or a
    question): the router read its order words ("my bike", "the kettle I bought") as a status question."""
    if u.reading is None or u.reading.kind is not None or not _JUST_SAYING.search(u.text) \
            or not _PRAISE.search(u.text) or _PROBLEM.search(u.text.replace("n't", " n't")) \
            or "pattern_thanks" not in ctx.flows.flows:
        return None
    u.decide("fallback", "thanks", "the message praises and asks for nothing")
    return "pattern_thanks"
