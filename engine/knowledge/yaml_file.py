"""A designer's YAML file composed into nodes that keep their lines, or the problem that stops it (not YAML,
not UTF-8) at its line: the knowledge checks report every later problem at the node's own line."""
from __future__ import annotations

from pathlib import Path

import yaml

from ..flows.problems import Problem


def compose(path: Path, shown: str) -> tuple[yaml.Node | None, list[Problem]]:
    """(root node or None for an empty file, []) or (None, [the problem])."""
    try:
        return yaml.compose(path.read_text(encoding="utf-8")), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Problem(shown, line, col, f"not valid YAML: {getattr(exc, 'problem', exc)}", code="yaml_syntax")]
    except UnicodeDecodeError:
        return None, [Problem(shown, 1, 1, "the file is not UTF-8", code="encoding")]
