"""JSON Schemas (draft 2020-12) for flow, intent and scales files, built from `flows.keys`.

Editors with yaml-language-server complete and check a file as the designer types once it starts
with `# yaml-language-server: $schema=../schemas/flow.schema.json`. The schema is generated from
the loader's own key table, so it accepts exactly what the loader accepts (the loader still checks
what a schema cannot: references, reachability, confirmation before writes).
"""
from __future__ import annotations

from typing import Any

from .keys import (BARE_STEPS, COMPARATIVE_FIELDS, FLOW_FIELDS, FLOW_REQUIRED, INTENT_FIELDS, INTENT_REQUIRED,
                   SCALES_FIELDS, SLOT_FIELDS, SLOT_REQUIRED, STEP_FIELDS, STEP_ID, Key)

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _object(fields: dict[str, Key], required: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "additionalProperties": False,
            "properties": {name: key.json_schema() for name, key in fields.items()}, **extra}


def flow_schema() -> dict[str, Any]:
    steps = {kind: _object({**fields, "id": STEP_ID}, (kind,), title=f"{kind} step")
             for kind, fields in STEP_FIELDS.items()}
    step = {"oneOf": [{"enum": list(BARE_STEPS), "description": "A step written as a plain word."},
                      *({"$ref": f"#/$defs/{kind}_step"} for kind in STEP_FIELDS)]}
    return {
        "$schema": DIALECT, "title": "shoptalk flow",
        "description": "One conversation flow (flows/*.yaml); see docs/flows.md.",
        **_object(FLOW_FIELDS, FLOW_REQUIRED),
        "$defs": {"slot": _object(SLOT_FIELDS, SLOT_REQUIRED, title="slot"), "step": step,
                  **{f"{kind}_step": s for kind, s in steps.items()}},
    }


def intent_schema(labels: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A file holds one `intent:` entry or a list of them; `labels` are the router's known intents."""
    fields = dict(INTENT_FIELDS)
    if labels:
        fields["intent"] = Key(fields["intent"].types, fields["intent"].doc, {"enum": list(labels)})
    return {
        "$schema": DIALECT, "title": "shoptalk intent examples",
        "description": "Router training examples (intents/*.yaml).",
        "oneOf": [{"$ref": "#/$defs/entry"}, {"type": "array", "items": {"$ref": "#/$defs/entry"}}],
        "$defs": {"entry": _object(fields, INTENT_REQUIRED, title="intent")},
    }


def scales_schema() -> dict[str, Any]:
    """A project's ordering table, flows/scales/*.yaml (the same shape as engine/slots/scales.yaml)."""
    return {
        "$schema": DIALECT, "title": "shoptalk scales",
        "description": "Orderings of option values and comparative words (flows/scales/*.yaml); see docs/flows.md.",
        **_object(SCALES_FIELDS, ()),
        "$defs": {"comparative": _object(COMPARATIVE_FIELDS, (), title="comparative")},
    }


def router_labels() -> tuple[str, ...] | None:
    try:
        from ..router.intent_data import ROUTER_LABELS
    except ImportError:  # router not installed: any intent name
        return None
    return tuple(ROUTER_LABELS)


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, as `shoptalk schema` writes them."""
    return {"flow.schema.json": flow_schema(), "intent.schema.json": intent_schema(router_labels()),
            "scales.schema.json": scales_schema()}
