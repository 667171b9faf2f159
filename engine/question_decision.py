"""What a first message does with the task it is about: answer a question about the task's rules (with the
task's button), start the task, or both, from the question-or-request reading (engine/question_or_request.py)
and the router's routes of the whole message and of its parts. The engine applies the decision
(engine/dialogue/interpret.py); this module only reads.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import question_cues as cues
from .contracts import Route
from .dialogue.follow_up import SWAP_FLOWS
from .dialogue.named_tasks import tasks_named
from .question_or_request import PERSON_ASKED, Kind, Reading
from .understand import RuleRouter


@dataclass(frozen=True)
class Decision:
    """What a first message does, for the route: answer a question (with the tasks it is about as
    buttons), answer and start a task, or start it (a request: the router's route stands)."""

    kind: Kind
    label: str                   # the route's label: "fallback" for a question, else the task's intent
    rule: str                    # the route's decided_by
    reason: str
    offer: tuple[str, ...] = ()  # flow ids offered as buttons under the answer
    start: str | None = None     # the flow started (both)
    answer_text: str = ""        # the part of the message answered
    request_text: str = ""       # the part that asks for the task
    goals: tuple[tuple[str, str], ...] = ()  # (intent, clause) when the request part asks for several tasks


# A flow the router ranks at least this likely, below its threshold, is offered as a button with the
# answer: a wrong button costs the shopper nothing, a wrongly started flow costs a "never mind".
SUGGEST_FLOOR = 0.2


# a status asked in two or three words ("shipping update?", "delivery status", "tracking?")
_BARE_STATUS = re.compile(r"\W*(?:(?:my|order|package|parcel|shipping|delivery|shipment)\s+){0,2}(?:update|status|tracking|eta)"
                          r"\W*(?:please|pls|plz)?\W*", re.I)


def offered(route: Route, accept: Callable[[str], str | None], limit: int = 2) -> tuple[str, ...]:
    """What a fallback route offers as buttons: the router's top candidates with probability >=
    SUGGEST_FLOOR that `accept` maps to a flow (None: not one), in rank order, at most `limit`."""
    out: list[str] = []
    for cand in route.top:
        got = accept(cand.label) if cand.score >= SUGGEST_FLOOR else None
        if got is not None and got not in out:
            out.append(got)
    return tuple(out[:limit])


def decide(text: str, reading: Reading, route: Route, flow_of: Callable[[str], str | None], suggested: tuple[str, ...] = (),
           route_part: Callable[[str], Route] | None = None, cannot_do: str | None = None) -> Decision | None:
    """Question, request or both, for a message with no task open. `reading` is its clauses
    (read_message); `route` is the router's route of
    the whole message; `flow_of` maps a label to a flow id (None: not a flow); `suggested` are the
    flows the router half-recognised; `route_part` routes a part of the message; `cannot_do` is the kind
    of request no flow does the message makes (engine/unsupported_asks.py). None: the shape decides
    nothing (a story, a general question no task is about): the router's route stands."""
    if reading.kind is None or cannot_do:  # "i've got a voucher, can you knock it off my order": no part
        return None  # of a request no task does starts a task (the answer says what the shop does instead)
    routed = flow_of(route.label)
    if routed is None and route.label != "fallback":
        return None  # a repair, a greeting, help: not a task's question
    if reading.kind == "request":
        person = next((c for c in reading.requests if cues.PERSON.fullmatch(c.cue)), None)
        person = person or next((c for c in reading.requests if c.cue == PERSON_ASKED), None)
        if person is not None and flow_of("handoff"):  # "can a person help me please": however it is asked, a
            # person asked for is the handoff task (the router alone reads "help me" as a question, and "a person help
            # me with my order" as the order's status)
            return Decision("request", "handoff", "question:person", f"asks for a person: “{person.cue}”",
                            start=flow_of("handoff"), request_text=person.text)
        # the router unsure of the whole, or sure of fallback only through a polite tail ("..., if that's ok")
        polite = any(cues.POLITE_TAIL.search(c.text) for c in reading.requests)
        alone = not routed and (route.decided_by == "threshold" or polite) and len(reading.requests) == 1
        fact = cues.ORDER_FACTS.search(reading.request_text) or _BARE_STATUS.fullmatch(reading.request_text)
        # (its own "buy" in "what did I buy" asks no purchase; "shipping update?" asks where the order is)
        fact = fact if fact and not cues.TASK_VERB.search(text.replace(fact.group(0), " ")) else None
        goals = _request_goals(reading, flow_of, route_part) if alone and not fact else []
        if goals:  # the router was unsure of the whole, the one request in a story is clear ("hi! a couple things
            # to sort out, first I want to change a mouse in one of my orders")
            return Decision("request", goals[0][0], "question:request_part", f"the request part, routed alone: "
                            f"{reading.words('request')}", start=flow_of(goals[0][0]), request_text=goals[0][1])
        # "Oh, ok. Let's start with cancelling an order then.": the router sure of fallback for the whole; the one
        # request, a wish said as such (not "is it possible to ..."), names its task, which the router offered for
        # that request alone
        one = reading.requests[0].text.lower() if not routed and not goals and len(reading.requests) == 1 else None
        wish = one is not None and (alone or (cues.WANT.match(one) or cues.IMPERATIVE.match(one)) is not None)
        named = _named_request(text, reading, route if alone else None, flow_of, route_part) if wish else None
        if named:  # "I would like to cancel an order, please.": too plain for the router to be sure of, yet the
            # one request names its task and the router ranked that task next (polite words lean to questions)
            return Decision("request", named, "question:request_named", f"the one request names {flow_of(named)} "
                            f"and the router offered it: {reading.words('request')}", start=flow_of(named),
                            request_text=reading.request_text)
        last = _request_last(reading, route, routed, flow_of, route_part) if not goals else None
        if last:  # "... the parcel would be safer at hers since she's always in. Yeah, send pending order #W1 to
            # <address>": the story swayed the whole; the request said last, sure alone, is what is asked
            return Decision("request", last[0], "question:request_last", f"the request after a story, routed alone: "
                            f"{reading.words('request')}", start=flow_of(last[0]), request_text=last[1])
        if fact and flow_of("order_status") and routed != flow_of("order_status"):  # "how much did I pay for my
            # last order?", "which card did I use ...?": only their order says (not a payment change)
            return Decision("request", "order_status", "question:own_order", f"asks a fact of the shopper's own "
                            f"order: “{fact.group(0)}”", start=flow_of("order_status"), request_text=reading.request_text)
        if not routed or not any(_looks_asked(c.text) for c in reading.requests):
            return None
        return Decision("request", route.label, route.decided_by,
                        f"a request for {routed}, though asked as a question: {reading.words('request')}")
    about = _keyword_flow(reading.question_text, flow_of)
    new_order = flow_of("checkout") if cues.NEW_ORDER.search(reading.question_text) else None
    core = next((c.core for c in reading.questions if c.core), "")
    if core and routed is None and new_order is None and route_part is not None:  # the router sent the whole to fallback: ask about the core
        part = route_part(core)
        if part.decided_by.startswith("classifier") and part.confidence >= 0.5 and flow_of(part.label):
            about = _unique([flow_of(part.label), about])[0]
    if reading.kind == "question":
        offer = _unique([new_order, about, routed, *suggested] if new_order else [routed, about, *suggested])[:2]
        if not offer:
            return None  # a question no task is about: the ordinary open answer
        return Decision("question", "fallback", "question:rules",
                        f"a question about the rules of {' / '.join(offer)}, answered with its button, not started: "
                        f"{reading.words('question')}", offer=offer, answer_text=text)
    start, label = routed, route.label
    goals = _request_goals(reading, flow_of, route_part)
    # the requests, routed alone, in the order said; also when the whole was read as the task the question is about
    # ("what's your exchange window? anyways, cancel #W1 for me": the request is the cancel)
    other = flow_of(goals[0][0]) if goals else None  # (the two item swaps stay as the whole reads: the status decides)
    if goals and (start is None or len(goals) > 1 or (about == start and other not in (None, start)
                                                       and {start, other} != set(SWAP_FLOWS.values()))):
        start, label = flow_of(goals[0][0]), goals[0][0]
    if start is None:  # the request names no task the router knows: the question is answered
        offer = _unique([about, *suggested])[:2]
        if not offer:
            return None
        return Decision("question", "fallback", "question:rules",
                        f"a question about the rules of {' / '.join(offer)} (the request names no task): "
                        f"{reading.words('question')}", offer=offer, answer_text=text)
    return Decision("both", label, "question:and_request",
                    f"answers {reading.words('question')}, then starts {start}: {reading.words('request')}",
                    offer=_unique([about])[:1] if about != start else (), start=start,
                    answer_text=reading.question_text, request_text=reading.request_text,
                    goals=tuple(goals) if len(goals) > 1 else ())


def asked_tasks(reading: Reading, suggested: tuple[str, ...], flow_of: Callable[[str], str | None]) -> tuple[str, ...]:
    """The buttons under the answer to a request the router did not place ("switch card", "can I get a refund
    for it?"): the router's half-recognised flows, else the task the request's words name."""
    if suggested:
        return suggested
    return _unique([_keyword_flow(reading.request_text, flow_of)]) if reading.kind == "request" else ()


def _request_goals(reading: Reading, flow_of: Callable[[str], str | None],
                   route_part: Callable[[str], Route] | None) -> list[tuple[str, str]]:
    """(intent, clause) of each request clause the router is sure of alone, in order, one per flow: "where is
    #W1 and why has nobody written back, I want to speak with a supervisor" asks for the order's status
    first. A condition the request opens with ("If not, just move #W1 to ...") is not routed."""
    if route_part is None:
        return []
    out: list[tuple[str, str]] = []
    for c in reading.requests:
        bare = cues.POLITE_TAIL.sub("", cues.LEAD_CONDITION.sub("", c.text, count=1))
        part = route_part(bare)
        if not flow_of(part.label) and c.core:  # the lead routed with it hid the wish: the wish alone
            bare, part = c.core, route_part(c.core)
        flow = flow_of(part.label)
        if flow and part.decided_by.startswith("classifier") and all(flow_of(g) != flow for g, _ in out):
            out.append((part.label, bare))
    return out


# the whole's route this sure stands whatever its last request reads alone ("I'm buying my mum a kettle ..., please
# send it to her address" is the purchase)
_SURE_WHOLE = 0.7


def _request_last(reading: Reading, route: Route, routed: str | None, flow_of: Callable[[str], str | None],
                  route_part: Callable[[str], Route] | None) -> tuple[str, str] | None:
    """(intent, clause) of the one request said last, after clauses that only tell (a story naming no order), when
    it names its order and task verb itself, the router is sure of it alone, it names another task than the whole's
    (not sure of it), and the whole ranked that task too (among its top three): the story's words swayed the whole.
    None otherwise (the whole's route stands: a story often says what the request means)."""
    if routed is None or route_part is None or route.confidence >= _SURE_WHOLE or len(reading.requests) != 1 \
            or len(reading.clauses) < 2 or reading.clauses[-1].kind != "request" \
            or any(c.kind != "other" for c in reading.clauses[:-1]):
        return None
    last, told = reading.clauses[-1].text, " ".join(c.text for c in reading.clauses[:-1])
    # the request whole on its own: its own order and verb ("send pending order #W1 to ..."), none told before it
    if not cues.ORDER_ID.search(last) or cues.ORDER_ID.search(told) or "?" in told \
            or not (cues.IMPERATIVE.match(last.lower()) or cues.TASK_VERB.search(last)):
        return None
    bare = cues.POLITE_TAIL.sub("", cues.LEAD_CONDITION.sub("", last, count=1))
    part = route_part(bare)
    flow = flow_of(part.label)
    if not part.decided_by.startswith("classifier") or part.confidence < 0.5 or flow in (None, routed) \
            or {flow, routed} == set(SWAP_FLOWS.values()) or all(c.label != part.label for c in route.top[:3]):
        return None
    return part.label, bare


# tasks a request names by their own verb ("cancel an order", "return something"); "send my order ..." names none
_NAMED_BY_VERB = frozenset({"cancel_order", "return_items", "exchange_items", "change_order_items", "change_order_address",
                            "change_default_address", "change_order_payment"})


def _named_request(message: str, reading: Reading, route: Route | None, flow_of: Callable[[str], str | None],
                   route_part: Callable[[str], Route] | None) -> str | None:
    """The label of the task the one request clause names by its words, when it is about the shopper's orders
    or things (said anywhere in the `message`) and the router offered that task too, for the whole message
    (`route`, None: not asked) or the request alone (its score at least SUGGEST_FLOOR); None otherwise. "I would
    like to cancel a transfer" names no order: a bank's request stays the router's."""
    text = cues.POLITE_TAIL.sub("", reading.request_text)
    if not cues.ORDER_THINGS.search(message):  # the order may be the story's: "... Any chance it could be cancelled?"
        return None
    label = keyword_label(text)
    named = tasks_named(text)
    # several tasks named ("cancel or return some stuff"): the first said, as the shopper ordered them
    label = named[0] if len(named) > 1 else label if label in _NAMED_BY_VERB else named[0] if named else None
    if label not in _NAMED_BY_VERB or flow_of(label) is None:
        return None
    routes = ([route] if route is not None else []) + ([route_part(text)] if route_part is not None else [])
    return label if any(c.label == label and c.score >= SUGGEST_FLOOR for r in routes for c in r.top) else None


def _looks_asked(text: str) -> bool:
    return text.rstrip().endswith("?") or cues.ASK_YOU.match(text.lower()) is not None or \
        cues.ASK_ME.match(text.lower()) is not None


def _keyword_flow(text: str, flow_of: Callable[[str], str | None]) -> str | None:
    label = keyword_label(text)
    return flow_of(label) if label else None


def keyword_label(text: str) -> str | None:
    """The task a message names by its words ("can I return opened items?" -> return_items), from the keyword
    rules the light router uses (None: it names none): the trained router sends many questions, and refusals
    followed by another task, to fallback."""
    if cues.PAYING.search(text):
        return "change_order_payment"
    r = RuleRouter().route(cues.STEMS.sub(lambda m: {"purchas": "purchase", "exchang": "exchange"}.get(m.group(1).lower(),
                                                                                            m.group(1)), text))
    return r.label if r.decided_by.startswith("rule:") else None


def _unique(ids: list[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in ids if i))
