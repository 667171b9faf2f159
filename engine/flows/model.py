"""The flow data model: what a designer's YAML becomes once it has been checked.

Plain frozen dataclasses with no engine logic, so tools (validate, graph, schema) and the
state machine share one picture of a flow. Every element keeps its `Loc` for error messages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .expr import Expr
from .problems import Loc
from .template import Template

SLOT_TYPES = (
    "text", "number", "boolean", "choice", "email", "zip", "person_name", "order_id",
    "items", "variants", "variant", "product", "payment_method", "address",
)
# What a slot's `display:` template may read for each candidate, by slot type (every kind has `title`,
# the default button text). engine/slots/candidates.py fills exactly these; validate checks templates.
CANDIDATE_FIELDS: dict[str, frozenset[str]] = {
    "order_id": frozenset({"title", "order_id", "status", "items", "count", "total", "city", "position"}),
    "items": frozenset({"title", "name", "options", "price", "item_id"}),
    "variants": frozenset({"title", "name", "options", "price", "item_id", "available", "current"}),
    "variant": frozenset({"title", "name", "options", "price", "item_id", "available", "current"}),
    "payment_method": frozenset({"title", "id", "source", "brand", "last_four", "balance", "original"}),
    "address": frozenset({"title", "address1", "address2", "city", "state", "zip", "country", "default",
                          "orders"}),
}
# What a slot's `clarify:` template may read besides the flow's own names.
CLARIFY_FIELDS = frozenset({"reason", "options", "count"})
StepKind = Literal["collect", "say", "action", "branch", "confirm", "set", "call",
                   "handoff", "end", "goto", "resume", "cancel_previous"]
END = "end"  # a goto/branch target that ends the flow


@dataclass(frozen=True)
class ChoiceDef:
    value: Any
    title: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparative:
    """Words that compare option values along one dimension ("bigger", "less bright", "cheapest").

    `up`/`down` are base words (big, bright / small, dim): their -er/-est forms and "more/less/most/
    least <word>" are recognised. `options` are the option names the dimension covers, most specific
    first; `price` compares prices instead of options."""

    name: str
    options: tuple[str, ...] = ()
    up: tuple[str, ...] = ()
    down: tuple[str, ...] = ()
    price: bool = False


@dataclass(frozen=True)
class Scales:
    """A designer's ordering table: `orders` are option values lowest first (an option whose values
    all appear in one list is ordered by it, before numbers parsed from the values); `comparatives`
    extend or replace the built-in dimensions by name. Built-in defaults: engine/slots/scales.yaml."""

    orders: tuple[tuple[str, ...], ...] = ()
    comparatives: tuple[Comparative, ...] = ()
    loc: Loc | None = field(default=None, compare=False)

    def over(self, base: "Scales | None") -> "Scales":
        """This table first, then `base` (a slot's lists before the project's)."""
        if base is None:
            return self
        names = {c.name for c in self.comparatives}
        return Scales(self.orders + base.orders,
                      self.comparatives + tuple(c for c in base.comparatives if c.name not in names), self.loc)


@dataclass(frozen=True)
class SlotDef:
    """A value the flow collects or sets. Validation runs in the order: type, pattern, range,
    choices, named store check; the first failure's message is shown (not the whole prompt)."""

    name: str
    type: str
    loc: Loc
    prompts: tuple[Template, ...] = ()
    error: Template | None = None
    pattern: str | None = None
    min: float | None = None
    max: float | None = None
    choices: tuple[ChoiceDef, ...] = ()
    check: str | None = None
    of: str | None = None          # items/variants: the slot holding the order id / the items
    multiple: bool = False
    filter: Expr | None = None     # payment_method: keep choices where the expression is true
    max_attempts: int = 3
    on_fail: Literal["handoff", "end"] = "handoff"
    carry: Literal["reuse", "offer", "none"] = "none"
    protected: bool = False        # only actions and `set` may fill it, never the shopper
    description: str = ""
    display: Template | None = None   # a candidate's button title; names: engine.slots.candidates.FIELDS
    clarify: Template | None = None   # the question when an answer fits several candidates (or none)
    scales: Scales | None = None      # orderings for comparatives: the slot's own, then the project's
    offer_current: bool = False       # variants: the option the item has now may be chosen again


@dataclass(frozen=True)
class Step:
    """One step. Fields unused by a kind stay empty; `loader.STEP_KEYS` lists each kind's keys."""

    id: str
    kind: StepKind
    loc: Loc
    slot: str | None = None                        # collect
    text: Template | None = None                   # say, confirm, handoff, end
    buttons: tuple[tuple[Template, str], ...] = ()  # say: (title, payload)
    action: str | None = None                      # action
    args: tuple[tuple[str, Expr], ...] = ()        # action
    result: str | None = None                      # action: name the result is stored under
    on_error: str | None = None                    # action: step id (or "end") after a rejection
    cases: tuple[tuple[Expr, str], ...] = ()       # branch: (condition, goto)
    default: str | None = None                     # branch: else target (None: next step)
    values: tuple[tuple[str, Expr], ...] = ()      # set
    flow: str | None = None                        # call
    target: str | None = None                      # goto; confirm: where "no" goes
    ask_again: bool = False                        # collect: ask even when the slot is filled

    @property
    def reads(self) -> frozenset[str]:
        """Names this step reads: what makes it replay after a correction."""
        names: set[str] = set()
        if self.kind == "collect" and self.slot:
            names.add(self.slot)
        if self.text is not None:
            names |= self.text.names
        for _, expr in (*self.args, *self.values):
            names |= expr.names
        for cond, _ in self.cases:
            names |= cond.names
        for title, _ in self.buttons:
            names |= title.names
        return frozenset(names)

    @property
    def writes(self) -> frozenset[str]:
        if self.kind == "collect" and self.slot:
            return frozenset({self.slot})
        if self.kind == "action" and self.result:
            return frozenset({self.result})
        if self.kind == "set":
            return frozenset(name for name, _ in self.values)
        return frozenset()


@dataclass(frozen=True)
class Flow:
    id: str
    description: str
    loc: Loc
    intents: tuple[str, ...]
    slots: dict[str, SlotDef]
    steps: tuple[Step, ...]
    title: str = ""
    pattern: bool = False           # a conversation-repair flow (id starts with "pattern_")
    button: bool = True             # offered in "what can you do" lists
    intents_loc: Loc | None = field(default=None, compare=False)  # where `intents:` was written

    def index_of(self, step_id: str) -> int:
        for i, step in enumerate(self.steps):
            if step.id == step_id:
                return i
        raise KeyError(step_id)

    @property
    def display(self) -> str:
        return self.title or self.description or self.id.replace("_", " ")


@dataclass
class FlowSet:
    """All flows of a project, by id, plus which flow each intent starts."""

    flows: dict[str, Flow] = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def by_intent(self, intent: str) -> Flow | None:
        for flow in self.flows.values():
            if intent in flow.intents or intent == flow.id:
                return flow
        return None

    def slot_def(self, name: str, flow_id: str | None = None) -> SlotDef | None:
        """A slot's definition, preferring the given flow's own."""
        if flow_id and flow_id in self.flows and name in self.flows[flow_id].slots:
            return self.flows[flow_id].slots[name]
        for flow in self.flows.values():
            if name in flow.slots:
                return flow.slots[name]
        return None

    def catalog(self) -> list[dict[str, str]]:
        """What the assistant can do: user-facing flows with a trigger payload for buttons."""
        return [
            {"id": f.id, "description": f.description, "title": f.display, "payload": f"/{f.intents[0] if f.intents else f.id}"}
            for f in self.flows.values() if not f.pattern and f.button and f.intents
        ]
