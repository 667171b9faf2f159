"""Message templates: text with `{expression}` holes, e.g. "Order {order_id} is {order.status}".

Holes use the same safe expression language as conditions, so designers learn one syntax.
`{{` and `}}` print literal braces.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .expr import Expr, ExprError, parse_expr
from .problems import Loc

_HOLE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


@dataclass(frozen=True)
class Template:
    source: str
    parts: tuple[str | Expr, ...]
    # (offset in source, expression) of each `{...}` hole, and where the text starts in its file:
    # with `inline` (a one-line scalar) a hole's column is exact, else its line is the text's first.
    holes: tuple[tuple[int, Expr], ...] = field(default=(), compare=False)
    loc: Loc | None = field(default=None, compare=False)
    inline: bool = field(default=False, compare=False)

    def at(self, loc: Loc, inline: bool) -> "Template":
        """This template placed at `loc` (the first character of its text)."""
        return replace(self, loc=loc, inline=inline)

    def hole_loc(self, offset: int) -> Loc | None:
        if self.loc is None:
            return None
        if not self.inline or "\n" in self.source[:offset]:
            return self.loc
        return Loc(self.loc.file, self.loc.line, self.loc.col + offset)

    def name_locs(self) -> list[tuple[str, Loc | None]]:
        """Each name a hole reads, with the hole's position."""
        return [(name, self.hole_loc(off)) for off, expr in self.holes
                for name in expr.read_names]

    @property
    def names(self) -> frozenset[str]:
        out: set[str] = set()
        for part in self.parts:
            if isinstance(part, Expr):
                out |= part.names
        return frozenset(out)

    def render(self, scope: Mapping[str, Any]) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, Expr):
                out.append(format_value(part.eval(scope)))
            else:
                out.append(part)
        return "".join(out)


def parse_template(source: str) -> Template:
    """Split a template into text and expressions; raises ExprError with the column of a bad hole."""
    if not isinstance(source, str):
        raise ExprError("a message must be text")
    parts: list[str | Expr] = []
    holes: list[tuple[int, Expr]] = []
    pos = 0
    for match in _HOLE.finditer(source):
        parts.append(source[pos:match.start()])
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        else:
            try:
                expr = parse_expr(match.group(1))
            except ExprError as exc:
                raise ExprError(f"in {{{match.group(1)}}}: {exc.message}", match.start() + 1) from None
            parts.append(expr)
            holes.append((match.start(1) + len(match.group(1)) - len(match.group(1).lstrip()), expr))
        pos = match.end()
    rest = source[pos:]
    if "{" in rest or "}" in rest:
        raise ExprError("unbalanced brace in message (write {{ or }} for a literal brace)",
                        pos + max(rest.find("{"), rest.find("}")) + 1)
    parts.append(rest)
    return Template(source, tuple(p for p in parts if p != ""), tuple(holes))


def format_value(value: Any) -> str:
    """Readable text for a slot or result value inside a message."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, Mapping):
        if {"first_name", "last_name"} <= set(value):
            return f"{value['first_name']} {value['last_name']}"
        if "address1" in value:
            return format_address(value)
        return ", ".join(f"{k}: {format_value(v)}" for k, v in value.items())
    return str(value)


def format_address(a: Mapping[str, Any]) -> str:
    line1 = ", ".join(x for x in (a.get("address1"), a.get("address2")) if x)
    return f"{line1}, {a.get('city', '')}, {a.get('state', '')} {a.get('zip', '')}, {a.get('country', '')}".strip(", ")
