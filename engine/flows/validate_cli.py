"""`shoptalk validate`: report every problem in flows/ (and intents/ when the router is installed)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["text", "json"], default="text")


def collect_problems(project: Path) -> list:
    from .analysis import analyse
    from .loader import parse_flow_files

    flows_dir = project / "flows"
    if not flows_dir.is_dir():
        from .problems import Problem
        return [Problem(str(flows_dir), 1, 1, "flows folder not found", code="missing_folder")]
    flows, problems = parse_flow_files(flows_dir, project)
    problems += analyse(flows)
    try:
        from ..router.intent_data import IntentFileError, load_intents
    except ImportError:
        return problems
    if (project / "intents").is_dir():
        try:
            examples = load_intents(project / "intents")
        except IntentFileError as exc:
            problems += list(exc.problems)
        else:
            from .crosscheck import crosscheck

            problems += crosscheck(flows, examples, project)
    return problems


def run(args: argparse.Namespace) -> int:
    project = Path(args.project)
    problems = collect_problems(project)
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if args.format == "json":
        print(json.dumps({"ok": not errors, "problems": [p.as_dict() if hasattr(p, "as_dict") else vars(p) for p in problems]},
                         indent=2))
    else:
        for p in problems:
            print(p)
        print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)", file=sys.stderr)
    return 1 if errors else 0
