"""Checks of the knowledge files for `shoptalk validate`: policy.md's structure, faq.yaml's entries and
cannot_do.yaml's replies (engine/knowledge/cannot_do.py).

Each problem names the file and line, like the flow checks: a designer edits these files by hand and
the assistant quotes them verbatim, so a hole such as "{days}" or an empty answer must fail before a
shopper reads it.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..flows.problems import Problem
from .cannot_do import cannot_do_problems
from .policy_file import read_policy
from .yaml_file import compose

HOLE = re.compile(r"\{\{?\s*[\w.]*\s*\}?\}|<[a-z_ ]+>|\[(?:insert|todo|placeholder)[^\]]*\]|\b(TODO|TBD|FIXME|XXX)\b|_{3,}",
                  re.I)


def knowledge_problems(project: Path) -> list[Problem]:
    folder = project / "knowledge"
    if not folder.is_dir():
        return []
    return (policy_problems(folder / "policy.md", project) + faq_problems(folder / "faq.yaml", project)
            + cannot_do_problems(folder / "cannot_do.yaml", _shown(folder / "cannot_do.yaml", project),
                                 _flow_ids(project), HOLE))


def _flow_ids(project: Path) -> set[str]:
    """The ids of the project's flows (flows/*.yaml), read loosely: the flow checks report a broken flow file."""
    ids = set()
    for f in sorted((project / "flows").glob("*.yaml")):
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.add(data["id"])
    return ids


def _shown(path: Path, project: Path) -> str:
    from ..paths import display_path

    return display_path(path, project)


def policy_problems(path: Path, project: Path) -> list[Problem]:
    if not path.exists():
        return []
    shown = _shown(path, project)
    return [Problem(shown, i.line, i.col, i.message, i.hint, i.severity, "invalid")  # type: ignore[arg-type]
            for i in read_policy(path).issues]


def faq_problems(path: Path, project: Path) -> list[Problem]:
    """faq.yaml: a list (or `faq:` list) of {q, a}; both present and text, no duplicate question, no hole."""
    if not path.exists():
        return []
    shown = _shown(path, project)
    root, broken = compose(path, shown)
    if root is None:
        return broken
    items = root
    if isinstance(root, yaml.MappingNode):
        items = next((v for k, v in root.value if k.value == "faq"), None)
        if items is None:
            return [Problem(shown, 1, 1, "no `faq:` list", "write `faq:` then `- q: ...` / `a: ...` entries",
                            code="bad_type")]
    if not isinstance(items, yaml.SequenceNode):
        m = items.start_mark
        return [Problem(shown, m.line + 1, m.column + 1, "the FAQ must be a list of entries", code="bad_type")]
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for node in items.value:
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if not isinstance(node, yaml.MappingNode):
            out.append(Problem(shown, line, col, "an FAQ entry must be a mapping with q and a", code="bad_type"))
            continue
        fields = {k.value: v for k, v in node.value}
        for key in sorted(set(fields) - {"q", "a"}):
            k_node = next(k for k, _ in node.value if k.value == key)
            out.append(Problem(shown, k_node.start_mark.line + 1, k_node.start_mark.column + 1,
                               f"unknown key {key!r} in an FAQ entry", "an entry has only q and a", code="unknown_key"))
        for key, name in (("q", "question"), ("a", "answer")):
            v = fields.get(key)
            if v is None or not isinstance(v, yaml.ScalarNode) or not str(v.value).strip():
                where = v.start_mark if v is not None else node.start_mark
                out.append(Problem(shown, where.line + 1, where.column + 1, f"an FAQ entry without its {name} ({key})",
                                   f"write `{key}: ...`", code="invalid"))
                continue
            if m := HOLE.search(str(v.value)):
                out.append(Problem(shown, v.start_mark.line + 1, v.start_mark.column + 1,
                                   f"a template hole or placeholder {m.group()!r} in the {name}",
                                   "the answer is quoted verbatim: write the fact itself", code="invalid"))
        q = fields.get("q")
        if isinstance(q, yaml.ScalarNode) and str(q.value).strip():
            key = re.sub(r"\W+", " ", str(q.value).lower()).strip()
            if key in seen:
                out.append(Problem(shown, q.start_mark.line + 1, q.start_mark.column + 1,
                                   f"the same question as line {seen[key]}", "merge the two entries", code="invalid"))
            seen.setdefault(key, q.start_mark.line + 1)
    return out
