"""YAML loading that remembers where every value came from.

Designers need `file:line` in errors, so mappings are built as `LocDict`s that keep the line and
column of each key, and sequences as `LocList`s that keep the position of each item.
"""
from __future__ import annotations

from typing import Any

import yaml


TextPos = tuple[int, int, bool]  # line, col of a scalar's first character of text, one-line (columns exact)


class LocDict(dict):
    """A dict with `.loc` (its own line, col), `.key_locs[key]` (line, col of each key) and
    `.value_texts[key]` (where each value's text starts, see `TextPos`)."""

    loc: tuple[int, int] = (1, 1)
    key_locs: dict[str, tuple[int, int]]
    value_texts: dict[str, TextPos]

    def loc_of(self, key: str) -> tuple[int, int]:
        return self.key_locs.get(key, self.loc)

    def text_of(self, key: str) -> TextPos:
        return self.value_texts.get(key) or (*self.loc_of(key), False)


class LocList(list):
    loc: tuple[int, int] = (1, 1)
    item_locs: list[tuple[int, int]]
    item_texts: list[TextPos]

    def loc_of(self, index: int) -> tuple[int, int]:
        return self.item_locs[index] if 0 <= index < len(self.item_locs) else self.loc

    def text_of(self, index: int) -> TextPos:
        return self.item_texts[index] if 0 <= index < len(self.item_texts) else (*self.loc, False)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _text(node: yaml.Node) -> TextPos:
    line, col = _pos(node)
    style = getattr(node, "style", None) if isinstance(node, yaml.ScalarNode) else "|"
    quoted = style in ("'", '"')
    one_line = node.start_mark.line == node.end_mark.line and style not in ("|", ">")
    return line, col + quoted, one_line


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds LocDict/LocList and rejects duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocDict:
    loader.flatten_mapping(node)
    result = LocDict()
    result.loc = _pos(node)
    result.key_locs = {}
    result.value_texts = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark)
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_locs[key] = _pos(key_node)
        result.value_texts[key] = _text(value_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocList:
    result = LocList(loader.construct_object(child, deep=True) for child in node.value)
    result.loc = _pos(node)
    result.item_locs = [_pos(child) for child in node.value]
    result.item_texts = [_text(child) for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlSyntaxError(Exception):
    def __init__(self, line: int, col: int, message: str):
        super().__init__(message)
        self.line, self.col, self.message = line, col, message


def load_yaml(text: str) -> Any:
    """Parse YAML text; raise YamlSyntaxError with a 1-based position on any syntax problem."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x) or str(exc)
        raise YamlSyntaxError(line, col, message) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YamlSyntaxError(1, 1, str(exc)) from None
