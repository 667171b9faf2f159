"""The keys a flow file may use, with their JSON types and one-line meanings.

One table for two readers: the loader accepts exactly these keys and checks each value's type
against it, and `shoptalk schema` turns it into the JSON Schema editors use. A key added here is
both accepted and completed; a key missing here is neither.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import SLOT_TYPES

EXPR = ("string", "number", "boolean", "null")   # an expression: YAML scalars are read as source text
TEXT = ("string", "null")                        # a message template (null: no message)
IDENT = r"^[A-Za-z_][A-Za-z0-9_]*$"


@dataclass(frozen=True)
class Key:
    """One key: its JSON type(s), what it means, and extra JSON Schema keywords."""

    types: tuple[str, ...]
    doc: str
    schema: dict[str, Any] = field(default_factory=dict)

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.types[0] if len(self.types) == 1 else list(self.types),
                               "description": self.doc}
        return {**out, **self.schema}


def _k(types: str | tuple[str, ...], doc: str, **schema: Any) -> Key:
    return Key((types,) if isinstance(types, str) else types, doc, schema)


FLOW_FIELDS: dict[str, Key] = {
    "id": _k("string", "Unique flow id: letters, digits and _.", pattern=IDENT),
    "description": _k("string", "One sentence saying what the flow does."),
    "title": _k("string", 'Shown in "what can you do" lists.'),
    "intents": _k("array", "Router labels (or /intent triggers) that start this flow.", items={"type": "string"}),
    "slots": _k("object", "The values this flow collects or sets, by name.",
                additionalProperties={"$ref": "#/$defs/slot"}),
    "steps": _k("array", "What the flow does, in order.", minItems=1, items={"$ref": "#/$defs/step"}),
    "button": _k("boolean", 'Offered as a button in "what can you do" lists (default true).'),
}
FLOW_REQUIRED = ("id", "description", "steps")

_CHOICE = {"oneOf": [
    {"type": ["string", "number", "boolean"]},
    {"type": "object", "required": ["value"], "additionalProperties": False, "properties": {
        "value": {"type": ["string", "number", "boolean"]}, "title": {"type": "string"},
        "synonyms": {"type": "array", "items": {"type": "string"}}}},
]}

_SCALE = {"type": "array", "minItems": 2, "items": {"type": ["string", "number"]}}

SLOT_FIELDS: dict[str, Key] = {
    "type": _k("string", "What the slot holds.", enum=list(SLOT_TYPES)),
    "prompt": _k(("string", "array"), "Same as prompts.", items={"type": "string"}),
    "prompts": _k(("string", "array"), "Up to three wordings: 1st ask, after one failed answer, after two.",
                  items={"type": "string"}),
    "error": _k("string", "Shown after an invalid answer; {error} is the specific reason."),
    "pattern": _k("string", "A regular expression the answer must match."),
    "min": _k("number", "Smallest allowed number."),
    "max": _k("number", "Largest allowed number."),
    "choices": _k("array", "Allowed values of a choice slot.", items=_CHOICE),
    "check": _k("string", "A named store check (engine/store/checks.py)."),
    "of": _k("string", "items: the order slot; variants: the items slot; variant: the product slot."),
    "multiple": _k("boolean", "items: several items may be chosen."),
    "filter": _k(EXPR, "payment_method: keep the methods where this expression is true (`method` is each one)."),
    "max_attempts": _k("integer", "Failed answers before on_fail (default 3).", minimum=1),
    "on_fail": _k("string", "After max_attempts: hand off to a person or end the flow.", enum=["handoff", "end"]),
    "carry": _k("string", "reuse: never asked again once known; offer: offered as a button; none: cleared.",
                enum=["reuse", "offer", "none"]),
    "protected": _k("boolean", "Only actions and set: fill it, never the shopper's text or buttons."),
    "description": _k("string", "How the slot is named to the shopper (e.g. after too many attempts)."),
    "display": _k("string", "Button title of each candidate (order, item, option, payment method, address); "
                            "holes read the candidate's fields, e.g. \"{options} ({money(price)})\"."),
    "clarify": _k("string", "Asked when an answer fits several candidates or none: {reason} is the engine's "
                            "explanation, {options} the candidates, {count} how many."),
    "scales": _k("array", "Orderings for 'bigger', 'less bright'...: lists of option values, lowest first.",
                 items=_SCALE),
    "offer_current": _k("boolean", "variants: the option the item has now may be chosen again (shown as current)."),
}
SLOT_REQUIRED = ("type",)

# A project's scales file (flows/scales/*.yaml) and its comparatives; engine/slots/scales.yaml has the defaults.
COMPARATIVE_FIELDS: dict[str, Key] = {
    "options": _k("array", "Option names this dimension compares, most specific first.", items={"type": "string"}),
    "up": _k("array", "Base words for more of it (big, bright): -er/-est and more/most are understood.",
             items={"type": "string"}),
    "down": _k("array", "Base words for less of it (small, dim).", items={"type": "string"}),
    "price": _k("boolean", "Compare prices instead of option values."),
}
SCALES_FIELDS: dict[str, Key] = {
    "scales": _k("array", "Ordered option values, lowest first, used before numbers read from the values.",
                 items=_SCALE),
    "comparatives": _k("object", "Dimension name to the words that compare along it; replaces a built-in one of "
                                 "that name.", additionalProperties={"$ref": "#/$defs/comparative"}),
}

_BUTTON = {"type": "object", "required": ["title", "payload"], "additionalProperties": False,
           "properties": {"title": {"type": "string"}, "payload": {"type": "string"}}}
_CASE = {"oneOf": [
    {"type": "object", "required": ["if", "goto"], "additionalProperties": False,
     "properties": {"if": {"type": list(EXPR), "description": "A condition."},
                    "goto": {"type": "string", "description": "Step id (or end) to go to when it holds."}}},
    {"type": "object", "required": ["else"], "additionalProperties": False,
     "properties": {"else": {"type": "string", "description": "Step id (or end) when no case holds."}}},
]}
_EXPR_MAP = {"additionalProperties": {"type": list(EXPR)}}

# step kind -> its own key first, then the other keys it allows (every step may also have `id`)
STEP_FIELDS: dict[str, dict[str, Key]] = {
    "collect": {"collect": _k("string", "Ask for this slot unless it is already filled."),
                "ask_again": _k("boolean", "Ask even when the slot is filled.")},
    "say": {"say": _k(TEXT, "A message."),
            "buttons": _k("array", "Buttons under the message.", items=_BUTTON)},
    "action": {"action": _k("string", "A store action (engine/store/actions.py)."),
               "args": _k("object", "Arguments: name to expression.", **_EXPR_MAP),
               "result": _k("string", "Name the result is stored under.", pattern=IDENT),
               "on_error": _k("string", "Step id (or end) to go to when the store refuses; its reason is in error.")},
    "branch": {"branch": _k("array", "Cases `- if: <condition>` / `goto: <step id>`, then optionally `- else:`.",
                            minItems=1, items=_CASE)},
    "confirm": {"confirm": _k(TEXT, "List the details and wait for yes/no; a store write must follow one."),
                "on_no": _k("string", 'Step id to go to on "no" (default: cancel the flow).')},
    "set": {"set": _k("object", "Set slots: name to expression (null clears).", **_EXPR_MAP)},
    "call": {"call": _k("string", "Run another flow, then continue.")},
    "handoff": {"handoff": _k(TEXT, "End all flows and hand over to a person, with this reason.")},
    "end": {"end": _k(TEXT, "Finish the flow, with an optional message.")},
    "goto": {"goto": _k("string", "Jump to this step id.")},
    "resume": {"resume": _k(("null", "boolean"), "pattern_resume: go back to the interrupted flow.")},
    "cancel_previous": {"cancel_previous": _k(("null", "boolean"), "pattern_resume: drop the interrupted flow.")},
}
STEP_ID = _k("string", "The step's id, a target for goto, branch, on_no and on_error.")
BARE_STEPS = ("end", "resume", "cancel_previous")   # may be written as a plain word: `- end`

# The intent file format (read by engine/router/intent_data.py; tests check both agree).
INTENT_FIELDS: dict[str, Key] = {
    "intent": _k("string", "The router label these examples teach."),
    "examples": _k("array", "Example messages; annotate values as [text](entity_type).", minItems=1,
                   items={"type": "string", "minLength": 1}),
    "description": _k("string", "What the intent means, for other designers."),
}
INTENT_REQUIRED = ("intent", "examples")
