"""Applying commands: slot answers, confirmations, and the conversation-repair moves.

Repairs (cancel, correction, start over, resume, help) end by starting an ordinary
`pattern_*` flow, so what the shopper is told is written in YAML a designer can override.
"""
from __future__ import annotations

from typing import Any

from ..contracts import Button
from ..flows.model import END, SlotDef
from ..slots.entities import Entity, ExtractContext
from ..slots.types import choices_for, parse_answer
from . import commands as c
from .context import TurnContext
from .machine import ask, cancel_top, push_flow, render
from .state import Frame

# Slot types worth filling from an utterance that was not an answer to them.
OPPORTUNISTIC_TYPES = {"order_id", "email", "zip", "person_name", "address", "items", "payment_method", "choice"}


def entities_for(ctx: TurnContext, frame: Frame | None, text: str, slot: SlotDef | None = None) -> list[Entity]:
    env = ctx.env(frame)
    if slot is not None and slot.type in ("items", "variants"):
        order = env.order_for(slot)
    else:
        order = env.order(ctx.state.value("order_id"))
    choices = None
    if slot is not None:
        choices = [ch.model_dump() for ch in (choices_for(slot, env, frame.partial.get(slot.name, [])) or [])]
    ectx = ExtractContext(expecting_slot=slot.name if slot else None, expecting_type=slot.type if slot else None,
                          choices=choices, order=order, user=env.user())
    return ctx.extract(text, ectx)


def try_fill(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str, *, quiet: bool = False,
             value: Any = None, given: bool = False, source: str = "user") -> tuple[bool, str | None] | bool:
    """Fill `slot` from text (or a given value). Returns (filled, error); quiet mode returns a bool."""
    env = ctx.env(frame)
    partial = list(frame.partial.get(slot.name, []))
    if not given:
        entities = entities_for(ctx, frame, text, slot)
        if quiet:  # filling from an utterance that answered something else: no "the last one" guesses
            entities = [e for e in entities if e.type != "ordinal"]
        found, value = parse_answer(slot, text, entities, env, partial)
        if not found:
            return False if quiet else (False, None)
    if slot.type == "variants" and not isinstance(value, list):
        allowed = [ch.value for ch in (choices_for(slot, env, partial) or [])]
        if value not in allowed:
            return False if quiet else (False, "That option isn't available for this item.")
        partial.append(value)
        items = env.values.get(slot.of or "") or []
        if len(partial) < len([items] if isinstance(items, str) else items):
            frame.partial[slot.name] = partial
            ctx.log("slot_partial", slot=slot.name, value=partial)
            return True if quiet else (True, None)
        value = partial
    result = ctx.fill(slot.name, value, source, frame)
    if not result.ok:
        return False if quiet else (False, result.error or _REFUSED.get(result.code))
    frame.partial.pop(slot.name, None)
    frame.attempts.pop(slot.name, None)
    return True if quiet else (True, None)


# What the shopper is told when a value is refused for a reason other than its own validation.
_REFUSED = {"protected": "I can't take that value from a message.",
            "deferred": "I need to verify who you are before I can use that.",
            "unknown_slot": None}


def fill_others(ctx: TurnContext, frame: Frame, text: str, skip: str | None = None) -> set[str]:
    """One utterance can fill several slots: fill the flow's empty ones that it clearly mentions.
    Returns the names filled."""
    flow = ctx.flow(frame)
    before = {n for n in flow.slots if ctx.state.value(n) is not None}
    for slot in flow.slots.values():
        if slot.name == skip or slot.protected or slot.type not in OPPORTUNISTIC_TYPES:
            continue
        if ctx.state.value(slot.name) is not None:
            continue
        if slot.type == "choice":  # only by an explicit synonym, never by a stray word
            hit = [ch.value for ch in slot.choices if any(s.lower() in text.lower() for s in (ch.title, *ch.synonyms))]
            if len(hit) == 1:
                try_fill(ctx, frame, slot, text, quiet=True, value=hit[0], given=True)
            continue
        if slot.type in ("items", "payment_method"):
            found, value = parse_answer(slot, text, [e for e in entities_for(ctx, frame, text, slot)
                                                     if e.type in ("item", "payment_method")], ctx.env(frame))
            if found:
                try_fill(ctx, frame, slot, text, quiet=True, value=value, given=True)
            continue
        if slot.type == "person_name" and not any(
                e.type in ("person_name", "first_name") for e in entities_for(ctx, frame, text, slot)):
            continue  # two stray words are not a name unless an extractor says so
        try_fill(ctx, frame, slot, text, quiet=True)
    return {n for n in flow.slots if ctx.state.value(n) is not None} - before


def answer(ctx: TurnContext, text: str, label: str | None = None) -> None:
    """The shopper answered (or failed to answer) the slot being asked for."""
    frame = ctx.state.top
    flow = ctx.flow(frame)
    slot = flow.slots[flow.steps[frame.step].slot]
    offered = frame.context.get(f"offered:{slot.name}")
    if offered not in (None, "accepted") and label == "affirm":
        frame.context[f"offered:{slot.name}"] = "accepted"
        ctx.state.slots[slot.name].flow = frame.flow_id
        frame.waiting = None
        return
    if slot.type == "boolean" and label in ("affirm", "deny"):
        ok, error = try_fill(ctx, frame, slot, text, value=(label == "affirm"), given=True)
    else:
        ok, error = try_fill(ctx, frame, slot, text)
    if ok:
        if offered not in (None, "accepted"):
            frame.context[f"offered:{slot.name}"] = "accepted"
        frame.waiting = None
        fill_others(ctx, frame, text, skip=slot.name)
        return
    if error is None:
        filled = fill_others(ctx, frame, text, skip=slot.name)
        if filled:  # answered a different question of this flow: replay so branches see it
            replay_from(ctx, frame, filled)
            return
        from .interpret import looks_like_question

        if looks_like_question(text) and label not in ("affirm", "deny"):
            apply(ctx, c.Fallback(text), text, label)  # an open question, not a wrong answer
            return
    invalid(ctx, frame, slot, error)


def invalid(ctx: TurnContext, frame: Frame, slot: SlotDef, error: str | None) -> None:
    """An unusable answer: explain, escalate the wording, and give up politely after max_attempts."""
    attempts = frame.attempts.get(slot.name, 0) + 1
    frame.attempts[slot.name] = attempts
    ctx.log("slot_invalid", slot=slot.name, attempt=attempts, error=error)
    if attempts >= slot.max_attempts:
        frame.waiting = None
        title = ctx.flow(frame).display
        while ctx.state.stack:
            ctx.state.stack.pop()
        ctx.log("flow_ended", flow=frame.flow_id, reason="too_many_attempts")
        push_flow(ctx, "pattern_too_many_attempts",
                  context={"flow_title": title, "slot_title": slot.description or slot.name.replace("_", " "),
                           "on_fail": slot.on_fail})
        return
    reason = error or "Sorry, I didn't get that."
    if slot.error is not None:
        ask(ctx, frame, slot, replace=render(ctx, frame, slot.error, {"error": reason, "attempt": attempts}))
        frame.waiting = "collect"
        return
    ask(ctx, frame, slot, prefix=reason)
    frame.waiting = "collect"


def correct(ctx: TurnContext, values: dict[str, Any], source: str = "user") -> None:
    """Change already-filled slots and replay the flow from the earliest step that used them."""
    frame = next((f for f in reversed(ctx.state.stack) if not ctx.flows.flows[f.flow_id].pattern), None)
    if frame is None:
        return
    flow = ctx.flow(frame)
    changed: dict[str, str] = {}
    for name, value in values.items():
        if name not in flow.slots or ctx.state.value(name) == value:
            continue
        result = ctx.fill(name, value, source, frame)
        if result.error:
            ctx.say(result.error)
        if result.ok:
            changed[name] = ctx.state.slots[name].display or str(value)
    if not changed:
        return
    replay_from(ctx, frame, set(changed))
    ctx.log("slots_corrected", slots=list(changed))
    if "pattern_correction" in ctx.flows.flows:
        push_flow(ctx, "pattern_correction", context={
            "corrected_slots": ", ".join(f"{k.replace('_', ' ')} to {v}" for k, v in changed.items())})


def replay_from(ctx: TurnContext, frame: Frame, changed: set[str]) -> None:
    """Rewind the frame to the earliest executed step that read a changed slot (or one depending
    on it), clearing dependent slots and the confirmation, so the flow re-runs from there."""
    flow = ctx.flow(frame)
    dependents = _dependents(flow, changed)
    for name in dependents - changed:
        ctx.clear_slot(name)
        frame.partial.pop(name, None)
    for name in dependents:
        # the opening message ("exchange my boots") is tried again against the corrected value
        frame.context.pop("prefilled:" + name, None)
    touched = dependents | changed
    for pos, index in enumerate(frame.history):
        if flow.steps[index].reads & touched:
            frame.step = index
            del frame.history[pos:]
            break
    frame.confirmed = False
    frame.waiting = None
    while ctx.state.top is not frame:
        ctx.state.stack.pop()


def _dependents(flow, names: set[str]) -> set[str]:
    """Slots whose `of:` chain leads to a changed slot (items of a changed order...)."""
    out = set(names)
    grew = True
    while grew:
        grew = False
        for slot in flow.slots.values():
            if slot.of in out and slot.name not in out:
                out.add(slot.name)
                grew = True
    return out


def apply(ctx: TurnContext, command: c.Command, text: str, label: str | None) -> None:
    """Apply one command to the state (the machine then advances)."""
    top = ctx.state.top
    if isinstance(command, c.StartFlow):
        active = [f for f in ctx.state.stack if f.flow_id == command.flow]
        if active:
            if command.slots:
                correct(ctx, command.slots)
            return
        frame = push_flow(ctx, command.flow, slots=command.slots, source=command.source,
                          context={"opening": text} if text and not text.startswith("/") else {})
        if text and not text.startswith("/"):
            fill_others(ctx, frame, text)
    elif isinstance(command, c.SetSlots):
        _set_slots(ctx, command)
    elif isinstance(command, c.Answer):
        answer(ctx, command.text, label)
    elif isinstance(command, c.Correct):
        correct(ctx, command.values)
    elif isinstance(command, c.Affirm):
        if top and top.waiting == "confirm":
            top.confirmed, top.waiting = True, None
            top.history.append(top.step)
            top.step += 1
            ctx.log("confirmed", flow=top.flow_id)
        elif top and top.waiting == "collect":
            answer(ctx, text, "affirm")
    elif isinstance(command, c.Deny):
        if top and top.waiting == "confirm":
            target = ctx.flow(top).steps[top.step].target or END
            top.waiting = None
            ctx.log("declined", flow=top.flow_id)
            if target == END:
                _cancel(ctx)
            else:
                top.history.append(top.step)
                top.step = ctx.flow(top).index_of(target)
        elif top and top.waiting == "collect":
            slot = ctx.flow(top).slots[ctx.flow(top).steps[top.step].slot]
            if top.context.get(f"offered:{slot.name}") not in (None, "accepted"):
                top.context.pop(f"offered:{slot.name}")
                ctx.clear_slot(slot.name)
                top.context[f"offered:{slot.name}"] = "accepted"
                top.waiting = None
            else:
                answer(ctx, text, "deny")
    elif isinstance(command, c.CancelFlow):
        _cancel(ctx)
    elif isinstance(command, c.StartOver):
        _start_over(ctx)
    elif isinstance(command, c.Handoff):
        while ctx.state.stack:
            ctx.state.stack.pop()
        push_flow(ctx, "handoff", context={"reason": command.reason})
    elif isinstance(command, c.RunPattern):
        if command.pattern in ctx.flows.flows:
            if top is not None and top.waiting in ("collect", "confirm"):
                top.waiting = None  # ask again after the pattern
            push_flow(ctx, command.pattern, context=command.context)
    elif isinstance(command, c.Fallback):
        if top is not None and top.waiting in ("collect", "confirm"):
            top.waiting = None  # an open question mid-flow: answer it, then ask again
        if ctx.fallback is not None:
            said = len(ctx.messages)
            ctx.fallback(command.text, ctx)
            if command.suggest and len(ctx.messages) > said:
                _offer_flows(ctx, command.suggest, ctx.messages[-1])
        elif "pattern_fallback" in ctx.flows.flows:
            push_flow(ctx, "pattern_fallback")


def _offer_flows(ctx: TurnContext, flow_ids: tuple[str, ...], message) -> None:
    """Put buttons for the flows the router half-recognised first under the answer (no duplicates)."""
    payloads = {f["id"]: (f["title"], f["payload"]) for f in ctx.flows.catalog()}
    offered = [Button(title=payloads[f][0], payload=payloads[f][1]) for f in flow_ids if f in payloads]
    if offered:
        taken = {o.payload for o in offered}
        message.buttons = offered + [b for b in message.buttons if b.payload not in taken]
        ctx.log("flows_suggested", flows=[f for f in flow_ids if f in payloads])


def _set_slots(ctx: TurnContext, command: c.SetSlots) -> None:
    top = ctx.state.top
    if top is None:  # a stale button, or a hand-made payload: say so rather than nothing
        if "pattern_unknown_intent" in ctx.flows.flows:
            push_flow(ctx, "pattern_unknown_intent", context={"error": "nothing is being asked right now"})
        else:
            ctx.say("There's no question open right now, so I didn't use that.")
        return
    flow = ctx.flow(top)
    expected = flow.steps[top.step].slot if top.waiting == "collect" else None
    corrections = {}
    for name, value in command.values.items():
        slot = ctx.slot_def(name, top)
        if name == expected and slot is not None:
            ok, error = try_fill(ctx, top, slot, "", value=value, given=True, source=command.source)
            if ok:
                if top.context.get(f"offered:{name}") not in (None, "accepted"):
                    top.context[f"offered:{name}"] = "accepted"
                top.waiting = None  # collect moves on, or asks for the next item of a variants slot
            else:
                invalid(ctx, top, slot, error)
        elif ctx.state.value(name) is not None and name in flow.slots:
            corrections[name] = value
        elif slot is not None:
            try_fill(ctx, top, slot, "", quiet=True, value=value, given=True, source=command.source)
        else:
            ctx.log("slot_rejected", slot=name, reason="unknown slot", source=command.source)
    if corrections:
        correct(ctx, corrections, source=command.source)


def _cancel(ctx: TurnContext) -> None:
    title = cancel_top(ctx)
    push_flow(ctx, "pattern_cancel", context={"flow_title": title})


def _start_over(ctx: TurnContext) -> None:
    frame = next((f for f in reversed(ctx.state.stack) if not ctx.flows.flows[f.flow_id].pattern), None)
    if frame is None:
        push_flow(ctx, "pattern_start_over", context={"flow_title": None})
        return
    while ctx.state.top is not frame:
        ctx.state.stack.pop()
    flow = ctx.flow(frame)
    for slot in flow.slots.values():
        if slot.carry != "reuse" and not slot.protected:
            ctx.clear_slot(slot.name)
    frame.step, frame.history, frame.results = 0, [], {}
    frame.waiting, frame.confirmed, frame.attempts, frame.partial = None, False, {}, {}
    frame.context = {"started_turn": ctx.state.turn}
    ctx.log("flow_restarted", flow=frame.flow_id)
    push_flow(ctx, "pattern_start_over", context={"flow_title": flow.display})
