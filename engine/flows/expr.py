"""A small, safe expression language for conditions, `set` values, action arguments and templates.

Syntax is a subset of Python expressions (comparisons, and/or/not, + - * /, literals, lists,
`a.b` and `a[0]` look-ups, a few named functions), parsed with `ast` and interpreted here node by
node. Nothing is ever passed to `eval`: an unknown node kind or function is a load-time error,
so a designer's typo is reported with its location instead of running.
"""
from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .problems import Loc

CONSTANT_NAMES = {"null": None, "none": None, "None": None, "true": True, "True": True,
                   "false": False, "False": False}


def _money(value: Any) -> str:
    try:
        return f"${float(value):,.2f}"
    except (TypeError, ValueError):
        return str(value)


def _join(values: Any, sep: str = ", ") -> str:
    if isinstance(values, (list, tuple)):
        return sep.join(str(v) for v in values)
    return "" if values is None else str(values)


def _pluck(values: Any, key: str) -> list:
    return [v.get(key) if isinstance(v, Mapping) else None for v in (values or [])]


def _counted(values: Any) -> list[str]:
    """Each distinct value once, with its count when it repeats: an order of two keyboards reads
    "2 × Mechanical Keyboard", not the name twice."""
    counts: dict[str, int] = {}
    for v in values or []:
        counts[str(v)] = counts.get(str(v), 0) + 1
    return [f"{n} × {v}" if n > 1 else v for v, n in counts.items()]


FUNCTIONS: Mapping[str, Callable[..., Any]] = {
    "len": lambda v: len(v) if v is not None else 0,
    "lower": lambda v: str(v).lower(),
    "upper": lambda v: str(v).upper(),
    "round": lambda v, n=2: round(float(v), int(n)),
    "sum": lambda v: round(sum(float(x) for x in (v or [])), 2),
    "money": _money,
    "join": _join,
    "pluck": _pluck,
    "counted": _counted,
    "str": str,
    "int": int,
    "float": float,
    "abs": abs,
    "min": min,
    "max": max,
    "keys": lambda v: list(v.keys()) if isinstance(v, Mapping) else [],
    "values": lambda v: list(v.values()) if isinstance(v, Mapping) else [],
    "first": lambda v: (v[0] if v else None),
    "filled": lambda v: v is not None and v != "" and v != [],
}

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Mod: operator.mod}
_CMPOPS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
           ast.Gt: operator.gt, ast.GtE: operator.ge,
           ast.In: lambda a, b: b is not None and a in b,
           ast.NotIn: lambda a, b: b is None or a not in b}


class ExprError(Exception):
    """A malformed expression (load time) or a failed evaluation (run time)."""

    def __init__(self, message: str, col: int = 0):
        super().__init__(message)
        self.message, self.col = message, col


@dataclass(frozen=True)
class Expr:
    """A parsed expression and the root names it reads (used for dependency tracking)."""

    source: str
    tree: ast.expression
    names: frozenset[str]
    loc: Loc | None = field(default=None, compare=False)   # where it was written, for problems

    def eval(self, scope: Mapping[str, Any]) -> Any:
        return _eval(self.tree.body, scope)

    @property
    def display_names(self) -> frozenset[str]:
        """Slots read through `display.<slot>` (their readable form)."""
        return frozenset(n.attr for n in ast.walk(self.tree) if isinstance(n, ast.Attribute)
                         and isinstance(n.value, ast.Name) and n.value.id == "display")

    @property
    def read_names(self) -> tuple[str, ...]:
        """Every name it reads (sorted), then `display.<slot>` for each slot it shows: what validate checks."""
        return (*sorted(self.names), *(f"display.{n}" for n in sorted(self.display_names)))


def parse_expr(source: str) -> Expr:
    """Parse and check an expression; raises ExprError naming the offending part."""
    if not isinstance(source, str) or not source.strip():
        raise ExprError("empty expression")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"cannot parse expression {source!r}: {exc.msg}", exc.offset or 0) from None
    names: set[str] = set()
    func_names = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        _check_node(node, names if id(node) not in func_names else set())
    return Expr(source.strip(), tree, frozenset(names))


_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub,
            ast.Compare, ast.Constant, ast.Name, ast.Load, ast.Attribute, ast.Subscript,
            ast.List, ast.Tuple, ast.BinOp, ast.Call, ast.IfExp, ast.Dict, *_BINOPS, *_CMPOPS)


def _check_node(node: ast.AST, names: set[str]) -> None:
    col = getattr(node, "col_offset", 0) + 1
    if not isinstance(node, _ALLOWED):
        raise ExprError(f"'{type(node).__name__}' is not allowed in expressions", col)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = getattr(node.func, "id", "?")
            raise ExprError(f"unknown function {name!r}; known: {', '.join(sorted(FUNCTIONS))}", col)
        if node.keywords:
            raise ExprError("keyword arguments are not allowed in expressions", col)
    elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
        raise ExprError(f"'{node.attr}' cannot be read", col)
    elif isinstance(node, ast.Name) and node.id not in CONSTANT_NAMES:
        if node.id.startswith("_"):
            raise ExprError(f"'{node.id}' cannot be read", col)
        names.add(node.id)


def _eval(node: ast.AST, scope: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in CONSTANT_NAMES:
            return CONSTANT_NAMES[node.id]
        return scope.get(node.id)
    if isinstance(node, ast.Attribute):
        return _lookup(_eval(node.value, scope), node.attr)
    if isinstance(node, ast.Subscript):
        return _lookup(_eval(node.value, scope), _eval(node.slice, scope))
    if isinstance(node, ast.BoolOp):
        values = (_eval(v, scope) for v in node.values)
        if isinstance(node.op, ast.And):
            result: Any = True
            for result in values:
                if not result:
                    return result
            return result
        result = False
        for result in values:
            if result:
                return result
        return result
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, scope)
        return (not value) if isinstance(node.op, ast.Not) else -_number(value)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, scope)
        for op, comparator in zip(node.ops, node.comparators):
            right = _eval(comparator, scope)
            try:
                if not _CMPOPS[type(op)](left, right):
                    return False
            except TypeError:
                return False
            left = right
        return True
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, scope), _eval(node.right, scope)
        if isinstance(node.op, ast.Add) and isinstance(left, list):
            return left + (right if isinstance(right, list) else [right])
        if isinstance(node.op, ast.Add) and (isinstance(left, str) or isinstance(right, str)):
            return f"{'' if left is None else left}{'' if right is None else right}"
        try:
            return _BINOPS[type(node.op)](_number(left), _number(right))
        except ZeroDivisionError:
            raise ExprError("division by zero") from None
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, scope) for e in node.elts]
    if isinstance(node, ast.Dict):
        return {_eval(k, scope): _eval(v, scope) for k, v in zip(node.keys, node.values) if k is not None}
    if isinstance(node, ast.IfExp):
        return _eval(node.body, scope) if _eval(node.test, scope) else _eval(node.orelse, scope)
    if isinstance(node, ast.Call):
        args = [_eval(a, scope) for a in node.args]
        try:
            return FUNCTIONS[node.func.id](*args)  # type: ignore[attr-defined]
        except (TypeError, ValueError) as exc:
            raise ExprError(f"{node.func.id}(): {exc}") from None  # type: ignore[attr-defined]
    raise ExprError(f"cannot evaluate {type(node).__name__}")  # pragma: no cover - checked at parse


def _lookup(container: Any, key: Any) -> Any:
    if container is None:
        return None
    if isinstance(container, Mapping):
        return container.get(key)
    if isinstance(container, (list, tuple)) and isinstance(key, int):
        return container[key] if -len(container) <= key < len(container) else None
    return None


def _number(value: Any) -> float | int:
    if isinstance(value, bool) or value is None:
        return int(bool(value))
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ExprError(f"{value!r} is not a number") from None
