"""Messages in a language the assistant does not speak: a short reply in that language, with the task buttons.

Decided once per turn at the engine's entrance, before any routing: the router and the flows only know
English, so "我想退货" or "quiero devolver mi pedido" would otherwise get the English fallback. Only
messages long enough to identify are looked at (three words or more, or two characters of a script
without spaces such as Chinese), after removing what is the same in every language: order ids, emails,
numbers and links. English and the answers to an open question (ids, emails, names, addresses) are never
touched: a question that waits for an answer only lets a message in a non-Latin script through.

The identifier is lingua-language-detector (models inside the wheel, nothing downloaded), limited to
English and the languages that have a reply in `languages.yaml`, which designers edit. Why lingua and not
py3langid: bench/language_bench.py, docs/flows.md#other-languages.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

FILE = "languages.yaml"
log = logging.getLogger("shoptalk.engine")  # a logger the PII filter covers (service/redact.py)
# A language is answered only when the identifier is this sure of it and this unsure of English: short
# English with typos ("wheres my oder") must never get the reply (bench/language_bench.py).
MIN_CONFIDENCE = 0.50
MAX_ENGLISH = 0.15
MIN_WORDS, MIN_LETTERS, MIN_IDEOGRAPHS = 3, 12, 2

_NOISE = re.compile(r"\S+@\S+|https?://\S+|#?\b[A-Za-z]?\d[\d\-]*\b|[/_]\w+")
_SPACELESS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI")

# Words of English that are not words of the languages with a reply (not "is", "in", "a", "me", "do"):
# two of them and the message is (also) English, whatever the identifier says of its typos.
_ENGLISH = frozenset("the my you your it to and with this that what where when how can please want need "
                     "i i'm there have has not".split())
Detect = Callable[[str], Sequence[tuple[str, float]]]  # text -> (ISO 639-1 code, confidence), best first


class LanguageFileError(ValueError):
    """languages.yaml is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Identified:
    code: str
    confidence: float


@dataclass(frozen=True)
class LanguageGate:
    """The replies by language code and the identifier limited to those languages and English."""

    replies: dict[str, str]
    detect: Detect

    def identify(self, text: str, *, answering: bool = False) -> Identified | None:
        """The language of `text` if it is one with a reply (not English) and surely so, else None.
        `answering`: a question waits for an answer, so only a non-Latin script is looked at."""
        words = _NOISE.sub(" ", text)
        letters = [c for c in words if c.isalpha()]
        spaceless = sum(1 for c in letters if unicodedata.name(c, "").startswith(_SPACELESS))
        latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
        if spaceless >= MIN_IDEOGRAPHS and spaceless > latin:
            pass  # Chinese, Japanese, Korean, Thai: two characters already say a lot
        elif answering:
            return None  # "Jean-Pierre Dubois", "12 Rua das Flores": answers, in whatever language
        else:
            every = re.findall(r"[^\W\d_][\w']*", words.lower())
            if len(_ENGLISH & set(every)) >= 2:
                return None  # English is in it ("... por favor / I need a person"): the shopper can read English
            words = _without_names(words)
            if len(re.findall(r"[^\W\d_][\w']+", words)) < MIN_WORDS or sum(map(len, every)) < MIN_LETTERS:
                return None  # too short to tell ("ok", "la la la", "Maria Lopez", "shipemnts to Toronto")
        scores = dict(self.detect(words.lower() if words.isupper() else words))
        best = max(scores, key=scores.__getitem__, default="en")
        if best == "en" or best not in self.replies:
            return None
        if scores[best] < MIN_CONFIDENCE or scores.get("en", 0.0) > MAX_ENGLISH:
            return None
        return Identified(best, round(scores[best], 3))


def _without_names(text: str) -> str:
    """The words without capitalised ones inside a sentence: names, places and products ("Jean-Pierre
    Dubois", "Avenida Paulista", "Café Olé") say where a thing comes from, not the shopper's language."""
    tokens = text.split()
    kept = [t for i, t in enumerate(tokens) if i == 0 or not t[:1].isupper() or tokens[i - 1][-1:] in ".!?"]
    return " ".join(kept)


def lingua_detector(codes: Sequence[str], low_accuracy: bool = False) -> Detect:
    """lingua limited to `codes` (+ English), models preloaded so the first shopper does not wait.
    `low_accuracy`: trigram models only (less memory, weaker on short text; compared in the bench)."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = {Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in {*codes, "en"}}
    builder = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models()
    detector = (builder.with_low_accuracy_mode() if low_accuracy else builder).build()

    def detect(text: str) -> list[tuple[str, float]]:
        return [(v.language.iso_code_639_1.name.lower(), v.value)
                for v in detector.compute_language_confidence_values(text)]

    return detect


def read_replies(path: Path) -> dict[str, str]:
    """`replies: {code: text}` from languages.yaml, checked (code: two letters lingua knows; text: not empty)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise LanguageFileError(f"{path}: not valid YAML: {exc}") from None
    replies = data.get("replies") if isinstance(data, dict) else None
    if not isinstance(replies, dict) or not replies:
        raise LanguageFileError(f"{path}: expected `replies:` with one text per language code (es: ..., zh: ...)")
    from lingua import IsoCode639_1

    for code, reply in replies.items():
        if not isinstance(code, str) or not hasattr(IsoCode639_1, code.upper()) or code == "en":
            raise LanguageFileError(f"{path}: replies.{code}: not a two-letter language code other than en")
        if not isinstance(reply, str) or not reply.strip():
            raise LanguageFileError(f"{path}: replies.{code}: the reply must be text")
    return {code: " ".join(reply.split()) for code, reply in replies.items()}


def language_problems(project: Path) -> list:
    """`shoptalk validate`: a malformed languages.yaml as a file:line problem, so a designer's typo fails
    the check instead of silently turning the language replies off when the service reloads."""
    from .flows.problems import Problem
    from .paths import display_path

    path = Path(project) / FILE
    if not path.exists():
        return []
    try:
        read_replies(path)
    except ImportError:
        return []
    except LanguageFileError as exc:
        text = path.read_text(encoding="utf-8", errors="replace")
        key = re.search(r"replies\.(\w+)", str(exc))
        line = 1
        if key:
            at = re.search(rf"^\s*{re.escape(key.group(1))}\s*:", text, re.M)
            line = text.count("\n", 0, at.start()) + 1 if at else 1
        elif (mark := re.search(r"line (\d+)", str(exc))):
            line = int(mark.group(1))
        message = str(exc).split(": ", 1)[-1]
        return [Problem(display_path(path, project), line, 1, message,
                        "one `code: text` line per language under `replies:`", code="invalid_languages")]
    return []


@lru_cache(maxsize=4)
def _gate(path: Path, mtime_ns: int) -> LanguageGate:
    """Built once per version of the file: the detector is the expensive part (read-only once built)."""
    replies = read_replies(path)
    return LanguageGate(replies, lingua_detector(sorted(replies)))


def gate_for(project_dir: Path | None, *, strict: bool = False) -> LanguageGate | None:
    """The project's gate, or None without languages.yaml or without lingua installed. A malformed file
    raises LanguageFileError when `strict` (loading a project), else is logged and skipped (an edit made
    while the service runs must not break conversations)."""
    path = Path(project_dir or ".") / FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    try:
        return _gate(path.resolve(), mtime)
    except ImportError:
        return None
    except LanguageFileError as exc:
        if strict:
            raise
        log.warning("%s", exc)
        return None


def other_language(engine: Any, ctx: Any, text: str) -> Any:
    """Answer a message in another language (the reply and the task buttons) and return its Route,
    or None when the turn goes on as usual. Button presses and typed triggers are never looked at."""
    from .contracts import Button, Route

    gate = gate_for(getattr(engine, "project_dir", None))
    if gate is None or text.lstrip().startswith("/"):
        return None
    top = ctx.state.top
    found = gate.identify(text, answering=top is not None and top.waiting is not None)
    if found is None:
        return None
    route = Route(label="other_language", confidence=found.confidence, decided_by=f"rule:language:{found.code}")
    ctx.log("route", label=route.label, confidence=route.confidence, decided_by=route.decided_by)
    buttons = [Button(title=f["title"], payload=f["payload"]) for f in engine.flow_catalog()]
    ctx.say(gate.replies[found.code], buttons)
    ctx.state.buttons = [{"title": b.title, "payload": b.payload} for b in buttons]  # "2" presses the second
    return route
