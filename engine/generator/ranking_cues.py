"""The cues the fact ranking (ranking.py) reads in a shopper's question: the words of an item's options, of its
fault and of the shopper's story (told, not asked), a change already made, a switch between two methods of one kind,
a count stated in words, a permission asked (or a request made), a reason in any words, a replacement refused, a change
of heart. Kept apart as data so the ranking's decisions stay readable."""
from __future__ import annotations

import re

from engine.knowledge.wording import words

from .grounding import NUMBER_WORDS

# an item's options, also as a shopper says them ("too small", "a bigger size"): a rule holds for every option
OPTION_WORDS = words("size color colour style material shade version model variant big bigger biggest small smaller "
                     "smallest large larger tight tighter loose looser long longer short shorter fit fits")
PAID = words("paid")
# the shopper already changed or exchanged items: the rule of what holds after that step decides, not a new wish
OPTION_DONE = re.compile(r"\b(?:i|we)\s+(?:already\s+|just\s+)?(?:changed|modified|swapped|exchanged|switched)\b"
                         r"|\balready\s+(?:changed|modified|swapped|exchanged|switched)\b", re.I)
# a payment method other than the one paid with, of whichever kind
OTHER_METHOD = re.compile(r"\bpayment method that is different\b", re.I)
# one kind of payment method named on both sides of a switch ("from one Visa card to my other Visa card")
SAME_KIND = re.compile(r"\bfrom (one|a|my)\b[^.?!]{1,30}\bto (my |the |an? )?(other|another|second|different|new)\b", re.I)
# a count the shopper states in words ("around a hundred", "dozens of"): decided by a fact holding a count
STATED_FIGURE = re.compile(r"\b(a|about|around|over|some|roughly)\s+(hundred|thousand|dozen)\b|\b(hundreds|thousands|dozens)"
                           r"\s+of\b", re.I)
NUMBER_STEMS = words(" ".join(NUMBER_WORDS))  # "a hundred" stated is a figure, checked as one, not a word to share
# whether something may be done at all ("Is that allowed?", "can I ...?"), also asked as a request to do it ("I'd like to
# move my order to my other card", "please switch it")
PERMISSION = re.compile(r"\b(allowed|permitted|possible)\b|\b(can|could|may)\s+(i|we|you)\b"
                        r"|\b(i'?d like to|i would like to|i want to|i wanna|please)\b", re.I)
# the one status an action is done in: its rules hold there without naming it
STATUS_OF = {"cancel": "pending", "change": "pending", "return": "delivered", "exchange": "delivered"}
# what went wrong with the shopper's item ("arrived broken", "came in the wrong size", "stopped working"): a rule on
# returns and exchanges holds whatever the fault, so the fault's words are the shopper's story, not what is asked
ITEM_STATE = words("broken broke break damaged damage defective faulty cracked scratched torn ripped dented stained "
                   "leaking leaks wrong arrived arrive came stopped stop working dead dud sell sells old")


# the shopper's story of buying it ("I picked the wrong colour", "I bought it for my son", "I wish I'd bought the other
# one"): how it came to be theirs, not what is asked, when the fact does not say it
STORY = words("bought picked chose chosen clicked selected noticed realised realized wish wished son sons daughter "
              "daughters kid kids wife husband friend mum mom dad mother father nephew niece sister brother partner")
# "gift" said of a present ("a gift receipt", "a gift for my nephew"), not of a gift card
GIFT_ALONE = re.compile(r"\bgifts?\b(?!\s*-?\s*cards?\b)", re.I)
# the reason or text given in any words the shopper likes ("a free text box", "whatever I like"): what the rule on
# reasons decides, not words a fact must share; nor is how it is given ("write", "type in") when a reason is asked
FREE_FORM = re.compile(r"\b(?:(?:just|only)\s+)?(?:an?\s+)?free[- ]?(?:text|form)(?:\s+(?:box|field))?\b"
                       r"|\b(?:whatever|anything)(?:\s+(?:reason|text))?\s+(?:i|we)\s+(?:like|want|please|choose|fancy)\b"
                       r"|\b(?:any|my own)\s+(?:reason|words|text)\b", re.I)
GIVEN_AS = re.compile(r"\b(?:write|type|enter|fill)(?:\s+(?:in|out|down))?\b", re.I)
# a replacement refused ("I don't want something else in their place"): the shopper's story, told to ask for a return
NO_SWAP = re.compile(r"\b(?:don'?t|do not|doesn'?t|no longer)\s+(?:want|need)\s+(?:something|anything|another|a replacement|"
                     r"a different|a new|other)\b[^.?!,]{0,30}", re.I)
# the shopper's change of heart about an item ("I've gone off the sunglasses", "changed my mind about it"): why they
# ask, not what a rule must say
MIND_CHANGED = re.compile(r"\b(?:gone|went|go)\s+off\b|\bchanged?\s+(?:my|our)\s+minds?\b|\bcold feet\b"
                          r"|\b(?:don'?t|do not|no longer)\s+(?:like|love|fancy)\b"
                          r"|\b(?:isn'?t|aren'?t|is not|are not)\s+(?:really\s+)?for\s+(?:me|us)\b|\b(?:anymore|any more|any longer)\b",
                          re.I)
# a status or kind said by another verb ("does it still count as pending?", "is it treated as processed?"): "is"
COUNTS_AS = re.compile(r"\b(?:counts?|counted|treated|considered|classed|regarded)\s+as\b", re.I)
# a rule listing the only values allowed ("The reason for cancelling must be either ... or ...")
ALLOWED_ONLY = re.compile(r"\bmust\s+be\s+(?:either|one\s+of)\b", re.I)
# what follows a step the shopper takes, asked ("once I've confirmed a return, what happens next on my side?"): the rule
# saying what holds after that step answers, however few other words it shares
NEXT_ASKED = re.compile(r"\bwhat\s+(?:happens|comes|do\s+i\s+do|should\s+i\s+do|now)\s*(?:next|then|after(?:wards)?|now)?\b"
                        r"|\bwhat\s+next\b|\bnext\s+steps?\b", re.I)
STEP_TAKEN = re.compile(r"\b(?:once|after|when|as\s+soon\s+as)\s+(?:i|we)(?:'ve|\s+have|'d|\s+had)?\s+\w+", re.I)

