"""Deterministic slot extraction (stdlib `re` only) for one shopper utterance.

Runs before/without the spaCy layer so ids, emails, zips, money, yes/no, catalogue products
and options are found fast and identically every time. All regexes are compiled once per
`RuleExtractor`; `extract` never raises (odd input just yields fewer entities).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from engine.slots.cues import STREET_TYPE
from engine.slots.entities import Entity, ExtractContext
from engine.slots.normalize import (NUMBER_WORDS, ORDINAL_WORDS, NameIndex, option_key,
                                    option_pattern)

SEED_PRODUCTS = Path(__file__).resolve().parents[1] / "store" / "seed" / "products.json"
MAX_CHARS = 200_000  # beyond this we only look at the head: no real utterance is that long
# Every pattern below runs in time linear in the text: a long run of one character is tried from
# its start only (look-behinds, `{1,64}`), and no two adjacent quantifiers can share out the same run
# (`\s*:?\s*` could, and "order" + 4000 spaces took minutes). bench/extract_bench.py measures it.
_I = re.IGNORECASE
_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND"
           "|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY")
# Option values that are everyday words; only trusted when a product/order narrows them.
_WEAK_OPTIONS = {"yes", "no", "none", "full", "half", "men", "women", "art", "plain", "fresh",
                 "light", "dark", "basic", "custom", "standard", "fixed", "manual", "high",
                 "low", "medium", "electric", "gas", "wood", "battery", "camera", "laptop"}
# "First the one with the watch", "the one ending 59 first": an ordinal word that orders what the
# shopper does (opening a clause before a phrase, or closing one after it), not which one is meant.
_SEQUENCE_HEAD = re.compile(r"\s*(?:,|the\b|i\b|i'[dm]\b|let'?s\b|please\b|we\b|can\b|could\b|do\b|cancel|return"
                            r"|exchange|change|swap)", re.I)
_DETERMINER = re.compile(r"\b(?:the|my|your|this|that|very|a|an|with|take|pick|choose|want|is|it'?s)\W*$", re.I)


def _in_sequence(text: str, m: re.Match) -> bool:
    before, after = text[:m.start()], text[m.end():]
    clause = re.split(r"[.!?;:]", before)[-1]
    if not clause.strip(" ,") and _SEQUENCE_HEAD.match(after):
        return True
    closes = re.match(r"\s*(?:[.!?;,\-\u2013\u2014]|$|please\b|then\b|and\b)", after) is not None
    return closes and len(clause.split()) >= 2 and not _DETERMINER.search(clause)


_NAME_STOP = {"a", "an", "the", "not", "so", "very", "just", "still", "also", "here", "there",
              "back", "sorry", "sure", "fine", "good", "ok", "okay", "in", "on", "at", "from",
              "with", "to", "and", "but", "or", "really", "afraid", "unable", "able", "glad",
              "happy", "done", "ready", "new", "looking", "trying", "calling", "going", "having",
              "interested", "wondering", "writing", "a", "your", "my", "currently", "now", "all",
              "it", "that", "this", "what", "you", "me", "i", "please", "thinking", "hoping"}
_SOURCES = (("gift_card", r"gift[\s-]*card"), ("paypal", r"pay[\s-]*pal"),
            ("credit_card", r"(?:credit|debit)[\s-]*card"))
_BRANDS = (("visa", r"visa"), ("mastercard", r"master[\s-]*card|\bmc\b"),
           ("amex", r"amex|american\s+express"))
# a payment method named at all (a source or a brand): "refund to my mastercard", "on the gift card"
PAYMENT_NAMED = re.compile(r"\b(?:" + "|".join(p for _, p in _SOURCES + _BRANDS) + r")", re.I)


class RuleExtractor:
    """Regex + catalogue extractor implementing the `Extractor` protocol (extractor="rule")."""

    name = "rule"

    def __init__(self, catalogue: dict[str, Any] | None = None) -> None:
        self.catalogue = catalogue or {}
        self.products = NameIndex({pid: p.get("name", "") for pid, p in self.catalogue.items()})
        # option key -> [(product_id, option name, canonical value)]
        self.options: dict[str, list[tuple[str, str, str]]] = {}
        seen: set[tuple[str, str, str]] = set()
        for pid, prod in self.catalogue.items():
            for var in (prod.get("variants") or {}).values():
                for oname, oval in (var.get("options") or {}).items():
                    t = (pid, str(oname), str(oval))
                    if t not in seen and option_key(t[2]):
                        seen.add(t)
                        self.options.setdefault(option_key(t[2]), []).append(t)
        # digits and single letters ("10", "M") only count after "size" (see re_size)
        pats = sorted({option_pattern(v) for _, _, v in seen if not v.isdigit() and len(v) > 1},
                      key=len, reverse=True)
        self.re_option = re.compile(r"(?<![\w.])(?:%s)(?![\w])" % "|".join(pats), _I) if pats else None
        num = r"\d(?:,?\d)*(?:\.\d+)?"  # commas only between digits: "19122, $20" is a zip, then $20
        nw = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
        ow = "|".join(ORDINAL_WORDS)
        self.re_email = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+", _I)
        self.re_order = re.compile(
            r"(?<![\w])#?\s?w\s?-?\s?(\d{7})(?!\d)|\border(?:\s+(?:number|no\.?|id|#))?\s*(?:[:#]\s*)?(?:#\s*)?(\d{7})(?!\d)", _I)
        self.re_bare7 = re.compile(r"(?<![\w])#?(\d{7})(?!\d)")
        self.re_pm_id = re.compile(r"\b(?:credit_card|gift_card|paypal)_\d+\b", _I)
        self.re_address = re.compile(
            r"(?<![\w])(?P<a1>\d{1,6}\s+(?:[A-Za-z0-9.'-]+\s+){0,4}?" + STREET_TYPE + r"\.?)"
            r"(?:\s*(?:,\s*)?(?P<a2>(?:apt|apartment|suite|ste|unit|floor|fl|#)\.?\s*(?:#\s*)?[\w-]+))?"
            r"\s*,\s*(?P<city>[A-Za-z][A-Za-z.'-]*(?: +[A-Za-z.'-]+)*)\s*,\s*(?P<state>[A-Za-z]{2})\b"
            r"(?:\s*(?:,\s*)?(?P<zip>\d{5})(?:-\d{4})?)?(?:\s*(?:,\s*)?(?P<country>USA|U\.S\.A\.?|US|United States(?: of America)?)\b)?", _I)
        # the same without commas ("1208 N Elm St Apt 3B Seattle WA 98109"): a known state and a zip anchor it
        self.re_address_loose = re.compile(
            r"(?<![\w])(?P<a1>\d{1,6}\s+(?:[A-Za-z0-9.'-]+\s+){0,4}?" + STREET_TYPE + r"\.?)"
            r"(?:\s*(?:,\s*)?(?P<a2>(?:apt|apartment|suite|ste|unit|floor|fl|#)\.?\s*(?:#\s*)?[\w-]+))?"
            r"(?:\s*,\s*|\s+)(?P<city>[A-Za-z][A-Za-z.'-]*(?: [A-Za-z.'-]+){0,2}?)(?:\s*,\s*|\s+)(?P<state>" + _STATES
            + r")\.?(?:\s*,\s*|\s+)(?P<zip>\d{5})(?:-\d{4})?(?![\w])(?:\s*(?:,\s*)?(?P<country>USA|U\.S\.A\.?|US|United States"
            r"(?: of America)?)\b)?", _I)
        self.re_money = re.compile(
            rf"\$\s?({num})|(?<![\w.])(?<!\d,)({num})\s*(?:dollars?|bucks|usd)\b|(?<![\w.])(?<!\d,)({num})\s*\$", _I)
        self.re_zip = re.compile(r"(?<![\w$#.,-])(?<!\d[,.])(\d{5})(?![\w]|[.,]\d)")
        self.re_number = re.compile(rf"(?<![\w.$#])-?{num}(?![\w]|\.\d)")
        self.re_quantity = re.compile(
            rf"(?<![\w.])(\d{{1,4}}|{nw})\s+(?:of\s+(?:them|those|these|it|each)|items?|units?|pieces?|pcs|more|pairs?)\b"
            rf"|\b(?:qty|quantity)\s*(?::\s*)?(\d{{1,4}}|{nw})\b|(?<![\w])x\s?(\d{{1,3}})\b|^\W*({nw}|\d{{1,3}})\W*$", _I)
        self.re_ordinal = re.compile(
            rf"\b({ow}|(\d{{1,2}})(?:st|nd|rd|th))\b(?!\s+(?:name|names|four|4|digits?|time|week|month|year|night|minute|day|thing i|of all))"
            r"|(?:#|\b(?:option|number|no\.?|choice|item)(?:\s*#)?)\s*(\d{1,2})\b", _I)
        self.re_ord_ref = re.compile(rf"\b(?:{ow}|\d{{1,2}}(?:st|nd|rd|th))\s+(?:one|item|product|thing|order)s?\b", _I)
        self.re_yes_strong = re.compile(r"^\W*(yes+|yeah|yea|yep|yup|ya|absolutely|definitely|affirmative|of course|correct)\b(?!\s+(?:but|or)\b)", _I)
        self.re_no_strong = re.compile(r"^\W*(no|nope|nah|negative|not really|never ?mind)\b(?!\s+(?:problem|worries|longer|need)\b)", _I)
        self.re_yes_weak = re.compile(r"\b(ok(?:ay)?|sure|right|alright|fine|y|please do|go ahead|do it|sounds good|"
                                      r"that'?s (?:right|correct|fine|it)|confirm(?:ed)?|proceed|i do|let'?s do it)\b", _I)
        self.re_no_weak = re.compile(r"\b(n|don'?t|do not|please don'?t|stop|wrong|incorrect|not (?:that|yet|now))\b", _I)
        self.re_reason_nln = re.compile(
            r"no\s+longer\s+need(?:ed)?|(?:do\s*n[o']?t|dont|not)\s+need\s+(?:it|this|that|them|these|those)?(?:\s+any\s?more)?"
            r"|changed?\s+(?:of\s+)?my\s+mind|change\s+of\s+mind|not\s+needed|no\s+need\s+for\s+(?:it|them)"
            r"|(?:do\s*n[o']?t|dont)\s+want\s+(?:it|them|this|that)\s+any\s?more", _I)
        self.re_reason_mis = re.compile(
            r"by\s+(?:mistake|accident)|accident(?:al)?ly|mistakenly|(?:ordered|bought|got|picked)\s+the\s+wrong|wrong\s+(?:item|product|one|size|color)"
            r"\s*(?:was\s+)?ordered|ordered\s+(?:it\s+)?in\s+error|did\s*n[o']?t\s+mean\s+to\s+(?:order|buy)|ordered\s+wrong", _I)
        self.re_name = re.compile(
            r"\b(?:my\s+name\s+is|my\s+name'?s|name(?:\s*(?:and|&|\+)\s*zip(?:\s*code)?)?(?:\s+(?:works|is\s+fine|is\s+ok|then|please))?\s*(?::|-+|–|—|=)|i\s+am|i'?m)\s+"
            r"([A-Za-z][A-Za-z'-]+)(?:\s+([A-Za-z][A-Za-z'-]+))?"
            r"(?=(?P<tail>\s*(?:[,.!;?]|$|and\b|from\b|here\b|speaking\b|\d))?)", _I)
        self.re_all = re.compile(r"\b(?:all\s+(?:of\s+)?(?:them|it|those|these|the\s+items|items|\d+|of\s+the\s+items)"
                                 r"|everything|the\s+(?:whole|entire)\s+order|every\s+item)\b", _I)
        self.re_both = re.compile(r"\bboth\b", _I)
        self.re_size = re.compile(r"\bsize\s*(?:(?::|to|in|of|is)\s*)?(xxl|xl|xs|s|m|l|small|medium|large|\d{1,2}(?:\.5)?)\b"
                                  r"|(?<![\w])(xxl|xl|xs)(?![\w])", _I)
        self.re_src = [(s, re.compile(p, _I)) for s, p in _SOURCES]
        self.re_brand = [(b, re.compile(p, _I)) for b, p in _BRANDS]
        self.re_last4 = re.compile(r"(?:ending(?:\s+(?:in|with))?|ends\s+(?:in|with)|last\s+(?:four|4)(?:\s+digits)?"
                                   r"(?:\s+(?:is|are|of|being))?)\s*(?::\s*)?(\d{4})\b"
                                   r"|(?:(?<!\*)\*{2,}+|(?<!x)x{2,}+)\s?(\d{4})\b", _I)

    @classmethod
    def from_seed(cls, path: str | Path = SEED_PRODUCTS) -> "RuleExtractor":
        """Extractor over the shipped demo catalogue."""
        with open(path, encoding="utf-8") as fh:
            return cls(json.load(fh))

    # ------------------------------------------------------------------ public API
    def extract(self, text: str, ctx: ExtractContext | None = None) -> list[Entity]:
        """All entities found in `text`, sorted by start offset. Never raises."""
        try:
            return self._extract(str(text or "")[:MAX_CHARS], ctx or ExtractContext())
        except Exception:  # noqa: BLE001 - the protocol promises no exceptions on odd input
            return []

    # ------------------------------------------------------------------ internals
    def _extract(self, text: str, ctx: ExtractContext) -> list[Entity]:
        if not text.strip():
            return []
        out: list[Entity] = []
        taken = bytearray(len(text))  # 1 = character already inside a stronger entity

        def free(s: int, e: int) -> bool:
            return taken.find(1, s, e) == -1

        def add(typ: str, value: Any, s: int, e: int, conf: float = 1.0, claim: bool = True) -> None:
            out.append(Entity(typ, value, s, e, text[s:e], conf, "rule"))
            if claim:
                taken[s:e] = b"\x01" * (e - s)

        for m in self.re_email.finditer(text):
            add("email", m.group().lower(), m.start(), m.end())
        for m in self.re_order.finditer(text):
            if free(m.start(), m.end()):
                add("order_id", "#W" + (m.group(1) or m.group(2)), m.start(), m.end())
        if ctx.expecting_type == "order_id":
            for m in self.re_bare7.finditer(text):
                if free(m.start(), m.end()):
                    add("order_id", "#W" + m.group(1), m.start(), m.end(), 0.8)
        for rx in (self.re_address, self.re_address_loose):
            for m in rx.finditer(text):
                if free(m.start(), m.end()):
                    add("address", self._address(m), m.start(), m.end())
        for m in self.re_money.finditer(text):
            if free(m.start(), m.end()):
                raw = next(g for g in m.groups() if g)
                add("money", float(raw.replace(",", "")), m.start(), m.end())
        for m in self.re_zip.finditer(text):
            if free(m.start(), m.end()):
                add("zip", m.group(1), m.start(), m.end())
        self._payment(text, ctx, add, free)
        self._names(text, add)
        prod_spans = self._products(text, ctx, add)
        self._options(text, ctx, add, free, prod_spans)
        self._numbers(text, ctx, add, free)
        self._boolean(text, add)
        for rx, val in ((self.re_reason_nln, "no longer needed"), (self.re_reason_mis, "ordered by mistake")):
            for m in rx.finditer(text):
                add("reason", val, m.start(), m.end(), claim=False)
                break
        out.sort(key=lambda e: (e.start, e.end))
        return out

    @staticmethod
    def _address(m: re.Match[str]) -> dict[str, str]:
        """Title-cased parts; country defaults to USA since the shop ships domestically."""
        country = m.group("country") or "USA"
        return {"address1": " ".join(w[:1].upper() + w[1:] for w in m.group("a1").split()),
                "address2": (m.group("a2") or "").strip().title(),
                "city": m.group("city").strip().title(), "state": m.group("state").upper(),
                "country": "USA" if country.replace(".", "").upper() in {"USA", "US"} or country.lower().startswith("united") else country,
                "zip": m.group("zip") or ""}

    def _payment(self, text: str, ctx: ExtractContext, add: Any, free: Any) -> None:
        """Payment methods: explicit id > last four > brand > source; resolved against ctx.user."""
        methods = {k: v for k, v in ((ctx.user or {}).get("payment_methods") or {}).items() if isinstance(v, dict)}
        for m in self.re_pm_id.finditer(text):
            pid = m.group().lower()
            if not methods or pid in methods:
                add("payment_method", pid if methods else {"source": pid.rsplit("_", 1)[0]}, m.start(), m.end())
        found: list[tuple[int, int, dict[str, str]]] = []
        for m in self.re_last4.finditer(text):
            found.append((m.start(), m.end(), {"source": "credit_card", "last_four": m.group(1) or m.group(2)}))
        for brand, rx in self.re_brand:
            found += [(m.start(), m.end(), {"source": "credit_card", "brand": brand}) for m in rx.finditer(text)]
        for src, rx in self.re_src:
            found += [(m.start(), m.end(), {"source": src}) for m in rx.finditer(text)]
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        # merge "visa ending in 9212" / "credit card ending 9212" into one mention
        merged: list[tuple[int, int, dict[str, str]]] = []
        for s, e, d in found:
            if merged and s <= merged[-1][1] + 3 and merged[-1][2]["source"] == d["source"] and not text[merged[-1][1]:s].strip(" ,-"):
                ps, pe, pd = merged[-1]
                merged[-1] = (ps, max(pe, e), {**pd, **d})
            elif not merged or s >= merged[-1][1]:
                merged.append((s, e, d))
        for s, e, d in merged:
            if not free(s, e):
                continue
            if not methods:
                add("payment_method", d, s, e)
                continue
            hits = [k for k, v in methods.items() if all(str(v.get(f, "")).lower() == str(x).lower() for f, x in d.items())]
            if len(hits) == 1:
                add("payment_method", hits[0], s, e)
            else:  # ambiguous or unknown: let the engine ask which one
                add("payment_method", d, s, e, 0.5)

    def _names(self, text: str, add: Any) -> None:
        """Only the trivial self-introduction; everything else is the spaCy layer's job.

        After "I'm"/"I am" a lower-case pair must end the clause ("i'm yusuf rossi, ..."),
        which rejects "i'm unhappy about the delay" without a word list of adjectives.
        """
        cap = lambda w: w[:1].upper() + w[1:]  # noqa: E731
        for m in self.re_name.finditer(text):
            first, last = m.group(1), m.group(2)
            told = m.group().lower().startswith(("my name", "name"))
            if first.lower() in _NAME_STOP or (not told and first.lower().endswith(("ing", "ed", "ly"))):
                continue
            if last and last.lower() in _NAME_STOP:
                last = None
            capital = first[0].isupper() and (last is None or last[0].isupper())
            if not told and not capital and (last is None or m.group("tail") is None):
                continue
            if last is None:
                if told or capital:
                    add("first_name", cap(first), m.start(1), m.end(1), 0.8)
                continue
            add("first_name", cap(first), m.start(1), m.end(1), 0.9)
            add("last_name", cap(last), m.start(2), m.end(2), 0.9)
            add("person_name", {"first_name": cap(first), "last_name": cap(last)}, m.start(1), m.end(2), 0.9)

    def _order_items(self, ctx: ExtractContext) -> list[dict[str, Any]]:
        return [i for i in ((ctx.order or {}).get("items") or []) if isinstance(i, dict) and i.get("item_id")]

    def _products(self, text: str, ctx: ExtractContext, add: Any) -> list[tuple[int, int, set[str]]]:
        """Catalogue products and, with ctx.order, the order's items they refer to."""
        items = self._order_items(ctx)
        in_order = {str(i.get("product_id")) for i in items}
        spans = [(s, e, ks) for s, e, ks in self.products.find(text)]
        if items:  # the order's own names cover products missing from the catalogue
            own = NameIndex({str(i.get("product_id")): str(i.get("name", "")) for i in items}).find(text)
            spans += [(s, e, ks) for s, e, ks in own if all(e <= a or s >= b for a, b, _ in spans)]
        for s, e, keys in spans:
            narrowed = keys & in_order if len(keys) > 1 and keys & in_order else keys
            if len(narrowed) == 1:
                pid = next(iter(narrowed))
                if not self.catalogue or pid in self.catalogue:
                    add("product", pid, s, e)
            hits = [i for i in items if str(i.get("product_id")) in narrowed]
            for it in self._narrow_items(hits, text):
                add("item", it["item_id"], s, e, 1.0 if len(hits) == 1 else 0.6, claim=False)
        item_ids = {str(i["item_id"]): i for i in items}
        for m in re.finditer(r"(?<!\d)\d{10}(?!\d)", text):
            if m.group() in item_ids:
                add("item", m.group(), m.start(), m.end())
        if items:
            m = self.re_all.search(text) or (self.re_both.search(text) if len(items) == 2 else None)
            if m:
                for it in items:
                    add("item", it["item_id"], m.start(), m.end(), claim=False)
            elif not ctx.choices:
                m = self.re_ord_ref.search(text) or (self.re_ordinal.search(text) if len(text.split()) <= 3 else None)
                if m:
                    n = self._ordinal_value(m.group())
                    if n and (n == -1 or n <= len(items)):
                        it = items[n - 1] if n > 0 else items[-1]
                        add("item", it["item_id"], m.start(), m.end(), 0.9, claim=False)
        return spans

    def _narrow_items(self, hits: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
        """Same product twice in one order: keep the variant whose option values are mentioned."""
        if len(hits) < 2:
            return hits
        said = {option_key(m.group()) for m in self.re_option.finditer(text)} if self.re_option else set()
        scored = [(sum(option_key(str(v)) in said for v in (h.get("options") or {}).values()), h) for h in hits]
        best = max(s for s, _ in scored)
        return [h for s, h in scored if s == best]

    def _options(self, text: str, ctx: ExtractContext, add: Any, free: Any, prod_spans: list) -> None:
        """Catalogue option values, named after the product in play when one narrows it."""
        mentioned = set().union(*(ks for _, _, ks in prod_spans if len(ks) == 1)) if prod_spans else set()
        extra = {str(ctx.extra.get("product_id"))} if ctx.extra.get("product_id") else set()
        ordered = {str(i.get("product_id")) for i in self._order_items(ctx)}
        tiers = [t for t in (mentioned, extra, ordered) if t]
        for m in self.re_size.finditer(text):
            raw = (m.group(1) or m.group(2)).lower()
            cands = [c for c in self.options.get(option_key(raw), []) if "size" in c[1].lower()]
            val = cands[0][2] if cands else raw.upper() if raw.isalpha() and len(raw) <= 3 else raw
            if free(m.start(), m.end()):
                add("option", {"name": "size", "value": val}, m.start(), m.end())
        if self.re_option is None:
            return
        for m in self.re_option.finditer(text):
            cands = self.options.get(option_key(m.group()), [])
            if not cands or not free(m.start(), m.end()):
                continue
            chosen = next(([c for c in cands if c[0] in t] for t in tiers if any(c[0] in t for c in cands)), [])
            if not chosen and (m.group().lower() in _WEAK_OPTIONS and ctx.expecting_type != "option"):
                continue
            names = Counter(c[1] for c in (chosen or cands))
            (name, _), value = names.most_common(1)[0], (chosen or cands)[0][2]
            add("option", {"name": name, "value": value}, m.start(), m.end(), 1.0 if len(names) == 1 else 0.7)

    @staticmethod
    def _ordinal_value(s: str) -> int | None:
        low = s.lower()
        for w, n in ORDINAL_WORDS.items():
            if re.search(rf"\b{w}\b", low):
                return n
        d = re.search(r"\d+", low)
        return int(d.group()) if d else None

    def _numbers(self, text: str, ctx: ExtractContext, add: Any, free: Any) -> None:
        """Quantities and ordinals need a cue word; bare numbers are everything left over."""
        for m in self.re_quantity.finditer(text):
            raw = next(g for g in m.groups() if g).lower()
            if m.group(4) and (ctx.choices or ctx.expecting_type not in (None, "quantity", "number")):
                continue
            val = int(raw) if raw.isdigit() else NUMBER_WORDS.get(re.sub(r"\s+", " ", raw))
            if val is not None and free(m.start(), m.end()):
                add("quantity", val, m.start(), m.end(), claim=False)
        nchoices = len(ctx.choices or [])
        lead = re.match(r"\W*(?:first|last)\s*,", text, _I)  # "First, I want to ..." is discourse, not a choice
        for m in self.re_ordinal.finditer(text):
            if m.group(3) and not nchoices:  # "#2" / "option 2" only mean a choice when offered
                continue
            if (lead and lead.end() <= m.end() + 2) or (m.group(1) and not m.group(2) and _in_sequence(text, m)):
                continue
            n = self._ordinal_value(m.group())
            if n and free(m.start(), m.end()):
                add("ordinal", n, m.start(), m.end())
        bare = re.fullmatch(r"\W*#?(\d{1,2})\W*", text)
        if bare and nchoices and 0 < int(bare.group(1)) <= nchoices and free(bare.start(1), bare.end(1)):
            add("ordinal", int(bare.group(1)), bare.start(1), bare.end(1), 0.9, claim=False)
        for m in self.re_number.finditer(text):
            if free(m.start(), m.end()):
                raw = m.group().replace(",", "")
                try:
                    add("number", int(raw) if re.fullmatch(r"-?\d+", raw) else float(raw), m.start(), m.end())
                except ValueError:
                    continue

    def _boolean(self, text: str, add: Any) -> None:
        """Yes/no only when the utterance is an answer: it starts with one or is very short."""
        n_words = len(text.split())
        for rx, val in ((self.re_yes_strong, True), (self.re_no_strong, False)):
            m = rx.search(text)
            if m:
                add("boolean", val, m.start(1), m.end(1), claim=False)
                return
        if n_words > 5:
            return
        hits = [(m, True) for m in self.re_yes_weak.finditer(text)] + [(m, False) for m in self.re_no_weak.finditer(text)]
        if hits:  # a negation anywhere wins: "ok, don't" / "please don't" mean no
            m, val = next((h for h in hits if not h[1]), hits[0])
            add("boolean", val, m.start(), m.end(), 0.8, claim=False)
