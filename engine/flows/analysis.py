"""Cross-checks over parsed flows: references, reachability, and confirmation before writes.

These are the mistakes that parse fine but break a conversation at run time, so they are found
at load time and reported all at once, each with the file:line of the offending step.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from .expr import CONSTANT_NAMES
from .model import CANDIDATE_FIELDS, CLARIFY_FIELDS, END, Flow, Loc, Step
from .problems import Problem

# Names the engine puts in scope besides slots and action results (see dialogue.scope).
CONTEXT_NAMES = frozenset({
    "error", "flow_title", "previous_flow_title", "corrected_slots", "summary", "transcript",
    "flow_list", "user", "method", "attempt", "last_message", "on_fail", "slot_title", "display",
    "reason", "item", "picked", "error_code", "called", "money", "swaps", "choices", "methods",
})

# Writes a shopper needs no confirmation for: asking for a human changes no order.
CONFIRM_EXEMPT = frozenset({"transfer_to_human_agents"})


def needs_confirmation(action: str | None, actions: Mapping) -> bool:
    """Whether a store action writes, so that it may only run after a confirm step's "yes"."""
    spec = actions.get(action) if action else None
    return bool(spec and spec.write and action not in CONFIRM_EXEMPT)


def _p(step_or_flow, message: str, hint: str = "", code: str = "invalid", severity: str = "error") -> Problem:
    return Problem.at(step_or_flow if isinstance(step_or_flow, Loc) else step_or_flow.loc, message, hint,
                      severity, code)


def name_sites(step: Step) -> list[tuple[str, Loc]]:
    """Every name a step reads, at the hole or expression that reads it (the step as a fallback)."""
    sites: list[tuple[str, Loc]] = []
    for t in (step.text, *(title for title, _ in step.buttons)):
        if t is not None:
            sites += [(name, loc or step.loc) for name, loc in t.name_locs()]
    for expr in (*(e for _, e in step.args), *(e for _, e in step.values), *(c for c, _ in step.cases)):
        sites += [(name, expr.loc or step.loc) for name in expr.read_names]
    return sites


def slot_name_sites(slot) -> list[tuple[str, Loc]]:
    """Names a slot's prompts, error message and filter read."""
    sites = [(name, loc or slot.loc) for t in (*slot.prompts, slot.error) if t is not None for name, loc in t.name_locs()]
    if slot.filter is not None:
        sites += [(name, slot.filter.loc or slot.loc) for name in slot.filter.read_names if name != "method"]
    return sites


def successors(flow: Flow, index: int) -> list[int | None]:
    """Indexes a step can continue to; None means the flow ends."""
    step = flow.steps[index]
    nxt = index + 1 if index + 1 < len(flow.steps) else None

    def target(name: str | None) -> int | None:
        if name is None or name == END:
            return None
        try:
            return flow.index_of(name)
        except KeyError:
            return None

    if step.kind in ("end", "handoff"):
        return [None]
    if step.kind == "goto":
        return [target(step.target)]
    if step.kind == "branch":
        return [target(g) for _, g in step.cases] + [target(step.default) if step.default else nxt]
    if step.kind == "confirm":
        return [nxt, target(step.target)]
    if step.kind == "action" and step.on_error:
        return [nxt, target(step.on_error)]
    return [nxt]


def analyse(flows: list[Flow], *, actions: Mapping | None = None, checks: Mapping | None = None) -> list[Problem]:
    if actions is None or checks is None:
        from ..store.actions import ACTIONS
        from ..store.checks import CHECKS
        actions = ACTIONS if actions is None else actions
        checks = CHECKS if checks is None else checks
    problems: list[Problem] = []
    ids = Counter(f.id for f in flows)
    all_slots = {name for f in flows for name in f.slots}
    flow_ids = set(ids)
    for flow in flows:
        if ids[flow.id] > 1:
            problems.append(_p(flow, f"duplicate flow id {flow.id!r}", "each flow id must be unique", "duplicate_id"))
        problems += _check_flow(flow, flow_ids, all_slots, actions, checks)
    from .scope_check import foreign_names

    return problems + foreign_names(flows)


def _check_flow(flow: Flow, flow_ids: set[str], all_slots: set[str], actions: Mapping,
                checks: Mapping) -> list[Problem]:
    problems: list[Problem] = []
    step_ids = Counter(s.id for s in flow.steps)
    for sid, n in step_ids.items():
        if n > 1:
            step = next(s for s in flow.steps if s.id == sid)
            problems.append(_p(step, f"duplicate step id {sid!r} in flow {flow.id!r}", code="duplicate_id"))
    results = {s.result for s in flow.steps if s.result}
    known = all_slots | results | CONTEXT_NAMES
    for step in flow.steps:
        problems += _check_step(flow, step, known, all_slots, set(step_ids), flow_ids, actions)
    for slot in flow.slots.values():
        problems += _unknown_names(slot_name_sites(slot), known, all_slots, f"slot {slot.name!r}")
        problems += _resolving_names(slot, known, all_slots)
    problems += _collected_unused(flow)
    for slot in flow.slots.values():
        if slot.check and slot.check not in checks:
            problems.append(_p(slot, f"slot {slot.name!r} names unknown check {slot.check!r}",
                               f"known checks: {', '.join(sorted(checks))}", "unknown_check"))
        if slot.of and slot.of not in flow.slots:
            problems.append(_p(slot, f"slot {slot.name!r} depends on unknown slot {slot.of!r}", code="unknown_slot"))
    collected = {s.slot for s in flow.steps if s.kind == "collect"}
    for name in collected:
        slot = flow.slots.get(name)
        if slot and not slot.prompts:
            problems.append(_p(slot, f"slot {name!r} is collected but has no prompts",
                               "add `prompts:` with up to three wordings", "missing_prompt"))
    used = set().union(*(s.reads for s in flow.steps)) if flow.steps else set()
    used |= {s.of for s in flow.slots.values() if s.of}
    for slot in flow.slots.values():
        if slot.name not in used and slot.name not in {w for s in flow.steps for w in s.writes}:
            problems.append(_p(slot, f"slot {slot.name!r} is declared but never used", code="unused_slot",
                               severity="warning"))
    problems += _reachability(flow)
    problems += _writes_confirmed(flow, actions)
    return problems


def _check_step(flow: Flow, step: Step, known: set[str], slots: set[str], step_ids: set[str], flow_ids: set[str],
                actions: Mapping) -> list[Problem]:
    problems = _unknown_names(name_sites(step), known, slots, f"step {step.id!r}")
    if step.kind == "collect" and step.slot not in flow.slots:
        problems.append(_p(step, f"collect refers to slot {step.slot!r}, which flow {flow.id!r} does not declare",
                           f"declared: {', '.join(flow.slots) or 'none'}", "unknown_slot"))
    targets = [t for t in (step.target, step.on_error, step.default, *(g for _, g in step.cases)) if t]
    for t in targets:
        if t != END and t not in step_ids:
            problems.append(_p(step, f"step {step.id!r} goes to unknown step {t!r}",
                               f"step ids: {', '.join(sorted(step_ids))}, or end", "unknown_step"))
    if step.kind == "call" and step.flow not in flow_ids:
        problems.append(_p(step, f"call to unknown flow {step.flow!r}", code="unknown_flow"))
    if step.kind == "call" and step.flow == flow.id:
        problems.append(_p(step, f"flow {flow.id!r} calls itself", code="recursive_call"))
    if step.kind == "action":
        spec = actions.get(step.action)
        if spec is None:
            problems.append(_p(step, f"unknown store action {step.action!r}",
                               f"known: {', '.join(sorted(actions))}", "unknown_action"))
        else:
            problems += _check_args(flow, step, spec)
    return problems


# What each slot type holds, as the store's parameter types see it (see store.actions._coerce).
_SLOT_KINDS = {"number": "number", "boolean": "bool", "person_name": "dict", "address": "dict", "variants": "list"}
_ACCEPTS = {"str": {"str", "number"}, "list[str]": {"str", "list"}, "dict": {"dict"}, "bool": {"bool"}}


def _value_kind(expr, flow: Flow) -> str | None:
    """The kind of value an argument expression gives, when it is plain to see (a literal or a slot)."""
    import ast

    node = expr.tree.body
    if isinstance(node, ast.Name) and node.id in CONSTANT_NAMES:  # true, false, null
        node = ast.Constant(CONSTANT_NAMES[node.id])
    if isinstance(node, ast.Constant):
        v = node.value
        return None if v is None else "bool" if isinstance(v, bool) else "number" if isinstance(v, (int, float)) \
            else "str"
    if isinstance(node, (ast.List, ast.Tuple)):
        return "list"
    if isinstance(node, ast.Dict):
        return "dict"
    if isinstance(node, ast.Name) and node.id in flow.slots:
        slot = flow.slots[node.id]
        if slot.type == "items":
            return "list" if slot.multiple else "str"
        return _SLOT_KINDS.get(slot.type, "str")
    return None


def _check_args(flow: Flow, step: Step, spec) -> list[Problem]:
    """Unknown, missing and plainly mistyped arguments of a store action, at the argument."""
    problems = []
    params = {p.name: p for p in spec.params}
    given = {name for name, _ in step.args}
    for name, expr in step.args:
        where = expr.loc or step.loc
        param = params.get(name)
        if param is None:
            problems.append(_p(where, f"action {step.action!r} has no argument {name!r}",
                               f"arguments: {', '.join(params) or 'none'}", "bad_arguments"))
            continue
        kind = _value_kind(expr, flow)
        if kind is not None and kind not in _ACCEPTS.get(param.type, {kind}):
            problems.append(_p(where, f"argument {name!r} of {step.action!r} should be {param.type}, "
                                      f"but {expr.source!r} is a {kind}", "pass a slot or result of that kind",
                               "bad_arguments"))
    for name in sorted(n for n, p in params.items() if p.required and n not in given):
        problems.append(_p(step, f"action {step.action!r} is missing required argument {name!r}",
                           f"add it under `args:` ({', '.join(params)})", "bad_arguments"))
    return problems


def _unknown_names(sites: list[tuple[str, Loc]], known: set[str], slots: set[str], what: str) -> list[Problem]:
    """Names no slot, action result or engine value provides; `display.x` must name a slot."""
    out, seen = [], set()
    for name, loc in sites:
        slot = name.split(".", 1)[1] if name.startswith("display.") else None
        if (slot in slots if slot else name in known) or (name, loc) in seen:
            continue
        seen.add((name, loc))
        if slot:
            out.append(_p(loc, f"{what} shows {name!r}, but there is no slot {slot!r}",
                          "display.<slot> needs a slot declared under `slots:`", "unknown_name"))
        else:
            out.append(_p(loc, f"{what} refers to unknown name {name!r}",
                          "declare it under `slots:` or name an action `result:`", "unknown_name"))
    return out


def _resolving_names(slot, known: set[str], slots: set[str]) -> list[Problem]:
    """A `display:` template reads only its candidate's fields; `clarify:` the flow's names and the
    clarification's own (reason, options, count)."""
    problems = []
    if slot.display is not None:
        fields = CANDIDATE_FIELDS.get(slot.type, frozenset())
        for name, loc in slot.display.name_locs():
            if name.split(".", 1)[0] not in fields:
                problems.append(_p(loc or slot.loc, f"display of slot {slot.name!r} refers to unknown name {name!r}",
                                   f"a {slot.type} candidate has: {', '.join(sorted(fields))}", "unknown_name"))
    if slot.clarify is not None:
        problems += _unknown_names(slot.clarify.name_locs(), known | CLARIFY_FIELDS, slots,
                                   f"clarify of slot {slot.name!r}")
    return problems


def _collected_unused(flow: Flow) -> list[Problem]:
    """A slot the shopper is asked for that nothing reads afterwards: a wasted question."""
    used = {name.removeprefix("display.") for step in flow.steps if step.kind != "collect"
            for name, _ in name_sites(step)}
    used |= {name.removeprefix("display.") for slot in flow.slots.values() for name, _ in slot_name_sites(slot)}
    used |= {slot.of for slot in flow.slots.values() if slot.of}
    return [_p(step, f"slot {step.slot!r} is collected but never used",
               "use it in an action, branch, set or message, or stop collecting it", "unused_slot", "warning")
            for step in flow.steps if step.kind == "collect" and step.slot in flow.slots and step.slot not in used]


def _reachability(flow: Flow) -> list[Problem]:
    if not flow.steps:
        return []
    seen, todo = set(), [0]
    while todo:
        i = todo.pop()
        if i in seen:
            continue
        seen.add(i)
        todo.extend(j for j in successors(flow, i) if j is not None)
    return [_p(s, f"step {s.id!r} can never be reached", "add an id and a goto/branch to it, or remove it",
               "unreachable") for i, s in enumerate(flow.steps) if i not in seen]


def _writes_confirmed(flow: Flow, actions: Mapping) -> list[Problem]:
    """Every path to a store write must pass a confirm step (and its "yes") first."""
    def is_write(step: Step) -> bool:
        return step.kind == "action" and needs_confirmation(step.action, actions)

    problems, seen = [], set()
    todo: list[tuple[int, bool]] = [(0, False)] if flow.steps else []
    reported = set()
    while todo:
        i, confirmed = todo.pop()
        if (i, confirmed) in seen:
            continue
        seen.add((i, confirmed))
        step = flow.steps[i]
        if is_write(step) and not confirmed and i not in reported:
            reported.add(i)
            problems.append(_p(step, f"store write {step.action!r} can run without confirmation",
                               "put a `confirm:` step listing the details before it", "write_without_confirm"))
        after = confirmed or step.kind == "confirm"
        succ = successors(flow, i)
        if step.kind == "confirm":  # only the "yes" edge carries the confirmation
            todo += [(j, True) for j in succ[:1] if j is not None] + [(j, confirmed) for j in succ[1:] if j is not None]
            continue
        todo += [(j, after) for j in succ if j is not None]
    return problems
