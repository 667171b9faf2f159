"""What an option pick kept or changed besides what the shopper named ("1.5L, glass" for a white kettle keeps
it white), said back at once so a silent pick never reaches the summary unnoticed."""
from __future__ import annotations

import re
from typing import Any

from ..flows.model import SlotDef
from ..slots.candidates import phrase_options
from .context import TurnContext
from .state import Frame


def _option_said(key: str, value: Any, name_only: bool = False) -> str:
    """An option in words: "the size L", "the color black" ("the size" with `name_only`, before "to M"); the
    value alone where the name lists the values ("bagged/bagless": "bagless", not "the bagged/bagless bagless")
    or the value says the name ("HEPA filter")."""
    if "/" in key or key.lower() in str(value).lower():
        return str(value)
    if not name_only and str(value).lower() in ("yes", "no"):  # "not waterproof", not "the waterproof no"
        return phrase_options({key: value})
    return f"the {key}" if name_only else f"the {key} {value}"


def _stated(text: str, key: str, value: Any, offered: list[dict]) -> bool:
    """Whether the shopper stated this option: its value or name said in any spelling ("750 ml" is
    "750ml", "10 inch" "10 inches"), or every option they picked among had it (they asked for it)."""
    from ..slots.normalize import option_pattern

    said = re.search(rf"(?<![\w.$#]){option_pattern(str(value))}(?![\w%]|\.\d)", text, re.I) if str(value) else None
    return bool(said) or key.lower()[:5] in text.lower() or bool(offered) and all(
        o.get(key) == value for o in offered)


def _read_as(text: str, slot: SlotDef, product: dict, item: dict, new: dict) -> set[str]:
    """The options the shopper's words gave the value now chosen, read as the option reader reads them
    (a value said in other words: "Large" for size L)."""
    from ..slots.candidates import variant_candidates
    from ..slots.option_constraints import read
    from ..slots.scales import table

    wanted = read(text, variant_candidates(product, item.get("item_id")), item, table(slot.scales))
    return {key for key, values in wanted.allowed.items() if new.get(key) in values}


def say_what_was_kept(ctx: TurnContext, frame: Frame, slot: SlotDef, text: str, before: list,
                      among: list | None = None) -> None:
    """"1.5L, glass" for a white kettle: the options not mentioned stay as they are, and the shopper is
    told so (with the choice still open) wherever another value was possible: never a silent pick.
    Options the shopper stated (in this reply, or by the offer they picked from: `among`) are not
    told back; after "everything else the same", only what another value was possible for."""
    from ..slots import cues
    from ..slots.types import current_variant_target

    env = ctx.env(frame)
    item, product = current_variant_target(slot, env, before)
    value = ctx.state.value(slot.name)
    chosen = (value[len(before)] if isinstance(value, list) and len(value) > len(before)
              else (frame.partial.get(slot.name) or [None])[-1])
    variants = (product or {}).get("variants", {})
    if not item or chosen not in variants:
        return
    new = variants[chosen]["options"]
    offered = [variants[v]["options"] for v in (a.get("value") if isinstance(a, dict) else a for a in among or [])
               if isinstance(v, str) and v in variants]
    same = cues.SAME.search(text) is not None
    kept, changed, only = [], [], []
    stated = {key for key in (item.get("options") or {}) if _stated(text, key, new.get(key, ""), offered)}
    stated |= _read_as(text, slot, product, item, new)  # "Large" is L, "not water resistant" "not resistant"
    # another available variant with what was stated differs in what was not: keeping it was a choice
    # (not when the shopper picked from an offer: the pick states them)
    elsewhere = not offered and any(v.get("available") and v["options"] != new and all(v["options"].get(k) == new.get(k) for k in stated)
                    for v in variants.values())
    for key, have in (item.get("options") or {}).items():
        if key in stated:
            continue
        if new.get(key) != have:  # a change the shopper did not name: the only option that fits makes it
            changed.append(f"{_option_said(key, have, name_only=True)} to {new.get(key)}")
            continue
        others = [v for v in variants.values() if v.get("available") and v["options"].get(key) != have
                  and all(v["options"].get(k) == x for k, x in new.items() if k != key)]
        (kept if others or elsewhere else only).append(_option_said(key, have))
    if only and not kept and not changed and not same:  # still said: the shopper did not name it
        ctx.say(f"It keeps {' and '.join(only)}: that is the only option with what you asked for.")
    if kept and chosen != item.get("item_id"):  # "the exact same one": nothing was kept by choice
        ctx.say(f"I kept {' and '.join(kept)} as you have it now (to change it, just say so, now or at the summary).")
    if changed:
        lead = "That one also changes" if offered else "That is the only option that fits; it also changes"
        ctx.say(f"{lead} {' and '.join(changed)} (to change it, just say so, now or at the summary).")
