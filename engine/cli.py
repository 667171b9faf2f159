"""The `shoptalk` command: one entry point, each subcommand implemented in the module it belongs to.

Subcommands import their module lazily so `shoptalk chat` or `shoptalk validate` never pays for
torch or spaCy unless the router or generator is actually used.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# name -> ("module:function", help). Each function takes the parsed args and returns an exit code,
# and each module exposes `configure_<name>(parser)` to add its own options.
COMMANDS: dict[str, tuple[str, str]] = {
    "chat": ("engine.chat_cli:run", "chat with the assistant in this terminal"),
    "validate": ("engine.flows.validate_cli:run", "check flows/ and intents/ and report every problem"),
    "store": ("engine.store.cli:run", "manage the store (migrate, reset, export)"),
    "train": ("engine.router.cli:train", "train the intent router into models/"),
    "eval": ("engine.router.cli:evaluate", "evaluate the router: per-intent scores and confusion matrix"),
    "serve": ("service.cli:run", "start the HTTP service with the web chat"),
    "finetune": ("engine.generator.cli:finetune", "fine-tune the embedded language model"),
    "eval-generator": ("engine.generator.cli:evaluate", "compare the base and fine-tuned generator"),
    "test": ("engine.testing.cli:run", "run conversation tests in tests/conversations"),
    "graph": ("engine.flows.graph_cli:run", "draw a flow as mermaid, dot, svg or png"),
    "schema": ("engine.flows.schema_cli:run", "write JSON Schemas for flow and intent files"),
    "report": ("service.analytics.report:run", "write the analytics (funnels, rates, charts) as one HTML file"),
}


def _load(target: str):
    module_name, func = target.split(":")
    return importlib.import_module(module_name), func


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shoptalk", description="shoptalk dialogue engine")
    parser.add_argument("--project", default=".", help="project folder with flows/, intents/, models/")
    sub = parser.add_subparsers(dest="command", required=True)
    wanted = next((a for a in argv if a in COMMANDS), None)
    for name, (target, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--project", default=argparse.SUPPRESS, help="project folder (also accepted here)")
        if name == wanted:  # only the chosen command's module is imported
            module, func = _load(target)
            configure = getattr(module, f"configure_{func}", None) or getattr(module, "configure", None)
            if configure is not None:
                configure(p)
            p.set_defaults(_func=getattr(module, func))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args._func(args) or 0)
    except ModuleNotFoundError as exc:
        print(f"shoptalk {args.command}: missing dependency {exc.name!r}; run `make setup`", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
