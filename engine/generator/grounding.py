"""Checks a generated answer against the retrieved passages before it is shown.

An answer is *supported* when every number (prices, durations, counts, spelled-out numbers), every
catalogue product name and every policy term it states also occurs in the passages, and it claims no
action (a 135M model happily says "I have refunded your order"). Anything else is replaced.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "hundred": 100,
}
# Words that state policy; if the answer uses one the passages do not, it is inventing policy.
POLICY_TERMS = [
    "free shipping", "shipping fee", "restocking", "warranty", "guarantee", "store credit", "voucher",
    "coupon", "discount", "promo", "price match", "loyalty", "points", "cash", "bitcoin", "crypto",
    "overnight", "express", "next day", "same day", "business days", "within", "days", "weeks", "months",
    "hours", "years", "refund", "return", "exchange", "cancel", "gift card", "paypal", "credit card",
    "email", "human agent", "pending", "delivered", "processed", "original payment method", "immediately",
    "receipt", "label", "fee", "charge", "penalty",
]
ACTION_CLAIMS = re.compile(
    r"\b(i|we)\s*(have|'ve|had|will|'ll|am|'m|just|already)?\s*(now\s+)?"
    r"(refunded|cancelled|canceled|issued|processed|returned|exchanged|changed|updated|modified|sent|"
    r"credited|approved|placed|refund|cancel|issue|process|credit|approve)\b"
    r"|\byour (refund|order|return|exchange|cancellation)\s+(has been|is being|was|will be)\s+"
    r"(issued|processed|approved|cancelled|canceled|refunded|sent|completed|credited)",
    re.I,
)
_NUM_RE = re.compile(r"(?<![\w.])\$?\d[\d,]*(?:\.\d+)?%?")
# a number and the word right after it ("7 business", "19 bar", "1000ml", "30.67 inches")
_NUM_UNIT = re.compile(r"(?<![\w.$])\$?(\d[\d,]*(?:\.\d+)?)\s?-?\s?([a-z]+)\b", re.I)
# words after a number that say nothing about what it counts
_CONNECTORS = set("""to and or of the a an for in with is are was were per at on by from if than as it its
that this which who but so x times""".split())


def _norm_number(tok: str) -> str:
    t = tok.replace("$", "").replace(",", "").rstrip("%")
    try:
        v = float(t)
    except ValueError:
        return t
    return f"{v:.2f}".rstrip("0").rstrip(".")


def numbers_in(text: str) -> set[str]:
    """Numbers stated in `text`, normalised ("$1,234.50" -> "1234.5"; "seven" -> "7")."""
    out = {_norm_number(m.group()) for m in _NUM_RE.finditer(text)}
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in NUMBER_WORDS:
            out.add(str(NUMBER_WORDS[w]))
    # times such as 02:30:00 contribute their parts
    for m in re.finditer(r"\d{1,2}:\d{2}(?::\d{2})?", text):
        out.update(_norm_number(p) for p in m.group().split(":"))
    return out


def number_units(text: str) -> set[tuple[str, str]]:
    """(number, unit stem) pairs: "5 to 7 business days" -> {("7", "busi")}; connectors are skipped."""
    out = set()
    for m in _NUM_UNIT.finditer(text):
        unit = m.group(2).lower()
        if unit not in _CONNECTORS and unit not in NUMBER_WORDS:
            out.add((_norm_number(m.group(1)), unit[:4]))
    return out


@dataclass
class Check:
    supported: bool
    unsupported: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:  # pragma: no cover - convenience
        return self.supported


def _has(term: str, text: str) -> bool:
    return re.search(r"\b" + re.escape(term) + r"s?\b", text) is not None


def check_support(answer: str, passages: list[str], *, product_names: list[str] = (),
                  question: str = "", owners: list[str | None] | None = None) -> Check:
    """Every number, product name and policy term in `answer` must occur in `passages`.

    Terms echoed from the shopper's own question are allowed (answering "can I return X?" with
    "you can return X" is not a new claim), numbers are not: a number must be in the passages, with
    the same unit when the answer gives one ("1 bar" is not supported by "19 bar" or "1 available").
    `owners[i]` names the product passage i describes (None for policy/FAQ): when the answer or the
    question names a retrieved product, its numbers must come from that product's passage (a price
    of the Tea Kettle is not a price of the Electric Kettle).
    """
    ctx = " ".join(passages)
    ctx_l, q_l, ans_l = ctx.lower(), question.lower(), answer.lower()
    bad: list[str] = []
    owners = owners or [None] * len(passages)
    named = {o for o in owners if o and (_has(o.lower(), ans_l) or _has(o.lower(), q_l))}
    own_ctx = " ".join(p for p, o in zip(passages, owners) if o is None or o in named) if named else ctx
    ctx_nums = numbers_in(own_ctx)
    for n in sorted(numbers_in(answer)):
        if n not in ctx_nums:
            bad.append(f"number {n}" + (f" (not stated for {', '.join(sorted(named))})" if named else ""))
    ctx_units = number_units(own_ctx)
    for n, unit in sorted(number_units(answer) - ctx_units):
        if n in ctx_nums:  # a number missing altogether is reported above
            bad.append(f"number {n} {unit}* (not with this unit in the passages)")
    for name in product_names:
        nl = name.lower()
        if _has(nl, ans_l) and not _has(nl, ctx_l) and not _has(nl, q_l):
            bad.append(f"product {name}")
    for term in POLICY_TERMS:
        if _has(term, ans_l) and not _has(term, ctx_l) and not _has(term, q_l):
            # a stem match is enough for inflected forms ("refunded" vs "refund")
            if term[:5] not in ctx_l:
                bad.append(f"term {term}")
    if ACTION_CLAIMS.search(answer):
        bad.append("claims an action")
    return Check(not bad, bad)


def content_overlap(answer: str, passage: str) -> float:
    """Share of the answer's content words found in the passage (a cheap faithfulness signal)."""
    from engine.knowledge.retrieval import tokenize

    a = tokenize(answer)
    p = set(tokenize(passage))
    return sum(t in p for t in a) / len(a) if a else 0.0
