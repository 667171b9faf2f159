"""`shoptalk graph` and engine.flows.graph: every step and edge of real flows in Mermaid and DOT, real
SVG/PNG files from Graphviz, and clear errors for a missing `dot` and an unknown flow."""
from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ci_guard import require
from engine.cli import main
from engine.flows.graph import build_graph, step_label, to_dot, to_mermaid
from engine.flows.loader import load_flows

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def flows():
    return load_flows(ROOT / "flows", root=ROOT)


def _require_dot():
    require(shutil.which("dot") is not None, "Graphviz `dot`", "apt-get install graphviz; make system-deps installs it")


def _mermaid_escape(text: str) -> str:
    return (text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("\n", "<br>"))


def _dot_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


@pytest.mark.parametrize("flow_id", ["cancel_order", "authenticate", "return_items"])
def test_every_step_and_edge_is_drawn(flows, flow_id):
    flow = flows.flows[flow_id]
    graph = build_graph(flows, [flow_id])
    mermaid, dot = to_mermaid(graph), to_dot(graph)
    step_nodes = [n for n in graph.nodes if n.step is not None]
    assert [n.step for n in step_nodes] == [s.id for s in flow.steps]
    for node in graph.nodes:
        assert f"{node.id}" in mermaid and _mermaid_escape(node.label) in mermaid, node
        assert f'{node.id} [label="{_dot_escape(node.label)}"' in dot, node
    for edge in graph.edges:
        assert f"{edge.src} -" in mermaid and f" {edge.dst}\n" in mermaid
        arrow = f"  {edge.src} -> {edge.dst}"
        assert arrow in dot, edge
        if edge.label:
            assert f'label="{_dot_escape(edge.label)}"' in dot.split(arrow, 1)[1].split("\n", 1)[0]
    # every branch condition labels an edge, in both formats
    for step in flow.steps:
        for cond, _ in step.cases:
            assert any(e.label == cond.source for e in graph.edges), cond.source
            assert _mermaid_escape(cond.source) in mermaid


def test_kinds_confirmations_writes_and_calls(flows):
    graph = build_graph(flows, ["cancel_order"])
    by_step = {n.step: n for n in graph.nodes if n.step}
    kinds = {n.kind for n in by_step.values()}
    assert {"call", "collect", "action", "confirm", "end"} <= kinds
    confirm = next(n for n in by_step.values() if n.kind == "confirm")
    out = {e.kind: e for e in graph.edges if e.src == confirm.id}
    write = next(n for n in graph.nodes if n.write)
    assert out["yes"].dst == write.id and "cancel_pending_order" in write.label  # the write follows "yes"
    assert any(n.id == out["no"].dst and n.kind == "cancelled" for n in graph.nodes)
    call = next(n for n in by_step.values() if n.kind == "call")
    assert call.link == "authenticate"
    assert any(e.src == call.id and e.kind == "call" and e.dst == "flow_authenticate" for e in graph.edges)
    mermaid, dot = to_mermaid(graph), to_dot(graph)
    assert f"{confirm.id} ==>|\"yes\"| {write.id}" in mermaid and f"class {write.id} write" in mermaid
    assert f'click {call.id} href "#flow=authenticate"' in mermaid
    assert 'URL="#flow=authenticate"' in dot and "shape=hexagon" in dot and "shape=parallelogram" in dot


def test_all_flows_link_calls_to_the_called_flow(flows):
    graph = build_graph(flows)
    assert {c.flow.id for c in graph.clusters} == set(flows.flows)
    assert not graph.outside  # every called flow is drawn, so calls point at its start node
    starts = {n.flow: n.id for n in graph.nodes if n.kind == "start"}
    call = next(n for n in graph.nodes if n.kind == "call" and n.flow == "cancel_order")
    assert any(e.src == call.id and e.dst == starts["authenticate"] for e in graph.edges)


def test_step_label_shows_designer_ids_only(flows):
    steps = flows.flows["authenticate"].steps
    labels = [step_label(s, i) for i, s in enumerate(steps)]
    assert "[by_email] collect email" in labels and "collect auth_method" in labels


def test_cli_mermaid_and_dot_to_stdout(capsys):
    assert main(["--project", str(ROOT), "graph", "return_items"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("flowchart TD\n") and "collect" in out and "STORE WRITE" in out
    assert main(["graph", "return_items", "--format", "dot", "--project", str(ROOT)]) == 0
    assert capsys.readouterr().out.startswith("digraph shoptalk {")


def test_cli_unknown_flow_lists_known_ones(capsys):
    assert main(["--project", str(ROOT), "graph", "no_such_flow"]) == 2
    err = capsys.readouterr().err
    assert "unknown flow 'no_such_flow'" in err and "cancel_order" in err and "return_items" in err


def test_cli_svg_and_png_are_real_files(tmp_path):
    _require_dot()
    svg, png = tmp_path / "flow.svg", tmp_path / "all.png"
    assert main(["--project", str(ROOT), "graph", "cancel_order", "--format", "svg", "-o", str(svg)]) == 0
    root = ET.fromstring(svg.read_bytes())
    assert root.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert "collect order_id" in texts and "call authenticate" in texts
    assert main(["--project", str(ROOT), "graph", "--format", "png", "-o", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_cli_without_dot_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no `dot`
    out = tmp_path / "x.svg"
    assert main(["--project", str(ROOT), "graph", "cancel_order", "--format", "svg", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "graphviz" in err and "`dot`" in err and "--format mermaid" in err
    assert not out.exists()
    assert main(["--project", str(ROOT), "graph", "cancel_order"]) == 0  # mermaid needs nothing


def test_cli_reports_broken_flows(tmp_path, capsys):
    shutil.copytree(ROOT / "tests" / "fixtures" / "flows_broken" / "unknown_step" / "flows", tmp_path / "flows")
    assert main(["--project", str(tmp_path), "graph"]) == 1
    err = capsys.readouterr().err
    assert "flows/f.yaml:" in err and "shoptalk validate" in err


def test_graph_module_needs_no_models():
    code = ("import sys, engine.flows.graph, engine.flows.graph_cli, engine.flows.graph_render; "
            "print([m for m in ('torch', 'spacy', 'sklearn') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
