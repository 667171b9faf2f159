"""`shoptalk validate`: every problem in flows/, intents/, knowledge/, languages.yaml and models/*_settings.yaml, at once.

Text output is one `file:line:col: error|warning: message (hint)` line per problem, sorted by file
and line (what editors and CI annotate); `--format json` gives the same problems as objects.
Exit status 1 when there is an error; warnings alone pass.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from .problems import Problem


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["text", "json"], default="text", help="text lines or one JSON object")


def collect_problems(project: Path) -> list[Problem]:
    """Flow, intent, cross-check and settings problems of a project, sorted by where they are."""
    from .analysis import analyse
    from .loader import parse_flow_files

    flows_dir = project / "flows"
    if not flows_dir.is_dir():
        return [Problem(str(flows_dir), 1, 1, "flows folder not found", "run in the project folder or pass --project",
                        code="missing_folder")]
    flows, problems = parse_flow_files(flows_dir, project)
    problems += analyse(flows)
    problems += _intent_problems(project, flows)
    from .settings_check import check_settings

    problems += check_settings(project)
    from ..knowledge.validate import knowledge_problems

    problems += knowledge_problems(project)
    from ..language import language_problems

    problems += language_problems(project)
    return sorted(problems, key=lambda p: (p.file, p.line, p.col, p.code))


def _intent_problems(project: Path, flows: list) -> list[Problem]:
    intents_dir = project / "intents"
    if not intents_dir.is_dir():
        return []
    try:
        from ..router.intent_data import (CHITCHAT_INTENTS, FALLBACK, REPAIR_INTENTS, SLOT_ANSWER, IntentFileError,
                                          load_intents)
    except ImportError:  # the router is not installed: intents are not used
        return []
    from ..paths import display_path
    from .crosscheck import crosscheck

    try:
        examples = load_intents(intents_dir)
    except IntentFileError as exc:
        return [replace(p, file=display_path(p.file, project)) for p in exc.problems]
    exempt = {*REPAIR_INTENTS, *CHITCHAT_INTENTS, FALLBACK, SLOT_ANSWER, "inform"}
    return crosscheck(flows, examples, project, exempt)


def run(args: argparse.Namespace) -> int:
    project = Path(args.project)
    problems = collect_problems(project)
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "json":
        print(json.dumps({"ok": not errors, "errors": errors, "warnings": len(problems) - errors,
                          "problems": [p.as_dict() for p in problems]}, indent=2))
    else:
        for p in problems:
            print(p)
        print(f"{errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return 1 if errors else 0
