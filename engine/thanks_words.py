"""The words of a thanks, praise or sign-off ("Perfect, thanks!", "thank you so much, that was really helpful!",
"thanks, that's all"): one table for the router, which keeps a thanks part from blocking a goodbye
(engine/router), and for the small-talk replies (engine/dialogue/small_talk.py). Plain regular expressions."""
from __future__ import annotations

import re

# the words that thank (one of them must be said)
THANK = r"(?:thanks?|thank\s+(?:you|u)|thx|thnx|tnx|ty|tysm|cheers|much\s+appreciated|(?:i\s+)?(?:really\s+)?" \
        r"appreciate\s+(?:it|that|this|(?:all\s+)?(?:the|your)\s+help))"
# what may stand around them: praise of the help, intensifiers, who is thanked, a smile
PRAISE = (r"(?:perfect|great|awesome|cool|wonderful|amazing|excellent|brilliant|lovely|nice|super|fantastic|ok(?:ay)?|"
          r"alright|sweet|good|helpful|quick|fast|easy|so|very|really|much|a\s+lot|a\s+bunch|a\s+ton|again|"
          r"all\s+good|oh|wow|yay|"
          r"guys|team|man|mate|buddy|friend|"
          r"for\s+(?:(?:all\s+)?(?:the|your)\s+help|(?:all\s+)?(?:that|this|everything|it))|many|"
          r"for\s+(?:sorting|fixing|handling|helping\s+with)\s+(?:that|this|it|everything)(?:\s+out)?|"
          r"(?:great|good|nice)\s+(?:job|work)|(?:that|this)\s+helps|"
          r"(?:you'?re|you\s+are|you'?ve\s+been|you\s+have\s+been|that\s+was|that'?s|this\s+was|it\s+was)\s+"
          r"(?:(?:so|very|really|super|such|a|an|the|most|incredibly|extremely|truly|been)\s+)*"
          r"(?:helpful|great|awesome|amazing|the\s+best|best|star|lifesaver|life\s+saver|fast|quick|easy|kind|"
          r"help|big\s+help|great\s+help|perfect|wonderful|excellent|brilliant|smooth|painless)|"
          r"(?:that|this|it)\s*(?:was|'s|is)\s+(?:(?:a\s+lot|much|way|so|far)\s+)?(?:less\s+(?:painful|hassle|work|"
          r"trouble|complicated)|easier|quicker|faster|simpler|smoother|better)(?:\s+than\s+(?:i\s+)?(?:expected|"
          r"thought|feared|imagined))?|"
          r"and|[:;]-?[)D]|<3)")
# a thanks that also closes the conversation ("thanks, that's all", "thanks again, have a nice day")
CLOSING = (r"(?:that'?s\s+(?:all|it|everything)(?:\s+(?:for\s+)?(?:now|today|i\s+needed))?|nothing\s+else|"
           r"(?:have\s+a\s+)?(?:good|great|nice|lovely|wonderful)\s+(?:day|one|evening|night|weekend)|bye|goodbye|"
           r"see\s+(?:you|ya)|take\s+care|(?:i'?m|we'?re)\s+(?:all\s+)?(?:done|good|set)|all\s+set|"
           r"(?:kind|best|warm)\s+regards|regards|sincerely|yours\s+(?:sincerely|truly)|all\s+the\s+best|best\s+wishes)")
ONLY = re.compile(rf"(?:(?:{THANK}|{PRAISE}|{CLOSING})[\s,.!]*)+", re.I)
THANKED = re.compile(rf"\b{THANK}\b", re.I)
CLOSED = re.compile(rf"\b{CLOSING}\b", re.I)
