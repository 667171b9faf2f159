"""Which retrieved passages the Answerer asks first for the fact that answers, and which only after.

Retrieval ranks passages by the words and meaning they share with the whole message. The rule that decides may share
few of them: "if I cancel an order I paid w paypal the money goes to a gift card?" ranks five refund-time bullets
above "the total is refunded to the original payment method", the only fact saying where the money goes; "already
swapped the size, can I change the address now?" ranks the rules on changing an address above "After its items are
changed, ... cannot be changed". So every policy and FAQ passage is kept, the ones past the best `k` marked `beyond`
(answerer.py asks them first only when they decide by what the shopper says of their order, else last).
"""
from __future__ import annotations

from dataclasses import replace

from engine.knowledge import Hit, Retriever

RETRIEVE_K = 12  # passages searched for the fact that answers; the best top_k of them go in the prompt


def ranked(retriever: Retriever, question: str, k: int, terms: str = "") -> list[Hit]:
    """The best `k` passages, then every other policy and FAQ passage, marked `beyond`."""
    hits = retriever.search(question, k=len(retriever.passages), terms=terms)
    return hits[:k] + [replace(h, beyond=True) for h in hits[k:] if h.passage.source != "catalogue"]


def with_asked(hits: list[Hit], found: list[Hit]) -> list[Hit]:
    """`hits` of a whole message with `found`, those of the part that asks ("Returns can go to a gift card, so when I
    cancel ...?"), counted among the best whatever the whole message ranks them."""
    seen, ids = {h.passage.id for h in hits}, {h.passage.id for h in found}
    return [replace(h, beyond=False) for h in hits if not h.beyond or h.passage.id in ids] + \
        [h for h in found if h.passage.id not in seen] + [h for h in hits if h.beyond and h.passage.id not in ids]
