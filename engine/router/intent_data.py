"""Load and check designer-written intent files (`intents/*.yaml`).

Format (one file per flow or theme; a file holds one entry or a list of entries)::

    intent: return_items
    examples:
      - I want to return the keyboard from [#W2378156](order_id)
      - can i get my money back for the lamp

Inline entity annotations `[text](type)` are kept for extraction tests and stripped for training.
Each `intent: fallback` entry is trained as its own fallback *topic* (named by its `description`, or
file and position): open questions are too varied for one linear class, and the router collapses
the topics back into `fallback` when it answers.
Every problem is reported with file:line:col (from the YAML node marks) and a hint.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from engine.flows.problems import Problem

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 31k examples load in ~0.5 s, not 3 s
ANNOTATION = re.compile(r"\[([^\]\[]+)\]\(([A-Za-z_][\w]*)\)")

FLOW_INTENTS = (
    "order_status", "cancel_order", "return_items", "exchange_items", "change_order_items",
    "change_order_address", "change_order_payment", "change_default_address", "checkout", "handoff",
)
REPAIR_INTENTS = ("affirm", "deny", "cancel", "start_over", "correction", "help")
CHITCHAT_INTENTS = ("greet", "goodbye")
FALLBACK = "fallback"
SLOT_ANSWER = "slot_answer"
ROUTER_LABELS = FLOW_INTENTS + REPAIR_INTENTS + CHITCHAT_INTENTS + (FALLBACK,)


class IntentFileError(ValueError):
    """Raised when one or more intent files are malformed; `problems` lists each with file:line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Example:
    text: str            # annotation-free text used for training
    intent: str
    raw: str = ""        # as written, with [value](type) annotations
    entities: list[tuple[str, str]] = field(default_factory=list)  # (value, type)
    file: str = ""
    line: int = 0
    topic: str = ""      # fallback entries only: which fallback topic (see module docstring)

    @property
    def train_label(self) -> str:
        """The class the classifier learns: the intent, or `fallback:<topic>`."""
        return f"{FALLBACK}:{self.topic}" if self.intent == FALLBACK and self.topic else self.intent


def strip_annotations(raw: str) -> tuple[str, list[tuple[str, str]]]:
    ents = [(m.group(1), m.group(2)) for m in ANNOTATION.finditer(raw)]
    return ANNOTATION.sub(lambda m: m.group(1), raw), ents


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node):
    return node.value if isinstance(node, yaml.ScalarNode) else None


def parse_intent_file(path: Path, known: tuple[str, ...] | None = ROUTER_LABELS) -> tuple[list[Example], list[Problem]]:
    """Parse one file; returns examples and problems (never raises on content)."""
    fname = str(path)
    problems: list[Problem] = []
    examples: list[Example] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(fname, 1, 1, f"cannot read file: {exc}", "save it as UTF-8 text")]
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        line, col = (m.line + 1, m.column + 1) if m else (1, 1)
        return [], [Problem(fname, line, col, f"YAML syntax error: {exc.problem or exc}",
                            "check indentation and quote examples containing ': ' or '#'")]
    if root is None:
        return [], [Problem(fname, 1, 1, "file is empty", "add `intent:` and `examples:`")]
    entries = root.value if isinstance(root, yaml.SequenceNode) else [root]
    for pos, entry in enumerate(entries):
        line, col = _mark(entry)
        if not isinstance(entry, yaml.MappingNode):
            problems.append(Problem(fname, line, col, "expected a mapping with `intent` and `examples`",
                                    "write `intent: name` then `examples:` with a list"))
            continue
        fields = {_scalar(k): (k, v) for k, v in entry.value}
        for key, (knode, _) in fields.items():
            if key not in ("intent", "examples", "description"):
                kl, kc = _mark(knode)
                problems.append(Problem(fname, kl, kc, f"unknown key {key!r}", "allowed keys: intent, examples, description"))
        if "intent" not in fields:
            problems.append(Problem(fname, line, col, "missing `intent:`", "name the intent, e.g. `intent: return_items`"))
            continue
        inode = fields["intent"][1]
        intent = _scalar(inode)
        il, ic = _mark(inode)
        if not intent or not isinstance(intent, str):
            problems.append(Problem(fname, il, ic, "`intent` must be a non-empty string"))
            continue
        if known is not None and intent not in known:
            problems.append(Problem(fname, il, ic, f"unknown intent {intent!r}",
                                    "one of: " + ", ".join(known)))
            continue
        if "examples" not in fields:
            problems.append(Problem(fname, line, col, f"intent {intent!r} has no `examples:`", "add a list of example messages"))
            continue
        topic = ""
        if intent == FALLBACK:
            desc = _scalar(fields["description"][1]) if "description" in fields else None
            topic = str(desc).strip() if desc else f"{path.stem}#{pos + 1}"
        enode = fields["examples"][1]
        if not isinstance(enode, yaml.SequenceNode):
            el, ec = _mark(enode)
            problems.append(Problem(fname, el, ec, "`examples` must be a list", "write each example on its own `- ` line"))
            continue
        for item in enode.value:
            xl, xc = _mark(item)
            if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
                problems.append(Problem(fname, xl, xc, "example must be a non-empty string",
                                        "quote it if it contains ': ' or starts with a special character"))
                continue
            raw = str(item.value).strip()
            if raw.count("[") != raw.count("]"):
                problems.append(Problem(fname, xl, xc, "unbalanced [ ] in annotation", "annotate as [text](entity_type)"))
                continue
            clean, ents = strip_annotations(raw)
            examples.append(Example(clean, intent, raw, ents, fname, xl, topic))
    return examples, problems


def intent_files(intents_dir: Path) -> list[Path]:
    return sorted(p for p in Path(intents_dir).glob("*.yaml") if p.is_file()) + \
        sorted(p for p in Path(intents_dir).glob("*.yml") if p.is_file())


def load_intents(intents_dir: Path, known: tuple[str, ...] | None = ROUTER_LABELS) -> list[Example]:
    """Load every intent file; raises IntentFileError listing all problems at once."""
    files = intent_files(intents_dir)
    if not files:
        raise IntentFileError([Problem(str(intents_dir), 0, 0, "no intent files found", "add intents/*.yaml")])
    out: list[Example] = []
    problems: list[Problem] = []
    for f in files:
        ex, pr = parse_intent_file(f, known)
        out.extend(ex)
        problems.extend(pr)
    if problems:
        raise IntentFileError(problems)
    return out


def data_hash(intents_dir: Path, extra: bytes = b"") -> str:
    """sha256 over the names and bytes of every intent file (plus settings bytes)."""
    h = hashlib.sha256()
    for f in intent_files(intents_dir):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    h.update(extra)
    return h.hexdigest()
