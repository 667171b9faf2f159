"""A shopper thinking aloud before deciding: the options weighed are not requests.

"Should I exchange the perfume for another scent? Nah, I don't want any perfume. Just return it.", "Keep it?
Return it? Eh, I'll exchange it for a medium", "I was going to cancel it ..., but I'll keep the order and just
change the speaker to blue": the task is the one decided last. The weighed parts are dropped before the message is
routed, so neither the router nor the several-goals reading starts a task the shopper talked themselves out of.
A message that weighs options and decides nothing ("should I cancel or change the address? which is less
hassle?") is left whole: it asks for advice. Pure text functions.
"""
from __future__ import annotations

import re

_TASK = r"(?:cancel\w*|return\w*|exchang\w*|swap\w*|switch\w*|chang\w*|refund\w*|keep(?:ing)?|send\w*\s+(?:it\s+)?back|get\s+(?:my\s+)?money\s+back|money\s+back|get\s+(?:the|a)\b)"
# a part that weighs an option instead of asking for it
_WEIGHS = re.compile(
    r"^\W*(?:(?:so|hmm+|um+|ok(?:ay)?|well)\W+)*(?:"
    r"(?:should|shall|do)\s+i\b"                                       # "Should I exchange it ...?"
    r"|i\s+(?:could|might|may)\b(?!\s+(?:need|have))"                 # "I could get the 10-inch or ..."
    r"|(?:maybe|perhaps)\s+i\b"
    r"|i\s+(?:was|were)\s+(?:going|gonna|about|planning|thinking|considering)\b"  # "I was going to cancel it"
    r"|i(?:'ve|\s+have)?\s+(?:thought|been\s+thinking)\s+(?:about|of)\b"
    r"|i\s+(?:considered|thought\s+about)\b"
    r"|(?:not\s+sure|unsure|undecided|torn)\b"
    r")"
    r"|\bif\s+i\s+(?:\w+\s+)?" + _TASK + r"\b", re.I)  # "if I return it I'd have to go shopping again"
# "Keep it? Return it?", "Exchange it for the 15 bar one or just get my money back...": options listed
_OPTION_QUESTION = re.compile(rf"^\W*(?:(?:or|and)\s+)?(?:just\s+)?{_TASK}\b[^.?!]{{0,40}}\?\s*$", re.I)
_EITHER = re.compile(rf"\b{_TASK}\b.*\bor\s+(?:just\s+|maybe\s+|simply\s+)?(?:\w+\s+){{0,2}}{_TASK}\b", re.I)
# the decision that follows
_DECIDES = re.compile(
    r"^\W*(?:(?:eh|meh|nah|no|nope|ok(?:ay)?|so|yeah|well|hmm+|actually|honestly|anyway|ugh|fine|right)\b\W*)*"
    r"(?:i'?ll|i\s+will|i'?m\s+(?:going|gonna)\s+(?:to\s+)?|i(?:'ve|\s+have)?\s+decided|decided|let'?s|i\s+think\s+i'?ll"
    r"|i'?d\s+(?:rather|prefer)|(?:i\s+)?(?:go(?:ing)?|went)\s+with|on\s+second\s+thought|in\s+the\s+end|final\s+answer"
    r"|just\s+" + _TASK + r"|please\s+" + _TASK + r"|" + _TASK + r"[\s,]+(?:it|them|that|please|pls)\b|money\s+back)", re.I)
_TASK_WORD = re.compile(rf"\b{_TASK}\b", re.I)
# a product picked after weighing ("I'll just go with the 19 bar automatic"): a decision to buy
_PICKS = re.compile(r"^\W*(?:(?:eh|ok(?:ay)?|so|yeah|well|hmm+|fine|right|alright)\b\W*)*(?:(?:i'?ll|i\s+will|i\s+think\s+i'?ll|"
                    r"let'?s)\s+(?:just\s+)?(?:go\s+(?:with|for)|take|get|pick|grab)\s+(?:the|a|an|that|this)\b"
                    # "eh, put the 1000 piece landscape one in an order for me"
                    r"|(?:just\s+)?(?:put|add)\s+(?:the|a|an|that|this)\b.{1,60}?\b(?:in(?:to)?|to)\s+(?:an?\s+(?:new\s+)?order|"
                    r"my\s+cart|the\s+cart)\b|(?:just\s+)?(?:order|get|send)\s+me\s+(?:the|a|an|that|this)\b)", re.I)
# options of a product weighed in a bare question ("15 bar or 19 bar?", "Capsule or automatic?")
_OPTIONS_ASKED = re.compile(r"^\W*(?!(?:can|could|may|will|would|is|are|do|does|should)\b)[\w\s'-]{1,30}?\s+or\s+"
                            r"[\w\s'-]{1,30}\?\s*$", re.I)
# a question to the assistant ("Can I return it?"), never weighed aloud
_ASKS_YOU = re.compile(r"^\W*(?:(?:so|ok(?:ay)?|hi|hey|and)\W+)*(?:can|could|may|will|would|is|are|do|does|how|what|when|"
                       r"where|why)\b", re.I)
_LEAD = re.compile(r"^\W*(?:eh|meh|nah|honestly|actually|ok(?:ay)?|so|yeah|well|anyway|fine)\b", re.I)
_PIECES = re.compile(r"(?<=[.?!…])\s+|\s*(?:\.\.\.|…)\s*|,?\s+but\s+(?=(?:actually\s+|honestly\s+|now\s+|then\s+)?"
                     r"(?:i\b|i'll|i'd|let))|;\s*", re.I)


def _weighs(piece: str) -> bool:
    """An option weighed: "should I ...", "I was going to ...", "X or Y", or a task asked of oneself ("Refund would
    be simpler I guess?")."""
    return bool(_WEIGHS.search(piece) or _OPTION_QUESTION.match(piece) or _EITHER.search(piece) or _OPTIONS_ASKED.match(piece)
                or piece.rstrip().endswith("?") and _TASK_WORD.search(piece) and not _ASKS_YOU.match(piece))


def _decides(piece: str) -> bool:
    """A decision for a task: "Eh, I'll exchange it", "honestly, money back", "Just return it" (not "I'll print
    the label myself")."""
    return bool((_DECIDES.match(piece) or _LEAD.match(piece)) and _TASK_WORD.search(piece)) or bool(_PICKS.match(piece))


# the option kept said before the task decided on ("I'll keep the order and just change the kettle to white"): the
# router reads "keep the order" as buying; the words after it are the request
_KEEP_THEN = re.compile(r"^\W*(?:(?:eh|ok(?:ay)?|so|yeah|well|fine|no|nah|actually)\b\W*)*(?:i'?ll|i\s+will|i'?d\s+rather|"
                        r"i'?m\s+(?:going|gonna)\s+(?:to\s+)?)\s*keep\s+(?:the|my|this|that)\s+(?:[\w'-]+\s+)?(?:order|"
                        r"purchase|package)\s*,?\s+(?:and|but)\s+(?:just\s+|only\s+|instead\s+|simply\s+)*(?=\w)", re.I)


def _without_kept(piece: str) -> str:
    head = _KEEP_THEN.match(piece)
    rest = piece[head.end():] if head else ""
    return rest[:1].upper() + rest[1:] if head and _TASK_WORD.search(rest) else piece


def decided_text(text: str) -> str | None:
    """`text` without the options weighed before the shopper's decision, and without an option kept before the
    task decided on ("I'll keep the order and just change ..."); None when it has neither (nothing to drop)."""
    pieces = [p for p in _PIECES.split(text) if p and p.strip()]
    if len(pieces) < 2:
        kept = _without_kept(text.strip())
        return kept if kept != text.strip() else None
    last = max((k for k, p in enumerate(pieces) if k and _decides(p)), default=None)
    if last is None:
        return None
    weighed = {k for k, p in enumerate(pieces[:last]) if _weighs(p)}
    if not weighed:
        return None
    for k in range(1, last):  # "Exchange it for black? rose gold? honestly, ...": a bare option after one weighed
        if k - 1 in weighed and pieces[k].rstrip().endswith("?") and len(pieces[k].split()) <= 4:
            weighed.add(k)
    kept = [p.strip() if k != last else _without_kept(p.strip()) for k, p in enumerate(pieces) if k not in weighed]
    return " ".join(kept)
