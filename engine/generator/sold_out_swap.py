"""An exchange or change of one's item to options the catalogue has none of available ("my yoga mat arrived ...
could I exchange it for a natural rubber one?"): the rule allows only an available item of the same product, so
whether that item is available is the answer, said from the catalogue with what there is instead, before the rule.

Read before the fact ranking, which took the option value for another product ("exchange it for a ... one") and
quoted the rule against changing the product type.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.knowledge.subjects import acts

from .catalogue_phrasing import none_available
from .catalogue_values import mentioned_values, yes_no_keys
from .fact_text import Fact
from .recommend import find_product

# the swap and what the item would become ("exchange it for a natural rubber one", "change the size to XL")
SWAP = re.compile(r"\b(exchang\w*|swap\w*|chang\w*|switch\w*|replac\w*)\b[^.?!]{0,40}?\b(for|to|into|with)\s+"
                  r"(?P<target>[^.?!]+)", re.I)


@dataclass(frozen=True)
class SoldOutSwap:
    text: str     # the availability, with what there is instead
    product: str
    action: str   # the action the swap is worded as: "exchange" or "change"


def sold_out_swap(question: str, catalogue: dict) -> SoldOutSwap | None:
    """The swap `question` asks of its named product to option values no available variant has; None otherwise (an
    available target is the ordinary rule's answer)."""
    found = find_product(question, catalogue)
    asks = [m for m in SWAP.finditer(question)]
    if found is None or not asks:
        return None
    variants = list(catalogue[found[0]]["variants"].values())
    m = asks[-1]
    wanted = mentioned_values(m.group("target"), variants)
    if not wanted:
        return None
    chosen = [v for v in variants if all(str(v["options"].get(k)) in vals for k, vals in wanted.items())]
    if any(v.get("available") for v in chosen):
        return None
    keys = list(dict.fromkeys(k for v in variants for k in v["options"]))
    flags = yes_no_keys({k: {str(v["options"][k]) for v in variants if k in v["options"]} for k in keys})
    action = "exchange" if m.group(1).lower().startswith(("exchang", "swap", "replac")) else "change"
    return SoldOutSwap(none_available(found[1], wanted, flags, chosen, variants), found[1], action)


# the rule naming what an item may become ("Each item can be exchanged for an available item of the same product ...")
AVAILABLE_RULE = re.compile(r"\bavailable item of the same product\b", re.I)


def swap_rule(facts: list[Fact], action: str) -> Fact | None:
    """The policy's rule on what an item may be `action`d to: an available item of the same product."""
    return next((f for f in facts if f.passage.source == "policy" and AVAILABLE_RULE.search(f.text)
                 and action in acts(f.text)), None)
