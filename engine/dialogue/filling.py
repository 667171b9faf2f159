"""Filling slots from what the shopper said: the asked slot, and others one message mentions.

Every value still reaches the slot through `TurnContext.fill` (protected slots, ownership and the
slot's checks); this module only turns text into candidate values via `reading`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..flows.model import SlotDef
from ..slots.extract import PAYMENT_NAMED
from ..slots.types import choices_for, parse_answer
from .context import TurnContext
from .item_wishes import own_wish as kept_wish
from .reading import entities_for, named_choice, read_answer
from .state import Frame
from .task_switch import one_order_at_a_time
from .wishes import REQUEST_VERBS, WISHED, instead_sentence, items_part, liked_clause, without_order_payment
from .words import slot_words

# Slot types worth filling from an utterance that was not an answer to them.
OPPORTUNISTIC_TYPES = {"order_id", "email", "zip", "person_name", "address", "items", "payment_method", "choice"}

# Slot types whose clarifying question an opening's words lead to ("return the fleece jacket" from an
# order with two: "One or both?"), instead of the slot's plain question that forgets them.
ASKED_FROM_OPENING = frozenset({"items", "order_id"})

# What the shopper is told when a value is refused for a reason other than its own validation.
_REFUSED = {"protected": "I can't take that value from a message.",
            "deferred": "I need to verify who you are before I can use that.",
            "unknown_slot": None}


@dataclass(frozen=True)
class Filled:
    """The outcome of filling one slot: unpacks as (ok, error) and is truthy when filled."""

    ok: bool
    error: str | None = None
    ambiguous: Any = None   # engine.slots.resolve.Ambiguous: several candidates fit; ask which
    refused: str | None = None  # why the value read was refused, kept even when `quiet`

    def __iter__(self):
        yield self.ok
        yield self.error

    def __bool__(self) -> bool:
        return self.ok


def try_fill(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str, *, quiet: bool = False,
             value: Any = None, given: bool = False, source: str = "user", own: bool = False) -> Filled:
    """Fill `slot` from text (or a given value). `quiet`: the text answered something else, so no
    ordinal guesses ("the last one") and no error for the shopper; `own`: the text is this slot's
    own part of it (an item's wish), so several fitting candidates are asked about."""
    env = ctx.env(frame)
    partial = list(frame.partial.get(slot.name, []))
    if not given:
        reading = read_answer(ctx, frame, slot, text, explicit=quiet)
        if reading.ambiguous is not None and reading.ambiguous.refused is not None and slot.check:
            frame.context["refused:" + slot.name] = reading.ambiguous.refused  # the item swap its status allows may take it
        if not reading.found:
            if reading.ambiguous is not None and not quiet:
                return Filled(False, reading.ambiguous.reason, reading.ambiguous)
            if reading.ambiguous is not None and (own or slot.type in ASKED_FROM_OPENING):
                return Filled(False, None, reading.ambiguous)  # the opening named it: ask which, quietly
            return Filled(False)
        value = reading.value
    if slot.type == "variants" and not isinstance(value, list):
        allowed = [ch.value for ch in (choices_for(slot, env, partial) or [])]
        if value not in allowed:
            return Filled(False, None if quiet else "That option isn't available for this item.")
        partial.append(value)
        items = env.values.get(slot.of or "") or []
        if len(partial) < len([items] if isinstance(items, str) else items):
            frame.partial[slot.name] = partial
            ctx.log("slot_partial", slot=slot.name, value=partial)
            return Filled(True)
        value = partial
    result = ctx.fill(slot.name, value, source, frame)
    if not result.ok:
        return Filled(False, None if quiet else (result.error or _REFUSED.get(result.code)), refused=result.error)
    frame.partial.pop(slot.name, None)
    frame.attempts.pop(slot.name, None)
    return Filled(True)


def keep_wish(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str) -> None:
    """An answer that also says what the items should become ("the one with the wristwatch. I'd like
    the black dial instead of white") or names a payment method: kept with the opening, so the slots
    still to come read it."""
    flow = ctx.flow(frame)
    later = [s for s in flow.slots.values() if s.type == "variants" and ctx.state.value(s.name) is None
             and s.name != slot.name]
    if later and WISHED.search(text) and text not in (frame.context.get("opening") or ""):
        # "The RGB 60% one. I want a linear one instead", "the RGB one, I'd like it in black": the wish only
        text = instead_sentence(text) or liked_clause(text) or text
        _with_opening(frame, text)
    # "the skateboard from #W..., refund to my mastercard": the method is read when its question comes
    # (its candidates depend on the order, fetched after this answer)
    paid = [s for s in flow.slots.values() if s.type == "payment_method" and ctx.state.value(s.name) is None]
    if paid and slot.type != "payment_method" and PAYMENT_NAMED.search(own_part(ctx, frame, paid[0], text)) \
            and text not in (frame.context.get("opening") or ""):
        _with_opening(frame, text)


def own_part(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str) -> str:
    """What `text` may say to `slot`: for items, which ones (not what they become, `items_part`); for
    the payment of items (a price difference, a refund), not a method a request to change the order's
    payment names ("switch the payment of #W... to my PayPal" is that task's, `without_order_payment`)."""
    if slot.type == "payment_method" and any(s.type == "items" for s in ctx.flow(frame).slots.values()):
        return without_order_payment(text)
    return items_part(slot, text)


def _with_opening(frame: Frame, text: str) -> None:
    """`text` added to what the opening said, for the slots still to come."""
    frame.context["opening"] = f"{frame.context.get('opening') or ''}\n{text}".strip()


def opening_for(ctx: TurnContext, frame: Frame, slot: SlotDef) -> tuple[str | None, bool]:
    """What the opening says to `slot` now (None: nothing), and whether it is that item's own wish.
    For a variants slot over several items, a wish per item said in turn ("change the sunglasses and
    the luggage set to black; 4-piece") is paired with the items in the order they were named, each
    item read against its own wish; wishes that cannot be paired that way are not guessed at (each
    item is asked). An item's wish said at an earlier item's question (`item_wishes`) comes first."""
    opening = frame.context.get("opening") or ""
    if slot.type != "variants":
        return own_part(ctx, frame, slot, opening), False
    env = ctx.env(frame)
    items = env.values.get(slot.of or "") or []
    items = [items] if isinstance(items, str) else list(items)
    k = len(frame.partial.get(slot.name, []))
    if k < len(items) and kept_wish(frame, slot, items[k]):  # said at an earlier item's question
        return kept_wish(frame, slot, items[k]), True
    if k < len(items) and len(set(items)) == len(items):
        own_wish = _wishes_after_items(ctx, frame, slot, opening).get(items[k])
        if own_wish:  # "the keyboard to clicky, the kettle to a 2L glass one and the shoes to white mesh"
            return own_wish, True
    wished = WISHED.search(opening)
    wishes = [w.strip() for w in re.split(r";", wished.group(0))] if wished else []
    if len(items) <= 1 or len(wishes) <= 1:  # one item or one wish: read for the first item only, and
        # with one item the wish is its own (several options fitting it are asked about, not dropped)
        if wished and k == 0 and re.match(r"\s*(?:to|into)\s", wished.group(0), re.I) \
                and re.search(r"\bfrom\s+(?!order\b)[^.;!?\n]*$", opening[:wished.start()], re.I):
            return opening[wished.start():], len(items) == 1  # "from the plastic one to a bamboo one"
        # "the grey medium polyester one. I'd like it in small and nylon instead": the sentence before says which
        wish_only = instead_sentence(opening) or liked_clause(opening) if k == 0 else None
        if wish_only:
            return wish_only, len(items) == 1
        return (opening if k == 0 else None), bool(wishes) and len(items) == 1
    named = _named_in_turn(ctx, frame, slot, opening[:wished.start()])
    if len(wishes) != len(items) or sorted(named) != sorted(items) or len(set(items)) != len(items):
        return None, False
    return (wishes[named.index(items[k])], True) if k < len(items) else (None, False)


# What follows an item's name when it says what the item should become: "to clicky", "into a 2L one",
# "for the white one", "should be black", "-> size 9", ": glass"; the order may be said in between
# ("the tablet in #W9941744 for a black one").
_WISH_START = re.compile(r"^\W{0,3}(?:(?:in|from|of|on)\s+(?:(?:my|the)\s+)?(?:order\s+)?#?W\d{7}\b\W{0,3})?"
                         r"(?:(?:to|into|for)\s+(?!(?:" + REQUEST_VERBS + r")\b)|should\s+(?:be|become)\s+|"
                         r"(?:->|→|:)\s*|(?:i\s+)?(?:want|need|would\s+like|'d\s+like)\s+(?:it\s+)?(?:in\s+)?"
                         r"|in\s+(?!(?:my|the|that|this|it|order|one|#)\b))", re.I)  # "the speaker in blue"


def _wishes_after_items(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str) -> dict:
    """Item value -> the wish said right after its name, each item named once ("change the keyboard to
    clicky, the kettle to a 2L white glass one, and the running shoes to white mesh")."""
    from ..slots.candidate_sets import candidates_for
    from ..slots.resolve import phrases

    source = ctx.flow(frame).slots.get(slot.of or "")
    cands = candidates_for(source, ctx.env(frame)) if source is not None else None
    # the items read with their wishes blanked: "the tablet for a 128GB one" names the tablet, and the
    # 128GB it wishes for is not the order's 128GB phone narrowing it to nothing
    names = items_part(source, text) if source is not None else text
    said = [p for p in phrases(names, cands or []) if not p.negated and len({cands[i].value for i in p.hits}) == 1]
    out: dict = {}
    for k, p in enumerate(said):
        end = said[k + 1].start if k + 1 < len(said) else len(text)
        seg = re.sub(r"(?:,|;|\.|\band\b|\bthe\b|\bmy\b|\s)+$", "", text[p.end:end], flags=re.I)
        value = cands[next(iter(p.hits))].value
        if ";" in seg:
            return {}  # "... to black; 4-piece": wishes listed together, paired by `opening_for`
        if _WISH_START.match(seg) and value not in out:
            out[value] = seg.strip(" ,;")
        elif value in out:
            return {}  # an item named twice: the pairing is not certain
    return out


def _named_in_turn(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str) -> list:
    """The items of `slot.of` in the order `text` names them (each phrase naming exactly one)."""
    from ..slots.candidate_sets import candidates_for
    from ..slots.resolve import phrases

    source = ctx.flow(frame).slots.get(slot.of or "")
    cands = candidates_for(source, ctx.env(frame)) if source is not None else None
    out: list = []
    for p in phrases(text, cands or []):
        values = {cands[i].value for i in p.hits}
        if len(values) == 1 and not p.negated:
            out.append(values.pop())
    return out


def fill_others(ctx: TurnContext, frame: Frame, text: str, skip: str | None = None) -> set[str]:
    """One utterance can fill several slots: fill the flow's empty ones that it clearly mentions.
    Returns the names filled."""
    flow = ctx.flow(frame)
    before = {n: ctx.state.value(n) for n in flow.slots}  # a value left from another task may be replaced
    for slot in flow.slots.values():
        if slot.name == skip or slot.protected or slot.type not in OPPORTUNISTIC_TYPES:
            continue
        if ctx.state.value(slot.name) is not None and not _left_over(ctx, frame, slot.name):
            continue
        if slot.of and _left_over(ctx, frame, slot.of):
            continue  # "the boots" are read against this task's order, not one left from another task
        if slot.type == "choice":  # only by an explicit synonym, never by a stray word
            hit = named_choice(slot, text)
            if hit is not None:
                try_fill(ctx, frame, slot, text, quiet=True, value=hit, given=True)
            continue
        if slot.type in ("items", "payment_method"):
            said = own_part(ctx, frame, slot, text)
            kind = "item" if slot.type == "items" else "payment_method"  # "all of them" (items) picks no card
            named = [e for e in entities_for(ctx, frame, said, slot) if e.type == kind]
            # only what the message names: "that's the one" picks nothing here
            found, value = parse_answer(slot, said, named, ctx.env(frame)) if named else (False, None)
            if found:
                try_fill(ctx, frame, slot, text, quiet=True, value=value, given=True)
            elif slot.type == "items" and text not in (frame.context.get("opening") or "") and \
                    read_answer(ctx, frame, slot, said, explicit=True).ambiguous is not None:
                _with_opening(frame, text)  # "yep that one. the fleece jacket and ..." to the order: which jacket?
            continue
        if slot.type == "person_name":
            found = entities_for(ctx, frame, text, slot)
            if not any(e.type in ("person_name", "first_name") for e in found):
                named = name_beside_zip(text, found)  # "sophia garcia 78263": the name said with the zip
                if named is not None:
                    try_fill(ctx, frame, slot, text, quiet=True, value=named, given=True)
                continue  # two stray words are not a name unless an extractor says so
        if slot.type == "order_id" and text == frame.context.get("opening"):  # "cancel #W1 and #W2": in turn
            try_fill(ctx, frame, slot, one_order_at_a_time(ctx, frame, slot, text), quiet=True)
            continue
        try_fill(ctx, frame, slot, text, quiet=True)
    filled = {n for n in flow.slots if ctx.state.value(n) is not None and ctx.state.value(n) != before[n]}
    for name in filled - {skip}:  # "a wall clock on another order": the order it found is said with it
        say_order_found(ctx, frame, name, text)
    say_what_was_taken(ctx, flow, [n for n in flow.slots if n in filled and n != skip], text)
    return filled


def say_order_found(ctx: TurnContext, frame: Frame, name: str, text: str) -> None:
    """An order found from what the shopper named ("exchange my boots") is said, never silent."""
    value, slot = ctx.state.slots.get(name), ctx.flow(frame).slots.get(name)
    if slot is None or slot.type != "order_id" or value is None or \
            str(value.value).lstrip("#").lower() in text.lower():
        return
    order = ctx.env(frame).order(value.value) or {}
    names = ", ".join(dict.fromkeys(i["name"] for i in order.get("items", [])))
    ctx.say(f"I found it: order {value.value}" + (f" ({names})." if names else "."))


def items_named(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str) -> bool:
    """Every item taken is named in `text` by its product's name ("the luggage set"): nothing to say back."""
    order = ctx.env(frame).order(ctx.state.value(slot.of or "")) or {}
    taken = ctx.state.value(slot.name) or []
    names = {it["name"].lower() for it in order.get("items", []) if it["item_id"] in
             (taken if isinstance(taken, list) else [taken])}
    return bool(names) and all(n in text.lower() for n in names)


# Slots whose value, taken from a message that answered something else, is said at once (never only
# in the summary): the shopper sees what was understood while it is still easy to correct.
_SAID_BACK = ("choice", "items", "payment_method", "product", "variant", "address")


def say_what_was_taken(ctx: TurnContext, flow, names: list[str], text: str) -> None:
    if not any(step.kind == "confirm" for step in flow.steps):
        return  # sign-in and other flows that change nothing: what they took needs no saying
    low = " ".join(text.lower().split())
    parts = []
    for name in names:
        held, slot = ctx.state.slots.get(name), flow.slots[name]
        shown = str(held.display or held.value) if held is not None else ""
        said = {shown.lower(), str(held.value).lower()} if held is not None else set()
        if slot.type in _SAID_BACK and shown and not any(w and w in low for w in said):
            parts.append(f"the {slot_words(name)}: {shown}")
    if parts:
        ctx.say(f"From what you said, I've taken {'; '.join(parts)}.")


_TWO_WORDS = re.compile(r"\W*(?:(?:my\s+)?name\s+is\s+|i'?m\s+|it'?s\s+)?([a-z][a-z'-]+)\s+([a-z][a-z'-]+)\W*", re.I)
_NOT_A_NAME = frozenset({"zip", "code", "my", "is", "and", "the", "email", "name", "yes", "no", "ok", "okay", "its",
                         "hi", "hello", "hey", "use", "please", "thanks", "sure", "by"})


def name_beside_zip(text: str, entities: list) -> dict | None:
    """A first and last name said with a zip code and nothing else ("sophia garcia 78263", "Lee
    Chen, zip 20156"): the two words are the name, as the zip beside them says."""
    zips = [e for e in entities if e.type == "zip" and e.start >= 0]
    if len(zips) != 1:
        return None
    rest = text[:zips[0].start] + " " + text[zips[0].end:]
    rest = re.sub(r"\b(?:and\s+)?(?:my\s+)?zip(?:\s*code)?(?:\s+is)?\b", " ", rest, flags=re.I)
    m = _TWO_WORDS.fullmatch(rest.strip())
    if not m or {m.group(1).lower(), m.group(2).lower()} & _NOT_A_NAME:
        return None
    return {"first_name": m.group(1).title(), "last_name": m.group(2).title()}


def _left_over(ctx: TurnContext, frame: Frame, name: str) -> bool:
    """A value set before this run of the flow (by another task, or an earlier run) that the
    shopper has not taken up again: the message may replace it, and nothing is read against it."""
    held = ctx.state.slots.get(name)
    if held is None or held.value is None or frame.context.get(f"offered:{name}") == "accepted":
        return False
    return held.turn < frame.context.get("started_turn", 0) or held.flow != frame.flow_id
