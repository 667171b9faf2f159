"""Question or request: is a first message asking about a task's rules ("can I return opened
items?"), asking for the task ("I want to return my headphones"), or both?

The router says which task a message is about; this module says what the shopper wants done with
it. A question about the rules is answered from the shop's knowledge with the task's button; a
request starts the task; a message that holds both gets the answer, then the task. The reading
names the words that decided, so the route can say why (`decided_by="question:rules"`).

The line between the two, where both readings are possible:
- "can you / could you ... my order" is a polite request;
- "can I ... ?" with none of the shopper's own orders or items named is a question about the rules
  ("can I exchange a shirt for a pair of shoes?");
- "can I return my headphones?" (an own item, no condition) is a request: the task itself checks the
  rule against the real order (delivered or not), which answers "can I" better than a policy text;
- "could I change some stuff in an order I placed?" (a thing of theirs, told by their own past act) is
  a request as well, unless a time frame or condition is what it turns on ("... before it ships");
  "..., would that be ok?" after a request for a thing of theirs asks leave for it, nothing more;
- with a condition ("... after it shipped", "... if it's opened", "... for a different product")
  it is a question, own item or not: the shopper asks whether the rule allows it;
- a wh-question is a question ("what reasons are accepted for cancelling?"), except the ones only
  the shopper's own records answer ("where is my order?", "how do I return my lamp?").
- a condition said before "can I" with no comma ("if the order is delivered can i still change the
  address?") is what the question turns on, as if said after it;
- a person asked to act ("can a person help me please") is a request for a person, as "can I speak to
  someone" is; "can a human see our chat?" is a question.

What the reading decides for the route is in engine/question_decision.py. Plain regular expressions over the
text: importable and fast without torch, spaCy or numpy.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from . import question_cues as cues
from .pasted_lines import without_quoted_lines
from .refusals import is_refusal

Kind = Literal["question", "request", "both"]


@dataclass(frozen=True)
class Clause:
    text: str
    kind: Literal["question", "request", "other"]
    cue: str        # the words that decided it
    core: str = ""  # what "can I ..." asks to do ("add another product to an order"), routed on its own


@dataclass(frozen=True)
class Reading:
    """What one message asks: its clauses, each a question about the rules, a request, or other."""

    clauses: tuple[Clause, ...] = ()
    kind: Kind | None = None

    @property
    def questions(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "question"]

    @property
    def requests(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "request"]

    @property
    def question_text(self) -> str:
        return " ".join(c.text for c in self.questions)

    @property
    def request_text(self) -> str:
        return " ".join(c.text for c in self.requests)

    def words(self, kind: str | None = None) -> str:
        """The cues that decided, quoted, for a route's reason."""
        return ", ".join(f"“{c.cue}”" for c in self.clauses if c.kind != "other" and (kind is None or c.kind == kind))


# "either <a task> or ...": the task is asked first, what follows the "or" is its alternative
_EITHER_DO = re.compile(r"\W*either\s+(?=" + cues.TASK_IMPERATIVE + ")", re.I)
# small talk asked as a question ("what's up", "how are you doing today?")
_SMALL_TALK = re.compile(r"\W*(?:(?:hi|hey|hello|yo|sup|oh)\W+)*(?:what'?s\s+up|wh?at\s+up|wassup|how\s+are\s+(?:you|u|ya|things)"
                         r"(?:\s+doing)?|how'?s\s+it\s+going|how\s+(?:is|'s)\s+your\s+day(?:\s+going)?|how\s+have\s+you\s+been)"
                         r"(?:\s+(?:bot|mate|guys|there|today|friend|team|folks|y'?all))*\W*", re.I)
# a person named alone, the whole message ("customer service", "agent pls", "a real person!"), and its clause's cue
PERSON_ASKED = "a person"
_PERSON_BARE = re.compile(r"\W*(?:(?:hi|hey|hello)\W+)?(?:(?:a|an|the|your|some)\s+)?(?:(?:real|actual|live|human)\s+)?"
                          r"(?:customer\s+(?:service|support|care)|human|person|agent|representative|rep|operator|someone)"
                          r"(?:\s+(?:please|pls|plz|now))?\W*", re.I)
# a relative clause after a comma ("the old bungalow, which has been sold"), not a question of its own
_RELATIVE = re.compile(r"(?:which|who|whom|whose|where)\b(?!\s+(?:one|ones|of|is\s+(?:better|cheaper|best)|do|does|did|can|"
                       r"could|should|would|will|are|was)\b)", re.I)


def clauses(text: str) -> list[tuple[str, str]]:
    """(clause, the rest of its sentence) in order: "If it shipped, can I still cancel?" asks about a
    condition said before the question."""
    out: list[tuple[str, str]] = []
    for sentence in cues.SENTENCE.split(text.strip()):
        if not sentence or not sentence.strip():
            continue
        parts: list[str] = []
        for p in (p.strip(" ,-–") for p in cues.JOINT.split(sentence) if p and re.search(r"\w", p)):
            if parts and _RELATIVE.match(p) and not p.endswith("?"):  # "..., which has been sold.": told of the
                parts[-1] = f"{parts[-1]}, {p}"  # thing before it, no question
            else:
                parts.append(p)
        out += [(p, " ".join(q for q in parts if q is not p)) for p in parts]
    return out


def read_clause(text: str, context: str = "", told: str = "") -> Clause:
    """One clause: a question about a task's rules, a request for a task, or other (a story, a
    greeting). `context`: the rest of its sentence, where a condition may be said; `told`: the rest
    of the message, where the shopper may have said what "it" is ("I got a package ... Can I return it?")."""
    t = " ".join(text.split())
    if is_refusal(t):  # "not a question about the rules": what the shopper does not want asks nothing
        return Clause(t, "other", "refuses")
    if cues.POLITE_ONLY.fullmatch(t):  # "please.", "if that's ok": leave asked, nothing asked of its own
        return Clause(t, "other", "polite")
    if _SMALL_TALK.fullmatch(t):  # "yo what's up bot.", "how are you?": a greeting, no question about the shop
        return Clause(t, "other", "small talk")
    if _PERSON_BARE.fullmatch(t):  # "customer service", "a human please": a person asked for, in a word or two
        return Clause(t, "request", PERSON_ASKED)
    low = _plain(t)
    own = _specific(low, told) if cues.INDIRECT_ASK.match(low) else None
    if own and not cues.CONDITION.search(low):  # "is there any chance it could be cancelled?" of the order told
        return Clause(t, "request", f"{cues.INDIRECT_ASK.match(low).group(0).strip()} … {own.group(0).strip()}")
    lets = cues.LETS_DO.match(t)
    if lets and (_told_own(told) or cues.VALUE.search(t) or cues.OWN.search(low)):
        return Clause(t, "request", lets.group(0).strip())  # "let's do that now: 12 Birch Lane, ...": what was told
    again = cues.PERSON_AGAIN.search(low)  # "talk to her again", when the story named a person
    person = cues.PERSON.search(low) or (again if again and cues.PERSON.search(told.lower()) else None)
    if person and person.group(0) == "phone number" and cues.ASKING_START.match(low):
        # "is there a phone number for customer service?" asks whether there is one ("... I can call to speak
        # with someone" asks for a person all the same)
        person = cues.PERSON.search(low.replace("phone number", " " * len("phone number")))
    acts = cues.PERSON_ACTS.match(low)
    if person and not cues.LATER.search(low) and (
            cues.ASKING_START.match(low) or (cues.PERSON_ASK.match(low) and cues.CONTACT.search(low[:person.end()])
                                            and not cues.HAVE_ANY.match(low))
            or (acts and cues.PERSON.search(acts.group("who")))
            or (cues.HANDED_UP.match(person.group(0)) and not cues.WH.match(low))):
        # "is there an actual person I can chat with?", "is it at all possible to speak with someone from your
        # team?": asking for a person is the request itself ("... later if I need one?" asks about the rule)
        return Clause(t, "request", person.group(0))
    either = _EITHER_DO.match(low)
    if either:  # "either set my saved address to ... or tell me where I can do it myself": the first one asked
        return Clause(t, "request", either.group(0).strip())
    m = cues.WONDER.search(low)
    polite = cues.IF_YOU.match(low[m.end():]) if m else None
    if polite:  # "just wondering if you might be able to check on my order for me?" = "can you check ..."
        inner = read_clause("can you " + t[m.end() + polite.end():], context, told)
        return Clause(t, inner.kind, f"{m.group(0)} {polite.group(0).strip()} … {inner.cue}", inner.core)
    if m:  # "I'd like to know whether I can ...": what follows decides ("if" there joins, it sets no condition)
        rest = re.sub(r"^\s*(?:if|whether)\s+(i|we)\s+(can|could|may)\b", r" \2 \1", low[m.end():])  # "... if I can" = "can I"
        # "... whether it might still be possible to" = "is it possible to"
        rest = re.sub(r"^\s*(?:if|whether)\s+it(?:'s|\s+is|\s+(?:would|might|could|will)\s+(?:still\s+)?be)\s+(?:still\s+)?",
                      " is it ", rest)
        return _about(t, m.group(0), re.sub(r"^\s*(?:if|whether)\b", "", rest), context, told)
    m = cues.ASK_YOU.match(low)
    if m:
        verb = m.group("verb")
        if cues.TELL.match(verb):  # "can you tell me ...", "could you check ...": what follows decides
            return _about(t, m.group(0).strip(), low[m.end():], context, told)
        if verb == "help" and not re.search(r"\bhelp\s+(?:me\s+)?(?:with|to|\w+\s+(?:my|the|this|it))\b", low):
            return Clause(t, "other", m.group(0).strip())
        cond = cues.CONDITION.search(low[m.end():])
        if cond and not _specific(low[m.end():], told):  # "can you change items on an order that's already processed?"
            return Clause(t, "question", f"{m.group(0).strip()} … {cond.group(0)}")
        return Clause(t, "request", m.group(0).strip())  # "could you cancel my order?": a polite request
    m = cues.ASK_ME.match(low)
    if m:
        return _may_i(t, m, context, told)
    m = cues.WANT.match(low)
    if m:
        verb = m.group("verb") or ""
        if cues.KNOW.match(verb) and not re.match(r"check\s*out\b", low[m.start("verb"):]):  # not "let's check out"
            return _about(t, m.group(0).strip(), low[m.end():], context, told)
        if cues.COMPLAINT.match(low, m.start("verb")):  # "I wish to lodge a complaint about how my return was handled"
            return Clause(t, "other", "complaint")  # tells what went wrong: no task of its own
        return Clause(t, "request", m.group(0).strip())
    m = cues.IMPERATIVE.match(low)
    if m:
        return Clause(t, "request", m.group(0).strip())
    m = cues.SHOULD_GO.match(cues.IF_SO.sub("", low, count=1))
    if m and not t.rstrip().endswith("?"):  # "If so, W1 should go to 3100 Broadway, ...": where it is to go, told
        return Clause(t, "request", m.group(0).strip())
    aux = cues.AUX.match(low)
    aux_asks = aux is not None and cues.SUBJECT.match(low, aux.end("aux")) is not None  # "is the lamp ...", "does it ..."
    inner = cues.INNER_ASK.search(low)
    if inner and inner.start() > 0 and not aux_asks:  # "so the wall clock from my last order is way too loud can i
        # send it back?" (not "does the refund go to my card, or can it go elsewhere?": one question)
        lead = t[:inner.start()]  # a condition lead ("if it was delivered can i ...") is what the ask turns on
        return read_clause(t[inner.start():], f"{context} {lead}" if cues.LEAD_IF.match(lead) else context,
                           f"{told} {lead}")
    wh = cues.WH.match(low)
    if wh:
        head = low[wh.start("wh"):]
        rec = cues.RECORDS.match(head) or cues.ORDER_FACTS.match(head)  # (".. what did I even buy last week?")
        if rec:
            return Clause(t, "request", rec.group(0))
        how = cues.HOW_DO_I.match(head)
        if how:  # "how do I return the lamp?" asks for the task; "how do I return an item?" for the rules
            return _may_i(t, how, context, told)
        status = cues.STATUS.search(low) and (_specific(cues.ACCOUNT.sub(" ", low), told) or _told_own(told))
        if status:  # "when can I expect the toothbrush?", "my headphones haven't come. what's going on?"
            return Clause(t, "request", f"{wh.group('wh')} … {status.group(0)} … {cues.STATUS.search(low).group(0)}")
        own = cues.OWN.search(low) or cues.ORDER_ID.search(low) or (
            _told_own(told) if re.search(r"\b(?:it|they|them)\b", low) else None)  # "my order of the kettle, where it is?"
        if own and not cues.RULE_WORDS.search(low):
            # "what's in my order?", "what's going on with it?": only the shopper's records answer
            return Clause(t, "request", f"{wh.group('wh')} … {own.group(0)}")
        return Clause(t, "question", wh.group(0).strip())
    feasible = cues.FEASIBLE.match(low)
    if feasible:  # "is that doable for #W1?": leave for the wish told before, about a thing of the shopper's
        return _about(t, feasible.group(0).strip(), low[feasible.end():], context, told)
    if aux_asks:
        rec = cues.RECORDS.match(low[aux.start("aux"):])
        if rec:
            return Clause(t, "request", rec.group(0))
        words = low[aux.end():].split()
        named = len(words) > 1 and cues.ORDER_ID.match(words[1])  # "could order #W1 go to her place ..."
        subject = " ".join(words[:3] if words[0] in cues.DETERMINERS or named else words[:1])
        if _specific(subject, told) or cues.OWN.search(subject):  # "is the lamp coming?", "can my order be paid ..."
            return _about(t, aux.group(0).strip(), low[aux.end():], context, told)
        if every := _ALL_OF_A_KIND.match(low, aux.end()):  # "do all orders get a tracking number, or only the big ones?"
            return Clause(t, "question", f"{aux.group(0).strip()} {every.group(0).strip()}")
        status = cues.STATUS.search(low) and (_specific(cues.ACCOUNT.sub(" ", low), told) or (
            _told_own(told) if not (cues.RULE_WORDS.search(low) or _KINDS_OF.search(low)) else None))  # "... is there tracking?"
        if status:  # "is there a tracking number for #W4821937 yet?"
            return Clause(t, "request", f"{aux.group(0).strip()} … {status.group(0)} … {cues.STATUS.search(low).group(0)}")
        # "does dhl deliver to my address?", "do you accept returns on sale items?": about the shop
        return Clause(t, "question", aux.group(0).strip())
    wish = cues.INNER_WISH.search(low)
    if wish and wish.start() > 0:  # "before my order ships I want to change the dumbbell set ...": the lead
        inner = read_clause(t[wish.start():], context, f"{told} {t[:wish.start()]}")  # stays: it names the order
        return Clause(t, inner.kind, inner.cue, inner.core or t[wish.start():])  # core: the wish alone
    if t.endswith("?"):
        if len(t.split()) <= 6 and cues.STATUS.search(low) and not cues.CONDITION.search(low):  # "package status?"
            return Clause(t, "request", cues.STATUS.search(low).group(0))
        return _about(t, "?", low, context, told)
    return Clause(t, "other", "")


# every thing of a kind as the subject ("do all orders ...", "does every item ..."): a rule, not the shopper's own
_ALL_OF_A_KIND = re.compile(r"\s*(?:all|every|each|any|most)\s+(?:of\s+(?:the|your)\s+)?(?!my\b|our\b)(?:\w+\s+)?"
                            r"(?:orders?|items?|products?|purchases?|packages?|parcels?|deliveries|shipments?)\b")
# things said in general ("is there tracking for orders shipped abroad?"): a rule, whatever the story before
_KINDS_OF = re.compile(r"\b(?:orders|items|products|purchases|packages|parcels)\b")


def _condition(context: str) -> re.Match | None:
    """A rule's condition in the words around the ask, its politeness left out ("if you don't mind" is none)."""
    return cues.CONDITION.search(cues.POLITE_IF.sub(" ", context.lower()))


def _plain(t: str) -> str:
    """The clause, lower case, with the shopper's account things ("my address", "the address saved on my
    account") and indefinite things ("something I ordered") said generically: they name no order."""
    low = cues.INDEFINITE_OWN.sub("something", cues.POLITE_IF.sub(" ", t.lower()))
    return cues.ACCOUNT.sub(lambda m: "the account" if not cues.VALUE.search(t) else m.group(0), low)


def _may_i(t: str, m: re.Match, context: str, told: str) -> Clause:
    """ "can I / is it possible to / any way to <verb> ...?": a condition makes it a question about
    the rule; a thing of the shopper's own makes it a request; else a question (no order named)."""
    verb, rest = m.group("verb"), m.group("rest")
    frame = m.group(0)[:m.start("rest") - m.start()].strip()
    low = _plain(t)
    redo = re.sub(r"\bagain\b", " ", rest) if cues.REDO.match(verb) else rest  # "can we start the return again?"
    cond = cues.CONDITION.search(redo) or _condition(context)
    if cond:
        return Clause(t, "question", f"{frame} … {cond.group(0)}", verb + rest)
    choice = cues.OR_OTHER_TASK.search(rest) if frame.startswith("should") else None
    if choice:  # "should I cancel my order or just change the address on it?": advice between two tasks
        return Clause(t, "question", f"{frame} … {choice.group(0).strip()}", verb + rest)
    how = frame.startswith("how")  # "how do I ...": the way to do it, asked; "can I ...": leave to do it
    own = (_specific(rest, told) or cues.OWN.search(low) or cues.VALUE.search(t) or _told_own(told)
           or cues.VALUE.search(told)  # "how do I change my profile address? new place is 77 Lake Dr"
           # "is it possible to update my default address?" (not "how do I ...", the way; nor "... or on the website?")
           or (cues.MY_ADDRESS.search(t) if cues.CHANGE.match(verb) and not how and " or " not in rest else None))
    weak = cues.WEAK_CONDITION.search(rest) or cues.WEAK_CONDITION.search(context.lower())
    placed = None if how else _placed(t, rest, context)
    here = re.match(cues.BUY_HERE + r"\b(.*)$", verb + rest, re.I | re.S)
    if here and cues.BUY_CHANNEL.match(here.group(1)):
        # "can I order directly in this chat?": how buying works here, nothing to buy named
        return Clause(t, "question", f"{frame} … {here.group(1).strip()}", verb + rest)
    if (cues.ACT.match(verb + rest) or cues.BUY.match(verb + rest)) and (own or placed or not weak):
        # "can I start a return?", "can I place an order for ...?": the verb itself asks for the task
        return Clause(t, "request", frame)
    if cues.FIND_OUT.match(verb) and (how or not own):  # "how can I find out where my order is?": the way
        return Clause(t, "question", f"{frame} …", verb + rest)
    if own or placed:  # "would it be possible to see where my headphones are?", "could I cancel an order I placed?"
        return Clause(t, "request", f"{frame} … {(own or placed).group(0).strip()}")
    pleads = None if how or weak else cues.PLEASE.search(t)
    if pleads and cues.TASK_VERB.match(verb):  # "could I cancel an order please?": a rule is not asked with a please
        return Clause(t, "request", f"{frame} … {pleads.group(0)}")
    return Clause(t, "question", f"{frame} … {weak.group(0)}" if weak else f"{frame} (nothing of the shopper's named)",
                  verb + rest)


def _placed(t: str, rest: str, context: str) -> re.Match | None:
    """A thing of the shopper's said with their own past act ("an order I placed", "a mouse I got"),
    in a clause with no time frame or condition: "could I change some stuff in an order I placed?" asks
    leave to change that order; "can I change something I ordered before it ships?" and "can I add a
    product to an order I already placed?" ask what the rule allows. Not "anything I bought" (any one)."""
    placed = cues.INDEFINITE_OWN.search(t.lower())
    if placed is None or placed.group(0).startswith("any"):
        return None
    turns_on = (cues.CONDITION.search(placed.group(0)) or cues.TIME_FRAME.search(rest)
                or cues.TIME_FRAME.search(context.lower()))
    return None if turns_on else placed


def _about(t: str, cue: str, rest: str, context: str, told: str) -> Clause:
    """What follows a frame that only asks ("is ...", "tell me whether ...", "I'd like to know ...")
    decides: "... I can <verb>" is read as "can I"; the state of a thing of the shopper's ("... has
    my order shipped", "is the lamp coming") or a thing of theirs with no condition is a request for
    their records or the task; anything else is a question about the rules."""
    m = cues.ASK_ME.search(rest)
    if m and not _specific(rest[:m.start()], ""):
        return _may_i(t, m, context, told)
    own = _specific(rest, told)
    if not own and len(re.findall(r"[a-z]{3,}", rest)) < 3:  # "... can you check?" after the story
        own = _told_own(told)
        rest = f"{told.lower()} {rest}"
    if own and cues.STATUS.search(rest) and _specific(cues.ACCOUNT.sub(" ", rest), told):
        return Clause(t, "request", f"{cue} … {own.group(0).strip()} … {cues.STATUS.search(rest).group(0)}")
    if own and cues.INDIRECT_ASK.match(t) and not cues.CONDITION.search(rest):
        return Clause(t, "request", f"{cue} … {own.group(0).strip()} (asked indirectly)")
    # "If I move, will my existing orders follow me to the new address?": the condition said before the ask
    lead = _condition(context) if cues.LEAD_IF.match(context) else None
    # "... if the keyboard I received could be traded for ...": the modal asks leave for a thing of theirs
    ruled = re.sub(r"\b(?:can|could|may|might)\s+(?:still\s+)?be\b", " ", rest) if own else rest
    cond = cues.CONDITION.search(rest) or cues.RULE_WORDS.search(ruled) or lead
    if own and not cond:
        return Clause(t, "request", f"{cue} … {own.group(0).strip()}")
    return Clause(t, "question", cue + (f" … {cond.group(0)}" if cond else ""))


def _told_own(told: str) -> re.Match | None:
    """A thing of the shopper's, said elsewhere in the message ("the lamp from my last order... can i
    get my money back")."""
    told = cues.EXPLETIVE.sub(" ", _plain(told))
    return (cues.OWN.search(told) or cues.ORDER_ID.search(told) or cues.THE_THING.search(told)
            or cues.STORY_IT.search(told))


def names_own(text: str) -> bool:
    """Whether a clause names a thing of the shopper's: "my order", "#W...", "the lamp", "an order I placed"
    (mid-task, a status question naming one is looked up by the order status task, never the generator)."""
    low = text.lower()
    return bool(cues.INDEFINITE_OWN.search(low) or _specific(cues.ACCOUNT.sub(" ", low), ""))


def _specific(s: str, told: str) -> re.Match | None:
    """A thing of the shopper's own, named: "my lamp", "#W1234567", "the lamp I ordered", "the desk lamp
    order", or "it" / "them" / "can that be ..." (after a story, or alone: "can I return it?")."""
    s = cues.EXPLETIVE.sub(" ", s.lower())
    return (cues.OWN.search(s) or cues.ORDER_ID.search(s) or cues.THE_THING.search(s) or cues.POINTED_ANY.search(s)
            or (_told_own(told) if re.search(r"\b(?:it|them|they|one)\b|\b(?:that|this)\s+(?:be|get)\b", s) else None))


def read_message(text: str) -> Reading:
    """The message's clauses and what the whole asks: "question", "request", "both", or None when it
    neither asks nor requests in a shape this module knows (the router alone decides). A line quoted whole
    is told, not asked ("“Your order will ship soon.” Before it ships, change the address")."""
    text, quoted = without_quoted_lines(text)
    parts = clauses(text)
    first = [read_clause(c, rest) for c, rest in parts]
    # what the shopper told (not what they asked for) says what "it" is: "I got a lamp. Can I return it?"
    # (the told parts within a dozen clauses either side: the same for any real message, linear for a pasted wall)
    read = list(zip(parts, first))
    found = [read_clause(c, rest, " ".join(o for (o, _), r in read[max(0, i - 12):i + 13] if o is not c and r.kind == "other"))
             for i, (c, rest) in enumerate(parts)]
    asks = [i for i, c in enumerate(found) if c.kind != "other"]
    for i in asks:  # "any chance you could check on #W1 for me?", "Regarding order #W1: could the payment be changed
        # to PayPal?": a yes/no question about one order the shopper names by its number asks for that order's task
        c = found[i]
        oid = cues.ORDER_ID.search(c.text) or (cues.ORDER_ID.search(text) if len(asks) == 1 else None)
        # ("... or has it been processed already?": of a named order, "already" asks where it stands)
        conditions = {m.group(0).lower() for m in cues.CONDITION.finditer(cues.ASK_FRAME_IF.sub(" ", c.text))}
        if c.kind == "question" and oid and not cues.WH.match(c.text) and not conditions - {"already"}:
            found[i] = Clause(c.text, "request", f"{c.cue} … {oid.group(0)}", c.core)
    for i in range(len(found) - 1):  # "can I still cancel? if so please cancel #W...": asked first, then requested
        if found[i].kind == "request" and found[i].text.endswith("?") and cues.IF_SO.match(found[i + 1].text) \
                and not _polite_tag(found[i + 1].text):
            found[i] = Clause(found[i].text, "question", f"{found[i].cue} ? {cues.IF_SO.match(found[i + 1].text).group(0).strip()}")
    for i in range(1, len(found)):  # "exchange a mouse I got, would that be ok?": leave asked for the request
        if found[i].kind == "question" and found[i - 1].kind == "request" and cues.LEAVE.match(found[i].text) \
                and names_own(found[i - 1].text):
            found[i] = Clause(found[i].text, "other", f"{found[i].cue} (leave for the request before it)")
    kinds = {c.kind for c in found}
    kind: Kind | None = ("both" if {"question", "request"} <= kinds else "question" if "question" in kinds
                         else "request" if "request" in kinds else None)
    return Reading(tuple(Clause(q, "other", "quoted") for q in quoted) + tuple(found), kind)


def _polite_tag(text: str) -> bool:
    """"if that's ok", "if possible" said alone after a wish asks leave for it, sets no condition ("I think I
    want to return the lamp? if that's ok" is the request; "can I still cancel? if so cancel #W..." waits)."""
    return re.fullmatch(r"\W*if\s+(?:possible|that'?s\s+(?:ok(?:ay)?|possible|fine|alright|all\s+right))\W*", text,
                        re.I) is not None
