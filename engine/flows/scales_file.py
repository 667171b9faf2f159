"""Read ordering tables: a slot's `scales:` lists and a project's `flows/scales/*.yaml` files.

Shoppers say "bigger", "less bright", "the cheapest"; the resolver needs to know that M < L and
that "bright" is about brightness. The engine ships defaults (engine/slots/scales.yaml, read with
the same parser); designers add or replace entries in their project without touching code. The
files live in a sub-folder so the flow loader, which reads `flows/*.yaml` only, never takes one
for a flow, and every mistake is reported with file:line like any flow problem.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..paths import display_path
from .keys import COMPARATIVE_FIELDS, SCALES_FIELDS
from .model import Comparative, Scales
from .problems import Problem
from .shape import ShapeChecker, read_yaml
from .yaml_loc import LocDict, LocList

SCALES_DIR = "scales"   # flows/scales/*.yaml


def parse_orders(checker: ShapeChecker, raw: Any, where: tuple[int, int], what: str) -> tuple[tuple[str, ...], ...]:
    """Lists of option values, lowest first; each needs two or more distinct values."""
    if not isinstance(raw, list):
        checker.problem(where, f"{what} must be a list of lists of option values, lowest first",
                        "e.g. - [S, M, L, XL]", code="bad_type")
        return ()
    out = []
    for i, entry in enumerate(raw):
        at = raw.loc_of(i) if isinstance(raw, LocList) else where
        if not isinstance(entry, list) or not all(isinstance(v, (str, int, float)) for v in entry):
            checker.problem(at, f"each entry of {what} must be a list of option values, lowest first",
                            "e.g. - [low, medium, high]", code="bad_type")
            continue
        # YAML reads a bare no/yes as false/true: an ordering means the words
        values = tuple(("yes" if v else "no") if isinstance(v, bool) else str(v).strip() for v in entry)
        if len(values) < 2 or len({v.lower() for v in values}) != len(values) or not all(values):
            checker.problem(at, f"an ordering in {what} needs two or more different values",
                            "e.g. - [low, medium, high]", code="bad_value")
            continue
        out.append(values)
    return tuple(out)


def _words(checker: ShapeChecker, spec: LocDict, key: str, what: str) -> tuple[str, ...]:
    raw = spec.get(key) or []
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        checker.problem(spec.loc_of(key), f"`{key}` of {what} must be a list of words", code="bad_type")
        return ()
    return tuple(w.strip().lower() for w in raw)


def parse_comparatives(checker: ShapeChecker, raw: Any, where: tuple[int, int]) -> tuple[Comparative, ...]:
    if not isinstance(raw, LocDict):
        checker.problem(where, "`comparatives` must map a dimension name to options/up/down", code="bad_type")
        return ()
    out = []
    for name, spec in raw.items():
        at = raw.loc_of(name)
        what = f"comparative {name!r}"
        if not isinstance(spec, LocDict):
            checker.problem(at, f"{what} must be a mapping with options, up, down or price", code="bad_type")
            continue
        for key in spec:
            if key not in COMPARATIVE_FIELDS:
                checker.problem(spec.loc_of(key), f"unknown key {key!r} in {what}",
                                f"allowed: {', '.join(sorted(COMPARATIVE_FIELDS))}", code="unknown_key")
        spec = checker.typed(spec, COMPARATIVE_FIELDS, what)
        comp = Comparative(str(name), _words(checker, spec, "options", what), _words(checker, spec, "up", what),
                           _words(checker, spec, "down", what), bool(spec.get("price", False)))
        if not (comp.up or comp.down):
            checker.problem(at, f"{what} needs `up` or `down` words", "e.g. up: [big, large]", code="bad_value")
            continue
        if not comp.price and not comp.options:
            checker.problem(at, f"{what} needs `options` (the option names it compares) or `price: true`",
                            code="bad_value")
            continue
        out.append(comp)
    return tuple(out)


def parse_scales_doc(checker: ShapeChecker, doc: Any) -> Scales | None:
    """One scales document (`scales:` and/or `comparatives:`), problems appended to `checker`."""
    if not isinstance(doc, LocDict):
        checker.problem((1, 1), "a scales file must be a mapping with `scales:` and/or `comparatives:`",
                        code="bad_type")
        return None
    for key in doc:
        if key not in SCALES_FIELDS:
            checker.problem(doc.loc_of(key), f"unknown key {key!r} in a scales file",
                            f"allowed: {', '.join(sorted(SCALES_FIELDS))}", code="unknown_key")
    orders = parse_orders(checker, doc["scales"], doc.loc_of("scales"), "`scales`") if "scales" in doc else ()
    comps = parse_comparatives(checker, doc["comparatives"], doc.loc_of("comparatives")) \
        if "comparatives" in doc else ()
    from .problems import Loc

    return Scales(orders, comps, Loc(checker.file, 1, 1))


def read_scales(path: Path, display: str) -> tuple[Scales | None, list[Problem]]:
    checker = ShapeChecker(display)
    doc, unreadable = read_yaml(path, display)
    if unreadable:
        return None, [unreadable]
    return parse_scales_doc(checker, doc), checker.problems


def project_scales(flows_dir: Path, root: Path | None = None) -> tuple[Scales | None, list[Problem]]:
    """Every `flows/scales/*.yaml`, files in name order (an earlier file's lists come first)."""
    folder = flows_dir / SCALES_DIR
    if not folder.is_dir():
        return None, []
    merged: Scales | None = None
    problems: list[Problem] = []
    for path in sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml")):
        scales, found = read_scales(path, display_path(path, root))
        problems += found
        if scales is not None:
            merged = scales if merged is None else merged.over(scales)
    return merged, problems
