"""A question about a return's refund asked inside another task, answered from the policy and the store.

Train 351: at the payment question of a change the gift card could not pay, the shopper asked "doesn't the
refund from my return go on it?". The card-shortfall answer repeated the refusal and the price breakdown;
the question is about another task, a return: its refund goes where the shopper chooses (the original
payment method or a gift card, knowledge/policy.md), a refund to a gift card is immediate (knowledge/faq.yaml),
and any return already requested says where its refund goes. The open question is then asked again.
"""
from __future__ import annotations

import re

from ..slots.candidates import describe_item
from ..slots.types import SlotEnv
from . import task_money as m

# "the refund from my return", "the money from returning the watch", "my return's refund"
RETURN_REFUND = re.compile(r"\b(?:refund|money|credit)\w*\b.{0,25}\b(?:(?:my|the|a|this|that)\s+return\b|returning\s+"
                           r"(?:the|my|it|this|that|them)\b|returned\s+(?:items?|it|them)\b)"
                           r"|\b(?:my|the|a|this|that)\s+return(?:'s)?\s+(?:refund|money|credit)")
POLICY = ("A return's refund goes where you choose when you make the return: back to the original payment method "
          "or to one of your gift cards. A refund to a gift card is immediate; to other methods it takes 5 to 7 "
          "business days.")


def return_refund_answer(low: str, env: SlotEnv, flow_id: str | None) -> str | None:
    """The answer to a question about a return's refund asked in another task (`low`: the normalised
    question); None when it is not one, or a return is the task (its own refund answer applies)."""
    if flow_id == "return_items" or env.user() is None or not RETURN_REFUND.search(low):
        return None
    orders = [o for o in (env.order(oid) for oid in (env.user() or {}).get("orders", [])) if o]
    returns = [o for o in orders if o.get("status") == "return requested"]
    lines = []
    for order in returns:
        items = {it["item_id"]: it for it in order.get("items") or []}
        names = m.join_words([describe_item(items[i]) for i in order.get("return_items") or [] if i in items])
        lines.append(f"Your return from order {order['order_id']}" + (f" ({names})" if names else "")
                     + f" is refunded to {m.method_phrase(env, order.get('return_payment_method_id'))}.")
    return " ".join([POLICY, *lines] if lines else [POLICY, "You have no return requested yet."])
