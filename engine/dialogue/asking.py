"""Asking the shopper: a slot's question with its buttons, a clarifying question among candidates,
the confirmation with its money, and the `Expecting` a front end renders; and the templates they say.

Kept apart from the state machine (which decides *when* to ask) so that answering code can ask
again without importing the machine.
"""
from __future__ import annotations

import json
from typing import Any

from ..contracts import Button, Choice, Expecting
from ..flows.expr import ExprError
from ..flows.model import Step
from ..slots.types import choices_for
from .context import Scope, TurnContext
from .state import Frame

MAX_BUTTONS = 10


class FlowRuntimeError(Exception):
    """A designer mistake that only shows at run time (e.g. a template reading a missing value)."""


def render(ctx: TurnContext, frame: Frame | None, template, extra: dict | None = None) -> str:
    if template is None:
        return ""
    try:
        return template.render(Scope(ctx, frame, extra))
    except ExprError as exc:
        where = f"{ctx.flow(frame).loc.file}" if frame else "flow"
        raise FlowRuntimeError(f"{where}: cannot render {template.source!r}: {exc.message}") from None


def evaluate(ctx: TurnContext, frame: Frame, expr, extra: dict | None = None) -> Any:
    try:
        return expr.eval(Scope(ctx, frame, extra))
    except ExprError as exc:
        raise FlowRuntimeError(f"{ctx.flow(frame).loc.file}: cannot evaluate {expr.source!r}: {exc.message}") from None


def ask(ctx: TurnContext, frame: Frame, slot, prefix: str = "", replace: str | None = None,
        choices: list | None = None) -> None:
    """Say the slot's prompt for the current attempt (or `replace`, an error text), with choices as
    buttons (`choices`: the candidates of a clarifying question instead of all of them)."""
    attempt = frame.attempts.get(slot.name, 0)
    prompt = slot.prompts[min(attempt, len(slot.prompts) - 1)] if slot.prompts else None
    extra = {"attempt": attempt + 1}
    partial = frame.partial.get(slot.name, [])
    if slot.type == "variants":
        from ..slots.types import current_variant_target, describe_item

        from .task_picks import last_pick

        env = ctx.env(frame)
        item, _ = current_variant_target(slot, env, partial)
        extra["item"] = describe_item(item) if item else None
        extra["picked"] = last_pick(env, frame.flow_id, env.values, partial)
    among = frame.context.get("among:" + slot.name) if choices is None and replace is None and not attempt else None
    if among:  # asked again after a question ("does the robot one have a bin?"): the choice it interrupted (after
        # an answer not understood, every option again: it may want one outside the narrowed offer)
        choices = [Choice(**a) for a in among]
        replace = (prefix + " " + f"Which one would you like: {'; '.join(ch.title for ch in choices)}?").strip()
    buttons = []
    offered = frame.context.get(f"offered:{slot.name}")
    shown = ctx.state.slots[slot.name].display or offered if offered not in (None, "accepted") else None
    if shown is not None:
        buttons.append(Button(title=f"Yes, {shown}", payload="/affirm"))
    if choices is None:
        choices = choices_for(slot, ctx.env(frame), partial) or []
        if slot.type == "payment_method" and choices:
            payable = _payable(ctx, frame, slot, choices)
            if not payable:  # only methods that cannot pay: said plainly, with what can still be done
                _no_payer(ctx, frame, slot, choices, replace if replace is not None else prefix, buttons)
                return
            choices = payable
    extra["choices"] = [ch.title for ch in choices]  # a prompt says only what its buttons offer
    text = render(ctx, frame, prompt, extra) if prompt else f"What is your {slot.name.replace('_', ' ')}?"
    if shown is not None:
        text = f"{text} (Is it still {shown}?)"
    for choice in choices[:MAX_BUTTONS]:
        if shown is not None and str(choice.value) == str(offered):
            continue  # the "Yes, #W1" button above picks it already: one button per choice
        buttons.append(Button(title=choice.title, payload="/inform" + json.dumps({slot.name: choice.value})))
    said = replace if replace is not None else (prefix + " " + text).strip()
    ctx.say(f"{said} {more_than_shown(len(choices))}".strip(), buttons)


def more_than_shown(n: int) -> str:
    """Said when the buttons cannot show every choice: a shopper who only clicks must know the one they want
    may not be among them."""
    return "" if n <= MAX_BUTTONS else f"(The buttons show {MAX_BUTTONS} of the {n} options; you can type any of them.)"


def _payable(ctx: TurnContext, frame: Frame, slot, choices: list) -> list:
    """The offered methods that can pay what the flow charges (a gift card short of it is never a button)."""
    from .task_money import payers

    can = set(payers(frame.flow_id, ctx.env(frame), slot.name))
    return [ch for ch in choices if str(ch.value) in can]


def _no_payer(ctx: TurnContext, frame: Frame, slot, choices: list, prefix: str, buttons: list) -> None:
    """No offered method can pay: why (the refusal already said, or the card's shortfall), and the ways
    on: keep things as they are (the task stops, nothing changed) or a person."""
    from .task_money import SWAP_SLOTS
    from .task_shortfall import cannot_cover, covered_options

    env = ctx.env(frame)
    covered = covered_options(env, frame.flow_id, env.values)
    short = cannot_cover(frame.flow_id, env, slot.name, choices[0].value, covered is not None) or ""
    said = prefix.strip() if short in prefix else f"{prefix} {short}".strip()
    if covered is not None:  # an item swap: the options the card does cover named, as buttons (not "pick cheaper")
        said = f"{said} {covered[0]}"  # (cannot_cover said only the fact: the options follow)
        buttons = buttons + covered[1]
        frame.context["fits_offered:" + SWAP_SLOTS[frame.flow_id][1]] = True  # typed, one of them is the pick
    if any(e.get("type") == "task_question" and e.get("topic") == "shortfall" for e in ctx.events):
        # this turn answered "which gift card is that?" with the shortfall: the ways on, not the same text again
        said = "What would you like to do?"
    ctx.say(said, buttons + [Button(title="Keep things as they are", payload="/cancel"),
                             Button(title="Talk to a person", payload="/handoff")])


def ask_which(ctx: TurnContext, frame: Frame, slot, ambiguous) -> None:
    """Several candidates fit what the shopper said: ask which, with them as buttons, and read the
    reply among them first (never pick one silently)."""
    ctx.log("slot_ambiguous", slot=slot.name, candidates=[ch.value for ch in ambiguous.candidates])
    ask(ctx, frame, slot, replace=ambiguous.reason, choices=ambiguous.candidates)
    # with their titles: "just one" answers "One or both?" by the button that says "One ..."
    frame.context["among:" + slot.name] = [ch.model_dump() for ch in ambiguous.candidates]
    if ambiguous.proposed and ambiguous.candidates:  # "yes, that one" takes the proposal
        frame.context["proposed:" + slot.name] = ambiguous.candidates[0].value
    else:
        frame.context.pop("proposed:" + slot.name, None)
    frame.waiting = "collect"


def expecting(ctx: TurnContext) -> Expecting | None:
    frame = ctx.state.top
    if frame is None or frame.waiting is None:
        return None
    flow = ctx.flow(frame)
    step = flow.steps[frame.step]
    if frame.waiting == "confirm":
        return Expecting(slot="confirmation", type="boolean", flow=flow.id,
                         choices=[{"value": True, "title": "Yes"}, {"value": False, "title": "No"}])
    slot = flow.slots[step.slot]
    choices = choices_for(slot, ctx.env(frame), frame.partial.get(slot.name, []))
    return Expecting(slot=slot.name, type=slot.type, flow=flow.id, choices=choices)


def reprompt_if_silent(ctx: TurnContext) -> None:
    """A turn must never go unanswered: when a message changed nothing (an empty or unusable
    payload, a value refused without a reason), repeat the open question instead of saying nothing."""
    frame = ctx.state.top
    if ctx.messages or frame is None or frame.waiting not in ("collect", "confirm"):
        return
    flow = ctx.flow(frame)
    step = flow.steps[frame.step]
    if frame.waiting == "collect":
        ask(ctx, frame, flow.slots[step.slot], prefix="I couldn't use that.")
    else:
        ctx.say("I couldn't use that. " + confirmation_text(ctx, frame, step),
                [Button(title="Yes", payload="/affirm"), Button(title="No", payload="/deny")])


def confirmation_text(ctx: TurnContext, frame: Frame, step: Step) -> str:
    """The confirmation with the money involved: where the template says `{money}`, or after it."""
    from .task_money import confirmation_money, swap_words

    money = confirmation_money(frame.flow_id, ctx.state.values(), ctx.env(frame)) or ""
    swaps = swap_words(ctx.env(frame), frame.flow_id, ctx.state.values()) if "swaps" in step.text.names else ""
    text = render(ctx, frame, step.text, {"money": money, "swaps": swaps})
    if money and "money" not in step.text.names:
        cut = text.rfind(". ", 0, len(text) - 1) if text.endswith("?") else -1
        text = f"{text[:cut + 1]} {money}{text[cut + 1:]}" if cut >= 0 else f"{text} {money}"
    return text
