"""Chat shorthand written out, before a question is read: "e-reader w cellular", "can u change it", "one today
and the other tmrw", "thats fine as a reason".

Every later reading of a question (the catalogue's option values, the entities and content words of claims.py,
retrieval) compares words; "w" is no "with" to any of them and "u" names nothing, so "paid w paypal" lost the
payment it names and "what do u need to verify me" read as a question about "u". Only standalone shorthand that
has one meaning in a shop chat is written out; a letter that may be a size or a unit ("S", "L", "W" of 60W, "k" of
4K) is left alone (lower-case "w" alone is "with": the catalogue writes watts after a number, "60W").
"""
from __future__ import annotations

import re

# shorthand -> what it stands for (whole words, lower case; matched case-insensitively unless noted)
SHORTHAND: dict[str, str] = {
    "u": "you", "ur": "your", "urs": "yours", "b4": "before",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmrow": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow",
    "tomoz": "tomorrow", "tho": "though", "thru": "through", "pls": "please", "plz": "please", "thx": "thanks",
    "ty": "thanks", "wanna": "want to", "gonna": "going to", "gotta": "have to", "dunno": "don't know",
    "idk": "i don't know", "rn": "right now", "abt": "about", "bc": "because", "cuz": "because", "coz": "because",
    "bcuz": "because", "smth": "something", "sth": "something", "msg": "message", "ppl": "people",
    "thats": "that's", "whats": "what's", "wheres": "where's", "hows": "how's", "dont": "don't", "doesnt": "doesn't",
    "didnt": "didn't", "cant": "can't", "isnt": "isn't", "arent": "aren't", "wasnt": "wasn't", "wont": "won't",
    "wouldnt": "wouldn't", "couldnt": "couldn't", "shouldnt": "shouldn't", "havent": "haven't", "hasnt": "hasn't",
    "im": "i'm", "ive": "i've",
    # misspellings common in chat that hide a word the knowledge uses ("wat status", "order it seperately")
    "wat": "what", "wats": "what's", "wot": "what", "seperate": "separate", "seperately": "separately", "recieve": "receive",
    "recieved": "received", "adress": "address", "definately": "definitely", "cancle": "cancel",
    "wich": "which", "whch": "which", "mny": "many", "hav": "have", "hw": "how",
}
# "n" alone between words is "and": "paid w a gift card n cancel"
# "4" between words is "for": "ask 4 a return", "good 4 me" (not after a number word: "size 4 and 5")
_FOR = re.compile(r"(?<=[a-z] )(?<!size )(?<!sizes )4(?= (?:a|an|the|me|u|you|my|your|it|that|this|them|us)\b)", re.I)
_AND = re.compile(r"(?<=[a-z] )n(?= [a-z])")
# "w" alone (lower case: "W" is a unit or a size): "e-reader w cellular", "paid w paypal"
_WITH = re.compile(r"(?<![\w/$.-])w(?=\s+[a-z])")
_WITH_SLASH = re.compile(r"(?<![\w/])w/(o\b)?\s*", re.I)  # "w/ paypal", "w/o a box"
# "r" between words of a question: "r u a bot", "r there any"
# (a message opening with "r" asks: "r refunds to a gift card instant")
_ARE = re.compile(r"(?<![\w'-])r(?=\s+(u|you|we|they|there|these|those|the|my|your|all|any)\b)|^\s*r(?=\s+[a-z]{3,})", re.I)
_PATTERN = re.compile(r"(?<![\w'/-])(" + "|".join(re.escape(k) for k in sorted(SHORTHAND, key=len, reverse=True))
                      + r")(?![\w'/-])", re.I)


def expand_shorthand(text: str) -> str:
    """`text` with chat shorthand written out (see the module docstring); anything else unchanged."""
    text = _WITH_SLASH.sub(lambda m: "without " if m.group(1) else "with ", text)
    text = _WITH.sub("with", text)
    text = _ARE.sub("are", text)
    text = _AND.sub("and", text)
    text = _FOR.sub("for", text)
    return _PATTERN.sub(lambda m: SHORTHAND[m.group(1).lower()], text)
