"""The load bench's free-text mix: what a shopper types, so every turn goes through the router's model or the
slot-answer rules, names go through spaCy, and open questions through the generator.

The button mix (bench/load_bench.py) never touches any of them; its figure is the service's floor, this
mix's is what typed conversations cost. `turn_kind` reads from each reply how the turn was answered, so the
figure says how many generator answers it contains rather than assuming it.
"""
from __future__ import annotations

SIGN_IN = ["hi, I'd like to return something from order #W2378156", "name and zip code", "Yusuf Rossi", "19122"]
QUESTIONS = ["what time zone are order times in?", "how long does a refund take to reach my credit card?",
             "what colors does the backpack come in?", "how much is a yoga mat?"]
CYCLE = ["the first one", "back to my credit card please", "actually never mind", None,
         "i want to return something from order #W2378156"]
# what the engine asks for after each turn: proof that router and spaCy ran the flow (None: no flow active)
EXPECTED_SLOTS = ["auth_method", "name", "zip", "return_item_ids", "refund_method", "confirmation", None, None,
                  "return_item_ids"]


def free_turn(n: int, conversation: int = 0) -> str:
    """Turn n of a free-text conversation; conversations ask different open questions."""
    if n < len(SIGN_IN):
        return SIGN_IN[n]
    k = n - len(SIGN_IN)
    step = CYCLE[k % len(CYCLE)]
    return step or QUESTIONS[(conversation + k // len(CYCLE)) % len(QUESTIONS)]


def turn_kind(turn: dict) -> str:
    """How a turn was answered: `generated` (the model's wording, checked and kept), `quoted` (a passage where
    model wording was wanted: the check, the deadline or a backend error replaced it), `classifier` (the
    router's model chose a flow or repair), or `rules` (slot answers, triggers, the rest)."""
    sources = {m.get("source") for m in turn.get("messages", [])}
    if "generator" in sources:
        return "generated"
    if sources & {"policy", "faq", "catalogue"}:
        return "quoted"
    if (turn.get("route") or {}).get("decided_by") in ("classifier", "threshold"):
        return "classifier"
    return "rules"
