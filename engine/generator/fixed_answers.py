"""Answers that need no language model: the scope answer, the order-facts redirect, a recommendation list,
a computed catalogue answer, and the flow buttons that go with them.

Every figure in them comes from the catalogue; every sentence is a fixed template.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from engine.contracts import Button
from engine.knowledge import Passage, tokenize

from .catalogue_answers import Computed
from .recommend import parse_request, recommend


@dataclass
class FlowInfo:
    """A flow the assistant can start: `payload` is its trigger, e.g. `/return_items`."""

    id: str
    title: str
    payload: str
    description: str = ""


def by_words_named(flows: list[FlowInfo], text: str) -> list[tuple[int, FlowInfo]]:
    """(words of the flow's id and title that `text` contains, flow), most first; ties keep their order."""
    words = set(tokenize(text))
    scored = [(len(words & set(tokenize(f"{f.id.replace('_', ' ')} {f.title}"))), f) for f in flows]
    return sorted(scored, key=lambda x: -x[0])


def flow_buttons(flows: list[FlowInfo], text: str, limit: int = 2) -> list[Button]:
    named = [f for n, f in by_words_named(flows, text) if n]
    return [Button(title=f.title, payload=f.payload) for f in named[:limit]]


def order_status_button(flows: list[FlowInfo]) -> Button:
    for f in flows:
        key = f"{f.id} {f.title}".lower()
        if "status" in key or "track" in key or "where" in key:
            return Button(title=f.title, payload=f.payload)
    return Button(title="Check my order", payload="/order_status")


SCOPE_TEXT = "I don't have an answer to that in this shop's policy, FAQ or catalogue. I can help with your orders and our products"


def scope_parts(flows: list[FlowInfo], question: str, limit: int = 6) -> tuple[str, list[Button]]:
    """Nothing in the policy, FAQ or catalogue answers the question. That is true of "what's the weather?"
    and of "do you ship to canada?" alike, so the answer says so rather than calling a shop question
    off-topic, and offers what the assistant can do: the flows the question's words name first, and the
    handoff to a person, who can answer what the documents do not."""
    ranked = [f for _, f in by_words_named(flows, question)]
    person = [f for f in ranked if f.id == "handoff"][:1]
    chosen = [f for f in ranked if f.id != "handoff"][:limit - len(person)] + person
    text = SCOPE_TEXT + (", or put you through to a person." if person else ".")
    return text, [Button(title=f.title, payload=f.payload) for f in chosen]


ORDER_FACTS_TEXT = ("I can't see order, account or payment details from here. "
                    "Let me look it up properly: choose below and I'll check it for you after verifying your identity.")


@dataclass
class Listing:
    text: str
    buttons: list[Button]
    notes: list[str]
    product: str


def recommendation_listing(question: str, catalogue: dict) -> Listing | None:
    req = parse_request(question, catalogue)
    if req is None:
        return None
    picks, notes = recommend(req, catalogue)
    if not picks:
        return Listing(f"Sorry, no {req.product} variant is available right now.", [], notes, req.product)
    wanted = ", ".join(req.options.values())
    head = f"Here {'is' if len(picks) == 1 else 'are'} the available {req.product}"
    head += f" variants with {wanted}" if wanted else " variants"
    if req.max_price is not None and "nothing is within the budget" not in notes:
        head += f" under ${req.max_price:,.0f}"
    head += ", cheapest first:"
    if "nothing is within the budget" in notes:
        bound = f"under ${req.max_price:,.0f}" if req.max_price is not None else "in that price range"
        head = f"None of our {req.product} variants{' with ' + wanted if wanted else ''} is {bound}. " \
               f"The closest available ones are:"
    if any(n.startswith("no available variant has all") for n in notes):
        head = f"No available {req.product} has all of {wanted}. The closest ones are:"
    lines = [f"- {p.label()}: ${p.price:,.2f}" for p in picks]
    buttons = [Button(title=f"Buy {p.label()} ${p.price:,.2f}",
                      payload="/checkout" + json.dumps({"item_id": p.item_id})) for p in picks]
    return Listing(head + "\n" + "\n".join(lines), buttons, notes, req.product)


def computed_buttons(comp: Computed, catalogue: dict, flows: list[FlowInfo], question: str) -> list[Button]:
    return comp.buttons(catalogue) or flow_buttons(flows, question)


CLOCK = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\b")
# "is that my local time?", "which zone is 14:05 in?": the zone the rule states is asked of the time too
CLOCK_Q = re.compile(r"\b(am|pm|a\.m|p\.m|morning|afternoon|evening|night|noon|midnight|time ?zones?|zones?|what time|"
                     r"12[- ]hour|24[- ]hour|o'?clock|local|my time|est|eastern|utc|gmt)\b", re.I)


# a reading of a time by its part of the day ("11:45 in the morning"), not an order time
DAY_PART = re.compile(r"\s*(a\.?m|p\.?m|in the (morning|afternoon|evening)|at (night|noon|midnight))\b", re.I)


def _reading(question: str, m: re.Match, times: list[re.Match]) -> bool:
    """Whether time `m` is the shopper's reading of another time ("2:30 AM"; "23:45:00 is 11:45 in the morning?":
    an order time is written with its seconds, a reading of it is not)."""
    if re.match(r"\s*(a\.?m|p\.?m)\b", question[m.end():], re.I):
        return True
    others = [t for t in times if t is not m]
    return bool(others) and not m.group(3) and any(t.group(3) for t in others) and \
        DAY_PART.match(question[m.end():]) is not None


def _time_asked(question: str, rule: str) -> re.Match | None:
    """The clock time a question asks about: of the times it names, not a reading it gives of one ("2:30 AM", "11:45 in
    the morning") nor the rule's own example it repeats as a premise ("your example 02:30:00 is 2:30 AM, so 14:30:00 is
    ...?"), the last; else the first time named."""
    times = list(CLOCK.finditer(question))
    asked = [m for m in times if not _reading(question, m, times) and not (len(times) > 1 and m.group(0) in rule)]
    return (asked or times or [None])[-1 if asked else 0]


def _guessed_part(question: str, m: re.Match) -> str:
    """The part of the day ("AM"/"PM") the shopper guessed for time `m`, right after it ("14:30:00 was at 2:30 AM?") or
    as a reading further on ("23:45:00 on my order is 11:45 in the morning?"); "" when they guess none."""
    guess = re.match(r"[\s,]*(?:that\s+|which\s+|it\s+)?(?:was|is|means|=)?\s*(?:at\s+)?(?:\d{1,2}(?::\d\d)?\s*)?"
                     r"(a\.?m|p\.?m)\b", question[m.end():], re.I)
    if guess:
        return guess.group(1)[0].upper() + "M"
    after = [m.end()] + [m.end() + t.end() for t in CLOCK.finditer(question[m.end():])]  # "16:45:00 in the morning?"
    for end in after:
        part = DAY_PART.match(question[end:])
        said = part.group(1).lower() if part else ""
        if said.startswith(("a", "in the morning")):
            return "AM"
        if said.startswith(("p", "in the afternoon", "in the evening")):
            return "PM"
    return ""


def clock_answer(question: str, passages: list[Passage]) -> tuple[str, Passage] | None:
    """"my order says 14:05:00, is that morning or afternoon?": the time read with the rule the knowledge
    states (a passage saying order times are in 24-hour format, and in which time zone), computed rather
    than left to a model that copies the rule's own example. None when the question names no clock time or
    asks nothing about it, or no passage states the format."""
    rule = next((p for p in passages if p.source == "policy" and re.search(r"24-hour", p.text)), None)
    m = _time_asked(question, rule.text if rule else "")
    if m is None or not CLOCK_Q.search(question.replace(m.group(0), " ")) or rule is None:
        return None
    zone = re.search(r"\bin ([A-Z]{2,4})\b", rule.text)
    h, mins = int(m.group(1)), m.group(2)
    part = "AM" if h < 12 else "PM"
    when = "at night" if h < 5 or h >= 21 else "in the morning" if h < 12 else "in the afternoon" if h < 17 \
        else "in the evening"
    # the rule's own example is left out for another time: "14:30:00 is 2:30 PM" next to "02:30:00 means 2:30 AM"
    # reads as two answers to one question
    said = rule.text
    example = re.search(r"[:;,]\s*(for example|e\.g\.|such as)\b([^.]*)", said, re.I)
    if example and m.group(0) not in example.group(2):
        said = said[:example.start()].rstrip() + "."
    # "... so 14:30:00 was at 2:30 AM as well?": a reading the shopper guessed for it that the rule contradicts
    guessed = _guessed_part(question, m)
    lead = "No: " if guessed and guessed != part else ""
    text = (f"{lead}{m.group(0)} is {(h % 12) or 12}:{mins} {part}{' ' + zone.group(1) if zone else ''} ({when}): "
            f"{rule.attribution()[0].lower()}{rule.attribution()[1:]}: \"{said}\"")
    return text, rule
