"""From a routed message to commands, given where the conversation stands: the one place that
decides what a message does.

The router says what the text *is* (an intent, a repair, an open question); this module decides
what it *does* here. While a question is open, the message is read as an answer to it first,
against the slot's candidates; it starts another flow only when it answers nothing and clearly
asks for something else. The decision is written into the route (`decided_by`, `reason`), so a
Turn says which rule decided and why.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..question_decision import asked_tasks, keyword_label
from ..question_or_request import names_own
from . import commands as c
from .context import TurnContext
from .task_card import about_task_card, task_pay_slot
from .task_cues import cues as task_cues
from .task_money import payers
from .task_shortfall import cannot_cover
from .task_switch import (NO_FIRST, after_never_mind, asks_for_the_running_task, asks_for_this_swap, calls_off,
                          more_orders, one_at_a_time_note, without_keeping, rejects_running, stop_reading, task_after_stop,
                          task_asked_instead, task_for_refused, declines_for_another)
from .corrections import (CORRECTION_CUE, answer_then_more_items, confirmation_changes, filled_slot_changes,
                          restates)
from .follow_up import SAME_ORDER, SWAP_FLOWS
from .named_tasks import opening_label
from .opening_commands import follow_up_commands, question_or_request_commands, suggestions, task_flow_id
from .openings import (cancel_with_nothing_open, change_after_yes, change_told, enumerated_goals, introduces_self,
                       named_goals, request_head, start_goals, task_goals, unnamed_task, which_change)
from .order_wishes import order_items_task
from .reading import (ANSWER_FIRST_TYPES, asks_a_question, asks_for_something, looks_like_question, wants_to_stop,
                      approval_only, only_yes_no, names_a_choice, read_answer, split_question, tentative_pick, yes_no)
from .selection_repairs import selection_repair
from .state import Frame
from .triggers import from_trigger
from .small_talk import ends_with_goodbye, thanks_pattern
from .understanding import Understanding

# A different task interrupts an open question only when the router is at least this sure.
DIGRESSION_FLOOR = 0.6
# "then change the item in it instead": another task in place of the one in progress, not on top of it
_INSTEAD = re.compile(r"\binstead\b(?!\s+of\s+the\s+\w+\s*[?.!]*$)|\brather\s+(?:do|have|change|cancel|return|exchange)\b",
                      re.I)
# With "instead": a verb that asks for another task, buying or ordering too ("order a new one"), not "the order"
_NEW_TASK_VERB = re.compile(r"\b(cancel|return|exchange|swap|change|modify|update|buy|send\s+back)\b|(?<!\bthe )(?<!\bthat )"
                            r"(?<!\bthis )(?<!\bmy )(?<!\ban )(?<!\bone )\border\b(?!\s*(?:#|number|id))", re.I)
_DROP_THIS = re.compile(r"\bcancel\s+(?:this|that|the)\s+(?:\w+\s+)?(?:request|exchange|return|change)\b"
                        r"|\bno\s+(?:exchange|return|change)s?\b(?!\s+(?:for|of|to|on|with|in)\b)", re.I)
# Words that name a task or what one is about: another task interrupts an open question only with one.
_TASK_WORD = re.compile(r"\b(cancel\w*|return\w*|exchang\w*|swap\w*|chang\w*|modif\w*|updat\w*|buy\w*|purchas\w*|"
                        r"order\w*|send\w*\s+back|refund\w*|track\w*|status|where\w*|deliver\w*|ship\w*|address\w*|"
                        r"payment|pay|card|person|human|agent|someone|help)\b", re.I)
# Slots a pick said as a question ("is the robotic one ok?") answers; a yes/no question is answered by its words
_PICKED_TYPES = frozenset({"variants", "variant", "product", "items", "choice", "payment_method"})
# Questions answered from the store even when no task is open (the others belong to a task's flow).
_OUTSIDE_A_TASK = frozenset({"undo_cancel"})
# Words of a repair (cancel, start over, a person, help): with one of them, the classifier is asked
# before a message is taken as an answer.
_REPAIR_CUE = re.compile(r"\b(cancel\w*|never\s*mind|nevermind|forget|stop|quit|start\s*over|restart|from\s+the\s+"
                         r"(?:start|beginning|top)|begin\s+again|human|agent|person|people|someone|somebody|"
                         r"representative|rep|operator|staff|manager|supervisor|help|abort|exit|scratch)\b", re.I)
# a sentence that opens with a yes ("yes cancel it.", "ok, go ahead."), not "before I say yes..."
_YES_THEN = re.compile(r"^(?P<yes>[^.!;?]*)[.!;]+\s*(?P<rest>\S.*)$", re.S)  # a yes sentence, then more
# a no, a stop or a refusal said anywhere: a message with one is no plain restatement of the summary
_REFUSES = re.compile(r"\b(?:no|not|never|stop|don'?t|do\s+not|nothing|instead)\b|n't\b", re.I)
_PLAIN_YES = re.compile(r"^\W*(?:yes+|yeah|yep|yup|sure|ok(?:ay)?|fine|go ahead|please do|do it)\b", re.I)


def interpret(ctx: TurnContext, u: Understanding) -> list[c.Command]:
    if u.trigger is not None:
        return from_trigger(ctx, *u.trigger)
    top = ctx.state.top
    if top is not None and top.waiting == "confirm":
        return _at_confirmation(ctx, u, top)
    if top is not None and top.waiting == "collect":
        commands = _at_question(ctx, u, top)
        flow = ctx.flow(top)
        boolean = flow.slots[flow.steps[top.step].slot].type == "boolean"
        if boolean and [type(x) for x in commands] == [c.Answer] and ends_with_goodbye(u):
            commands.append(c.RunPattern("pattern_goodbye", after=True))  # "No, I'm done. Bye.": answer, then bye
        return commands
    return _with_nothing_asked(ctx, u)


# -- a slot is being asked for --------------------------------------------------------------------

def _at_question(ctx: TurnContext, u: Understanding, frame: Frame) -> list[c.Command]:
    flow = ctx.flow(frame)
    slot = flow.slots[flow.steps[frame.step].slot]
    repaired = selection_repair(ctx, u)
    if repaired:
        return repaired
    # "then change the item in it instead", not "the 1000 piece one instead"; "No, I don't want to cancel that
    # one. I want to change the bottle in #W...": that order is the other task's
    if (_INSTEAD.search(u.text) and _NEW_TASK_VERB.search(u.text) and not read_answer(ctx, frame, slot, u.text).usable) \
            or (rejects_running(ctx, u.text) and asks_for_something(u.text)) or declines_for_another(ctx, u.text):
        switch = _digression(ctx, u)
        if switch is not None:
            return switch
    if slot.type == "order_id" and _other_task_asked(ctx, u, frame):
        # "now the other order, W2 - i want to change how that one's paid too" at the queued item change's question:
        # that order's payment change first (the item change waits underneath)
        switch = _digression(ctx, u, named_task=True)
        if switch is not None:
            return switch
    # One stop rule, applied twice: before anything else, unless the message says one of a choice
    # slot's values ("changed my mind" is a cancel reason there); after the answer, correction and
    # question readings, in any case. (wants_to_stop already excludes "instead" and "rather".)
    stops, after = stop_reading(ctx, u, frame, slot)  # ("keep it as it is then" when no card can pay: dropped)
    if after:  # "keep the payment as is then. i also wanted to change the hose in that order": both
        return after
    instead = task_for_refused(ctx, lambda: u.route, u.text, frame, slot)
    if instead is not None:  # the task the refusal offered, for the order it refused
        refused = frame.context["refused:" + slot.name]
        u.decide(instead, "refused_value_task", f"{frame.flow_id} refused {refused}; {instead} takes it")
        return [c.StartFlow(instead, slots={slot.name: refused}, source="user", replaces=True)]
    orders = more_orders(ctx, frame, slot, u.text)
    if orders:  # "Both of them actually - #W6979932 and #W9160732": this task for each, one after the other
        u.decide("slot_answer", "several_orders", f"the message names {len(orders)} orders for {frame.flow_id}")
        return [c.Answer(orders[0][1]), c.QueueFlows(tuple((frame.flow_id, text) for _, text in orders[1:]),
                                                     say=one_at_a_time_note(orders), next=True)]
    rest = after_never_mind(u.text)
    if stops and rest and read_answer(ctx, frame, slot, rest).usable:
        # "Ok, never mind. Put it on the gift card.": the question dropped, the answer given
        u.decide("slot_answer", "answer_after_never_mind", f"a new sentence answers {slot.name}")
        return [c.Answer(rest)]
    kept = without_keeping(u.text) if slot.type == "variants" else u.text
    if kept != u.text and read_answer(ctx, frame, slot, kept).usable:  # "keep it the same, medium HEPA": that one
        u.decide("slot_answer", "kept_as_named", f"the options named answer {slot.name}")
        return [c.Answer(kept)]
    if (stops or _DROP_THIS.search(u.text)) and not names_a_choice(slot, u.text):
        # "I've changed my mind, I'll keep the kettle as it is": never read as "the same one"
        u.decide("cancel", "stop", "the shopper drops the task")
        return [c.CancelFlow(), *task_after_stop(ctx, u, frame)]
    both = split_question(u.text) if slot.type in ANSWER_FIRST_TYPES else None
    same_swap = both is not None and asks_for_this_swap(ctx, u.route, u.text, frame)
    if same_swap and read_answer(ctx, frame, slot, both[0]).usable:  # "black, wired. Can I swap it for the same one?"
        u.decide("slot_answer", "answer_and_same_task", f"answers {slot.name}; the question asks for this task")
        return [c.Answer(both[0])]
    if both is not None and approval_only(both[1]) and read_answer(ctx, frame, slot, both[0]).usable:
        return [c.Answer(both[0])]  # "I'll go with the same one, canister, bagged. Is that okay?": the summary asks
    if both is not None and frame.flow_id in SWAP_FLOWS.values() and _SWAP_ASKED.match(both[1]) \
            and read_answer(ctx, frame, slot, both[0]).usable:
        # "That one, #W1. First, could I switch the keyboard to clicky switches?": the swap this task makes, asked as
        # leave: the whole message answers (the item and its options are read from it next), no catalogue answer
        u.decide("slot_answer", "answer_and_swap_asked", f"answers {slot.name}; the question asks for this task's swap")
        return [c.Answer(u.text)]
    if both is not None and not _REPAIR_CUE.search(both[0]) and read_answer(ctx, frame, slot, both[0]).usable:
        # "all of them. is the return process complicated?": the answer is taken and the question answered
        u.decide("slot_answer", "answer_and_question", f"the message answers {slot.name} and asks a question")
        if task_flow_id(ctx, keyword_label(both[1]) or "") == frame.flow_id and _START_WITH.search(both[1]):
            return [c.Answer(both[0])]  # "can we start with the exchange? it's the boots order": the task running
        if slot.type == "payment_method" and (cannot_cover(frame.flow_id, ctx.env(frame), slot.name, read_answer(
                ctx, frame, slot, both[0]).value) or not payers(frame.flow_id, ctx.env(frame), slot.name)):
            # "only the gift card, doesn't my return's refund go on it?", "Oh, I see. Which gift card is that?" when no
            # card can pay: the card refused again says nothing new, the question answered
            return _asked(ctx, u, frame, both[1])
        return [c.Answer(both[0]), *_asked(ctx, u, frame, both[1])]
    picked = tentative_pick(u.text) if slot.type in _PICKED_TYPES and not _REPAIR_CUE.search(u.text) else None
    reading = read_answer(ctx, frame, slot, picked) if picked else None
    if reading and (reading.usable or reading.ambiguous is not None):  # "is the robotic one ok?": confirmed later
        u.decide("slot_answer", "tentative_pick", f"a pick asked as a question answers {slot.name}")
        return [c.Answer(picked)]
    # "so there's $50 left on the gift card?": a question about the shopper's records, not a pick by "gift card"
    answerable = slot.type in ANSWER_FIRST_TYPES and not asks_a_question(u.text) and not (
        u.text.rstrip().endswith("?") and "balance" in task_cues(u.text))
    # with no word of a repair the classifier could only confirm what the answer says: it is not asked
    repair_words = _REPAIR_CUE.search(u.text) is not None
    more = answer_then_more_items(ctx, u.text, frame, slot, lambda: u.route.label) if answerable else None
    if more is not None:  # "XL navy. oh but its not just the jacket, i also want to swap the yoga mat": both
        u.decide("slot_answer", "answer_and_more_items", f"answers {slot.name}, then changes {', '.join(more[1])}")
        return [c.Answer(more[0]), c.Correct(more[1])]
    if answerable and not repair_words and _answers(ctx, u, frame, slot):
        return [c.Answer(u.text)]
    label = u.route.label
    # "never mind" to a yes/no question is a cancel, not a "no"; every other answer comes first
    if answerable and repair_words and label not in ("start_over", "handoff") and \
            not (slot.type == "boolean" and label == "cancel") and _answers(ctx, u, frame, slot):
        return [c.Answer(u.text)]
    correction = filled_slot_changes(ctx, u.text, lambda: u.route.label)
    if correction:
        u.decide("correction", "correction", f"the message changes {', '.join(correction)}")
        return [c.Correct(correction)]
    if asks_for_the_running_task(ctx, u.route, u.text, frame):
        u.decide("slot_answer", "same_task", f"asks for {frame.flow_id}, which is running: its question again")
        return [c.Continue(f"Yes, that's what we're doing: {ctx.flow(frame).title or frame.flow_id}.")]
    asked_or_repaired = _task_question(ctx, u, frame) or _repair(u)
    if asked_or_repaired:
        return asked_or_repaired
    if stops:
        u.decide("cancel", "stop", "the shopper drops the task")
        return [c.CancelFlow(), *task_after_stop(ctx, u, frame)]
    if label == "help":
        return [c.RunPattern("pattern_help")]
    digression = _digression(ctx, u) if asks_for_something(u.text) or (
        label == "order_status" and names_own(u.text)) else None  # "what's the status of #W1?": looked up
    if digression is not None:
        return digression
    if asks_a_question(u.text) or (looks_like_question(u.text) and label not in ("affirm", "deny", "slot_answer")):
        return [c.Fallback(u.text)]
    if ctx.flows.by_intent(label) is not None:
        u.decide("slot_answer", "answer_shaped", f"names another task's topic but reads as an answer to {slot.name}")
    return [c.Answer(u.text)]


def _answers(ctx: TurnContext, u: Understanding, frame: Frame, slot) -> bool:
    """The message gives the slot a value, or several candidates fit (then a clarifying question)."""
    reading = read_answer(ctx, frame, slot, u.text)
    if reading.usable or reading.ambiguous is not None:
        u.decide("slot_answer", "answer_first", f"the message answers {slot.name}")
        return True
    return False


# -- a confirmation is open ------------------------------------------------------------------------

def _at_confirmation(ctx: TurnContext, u: Understanding, frame: Frame) -> list[c.Command]:
    if calls_off(u.text) and yes_no(u.text) != "affirm" and not asks_for_something(u.text):  # "let's not do it then"
        return [c.CancelFlow()]
    repaired = None if only_yes_no(u.text) else selection_repair(ctx, u)
    if repaired and [type(x) for x in repaired] == [c.Continue] and _PLAIN_YES.search(u.text) \
            and yes_no(re.split(r"(?<=[.!?;])\s+", u.text.strip())[0]) == "affirm":
        # "yes, that's it. the toothbrush can stay as it is. go ahead": what stays was never in the summary: a yes
        u.decide("affirm", "yes_no", "a yes to the confirmation; the item said to stay is not in it")
        return [c.Affirm()]
    if repaired:
        return repaired
    if yes_no(u.text) != "affirm" and (wants_to_stop(u.text) or rejects_running(ctx, u.text)):
        after = task_after_stop(ctx, u, frame)  # "Stop, change nothing. I want the address on #W1 changed, not
        if after:                               # cancelled.": this task dropped at its summary, the other started
            u.decide("cancel", "stop", "the shopper drops the task at its summary and asks for another")
            return [c.CancelFlow(), *after]
    if only_yes_no(u.text) and not _REPAIR_CUE.search(u.text):
        said = yes_no(u.text)
        u.decide(said, "yes_no", f"a {'yes' if said == 'affirm' else 'no'} to the confirmation")
        return [c.Affirm() if said == "affirm" else c.Deny()]
    label = u.route.label
    said = yes_no(u.text) or (label if label in ("affirm", "deny") else None)
    if said == "affirm" and NO_FIRST.search(u.text) and not only_yes_no(u.text):
        said = "deny"  # "no, ... the mouse is right": "right" is about a part, the answer is no
    both = split_question(u.text)
    if both is not None and _PLAIN_YES.search(both[0]) and yes_no(both[0]) == "affirm" \
            and not NO_FIRST.search(both[0]) and not CORRECTION_CUE.search(both[0]) \
            and not (yes_no(both[1]) == "affirm" and "?" not in both[1]):  # "Yes, that's all. Do it.": a yes, twice
        # "yes cancel it. and it's cancelled at once, right?": a yes, and a question answered
        u.decide("affirm", "answer_and_question", "a yes to the confirmation, and a question")
        return [c.Affirm(), *_asked(ctx, u, frame, both[1])]
    if said == "affirm" and "?" in u.text and not only_yes_no(u.text):
        said = None  # "that's right, but what about the coupon? ..." asks; it does not confirm
    if not only_yes_no(u.text) and not asks_a_question(u.text) and (said != "affirm" or CORRECTION_CUE.search(u.text)):
        changes = confirmation_changes(ctx, u.text, frame)
        if changes:
            u.decide("correction", "correction_at_confirmation", f"the message changes {', '.join(changes)}")
            return [c.Correct(changes)]
        if said is None and "?" not in u.text and not _REFUSES.search(u.text) and restates(ctx, u.text, frame):
            # "I said size 11, the waterproof one": the summary has them (not "... #W1, not cancel it")
            u.decide("slot_answer", "restated_at_confirmation", "the message repeats what the summary has")
            return [c.Continue("That's already what I have.")]
    if said is None:
        question = _task_question(ctx, u, frame)
        if question is not None:
            return question
    if label == "cancel" and said != "affirm" and u.route.confidence >= (u.route.threshold or 0.5):
        return [c.CancelFlow()]
    if said == "affirm":
        u.decide("affirm", "yes_no", "a yes to the confirmation")
        queued = _next_task(ctx, u)
        return [*queued, c.Affirm(), *([] if queued else _change_next(ctx, u))]
    if said == "deny":
        u.decide("deny", "yes_no", "a no to the confirmation")
        return [c.Deny()]
    repair = _repair(u)
    if repair is not None:
        return repair
    digression = _digression(ctx, u)
    if digression is not None:
        return digression
    if looks_like_question(u.text) or asks_a_question(u.text):  # "before I say yes... is it easy?"
        return [c.Fallback(u.text)]
    return [c.RunPattern("pattern_confirm_unclear")]


def _next_task(ctx: TurnContext, u: Understanding) -> list[c.Command]:
    """"yes go ahead. then i also want to return the jigsaw puzzle": the task asked for after the yes,
    queued to start when this one is done (nothing when the rest asks for no task)."""
    rest = _after_yes(u.text)
    if rest is None or not asks_for_something(rest) or u.route_part is None:
        return []
    flow = ctx.flows.by_intent((r := u.route_part(rest)).label)
    if flow is None or flow.pattern or r.confidence < DIGRESSION_FLOOR or not _TASK_WORD.search(rest):
        return []
    return [c.QueueFlows(((flow.id, rest),), next=True, announce=False)]  # "Now, the next thing ..." says it


def _change_next(ctx: TurnContext, u: Understanding) -> list[c.Command]:
    """"yes, go ahead. after that I have another order to change too": which change, asked once this one is done."""
    rest = _after_yes(u.text)
    return change_after_yes(ctx, rest) if rest is not None else []


def _after_yes(text: str) -> str | None:
    """What follows a plain yes sentence ("yes go ahead. then ..."), or None when the message is no such yes."""
    m = _YES_THEN.match(text)
    return m["rest"] if m is not None and _PLAIN_YES.search(m["yes"]) else None


# -- nothing is being asked ------------------------------------------------------------------------

def _with_nothing_asked(ctx: TurnContext, u: Understanding) -> list[c.Command]:
    top = ctx.state.top
    label = opening_label(u.text, u.route, u.decide) if top is None else u.route.label
    cancel = cancel_with_nothing_open(ctx, u.route, u.text)
    if cancel is not None:
        u.decide("cancel_order", "cancel_nothing_open", "asks to cancel with no task open: an order is what it cancels")
        return [c.StartFlow(cancel, source="router")]
    told = change_told(ctx, label, u.text)
    if told is not None:  # "need them in a 9", "new place is 940 W 5th St, ...": a change told, no task named
        u.decide(told.label, told.rule, told.reason)
        return [c.StartFlow(told.flows[0], source="router")] if told.start else [c.Fallback(u.text, suggest=told.flows)]
    same_order = top is None and SAME_ORDER.search(u.text) is not None
    after = follow_up_commands(ctx, u) if same_order else None
    if after:  # "also, on that same order I want to change the headphones": the order just done decides the task
        return after
    # a question about a task's rules ("how long does a person take to reply?") before the repair it names
    asked_or_repaired = (which_change(ctx, label, u.text, u.decide) or _task_question(ctx, u, top)
                         or (question_or_request_commands(ctx, u) if top is None else None) or _repair(u))
    if asked_or_repaired:
        return asked_or_repaired
    if top is None and (swap := order_items_task(ctx, u.text, routed=task_flow_id(ctx, label), decide=u.decide)):
        return [c.StartFlow(swap, source="router")]  # "order W1: the speaker in blue, ...": never a purchase
    after = follow_up_commands(ctx, u) if top is None and not same_order else None  # (read once: above)
    if after:  # "now the other order, ...": the task just done again, never a purchase
        return after
    goals = task_goals(ctx, u.goals) or enumerated_goals(ctx, u.text, u.route)
    # the router's own task read from a part that asks for nothing ("I have a few orders I need help with..."):
    dropped = goals and label in {g for g, _ in u.goals} and label not in {g for g, _ in goals}  # the rest leads
    if len(goals) > 1 or (goals and label == "fallback") or dropped:  # one part sure of its task, the whole not
        u.decide(goals[0][0], "several_goals", "the message asks for " + " and ".join(g for g, _ in goals))
        return start_goals(goals)
    flow = ctx.flows.by_intent(label)
    if flow is None and label == "fallback" and u.unsupported is None:  # not "... was cancelled. reactivate it"
        flow = request_head(ctx, u.text, u.route_part, u.decide)
        named = [] if flow is not None or top is not None else named_goals(ctx, u.text, u.route)
        if named:  # "a few things to sort out with some orders - a return and a cancellation"
            u.decide(named[0][0], "named_tasks", "the message names " + " and ".join(f"“{w}”" for _, w in named))
            return start_goals(named)
        unnamed = None if flow is not None or top is not None else unnamed_task(ctx, u)
        if unnamed:  # "change a phone in one of my orders", "a few things to sort out with my orders"
            return unnamed
    if flow is not None and not flow.pattern and not any(f.flow_id == flow.id for f in ctx.state.stack):
        return [c.StartFlow(flow.id, source="router")]
    if label in ("fallback", "greet", "goodbye") and ctx.state.user_id is None and u.unsupported is None \
            and introduces_self(ctx, u.text):  # not "change the email on my account to a@b.com", "write my landlord ..."
        # "my name is Emma Kovacs and my email is ...", "hi it's emma@...": sign in first, the request comes next
        u.decide("authenticate", "introduction", "the message says who the shopper is and asks for nothing")
        return [c.StartFlow("authenticate", source="router")]
    correction = filled_slot_changes(ctx, u.text, lambda: u.route.label)
    if correction:
        return [c.Correct(correction)]
    if label in ("affirm", "deny") and top is not None:
        return [c.Affirm() if label == "affirm" else c.Deny()]
    if label == "help":
        return [c.RunPattern("pattern_help")]
    small_talk = f"pattern_{label}" if label in ("greet", "goodbye") else thanks_pattern(ctx, u.text, label, u.decide)
    if small_talk:  # a greeting, a goodbye, "Great, thanks!"
        return [c.RunPattern(small_talk)]
    return [c.Fallback(u.text, suggest=asked_tasks(u.reading, suggestions(ctx, u.route), lambda lab: task_flow_id(
        ctx, lab)) if top is None else ())]


# -- shared rules ----------------------------------------------------------------------------------

def _task_question(ctx: TurnContext, u: Understanding, frame: Frame | None) -> list[c.Command] | None:
    """"How much will I get back?", "which card paid for it?", "undo my cancellation": answered from
    the shopper's own records without leaving the task (None: not such a question)."""
    from .task_questions import answer_task_question

    flow = ctx.task_frame()
    got = answer_task_question(u.text, ctx.env(flow or frame), flow.flow_id if flow else None, ctx.task_values(),
                               task_pay_slot(ctx))
    if got is None or (flow is None and got.topic not in _OUTSIDE_A_TASK):
        return None  # with no task open, "where is my order?" starts order status
    u.decide("task_question", "task_question", f"a question about the task ({got.topic}), answered from the store")
    return [c.AnswerQuestion(got.text, tuple(got.buttons), got.topic)]


def _asked(ctx: TurnContext, u: Understanding, frame: Frame, question: str) -> list[c.Command]:
    """The question part of a message that also answered: from the store when it is about the task, another
    task when it asks for one ("not now. can you cancel my bookshelf order?"), else the open-question fallback."""
    asked = _task_question(ctx, replace(u, text=question), frame)
    if asked is None and u.route_part is not None and asks_for_something(question):
        part = replace(u, text=question, _route=u.route_part(question))
        asked = _digression(ctx, part)
        if asked is not None:
            u.decide(part.route.label, part.route.decided_by, f"after the answer, {part.route.reason}")
    return asked or [c.Fallback(question)]


def _repair(u: Understanding) -> list[c.Command] | None:
    """Cancel, start over and a person: they apply wherever the conversation stands."""
    label = u.route.label
    if label == "cancel":
        return [c.CancelFlow()]
    if label == "start_over":
        return [c.StartOver()]
    if label == "handoff":
        return [c.Handoff()]
    return None


# which task to do first, asked ("can we start with the exchange?")
_START_WITH = re.compile(r"\b(?:start|begin|go|do|deal)\s+(?:with\s+)?(?:the\s+)?(?:exchange|return|cancel\w*|change|swap|"
                         r"address|payment|refund)\w*\b(?:\s+first)?", re.I)
# leave asked for an item swap ("First, could I switch the keyboard to clicky switches?")
_SWAP_ASKED = re.compile(r"^\W*(?:\w+\W+){0,2}?(?:can|could|may)\s+(?:i|we|you)\s+(?:please\s+|also\s+|just\s+)?(?:switch|swap|"
                         r"change|exchange|get|make)\b", re.I)
# a task wanted, said anywhere in the message ("..., W2 - i want to change how that one's paid too")
_WANTS_TO = re.compile(r"\b(?:(?:i|we)\s+(?:also\s+|now\s+|then\s+)?(?:want|need|'d\s+like|would\s+like)\s+to|(?:can|could)\s+"
                       r"(?:i|we|you)(?:\s+also|\s+now)?)\s+(?:change|update|switch|modify|cancel|return|exchange|swap|"
                       r"send)\b", re.I)


def _other_task_asked(ctx: TurnContext, u: Understanding, frame: Frame) -> bool:
    """The message asks for another task by its words, and the router ranks that task first: an order named with it
    is that task's order, not an answer to this one's question."""
    if not _WANTS_TO.search(u.text) or not u.route.top or u.route.top[0].score < 0.9:
        return False
    top = task_flow_id(ctx, u.route.top[0].label)
    return top is not None and top != frame.flow_id


def _digression(ctx: TurnContext, u: Understanding, named_task: bool = False) -> list[c.Command] | None:
    """A clear request for another task, made while a question is open, starts it on top. The
    router's own label may be `slot_answer` (its context rule); its top candidate still counts. `named_task`: the
    message asks for that task by its words ("can I switch how I'm paying? I'd like to use my gift card"), so a card
    it names is that task's, not the running one's."""
    label, score = u.route.label, u.route.confidence
    if ctx.flows.by_intent(label) is None and u.route.top:
        label, score = u.route.top[0].label, u.route.top[0].score
    flow = ctx.flows.by_intent(label)
    instead = task_asked_instead(ctx, u.text)
    running = flow is not None and any(f.flow_id == flow.id for f in ctx.state.stack)
    # the router unsure, or reading the running task's own words ("I don't want to cancel ..."): the words after the no
    if instead is not None and (flow is None or score < DIGRESSION_FLOOR or running):
        flow, label, score = ctx.flows.flows[instead], instead, 1.0
        running = any(f.flow_id == flow.id for f in ctx.state.stack)
    if flow is None or flow.pattern or running:
        return None
    if score < DIGRESSION_FLOOR and u.route.decided_by != "rule:keywords":
        return None
    # "I'd like black instead" names an option; "is that the Mastercard I wanted?" is the running task's card
    if not _TASK_WORD.search(u.text) or (not named_task and about_task_card(u.text, ctx.task_values(), task_pay_slot(ctx))):
        return None
    if _INSTEAD.search(u.text) or rejects_running(ctx, u.text) or declines_for_another(ctx, u.text):
        u.decide(label, "digression", f"asks for {flow.id} instead of the task in progress")
        return [c.StartFlow(flow.id, source="router", replaces=True)]
    u.decide(label, "digression", f"asks for {flow.id} and answers nothing asked")
    return [c.StartFlow(flow.id, source="router")]
