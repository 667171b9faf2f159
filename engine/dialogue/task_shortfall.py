"""A question asked while a gift card falls short of an item swap's price difference, answered from the task.

Train 314: the gift card was $0.82 short of a kettle's difference, and at the payment question the shopper
asked "is there no way to do the white one with it?". The question named no topic the task questions know,
so it went to the open-question lane, which quoted an unrelated catalogue passage. Such a question is about
this task: how far the card is short, whether another method on the account can pay, and which options of
the item, keeping what the shopper asked for, the card does cover (as buttons that change the pick). The
figures come from `task_money.swap`, priced as the store policy will price the change.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..contracts import Button
from ..slots.candidates import describe_options
from ..slots.types import SlotEnv
from ..store import policy
from . import task_money as m

# Words of a question about paying for the swap: "with it", "any way", "can the card cover it", "cheaper".
ABOUT_PAYING = re.compile(r"\b(?:with\s+(?:it|that|this|the\s+(?:gift\s+)?card|my\s+(?:gift\s+)?card)|ways?|pay\w*|"
                          r"card|balance|cover\w*|enough|afford\w*|short|cost\w*|cheaper|work|fit|options?|"
                          r"charge\w*|money|left|spare|remaining)\b")
# A question about the card itself, answered so even when it names a topic ("how much more than my card?")
ABOUT_THE_CARD = re.compile(r"\b(?:gift\s*card|balance|cover\w*|enough|short|afford\w*|with\s+(?:it|that))\b")
_MAX_FITS = 6


def shortfall_answer(low: str, env: SlotEnv, flow_id: str | None,
                     values: Mapping[str, Any]) -> tuple[str, list[Button]] | None:
    """(answer, buttons) for a question about paying an item swap that a gift card on the account can't
    cover (`low`: the normalised question); None when the question is not about paying, no payment is
    open, or no gift card falls short (the other task questions, or the open-question lane, answer)."""
    if not ABOUT_PAYING.search(low):
        return None
    found = shortfall(env, flow_id, values)
    if found is None:
        return None
    head, options, buttons = found
    return f"{head} {options}", buttons


def cannot_cover(flow_id: str | None, env: SlotEnv, slot: str, method_id: Any,
                 options_named: bool | None = None) -> str | None:
    """Why a gift card can't pay what this flow charges ("Your gift card has $17.00 left, which doesn't cover
    the $26.66 you'd pay."), said when the card is picked rather than refused after the shopper's yes. When no
    method can pay, the ways on follow; `options_named` says whether the caller names the covered options next
    (None: find out here)."""
    due = m.amount_charged(flow_id, env.values, env)
    method = ((env.user() or {}).get("payment_methods") or {}).get(str(method_id))
    if due is None or due[0] != slot or not m.short_of(method, due[1]):
        return None
    balance = float(method.get("balance", 0.0))
    text = f"Your gift card has {policy.fmt(balance)} left, which doesn't cover the {policy.fmt(due[1])} you'd pay."
    if not m.payers(flow_id, env, slot):
        if options_named is None:
            options_named = covered_options(env, flow_id, {**env.values, slot: None}) is not None
        text += " " + m.no_payer(flow_id, options_named)
    return text


def covered_options(env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> tuple[str, list[Button]] | None:
    """(the item's options a short gift card does cover, said with "pick one of them instead", and those options as
    buttons) when no method can pay an item swap's difference; None when no option fits (nothing to name)."""
    found = shortfall(env, flow_id, values)
    return (found[1], found[2]) if found is not None and found[2] else None


def shortfall(env: SlotEnv, flow_id: str | None, values: Mapping[str, Any]) -> tuple[str, str, list[Button]] | None:
    """(what the gift card lacks, which of the item's options it does cover, those options as buttons) for an item
    swap whose price difference a gift card on the account can't pay; None otherwise."""
    if flow_id not in m.SWAP_SLOTS:
        return None
    _, new_slot, pay_slot = m.SWAP_SLOTS[flow_id]
    if values.get(pay_slot):
        return None  # a method was taken, so it covers the difference (a short card is refused)
    priced = m.swap(env, flow_id, {**values, pay_slot: None})
    if priced is None or priced.diff <= 0:
        return None
    methods = _methods(env)
    short = [x for x in methods if policy.is_gift_card(x) and x.get("balance", 0.0) < priced.diff]
    if not short:
        return None
    balance = float(max(short, key=lambda x: x.get("balance", 0.0)).get("balance", 0.0))
    wanted = m.join_words([f"the {old['name']} in {describe_options(new['options'])}" for old, new in priced.pairs])
    had = m.join_words([f"your {describe_options(old['options'])} one" for old, _ in priced.pairs])
    text = (f"{wanted[0].upper()}{wanted[1:]} costs {policy.fmt(priced.diff)} more than {had}, and your gift card "
            f"has {policy.fmt(balance)}: {policy.fmt(priced.diff - balance)} short.")
    payers = [x for x in methods if not policy.is_gift_card(x) or x.get("balance", 0.0) >= priced.diff]
    text += (f" You could pay the difference with {m.join_words([m.method_phrase(env, x['id']) for x in payers])}."
             if payers else " " + m.NO_PAYER)
    lines, buttons = [], []
    new_ids = m.ids(values.get(new_slot))
    for k, (old, new) in enumerate(priced.pairs):
        budget = balance - (priced.diff - (new["price"] - old["price"]))  # what this item's change may add
        fits = _fits(env, old, new, budget)
        label = m.join_words(sorted(str(v) for key, v in new["options"].items() if old["options"].get(key) != v))
        what = f"{label} {old['name']} options" if label else f"{old['name']} options"
        if not fits:
            lines.append(f"No other {what} fit the card's balance.")
            continue
        lines.append(f"{what[0].upper()}{what[1:]} your gift card covers: " + "; ".join(
            f"{describe_options(v['options'])} ({policy.fmt(v['price'])}, {_more(v['price'] - old['price'])})"
            for v in fits) + ".")
        for v in fits:
            pick = [v["item_id"] if i == k else x for i, x in enumerate(new_ids)]
            buttons.append(Button(title=f"{describe_options(v['options'])} ({policy.fmt(v['price'])})",
                                  payload="/inform" + json.dumps({new_slot: pick})))
    options = " ".join(lines) + (" Pick one of them instead, or say stop." if buttons else " You can pick other items or say stop.")
    return text, options, buttons


def _fits(env: SlotEnv, old: Mapping[str, Any], new: Mapping[str, Any], budget: float) -> list[dict]:
    """Available options of the item's product, other than the one it has and the one wished, keeping
    every value the wished one changes and costing at most `budget` more: closest to the wish first."""
    product = env.product(old["product_id"]) or {}
    keep = {k: v for k, v in new["options"].items() if old["options"].get(k) != v}
    out = [v for v in (product.get("variants") or {}).values()
           if v.get("available") and v["item_id"] not in (old["item_id"], new["item_id"])
           and all(v["options"].get(k) == x for k, x in keep.items()) and v["price"] - old["price"] <= budget + 1e-9]
    same = lambda v: sum(v["options"].get(k) == x for k, x in new["options"].items())  # noqa: E731
    return sorted(out, key=lambda v: (-same(v), -v["price"]))[:_MAX_FITS]


def _more(delta: float) -> str:
    if not delta:
        return "the same price"
    return f"{policy.fmt(delta)} more" if delta > 0 else f"{policy.fmt(delta)} back"


def balance_answer(low: str, env: SlotEnv) -> str:
    """"it really only has $37 on it?": the balance of each gift card on the account, as the store holds it
    (the shopper was told a figure and doubts it; the store's figure, not a policy quote, answers). A figure
    the question states is confirmed or corrected ("Yes: ..." / "No: ...")."""
    cards = [float(x.get("balance", 0.0)) for x in _methods(env) if policy.is_gift_card(x)]
    if not cards:
        return "There is no gift card on your account."
    figure = re.search(r"\$\s?(\d[\d,]*(?:\.\d+)?)", low)
    lead = "" if figure is None else "Yes: " if any(abs(float(figure.group(1).replace(",", "")) - c) < 0.5
                                                    for c in cards) else "No: "
    held = f"your gift card has {policy.fmt(cards[0])} on it right now." if len(cards) == 1 else \
        "your gift cards have " + m.join_words([policy.fmt(c) for c in cards]) + " on them right now."
    return lead + held if lead else held[0].upper() + held[1:]


def _methods(env: SlotEnv) -> list[dict]:
    """The signed-in shopper's payment methods, as the store holds them."""
    return list(((env.user() or {}).get("payment_methods") or {}).values())
