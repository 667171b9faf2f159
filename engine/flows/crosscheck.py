"""Cross-checks between flows and intents for `shoptalk validate` (warnings unless noted)."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .problems import Problem

MIN_EXAMPLES = 5
NOT_FLOW_INTENTS = {"affirm", "deny", "cancel", "start_over", "correction", "help", "greet", "goodbye", "fallback",
                    "inform"}


def crosscheck(flows: list, examples: list, root: Path | None = None) -> list[Problem]:
    out: list[Problem] = []
    started = {i for f in flows for i in f.intents} | {f.id for f in flows}
    called = {s.flow for f in flows for s in f.steps if s.kind == "call"}
    by_intent: dict[str, list] = defaultdict(list)
    for ex in examples:
        by_intent[ex.intent].append(ex)
    for intent, exs in by_intent.items():
        first = exs[0]
        file = _rel(first.file, root)
        if intent not in NOT_FLOW_INTENTS and intent not in started:
            out.append(Problem(file, first.line, 1, f"intent {intent!r} starts no flow",
                               "add it to a flow's `intents:`", "warning", "intent_without_flow"))
        if len(exs) < MIN_EXAMPLES:
            out.append(Problem(file, first.line, 1, f"intent {intent!r} has only {len(exs)} example(s)",
                               f"give at least {MIN_EXAMPLES}", "warning", "too_few_examples"))
    seen: dict[str, object] = {}
    for ex in examples:
        key = " ".join(ex.text.lower().split())
        other = seen.get(key)
        if other is not None and other.intent != ex.intent:
            out.append(Problem(_rel(ex.file, root), ex.line, 1,
                               f"example {ex.text!r} is also an example of {other.intent!r}",
                               f"also at {_rel(other.file, root)}:{other.line}", "warning", "shared_example"))
        seen.setdefault(key, ex)
    have_intents = bool(examples)
    for f in flows:
        if f.pattern or f.id in called and not f.intents:
            continue
        if have_intents and not any(i in by_intent for i in f.intents) and f.id not in called:
            out.append(Problem(f.loc.file, f.loc.line, f.loc.col, f"no intent starts flow {f.id!r}",
                               "add examples for one of its intents in intents/", "warning", "flow_without_intent"))
        used = set().union(*(s.reads for s in f.steps if s.kind != "collect")) if f.steps else set()
        for slot in f.slots.values():
            used |= set(slot.of and [slot.of] or [])
        for s in f.steps:
            for t in (s.text, *(p for sl in f.slots.values() for p in sl.prompts)):
                if t is not None:
                    used |= t.names
        for s in f.steps:
            if s.kind == "collect" and s.slot and s.slot not in used and s.slot in f.slots \
                    and not any(s.slot in (sl.filter.names if sl.filter else ()) for sl in f.slots.values()):
                out.append(Problem(s.loc.file, s.loc.line, s.loc.col, f"slot {s.slot!r} is collected but never used",
                                   "use it in an action, branch, set or message, or stop collecting it", "warning",
                                   "unused_slot"))
    return out


def _rel(file: str, root: Path | None) -> str:
    try:
        return str(Path(file).resolve().relative_to(root.resolve())) if root else file
    except ValueError:
        return file
