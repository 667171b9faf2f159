"""What the shop cannot do, said honestly: the reply to a request no task does, written by designers in
knowledge/cannot_do.yaml with the tasks offered instead.

A request the router overrules to fallback ("cancel just the lamp from my order", "split the payment over two
cards": engine/unsupported_asks.py names the kinds) used to get the nearest retrieved passage or "I don't have
an answer to that": true words, no help. The reply says the rule and offers what the shop does instead. The
file is the designer's, so `shoptalk validate` checks it like the FAQ: each kind one the engine recognises, each
offered task a flow, a reply with no template hole, each problem with its file:line. Where the FAQ already
states the rule, the entry names that FAQ question (`faq:`) instead of a reply: the fact is written once.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..flows.problems import Problem
from ..unsupported_asks import ALL_KINDS
from .yaml_file import compose

FIELDS = ("reply", "faq", "offer", "covered")


@dataclass(frozen=True)
class CannotDo:
    """One kind of request no task does: the reply, the tasks offered (flow ids, in order), and whether the
    policy states the rule the reply gives (False: the shop's information is silent, the reply says so)."""

    kind: str
    reply: str
    offer: tuple[str, ...] = ()
    covered: bool = True
    faq: str = ""  # the FAQ question whose answer is the reply ("" : the reply is the entry's own)


def _faq_answers(project: Path) -> dict[str, str]:
    """FAQ question -> its answer as quoted (knowledge/faq.yaml)."""
    from .passages import faq_passages
    return {p.section: p.text for p in faq_passages(Path(project) / "knowledge" / "faq.yaml")}


def load_cannot_do(project: Path) -> dict[str, CannotDo]:
    """The valid entries of knowledge/cannot_do.yaml by kind ({} with no file); `shoptalk validate` reports
    the invalid ones, which are left out here rather than said half-written."""
    path = Path(project) / "knowledge" / "cannot_do.yaml"
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    out: dict[str, CannotDo] = {}
    faq = _faq_answers(project)
    for kind, entry in data.items() if isinstance(data, dict) else ():
        if kind not in ALL_KINDS or not isinstance(entry, dict):
            continue
        asked = str(entry.get("faq") or "").strip()
        reply = faq.get(asked, "") if asked else entry.get("reply")
        if isinstance(reply, str) and reply.strip():
            offer = entry.get("offer") or []
            out[kind] = CannotDo(kind, reply.strip(), tuple(str(f) for f in offer if isinstance(f, str)),
                                 bool(entry.get("covered", True)), asked)
    return out


def cannot_do_problems(path: Path, shown: str, flow_ids: set[str], hole) -> list[Problem]:
    """Problems of knowledge/cannot_do.yaml, each at its line: not YAML, not a mapping of kinds, an unknown kind,
    an unknown key, a missing or empty reply, a template hole, an offered task that is not a flow."""
    if not path.exists():
        return []
    faq = _faq_answers(path.parents[1])
    root, broken = compose(path, shown)
    if root is None:
        return broken
    at = lambda node: (node.start_mark.line + 1, node.start_mark.column + 1)  # noqa: E731
    if not isinstance(root, yaml.MappingNode):
        return [Problem(shown, *at(root), "cannot_do.yaml must map each kind to its reply", code="bad_type")]
    out: list[Problem] = []
    for k, v in root.value:
        if k.value not in ALL_KINDS:
            out.append(Problem(shown, *at(k), f"unknown kind {k.value!r}", "one of: " + ", ".join(ALL_KINDS),
                               code="unknown_key"))
            continue
        if not isinstance(v, yaml.MappingNode):
            out.append(Problem(shown, *at(v), f"{k.value}: write reply, offer and covered under it", code="bad_type"))
            continue
        fields = {f.value: (f, x) for f, x in v.value}
        for key in sorted(set(fields) - set(FIELDS)):
            out.append(Problem(shown, *at(fields[key][0]), f"unknown key {key!r} in {k.value}",
                               "the keys are " + ", ".join(FIELDS), code="unknown_key"))
        reply, asked = fields.get("reply", (None, None))[1], fields.get("faq", (None, None))[1]
        if asked is not None:  # the FAQ's answer is the reply: the question must be one of the FAQ's
            if str(getattr(asked, "value", "")).strip() not in faq:
                out.append(Problem(shown, *at(asked), f"{k.value}: no FAQ question {asked.value!r}",
                                   "copy a `q:` of knowledge/faq.yaml exactly", code="invalid"))
        elif not isinstance(reply, yaml.ScalarNode) or not str(reply.value).strip():
            out.append(Problem(shown, *at(reply if reply is not None else k), f"{k.value} has no reply",
                               "write `reply: ...`", code="invalid"))
        elif m := hole.search(str(reply.value)):
            out.append(Problem(shown, *at(reply), f"a template hole or placeholder {m.group()!r} in the reply",
                               "the reply is said as written: write the words themselves", code="invalid"))
        offer = fields.get("offer", (None, None))[1]
        if offer is not None and not isinstance(offer, yaml.SequenceNode):
            out.append(Problem(shown, *at(offer), f"{k.value}: offer must be a list of flow ids", code="bad_type"))
        for item in offer.value if isinstance(offer, yaml.SequenceNode) else ():
            if str(item.value) not in flow_ids:
                out.append(Problem(shown, *at(item), f"offered task {item.value!r} is not a flow",
                                   "one of: " + ", ".join(sorted(flow_ids)), code="unknown_flow"))
    return out
