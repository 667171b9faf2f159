"""The words the question-or-request reading looks for (engine/question_or_request.py): how a clause
opens (a polite request, "can I", a wh-question), what names a thing of the shopper's own, and the
conditions a rule question turns on. Plain regular expressions: a 4000-character message (the engine's
MAX_TEXT) reads in well under 0.1 s, whatever its words.
"""
from __future__ import annotations

import re

FILLER = (r"(?:(?:hi|hey|hello|yo|ok(?:ay)?|so|and|but|also|oh|um+|uh+|hmm+|well|quick\s+question|just|actually|"
          r"i\s+think|i\s+guess|i\s+believe|maybe|probably|"
          r"sorry|btw|yes|yeah|thanks|thank\s+you|please|there|guys|team|again|then|anyways?|regardless|alright|honestly|"
          r"all\s+right|in\s+any\s+case|" + r"if\s+(?:so|yes|not|possible|"
          r"that'?s\s+(?:ok(?:ay)?|possible|fine|the\s+case))|either\s+way|in\s+that\s+case|otherwise|either(?!\s+(?:one|of|way)\b))\b[\s,.!:-]*)*")
# "Can I still change the size on #W...? If so switch the jacket to L.": the request waits on the answer
IF_SO = re.compile(r"^\W*(?:if\s+(?:so|yes|it\s+(?:is|does|can)|possible|that'?s\s+(?:ok(?:ay)?|possible|fine|the\s+case))|"
                   r"either\s+way|in\s+that\s+case|otherwise)\b", re.I)
# the condition a request after a question opens with ("If not, just move #W1 to ..."): routed without it
LEAD_CONDITION = re.compile(r"^\W*(?:if\s+(?:not|so|yes|no|possible|it\s+(?:is|does|can|has|hasn'?t|isn'?t|can'?t|"
                            r"doesn'?t)(?:\s+\w+){0,3})|either\s+way|in\s+that\s+case|otherwise|then)\s*,?\s*"
                            r"(?:(?:just|please|then)\s+)*(?=\w)", re.I)
# where one clause ends and another begins: sentence ends, and a comma or "but"/"and" before a question
SENTENCE = re.compile(r"(?<=[.!?;])\s+|(?<=[.!?;][\"”’])\s+|[\n]+|\?(?=\S)")
JOINT = re.compile(r"(?:,|\s-+|\s?[–—])\s*(?:and\s+|but\s+|so\s+)?(?:(?:then|after\s+that|afterwards)\s*,?\s*)?"
                   r"(?:just\s+(?=please\b))?"
                   r"(?=(?:can|could|will|would|is|are|do|does|did|how|what|"
                   r"when|where|why|which|should|may|am|i|please|(?:tell|show)\s+me|let\s+me\s+know)\b)|\s+(?:but|and)\s+(?=(?:how|what|when|where|why|"
                   r"which|will|would|can|could|is|are|do|does|should)\b)"
                   # "can i still cancel if it hasnt shipped if so cancel order number ...": the request after the question
                   r"|\s+(?=if\s+(?:so|yes)\s*,?\s+(?:please\s+|just\s+)?(?:cancel|return|exchange|change|switch|send|ship|swap|"
                   r"refund|go\s+ahead|do\s+it)\b)", re.I)
# Buying asks for the task whatever the form ("can I order a blue kettle?"); getting a refund does not
BUY = re.compile(r"^(?:buy|purchase|order|get)\b(?!\s+(?:a\s+|the\s+|my\s+|an?\s+full\s+)?(?:refund|my\s+money|"
                 r"money|back|cancel|return|exchang))", re.I)
# Frames a clause opens with (after greetings and fillers)
ASK_YOU = re.compile(FILLER + r"(?:(?:do\s+you\s+)?(?:think|reckon|suppose)\s+(?:you|u)\s+(?:can|could|would)|"
                     r"is\s+there\s+(?:any\s+|a\s+)?way\s+(?:that\s+)?(?:you|u|someone|somebody)\s+(?:can|could|might|would)|"
                     r"tell\s+me\s+(?:that\s+)?(?:you|u)\s+(?:can|could)|(?:would|could)\s+you\s+(?:be\s+so\s+"
                     r"kind\s+as|be\s+able|mind(?=\s+\w+ing\b))(?:\s+to)?|any\s+chance\s+(?:that\s+)?(?:you|u|someone|somebody)\s+"
                     r"(?:can|could|would|will|might)|(?:can|could|would|will)\s+"
                     r"(?:you|u|ya|someone|somebody)|(?:is|would|will)\s+it\s+be\s+possible\s+for\s+(?:you|u|someone|"
                     r"somebody|one\s+of\s+you|your\s+team|an?\s+agent)\s+to)\s+(?:please\s+|kindly\s+|"
                     r"just\s+|also\s+)*(?P<verb>\w+)", re.I)
# leave asked ("would it be ok / a problem if I ...", "do you mind if I ..."): the frame, up to its "if" or "to"
_IT_BE = r"(?:is|would|will|might|could)\s+it\s+(?:(?:still\s+)?be\s+)?(?:at\s+all\s+|even\s+|still\s+)?"
_FINE = r"(?:possible|ok(?:ay)?|alright|all\s+right|allowed|fine|acceptable|an?\s+(?:problem|issue))"
_MIND = r"(?:do|would)\s+you\s+mind"
ASK_ME = re.compile(FILLER + r"(?:(?:can|could|may|might|should)\s+(?:i|we)|" + _IT_BE + r"(?:" + _FINE +
                    r"|too\s+late)\s+"
                    r"(?:for\s+(?:me|us)\s+)?(?:to|if\s+(?:i|we))|" + _MIND + r"\s+if\s+(?:i|we)|am\s+i\s+(?:able|allowed)\s+to|"
                    r"is\s+there\s+(?:a|any)\s+way\s+(?:(?:for\s+me\s+)?to|(?:that\s+)?(?:i|we)\s+(?:can|could))|"
                    r"any\s+way\s+(?:for\s+me\s+)?to|any\s+chance\s+(?:that\s+)?(?:i|we)\s+(?:can|could|may)|"
                    r"do\s+you\s+(?:let|allow)\s+(?:me|people|customers|shoppers)"
                    r"(?:\s+to)?)\s+(?:please\s+|still\s+|also\s+|just\s+)*(?P<verb>\w+)(?P<rest>.*)", re.I)
# a fact only the shopper's own order holds, asked as such ("how much did I pay for my last order", "what did I order")
ORDER_FACTS = re.compile(r"\bhow\s+much\s+(?:did|have)\s+(?:i|we)\s+(?:(?:been|get|got)\s+)?(?:pay|paid|spend|spent|charged)\b"
                         r"|\bwhat\s+(?:did|have)\s+(?:i|we)\s+(?:just\s+|even\s+|actually\s+)?(?:order|ordered|buy|bought|purchase|purchased)\b"
                         r"|\b(?:which|what)\s+(?:card|payment(?:\s+method)?)\s+did\s+(?:i|we)\s+(?:use|pay)\b"
                         # "remind me which address #W1 is heading to?": where it goes now, asked (no change)
                         r"|\b(?:which|what)\s+address\s+(?:(?:my|the|this|that|it|order|#?w\d+|\w+)\s+){0,3}(?:is|'s|was)\s+"
                         r"(?:(?:heading|going|being\s+(?:sent|shipped|delivered)|shipping|set\s+to\s+go)\s+to|on)\b", re.I)
# a verb that asks a task be done: a fact asked beside it ("which card did I use? switch it to paypal") is no lookup
TASK_VERB = re.compile(r"\b(?:cancel|return|exchange|swap|switch|change|update|modify|replace|refund|send\s+back|buy|"
                       r"purchase|use\s+(?:my|the|a)\s+\w+\s+instead)\w*\b", re.I)
# a second task weighed against the first ("should I cancel it or just change the address?")
OR_OTHER_TASK = re.compile(r"\bor\s+(?:just\s+|maybe\s+|simply\s+|should\s+i\s+)?(?:cancel|return|exchange|change|swap|"
                           r"switch|keep|refund|send|wait|hold|get\s+(?:a\s+|my\s+)?(?:refund|money))\w*\b", re.I)
WANT = re.compile(FILLER + r"(?:i(?:'d|\s+would|’d)?\s+(?:really\s+|also\s+|just\s+)?(?:like|want|need|wish|love|"
                  r"prefer|rather)|(?:would|'d)\s+(?:really\s+|also\s+|just\s+)?(?:like|love)(?=\s+to\b)|"  # "... and would like to"
                  r"(?:i\s+)?wanna|want(?=\s+(?:a|an|the|some|to|this|that|these|those|one|two)\s)|"
                  r"i'?m\s+(?:just\s+|really\s+|actually\s+)?(?:trying|looking|hoping|wanting|going)|i\s+am\s+(?:trying|looking|"
                  r"hoping|wanting|going)|i\s+was\s+(?:just\s+|really\s+)?(?:hoping|wanting|looking)|i\s+have\s+to|i\s+must|i\s+gotta|let\s+me|help\s+me|please|kindly|"
                  r"i\s+(?:might|may)\s+(?:need|want)|let'?s\s+(?:start|begin|go\s+ahead|continue|proceed)\s+with|let'?s\s+(?:just\s+)?(?=(?:cancel|return|exchange|swap|change|modify|update|switch|refund|send|ship|track)\b)|let'?s\s+(?:just\s+)?(?=check\s*out|buy\b|purchase\b|order\s+(?:it|them|that|those|these)\b)|i\s+(?:would|'d)\s+appreciate|(?:i\s+)?(?:should|would|'d)\s+be\s+(?:most\s+|very\s+|really\s+)?(?:grateful|thankful|"
                  r"obliged)\s+if\s+(?:you|someone)\s+(?:would|could|can|might)(?:\s+(?:kindly|please))?|"
                  # relayed ("she asked me to get the address on her account changed", "my son wants to return ...")
                  r"(?:she|he|they|my\s+\w+)\s+(?:has\s+|have\s+)?(?:asked|wants|told|needs)\s+me\s+to\s+(?:get\s+|have\s+)?|"
                  r"(?:she|he|my\s+\w+)\s+(?:really\s+)?(?:wants|needs|would\s+like|'d\s+like)(?=\s+to\s+\w)|i'?ll\s+(?:take|have|get)|i\s+will\s+(?:take|have|get))\b\s*"
                  r"(?:to\s+|a\s+|an\s+|for\s+|with\s+)?(?P<verb>\w+)?", re.I)
KNOW = re.compile(r"^(?:know|ask|understand|find|learn|check|confirm|see|verify|clarify|tell|explain|inquire|"
                  r"enquire|figure|get\s+some\s+info\w*|information|info|details|question|questions|clarification)\b",
                  re.I)
TELL = re.compile(r"^(?:tell|explain|clarify|confirm|let|say|show|describe|remind|check)\b", re.I)
# a task verb said first, as an order (not "return policy", "cancel window")
TASK_IMPERATIVE = (r"(?:cancel|return|exchange|swap|change|modify|update|edit|switch|replace|upgrade|downgrade|"
                   r"send\s+back|send(?=\s+(?:it|them|my|the|this|that|#|w\d|pending|orders?|packages?|parcels?|everything))|"
                   r"refund|track|buy|purchase|order(?!\s*(?:#|w\s?\d|\d{4}|number\b|no\b|id\b))|undo|remove|add|start|"
                   r"process|set|put|move|use|"
                   r"transfer|connect|escalate|ship|deliver|give\s+me|get\s+me|need\s+to|gotta)\b(?!\s+(?:polic\w*|window|"
                   r"process|period|rules?|fees?|options?|times?|status\s*\?))")
IMPERATIVE = re.compile(FILLER + TASK_IMPERATIVE, re.I)
WH = re.compile(FILLER + r"(?P<wh>what|what's|whats|which|where|where's|when|why|how|how's|who|whom|whose|"
                r"(?:until|till|by|up\s+to)\s+when)\b", re.I)
AUX = re.compile(FILLER + r"(?P<aux>is|are|am|do|does|did|will|would|should|shall|has|have|was|were|can|could|may|"
                 r"might)\b", re.I)
WONDER = re.compile(r"\b(?:i\s+(?:was\s+|am\s+|'m\s+)?wonder\w*|wondering(?=\s+(?:if|whether)\b)|(?:wants?|needs?|like|'d\s+like)\s+to\s+(?:know|ask|"
                    r"understand|find\s+out|learn|check\s+(?:if|whether|how|what)|confirm\s+(?:if|whether))|"
                    r"tell\s+me\s+(?:if|whether|how|what|when|where|why|which|about)|curious|not\s+sure\s+(?:(?:if|whether)(?!"
                    # the shopper's own plans or wishes, not the shop's rules ("not sure if I'll be home next week")
                    r"\s+(?:i|we)(?:'ll|\s+will)?\s+(?:be\s+(?:home|around|in|there|away|back|at|here|out)\b|want|need|"
                    r"like|prefer))|how|what)|do\s+you\s+know|any\s+idea|i\s+have\s+(?:a|some)\s+questions?|question\s+about|"
                    r"(?:explain|clarify)\s+(?:how|what|when|why|the|your)|(?:what|how)\s+(?:is|are)\s+(?:the|your)\s+"
                    r"(?:\w+\s+)?(?:polic\w*|rules?))", re.I)
# The shopper's own order or item, named: "my headphones", "order #W1234567", "the lamp I bought"
ORDER_ID = re.compile(r"#\s?w?\s?\d{5,}|\bw\d{5,}\b|\border\s+(?:number\s+|no\.?\s+|id\s+)?#?\s?\d{4,}\b", re.I)
NOT_OWN = (r"(?:refund\w*|money|mind|return|returns|exchange|exchanges|options?|question\w*|chance|rights?|own|"
           r"way|turn|bad|fault|best|self|myself|account\s+settings|only|first|second|next|experience|fee\w*|"
           # people ("a present for my dad"), not their things ("my dad's order")
           r"(?:dad|mom|mum|father|mother|parents|wife|husband|son|daughter|kids?|children|friend|sister|brother|"
           r"boss|partner|girlfriend|boyfriend|family|grandma|grandpa|niece|nephew|colleague|neighbou?r)(?!'s|’s))")
OWN = re.compile(r"\b(?:my|our|mine)\b(?!\s+" + NOT_OWN + r"\b)|\bthis\s+(?!is\b|one\s+is\b)\w+|\bthese\b|"
                 r"\bi\s+(?:just\s+|recently\s+|have\s+|'ve\s+|already\s+)*(?:bought|ordered|purchased|received|got|"
                 r"placed)\b|\bi'?ve\s+(?:just\s+|recently\s+|already\s+)?(?:bought|ordered|purchased|received|got|"
                 r"placed)\b|\bdid\s+i\s+(?:order|buy|purchase|get|pay|use)\b|\bdo\s+i\s+have\b(?!\s+to\b)|"
                 r"(?:^|[,.!]\s*|\b(?:just|recently)\s+)(?:ordered|bought|purchased)\b|\b(?:his|her|their)\s+\w+|"
                 r"\b(?:that|the)\s+same\s+(?:order|package|purchase)\b", re.I)  # "for that same order, can I also ..."
# Asking for a person: the request is to be put through (the handoff task), however it is asked
PERSON = re.compile(r"\b(?:(?:real|actual|live)\s+(?:person|human|people|agent|rep\w*)|(?:someone|somebody)\s+(?:from|in|at)\s+"
                    r"(?:(?:your|the)\s+)?(?:team|staff|support|store|shop|customer\s+(?:service|support|care))|human\s+being|a\s+human|a\s+person|"
                    r"(?:customer\s+)?(?:service|support)\s+(?:rep\w*|agent|team|person)|representative|an?\s+agent|"
                    r"phone\s+number|(?:transferr?\w*|escalat\w*|put|connect)\s+(?:me\s+|us\s+|this\s+)?(?:through\s+)?(?:to|with)\s+"
                    r"(?:(?:a|an|the|your|someone|somebody)\s+)?(?:(?:real|actual|live|human)\s+)?(?:manager|supervisor|human|"
                    r"person|agent|rep\w*|staff|someone|somebody|customer\s+(?:service|support|care)|support|helpdesk)|"
                    r"(?:speak|talk|chat)(?:ing)?\s+(?:to|with)\s+(?:someone|somebody|a|an|the|customer|"
                    r"your|real|actual|live|human|person|people|staff|support|manager|supervisor))\b", re.I)
# "do you have real people working support?" asks whether there are any: no contact asked for
HAVE_ANY = re.compile(FILLER + r"do\s+you\s+(?:guys\s+)?(?:even\s+)?have\b", re.I)
# a person asked for by being handed up to them: "I'd like to be transferred to a supervisor"
HANDED_UP = re.compile(r"(?:transfer|escalat|put\s+through|connect)", re.I)
# the "if" of a frame that asks leave ("would it be a problem if I ...", "do you mind if we ..."): sets no condition
ASK_FRAME_IF = re.compile(r"\b(?:" + _IT_BE + _FINE + r"|" + _MIND + r")\s+if\b", re.I)
# a person as the one asked to act: "can a person help me please", "could someone from your team call me"
PERSON_ACTS = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:can|could|will|would)\s+(?P<who>.{1,40}?)\s+(?:please\s+)?"
                         r"(?:help|assist|call|phone|contact|take\s+over|look\s+into|sort|pick\s+(?:this|it|that|my\s+\w+)\s+up|"
                         r"handle|deal\s+with|follow\s+up|get\s+back\s+to)\b", re.I)
ASKING_START = re.compile(FILLER + r"(?:(?:is|are)\s+there|any)\b", re.I)
# how a message asking for a person opens ("is it possible to ...", "can I ...", "could you ..."), and the
# contact asked for before the person: "can I speak with someone", not "can a human see our chat?"
PERSON_ASK = re.compile(FILLER + r"(?:is\s+it|would\s+it|can|could|may|do\s+you)\b", re.I)
# "can I talk to them again?" after a story that named a person: the person is asked for again
PERSON_AGAIN = re.compile(r"\b(?:speak|talk|chat)\s+(?:to|with)\s+(?:them|him|her|that\s+(?:person|agent))\b", re.I)
# "wondering if you might be able to ...": what follows is a polite "can you ..."
IF_YOU = re.compile(r"^\s*(?:if|whether)\s+(?:you|u|someone|somebody|your\s+team)\s+(?:can|could|might|would|will)\s+"
                    r"(?:(?:possibly|please|kindly|maybe)\s+)?(?:be\s+able\s+to\s+)?", re.I)
CONTACT = re.compile(r"\b(?:speak|talk|chat|connect|reach|get|transfer|put|have)\b", re.I)
# a person wanted some other time: "is there a way to reach a human later if I need one?" asks about the rule
LATER = re.compile(r"\b(?:later|in\s+case|if\s+(?:i|we)\s+(?:ever\s+)?(?:need|want))\b", re.I)
# A frame that asks, said after a story with no full stop before it
# A lead that sets a condition ("if the order is delivered can i still ..."): the ask turns on it
LEAD_IF = re.compile(r"^\W*(?:(?:and|but|so)\s+)?(?:if|once|after|when|even\s+if|in\s+case|unless)\b", re.I)
INNER_ASK = re.compile(r"\b(?:can|could|may)\s+(?:i|we|you|u|it|they)\b|\bis\s+there\s+(?:a|any)\s+way\b|"
                       r"\bany\s+chance\b|\bhow\s+(?:do|can)\s+i\b", re.I)
# A wish said after a time or story lead, in a clause that opens with no frame: "before my order ships I want to
# change the dumbbells" (not after "if" / "when": "if I want to return it later" sets a condition)
INNER_WISH = re.compile(r"(?<!\bif\s)(?<!\bwhen\s)(?<!\bwhether\s)(?<!\bcase\s)\b(?:i|we)(?:'d|\s+would|’d)?\s+"
                        r"(?:really\s+|also\s+|just\s+)?(?:like|want|need)\s+(?:to\s+(?!know\b|ask\b)|"
                        r"(?:the|my|our|this|that|it|them|these|those)\s+(?:\w+\s+){0,4}?(?:changed|updated|cancel+ed|"
                        r"moved|switched|swapped|exchanged|returned|sent|refunded|replaced|fixed|corrected)\b)", re.I)
# "is that doable for #W1?", "would that be ok for my order?": leave asked for what the story wished, about an order
FEASIBLE = re.compile(FILLER + r"(?:is|would|will|could|can)\s+(?:that|this|it)\s+(?:be\s+)?(?:ok(?:ay)?|alright|fine|"
                      r"possible|allowed|doable|done|arranged|something\s+you\s+(?:can|could)\s+do)\b", re.I)
# A question's subject right after its auxiliary ("is the lamp ...", "has it ..."), not "should be 10011"
SUBJECT = re.compile(r"\s+(?!be\b|been\b|being\b|not\b)\S", re.I)
HOW_DO_I = re.compile(r"how\s+(?:do|can|would|should|could|shall)\s+(?:i|we)\s+(?:go\s+about\s+)?(?P<verb>\w+)(?P<rest>.*)",
                      re.I)
# The shopper's account, not an order: "does dhl deliver to my address?" asks nothing of an order's state
ACCOUNT = re.compile(r"\b(?:my|our|your|the)\s+(?:\w+\s+)?(?:address|email|name|account|profile|card|zip|phone|"
                     r"password|country|city|house|home|place|office|door|area|town|state|default)\b", re.I)
# The shopper's own saved address, which a change verb asks to move ("is it possible to update my default address?")
MY_ADDRESS = re.compile(r"\b(?:my|our)\s+(?:account'?s\s+)?(?:(?:default|home|account|saved|profile|main|current|shipping)\s+)"
                        r"{0,2}address\b|\bthe\s+(?:default\s+)?address\s+(?:on\s+(?:file|my\s+(?:account|profile))|"
                        r"(?:saved|stored)\s+(?:on|in)\s+my\s+(?:account|profile))\b", re.I)
CHANGE = re.compile(r"^(?:change|update|edit|modify|correct|fix|move|switch)\b", re.I)
# A value to set: an address, an email or an order id makes a request of "can I update my address ...?"
VALUE = re.compile(r"\b\d+\s+[a-z]+\s+(?:[a-z]+\s+)?(?:st|street|rd|road|ave|avenue|blvd|ln|lane|dr|drive|ct|court|"
                   r"way|pl|place|pkwy|hwy)\b|[\w.+-]+@[\w-]+\.\w+|#\s?w\d{5,}", re.I)
# A tag that asks leave for the request just said ("exchange the mouse I got, would that be ok?"): part
# of that request, not a question of its own
LEAVE = re.compile(r"^\W*(?:(?:and|so|but)\s+)?(?:(?:would|will|is|could|can|does|should)\s+(?:that|this|it)\s+"
                   r"(?:be\s+)?(?:ok(?:ay)?|alright|all\s+right|fine|possible|allowed|doable|acceptable|work)|"
                   r"(?:can|could|may)\s+(?:i|you|we)\s+do\s+(?:that|this))"
                   r"(?:\s+(?:for\s+me|(?:real(?:ly)?\s+|pretty\s+|very\s+)?(?:quick(?:ly)?|fast|now|today|please|asap|"
                   r"right\s+now|right\s+away)))*\W*$", re.I)
# Time frames a rule turns on ("... before it ships", "within a week"): with a thing of the shopper's
# named only in passing ("something I ordered"), they make the clause a question about the rule
TIME_FRAME = re.compile(r"\b(?:before|until|till|within|by\s+the\s+time|as\s+long\s+as)\b", re.I)
# A thing of the shopper's said with a relative clause of their own past act ("an order I placed / made",
# "something I ordered", "a mouse I got"): a real thing of theirs, though not named as "my ..."
INDEFINITE_OWN = re.compile(r"\b(?:something|anything|an?\s+(?:\w+\s+)?(?:item|order|product|thing|purchase)|items|"
                            r"stuff|things)\s+(?:that\s+)?(?:i|we)(?:'ve|\s+have)?\s+(?:already\s+|just\s+|recently\s+)?"
                            r"(?:ordered|bought|purchased|placed|received|got|made)\b", re.I)
# a please in a "can I ...?" asks for the task: a rule is not asked with one ("could I cancel an order please?")
PLEASE = re.compile(r"\b(?:please|pls|plz|kindly)\b", re.I)
# Leave asked politely, no condition: "i want it in a different color if that's possible?"
POLITE_IF = re.compile(r"\bif\s+(?:that'?s|it'?s|that\s+is|it\s+is|that\s+would\s+be|it\s+would\s+be)?\s*(?:possible|"
                       r"ok(?:ay)?|alright|all\s+right|fine|doable)\b"
                       # "If it isn't too much trouble, could ...", "if you don't mind": politeness, no condition
                       r"|\bif\s+(?:it|that)\s*(?:isn'?t|is\s+not|'s\s+not|wouldn'?t\s+be|would\s+not\s+be)\s+too\s+much\s+"
                       r"(?:trouble|bother|hassle|of\s+a\s+(?:bother|hassle))\b|\bif\s+you\s+(?:don'?t|do\s+not|wouldn'?t|would\s+not)\s+"
                       r"mind\b", re.I)
# A clause of politeness alone ("please.", "thank you!", "if that's ok", "when you get a chance"): it asks for nothing
# of its own; read as a request it made "I would like to cancel an order, please." two requests, and the one
# request the router was unsure of was not routed alone
_POLITE = (r"(?:(?:please|pls|plz|thanks?|thank\s+(?:you|u)(?:\s+(?:so|very)\s+much)?|thx|ty|cheers|kindly|if\s+(?:possible|"
           r"you\s+can|you\s+could|that'?s\s+(?:ok(?:ay)?|alright|all\s+right|fine|possible)|that\s+(?:is|would\s+be)\s+"
           r"(?:ok(?:ay)?|possible|fine))|when\s+you\s+(?:get|have)\s+a\s+(?:chance|moment|minute|sec(?:ond)?)|in\s+advance|"
           r"a\s+lot|asap|as\s+soon\s+as\s+possible)[\s,.!?]*)")
POLITE_ONLY = re.compile(r"\W*(?:(?:and|so|but|oh|ok(?:ay)?)\s+)?" + _POLITE + r"+\W*", re.I)
# the same said at the end of a request ("I would like to cancel an order, if that's ok"): no task's word
POLITE_TAIL = re.compile(r"[\s,;-]+" + _POLITE + r"+\W*$", re.I)
# The shopper's orders or things named in a request ("cancel an order", "return something I bought")
ORDER_THINGS = re.compile(r"\b(?:orders?|items?|stuff|things?|something|purchases?|packages?|deliver(?:y|ies)|"
                          r"products?)\b", re.I)
# An indirect ask about one thing of the shopper's: "any chance it can still be cancelled?", "is it too late to
# change the address?", "would it be a problem to return it?": with no condition, leave asked for the task
INDIRECT_ASK = re.compile(r"^\W*(?:(?:so|and|but|hi|hey|ok(?:ay)?)\W+)*(?:is\s+there\s+)?(?:any|a)\s+chance\b|"
                          r"^\W*(?:(?:so|and|but)\W+)*(?:is|would)\s+it\s+(?:be\s+)?(?:too\s+late|a\s+problem|an\s+issue)\b", re.I)
# "let's do that now: 12 Birch Lane ...", "let's go ahead with it": a request for what the message told before
LETS_DO = re.compile(r"^\W*(?:(?:ok(?:ay)?|so|then|alright|right|eh|ugh|fine|well|oh\s+well|actually)\W+)*let'?s\s+(?:just\s+)?(?:do|go\s+(?:ahead\s+)?with|get\s+on\s+with|"
                     r"sort|fix|change|make)\b", re.I)
# Where or how a purchase is made, said right after the verb with nothing to buy named: "can I order directly in
# this chat?", "can I buy through you?", "can I purchase here?"
BUY_HERE = r"(?:buy|purchase|order|shop|place\s+(?:an?\s+)?orders?)"
BUY_CHANNEL = re.compile(r"(?:\s*,?\s*(?:(?:directly|right|straight)\s+)?(?:(?:in|on|through|via|from|with)\s+(?:this|the|your)\s+"
                         r"(?:chat|site|website|app|assistant|bot|conversation)|through\s+(?:you|here)|here|online|directly))+"
                         r"\s*[?.!]*$", re.I)
DETERMINERS = frozenset("my our your his her their the this that these those a an any".split())
# "it" that stands for nothing: "is it possible", "is it free to return"
EXPLETIVE = re.compile(r"\bit\s+(?:possible|ok(?:ay)?|free|true|necessary|required|allowed|too\s+late|worth|"
                       r"normal|safe|better|easy|hard|mandatory|fine)\b|\bit\s+(?:take|takes|cost|costs|work|works)\b",
                       re.I)
# A product or order, named with "the": "the perfume", "the desk lamp order" (not "the refund", "the policy")
GENERIC = (r"(?:refund\w*|return\w*|exchang\w*|polic\w*|window|box|boxes|tags?|receipt|packaging|shipping|fees?|cost|"
           r"price|rules?|process|same|original|whole|entire|store|shop|site|website|app|sale|warrant\w*|products?|"
           r"items?|things?|money|payment|difference|customer|options?|status|time|way|reason\w*|limit|deadline|"
           r"first|last|next|other|new|best|cheapest|most|only|end|rest|following|total|amount|number|same|latest|"
           r"weekend|week|day|moment|case|one\s+(?:that|which)|faq|terms|conditions?|email|confirmation|delivery|"
           r"billing|default|address|account|colou?r|size|style|variant|quantity|model|version|chat|"
           r"quality|size\s+chart|gift\s+card|credit|balance|price|account|website|order\s+(?:page|history|form))")
THE_THING = re.compile(r"\bthe\s+(?!" + GENERIC + r"\b)[a-z][\w-]*|\bthe\s+\d+(?:\.\d+)?(?:-|\s)?(?:inch|in|cm|mm|ft|"
                       r"feet|foot|l|ml|oz|gb|tb|mp|k|piece|pc|cups?|speed|watt|w)\b", re.I)  # "the 17-inch laptop"
# A story about a thing the shopper has, told as "it": "I'm done with it, it's been nothing but trouble"
STORY_IT = re.compile(r"\b(?:it|they)(?:'s\s+been|\s+(?:has|have)\s+been|\s+(?:keeps?|kept|broke|stopped|died|"
                      r"doesn'?t|does\s+not|won'?t|didn'?t|came|arrived|showed\s+up|fell|cracked|leaks?|leaked|"
                      r"smells?|stinks?))\b|\b(?:done|fed\s+up|unhappy|disappointed)\s+with\s+(?:it|them)\b", re.I)
# "can I return it / them / that one?": a thing the shopper has in mind, not a kind of thing
POINTED_ANY = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:it|them|that\s+one|this\s+one)\b|\b(?:that|those)\s+(?:order|package|"
                         r"parcel|shipment|purchase|delivery)s?\b", re.I)
# The state of an order: where it is, whether it left, when it comes
STATUS = re.compile(r"\b(?:ship(?:ped|ping)?|arriv\w*|coming|come|deliver(?:ed|y)?|on\s+(?:its|the)\s+way|track\w*|"
                    r"dispatch\w*|warehouse|status|update|eta|get\s+here|be\s+here|lost|moved|stands|sitting|"
                    r"processing|going\s+on|leave|left|sent|gone\s+out|go\s+out|out\s+for|expect)\b", re.I)
# Verbs that ask for the task by their meaning ("can we start a return on them?")
ACT = re.compile(r"^(?:start|begin|open|initiate|place|submit|file|lodge|raise|process|put\s+in|set\s+up|speak|talk|"
                 r"chat|reach|contact)\b", re.I)
FIND_OUT = re.compile(r"^(?:find|check|see|know|tell|look|learn|get\s+(?:info|information|updates?))\b", re.I)
# "can we start the return again?": the task done over is asked for ("can I return it again?" asks a rule)
REDO = re.compile(r"^(?:start|restart|begin|redo|re-?open|re-?submit|submit|process|try|do|file|put\s+in)\b", re.I)
# "If so, W1 should go to 3100 Broadway": where one order of the shopper's is to go, said as a plain statement
SHOULD_GO = re.compile(r"^\W*(?:(?:order\s+)?#?\s?w\d{5,}|(?:my|our|the|this|that)\s+(?:\w+\s+){0,2}?(?:order|package|"
                       r"parcel|stuff|delivery|shipment)|it)\s+(?:should|needs?\s+to|has\s+to|must|(?:is|are)\s+to)\s+"
                       r"(?:go|ship|be\s+(?:sent|shipped|delivered|redirected|going))\s+to\b", re.I)
# What only the shopper's own records answer: where an order is, its status, when it comes
RECORDS = re.compile(r"^(?:where\s+(?:is|are|'s)|where's|wheres|where\s+(?:my\s+|the\s+)?(?:package|parcel|order|stuff|"
                     r"delivery|shipment|things|items?)\b|what(?:'s|\s+is)\s+(?:the\s+)?status|"
                     r"what\s+happened|when\s+(?:will|does|is|do|did|would|should|can)\s+(?:my|our|it|they|this|"
                     r"that|the\s+\w+\s+i)|has\s+(?:my|our)|have\s+(?:my|our)|did\s+(?:my|our|you)|is\s+(?:my|our)|"
                     r"are\s+(?:my|our)|was\s+(?:my|our)|were\s+(?:my|our)|why\s+(?:is|was|did|has|hasn't|isn't|"
                     r"wasn't|didn't|haven't|are|were)\s+(?:my|our|it|they)|how\s+(?:do|can|would|should|could)\s+"
                     r"(?:i|we)\s+(?:go\s+about\s+)?(?:\w+\s+){1,2}?(?:my|our|order\s+#|#|this|these))", re.I)
# A condition or a rule the question turns on: "after it shipped", "if opened", "for a different product"
CONDITION = re.compile(r"\b(?:after|once|if|even|without|past(?!\s+(?:orders?|purchases?))|beyond|unless|(?<!no\s)longer|already|anymore|opened|"
                       r"unopened|worn|washed|tried\s+on|damaged|broken|defective|sale|clearance|discount\w*|"
                       r"how\s+many|more\s+than|at\s+most|limit\w*|(?<!last\s)(?:days?|weeks?|months?)(?!\s+ago)|twice|again|"
                       r"partial\w*|part\s+of|some\s+of|only\s+(?:one|some|part)|free|cost\w*|fees?|polic\w*|rules?|"
                       r"eligible|(?:for\s+(?:a\s+)?(?:another|different|other)|different)\s+(?:product|item|kind|type|"
                       r"thing|model)|split|store\s+credit|cash|receipt|packaging|box|tags?|in\s+transit)\b", re.I)
# Conditions that ask about a rule only when no order of the shopper's is named: with one, they say
# where that order stands ("can I edit my order before it goes out? it's not shipped")
WEAK_CONDITION = re.compile(r"\b(?:before|within|until|since|hours?|shipped|delivered|processed|used|late|charge[sd]?|"
                            r"gift\s+card|still|pending)\b", re.I)
# Words of a rule asked about in a wh-question ("what reasons are accepted for cancelling my order?")
RULE_WORDS = re.compile(r"\b(?:can|could|may|allowed|accepted|acceptable|possible|reasons?|conditions?|required|"
                        r"requirements?|need\s+to|have\s+to|must|supposed|work|works|happens?|options?|ways?|if|once|"
                        r"unless|without|even|after|polic\w*|rules?|fees?|cost\w*|charge[sd]?|free)\b", re.I)
# A question about a new order is about buying, whatever else it names ("can I ship a new order to another address?")
NEW_ORDER = re.compile(r"\b(?:(?:a|my|the)\s+(?:new|next)\s+order|when\s+i\s+(?:order|buy|check\s*out|place\s+an\s+order)|"
                       r"at\s+checkout|before\s+i\s+(?:order|buy)|(?:can|could|may)\s+(?:i|we)\s+" + BUY_HERE + r"\s+"
                       r"(?:(?:directly|right|straight)\s+)?(?:in|on|through|via|here|online|with))\b", re.I)
# Paying an order another way ("if I switch to paypal ...", "can I split the payment ...")
PAYING = re.compile(r"\b(?:switch\w*|swap\w*|chang\w*|mov\w*|split\w*)\s+(?:\w+\s+){0,2}?(?:to\s+|onto\s+)?(?:paypal|"
                    r"gift\s+card|credit\s+card|card|payment)\b", re.I)
STEMS = re.compile(r"\b(cancel|return|refund|track|purchas|swap|exchang)(?:l?ing|l?ed|lations?|es|s|d|e)\b", re.I)
# a complaint lodged: the story of what went wrong ("... about the way my return was handled"), not a task asked
# (engine/question_or_request.py and the router's clause reading, engine/router/clauses.py)
COMPLAINT = re.compile(r"(?:lodge|file|make|raise|submit|register|log)\s+(?:a\s+|an\s+)?(?:formal\s+|official\s+)?"
                       r"complaint\b", re.I)
