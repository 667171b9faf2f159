"""What extractors find in an utterance, and the context they are given.

Deterministic extractors (regexes, catalogue look-ups) and the spaCy layer both return
`Entity` objects, so the dialogue engine fills slots the same way whoever found the value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

# Entity types the engine understands. A slot of type X is filled from entities of type X.
ENTITY_TYPES = (
    "order_id",        # "#W2378156" (value normalised to "#W" + 7 digits)
    "email",           # lower-cased
    "zip",             # 5 digits
    "first_name", "last_name", "person_name",  # person_name value: {"first_name", "last_name"}
    "number", "money", "quantity", "ordinal",  # ordinal value: 1-based int ("the second one" -> 2)
    "boolean",         # yes/no answers: True / False
    "product",         # value: product_id
    "option",          # value: {"name": option name, "value": option value} from the catalogue
    "item",            # value: item_id of an item in the order being discussed
    "payment_method",  # value: payment method id of the authenticated user, or {"source": ...}
    "reason",          # cancellation reason: "no longer needed" | "ordered by mistake"
    "address",         # value: {"address1", "address2", "city", "state", "country", "zip"}
    "text",            # free text
)


@dataclass(frozen=True)
class Entity:
    type: str
    value: Any
    start: int = -1
    end: int = -1
    text: str = ""
    confidence: float = 1.0
    extractor: str = "regex"


@dataclass
class ExtractContext:
    """What the conversation knows that helps resolve references.

    `order` is the order being discussed (for "the keyboard", "the second one");
    `user` the authenticated user's details (for "my gift card", "the visa");
    `expecting_type` the slot type being asked for (an answer "5" means a number only then).
    """

    expecting_slot: str | None = None
    expecting_type: str | None = None
    choices: list[Any] | None = None
    order: dict[str, Any] | None = None
    user: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Extractor(Protocol):
    """Anything that finds entities in text. Must never raise on odd input (emoji, 100 KB)."""

    def extract(self, text: str, ctx: ExtractContext) -> list[Entity]: ...
