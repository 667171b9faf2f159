"""Words that steer a reference: negation and its scope, sets, sameness, "the other one", recency.

Kept apart from the resolver so each cue is one readable regular expression with a name, and the
scope rule lives in one place: a negation ("not", "except", "keeping", "instead of") covers the
mentions after it up to a contrast (a comma, "but", "just", "instead"), so "everything except the
vacuum and the kettle" excludes both while "not the visa, the mastercard" picks the mastercard.
"""
from __future__ import annotations

import re

_I = re.IGNORECASE


def _words(*alternatives: str) -> re.Pattern[str]:
    """A cue that matches any of `alternatives` as whole words (each may end in a lookahead)."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", _I)


# An order number as shoppers write it ("#W1234567", "w 1234567"); group 1: its digits
ORDER_NUMBER = re.compile(r"#?\bw\s?(\d{7})\b", _I)
# The street types a US address's first line ends with ("940 W 5th St"): one list for the address extractor and
# the reading of a new address told as news (engine/dialogue/new_address.py); longer words first
STREET_TYPE = (r"(?:street|st|avenue|ave|road|rd|drive|dr|lane|ln|boulevard|blvd|way|court|ct|place|pl|terrace|ter"
               r"|parkway|pkwy|circle|cir|highway|hwy|broadway)")
NEGATION = _words(r"not\b(?!\s+(?:sure|certain|really\s+sure)\b)", r"non", r"never", r"\w+n[’']t",
                  r"(?:dont|doesnt|didnt|wont|cant|isnt|arent|wasnt|werent|hasnt|havent|hadnt)",
                  r"except(?:\s+for)?", r"excluding", r"exclude", r"apart\s+from", r"other\s+than", r"aside\s+from",
                  r"but\s+not", r"without", r"minus", r"instead\s+of", r"rather\s+than", r"leave\s+out", r"leaving",
                  r"remov(?:e|ed|ing)", r"drop(?:ping)?", r"take\s+(?:out|off)", r"skip(?:ping)?",
                  r"keep(?:ing|s)?\b(?!\s+(?:it|them|that)\s+(?:the\s+same|as\s+is)\b)", r"hold(?:ing)?\s+on\s+to")
# "I don't need the vacuum anymore", "no longer want it": the shopper is done with it, which selects it.
NEUTRAL = re.compile(r"\b(?:do|does|did)(?:n[’']?t|\s+not)\s+(?:need|want|use)\b(?=[^,.;]*\b(?:any\s?more|any\s+longer)\b)"
                     r"|\bdon'?t\s+(?:need|want)\s+(?:it|them|this|that)\s*$|\bno\s+longer\b", _I)
# "I need to cancel", "I don't need to explain", "we want to return": need/want as a modal before a
# verb says what the shopper is doing, never a reason or option ("no longer needed").
MODAL = re.compile(r"\b(?:(?:do|does|did)(?:n[’']?t|\s+not)\s+|dont\s+|no\s+)?(?:needs?|needed|wants?|wanted|have|has|had)"
                   r"\s+to\s+(?!(?:the|a|an|my|your|our|it|me|him|her|them|us|this|that|do\s+with)\b)(?=[a-z])", _I)


def unmodal(text: str) -> str:
    """`text` with its modal uses ("I need to ...") blanked, offsets kept."""
    return MODAL.sub(lambda m: " " * len(m.group()), text)


# A negation said after what it is about: "the vacuum shouldn't be in it", "the kettle isn't part of
# this", "the lamp needs to come out", "the jacket stays": what it covers is left out.
POST_NEGATION = re.compile(
    r"^\s*(?:(?:is|are|was|were|should|must|does|do|did|need|needs|can|could|would|will|wo)(?:n[’']?t|\s+not|not)"
    r"(?:\s+(?:supposed|meant|going|need|have)\s+to)?\s+(?:be\s+|go\s+|get\s+|have\s+been\s+)?"
    r"(?:in|on|there|here|included|part|listed|added|belong\w*|returned|exchanged|changed|cancell?ed|refunded|used)\b"
    r"|(?:should|must|needs?\s+to|has\s+to|have\s+to|can)\s+(?:be\s+)?(?:removed|taken\s+(?:out|off)|dropped|left"
    r"\s+out|excluded|come\s+out|stay\b)|(?:was|were|got)\s+(?:added|put\s+in|included)\s+by\s+mistake"
    r"|(?:stays|can\s+stay|is\s+staying|i'?(?:m|ll)\s+keep(?:ing)?\b)"
    r"|out\s+of\s+(?:it|this|that|there|the\s+(?:exchange|return|order|list|request|change)\b))", _I)
# Where a negation's scope ends (and a new clause starts).
CONTRAST = re.compile(r"[,;.!?]|\bbut\b(?!\s+not)|\binstead\b(?!\s+of)|\brather\b(?!\s+than)|\bjust\b|\bonly\b"
                      r"|\bthen\b|\bplease\b|\s[-–—]+\s"  # "I don't want 19 bar again - I want 9 bar": the dash ends it
                      r"|\bi\s+(?:really\s+)?(?:want|need|would\s+like|'d\s+like)\b", _I)
# Between two mentions: the same noun phrase ("the blue helmet") unless one of these separates them.
# Inside parentheses only a listing word or "one," splits: option values never hold "and" or "or".
IN_PARENS_LIST = re.compile(r"\b(?:and|or|plus|nor)\b|\bones?\s*[,;/&+]", _I)
SEPARATOR = re.compile(r"[,;.!?&/+]|\band\b|\bor\b|\bplus\b|\bbut\b|\bas\s+well\s+as\b|\balso\b|\bthen\b|\bnor\b"
                       r"|\binstead\b|\bexcept\b|\bnot\b|\bwith\b|\bfrom\b|\bthan\b", _I)

ALL = _words(r"all(?!\s+(?:good|set|right|done)\b)(?:\s+of)?(?:\s+(?:them|it|those|these|the\s+\w+|my\s+\w+|\d+|two"
             r"|three|four|five))?", r"every\s?thing", r"every\s+(?:item|one|single\s+one)", r"each\s+(?:one|item|of\s+them)",
             r"the\s+(?:whole|entire)\s+(?:order|thing|lot|package)", r"the\s+lot")
NOT_ALL = _words(r"(?:that'?s|that\s+is|is\s+that|at|after)\s+all", r"all\s+(?:good|set|right|done)")
BOTH = _words(r"both", r"the\s+two\s+of\s+them", r"the\s+pair")
REST = _words(r"the\s+(?:rest|others|remaining\s+(?:ones|items)|other\s+(?:ones|items|two|three|four))",
              r"everything\s+else", r"all\s+the\s+others?")
OTHER = _words(r"(?:the|my|that|your)\s+other"
               r"(?:\s+(?:one|card|order|address|method|payment\s+method|option|account|place))?",
               r"another\s+(?:one|card|method|address)", r"the\s+different\s+one")
SAME = _words(r"(?:the\s+)?same(?:\s+(?:one|thing|item|option|variant|model|size|color|colour"
              r"|as\s+(?:before|now|mine|it\s+is|i\s+have|i\s+had|the\s+one\s+i\s+have)))?",
              r"keep\s+(?:it|them|that)\s+(?:the\s+same|as\s+is)", r"(?:no|without)\s+change", r"unchanged",
              r"as\s+it\s+is", r"one\s+i\s+(?:already\s+)?have", r"identical", r"exact\s+same",
              r"like\s+(?:before|mine)")
# "gold instead", "just the color", "only the size", "rather than the 80%", "everything else as it is":
# only what is named changes, so the options not named are kept where a variant allows (softly: when no
# variant keeps them, the options that fit are offered as usual)
ONLY_THIS = _words(r"instead", r"rather\s+than", r"just", r"only", r"everything\s+else", r"the\s+rest",
                   r"otherwise", r"apart\s+from\s+that")
ORIGINAL = _words(r"original(?:ly)?", r"how\s+i\s+(?:paid|pay|bought|ordered)",
                  r"(?:paid|bought|ordered|used)\s+(?:it\s+|for\s+it\s+)?(?:with|on|by|to\s+pay)",
                  r"the\s+(?:one|card|method|account)\s+i\s+(?:used|paid)",
                  r"same\s+(?:card|method|way|payment|account|one\s+as\s+(?:before|the\s+order))",
                  r"where\s+(?:it|the\s+money)\s+came\s+from", r"way\s+i\s+paid", r"back\s+to\s+where", r"source",
                  r"(?:that'?s|that\s+is|already|currently)\s+(?:on|paying\s+for)\s+(?:the|this|my)\s+order")
LATEST = _words(r"latest", r"newest", r"most\s+recent(?:ly)?", r"recent(?:ly)?", r"last\s+(?:order|one|purchase|thing)",
                r"just\s+(?:ordered|placed|bought|made)", r"the\s+new\s+one")
OLDEST = _words(r"oldest", r"earliest", r"first\s+(?:order|purchase)", r"older\s+one")
# "the one ending in 9559", "last four digits 2042": an order number's or a card's last digits
ENDING = re.compile(r"\b(?:end(?:s|ing|ed)?(?:\s+(?:in|with))?|last\s+(?:\w+\s+)?digits(?:\s+(?:are|is))?)\s+#?\s*(\d{2,7})\b",
                    re.I)
DEFAULT_ADDRESS = _words(r"default", r"on\s+(?:my\s+|the\s+)?(?:account|file|profile|record)",
                         r"(?:my|the)\s+(?:usual|main|regular|registered|primary|account|profile|saved)"
                         r"\s+(?:address|place)",
                         r"home\s+address", r"my\s+address", r"where\s+i\s+live", r"my\s+(?:house|home)\b(?!\s+in\b)")
ORDER_ADDRESS = _words(r"(?:where|same\s+(?:place|address)\s+as)\s+(?:my|the)\s+(?:other|last|previous|earlier|first|\w+)?"
                       r"\s*(?:order|package|purchase|delivery)s?",
                       r"(?:other|last|previous)\s+order'?s\s+address",
                       r"address\s+(?:of|from|on)\s+(?:my|the)\s+(?:other|last|previous)\s+order")
PLURAL_HINT = _words(r"both", r"all", r"them", r"those", r"these", r"two", r"three", r"four", r"each", r"every", r"ones")
# "everything but the earbuds", "all but the chairs": this "but" excludes, it does not end a negation
ALL_BUT = re.compile(r"\b(?:every\s?thing|all(?:\s+of\s+(?:it|them))?|any\s?thing|the\s+(?:whole|entire)\s+order)"
                     r"\s+(but)\b(?!\s+not\b)", _I)


def spans(rx: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in rx.finditer(text)]


# "non-polarized", "non-stick": the prefix denies its own word only, never a mention after it
_NON_COMPOUND = re.compile(r"\bnon-[a-z]+\b", _I)


def negated(text: str, start: int, floor: int = 0) -> bool:
    """Whether a mention starting at `start` is inside a negation's scope (see module doc)."""
    text = ALL_BUT.sub(lambda m: m.group()[:m.start(1) - m.start()] + "not", text)
    window = NEUTRAL.sub(lambda m: " " * len(m.group()), text)[floor:start]
    window = _NON_COMPOUND.sub(lambda m: " " * len(m.group()), window)  # "non-polarized with a metal frame": metal
    stops = [m.end() for m in CONTRAST.finditer(window)]
    window = window[stops[-1]:] if stops else window
    return NEGATION.search(window) is not None


def negated_after(text: str, end: int, stop: int | None = None) -> bool:
    """Whether a mention ending at `end` is denied by what follows it, before the next clause (or
    `stop`): "the vacuum shouldn't be in it"."""
    window = text[end:stop]
    cut = CONTRAST.search(window)
    return POST_NEGATION.search(window[:cut.start()] if cut else window) is not None


def separated(text: str, end: int, start: int) -> bool:
    """Whether two mentions (one ending at `end`, the next starting at `start`) are separate phrases.
    Commas inside "Air Purifier (medium, HEPA, quiet operation)" list one item's options: not a split."""
    gap = text[end:start]
    if text.count("(", 0, end) > text.count(")", 0, end) and ")" not in gap:
        return IN_PARENS_LIST.search(gap) is not None  # "helmets (the blue one and the black one)": two
    return SEPARATOR.search(gap) is not None


def wants_all(text: str) -> bool:
    return ALL.search(text) is not None and not NOT_ALL.search(text)


def plural(text: str) -> bool:
    """A phrase in the plural ("the vacuums", "both", "them"): several candidates are meant."""
    return PLURAL_HINT.search(text) is not None

# What comes before an order named as the model for something else, not as the order meant: "the same
# address as my other order #W...", "ship it where order #W... went", "like on #W...".
AS_REFERENCE = re.compile(r"(?:\b(?:same|identical)\b[^.;!?]{0,30}\b(?:as|like|that|which)\b|\bjust\s+like\b|"
                          r"\b(?:ship|send|deliver|go|goes|went|mail)\w*\b[^.;!?]{0,20}\bwhere\b[^.;!?]{0,15})"
                          r"[^.;!?\w]{0,3}(?:\s*(?:in|on|for|with|to|my|the|other|another|order|\#|number))*\W*$", re.I)
