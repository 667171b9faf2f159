"""The state machine: run the top flow's steps until the conversation needs the shopper again.

Each step kind has one small method. Writes to the store only run after a `confirm` step was
answered "yes" in the same flow (checked here at run time as well as by the loader), and the
confirmation is spent by the write or voided by any correction.
"""
from __future__ import annotations

from typing import Any

from ..contracts import ActionRecord, Button
from ..flows.analysis import needs_confirmation
from ..flows.model import END, Flow, Step
from ..slots import cues
from ..slots.types import validate
from ..store.errors import StoreError
from .context import TurnContext
from .task_money import free_swap_method
from .task_shortfall import cannot_cover
from .task_picks import picks_before_paying
from .asking import (FlowRuntimeError, ask, ask_which, confirmation_text, evaluate,  # noqa: F401 - the engine
                     expecting, render, reprompt_if_silent)                            # imports these here
from .filling import fill_others, items_named, opening_for, say_order_found, say_what_was_taken, try_fill
from .kept_options import say_what_was_kept
from .follow_up import queued_swap, same_order_said
from .state import Frame
from .task_switch import one_order_at_a_time, swap_for_refused_order

MAX_STEPS_PER_TURN = 300


def push_flow(ctx: TurnContext, flow_id: str, *, called: bool = False, context: dict | None = None,
              slots: dict | None = None, source: str = "router") -> Frame:
    """Start a flow on top of the stack, clearing its non-carried slots first."""
    flow = ctx.flows.flows[flow_id]
    if ctx.state.top is not None and not called and not flow.pattern:
        ctx.state.top.interrupted = True
        _save_shared_slots(ctx, ctx.state.top, flow)
    for slot in flow.slots.values():
        if slot.carry == "none" and not slot.protected:
            ctx.clear_slot(slot.name)
        elif slot.carry == "offer" and (current := ctx.state.slots.get(slot.name)) is not None \
                and current.flow == flow_id:
            current.flow = None  # from an earlier run of this flow: offer it, don't silently reuse it
    frame = Frame(flow_id=flow_id, called=called,
                  context={"started_turn": ctx.state.turn, "called": called, **(context or {})})
    ctx.state.stack.append(frame)
    ctx.log("flow_started", flow=flow_id, called=called)
    for name, value in (slots or {}).items():
        given(ctx, frame, name, value, source)
    return frame


def given(ctx: TurnContext, frame: Frame, name: str, value: Any, source: str) -> None:
    """A value that came with the request that started the flow (a button's payload, the opening
    message). It goes through `fill` like any answer; one that can only be checked later (an order
    id before sign-in) waits for its collect step, and a refused one is explained there."""
    result = ctx.fill(name, value, source, frame)
    if result.code == "deferred":
        frame.context["given:" + name] = value
    elif result.code == "invalid":
        frame.context["given_error:" + name] = result.error


def _save_shared_slots(ctx: TurnContext, frame: Frame, digression: Flow) -> None:
    """Remember the interrupted flow's values of slots the digression also uses (e.g. order_id),
    so resuming continues with the interrupted flow's own values, not the digression's."""
    saved = frame.context.setdefault("saved_slots", {})
    for name in ctx.flow(frame).slots:
        if name in digression.slots and name not in saved:
            current = ctx.state.slots.get(name)
            saved[name] = current.model_dump(mode="json") if current is not None else None


def _back_to(ctx: TurnContext, frame: Frame) -> None:
    """The interrupted task `frame` goes on where it stopped, with its own values of the slots a digression shared
    (train 497: after "never mind" to a digression, the exchange's summary read "in order ,")."""
    frame.waiting = None
    frame.interrupted = False
    _restore_shared_slots(ctx, frame)


def _restore_shared_slots(ctx: TurnContext, frame: Frame) -> None:
    from .state import SlotValue

    for name, dumped in (frame.context.pop("saved_slots", None) or {}).items():
        if dumped is None:
            ctx.clear_slot(name)
        else:
            ctx.state.slots[name] = SlotValue.model_validate(dumped)
        ctx.log("slot_restored", slot=name)


def finish_frame(ctx: TurnContext, reason: str = "completed") -> None:
    """Pop the top flow; return to a caller, or offer to resume an interrupted flow."""
    frame = ctx.state.stack.pop()
    ctx.log("flow_ended", flow=frame.flow_id, reason=reason)
    top = ctx.state.top
    if top is None:
        start_queued(ctx)
        return
    if frame.called and top.waiting == "call":
        top.waiting = None
        top.history.append(top.step)
        top.step += 1
        return
    flow = ctx.flows.flows[frame.flow_id]
    # a digression on top of a pattern ("Shall we get back to ...?") asks that pattern's question again;
    # a called sub-flow (sign in) is offered back as its caller's task, the one the shopper asked for
    if not flow.pattern and top.interrupted and not ctx.flow(top).pattern and "pattern_resume" in ctx.flows.flows \
            and reason == "completed":
        top.interrupted = False
        top.waiting = None
        task = next(f for f in reversed(ctx.state.stack) if not f.called or f is ctx.state.stack[0])
        push_flow(ctx, "pattern_resume", context={"previous_flow_title": ctx.flow(task).display})
    elif top.waiting in ("collect", "confirm"):
        _back_to(ctx, top)  # ask again where it stopped


def start_queued(ctx: TurnContext) -> None:
    """After a task ends, start the next one the shopper asked for in the same message."""
    while ctx.state.queued and not ctx.state.stack:
        goal = ctx.state.queued.pop(0)
        if goal["flow"] not in ctx.flows.flows:
            continue
        frame = push_flow(ctx, queued_swap(ctx, goal["flow"], goal["text"]), context={"opening": goal["text"]})
        if ctx.flow(frame).pattern:  # a goodbye said with the last answer: no announcement
            continue
        orders = {m.group(1) for m in cues.ORDER_NUMBER.finditer(goal["text"] or "")}
        of = f" for order #W{orders.pop()}" if len(orders) == 1 else ""  # the shopper hears which order is next
        ctx.say(f"Now, the next thing you asked for: \"{ctx.flow(frame).display}\"{of}.")
        fill_others(ctx, frame, goal["text"])


def cancel_top(ctx: TurnContext) -> str | None:
    """Cancel the active user flow (and the sub-flows it called). Returns its title."""
    while ctx.state.stack and ctx.flows.flows[ctx.state.top.flow_id].pattern:
        ctx.state.stack.pop()
    title = None
    while ctx.state.stack:
        frame = ctx.state.stack.pop()
        title = ctx.flows.flows[frame.flow_id].display
        ctx.log("flow_cancelled", flow=frame.flow_id)
        if not frame.called:
            break
    if ctx.state.top is not None:
        _back_to(ctx, ctx.state.top)
    return title


def advance(ctx: TurnContext) -> None:
    """Run steps until a step waits for the shopper or no flow is left."""
    for _ in range(MAX_STEPS_PER_TURN):
        frame = ctx.state.top
        if frame is None or frame.waiting is not None:
            return
        flow = ctx.flow(frame)
        if frame.step >= len(flow.steps):
            finish_frame(ctx)
            continue
        step = flow.steps[frame.step]
        outcome = _STEP_HANDLERS[step.kind](ctx, frame, flow, step)
        log_step(ctx, flow, step, outcome)
        if outcome == "wait":
            return
        if not any(f is frame for f in ctx.state.stack):
            continue  # the step ended or replaced its own frame
        if outcome == "next":
            frame.history.append(frame.step)
            frame.step += 1
        elif outcome == "stay":
            continue
        elif isinstance(outcome, tuple):  # ("goto", target)
            frame.history.append(frame.step)
            _jump(ctx, frame, flow, outcome[1])
    raise FlowRuntimeError(f"flow {ctx.state.top.flow_id if ctx.state.top else '?'} ran {MAX_STEPS_PER_TURN} "
                           "steps without waiting for the shopper (a goto loop?)")


def log_step(ctx: TurnContext, flow: Flow, step: Step, outcome: Any) -> None:
    """Record a typed `step` event (see `state.StepEvent`): coverage and designer tools read which
    steps ran, and which way branches and guarded actions went, from the event log."""
    extra: dict[str, str] = {}
    if step.kind == "branch":
        extra["outcome"] = outcome[1] if isinstance(outcome, tuple) else "next"
    elif step.kind == "action" and step.on_error:
        failed = isinstance(outcome, tuple) and outcome[1] == step.on_error and bool(ctx.actions) \
            and not ctx.actions[-1].ok
        extra["outcome"] = "on_error" if failed else "ok"
    ctx.log("step", flow=flow.id, step=step.id, kind=step.kind, **extra)


def _jump(ctx: TurnContext, frame: Frame, flow: Flow, target: str) -> None:
    if target == END:
        frame.step = len(flow.steps)
    else:
        frame.step = flow.index_of(target)


# -- step kinds ---------------------------------------------------------------------------------

def _collect(ctx: TurnContext, frame: Frame, flow: Flow, step: Step):
    slot = flow.slots[step.slot]
    if "given:" + step.slot in frame.context:  # a payload value that could not be checked at the start
        result = ctx.fill(step.slot, frame.context.pop("given:" + step.slot), "trigger", frame)
        if result.ok:
            return "stay"
        if result.error:
            frame.context["given_error:" + step.slot] = result.error
    current = ctx.state.slots.get(step.slot)
    if current is not None and current.value is not None and not step.ask_again:
        # a value from before this flow started (another flow, or an earlier run of this one) is offered
        predates = current.turn < frame.context.get("started_turn", 0) or current.flow != frame.flow_id
        offered = slot.carry == "offer" and predates and current.source != "trigger"
        if offered and frame.context.get(f"offered:{step.slot}") is None:
            if validate(slot, current.value, ctx.env(frame)):
                # another task's order this task cannot take (a pending one to exchange): not offered
                ctx.clear_slot(step.slot)
                current = None
            elif slot.type == "order_id" and same_order_said(frame.context.get("opening") or ""):
                frame.context[f"offered:{step.slot}"] = "accepted"  # "... on that same order": no "Is it still?"
                current.flow = frame.flow_id
    if current is not None and current.value is not None and slot.type == "payment_method":
        short = cannot_cover(frame.flow_id, ctx.env(frame), slot.name, current.value)
        if short:  # taken before the amount was known ("...and use my gift card"): said now, not after the yes
            ctx.clear_slot(step.slot)
            frame.context["given_error:" + step.slot] = short
            current = None
    if current is not None and current.value is not None and not step.ask_again:
        if not offered or frame.context.get(f"offered:{step.slot}") == "accepted":
            return "next"
        frame.context[f"offered:{step.slot}"] = current.value
    before = list(frame.partial.get(slot.name, []))
    prefilled = f"prefilled:{step.slot}" + (f":{len(before)}" if slot.type == "variants" and before else "")
    said, own = opening_for(ctx, frame, slot)  # (an item's own wish may be kept without an opening)
    if not frame.context.get(prefilled) and said:
        frame.context[prefilled] = True
        if slot.type == "order_id":  # "cancel #W1 and #W2": this task for each order in turn
            said = frame.context.get("one_order_at_a_time") or one_order_at_a_time(ctx, frame, slot, said)
        filled = try_fill(ctx, frame, slot, said, quiet=True, own=own)
        if filled:
            say_order_found(ctx, frame, slot.name, frame.context.get("opening", ""))
            if slot.type == "choice" or (slot.type == "items" and not items_named(ctx, frame, slot, said)):
                say_what_was_taken(ctx, flow, [slot.name], said)  # a reason, or items the opening only hinted at
            if slot.type == "variants":
                say_what_was_kept(ctx, frame, slot, said, before)
            return "stay"
        if filled.ambiguous is not None:
            if swap_for_refused_order(ctx, frame, slot):  # "the backpack order" named, pending, for an exchange
                return "ended"
            ask_which(ctx, frame, slot, filled.ambiguous)
            return "wait"
        if filled.refused and slot.type == "payment_method":  # "switch it to my gift card", which can't pay
            frame.context["given_error:" + step.slot] = filled.refused
    if swap_for_refused_order(ctx, frame, slot):  # "swap the kettle in #W1" of a pending order
        return "ended"
    error = frame.context.pop("given_error:" + step.slot, None)
    picks = picks_before_paying(ctx.env(frame), frame.flow_id, ctx.state.values()) \
        if slot.type == "payment_method" else None
    free = free_swap_method(ctx.env(frame), frame.flow_id, ctx.state.values()) \
        if slot.type == "payment_method" and not error else None
    if free is not None:  # the same price: the order's own method is recorded, no question asked; the picks are
        # said (the confirmation after them says the method and that no money moves)
        said = picks_before_paying(ctx.env(frame), frame.flow_id, ctx.state.values(), money=False)
        if said and frame.context.get("picks_said") != picks:
            frame.context["picks_said"] = picks
            ctx.say(said)
        ctx.set_slot(step.slot, free, "set", frame)
        return "next"
    if picks and frame.context.get("picks_said") != picks:  # what is paid for, said once before how to pay
        frame.context["picks_said"] = picks
        error = f"{picks} {error or ''}".strip()
    ask(ctx, frame, slot, prefix=error or "")
    frame.waiting = "collect"
    return "wait"


def _say(ctx, frame, flow, step):
    buttons = [Button(title=render(ctx, frame, t), payload=p) for t, p in step.buttons]
    ctx.say(render(ctx, frame, step.text), buttons)
    return "next"


def _confirm(ctx, frame, flow, step):
    frame.confirmed = False
    frame.context.pop("what_to_change", None)
    ctx.say(confirmation_text(ctx, frame, step), [Button(title="Yes", payload="/affirm"),
                                                  Button(title="No", payload="/deny")])
    frame.waiting = "confirm"
    return "wait"


def _action(ctx, frame, flow, step):
    from ..store.actions import ACTIONS, call_action

    spec = ACTIONS[step.action]
    args = {name: evaluate(ctx, frame, expr) for name, expr in step.args}
    needs_confirm = needs_confirmation(step.action, ACTIONS)
    if needs_confirm and not frame.confirmed:
        ctx.actions.append(ActionRecord(name=step.action, args=args, ok=False, write=True,
                                        error="refused: not confirmed by the shopper"))
        ctx.log("write_refused", action=step.action, flow=flow.id)
        ctx.say("I can't make that change without your explicit confirmation, so nothing was changed.")
        finish_frame(ctx, reason="write_refused")
        return "ended"
    try:
        result = call_action(ctx.store, step.action, args, ctx.state.user_id)
    except StoreError as exc:
        ctx.actions.append(ActionRecord(name=step.action, args=args, ok=False, error=exc.message, write=spec.write))
        ctx.log("action", name=step.action, ok=False, code=exc.code)
        frame.results["error"] = exc.message
        frame.results["error_code"] = exc.code
        if step.on_error:
            return ("goto", step.on_error)
        ctx.say(exc.message)
        finish_frame(ctx, reason="action_failed")
        return "ended"
    ctx.actions.append(ActionRecord(name=step.action, args=args, ok=True, result=result, write=spec.write))
    ctx.log("action", name=step.action, ok=True, write=spec.write)
    if spec.write:
        ctx.forget_reads()
    if needs_confirm:
        frame.confirmed = False  # one confirmation buys one write
    if step.result:
        ctx.set_slot(step.result, result, "action", frame)
    return "next"


def _branch(ctx, frame, flow, step):
    for cond, target in step.cases:
        if evaluate(ctx, frame, cond):
            return ("goto", target)
    return ("goto", step.default) if step.default else "next"


def _set(ctx, frame, flow, step):
    for name, expr in step.values:
        value = evaluate(ctx, frame, expr)
        if value is None:
            ctx.clear_slot(name)
            frame.results.pop(name, None)
            frame.context["prefilled:" + name] = True  # cleared by the flow: the opening is not read again
        else:
            ctx.set_slot(name, value, "set", frame)
    return "next"


def _call(ctx, frame, flow, step):
    frame.waiting = "call"
    called = push_flow(ctx, step.flow, called=True)
    said = frame.context.get("message") if frame.context.get("started_turn") == ctx.state.turn else None
    if said:  # "I need to return some stuff ... email is x@example.com": sign-in reads the whole message
        fill_others(ctx, called, said)
    return "called"


def _handoff(ctx, frame, flow, step):
    text = render(ctx, frame, step.text)
    reason = text or "handoff step"
    while ctx.state.stack:
        ctx.state.stack.pop()
    if "handoff" in ctx.flows.flows and flow.id != "handoff":
        push_flow(ctx, "handoff", context={"reason": reason})
    else:
        ctx.say(text)
    return "ended"


def _end(ctx, frame, flow, step):
    ctx.say(render(ctx, frame, step.text))
    finish_frame(ctx)
    return "ended"


def _goto(ctx, frame, flow, step):
    return ("goto", step.target)


def _resume(ctx, frame, flow, step):
    ctx.state.stack.pop()
    ctx.log("flow_ended", flow=frame.flow_id, reason="resume")
    if ctx.state.top is not None:
        _back_to(ctx, ctx.state.top)
    return "ended"


def _cancel_previous(ctx, frame, flow, step):
    ctx.state.stack.pop()
    cancel_top(ctx)
    if ctx.state.top is None:
        start_queued(ctx)  # what the shopper asked for next (a goodbye said with the "no")
    return "ended"


_STEP_HANDLERS = {
    "collect": _collect, "say": _say, "confirm": _confirm, "action": _action, "branch": _branch,
    "set": _set, "call": _call, "handoff": _handoff, "end": _end, "goto": _goto,
    "resume": _resume, "cancel_previous": _cancel_previous,
}
