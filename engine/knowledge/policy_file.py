"""`knowledge/policy.md`: the store policy in the shop's voice, one fact per bullet, read for retrieval.

The format is small on purpose, so that a designer can edit it and a claim can be checked against
the one fact it belongs to:

    <!-- comments, e.g. the licence note -->
    # Store policy
    ## Cancelling an order
    - You can cancel an order only while it is pending.

A section whose heading starts with "Internal" holds rules meant for the assistant alone (the seed's
"you should at most make one tool call at a time"): the loader never turns it into passages, so it is
never retrieved or quoted; the knowledge bench reads it to fail any answer that quotes one of them.
`parse_policy` never raises: it returns what it could read plus the problems, each with its line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

INTERNAL = re.compile(r"^internal\b", re.I)
# words that address the assistant, not the shopper: a bullet with one belongs in the Internal section
AGENT_VOICE = re.compile(r"\b(tool calls?|the user|the agent|you should|you have to authenticate|"
                         r"user id via|database)\b", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


@dataclass(frozen=True)
class Bullet:
    text: str
    line: int


@dataclass
class PolicySection:
    heading: str
    line: int
    bullets: list[Bullet] = field(default_factory=list)

    @property
    def internal(self) -> bool:
        return bool(INTERNAL.match(self.heading))


@dataclass(frozen=True)
class PolicyIssue:
    """A departure from the format: where, what, how to fix it; `severity` as in `shoptalk validate`."""

    line: int
    col: int
    message: str
    hint: str = ""
    severity: str = "error"


@dataclass
class PolicyDoc:
    title: str = ""
    sections: list[PolicySection] = field(default_factory=list)
    issues: list[PolicyIssue] = field(default_factory=list)

    def shopper_sections(self) -> list[PolicySection]:
        return [s for s in self.sections if not s.internal]

    def internal_rules(self) -> list[str]:
        return [b.text for s in self.sections if s.internal for b in s.bullets]


def parse_policy(text: str) -> PolicyDoc:
    doc = PolicyDoc()
    section: PolicySection | None = None
    in_comment = False
    seen: dict[str, int] = {}
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if in_comment:
            in_comment = "-->" not in line
            continue
        if line.startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if not line:
            continue
        if line.startswith("# "):
            if doc.title or doc.sections:
                doc.issues.append(PolicyIssue(n, 1, "a second '# ' title line", "use '## ' for a section"))
            else:
                doc.title = line[2:].strip()
            continue
        if line.startswith("## "):
            if not doc.title:
                doc.issues.append(PolicyIssue(n, 1, "a section before the '# ' title line", "start with '# Store policy'"))
            section = PolicySection(line[3:].strip(), n)
            doc.sections.append(section)
            continue
        if line.startswith("#"):
            doc.issues.append(PolicyIssue(n, 1, f"unsupported heading {line.split()[0]!r}",
                                          "only '# ' (title) and '## ' (section) headings"))
            continue
        if not line.startswith("- "):
            col = len(raw) - len(raw.lstrip()) + 1
            doc.issues.append(PolicyIssue(n, col, "text outside a bullet", "write each fact as one '- ' bullet line"))
            continue
        body = line[2:].strip()
        if section is None:
            doc.issues.append(PolicyIssue(n, 1, "a bullet before the first '## ' section", "put it under a section"))
            continue
        section.bullets.append(Bullet(body, n))
        if section.internal:
            continue
        if not body.endswith("."):
            doc.issues.append(PolicyIssue(n, len(raw.rstrip()), "a bullet must end with '.'", "one sentence per bullet"))
        if _SENTENCE_BREAK.search(body.rstrip(".")):
            doc.issues.append(PolicyIssue(n, 3, "more than one sentence in a bullet",
                                          "one fact per bullet: split it into two bullets"))
        if re.search(r"\{|\}|<[a-z_ ]+>|\b(TODO|TBD|FIXME|XXX)\b", body):
            doc.issues.append(PolicyIssue(n, 3, "a template hole or placeholder in a bullet",
                                          "write the fact itself"))
        if m := AGENT_VOICE.search(body):
            doc.issues.append(PolicyIssue(n, 3 + m.start(), f"'{m.group()}' addresses the assistant, not the shopper",
                                          "move the rule to an 'Internal' section", "warning"))
        key = re.sub(r"\W+", " ", body.lower()).strip()
        if key in seen:
            doc.issues.append(PolicyIssue(n, 3, f"the same fact as line {seen[key]}", "remove one of them"))
        seen.setdefault(key, n)
    if in_comment:
        doc.issues.append(PolicyIssue(n if text else 1, 1, "a comment '<!--' that is never closed", "close it with '-->'"))
    if not doc.title:
        doc.issues.append(PolicyIssue(1, 1, "no '# ' title line", "start with '# Store policy'"))
    for s in doc.sections:
        if not s.bullets:
            doc.issues.append(PolicyIssue(s.line, 1, f"section {s.heading!r} has no bullet", "add facts or remove it"))
    if not doc.shopper_sections():
        doc.issues.append(PolicyIssue(1, 1, "no section for shoppers", "add '## ' sections with '- ' bullets"))
    return doc


def read_policy(path: Path) -> PolicyDoc:
    return parse_policy(path.read_text(encoding="utf-8")) if path.exists() else PolicyDoc()
