"""`shoptalk graph [FLOW] --format mermaid|dot|svg|png [-o FILE]`: draw flows for designers and reviews."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("mermaid", "dot", "svg", "png")


def configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("flow", nargs="?", default=None, help="flow id (default: every flow)")
    parser.add_argument("--format", "-f", choices=FORMATS, default="mermaid",
                        help="mermaid and dot are text and need nothing; svg and png need Graphviz")
    parser.add_argument("-o", "--output", default=None, help="file to write (default: standard output)")


def run(args: argparse.Namespace) -> int:
    from .graph import build_graph, to_dot, to_mermaid
    from .loader import load_flows
    from .problems import FlowLoadError

    project = Path(args.project)
    try:
        flows = load_flows(project / "flows", root=project)
    except FlowLoadError as exc:
        print("\n".join(str(p) for p in exc.problems if p.severity == "error"), file=sys.stderr)
        print("shoptalk graph: the flows have errors (above); fix them first (`shoptalk validate`)", file=sys.stderr)
        return 1
    if args.flow is not None and args.flow not in flows.flows:
        print(f"shoptalk graph: unknown flow {args.flow!r}; known flows: {', '.join(sorted(flows.flows))}",
              file=sys.stderr)
        return 2
    graph = build_graph(flows, None if args.flow is None else [args.flow])
    if args.format in ("mermaid", "dot"):
        text = to_mermaid(graph) if args.format == "mermaid" else to_dot(graph)
        return _write(text.encode("utf-8"), args.output)
    from .graph_render import GraphvizFailed, GraphvizMissing, render

    try:
        data = render(to_dot(graph), args.format)
    except (GraphvizMissing, GraphvizFailed) as exc:
        print(f"shoptalk graph: {exc}", file=sys.stderr)
        return 2
    if args.output is None and args.format == "png" and sys.stdout.isatty():
        print("shoptalk graph: PNG is binary; pass -o FILE (or redirect standard output)", file=sys.stderr)
        return 2
    return _write(data, args.output)


def _write(data: bytes, output: str | None) -> int:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        print(f"shoptalk graph: cannot write {output}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {output}", file=sys.stderr)
    return 0
