"""Reading what one answer says about a product's options: the constraints (`Wanted`) over its variants.

"size 9", "the waterproof one", "bigger", "less bright", "cheapest", "highest resolution that's
waterproof but not more than I paid": values said (several of one option are alternatives, different
options narrow together, negated ones are excluded), a bare feature word for a yes/no option,
comparisons against the item being replaced, superlatives, price limits ("under $200", "not more than
I paid"), and the options kept as they are ("in my size", "same but in white"). options.py applies them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import cues
from .candidates import Candidate, phrase_options
from .normalize import option_key
from .resolve import find_mentions
from .scales import find_comparisons, order_of


_MONEY = r"\$?\s?(\d[\d,]*(?:\.\d+)?)\s*(?:dollars|bucks|usd)?"
_PAID = r"(?:what\s+i\s+(?:paid|spent)|i\s+paid|(?:the\s+)?(?:price\s+)?i\s+paid|mine|my\s+(?:current|old)\s+one" \
        r"|the\s+(?:current|original|old)\s+(?:one|price)|what\s+(?:it|mine)\s+cost|the\s+same\s+price|my\s+budget)"
_UPPER = re.compile(r"\b(?:(?:not|no|isn'?t|doesn'?t\s+cost)\s+(?:more|higher|pricier|dearer|more\s+expensive)\s+than"
                    r"|at\s+most|up\s+to|within|max(?:imum)?(?:\s+of)?|no\s+more\s+than)\s+(?:the\s+price\s+of\s+)?"
                    r"(?:" + _PAID + "|" + _MONEY + r")|" + _MONEY + r"\s+or\s+(?:less|under|below|cheaper)\b", re.I)
_BELOW = re.compile(r"\b(?:under|below|less\s+than|cheaper\s+than|for\s+less\s+than)\s+(?:" + _PAID + "|" + _MONEY + ")",
                    re.I)
_LOWER = re.compile(r"\b(?:(?:more|higher)\s+than|over|above|at\s+least)\s+(?:" + _PAID + "|" + _MONEY + ")", re.I)


@dataclass
class Wanted:
    """The constraints read from one answer."""

    allowed: dict[str, set[str]] = field(default_factory=dict)     # option -> values said (any of them)
    forbidden: dict[str, set[str]] = field(default_factory=dict)   # option -> values excluded
    relative: list[tuple[str, int]] = field(default_factory=list)  # (option or "price", direction) vs current
    steps: list[tuple[str, int]] = field(default_factory=list)     # "one size up": exactly the next value
    extreme: list[tuple[str, int]] = field(default_factory=list)   # (option or "price", direction) of all
    limits: list[tuple[str, float]] = field(default_factory=list)  # ("<=" | "<" | ">=" | ">", price)
    said: list[tuple[int, str]] = field(default_factory=list)      # (where, words), for reasons
    missing: list[str] = field(default_factory=list)               # values said that the product lacks
    keep: set[str] = field(default_factory=set)                    # options to keep as they are now
    keep_all: bool = False                                         # "same but ...": keep all not mentioned
    keep_rest: bool = False                                        # "gold instead": keep the rest if a variant can
    either: list[dict[str, str]] = field(default_factory=list)     # a value several options have: any one
    problem: str = ""

    @property
    def empty(self) -> bool:
        return not (self.allowed or self.forbidden or self.relative or self.steps or self.extreme or self.limits
                    or self.problem or self.missing or self.keep or self.either)

    def mentioned(self) -> set[str]:
        return (set(self.allowed) | set(self.forbidden) | self.keep | {o for alt in self.either for o in alt}
                | {o for o, _ in self.relative + self.extreme + self.steps})


# "keep it white", "still usb": the values after these are wanted, not excluded as "keeping X" would be
_KEEP = re.compile(r"\b(?:keep(?:ing)?|still|stay(?:ing)?|remain(?:ing)?)\b", re.I)
# "in my size", "same size and colour", "keep the material": options kept as the shopper has them
_KEEP_OPTION = r"\b(?:same|my|current|existing|original|keep(?:ing)?(?:\s+(?:it|the))?|still)\s+(?:the\s+)?({names})" \
               r"((?:\s*(?:,|and|&|\+)\s*(?:the\s+)?(?:same\s+)?(?:{names}))*)"
_SYNONYMS = {"colour": "color", "colours": "color", "colors": "color", "sizes": "size"}
# an option named as a feature: "it has to have armrests" (not none), "without armrests" (none)
_NOTHING = ("none", "no", "without")


def negated_option(text: str, start: int) -> bool:
    return cues.negated(_KEEP.sub(lambda m: " " * len(m.group()), text), start)


def _limits(text: str, current: Mapping[str, Any] | None, wanted: Wanted) -> str:
    """Price limits, returned text with them blanked (so "more than" is not read as a comparison)."""
    paid = float(current["price"]) if current and current.get("price") is not None else None
    for rx, op in ((_UPPER, "<="), (_BELOW, "<"), (_LOWER, ">")):
        for m in rx.finditer(text):
            amount = next((g for g in m.groups() if g), None)
            value = float(amount.replace(",", "")) if amount else paid
            if value is None:
                wanted.problem = "I don't know what you paid for this one, so please pick an option."
                continue
            wanted.limits.append((op, value))
            words = {"<=": "at most", "<": "under", ">": "over"}[op]
            wanted.said.append((m.start(), f"{words} ${value:,.2f}"))
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return text


def _values_said(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    values: dict[str, set[str]] = {}
    for c in cands:
        for name, value in c.options.items():
            values.setdefault(option_key(value), set()).add(name)
    value_only = [Candidate(c.value, c.title, c.kind, terms=c.terms) for c in cands]  # names do not narrow here
    spans = []
    for s, e, _ in find_mentions(text, value_only):
        spans.append((s, e))
        key = option_key(text[s:e])
        key = next((k for k in values if k == key or option_key(f"{k}") == key), key)
        if key not in values and re.fullmatch(r"size\s*\w+", text[s:e], re.I):
            key = option_key(text[s:e].split()[-1])
        said = {name: next(c.options[name] for c in cands if option_key(c.options.get(name, "")) == key)
                for name in values.get(key, ())}
        if len(said) > 1 and not negated_option(text, s):  # "black" sunglasses: the frame or the lenses
            wanted.either.append(said)
            wanted.said.append((s, text[s:e]))
            continue
        for name, value in said.items():  # "just no water resistance": a "no" right before it denies it too
            _add(wanted, name, value, s, negated_option(text, s) or _NO_BEFORE.search(text, 0, s) is not None)
    _size_words(text, cands, spans, wanted)
    _size_read_apart(text, cands, wanted)
    _listed_nothing(text, cands, wanted)
    _bare_numbers(text, cands, spans, wanted)
    _features(text, cands, wanted)
    _denied_values(text, cands, wanted)
    _value_words(text, cands, wanted)
    for m in re.finditer(r"\bsize\s+(\d[\w.]*|x{0,3}[sml]\b)", text, re.I):  # "size 13" of boots that stop at 12
        if option_key(m.group(1)) not in values and any("size" in n for c in cands for n in c.options):
            wanted.missing.append(f"size {m.group(1)}")


_NO_BEFORE = re.compile(r"\bno\s+$", re.I)
_WORD = re.compile(r"[a-z][a-z-]{3,}")
_PLAIN_WORDS = frozenset("with without that this same size color colour type style model version option options "
                         "want would like please have just also only".split())


def _value_words(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    """A word of one value said alone: "with cellular" is Wi-Fi + Cellular, "quiet" quiet operation, "a robot
    one" robotic (the word, or its start, of exactly one value of an option no other words of the message set)."""
    named = set(wanted.allowed) | set(wanted.forbidden) | {n for e in wanted.either for n in e}
    for name in {n for c in cands for n in c.options} - named:
        words = {v: _WORD.findall(v.lower()) for v in {str(c.options[name]) for c in cands if name in c.options}}
        if len(words) < 2:
            continue
        for m in _WORD.finditer(text.lower()):
            word = m.group(0)
            if word in _PLAIN_WORDS:
                continue
            hits = {v for v, ws in words.items() for w in ws
                    if w == word or (w.startswith(word) and len(w) - len(word) <= 3)}
            if len(hits) == 1:
                _add(wanted, name, hits.pop(), m.start(), negated_option(text, m.start()))
                break


def _add(wanted: Wanted, name: str, value: str, at: int, negated: bool) -> None:
    (wanted.forbidden if negated else wanted.allowed).setdefault(name, set()).add(value)
    wanted.said.append((at, ("not " if negated else "") + phrase_options({name: value})))


# Letter sizes said in words ("a large one" is L), where the option's values are the letters.
_SIZE_WORDS = {"extra extra large": "XXL", "double extra large": "XXL", "extra large": "XL", "extra small": "XS",
               "large": "L", "medium": "M", "small": "S"}


def _size_words(text: str, cands: Sequence[Candidate], spans: list, wanted: Wanted) -> None:
    said_values = {v.lower() for c in cands for v in c.options.values()}
    for word in sorted(_SIZE_WORDS, key=len, reverse=True):
        for m in re.finditer(rf"\b{word}\b", text, re.I):
            if word in said_values or any(a < m.end() and m.start() < b for a, b in spans):
                continue
            spans.append((m.start(), m.end()))
            for name in {n for c in cands for n, v in c.options.items() if v == _SIZE_WORDS[word]}:
                _add(wanted, name, _SIZE_WORDS[word], m.start(), negated_option(text, m.start()))


def _size_read_apart(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    """"the medium one in red with high ventilation": two values of one option said with no "or" between them,
    one of them a size word ("medium") of a size option no word set: that one is the size, the other the option's."""
    if re.search(r"\bor\b|/", text):
        return  # "medium or high ventilation": either will do
    for name, vals in list(wanted.allowed.items()):
        for value in sorted(vals) if len(vals) > 1 else ():
            size = _SIZE_WORDS.get(value.lower())
            others = {n for c in cands for n, v in c.options.items() if v == size and n != name} if size else set()
            if others and not others & set(wanted.allowed):
                vals.discard(value)
                for other in others:
                    wanted.allowed[other] = {size}
                break


def _bare_numbers(text: str, cands: Sequence[Candidate], spans: list, wanted: Wanted) -> None:
    """"the 10000 one" for 10000mAh: a number said without a unit names the value that starts with
    it, when exactly one option has such values (a number is never matched inside another: 1500 is
    not 500)."""
    for m in re.finditer(r"(?<![\w.$#])(\d+(?:\.\d+)?)(?![\w.%])(?!\s*(?:-|%|\$))", text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        hits: dict[str, set[str]] = {}
        for c in cands:
            for name, value in c.options.items():
                lead = re.match(r"(\d+(?:\.\d+)?)(?=[a-zA-Z\s-]|$)", value)
                if lead and float(lead.group(1)) == float(m.group(1)):
                    hits.setdefault(name, set()).add(value)
        if len(hits) == 1:
            name, vals = next(iter(hits.items()))
            for value in vals:
                _add(wanted, name, value, m.start(), negated_option(text, m.start()))


def _listed_nothing(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    """"clicky, none, 80%": a bare "none" in a list of values (a button title typed back) is the one
    option whose value is "none" (never a word of its own anywhere else)."""
    for m in re.finditer(r"(?:^|,)\s*(none)\s*(?=,|\(|$)", text, re.I):
        names = {n for c in cands for n, v in c.options.items() if str(v).lower() == "none"}
        if len(names) == 1:
            _add(wanted, names.pop(), next(v for c in cands for v in c.options.values() if str(v).lower() == "none"),
                 m.start(1), False)


def _features(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    """An option named as a feature: "it has to have armrests" excludes "none", "no armrests" wants it."""
    for name in {n for c in cands for n in c.options}:
        vals = {c.options.get(name, "") for c in cands}
        nothing = {v for v in vals if v.lower() in _NOTHING}
        if not nothing or nothing == vals or name in wanted.allowed:
            continue
        for m in re.finditer(rf"\b{re.escape(name)}s?\b", text, re.I):
            before = text[max(0, m.start() - 12):m.start()].lower()
            if re.search(r"\b(?:no|without|any)\s*$", before) or negated_option(text, m.start()):
                wanted.allowed.setdefault(name, set()).update(nothing)
                wanted.said.append((m.start(), f"no {name}"))
            else:
                wanted.forbidden.setdefault(name, set()).update(nothing)
                wanted.said.append((m.start(), f"with {name}"))
            break


# A value that is itself a denial ("not resistant", "non-polarized"): its negation and its word's stem
_DENIAL_VALUE = re.compile(r"^(?:not|no|non)[\s-]+([a-z]{4,})", re.I)
_DENIAL_WORD = r"\b(?:not|no|non|isn'?t|without)[\s-]+(?:[a-z]+[\s-]+){{0,2}}?{stem}[a-z]*\b"


def _denied_values(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    """"not water resistant" is the value "not resistant", "not polarized" "non-polarized": a value that
    denies a feature, said with the denial and the feature's word (a word of the option between them)."""
    for name in {n for c in cands for n in c.options}:
        if name in wanted.allowed:
            continue
        for value in sorted({c.options.get(name, "") for c in cands}):
            m = _DENIAL_VALUE.match(value)
            said = m and re.search(_DENIAL_WORD.format(stem=re.escape(m.group(1)[:6].lower())), text, re.I)
            if said:
                wanted.allowed.setdefault(name, set()).add(value)
                wanted.said.append((said.start(), phrase_options({name: value})))


_NOT_OPTIONS = re.compile(r"\s+(?:order|orders|address|card|payment|account|email|day|time|way|place|method|person)\b",
                          re.I)


def _kept(text: str, cands: Sequence[Candidate], wanted: Wanted) -> None:
    """Options the shopper keeps ("in my size and colour", "same glass"), and a bare "same ... but"
    that keeps everything not mentioned."""
    names = sorted({n for c in cands for n in c.options} | set(_SYNONYMS), key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    covered = []
    real = {n.lower(): n for c in cands for n in c.options}
    for m in re.finditer(_KEEP_OPTION.format(names=alt), text, re.I):
        for said in re.findall(alt, m.group(0), re.I):
            name = _SYNONYMS.get(said.lower(), said.lower())
            if name in real:
                wanted.keep.add(real[name])
        covered.append((m.start(), m.end()))
    for m in cues.SAME.finditer(text):
        if _NOT_OPTIONS.match(text, m.end()):  # "on that same order": the order, not the options
            continue
        if not any(m.start() < b and a < m.end() for a, b in covered):
            wanted.keep_all = True
    wanted.keep_rest = cues.ONLY_THIS.search(text) is not None


# what the shopper has now, told before the wish: "I have the 3-piece silver softshell one and want a 4-piece in
# blue" (its values describe the item, they are not wished), up to the wish or the end of the clause
_HAVE_NOW = re.compile(r"\b(?:i|we)\s+(?:(?:currently|already)\s+)?(?:have|got|bought|ordered|own|received)\s+(?!to\b)"
                       r"(?:the|a|an|this|that|my)\b[^,.;!?]*?(?=\s+(?:and|but|so)\s+(?:i\s+|we\s+)?(?:would\s+|'d\s+)?"
                       r"(?:want|like|need|prefer|wish)\b|\s+(?:but|and)\s+(?:i'?d|we'?d)\b|[,.;!?]|$)", re.I)


# what is wrong with the one they have, told before the wish: "the expert one was way too hard for me honestly"
_TOO_MUCH = re.compile(r"\b(?:the|this|that|my)\b[^,.;!?]{0,40}?\s(?:was|is|were|are|felt|feels)\s+(?:(?:way|much|far|a\s+bit|"
                       r"a\s+little|just|really|kind\s+of|kinda)\s+)?too\s+\w+(?:\s+for\s+(?:me|us|him|her|them))?"
                       r"(?:\s+(?:honestly|really|tbh))?", re.I)


def read(text: str, cands: Sequence[Candidate], current: Mapping[str, Any] | None, scales) -> Wanted:
    wanted = Wanted()
    for have in (_HAVE_NOW.search(text), _TOO_MUCH.search(text)):
        if have and text[have.end():].strip(" ,.;!?"):  # blanked, not cut: positions still point at the same words
            text = text[:have.start()] + " " * (have.end() - have.start()) + text[have.end():]
    text = _limits(text, current, wanted)
    options = {n for c in cands for n in c.options}
    nouns = dimension_nouns(scales)
    for comp in find_comparisons(text, sorted(options), scales):
        phrase = text[comp.start:comp.end].strip()
        # "the big bottle" (no item to compare with): the bigger of what the other words leave
        adjective = comp.plain and current is None and phrase.lower() not in nouns
        if comp.dimension.price and (not comp.plain or adjective):
            (wanted.extreme if comp.superlative else wanted.relative).append(("price", comp.direction))
            wanted.said.append((comp.start, phrase) if not comp.superlative else (-1, phrase))
            continue
        opt = comp.option or next((o for o in comp.dimension.options if o in options), None)
        if opt is None:
            continue
        values = {c.options.get(opt, "") for c in cands}
        if comp.plain and {v.lower() for v in values} <= {"yes", "no"}:  # "waterproof", "not waterproof"
            denied = negated_option(text, comp.start) or _NO_BEFORE.search(text, 0, comp.start) is not None
            want = "no" if denied else "yes"  # "just no water resistance" denies it too
            value = next((v for v in values if v.lower() == want), None)
            if value is not None:
                wanted.allowed.setdefault(opt, set()).add(value)
                wanted.said.append((comp.start, phrase_options({opt: value})))
            continue
        if comp.plain and not adjective:
            continue
        if order_of(sorted(values), scales) is None:
            wanted.problem = f"I can't put the {opt} options in order; which one would you like?"
            continue
        target = wanted.extreme if comp.superlative else wanted.steps if comp.step else wanted.relative
        target.append((opt, comp.direction))
        wanted.said.append((comp.start, phrase) if not comp.superlative else (-1, phrase))
    _values_said(text, cands, wanted)
    _kept(text, cands, wanted)
    _compared_with(text, current, wanted)
    return wanted


_THAN = re.compile(r"\bthan\s+(?:(?:the|my|a|an|this|that|current|old|one|which\s+is)\s+)*$", re.I)


def _compared_with(text: str, current: Mapping[str, Any] | None, wanted: Wanted) -> None:
    """A value a comparison is made against is not wished: "smaller than full size", "it's full size, I want
    a smaller one" (the value the item has now, said with a comparison of that option) want something else.
    The value the item has now, denied ("blue, not red"), names the item like "instead of red": the rest stays."""
    now = (current or {}).get("options") or {}
    compared = {o for o, _ in wanted.relative + wanted.steps}
    for at, words in list(wanted.said):
        for name, vals in list(wanted.allowed.items()):
            for value in list(vals):
                if words != phrase_options({name: value}):
                    continue
                if _THAN.search(text, 0, at) or (name in compared and now.get(name) == value):
                    vals.discard(value)
                    wanted.forbidden.setdefault(name, set()).add(value)
                    wanted.said.remove((at, words))  # "smaller" says it; another value: "not 80%"
                    wanted.said += [] if now.get(name) == value else [(at, "not " + words)]
            if not vals:
                del wanted.allowed[name]
    for name, vals in wanted.forbidden.items():  # "blue, not red" of a red one: red says which, only the colour changes
        if now.get(name) in vals:
            wanted.said = [(at, w) for at, w in wanted.said if w != "not " + phrase_options({name: now[name]})]
            wanted.keep_rest = True


def dimension_nouns(scales) -> set[str]:
    """Words that name a dimension ("size", "storage") rather than describe a value ("big")."""
    out = {"space", "memory", "volume", "ram", "battery", "storage", "price", "size"}
    for c in scales.comparatives:
        out |= {c.name, *c.options}
    return out
