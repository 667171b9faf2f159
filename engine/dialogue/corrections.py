"""Corrections: new values for slots a flow already filled, said while another question or the
confirmation is open ("no, the blue one", "only the lamp", "the vacuum shouldn't be in it",
"actually it's #W...").

`interpret` decides *whether* a message corrects; this module works out *what* it changes, each
slot read against its own candidates.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..slots.summary_edits import in_list_order, placed, swapped
from .context import TurnContext
from .reading import entities_for, read_answer
from .state import Frame
from .task_card import OTHER_ORDER, names_another_order

# Slot types a confirmation's correction is read against ("no, the blue one"), each with its candidates.
CORRECTION_TYPES = {"order_id", "email", "zip", "address", "payment_method", "items", "variants", "variant",
                    "choice", "product"}
# "and the lamp" opening a reply adds; "the helmet and the grill shouldn't be in it" lists what goes
_ADDING = re.compile(r"\b(too|also|as well|add|plus)\b|^\W*and\s+the\b", re.I)
_ONLY = re.compile(r"\b(only|just)\b", re.I)
_TAKING_OUT = re.compile(r"\b(not|never|keep\w*|remov\w*|drop\w*|without|except|minus|leave\s+out|take\s+out)\b|n[’']t\b",
                         re.I)
# "that's not everything", "not just the charger": the list is incomplete, so what is named joins it
_NOT_ALL = re.compile(r"\b(?:(?:that|this|it)(?:[’']?s|\s+is|\s+was)\s+)?not\s+(?:everything|all|it|just|only)\b"
                      r"|\bnot\s+the\s+only\b", re.I)
# Slot types whose new value an extractor finds in a message ("actually it's #W..."): corrections
# while another question is open.
ENTITY_CORRECTION_TYPES = frozenset({"order_id", "email", "zip", "address", "payment_method", "items"})
# Words with which a message corrects rather than answers ("actually it's #W...", "no wait").
CORRECTION_CUE = re.compile(r"\b(actually|i meant|sorry|wrong|not that|instead|change it|make it|only|"
                            r"no wait|my mistake|correction|rather|but|except|keep|not the|should be|not)\b", re.I)


def confirmation_changes(ctx: TurnContext, text: str, frame: Frame) -> dict[str, Any]:
    """New values the message gives for slots the flow already filled ("no, the blue one", "only
    the lamp", "add the earbuds too"). A correction of one thing names it once; one in several sentences
    ("I want the 9 bar one. And use my Mastercard, not the gift card.") may change one slot in each."""
    whole = _one_change(ctx, text, frame)
    parts = [p for p in _SENTENCES.split(text) if p and p.strip()]
    if len(parts) < 2:
        return whole
    each: dict[str, Any] = {}
    for part in parts:
        for name, value in _one_change(ctx, part, frame).items():
            each.setdefault(name, value)
    return {**whole, **{k: v for k, v in each.items() if k not in whole}} if len(each) > len(whole) else whole


# where a second correction starts: a sentence, or "and" before a second thing to use or change
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|,?\s+and\s+(?=(?:please\s+)?(?:use|pay|charge|put|ship|send|make|change|switch)\b)",
                        re.I)


def _one_change(ctx: TurnContext, text: str, frame: Frame) -> dict[str, Any]:
    """The first slot, the one asked last tried first, that `text` gives a new value for."""
    for name, value, current in _readings(ctx, text, frame):
        if value != current and [value] != current:  # "that's the only one" names the one item already there
            return {name: value}
    return {}


def restates(ctx: TurnContext, text: str, frame: Frame) -> bool:
    """The message gives a filled slot the value it already has ("I said size 11, the waterproof one" when the
    summary has them): no change, and no answer to the yes or no either."""
    return any(value == current or [value] == current for _, value, current in _readings(ctx, text, frame))


def _readings(ctx: TurnContext, text: str, frame: Frame):
    """(slot, the value `text` gives it, its current value) for the filled slots a correction may change, the
    one asked last first."""
    flow = ctx.flow(frame)
    asked = [flow.steps[i].slot for i in reversed(frame.history) if flow.steps[i].kind == "collect"]
    order = list(dict.fromkeys(asked + list(flow.slots)))
    if names_another_order(text, ctx.state.value("order_id")):  # "... the payment method of my other order" is no
        # correction of this task; "no, it's #W2" may correct only its order
        order = [] if OTHER_ORDER.search(text.lower()) else [name for name in order if name == "order_id"]
    for name in order:
        slot = flow.slots[name]
        current = ctx.state.value(name)
        if slot.protected or slot.type not in CORRECTION_TYPES or current is None:
            continue
        reading = read_answer(ctx, frame, slot, text, ordinals=False)
        if not reading.usable:
            continue
        value = reading.value
        if isinstance(current, list) and not isinstance(value, list):  # one option of several items
            value = placed(slot, ctx.env(frame), current, value) or value
        if isinstance(current, list) and isinstance(value, list) and slot.type == "items" and set(value) < set(
                current) and not (_ONLY.search(text) or _TAKING_OUT.search(text)):
            continue  # "the digital camera: 5x zoom" names an item to say what it becomes: not the list
        if isinstance(current, list) and isinstance(value, list):
            env = ctx.env(frame)
            out = _TAKING_OUT.search(text) and not _ADDING.search(text)
            value = (out and swapped(slot, env, current, value)) or changed_list(text, current, value)
            value = in_list_order(slot, env, value)
        yield name, value, current


def answer_then_more_items(ctx: TurnContext, text: str, frame: Frame, slot: Any,
                           label: Callable[[], str]) -> tuple[str, dict[str, Any]] | None:
    """"XL navy, keep the half zip. oh but wait its not just the jacket, i also want to swap the yoga mat", "oh wait the
    helmet too! the bike, the helmet and the phone. paypal is fine": one sentence answers the open question, the
    others add items to the task (its item list changed). (the answer, the changes) or None when the message is not
    both."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p.strip()]
    if len(parts) < 2:
        return None
    flow = ctx.flow(frame)
    for k, part in enumerate(parts):
        rest = " ".join(parts[:k] + parts[k + 1:])
        if not (_NOT_ALL.search(rest) or _ADDING.search(rest)) or not read_answer(ctx, frame, slot, part).usable:
            continue
        changes = {name: value for name, value in filled_slot_changes(ctx, rest, label).items()
                   if flow.slots[name].type == "items"}
        if changes:
            return part, changes
    return None


def changed_list(text: str, current: list, said: list) -> list:
    """A correction to a list at its summary: "only the lamp" sets it, "add the earbuds too" adds to
    it, "not the backpack" / "remove the jacket" takes out of it (what stays is what was there), and
    "keep the jacket, I want the skateboard and also the lamp" says the whole list; "that's not
    everything, I also want the camera" and "not just the charger" add."""
    if _NOT_ALL.search(text):
        return list(dict.fromkeys(current + said))
    if _ONLY.search(text):
        return said
    out, add = _TAKING_OUT.search(text) is not None, _ADDING.search(text) is not None
    if out and not add:
        kept = [v for v in current if v in said]
        return kept or said
    if add and not out:
        return list(dict.fromkeys(current + said))
    return said


def filled_slot_changes(ctx: TurnContext, text: str, label: Callable[[], str]) -> dict[str, Any]:
    """Values that differ from slots the active flow already filled, when the shopper corrects one."""
    top = ctx.task_frame()
    if top is None:
        return {}
    flow = ctx.flow(top)
    asking = flow.steps[top.step].slot if top.waiting == "collect" and top is ctx.state.top else None
    filled = {n: s for n, s in flow.slots.items()
              if ctx.state.value(n) is not None and n != asking and not s.protected
              and (s.type in ENTITY_CORRECTION_TYPES or s.type == "variants")}
    if not filled:
        return {}
    by_type: dict[str, Any] = {}
    for e in entities_for(ctx, top, text):
        by_type.setdefault(e.type, e.value)
    out = {}
    for name, slot in filled.items():
        if slot.type == "items":  # "oh wait, the helmet too" at the option question: the list changes
            value = _list_change(ctx, top, slot, text)
            if value is not None:
                out[name] = value
            continue
        if slot.type == "variants":  # "make the keyboard the RGB one instead" at the payment question
            value = _option_change(ctx, top, slot, text)
            if value is not None:
                out[name] = value
            continue
        value = by_type.get(slot.type)
        # dicts are partial payment-method hints ({"source": "gift_card"}); an address is a whole value
        if value is not None and value != ctx.state.value(name) and (slot.type == "address" or not isinstance(value, dict)):
            out[name] = value
    offered = any(top.context.get("fits_offered:" + name) for name in out)  # one of the options offered, named
    if out and (label() == "correction" or asking is None or CORRECTION_CUE.search(text) or _ADDING.search(text) or offered):
        return out
    return {}


def _option_change(ctx: TurnContext, frame: Frame, slot, text: str) -> list | None:
    """The replacements as a correction changes one of them ("actually the keyboard in clicky RGB"),
    None when the message says no correction or no option that differs."""
    current = ctx.state.value(slot.name)
    # after the options a short gift card covers were offered (asking._no_payer), naming one is the change
    if not (CORRECTION_CUE.search(text) or frame.context.get("fits_offered:" + slot.name)) or not isinstance(current, list):
        return None
    saved = frame.partial.get(slot.name)
    fits = []
    try:
        for k in range(len(current)):  # each item read against its own options; one must take the change
            frame.partial[slot.name] = list(current[:k])
            reading = read_answer(ctx, frame, slot, text, ordinals=False)
            if reading.usable and not isinstance(reading.value, list) and reading.value != current[k]:
                fits.append((k, reading.value))
    finally:
        if saved is None:
            frame.partial.pop(slot.name, None)
        else:
            frame.partial[slot.name] = saved
    if len(fits) != 1:
        return None
    k, value = fits[0]
    return [*current[:k], value, *current[k + 1:]]


def _list_change(ctx: TurnContext, frame: Frame, slot, text: str) -> list | None:
    """The items list as a message adds to or takes from it ("the helmet too", "not the kettle"),
    None when it names no item or changes nothing."""
    if not (_ADDING.search(text) or _TAKING_OUT.search(text) or _ONLY.search(text)):
        return None
    current = ctx.state.value(slot.name)
    reading = read_answer(ctx, frame, slot, text, ordinals=False)
    if not reading.usable or not isinstance(reading.value, list) or not isinstance(current, list):
        return None
    value = in_list_order(slot, ctx.env(frame), changed_list(text, current, reading.value))
    return value if value != current else None


def already_listed(ctx: TurnContext, frame: Frame, text: str) -> str | None:
    """"the helmet too" when the helmet is already among the items: said so (None: not that)."""
    from .words import slot_words

    if not _ADDING.search(text):
        return None
    for slot in ctx.flow(frame).slots.values():
        current = ctx.state.value(slot.name)
        if slot.type != "items" or not isinstance(current, list):
            continue
        reading = read_answer(ctx, frame, slot, text, ordinals=False)
        said = reading.value if reading.usable and isinstance(reading.value, list) else []
        if said and set(said) <= set(current):
            shown = str(ctx.state.slots[slot.name].display or "")
            return f"That is already among the {slot_words(slot.name)}" + (f": {shown}." if shown else ".")
    return None
