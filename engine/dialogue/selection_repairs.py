"""Repairs of the item selection said after it was made: "not the navy XL one, I meant the black jacket",
"the navy one stays", "take the jacket and the camera out of it", "I'm not exchanging the action camera,
only the jacket and the digital camera"; and "can we start the exchange over?".

Said while the options, the payment or the confirmation are asked, such a message is about which items,
not an answer to that question ("L, black" read as new options for the navy jacket): `selection_change`
gives the items slot's new value, which interpret turns into a Correct command. Only items the message names
are added, and items it takes out leave; the options already picked for the items that stay are kept
(answers.replay_from).
"""
from __future__ import annotations

import re
from typing import Any

from ..slots import cues
from ..slots.candidate_sets import candidates_for
from ..slots.resolve import phrases
from ..slots.summary_edits import in_list_order
from . import commands as c
from .context import TurnContext
from .reading import asks_a_question
from .understanding import Understanding
from .wishes import items_part
from .words import slot_words

# Words that take an item out of the selection (not an option of it: "not navy" may be a color wished for)
_TAKE_OUT = re.compile(r"\b(?:remov\w*|take\w*\s+(?:\w+\s+){0,6}?(?:out|off)|leave\w*\s+(?:\w+\s+){0,6}?out|drop\w*|"
                       r"(?:not|n[’']t|never)\s+(?:be\s+)?(?:exchang|return|swap|chang|includ|send\w*\s+back)\w*|"
                       r"(?:not|n[’']t)\s+(?:want|need|mean|plan)\w*\s+to\s+(?:exchange|return|swap|change|send)|"
                       r"stays?|staying|can\s+stay|out\s+of\s+(?:it|this|that|there|the\s+\w+))\b", re.I)
_ONLY, _KEEP = re.compile(r"\b(?:only|just)\b", re.I), re.compile(r"\bkeep(?:ing|s)?\b", re.I)  # "I'm keeping the camera"
_KEPT_AS = re.compile(r"\b(?:same|as\s+(?:is|it\s+is)|in|size|colou?r|but|with(?!\s+me\b))\b", re.I)
# "no, that's wrong", "this is all mixed up": the selection said next is the whole of it
_NOT_RIGHT = re.compile(r"^\W*no\b|\b(?:not\s+right|wrong|mixed\s+up|mistake|i\s+meant)\b", re.I)
# "start over", "can we start the exchange over?", "let's begin again from scratch", "restart the return"
START_OVER = re.compile(r"\b(?:start|begin)\s+(?:(?:the|this|it|that|my|whole|all)\s+)*(?:\w+\s+)?(?:over|again|"
                        r"from\s+(?:scratch|the\s+(?:start|beginning|top)))\b|\brestart\b|\bstart\s*over\b", re.I)


def selection_repair(ctx: TurnContext, u: Understanding) -> list[c.Command] | None:
    """"Can we start the exchange over?"; "the navy one stays", "take the camera out of it" at a later question
    or the confirmation (None: the message is no such repair)."""
    if START_OVER.search(u.text):
        u.decide("start_over", "start_over_said", "the shopper asks to begin the task again")
        return [c.StartOver()]
    changed, absent = selection_change(ctx, u.text)
    if changed:
        u.decide("correction", "selection_repair", f"the message takes items out of {', '.join(changed)}")
        return [c.Correct(changed)]
    if absent and not asks_a_question(u.text) and "?" not in u.text:
        u.decide("slot_answer", "selection_repair", "the message takes out items that are not in the selection")
        return [c.Continue(absent)]
    return None


def selection_change(ctx: TurnContext, text: str) -> tuple[dict[str, Any], str]:
    """({items slot: new list}, "") when `text` takes an item of the task's selection out (and maybe names what is
    meant instead), said while a later question or the confirmation is open; ({}, what to say) when the items it
    takes out are not in the selection ("the action camera stays" when it was never picked); ({}, "") otherwise."""
    frame = ctx.task_frame()
    if frame is None:
        return {}, ""
    flow = ctx.flow(frame)
    asking = flow.steps[frame.step].slot if frame.waiting == "collect" else None
    for slot in flow.slots.values():
        current = ctx.state.value(slot.name)
        if slot.type != "items" or not slot.multiple or slot.name == asking or not isinstance(current, list):
            continue
        env = ctx.env(frame)
        cands = candidates_for(slot, env) or []
        said = [p for p in phrases(items_part(slot, text), cands) if not p.context]
        out = {cands[i].value for p in said if p.negated and _taken_out(text, p) for i in p.hits}
        removed = out & set(current)
        only = [{cands[i].value for i in p.hits} for p in said if p.named and not p.negated]
        only = [next(iter(v)) for v in only if len(v) == 1]
        if not removed and _ONLY.search(text) and only and len(only) == len(said) and set(only) < set(current) \
                and (frame.waiting == "confirm" or len(only) > 1 or _NOT_RIGHT.search(text)):
            return {slot.name: in_list_order(slot, env, list(dict.fromkeys(only)))}, ""  # "no. only the jacket and ..."
        if not removed:
            shown = [x.title for x in cands if x.value in out and x.value not in current]
            if out and len(shown) == len(out) and out.isdisjoint(current):
                listed = ctx.state.slots[slot.name].display or ", ".join(
                    x.title for x in cands if x.value in current)
                return {}, f"The {' and the '.join(shown)} {'is' if len(shown) == 1 else 'are'} not among the " \
                           f"{slot_words(slot.name)}: {listed}."
            continue
        named = [{cands[i].value for i in p.hits} for p in said if not p.negated]
        added = [next(iter(v)) for v in named if len(v) == 1]
        # "the jacket" of two, one of them taken out: the other one; "the camera" of two, one of them picked: that one
        rest = set(current) - removed
        added += [next(iter(v - removed)) for v in named if len(v) > 1 and len(v - removed) == 1]
        added += [next(iter(v & rest)) for v in named if len(v - removed) > 1 and len(v & rest) == 1]
        added = [v for v in added if v not in removed]
        kept = [v for v in current if v not in removed]
        new = list(dict.fromkeys(added if added and _ONLY.search(text) else kept + added))
        new = in_list_order(slot, env, new)
        if new and new != current:
            return {slot.name: new}, ""
    return {}, ""


def _taken_out(text: str, p) -> bool:
    """Whether a negated phrase is taken out of the selection by a word that says so ("remove", "stays",
    "not exchanging"), or names the product kept or denied after it ("I'm keeping the camera", "the camera
    shouldn't be in it"); "not the navy one" alone may be an option wished for."""
    after = re.split(r"[.;!?,]", text[p.end:])[0]
    clause = re.split(r"[.;!?]", text[:p.start])[-1] + p.text + after
    pre = cues.negated(text, p.start)  # else denied after it: "the red helmet shouldn't be in there"
    # "I'm keeping the camera", not "keep the jacket the same size but in black" (its options)
    kept = _KEEP.search(clause) is not None and not _KEPT_AS.search(after) and len(after.split()) <= 4
    return _TAKE_OUT.search(clause) is not None or (p.named and (kept or not pre)) or (
        pre and _TAKE_OUT.search(text) is not None and p.named)
