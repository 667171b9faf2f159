"""Slot answers that pick from what the shop knows: candidate sets per slot and their resolution.

`candidates_for` builds the set a slot picks from (the designer's `display:` template titles them);
`pick` reads one answer against it and returns (found, value), or (False, Ambiguous) when the answer
fits several candidates or none (the slot's `clarify:` template words the question), or
(False, None) when the answer does not refer to the set at all (it may answer something else).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..contracts import Choice
from ..flows.model import SlotDef
from ..store.errors import StoreError
from . import cues
from .candidates import (STATUS_WORDS, Candidate, address_candidates, item_candidates, order_candidates, payment_candidates,
                         variant_candidates)
from .entities import Entity
from .options import narrow, resolve_option
from .resolve import Ambiguous, Outcome, Selector, ambiguous, find_mentions, how_many, phrases, resolve, titles
from .scales import table

if TYPE_CHECKING:
    from .types import SlotEnv


def check_error(slot: SlotDef, value: Any, env: "SlotEnv", check: str | None = None) -> str | None:
    from ..store.checks import CHECKS

    try:
        CHECKS[check or slot.check](env.store, value, env.user_id)
    except StoreError as exc:
        return exc.message
    return None


def current_target(slot: SlotDef, env: "SlotEnv", partial: list) -> tuple[dict | None, dict | None]:
    """For a variants slot: (the order item being changed now, its product)."""
    item_ids = env.values.get(slot.of or "") or []
    if isinstance(item_ids, str):
        item_ids = [item_ids]
    order = env.order_for(slot)
    if not order or len(partial) >= len(item_ids):
        return None, None
    item_id = item_ids[len(partial)]
    item = next((i for i in order["items"] if i["item_id"] == item_id), None)
    return item, (env.product(item["product_id"]) if item else None)


def bought_before(env: "SlotEnv", product: dict | None) -> dict | None:
    """The shopper's earlier purchase of this product (the newest), for "the same one as last time"."""
    if not product:
        return None
    for oid in reversed((env.user() or {}).get("orders", [])):
        for item in (env.order(oid) or {}).get("items", []):
            if item.get("product_id") == product.get("product_id"):
                return item
    return None


def _user_orders(env: "SlotEnv") -> dict[str, dict | None]:
    user = env.user() or {}
    return {oid: env.order(oid) for oid in user.get("orders", [])}


def _original_method(env: "SlotEnv") -> str | None:
    order = env.order(env.values.get("order_id"))
    payments = [p for p in (order or {}).get("payment_history", []) if p.get("transaction_type") == "payment"]
    return payments[0].get("payment_method_id") if payments else None


def _titled(slot: SlotDef, cands: list[Candidate]) -> list[Candidate]:
    """Titles from the slot's `display:` template (the default title when it fails to render)."""
    if slot.display is None:
        return cands
    out = []
    for c in cands:
        try:
            title = slot.display.render(dict(c.fields)).strip() or c.title
        except Exception:  # noqa: BLE001 - a designer's template must not break the question
            title = c.title
        out.append(Candidate(**{**c.__dict__, "title": title}))
    return out


def candidates_for(slot: SlotDef, env: "SlotEnv", partial: list | None = None, *,
                   checked: bool = True) -> list[Candidate] | None:
    """Everything the slot may pick from now (None: the set is not known yet, e.g. before sign-in)."""
    t, user = slot.type, env.user()
    if t == "order_id" and user:
        orders = _user_orders(env)
        cands = order_candidates(user, orders)
        if checked and slot.check:
            cands = [c for c in cands if not check_error(slot, c.value, env)]
    elif t == "items":
        order = env.order_for(slot)
        if not order:
            return None
        cands = item_candidates(order)
    elif t in ("variants", "variant"):
        if t == "variants":
            item, product = current_target(slot, env, partial or [])
            current = item["item_id"] if item else None
        else:
            product, current = env.product(env.values.get(slot.of or "")), None
        if not product:
            return None
        cands = variant_candidates(product, current, slot.offer_current)
    elif t == "payment_method" and user:
        methods = list(user.get("payment_methods", {}).values())
        if slot.filter is not None:
            scope = env.scope()
            methods = [m for m in methods if slot.filter.eval({**scope, "method": m})]
        cands = payment_candidates(methods, _original_method(env))
    elif t == "address" and user:
        cands = address_candidates(user, _user_orders(env))
    elif t == "product" and not slot.choices:  # the catalogue, by name
        cands = [Candidate(pid, name, "product", names=(name,), fields={"title": name})
                 for name, pid in env.store.list_all_product_types().items()]
    elif t in ("choice", "product") and slot.choices:
        cands = [Candidate(c.value, c.title, "choice", terms=(c.title, *c.synonyms, str(c.value)),
                           fields={"title": c.title}) for c in slot.choices]
    else:
        return None
    return _titled(slot, cands)


def offerable(c: Candidate) -> bool:
    return c.available and "excluded" not in c.flags


def _ordinal(entities: list[Entity]) -> int | None:
    found = [e.value for e in entities if e.type == "ordinal" and isinstance(e.value, int)]
    return found[0] if found else None


def _clarify(slot: SlotDef, env: "SlotEnv", outcome: Outcome, cands: list[Candidate]) -> Ambiguous:
    amb = ambiguous(outcome, cands)
    if slot.clarify is None:
        return amb
    try:
        scope = {**env.scope(), "reason": amb.reason, "options": titles(cands, list(outcome.offered)),
                 "count": len(outcome.offered)}
        return Ambiguous(slot.clarify.render(scope).strip() or amb.reason, amb.candidates)
    except Exception:  # noqa: BLE001 - fall back to the engine's own wording
        return amb


def _result(slot: SlotDef, env: "SlotEnv", outcome: Outcome | None, cands: list[Candidate],
            multiple: bool = False) -> tuple[bool, Any]:
    if outcome is None:
        return False, None
    if not outcome.found:
        return False, _clarify(slot, env, outcome, cands)
    values = [cands[i].value for i in outcome.picked]
    return True, (values if multiple else values[0])


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
            chosen = _whole_answer(text, among, [c.title for c in titled], _ordinal(entities))
            if chosen is not None:
                return True, chosen
    offered = sorted((c for c in cands if among and c.value in among), key=lambda c: among.index(c.value))
    if offered:  # in the order the buttons showed them, so "the first one" is the first button
        found, value = _pick(slot, text, entities, env, partial, offered, chosen_from=True)
        narrowed = isinstance(value, Ambiguous) and 0 < len(value.candidates) < len(offered)
        if found and len(offered) < len(cands) and _ordinal(entities) is None:
            # "I'd like the 1.5L glass one instead" after two 1L kettles: a value none of the offered has
            # names one elsewhere; read among them, only "glass" would count and pick a 1L one
            anew, other = _pick(slot, text, entities, env, partial, cands)
            if anew and other != value:
                return anew, other
        if found or narrowed:  # resolved, or narrowed to fewer of the offered: otherwise read anew
            return found, value
    return _pick(slot, text, entities, env, partial, cands)


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
    ordinal = _ordinal(entities)
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
        return _result(slot, env, outcome, cands)
    if t == "order_id":
        return _pick_order(slot, text, entities, env, cands, ordinal)
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
                          compare=_comparer(slot, cands))
        if outcome is None:  # an extractor may still have resolved an item (e.g. by its id)
            ids = list(dict.fromkeys(e.value for e in entities if e.type == "item" and e.confidence >= 0.9
                                     and e.value in [c.value for c in cands]
                                     and not any(a <= e.start < b for a, b in about_order)))
            if ids and (slot.multiple or len(ids) == 1):
                return True, (ids if slot.multiple else ids[0])
        return _result(slot, env, outcome, cands, slot.multiple)
    if t == "payment_method":
        return _pick_payment(slot, text, entities, env, cands, ordinal)
    if t == "address":
        return _pick_address(slot, text, entities, env, cands, ordinal)
    if t == "product":  # "a power bank for my phone": what it is for names no product
        text = _PURPOSE.sub("", text)
    if t == "choice":  # "I need to cancel" names no reason, though "no longer needed" is one
        text = cues.unmodal(text)
    outcome = resolve(text, cands, ordinal=ordinal, where="There are")  # choice / product
    if outcome is None and t == "choice":
        outcome = _choice_words(text, cands)
    return _result(slot, env, outcome, cands)


_DENIED = re.compile(r"\b(?:not|\w+n['’]t|isnt|wasnt|arent|werent)\b(?:\s+(?:a|an|the|my|by))?\s+$", re.I)
_PURPOSE = re.compile(r"\b(?:for|to\s+go\s+with|that\s+(?:goes\s+with|fits)|compatible\s+with)\s+(?:my|a|an|the|our"
                      r"|his|her|their)\b.*$", re.I)
_STEM_END = ("ally", "ly", "ed", "ing", "es", "s", "e")


def _stem(word: str) -> str:
    for end in _STEM_END:
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[:-len(end)]
    return word


# Words of every shop conversation: they name the task, never which reason or option is meant.
_GENERIC = frozenset(_stem(w) for w in ("order", "ordered", "item", "items", "thing", "product", "cancel",
                                         "return", "exchange", "want", "like", "would", "please", "just", "this",
                                         "that", "with", "have", "from", "your"))


def _content(text: str) -> list[tuple[int, str]]:
    return [(m.start(), w) for m in re.finditer(r"[A-Za-z]{4,}", text)
            if (w := _stem(m.group().lower())) not in _GENERIC]


def _choice_words(text: str, cands: list[Candidate]) -> Outcome | None:
    """A choice said in other words: the content words of each choice's title and synonyms that no
    other choice has ("so no need now" is "no longer needed", "i clicked the wrong one" "ordered by
    mistake"). A word under a negation ("it wasn't a mistake") counts against its choice."""
    words = [{w for term in (c.title, *c.terms) for _, w in _content(term)} for c in cands]
    own = [w - set().union(*(o for j, o in enumerate(words) if j != i)) for i, w in enumerate(words)]
    said, unsaid = set(), set()
    for at, w in _content(text):
        for i, mine in enumerate(own):
            if w in mine and not cues.negated(text, at):
                said.add(i)
            elif w in mine and _DENIED.search(text[max(0, at - 16):at]):  # "it wasn't a mistake", not "never mind"
                unsaid.add(i)
    said -= unsaid
    if len(said) == 1:
        return Outcome((said.pop(),), how="words")
    if not said and unsaid and len(cands) - len(unsaid) == 1:
        return Outcome((next(i for i in range(len(cands)) if i not in unsaid),), how="negation")
    if len(said) > 1:
        idx = tuple(sorted(said))
        return Outcome(offered=idx, how="words", reason=f"That fits {how_many(len(idx))}: {titles(cands, list(idx))}. "
                                                        "Which one do you mean?")
    return None


_ORDER_WITH = re.compile(r"\b(?:order|package|purchase|delivery|parcel)s?\s+(?:with|that\s+(?:has|had|contains?"
                         r"|included?)|containing|including)\b[^,.;]*", re.I)


_LISTED = re.compile(r"\s*(?:,|and\b|&|\+)\s*(?:the\s+|my\s+|a\s+|an\s+)?$", re.I)
_ONE_WITH = re.compile(r"\bone\s+(?:with|that\s+(?:has|had|contains?)|containing)\s+(?:the\s+|a\s+|an\s+|my\s+)?$",
                       re.I)


# "the one ending in 9559", "last four digits 2042": the order number's last digits
_ENDING = re.compile(r"\b(?:end(?:s|ing|ed)?(?:\s+(?:in|with))?|last\s+(?:\w+\s+)?digits(?:\s+(?:are|is))?)\s+#?\s*(\d{2,7})\b",
                     re.I)


def _wishes_blanked(text: str, cands: list[Candidate]) -> str:
    """With an order named by a product it holds ("the one with the wristwatch. I'd like the black dial
    instead of white"), descriptions that fit none of the named orders, or that would rule out all of
    them, describe what the shopper wants, not which order, and a product said again more broadly
    ("... the electric kettle. just the kettle") adds no order: blanked (offsets kept)."""
    names_only = [Candidate(c.value, c.title, c.kind, names=c.names) for c in cands]
    said = [(s, e, h) for s, e, h in find_mentions(text, names_only) if not cues.negated(text, s)]
    for s, e, h in said:  # "the one with the electric kettle. just the kettle": the kettle said again
        if any(o < h for _, _, o in said):
            text = text[:s] + " " * (e - s) + text[e:]
    named = set().union(*(h for _, _, h in said if not any(o < h for _, _, o in said)))
    if not named:
        return text
    for p in phrases(text, [Candidate(c.value, c.title, c.kind, terms=c.terms) for c in cands]):
        if not (p.hits & named) or (p.negated and named <= p.hits):
            text = text[:p.start] + " " * (p.end - p.start) + text[p.end:]
    return text


def _pick_order(slot, text, entities, env, cands, ordinal) -> tuple[bool, Any]:
    text = _wishes_blanked(text, cands)
    bare = re.fullmatch(r"\W*(?:the|my)?\s*([a-z' ]+?)\W*", text.lower())
    if bare and any(bare.group(1) in words for words in STATUS_WORDS.values()):
        text = f"the {bare.group(1)} one"  # a one-word answer "pending" to "which order?"
    selectors = []
    recency = None
    if cues.LATEST.search(text) or cues.OLDEST.search(text):
        recency = ("recency", _by_recency(cands, newest=bool(cues.LATEST.search(text))))
        if re.search(r"\blast\b", text, re.I):
            ordinal = None  # "my last order" is recency, not the last button
    ending = _ENDING.search(text)
    if ending:  # "the one ending 9559" with no such order: said, never an ordinal in the same message
        tail = ending.group(1)
        selectors.insert(0, ("ending", lambda pool: [i for i in pool if str(cands[i].value).endswith(tail)]
                             or f"None of your orders ends in {tail}. Which one do you mean?"))
    status = _status_said(text)
    if status:
        selectors.append(("status", lambda pool: [i for i in pool if status(cands[i].flags)]
                          or "None of those orders is in that state."))
    counted = _counted(text, cands, env)
    if counted is not None:
        selectors.append(("items", lambda pool: [i for i in pool if i in counted]
                          or "None of your orders holds that."))
    reference = {v for k, v in env.values.items() if isinstance(v, str) and v.startswith("#W")}
    if cues.OTHER.search(text) and reference:
        selectors.append(("other", lambda pool: [i for i in pool if cands[i].value not in reference]))
    if recency:  # last: "my latest pending order" asks only when the other descriptions leave several
        selectors.append(recency)
    others = []
    if slot.check:  # orders the shopper may name that this flow cannot take, with the store's reason
        offered = {c.value for c in cands}
        others = [(c, why) for c in candidates_for(slot, env, checked=False) or []
                  if c.value not in offered and (why := check_error(slot, c.value, env))]
    outcome = resolve(text, cands, ordinal=ordinal, selectors=selectors, where="You have", others=others,
                      compare=_comparer(slot, cands))
    return _result(slot, env, outcome, cands)


def _by_recency(cands: list[Candidate], newest: bool) -> Selector:
    """"my latest order": the store keeps no order dates, only the account's list, which new orders join at
    the end. One order left is taken; among several the list's last (or first) is proposed, first among the
    buttons, with that reason, never taken silently."""
    def select(pool: list[int]) -> list[int] | str | Outcome:
        if len(pool) <= 1:
            return pool or "You have no orders I can use here."
        pick = max(pool, key=lambda i: cands[i].recency * (1 if newest else -1))
        where = "last" if newest else "first"
        return Outcome(offered=(pick, *(i for i in pool if i != pick)), reason=(  # the proposal offered first
            f"The store doesn't keep order dates; the {where} one on your account's list is {cands[pick].title}. "
            "Which one do you mean?"))
    return select


def _comparer(slot: SlotDef, cands: list[Candidate]):
    scales = table(slot.scales)
    return lambda text, idx: narrow(text, cands, idx, scales)


_STATUS_CLAUSE = r"(?:that|which|it|still|already|just|has|have|had|is|was|been|got|'s|actually|\s)+"


def _status_said(text: str):
    """"the one that actually arrived, not the one still pending", "the one that hasn't shipped
    yet": a test on an order's status flags, or None when no status is said as a description."""
    found, taken = [], []
    for status, words in STATUS_WORDS.items():
        for w in sorted(words, key=len, reverse=True):
            for m in re.finditer(rf"(?:{_STATUS_CLAUSE})\b{re.escape(w)}\b(?!\s+(?:to|there|over|at|in)\b)", text, re.I):
                s = m.end() - len(w)
                if any(a <= s < b for a, b in taken) or not re.search(r"\b(?:that|which|still|already|one|order)\b",
                                                                      m.group(), re.I):
                    continue
                taken.append((s, m.end()))
                found.append((status, cues.negated(text, s)))
    if not found:
        return None
    wanted = {st for st, neg in found if not neg}
    unwanted = {st for st, neg in found if neg}
    return lambda flags: (not wanted or bool(flags & wanted)) and not (flags & unwanted)


_COUNTED = re.compile(r"\b(?:(just|only)\s+(?:the\s+)?)?(?:(two|three|four|2|3|4|both)\s+)?(?=\w)", re.I)


_DESCRIBES_ORDER = re.compile(r"\b(?:one|ones|order|package|purchase|delivery|with|had|has|was|were|contain\w*)\b", re.I)


def _counted(text: str, cands: list[Candidate], env: "SlotEnv") -> set[int] | None:
    """Orders by how many of a product they hold ("the one with two espresso machines") or by
    holding nothing else ("the one that was just the two tea kettles"). None when neither is said."""
    names = [Candidate(i, "", "order", names=(n,)) for i, n in enumerate(sorted({n for c in cands for n in c.names}))]
    out = None
    for s, e, hits in find_mentions(text, names):
        m = re.search(r"\b(?:(just|only)\s+(?:the\s+)?)?(?:(two|three|four|2|3|4|both)\s+)?$", text[max(0, s - 24):s],
                      re.I)
        if not m or not (m.group(1) or m.group(2)):
            continue
        if not _DESCRIBES_ORDER.search(re.split(r"[.!?;]", text[:s])[-1]):
            continue  # "the one with the kettle. just the kettle": which items, not which order
        named = {names[h].names[0] for h in hits}
        need = {"two": 2, "three": 3, "four": 4, "both": 2}.get((m.group(2) or "").lower()) or int(m.group(2) or 1)
        keep = set()
        for i, c in enumerate(cands):
            items = [str(it.get("name", "")) for it in (env.order(c.value) or {}).get("items", [])]
            if sum(n in named for n in items) >= need and (not m.group(1) or all(n in named for n in items)):
                keep.add(i)
        out = keep if out is None else out & keep
    return out


def _pick_payment(slot, text, entities, env, cands, ordinal) -> tuple[bool, Any]:
    ids = [c.value for c in cands]
    direct = [e.value for e in entities if e.type == "payment_method" and isinstance(e.value, str)
              and e.value in ids and not cues.negated(text, max(e.start, 0))]
    if len(set(direct)) == 1:
        return True, direct[0]
    selectors = []
    original = next((i for i, c in enumerate(cands) if "original" in c.flags), None)
    if cues.ORIGINAL.search(text):
        paid = _original_method(env)
        if original is None:
            user = env.user() or {}
            from .candidates import describe_method

            m = user.get("payment_methods", {}).get(paid)
            why = (f"The order was paid with {describe_method(m)}, which can't be used here."
                   if m else "I can't find how that order was paid.")
            return False, _clarify(slot, env, Outcome(offered=tuple(range(len(cands))), reason=why + " Which one?"),
                                   cands)
        selectors.append(("original", lambda pool: [original] if original in pool else
                          "That isn't how the order was paid."))
    ending = _ENDING.search(text)
    if ending:  # "my other card, the one ending 7679" with no such card: said, never "the other" one
        tail = ending.group(1)
        selectors.insert(0, ("ending", lambda pool: [
            i for i in pool if str(cands[i].fields.get("last_four") or "").endswith(tail[-4:])
            or str(cands[i].value).endswith(tail)] or f"None of your payment methods ends in {tail}. Which one?"))
    if cues.OTHER.search(text):
        chosen = env.values.get(slot.name)
        skip = {cands[original].value} if original is not None else set()
        skip |= {chosen} if chosen else set()
        selectors.append(("other", lambda pool: [i for i in pool if cands[i].value not in skip]
                          or "There is no other payment method I can use here."))
    user = env.user() or {}
    offered = {c.value for c in cands}
    others = [(c, "that one can't be used here.") for c in payment_candidates(
        list(user.get("payment_methods", {}).values()), _original_method(env)) if c.value not in offered]
    outcome = resolve(text, cands, ordinal=ordinal, selectors=selectors, where="You have", others=others)
    return _result(slot, env, outcome, cands)


def _orders_holding(text: str, env: "SlotEnv") -> set[str]:
    """The shopper's orders that hold a product the text names ("my vacuum order")."""
    orders = _user_orders(env)
    names = sorted({str(i.get("name", "")) for o in orders.values() for i in (o or {}).get("items", [])})
    cands = [Candidate(n, n, "item", names=(n,)) for n in names if n]
    said = {cands[h].value for _, _, hits in find_mentions(text, cands) for h in hits}
    return {oid for oid, o in orders.items() if said & {str(i.get("name", "")) for i in (o or {}).get("items", [])}}


_ZIP_EDIT = re.compile(r"\bzip(?:\s*code)?\b\D{0,40}?(\d{5})\b", re.I)
_UNIT_EDIT = re.compile(r"\b(apt|apartment|suite|ste|unit)\.?(?:\s+(?:number|no\.?|#))?\s*(?:is|should\s+be|=|:|to)?\s*"
                        r"#?\s*(\d[\w-]*|[a-z]\d*)\b", re.I)
_SAME_PLACE = re.compile(r"\b(?:same\s+(?:place|address|one)|that\s+(?:address|place)|the\s+(?:zip|apartment|apt|suite|unit)"
                         r"(?:\s+(?:number|code))?\s+(?:is|should\s+be)|got\s+the\s+(?:zip|apartment|apt|suite|unit))\b",
                         re.I)


def _address_edit(slot: SlotDef, text: str, env: "SlotEnv") -> dict | None:
    """"same place, the zip should be 98110", "the apartment is 2B not 2": an address the shopper has
    (the one given, else the order's, else the default) with one part changed."""
    if not _SAME_PLACE.search(text):
        return None
    zip_ = _ZIP_EDIT.search(text)
    unit = _UNIT_EDIT.search(text)
    if not (zip_ or unit):
        return None
    order = env.order(env.values.get("order_id")) if env.values.get("order_id") else None
    base = env.values.get(slot.name) or (order or {}).get("address") or (env.user() or {}).get("address")
    if not isinstance(base, dict):
        return None
    new = {k: str(base.get(k) or "") for k in ("address1", "address2", "city", "state", "country", "zip")}
    if zip_:
        new["zip"] = zip_.group(1)
    if unit:
        have = new["address2"].split()
        word = have[0] if len(have) > 1 else unit.group(1).title().replace("Apartment", "Apt")
        new["address2"] = f"{word} {unit.group(2).upper() if len(unit.group(2)) <= 3 else unit.group(2)}"
    return new if new != {k: str(base.get(k) or "") for k in new} else None


_ADDRESS_OF = re.compile(r"\b(?:where|address|same\s+place|ship(?:s|ped|ping)?\s+to|goes|going|went|sent\s+to"
                         r"|deliver(?:s|ed)?\s+to)\b", re.I)


def _pick_address(slot, text, entities, env, cands, ordinal) -> tuple[bool, Any]:
    typed = [e.value for e in entities if e.type == "address" and isinstance(e.value, dict)]
    if typed:
        return True, typed[0]
    edited = _address_edit(slot, text, env)
    if edited is not None:
        return True, edited
    selectors = []
    held = _orders_holding(text, env)  # "the address my backpack order went to"
    if held and _ADDRESS_OF.search(text):
        selectors.append(("order", lambda pool: [i for i in pool if set(cands[i].refs) & held]
                          or "Those orders don't ship anywhere I can use."))
    if cues.DEFAULT_ADDRESS.search(text):
        default = [i for i, c in enumerate(cands) if "default" in c.flags]
        selectors.append(("default", lambda pool: [i for i in pool if i in default]
                          or "You have no default address on your account."))
    # "where order #W... goes": an order id points at its address only when the words say so
    # ("actually it's order #W..." corrects the order, it names no address)
    named_orders = [e.value for e in entities if e.type == "order_id" and (
        _ADDRESS_OF.search(text) or (e.start >= 0 and cues.AS_REFERENCE.search(text[:e.start])))]
    # ("the same one that #W... had" points at that order's address too)
    current = env.values.get("order_id")
    if named_orders:
        selectors.append(("order", lambda pool: [i for i in pool if set(cands[i].refs) & set(named_orders)]
                          or f"I don't have an address for order {named_orders[0]}."))
    elif cues.ORDER_ADDRESS.search(text) or (cues.OTHER.search(text) and re.search(r"\border", text, re.I)):
        others = [i for i, c in enumerate(cands) if set(c.refs) - {current}]
        if cues.LATEST.search(text) or re.search(r"\b(?:last|previous)\s+order", text, re.I):
            recency = {oid: pos for pos, oid in enumerate((env.user() or {}).get("orders", []))}
            latest = max((oid for i in others for oid in cands[i].refs if oid != current),
                         key=lambda o: recency.get(o, -1), default=None)
            others = [i for i in others if latest in cands[i].refs]
        selectors.append(("order", lambda pool: [i for i in pool if i in others]
                          or "Your other orders don't ship anywhere else."))
    asking = "Your other orders ship to more than one address; which one" if any(
        name == "order" for name, _ in selectors) else ""
    outcome = resolve(text, cands, ordinal=ordinal, selectors=selectors, where="You have", asking=asking)
    return _result(slot, env, outcome, cands)


def in_list_order(slot: SlotDef, env: "SlotEnv", values: list) -> list:
    """Items in the order's own order (as its buttons and summaries list them)."""
    if slot.type != "items":
        return values
    known = [c.value for c in candidates_for(slot, env) or []]
    return sorted(values, key=lambda v: known.index(v) if v in known else len(known))


def swapped(slot: SlotDef, env: "SlotEnv", current: list, said: list) -> list | None:
    """"not the grey backpack, the green one" at a summary: the items said replace those of the
    same product in the list; the rest stays. None when nothing said is new or nothing is replaced."""
    if slot.type != "items" or any(v in current for v in said):
        return None
    names = {c.value: c.names for c in candidates_for(slot, env) or []}
    kinds = {n for v in said for n in names.get(v, ())}
    kept = [v for v in current if not set(names.get(v, ())) & kinds]
    return kept + said if len(kept) < len(current) else None


def placed(slot: SlotDef, env: "SlotEnv", current: list, value: Any) -> list | None:
    """One new option said at a summary of several ("no, the other white one"): the list with it in
    the place of the item whose product it is an option of. None when it fits no place."""
    if slot.type != "variants" or isinstance(value, list):
        return None
    items = env.values.get(slot.of or "") or []
    order = env.order_for(slot) or {}
    by_id = {i["item_id"]: i for i in order.get("items", [])}
    for pos, item_id in enumerate(items if isinstance(items, list) else [items]):
        product = env.product(by_id.get(item_id, {}).get("product_id")) if item_id in by_id else None
        if product and value in product.get("variants", {}) and pos < len(current):
            return [*current[:pos], value, *current[pos + 1:]]
    return None
