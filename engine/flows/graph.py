"""Flow diagrams: a FlowSet becomes a small graph, written as Mermaid or Graphviz DOT text.

Pure and light (no subprocess, torch or spaCy) so the CLI, the service's designer view and tests
share one drawing. Every step is a node whose shape says its kind; edges carry branch conditions,
confirm yes/no, action errors and sub-flow calls. Store writes are marked, so a reviewer sees at a
glance that each one sits behind a confirmation.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .model import END, Flow, FlowSet, Step

EdgeKind = Literal["next", "yes", "no", "branch", "else", "error", "goto", "call"]
MAX_TEXT = 60  # characters of a prompt shown in a node; the YAML has the rest


@dataclass(frozen=True)
class Node:
    id: str
    kind: str                 # a step kind, or "start", "done", "cancelled", "flow" (a called flow not drawn)
    label: str
    flow: str
    step: str | None = None   # the step id, for highlighting and tests
    link: str | None = None   # the flow a call/handoff node leads to
    write: bool = False       # a store write (only ever after a confirmation)


@dataclass(frozen=True)
class Edge:
    src: str
    dst: str
    kind: EdgeKind = "next"
    label: str = ""


@dataclass
class Cluster:
    flow: Flow
    key: str                  # "cluster_f0": the subgraph's id
    nodes: list[Node] = field(default_factory=list)


@dataclass
class Graph:
    clusters: list[Cluster] = field(default_factory=list)
    outside: list[Node] = field(default_factory=list)   # stubs for called flows not drawn
    edges: list[Edge] = field(default_factory=list)

    @property
    def nodes(self) -> list[Node]:
        return [n for c in self.clusters for n in c.nodes] + self.outside


def _short(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _is_write(action: str) -> bool:
    """Whether a store action writes; imported lazily so drawing never needs the store module loaded."""
    from ..store.actions import ACTIONS
    from .analysis import needs_confirmation

    return needs_confirmation(action, ACTIONS)


def step_label(step: Step, index: int, write: bool = False) -> str:
    """One node's text: the kind, its main argument and, when designer-given, the step id."""
    text = step.text.source if step.text is not None else ""
    main = {
        "collect": f"collect {step.slot}" + (" (ask again)" if step.ask_again else ""),
        "say": f'say "{_short(text)}"',
        "action": f"action {step.action}" + (f" -> {step.result}" if step.result else "")
                  + ("\nSTORE WRITE" if write else ""),
        "branch": "branch",
        "confirm": f'confirm "{_short(text)}"',
        "set": "set " + ", ".join(name for name, _ in step.values),
        "call": f"call {step.flow}",
        "handoff": f'handoff "{_short(text)}"' if text else "handoff",
        "end": f'end "{_short(text)}"' if text else "end",
        "goto": f"goto {step.target}",
    }.get(step.kind, step.kind)
    auto_id = f"{step.kind}_{index + 1}"
    return main if step.id == auto_id else f"[{step.id}] {main}"


class _Builder:
    def __init__(self, flows: FlowSet, drawn: list[str], is_write: Callable[[str], bool]):
        self.flows, self.drawn, self.is_write = flows, drawn, is_write
        self.prefix = {fid: f"f{i}" for i, fid in enumerate(drawn)}
        self.graph = Graph()

    def nid(self, flow_id: str, what: int | str) -> str:
        return f"{self.prefix[flow_id]}_{what}"

    def entry(self, flow_id: str) -> str:
        """The node a call/handoff edge points at: the drawn flow's start, or a stub for it."""
        if flow_id in self.prefix:
            return self.nid(flow_id, "start")
        stub = f"flow_{flow_id}"
        if all(n.id != stub for n in self.graph.outside):
            title = self.flows.flows[flow_id].display if flow_id in self.flows.flows else "unknown flow"
            self.graph.outside.append(Node(stub, "flow", f"flow {flow_id}\n{_short(title, 40)}", flow_id, link=flow_id))
        return stub

    def build(self) -> Graph:
        for flow_id in self.drawn:
            self.add_flow(self.flows.flows[flow_id])
        return self.graph

    def add_flow(self, flow: Flow) -> None:
        cluster = Cluster(flow, "cluster_" + self.prefix[flow.id])
        self.graph.clusters.append(cluster)
        start = self.nid(flow.id, "start")
        intents = ", ".join(flow.intents) or "none"
        cluster.nodes.append(Node(start, "start", f"{flow.id}\nintents: {intents}", flow.id))
        done, cancelled = self.nid(flow.id, "done"), self.nid(flow.id, "cancelled")
        index = {s.id: i for i, s in enumerate(flow.steps)}

        def target(t: str | None, i: int) -> str:
            if t is None:
                return self.nid(flow.id, i + 1) if i + 1 < len(flow.steps) else done
            if t == END or t not in index:
                return done
            return self.nid(flow.id, index[t])

        edge = self.graph.edges.append
        if flow.steps:
            edge(Edge(start, self.nid(flow.id, 0)))
        else:
            edge(Edge(start, done))
        for i, step in enumerate(flow.steps):
            me = self.nid(flow.id, i)
            write = step.kind == "action" and bool(step.action) and self.is_write(step.action)
            link = step.flow if step.kind == "call" else ("handoff" if step.kind == "handoff" else None)
            cluster.nodes.append(Node(me, step.kind, step_label(step, i, write), flow.id, step.id, link, write))
            nxt = target(None, i)
            if step.kind in ("collect", "say", "set"):
                edge(Edge(me, nxt))
            elif step.kind == "action":
                edge(Edge(me, nxt, "next", "ok" if step.on_error else ""))
                if step.on_error:
                    edge(Edge(me, target(step.on_error, i), "error", "error"))
            elif step.kind == "branch":
                for cond, goto in step.cases:
                    edge(Edge(me, target(goto, i), "branch", _short(cond.source, 40)))
                edge(Edge(me, target(step.default, i), "else", "else"))
            elif step.kind == "confirm":
                edge(Edge(me, nxt, "yes", "yes"))
                if step.target and step.target != END:  # on_no defaults to END: the flow is cancelled
                    edge(Edge(me, target(step.target, i), "no", "no"))
                else:
                    edge(Edge(me, cancelled, "no", "no"))
            elif step.kind == "call" and step.flow:
                edge(Edge(me, self.entry(step.flow), "call", "calls"))
                edge(Edge(me, nxt, "next", "returns"))
            elif step.kind == "goto":
                edge(Edge(me, target(step.target, i), "goto"))
            elif step.kind == "handoff" and "handoff" in self.flows.flows and flow.id != "handoff":
                edge(Edge(me, self.entry("handoff"), "call", "hands off"))
        reached = {e.dst for e in self.graph.edges}
        if done in reached:  # only drawn when a path falls off the end (an `end` step is its own node)
            cluster.nodes.append(Node(done, "done", "done (back to the caller)", flow.id))
        if cancelled in reached:
            cluster.nodes.append(Node(cancelled, "cancelled", "cancelled (nothing written)", flow.id))


def build_graph(flows: FlowSet, flow_ids: Iterable[str] | None = None,
                is_write: Callable[[str], bool] = _is_write) -> Graph:
    """The graph of the given flows (all, in file order, when None). Raises KeyError on an unknown id."""
    drawn = list(flows.flows) if flow_ids is None else list(flow_ids)
    unknown = [f for f in drawn if f not in flows.flows]
    if unknown:
        raise KeyError(unknown[0])
    return _Builder(flows, drawn, is_write).build()


# -- Mermaid ------------------------------------------------------------------------------------
_MERMAID_SHAPES = {
    "start": ('(["', '"])'), "done": ('(["', '"])'), "cancelled": ('(["', '"])'),
    "collect": ('[/"', '"/]'), "say": ('("', '")'), "action": ('[("', '")]'), "branch": ('{"', '"}'),
    "confirm": ('{{"', '"}}'), "set": ('["', '"]'), "call": ('[["', '"]]'), "flow": ('[["', '"]]'),
    "handoff": ('>"', '"]'), "end": ('(["', '"])'), "goto": ('("', '")'),
}
_MERMAID_ARROWS = {"call": "-.->", "error": "-.->", "yes": "==>"}


def _mermaid_text(text: str) -> str:
    text = text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return text.replace("\n", "<br>")


def _mermaid_node(n: Node) -> list[str]:
    left, right = _MERMAID_SHAPES.get(n.kind, ('("', '")'))
    out = [f"{n.id}{left}{_mermaid_text(n.label)}{right}"]
    if n.write:
        out.append(f"class {n.id} write")
    if n.link:
        out.append(f'click {n.id} href "#flow={n.link}"')
    return out


def _mermaid_edge(e: Edge) -> str:
    label = f'|"{_mermaid_text(e.label)}"|' if e.label else ""
    return f"{e.src} {_MERMAID_ARROWS.get(e.kind, '-->')}{label} {e.dst}"


def to_mermaid(graph: Graph) -> str:
    """`flowchart TD` text; paste into any Mermaid renderer (GitHub, GitLab, mermaid.live)."""
    return _emit(graph, _Syntax(
        head=["flowchart TD"], foot=["  classDef write fill:#fde2e1,stroke:#b42318,stroke-width:2px"],
        open=lambda c: [f'subgraph {c.key}["{_mermaid_text(c.flow.id + ": " + c.flow.display)}"]'],
        close="end", node=_mermaid_node, edge=_mermaid_edge))


@dataclass(frozen=True)
class _Syntax:
    """How one text format writes clusters, nodes and edges; `_emit` lays them out the same way."""

    head: list[str]
    foot: list[str]
    open: Callable[[Cluster], list[str]]
    close: str
    node: Callable[[Node], list[str]]
    edge: Callable[[Edge], str]


def _emit(graph: Graph, syntax: _Syntax) -> str:
    lines = list(syntax.head)
    for c in graph.clusters:
        lines += ["  " + line for line in syntax.open(c)]
        lines += ["    " + line for n in c.nodes for line in syntax.node(n)]
        lines.append("  " + syntax.close)
    lines += ["  " + line for n in graph.outside for line in syntax.node(n)]
    lines += ["  " + syntax.edge(e) for e in graph.edges]
    return "\n".join(lines + syntax.foot) + "\n"


# -- DOT ----------------------------------------------------------------------------------------
_DOT_NODES = {
    "start": 'shape=oval, style=filled, fillcolor="#e8f0fe"',
    "done": 'shape=oval, style=filled, fillcolor="#e6f4ea"',
    "cancelled": 'shape=oval, style=filled, fillcolor="#f1f3f4"',
    "collect": 'shape=parallelogram, style=filled, fillcolor="#fff8e1"',
    "say": 'shape=box, style="rounded"',
    "action": 'shape=cylinder',
    "branch": 'shape=diamond, style=filled, fillcolor="#f3e8fd"',
    "confirm": 'shape=hexagon, style=filled, fillcolor="#e0f2f1"',
    "set": 'shape=box',
    "call": 'shape=box, peripheries=2',
    "flow": 'shape=box, peripheries=2, style=dashed',
    "handoff": 'shape=invhouse',
    "end": 'shape=oval, peripheries=2',
    "goto": 'shape=box, style="rounded,dashed"',
}
_DOT_EDGES = {
    "yes": 'color="#137333", fontcolor="#137333", penwidth=1.6',
    "no": 'color="#b42318", fontcolor="#b42318"',
    "error": 'color="#b42318", fontcolor="#b42318", style=dashed',
    "call": 'color="#1a56db", fontcolor="#1a56db", style=dashed',
    "branch": 'color="#6b21a8", fontcolor="#6b21a8"',
}


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _dot_node(n: Node) -> list[str]:
    attrs = _DOT_NODES.get(n.kind, "shape=box")
    if n.write:
        attrs += ', style=filled, fillcolor="#fde2e1", color="#b42318", penwidth=2'
    if n.link:
        attrs += f', URL="#flow={n.link}", tooltip="open {n.link}"'
    if n.step:
        attrs += f', id="{_dot_text(n.flow + "." + n.step)}"'
    return [f'{n.id} [label="{_dot_text(n.label)}", {attrs}];']


def _dot_edge(e: Edge) -> str:
    attrs = [f'label="{_dot_text(e.label)}"'] if e.label else []
    if e.kind in _DOT_EDGES:
        attrs.append(_DOT_EDGES[e.kind])
    suffix = f" [{', '.join(attrs)}]" if attrs else ""
    return f"{e.src} -> {e.dst}{suffix};"


def to_dot(graph: Graph) -> str:
    """Graphviz DOT text; `dot -Tsvg` draws it. Call nodes link to `#flow=<id>` in SVG output."""
    return _emit(graph, _Syntax(
        head=["digraph shoptalk {", "  rankdir=TB;", '  graph [fontname="Helvetica", fontsize=12];',
              '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'],
        foot=["}"], open=lambda c: [f"subgraph {c.key} {{", f'  label="{_dot_text(c.flow.id + ": " + c.flow.display)}";'],
        close="}", node=_dot_node, edge=_dot_edge))


def mermaid(flows: FlowSet, flow_ids: Iterable[str] | None = None) -> str:
    return to_mermaid(build_graph(flows, flow_ids))


def dot(flows: FlowSet, flow_ids: Iterable[str] | None = None) -> str:
    return to_dot(build_graph(flows, flow_ids))
