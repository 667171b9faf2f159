"""Cross-checks between flows and intent examples for `shoptalk validate`.

Each mistake is found where the designer wrote it: an intent at its `intent:` line, an example at
its own line and column, a flow at its `intents:` list. All are warnings (the engine still runs),
so a large generated data file that shares a few examples with a hand-written one never blocks.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import display_path
from .model import Flow, Loc
from .problems import Problem

MIN_EXAMPLES = 5
# Labels the engine answers with its own commands or pattern flows, never by starting a user flow.
DEFAULT_EXEMPT = frozenset({"affirm", "deny", "cancel", "start_over", "correction", "help", "greet", "goodbye",
                            "fallback", "inform", "slot_answer"})


@dataclass
class IntentSite:
    """An intent as written: where it is first named, and each example's position."""

    name: str
    loc: Loc
    examples: list[tuple[str, Loc]] = field(default_factory=list)


class _Lines:
    """Reads each intent file once, to find columns and `intent:` lines the example loader omits."""

    def __init__(self) -> None:
        self._files: dict[str, list[str]] = {}

    def get(self, file: str) -> list[str]:
        if file not in self._files:
            try:
                self._files[file] = Path(file).read_text(encoding="utf-8").splitlines()
            except OSError:
                self._files[file] = []
        return self._files[file]

    def example_col(self, file: str, line: int, raw: str) -> int:
        """The column of an example as written (its opening quote, if quoted), on block or flow lists."""
        text = self.get(file)[line - 1] if 0 < line <= len(self.get(file)) else ""
        at = text.find(raw) if raw else -1
        if at >= 0:
            return at + 1 - (at > 0 and text[at - 1] in "'\"")
        m = re.match(r"\s*-\s*", text)
        return (m.end() if m else len(text) - len(text.lstrip())) + 1

    def intent_loc(self, file: str, first_example: int, intent: str, shown: str) -> Loc:
        """The `intent: name` line above an intent's first example."""
        lines = self.get(file)
        pattern = re.compile(r"^(\s*-?\s*intent:\s*)[\"']?" + re.escape(intent) + r"[\"']?\s*(#.*)?$")
        for n in range(min(first_example, len(lines)), 0, -1):
            m = pattern.match(lines[n - 1])
            if m:
                return Loc(shown, n, m.end(1) + 1)
        return Loc(shown, max(first_example, 1), 1)


def index_intents(examples: Iterable, root: Path | None = None) -> dict[str, IntentSite]:
    """IntentSite per intent name, from the intent loader's examples (text, intent, file, line)."""
    lines = _Lines()
    sites: dict[str, IntentSite] = {}
    for ex in examples:
        shown = display_path(ex.file, root)
        if ex.intent not in sites:
            sites[ex.intent] = IntentSite(ex.intent, lines.intent_loc(ex.file, ex.line, ex.intent, shown))
        col = lines.example_col(ex.file, ex.line, ex.raw or ex.text)
        sites[ex.intent].examples.append((ex.text, Loc(shown, ex.line, col)))
    return sites


def crosscheck(flows: list[Flow], examples: list, root: Path | None = None,
               exempt: Iterable[str] = DEFAULT_EXEMPT) -> list[Problem]:
    """Warnings about intents and flows that do not meet, shared examples and thin intents."""
    sites = index_intents(examples, root)
    return [*_intents_without_flow(flows, sites, set(exempt)), *_flows_without_intent(flows, sites),
            *_shared_examples(sites), *_too_few_examples(sites)]


def _intents_without_flow(flows: list[Flow], sites: dict[str, IntentSite], exempt: set[str]) -> list[Problem]:
    started = {i for f in flows for i in f.intents} | {f.id for f in flows}
    return [Problem.at(site.loc, f"intent {name!r} starts no flow",
                       "add it to a flow's `intents:`, or remove its examples", "warning", "intent_without_flow")
            for name, site in sites.items() if name not in started and name not in exempt]


def _flows_without_intent(flows: list[Flow], sites: dict[str, IntentSite]) -> list[Problem]:
    """A flow only reachable by a button payload: no intent with examples starts it. Flows that other
    flows call, the handoff flow and pattern flows are started by the engine and need none."""
    started_by_engine = {s.flow for f in flows for s in f.steps if s.kind == "call"}
    if any(s.kind == "handoff" for f in flows for s in f.steps):
        started_by_engine.add("handoff")
    out = []
    for flow in flows:
        if flow.pattern or flow.id in started_by_engine or any(i in sites for i in flow.intents):
            continue
        where = flow.intents_loc or flow.loc
        named = ", ".join(flow.intents) or "none"
        out.append(Problem.at(where, f"no intent starts flow {flow.id!r} (its intents: {named})",
                              "add examples for one of its intents in intents/", "warning", "flow_without_intent"))
    return out


def _shared_examples(sites: dict[str, IntentSite]) -> list[Problem]:
    first: dict[str, tuple[str, Loc]] = {}
    out = []
    for name, site in sites.items():
        for text, loc in site.examples:
            key = " ".join(text.lower().split())
            other = first.setdefault(key, (name, loc))
            if other[0] != name:
                out.append(Problem.at(loc, f"example {text!r} of {name!r} is also an example of {other[0]!r}",
                                      f"also at {other[1].file}:{other[1].line}; keep it in one intent",
                                      "warning", "shared_example"))
    return sorted(out, key=lambda p: (p.file, p.line))


def _too_few_examples(sites: dict[str, IntentSite]) -> list[Problem]:
    return [Problem.at(site.loc, f"intent {name!r} has only {len(site.examples)} example(s)",
                       f"give at least {MIN_EXAMPLES} so the router can learn it", "warning", "too_few_examples")
            for name, site in sites.items() if len(site.examples) < MIN_EXAMPLES]

