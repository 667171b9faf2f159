"""Applying commands: slot answers, confirmations, and the conversation-repair moves.

Repairs (cancel, correction, start over, resume, help) end by starting an ordinary
`pattern_*` flow, so what the shopper is told is written in YAML a designer can override.
"""
from __future__ import annotations

from typing import Any

from ..contracts import Button
from ..flows.model import END, SlotDef
from . import commands as c
from .asking import ask, ask_which, render
from .context import TurnContext
from .corrections import already_listed
from .filling import fill_others, keep_wish, try_fill
from .item_wishes import keep_later_wishes
from .kept_options import say_what_was_kept
from .machine import cancel_top, push_flow
from .reading import looks_like_question, yes_no
from .state import Frame
from .task_switch import swap_for_refused_order
from .words import slot_words

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
    said = label if label in ("affirm", "deny") else yes_no(text)
    before = list(frame.partial.get(slot.name, []))
    among = frame.context.get("among:" + slot.name)
    # "20MP. And the kettle in glass": the kettle's part is kept for its own question
    own = keep_later_wishes(ctx, frame, slot, text) if slot.type == "variants" else text
    if slot.type == "boolean" and said in ("affirm", "deny"):
        filled = try_fill(ctx, frame, slot, text, value=(said == "affirm"), given=True)
    else:
        filled = try_fill(ctx, frame, slot, own)
    ok, error = filled
    if ok and slot.type == "variants":
        say_what_was_kept(ctx, frame, slot, own, before, among)
    if filled.ambiguous is not None:  # several candidates fit: ask which, never pick one silently
        if not swap_for_refused_order(ctx, frame, slot):  # unless the one named is another swap's ("the backpack
            ask_which(ctx, frame, slot, filled.ambiguous)  # order", pending, for an exchange)
        return
    if ok:
        frame.context.pop("among:" + slot.name, None)
        frame.context.pop("proposed:" + slot.name, None)
        if offered not in (None, "accepted"):
            frame.context[f"offered:{slot.name}"] = "accepted"
        frame.waiting = None
        fill_others(ctx, frame, text, skip=slot.name)
        keep_wish(ctx, frame, slot, text)
        return
    if error is None:
        filled = fill_others(ctx, frame, text, skip=slot.name)
        if filled:  # answered a different question of this flow: replay so branches see it
            replay_from(ctx, frame, filled)
            return
        if looks_like_question(text) and label not in ("affirm", "deny"):
            apply(ctx, c.Fallback(text), text, label)  # an open question, not a wrong answer
            return
        listed = already_listed(ctx, frame, text)
        if listed:  # "oh wait, the helmet too" when it is in already: said, and the question stays
            ask(ctx, frame, slot, prefix=listed)
            frame.waiting = "collect"
            return
    invalid(ctx, frame, slot, error)


def invalid(ctx: TurnContext, frame: Frame, slot: SlotDef, error: str | None) -> None:
    """An unusable answer: explain, escalate the wording, and give up politely after max_attempts."""
    if error and swap_for_refused_order(ctx, frame, slot):  # a pending order for an exchange: its items changed
        return
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
                  context={"flow_title": title, "slot_title": slot.description or slot_words(slot.name),
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
    frame = ctx.task_frame()
    if frame is None:
        return
    flow = ctx.flow(frame)
    changed: dict[str, str] = {}
    before = {n: ctx.state.value(n) for n in flow.slots}
    # the items before their new options: options read against the old list are asked again, never an error
    for name, value in sorted(values.items(), key=lambda kv: kv[0] in flow.slots and flow.slots[kv[0]].of in values):
        if name not in flow.slots or ctx.state.value(name) == value:
            continue
        result = ctx.fill(name, value, source, frame)
        if result.error and swap_for_refused_order(ctx, frame, flow.slots[name]):
            return  # an order corrected to one the other item swap takes ("#W1 is pending"): that task goes on
        if result.error and flow.slots[name].of in changed:
            ctx.log("slot_rejected", slot=name, reason="read against the list it replaced", source=source)
        elif result.error:
            ctx.say(result.error)
        if result.ok:
            changed[name] = ctx.state.slots[name].display or str(value)
    if not changed:
        return
    replay_from(ctx, frame, set(changed), before)
    ctx.log("slots_corrected", slots=list(changed))
    if "pattern_correction" in ctx.flows.flows:
        push_flow(ctx, "pattern_correction", context={
            "corrected_slots": ", ".join(f"{slot_words(k)} to {v}" for k, v in changed.items())})


def replay_from(ctx: TurnContext, frame: Frame, changed: set[str], before: dict[str, Any] | None = None) -> None:
    """Rewind the frame to the earliest executed step that read a changed slot (or one depending
    on it), clearing dependent slots and the confirmation, so the flow re-runs from there. `before`: the
    values before the change; items only added to ("the air purifier too") keep the options already picked
    for the items before them, and only the new ones are asked."""
    flow = ctx.flow(frame)
    dependents = _dependents(flow, changed)
    for name in dependents - changed:
        kept = _picks_kept(flow.slots[name], {**(before or {}), name: (before or {}).get(name) or frame.partial.get(
            name)}, ctx.state.value(flow.slots[name].of or ""))
        ctx.clear_slot(name)
        frame.partial.pop(name, None)
        frame.context.pop("among:" + name, None)  # a "which one?" asked about an item before is no longer open
        frame.context.pop("proposed:" + name, None)
        now = ctx.state.value(flow.slots[name].of or "")
        if kept and isinstance(now, list) and len(kept) == len(now):  # every item that stays has its pick
            ctx.fill(name, kept, "user", frame)
        elif kept:
            frame.partial[name] = kept
    for name in dependents:
        # the opening message ("exchange my boots") is tried again against the corrected value (each item's part)
        for key in [k for k in frame.context if k == "prefilled:" + name or k.startswith(f"prefilled:{name}:")]:
            frame.context.pop(key)
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


def _picks_kept(slot, before: dict[str, Any], now: Any) -> list:
    """The options already picked for the items that stay, as far as the new list's first items all have one
    (the rest are asked): an item added or taken out never loses the picks of the others."""
    was, picked = before.get(slot.of or ""), before.get(slot.name)
    if slot.type != "variants" or not isinstance(was, list) or not isinstance(now, list) or not isinstance(picked, list):
        return []
    if len(set(was)) != len(was):
        return list(picked[:len(was)]) if len(now) > len(was) and now[:len(was)] == was else []
    by_item = dict(zip(was, picked))
    kept = []
    for item in now:
        if item not in by_item:
            break
        kept.append(by_item[item])
    return kept


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
        said = command.text or text
        if command.replaces and ctx.task_frame() is not None:
            dropped = cancel_top(ctx)
            ctx.say(f"Okay, I've dropped \"{dropped}\": nothing was changed there.")  # a title, quoted as on its button
        frame = push_flow(ctx, command.flow, slots=command.slots, source=command.source,
                          context={"opening": said, "message": text} if said and not said.startswith("/") else {})
        if said and not said.startswith("/"):
            fill_others(ctx, frame, said)
    elif isinstance(command, c.QueueFlows) and command.goals:  # nothing to queue: nothing said
        goals = [{"flow": f, "text": t} for f, t in command.goals]
        # the same task for the other orders named comes before the other tasks asked for earlier
        ctx.state.queued[:0 if command.next else len(ctx.state.queued)] = goals
        titles = [f'"{ctx.flows.flows[f].display}"' for f, _ in command.goals]
        first = f'"{ctx.flows.flows[ctx.state.stack[0].flow_id].display}"' if ctx.state.stack else "this"
        if command.announce:
            ctx.say(command.say or f"You asked for more than one thing: first {first}, then {', then '.join(titles)}.")
        ctx.log("flows_queued", flows=[f for f, _ in command.goals])
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
            ctx.log("declined", flow=top.flow_id)
            if target == END and "what_to_change" not in top.context:
                _ask_what_to_change(ctx, top)  # a bare "no" keeps the request: ask what is wrong
                return
            top.waiting = None
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
    elif isinstance(command, c.Reask):
        _reask(ctx, command.slot)
    elif isinstance(command, c.Continue) and top and top.waiting == "collect":
        ask(ctx, top, ctx.flow(top).slots[ctx.flow(top).steps[top.step].slot], prefix=command.note)
    elif isinstance(command, c.Continue) and top:  # at a confirmation: said, and the summary shown again
        ctx.say(command.note)
        top.waiting = None
    elif isinstance(command, c.CancelFlow):
        _cancel(ctx)
    elif isinstance(command, c.StartOver):
        _start_over(ctx)
    elif isinstance(command, c.Handoff):
        ctx.state.queued.clear()  # a person takes over everything asked for
        while ctx.state.stack:
            ctx.state.stack.pop()
        push_flow(ctx, "handoff", context={"reason": command.reason})
    elif isinstance(command, c.RunPattern) and command.after:
        ctx.state.queued.append({"flow": command.pattern, "text": ""})
    elif isinstance(command, c.RunPattern):
        if command.pattern in ctx.flows.flows:
            if top is not None and top.waiting in ("collect", "confirm"):
                top.waiting = None  # ask again after the pattern
            push_flow(ctx, command.pattern, context=command.context)
    elif isinstance(command, c.AnswerQuestion):
        if top is not None and top.waiting in ("collect", "confirm"):
            top.waiting = None  # answered: the open question is asked again
        ctx.say(command.text, list(command.buttons), source="store")
        ctx.log("task_question", topic=command.topic)
    elif isinstance(command, c.OfferTasks):
        ctx.say(command.text)
        _offer_flows(ctx, command.flows, ctx.messages[-1])
    elif isinstance(command, c.Fallback):
        if top is not None and top.waiting in ("collect", "confirm"):
            top.waiting = None  # an open question mid-flow: answer it, then ask again
        if ctx.fallback is not None:
            said = len(ctx.messages)
            ctx.fallback(command.text, ctx, command.beside_task)
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


def _ask_what_to_change(ctx: TurnContext, frame: Frame) -> None:
    """The parts of the summary as buttons: each asks that slot again; or stop the request."""
    flow = ctx.flow(frame)
    collected = [flow.steps[i].slot for i in frame.history if flow.steps[i].kind == "collect"]
    buttons = []
    for name in dict.fromkeys(collected):
        slot, value = flow.slots[name], ctx.state.slots.get(name)
        if slot.protected or value is None or flow.id != frame.flow_id:
            continue
        title = (slot.description or slot_words(name)).capitalize()
        buttons.append(Button(title=f"{title}: {value.display or value.value}"[:80],
                              payload='/reask{"slot": "%s"}' % name))
    buttons.append(Button(title="Stop, change nothing", payload="/cancel"))
    frame.context["what_to_change"] = True
    ctx.say("What would you like to change? Tell me, or pick one below. Nothing has been changed yet.",
            buttons)



def _reask(ctx: TurnContext, name: str) -> None:
    """Clear one collected slot (and what depends on it) so the flow asks it again."""
    frame = ctx.task_frame()
    slot = ctx.flow(frame).slots.get(name) if frame is not None else None
    if slot is None or slot.protected or ctx.state.value(name) is None:
        ctx.say("There's nothing called that to change here.")
        return
    ctx.clear_slot(name)
    replay_from(ctx, frame, {name})
    frame.context.pop("what_to_change", None)
    ctx.log("slot_reasked", slot=name)


def _cancel(ctx: TurnContext) -> None:
    title = cancel_top(ctx)
    push_flow(ctx, "pattern_cancel", context={"flow_title": title})


def _start_over(ctx: TurnContext) -> None:
    frame = ctx.task_frame()
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
