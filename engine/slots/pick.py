"""Slot answers that pick from what the shop knows: one answer read against the slot's candidate set.

`pick` reads one answer against the set (candidate_sets.candidates_for) and returns (found, value),
or (False, Ambiguous) when the answer fits several candidates or none (the slot's `clarify:` template
words the question), or (False, None) when the answer does not refer to the set at all (it may answer something else).
Options, items, choices and products are read here; orders, payment methods and addresses by the
pick_* module of their type.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..contracts import Choice
from ..flows.model import SlotDef
from . import cues
from .candidate_sets import bought_before, candidates_for, current_target
from .candidates import Candidate
from .choice_words import choice_words
from .entities import Entity
from .options import resolve_option
from .outcomes import comparer, ordinal_said, slot_answer
from .pick_address import pick_address
from .pick_order import pick_order
from .pick_payment import pick_payment
from .resolve import Ambiguous, find_mentions, phrases, resolve
from .scales import find_comparisons, table

if TYPE_CHECKING:
    from .types import SlotEnv


def pick(slot: SlotDef, text: str, entities: list[Entity], env: "SlotEnv", partial: list | None = None,
         among: list | None = None) -> tuple[bool, Any]:
    """(found, value) for a candidate slot; (False, Ambiguous) to clarify; (False, None) when unrelated.

    `among`: what a clarifying question offered (its Choices, or their values). The reply is read
    among them first ("a silver one" after "three lamps are less bright: ..." means a less bright
    silver one; "both" after "One or both?" the button taking both), then, if it names none of
    them, among everything."""
    cands = candidates_for(slot, env, partial)
    if cands is None:
        return False, None
    if among:
        among = [Choice(**a) if isinstance(a, dict) and {"value", "title"} <= set(a) else a for a in among]
        titled = [a for a in among if isinstance(a, Choice)]
        among = [a.value if isinstance(a, Choice) else a for a in among]
        if any(isinstance(v, list) for v in among):  # a multiple slot's offer: whole answers as buttons
            chosen = _whole_answer(text, among, [c.title for c in titled], ordinal_said(entities))
            if chosen is not None:
                return True, chosen
            # "The black one, size L." to "two match helmet: (S, white); (L, black)": read among the items offered,
            # not every item of the order (the black speaker); "both" is the button, not an item. Each button
            # also carries what was already clear ("the bicycle and an air purifier"): kept with the one read
            lists = [v for v in among if isinstance(v, list)]
            base = list(functools.reduce(lambda a, b: a & b, (Counter(v) for v in lists)).elements())
            each = [x for v in lists if len(v) == len(base) + 1 for x in (Counter(v) - Counter(base)).elements()]
            if base and len(set(each)) == len(each) > 1:
                found, value = pick(slot, text, entities, env, partial, each)
                if found:
                    return True, base + [x for x in (value if isinstance(value, list) else [value]) if x not in base]
                if value is not None:
                    return found, value  # several of the offered fit: ask among them
            among = [v[0] for v in lists if len(v) == 1]
    offered = sorted((c for c in cands if among and c.value in among), key=lambda c: among.index(c.value))
    if not offered:
        return _pick(slot, text, entities, env, partial, cands)
    # in the order the buttons showed them, so "the first one" is the first button
    found, value = _pick(slot, text, entities, env, partial, offered, chosen_from=True)
    narrowed = isinstance(value, Ambiguous) and 0 < len(value.candidates) < len(offered)
    # "same as mine otherwise" to an offer without the item they have ("five options are professional")
    # keeps the rest of theirs: read anew, it never takes that item back (the old kit size)
    mine = (current_target(slot, env, partial or [])[0] or {}).get("item_id") \
        if slot.type == "variants" and cues.SAME.search(text) else None
    only_denied = all(p.negated for p in phrases(text, cands))  # "not the camera": the other offered, not all else
    if found and len(offered) < len(cands) and ordinal_said(entities) is None and not _superlative(slot, text, offered) \
            and not only_denied:
        # ("the cheapest one?" after four quiet purifiers: the cheapest of those four, never of everything)
        # "I'd like the 1.5L glass one instead" after two 1L kettles: a value none of the offered has
        # names one elsewhere; read among them, only "glass" would count and pick a 1L one
        anew, other = _pick(slot, text, entities, env, partial, cands)
        if anew and other != value and (mine is None or other != mine):
            return anew, other
    if found or narrowed:  # resolved, or narrowed to fewer of the offered: otherwise read anew
        return found, value
    anew, other = _pick(slot, text, entities, env, partial, cands)
    return (found, value) if anew and mine is not None and other == mine else (anew, other)


def _superlative(slot: SlotDef, text: str, cands: list[Candidate]) -> bool:
    """Whether `text` asks for the most or least of something ("the cheapest", "the least bright"), as the
    option reader understands it (scales.find_comparisons): such a pick is made within what was offered."""
    names = sorted({str(n).lower() for c in cands for n in c.options})
    return any(c.superlative for c in find_comparisons(text, names, table(slot.scales)))


# "just one please", "only one of them", "a single one": the button that says "One ..."
_JUST_ONE = re.compile(r"\W*(?:(?:ok(?:ay)?|yes|yeah|no|just|only)[\s,]+)*(?:one|a\s+single\s+one|the\s+one|one\s+only)"
                       r"(?:\s+of\s+(?:them|those|these|the\s+two))?(?:\s+(?:is\s+enough|will\s+do))?"
                       r"(?:[\s,]+(?:please|thanks|thank\s+you))?\W*", re.I)


def _whole_answer(text: str, offer: list, titles: list[str], ordinal: int | None) -> list | None:
    """A reply to "One or both?" / "which of these?" where each button is a whole answer (a list):
    its title typed back, an ordinal, "both"/"all" (the button taking them all, the longest), "one"."""
    low = text.strip().lower().rstrip(".!")
    for value, title in zip(offer, titles):
        if low == title.lower():
            return value
    if cues.wants_all(text) or cues.BOTH.search(text):
        return max(offer, key=lambda v: len(v) if isinstance(v, list) else 1)
    if titles and titles[0].lower().startswith("one "):
        named = set(re.findall(r"[a-z0-9]+", titles[0].lower()[4:]))  # "just one water bottle": its own words aside
        bare = " ".join(w for w in re.findall(r"[a-z0-9']+|[^\sa-z0-9']", low) if w not in named)
        first = re.split(r"(?<=[.!])\s", low, maxsplit=1)[0]  # "One. One water bottle, plus the laptop"
        if _JUST_ONE.fullmatch(low) or _JUST_ONE.fullmatch(re.sub(r"\s+([.,!])", r"\1", bare)) \
                or _JUST_ONE.fullmatch(first):
            return offer[0]
    if ordinal is not None and -len(offer) <= (ordinal - 1 if ordinal > 0 else ordinal) < len(offer):
        return offer[ordinal - 1 if ordinal > 0 else ordinal]
    return None


def _pick(slot: SlotDef, text: str, entities: list[Entity], env: "SlotEnv", partial: list | None,
          cands: list[Candidate], chosen_from: bool = False) -> tuple[bool, Any]:
    t = slot.type
    ordinal = ordinal_said(entities)
    if t in ("variants", "variant"):
        if t == "variants":
            item, product = current_target(slot, env, partial or [])
        else:
            item, product = None, env.product(env.values.get(slot.of or ""))
        if item is None and cues.SAME.search(text):  # "the same ones I got last time"
            item = bought_before(env, product)
        chosen = env.values.get(slot.name)
        chosen = chosen[len(partial or [])] if isinstance(chosen, list) and len(chosen) > len(partial or []) \
            else chosen if isinstance(chosen, str) else None
        if chosen and cues.OTHER.search(text):  # "no, the other white one": not the one chosen
            cands = [Candidate(**{**c.__dict__, "flags": c.flags | {"excluded"}}) if c.value == chosen else c
                     for c in cands]
        outcome = resolve_option(text, cands, current=item, scales=table(slot.scales),
                                 product=str((product or {}).get("name", "product")), ordinal=ordinal)
        return slot_answer(slot, env, outcome, cands)
    if t == "order_id":
        return pick_order(slot, text, entities, env, cands, ordinal)
    if t == "items":  # "the order with the lamp" describes the order, it picks no item
        about_order = [m.span() for m in _ORDER_WITH.finditer(text)]
        names_only = [Candidate(c.value, c.title, c.kind, names=c.names) for c in cands]
        mentions = find_mentions(text, names_only)
        about_order += [(s, e) for k, (s, e, _) in enumerate(mentions)  # "the one with the lamp", but a
                        if _ONE_WITH.search(text[:s]) and not _LISTED.match(  # list goes on: its items
                            text[e:mentions[k + 1][0]] if k + 1 < len(mentions) else "")]
        for a, b in about_order:
            text = text[:a] + " " * (b - a) + text[b:]
        outcome = resolve(text, cands, multiple=slot.multiple, ordinal=ordinal, where="That order has",
                          compare=comparer(slot, cands))
        if outcome is None:  # an extractor may still have resolved an item (e.g. by its id)
            ids = list(dict.fromkeys(e.value for e in entities if e.type == "item" and e.confidence >= 0.9
                                     and e.value in [c.value for c in cands]
                                     and not any(a <= e.start < b for a, b in about_order)))
            if ids and (slot.multiple or len(ids) == 1):
                return True, (ids if slot.multiple else ids[0])
        return slot_answer(slot, env, outcome, cands, slot.multiple)
    if t == "payment_method":
        return pick_payment(slot, text, entities, env, cands, ordinal)
    if t == "address":
        return pick_address(slot, text, entities, env, cands, ordinal)
    if t == "product":  # "a power bank for my phone": what it is for names no product
        text = _PURPOSE.sub("", text)
    if t == "choice":  # "I need to cancel" names no reason, though "no longer needed" is one
        text = cues.unmodal(text)
    outcome = resolve(text, cands, ordinal=ordinal, where="There are")  # choice / product
    if t == "choice":  # words of both choices ("ordered the wrong thing and don't need it"): asked, never guessed
        words = choice_words(text, cands)
        if outcome is None or (words is not None and len(words.offered) > 1):
            outcome = words
    return slot_answer(slot, env, outcome, cands)


_PURPOSE = re.compile(r"\b(?:for|to\s+go\s+with|that\s+(?:goes\s+with|fits)|compatible\s+with)\s+(?:my|a|an|the|our"
                      r"|his|her|their)\b.*$", re.I)


_ORDER_WITH = re.compile(r"\b(?:order|package|purchase|delivery|parcel)s?\s+(?:with|that\s+(?:has|had|contains?"
                         r"|included?)|containing|including)\b[^,.;]*", re.I)


_LISTED = re.compile(r"\s*(?:,|and\b|&|\+)\s*(?:the\s+|my\s+|a\s+|an\s+)?$", re.I)
_ONE_WITH = re.compile(r"\bone\s+(?:with|that\s+(?:has|had|contains?)|containing)\s+(?:the\s+|a\s+|an\s+|my\s+)?$",
                       re.I)
