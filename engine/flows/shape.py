"""Shape checks shared by the file parsers: problems with a location, and value types from the key table.

A wrong type is reported at its key and the key is then treated as absent, so one mistake gives one
problem and never a traceback further on (see tests/test_loader_fuzz.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .keys import Key
from .model import Loc
from .problems import Problem
from .yaml_loc import LocDict, YamlSyntaxError, load_yaml

_JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str, "number": (int, float), "integer": int, "boolean": bool, "null": type(None),
    "array": list, "object": dict}
_TYPE_WORDS = {"string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
               "null": "empty", "array": "a list", "object": "a mapping"}


class ShapeChecker:
    """Collects problems for one file (`display` is its name in messages)."""

    def __init__(self, display: str):
        self.file = display
        self.problems: list[Problem] = []

    def problem(self, where: tuple[int, int], message: str, hint: str = "", code: str = "invalid") -> None:
        self.problems.append(Problem(self.file, where[0], where[1], message, hint, code=code))

    def loc(self, where: tuple[int, int]) -> Loc:
        return Loc(self.file, where[0], where[1])

    def typed(self, doc: LocDict, fields: dict[str, Key], what: str) -> LocDict:
        """`doc` without the keys whose value has the wrong type (each reported at its key)."""
        bad = [k for k, v in doc.items() if k in fields and not type_ok(v, fields[k].types)]
        for key in bad:
            wanted = " or ".join(_TYPE_WORDS[t] for t in fields[key].types)
            self.problem(doc.loc_of(key), f"`{key}` of {what} must be {wanted}, not {describe(doc[key])}",
                         fields[key].doc, code="bad_type")
        if not bad:
            return doc
        out = LocDict((k, v) for k, v in doc.items() if k not in bad)
        out.loc, out.key_locs, out.value_texts = doc.loc, doc.key_locs, doc.value_texts
        return out

    def scalar(self, value: Any, where: tuple[int, int], what: str) -> bool:
        """True for text, numbers and booleans; reports anything else (lists, mappings, null)."""
        if isinstance(value, (str, int, float, bool)):
            return True
        self.problem(where, f"{what} must be text or a number, not {describe(value)}", code="bad_type")
        return False


def read_yaml(path: Path, file: str) -> tuple[Any, Problem | None]:
    """A designer's YAML file as (document, None), or (None, the problem) when it is not UTF-8 or not YAML."""
    try:
        return load_yaml(path.read_text(encoding="utf-8")), None
    except UnicodeDecodeError as exc:
        return None, Problem(file, 1, 1, f"file is not UTF-8 ({exc.reason})", code="encoding")
    except YamlSyntaxError as exc:
        return None, Problem(file, exc.line, exc.col, f"YAML syntax error: {exc.message}", code="yaml_syntax")


def type_ok(value: Any, types: tuple[str, ...]) -> bool:
    return any(isinstance(value, _JSON_TYPES[t]) and not (t in ("number", "integer") and isinstance(value, bool))
               for t in types)


def describe(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return f"{value!r}"
