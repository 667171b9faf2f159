"""The conversation test format (see docs/conversation-tests.md) and its loader with file:line problems."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..flows.problems import Problem
from ..flows.yaml_loc import LocDict, LocList, YamlSyntaxError, load_yaml

TURN_KEYS = {"user", "text_contains", "text_matches", "route", "active_flow", "expecting", "slots", "actions",
             "ended"}
TEST_KEYS = {"name", "fixture", "turns", "store", "repairs", "router"}


@dataclass
class TurnSpec:
    user: str
    expect: dict[str, Any]
    line: int = 0


@dataclass
class TestSpec:
    name: str
    file: str
    line: int
    turns: list[TurnSpec]
    fixture: dict[str, Any] = field(default_factory=dict)
    store: dict[str, Any] = field(default_factory=dict)
    repairs: bool = True

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


class SpecError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_file(path: Path, display: str | None = None) -> list[TestSpec]:
    display = display or str(path)
    problems: list[Problem] = []

    def bad(where: tuple[int, int], message: str, hint: str = "") -> None:
        problems.append(Problem(display, where[0], where[1], message, hint, code="bad_test"))

    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        raise SpecError([Problem(display, exc.line, exc.col, f"YAML syntax error: {exc.message}")]) from None
    if isinstance(doc, LocDict) and "tests" in doc:
        doc = doc["tests"]
    if not isinstance(doc, LocList):
        raise SpecError([Problem(display, 1, 1, "a conversation test file is a list of tests",
                                 "start each test with `- name:`")])
    tests = []
    for i, raw in enumerate(doc):
        where = doc.loc_of(i)
        if not isinstance(raw, LocDict):
            bad(where, "a test must be a mapping with `name` and `turns`")
            continue
        for key in raw:
            if key not in TEST_KEYS:
                bad(raw.loc_of(key), f"unknown test key {key!r}", "allowed: " + ", ".join(sorted(TEST_KEYS)))
        name = str(raw.get("name") or f"test {i + 1}")
        turns_raw = raw.get("turns")
        if not isinstance(turns_raw, LocList) or not turns_raw:
            bad(raw.loc_of("turns") if "turns" in raw else where, f"test {name!r} needs a non-empty list of `turns`")
            continue
        turns = []
        for j, t in enumerate(turns_raw):
            tw = turns_raw.loc_of(j)
            if isinstance(t, str):
                turns.append(TurnSpec(t, {}, tw[0]))
                continue
            if not isinstance(t, LocDict) or "user" not in t:
                bad(tw, "a turn needs `user:` (a message or a /payload)")
                continue
            for key in t:
                if key not in TURN_KEYS:
                    bad(t.loc_of(key), f"unknown turn key {key!r}", "allowed: " + ", ".join(sorted(TURN_KEYS)))
            expect = {k: _plain(v) for k, v in t.items() if k != "user" and k in TURN_KEYS}
            turns.append(TurnSpec(str(t["user"]), expect, tw[0]))
        fixture = _plain(raw.get("fixture") or {})
        if isinstance(fixture, str):
            fixture = {"seed_dir": fixture}
        tests.append(TestSpec(name, display, where[0], turns, fixture, _plain(raw.get("store") or {}),
                              bool(raw.get("repairs", True))))
    if problems:
        raise SpecError(problems)
    return tests


def discover(paths: list[Path], root: Path) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(x for x in p.rglob("*.y*ml") if x.suffix in (".yaml", ".yml"))
        else:
            out.append(p)
    return out
