"""How a shopper says where a task's money goes back ("refund my paypal", "refund it to the original card"):
one list for the router's clause reading (engine/router/clauses.py) and the dialogue's several-task reading
(engine/dialogue/openings.py), which both keep such a part from counting as a task of its own. Plain strings,
no imports: the dialogue package loads without numpy."""
from __future__ import annotations

# what a refund goes back to: "my paypal", "the original card", "my gift card", "the payment method"
REFUND_METHOD = (r"(?:my|the)\s+(?:original\s+)?(?:card|credit\s+card|visa|mastercard|amex|paypal|gift\s*card|account|"
                 r"payment(?:\s+method)?)")
