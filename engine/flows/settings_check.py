"""Check `models/*_settings.yaml` for `shoptalk validate`: unknown keys and bad values at file:line.

The settings classes ignore keys they do not know, so a typo (`temprature: 0.2`) silently changes
nothing; here it is an error with a "did you mean". Each value is checked against the type its
settings class declares (via pydantic), so the two can never disagree.
"""
from __future__ import annotations

import dataclasses
import difflib
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .problems import Problem
from .shape import read_yaml
from .yaml_loc import LocDict


def _router_fields() -> dict[str, Any]:
    from ..router.model import Settings

    hints = typing.get_type_hints(Settings)
    return {f.name: hints[f.name] for f in dataclasses.fields(Settings) if f.name != "extra"}


def _generator_fields() -> dict[str, Any]:
    from ..generator.settings import GeneratorSettings

    return {name: info.annotation for name, info in GeneratorSettings.model_fields.items()}


# settings file (under models/) -> its accepted keys and their types
SETTINGS_FILES: dict[str, Callable[[], dict[str, Any]]] = {
    "router_settings.yaml": _router_fields,
    "generator_settings.yaml": _generator_fields,
}
_RANGES = ("word_ngram", "char_ngram")  # [low, high] pairs


def check_settings(project: Path) -> list[Problem]:
    """Problems in every known settings file of the project (missing files are fine: defaults)."""
    out: list[Problem] = []
    for name, fields_of in SETTINGS_FILES.items():
        path = project / "models" / name
        if not path.is_file():
            continue
        try:
            fields = fields_of()
        except ImportError:  # the component is not installed: nothing reads this file
            continue
        out += check_settings_file(path, f"models/{name}", fields)
    return out


def check_settings_file(path: Path, shown: str, fields: dict[str, Any]) -> list[Problem]:
    from pydantic import TypeAdapter, ValidationError

    doc, unreadable = read_yaml(path, shown)
    if unreadable:
        return [unreadable]
    if doc is None:
        return []
    if not isinstance(doc, LocDict):
        return [Problem(shown, 1, 1, "a settings file is a mapping of `key: value` lines", code="bad_type")]
    out = []
    for key, value in doc.items():
        line, col = doc.loc_of(key)
        if key not in fields:
            close = difflib.get_close_matches(key, fields, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(fields))}"
            out.append(Problem(shown, line, col, f"unknown setting {key!r}", hint, code="unknown_key"))
            continue
        vline, vcol, _ = doc.text_of(key)
        try:
            checked = TypeAdapter(fields[key]).validate_python(value)
        except ValidationError as exc:
            reason = exc.errors()[0].get("msg", "invalid value")
            out.append(Problem(shown, vline, vcol, f"bad value for {key!r}: {value!r} ({reason.lower()})",
                               "" if "Literal" in str(fields[key]) else f"expected {_type_name(fields[key])}",
                               code="bad_value"))
            continue
        if key in _RANGES and checked[0] > checked[1]:
            out.append(Problem(shown, vline, vcol, f"{key} must be [low, high], not {list(value)}", code="bad_value"))
    return out


def _type_name(annotation: Any) -> str:
    text = str(annotation).replace("typing.", "")
    return getattr(annotation, "__name__", text) if not typing.get_args(annotation) else text
