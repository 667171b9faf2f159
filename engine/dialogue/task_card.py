"""Which card a running task will use, asked inside it.

Train 497 (language-model shopper): at an exchange's confirmation, "I wanted to use my credit card, the one on
file as credit_card_5869505. Is that the Mastercard ending 6380?" started "Change an order's payment method" on
top of the exchange, for a delivered order it could never change; three corrections later the shopper was still
in it. The exchange holds the answer itself: the card its payment slot took. A task whose flow has a slot of type
`payment_method` answers such questions from that slot, and a message about that card is never another task.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..slots.cues import ORDER_NUMBER
from ..slots.types import SlotEnv
from . import task_money as m
from .task_cues import is_question, normalize

if TYPE_CHECKING:
    from .context import TurnContext

# a payment method named: its kind, its brand, its id, "ending 1234"
_METHOD = re.compile(r"\b(?:card|cards|visa|mastercard|master\s*card|amex|american express|discover|paypal|"
                     r"gift\s*card|payment method|payment|ending\s+(?:in\s+)?\d{4}|"
                     r"(?:credit_card|gift_card|paypal)_\d+)\b")
OTHER_ORDER = re.compile(r"\b(?:other|another|different|second|next|new)\s+(?:pending\s+)?order\b")


def task_pay_slot(ctx: TurnContext) -> str | None:
    """The slot of type `payment_method` of a running task on an order (the card it charges or refunds); a purchase
    has none: its card question is the purchase's own."""
    frame = ctx.task_frame()
    slots = ctx.flow(frame).slots if frame else {}
    return next((s.name for s in slots.values() if s.type == "payment_method"), None) if "order_id" in slots else None


def _named_methods(low: str, env: SlotEnv) -> list[str]:
    """The shopper's payment methods the message names by id or by the last four digits."""
    methods = (env.user() or {}).get("payment_methods") or {}
    return [mid for mid, meth in methods.items()
            if mid.lower() in low or (meth.get("last_four") and re.search(rf"\b{meth['last_four']}\b", low))]


def about_task_card(text: str, values: Mapping[str, Any], pay_slot: str | None) -> bool:
    """Whether a message speaks of the payment method of the running task (`pay_slot`, its `payment_method`
    slot) rather than asking to change another order's: it names a card and no other order than the task's."""
    if pay_slot is None:
        return False
    return bool(_METHOD.search(normalize(text))) and not names_another_order(text, values.get("order_id"))


def names_another_order(text: str, own: Any) -> bool:
    """Whether a message speaks of an order other than the task's `own`: "my other order", or another number."""
    low = normalize(text)
    return bool(OTHER_ORDER.search(low)) or bool(set(ORDER_NUMBER.findall(low)) - {str(own or "").lstrip("#W")})


def task_card_answer(text: str, env: SlotEnv, flow_id: str | None, values: Mapping[str, Any],
                     pay_slot: str | None) -> str | None:
    """The answer to "is that the Mastercard ending 6380?", "which card will you use?" inside a task with a
    payment slot, or "I want to use credit_card_5869505" when the task already does: what each card named is, and
    which one the task uses (or that it will ask). None for anything else ("use my Visa instead" corrects)."""
    if not about_task_card(text, values, pay_slot) or env.user() is None:
        return None
    low = normalize(text)
    named, chosen = _named_methods(low, env), values.get(str(pay_slot))
    if not is_question(text) and not (chosen and chosen in named):  # "use my Visa instead": a correction
        return None
    lines = [f"{mid} is {m.method_phrase(env, mid)}." for mid in named]
    if chosen:
        what = "Any price difference goes through" if flow_id in m.SWAP_SLOTS else "The payment method for this is"
        # its id only for a shopper who speaks in ids ("is that credit_card_5869505?"): to others it is a code
        said_id = f" ({chosen})" if re.search(r"\b[a-z]+(?:_[a-z]+)*_\d{4,}\b", low) else ""
        lines.append(f"{what} {m.method_phrase(env, chosen)}{said_id}.")
        if named and chosen not in named:
            lines.append("If you'd rather use another one, tell me which.")
    else:
        lines.append("I'll ask which one to use before anything is done.")
    return " ".join(lines)
