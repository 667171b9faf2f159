"""Load `flows/*.yaml` into checked `Flow` objects, collecting every problem with file:line.

Parsing (this module) turns each file into model objects and reports shape mistakes;
`flows.analysis` then checks references across steps and flows (unknown names, unreachable
steps, writes without confirmation).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..paths import display_path
from .expr import Expr, ExprError, parse_expr
from .keys import FLOW_FIELDS, SLOT_FIELDS, STEP_FIELDS, STEP_ID
from .model import CANDIDATE_FIELDS, END, SLOT_TYPES, ChoiceDef, Flow, FlowSet, Scales, SlotDef, Step
from .problems import FlowLoadError, Problem
from .scales_file import parse_orders, project_scales
from .template import Template, parse_template
from .shape import ShapeChecker, read_yaml
from .yaml_loc import LocDict, LocList, TextPos

FLOW_KEYS = set(FLOW_FIELDS)
SLOT_KEYS = set(SLOT_FIELDS)
# kind -> keys allowed beside the kind key itself (and "id")
STEP_KEYS: dict[str, set[str]] = {kind: set(fields) - {kind} for kind, fields in STEP_FIELDS.items()}
DEFAULT_CARRY = {"order_id": "offer", "email": "reuse", "zip": "reuse", "person_name": "reuse"}


class _FileParser(ShapeChecker):
    """Parses one flow file; appends problems instead of stopping at the first."""

    def __init__(self, path: Path, display: str, scales: Scales | None = None):
        super().__init__(display)
        self.path = path
        self.scales = scales  # the project's flows/scales/ table, under every slot's own lists

    def expr(self, source: Any, where: tuple[int, int], what: str) -> Expr | None:
        try:
            expr = parse_expr(str(source) if isinstance(source, (int, float, bool)) else source)
            return replace(expr, loc=self.loc(where))
        except ExprError as exc:
            self.problem((where[0], where[1] + max(exc.col - 1, 0)), f"bad expression in {what}: {exc.message}",
                         "expressions use slots, and/or/not, ==, <, in, len(), money()", code="bad_expression")
            return None

    def template(self, source: Any, where: tuple[int, int], what: str, text: TextPos | None = None) -> Template | None:
        """Parse a message; `text` is where its characters start (holes then get exact columns)."""
        line, col, inline = text or (*where, False)
        if not isinstance(source, str):
            self.problem(where, f"{what} must be text", code="bad_type")
            return None
        try:
            return parse_template(source).at(self.loc((line, col)), inline)
        except ExprError as exc:
            at = (line, col + max(exc.col - 1, 0)) if inline else (line, col)
            self.problem(at, f"bad template in {what}: {exc.message}", "holes look like {slot} or {order.status}",
                         code="bad_expression")
            return None

    # -- flow -------------------------------------------------------------------------------
    def parse(self) -> Flow | None:
        doc, unreadable = read_yaml(self.path, self.file)
        if unreadable:
            self.problems.append(unreadable)
            return None
        if not isinstance(doc, LocDict):
            self.problem((1, 1), "a flow file must be a mapping with id, description, intents, slots and steps",
                         code="bad_type")
            return None
        for key in doc:
            if key not in FLOW_KEYS:
                self.problem(doc.loc_of(key), f"unknown flow key {key!r}", f"allowed: {', '.join(sorted(FLOW_KEYS))}",
                             code="unknown_key")
        # id, slots and steps have their own messages below
        doc = self.typed(doc, {k: f for k, f in FLOW_FIELDS.items() if k not in ("id", "slots", "steps")}, "the flow")
        flow_id = doc.get("id")
        if not isinstance(flow_id, str) or not flow_id.isidentifier():
            self.problem(doc.loc_of("id"), "flow needs an `id` made of letters, digits and _", code="missing_id")
            flow_id = self.path.stem
        if not isinstance(doc.get("description"), str):
            self.problem(doc.loc_of("description") if "description" in doc else doc.loc,
                         f"flow {flow_id!r} needs a `description`", "one sentence saying what it does",
                         code="missing_description")
        intents = doc.get("intents", [])
        if not isinstance(intents, list) or not all(isinstance(i, str) for i in intents):
            self.problem(doc.loc_of("intents"), "`intents` must be a list of intent names", code="bad_type")
            intents = []
        slots = self.parse_slots(doc.get("slots") or LocDict())
        steps = self.parse_steps(doc.get("steps"), doc.loc_of("steps") if "steps" in doc else doc.loc)
        return Flow(id=flow_id, description=str(doc.get("description", "")), loc=self.loc(doc.loc),
                    intents=tuple(intents), slots=slots, steps=tuple(steps), title=str(doc.get("title", "")),
                    pattern=flow_id.startswith("pattern_"), button=bool(doc.get("button", True)),
                    intents_loc=self.loc(doc.text_of("intents")[:2]) if "intents" in doc else None)

    # -- slots ------------------------------------------------------------------------------
    def parse_slots(self, raw: Any) -> dict[str, SlotDef]:
        if not isinstance(raw, LocDict):
            self.problem(getattr(raw, "loc", (1, 1)), "`slots` must be a mapping of slot name to definition",
                         code="bad_type")
            return {}
        slots = {}
        for name, spec in raw.items():
            where = raw.loc_of(name)
            if not isinstance(spec, LocDict):
                self.problem(where, f"slot {name!r} must be a mapping with at least `type`", code="bad_type")
                continue
            slot = self.parse_slot(name, spec, where)
            if slot:
                slots[name] = slot
        return slots

    def parse_slot(self, name: str, spec: LocDict, where: tuple[int, int]) -> SlotDef | None:
        for key in spec:
            if key not in SLOT_KEYS:
                self.problem(spec.loc_of(key), f"unknown key {key!r} in slot {name!r}",
                             f"allowed: {', '.join(sorted(SLOT_KEYS))}", code="unknown_key")
        spec = self.typed(spec, {k: f for k, f in SLOT_FIELDS.items() if k != "type"}, f"slot {name!r}")
        slot_type = spec.get("type")
        if slot_type not in SLOT_TYPES:
            self.problem(spec.loc_of("type") if "type" in spec else where,
                         f"slot {name!r} has unknown type {slot_type!r}", f"one of: {', '.join(SLOT_TYPES)}",
                         code="unknown_slot_type")
            return None
        prompt_key = "prompts" if "prompts" in spec else "prompt"
        raw_prompts = spec.get(prompt_key)
        prompts: list[Template] = []
        if isinstance(raw_prompts, LocList):
            for i, p in enumerate(raw_prompts):
                t = self.template(p, raw_prompts.loc_of(i), f"prompt of slot {name!r}", raw_prompts.text_of(i))
                if t:
                    prompts.append(t)
        elif raw_prompts is not None:
            t = self.template(raw_prompts, spec.loc_of(prompt_key), f"prompt of slot {name!r}", spec.text_of(prompt_key))
            prompts += [t] if t else []
        error = self.template(spec["error"], spec.loc_of("error"), f"error of slot {name!r}",
                              spec.text_of("error")) if "error" in spec else None
        choices = self.parse_choices(name, spec.get("choices"), spec.loc_of("choices"))
        if slot_type == "choice" and not choices:
            self.problem(where, f"choice slot {name!r} needs `choices`", code="missing_choices")
        if slot_type in ("items", "variants", "variant") and not spec.get("of"):
            self.problem(where, f"{slot_type} slot {name!r} needs `of:` naming the slot it depends on",
                         "items: of the order slot; variants: of the items slot; variant: of the product slot",
                         code="missing_of")
        flt = self.expr(spec["filter"], spec.loc_of("filter"), f"filter of slot {name!r}") if "filter" in spec else None
        pattern = spec.get("pattern")
        if pattern is not None:
            import re
            try:
                re.compile(str(pattern))
            except re.error as exc:
                self.problem(spec.loc_of("pattern"), f"bad pattern in slot {name!r}: {exc}", code="bad_pattern")
        on_fail = spec.get("on_fail", "handoff")
        if on_fail not in ("handoff", "end"):
            self.problem(spec.loc_of("on_fail"), f"on_fail must be handoff or end, not {on_fail!r}", code="bad_value")
            on_fail = "handoff"
        carry = spec.get("carry", DEFAULT_CARRY.get(slot_type, "none"))
        if carry not in ("reuse", "offer", "none"):
            self.problem(spec.loc_of("carry"), f"carry must be reuse, offer or none, not {carry!r}", code="bad_value")
            carry = "none"
        attempts = spec.get("max_attempts", 3)
        if not isinstance(attempts, int) or attempts < 1:
            self.problem(spec.loc_of("max_attempts"), "max_attempts must be a whole number >= 1", code="bad_value")
            attempts = 3
        display, clarify, scales = self.parse_resolving(name, slot_type, spec)
        return SlotDef(
            name=name, type=slot_type, loc=self.loc(where), prompts=tuple(prompts), error=error,
            pattern=None if pattern is None else str(pattern), min=spec.get("min"), max=spec.get("max"),
            choices=choices, check=spec.get("check"), of=spec.get("of"), multiple=bool(spec.get("multiple", False)),
            filter=flt, max_attempts=attempts, on_fail=on_fail, carry=carry,
            protected=bool(spec.get("protected", False)), description=str(spec.get("description", "")),
            display=display, clarify=clarify, scales=scales, offer_current=bool(spec.get("offer_current", False)),
        )

    def parse_resolving(self, name: str, slot_type: str, spec: LocDict) -> tuple:
        """`display`, `clarify`, `scales` and `offer_current`: how candidates are shown and told apart."""
        display = clarify = None
        if "display" in spec:
            if slot_type not in CANDIDATE_FIELDS:
                self.problem(spec.loc_of("display"), f"`display` of slot {name!r} has no candidates to show",
                             f"it applies to {', '.join(CANDIDATE_FIELDS)} slots", code="bad_value")
            else:
                display = self.template(spec["display"], spec.loc_of("display"), f"display of slot {name!r}",
                                        spec.text_of("display"))
        if "clarify" in spec:
            clarify = self.template(spec["clarify"], spec.loc_of("clarify"), f"clarify of slot {name!r}",
                                    spec.text_of("clarify"))
        if spec.get("offer_current") and slot_type != "variants":
            self.problem(spec.loc_of("offer_current"), f"`offer_current` of slot {name!r} needs a variants slot",
                         "only a variants slot replaces an item that has a current option", code="bad_value")
        orders = parse_orders(self, spec["scales"], spec.loc_of("scales"), f"`scales` of slot {name!r}") \
            if "scales" in spec else ()
        scales = Scales(orders, (), self.loc(spec.loc_of("scales"))).over(self.scales) if orders else self.scales
        return display, clarify, scales

    def parse_choices(self, slot: str, raw: Any, where: tuple[int, int]) -> tuple[ChoiceDef, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem(where, f"choices of slot {slot!r} must be a list", code="bad_type")
            return ()
        out = []
        for i, c in enumerate(raw):
            where = raw.loc_of(i)
            if not isinstance(c, dict):
                if self.scalar(c, where, f"a choice of slot {slot!r}"):
                    out.append(ChoiceDef(c, str(c)))
                continue
            if "value" not in c:
                self.problem(where, f"choice in slot {slot!r} needs a `value`", code="bad_value")
                continue
            syn = c.get("synonyms") or []
            syn = [syn] if isinstance(syn, str) else syn
            ok = self.scalar(c["value"], c.loc_of("value"), "a choice's value") & \
                self.scalar(c.get("title", ""), c.loc_of("title"), "a choice's title")
            if not isinstance(syn, list) or not all(isinstance(x, (str, int, float)) for x in syn):
                self.problem(c.loc_of("synonyms"), "synonyms must be a list of words", code="bad_type")
                ok = False
            if ok:
                out.append(ChoiceDef(c["value"], str(c.get("title", c["value"])), tuple(str(x) for x in syn)))
        return tuple(out)

    # -- steps ------------------------------------------------------------------------------
    def parse_steps(self, raw: Any, where: tuple[int, int]) -> list[Step]:
        if not isinstance(raw, LocList) or not raw:
            self.problem(where, "flow needs a non-empty list of `steps`", code="missing_steps")
            return []
        steps: list[Step] = []
        for i, item in enumerate(raw):
            step = self.parse_step(item, raw.loc_of(i), i)
            if step:
                steps.append(step)
        return steps

    def parse_step(self, item: Any, where: tuple[int, int], index: int) -> Step | None:
        if item in ("end", "resume", "cancel_previous"):
            return Step(id=f"{item}_{index + 1}", kind=item, loc=self.loc(where))
        if not isinstance(item, LocDict):
            self.problem(where, "a step must be a mapping such as `- collect: order_id`", code="bad_step")
            return None
        kinds = [k for k in item if k in STEP_KEYS]
        if len(kinds) != 1:
            found = ", ".join(kinds) if kinds else "none"
            self.problem(where, f"a step needs exactly one kind key (found: {found})",
                         f"kinds: {', '.join(STEP_KEYS)}", code="unknown_step_kind")
            return None
        kind = kinds[0]
        for key in item:
            if key not in STEP_KEYS[kind] and key not in (kind, "id"):
                self.problem(item.loc_of(key), f"unknown key {key!r} in {kind} step",
                             f"allowed: {', '.join(sorted(STEP_KEYS[kind] | {kind, 'id'}))}", code="unknown_key")
        step_id = item.get("id", f"{kind}_{index + 1}")
        if not isinstance(step_id, str):
            self.problem(item.loc_of("id"), "step id must be text", code="bad_type")
            step_id = f"{kind}_{index + 1}"
        item = self.typed(item, {**STEP_FIELDS[kind], "id": STEP_ID}, f"a {kind} step")
        if kind not in item:
            return None
        value, vloc = item[kind], item.loc_of(kind)
        base = {"id": step_id, "kind": kind, "loc": self.loc(where)}
        return getattr(self, f"step_{kind}")(base, value, vloc, item)

    def step_collect(self, base, value, vloc, item):
        if not isinstance(value, str):
            self.problem(vloc, "collect names one slot, e.g. `collect: order_id`", code="bad_type")
            return None
        return Step(**base, slot=value, ask_again=bool(item.get("ask_again", False)))

    def _text_step(self, base, value, vloc, what, item):
        text = self.template(value, vloc, f"{what} message", item.text_of(what)) if value is not None else None
        return Step(**base, text=text)

    def step_say(self, base, value, vloc, item):
        step = self._text_step(base, value, vloc, "say", item)
        buttons = []
        for i, b in enumerate(item.get("buttons") or []):
            if not isinstance(b, dict) or "title" not in b or "payload" not in b:
                self.problem(item["buttons"].loc_of(i), "a button needs `title` and `payload`", code="bad_value")
                continue
            title = self.template(b["title"], item["buttons"].loc_of(i), "button title", b.text_of("title"))
            if title and self.scalar(b["payload"], b.loc_of("payload"), "a button payload"):
                buttons.append((title, str(b["payload"])))
        return Step(**{**step.__dict__, "buttons": tuple(buttons)}) if step else None

    def step_confirm(self, base, value, vloc, item):
        step = self._text_step(base, value, vloc, "confirm", item)
        return Step(**{**step.__dict__, "target": item.get("on_no", END)})

    def step_handoff(self, base, value, vloc, item):
        return self._text_step(base, value, vloc, "handoff", item)

    def step_end(self, base, value, vloc, item):
        return self._text_step(base, value, vloc, "end", item)

    def step_resume(self, base, value, vloc, item):
        return Step(**base)

    step_cancel_previous = step_resume

    def step_action(self, base, value, vloc, item):
        if not isinstance(value, str):
            self.problem(vloc, "action names one store action, e.g. `action: get_order_details`", code="bad_type")
            return None
        args = self.expr_map(item.get("args") or LocDict(), item.loc_of("args"), f"args of {value}")
        on_error = item.get("on_error")
        return Step(**base, action=value, args=args, result=item.get("result"),
                    on_error=None if on_error is None else str(on_error))

    def expr_map(self, raw: Any, where: tuple[int, int], what: str) -> tuple[tuple[str, Expr], ...]:
        if not isinstance(raw, LocDict):
            self.problem(where, f"{what} must be a mapping of name to expression", code="bad_type")
            return ()
        out = []
        for key, source in raw.items():
            source = "null" if source is None else source
            if isinstance(source, (list, dict)):
                self.problem(raw.loc_of(key), f"{what}: {key} must be an expression, not a YAML list or mapping",
                             "write lists as [a, b] inside quotes", code="bad_type")
                continue
            expr = self.expr(source if not isinstance(source, bool) else str(source).lower(), raw.loc_of(key),
                             f"{what}.{key}")
            if expr:
                out.append((key, expr))
        return tuple(out)

    def step_set(self, base, value, vloc, item):
        return Step(**base, values=self.expr_map(value, vloc, "set"))

    def step_call(self, base, value, vloc, item):
        if not isinstance(value, str):
            self.problem(vloc, "call names one flow, e.g. `call: authenticate`", code="bad_type")
            return None
        return Step(**base, flow=value)

    def step_goto(self, base, value, vloc, item):
        return Step(**base, target=str(value))

    def step_branch(self, base, value, vloc, item):
        if not isinstance(value, LocList) or not value:
            self.problem(vloc, "branch needs a list of `- if: <condition>` / `goto: <step id>` and an optional `- else:`",
                         code="bad_branch")
            return None
        cases, default = [], None
        for i, case in enumerate(value):
            where = value.loc_of(i)
            if isinstance(case, LocDict) and "else" in case:
                if self.scalar(case["else"], case.loc_of("else"), "a branch's else"):
                    default = str(case["else"])
            elif isinstance(case, LocDict) and "if" in case and "goto" in case:
                cond = self.expr(case["if"], case.loc_of("if"), "branch condition")
                if cond and self.scalar(case["goto"], case.loc_of("goto"), "a branch's goto"):
                    cases.append((cond, str(case["goto"])))
            else:
                self.problem(where, "each branch case needs `if` and `goto` (or is `else: <step id>`)", code="bad_branch")
        return Step(**base, cases=tuple(cases), default=default)


def iter_flow_files(flows_dir: Path) -> Iterable[Path]:
    return sorted(p for p in flows_dir.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def parse_flow_files(flows_dir: Path, root: Path | None = None) -> tuple[list[Flow], list[Problem]]:
    """Parse every flow file (and the project's flows/scales/ table); return the flows that parsed
    and all problems found."""
    scales, problems = project_scales(flows_dir, root)
    flows = []
    for path in iter_flow_files(flows_dir):
        display = display_path(path, root)
        parser = _FileParser(path, display, scales)
        flow = parser.parse()
        problems.extend(parser.problems)
        if flow:
            flows.append(flow)
    return flows, problems


def load_flows(flows_dir: Path | str, *, root: Path | None = None, strict: bool = True,
               actions: dict | None = None, checks: dict | None = None) -> FlowSet:
    """Load and validate all flows; raise FlowLoadError with every error when `strict`."""
    from .analysis import analyse

    flows_dir = Path(flows_dir)
    root = root or flows_dir.parent
    if not flows_dir.is_dir():
        raise FlowLoadError([Problem(str(flows_dir), 1, 1, "flows folder not found", code="missing_folder")])
    flows, problems = parse_flow_files(flows_dir, root)
    problems += analyse(flows, actions=actions, checks=checks)
    errors = [p for p in problems if p.severity == "error"]
    if errors and strict:
        raise FlowLoadError(problems)
    return FlowSet({f.id: f for f in flows}, warnings=[p for p in problems if p.severity == "warning"])
