"""The designer view: every flow, its diagram, and hot-reload status, beside the try-it chat.

Diagrams are drawn on the server (Graphviz SVG) because the page must work offline: no CDN, no
client-side Mermaid. Without Graphviz the page shows the Mermaid/DOT text from `/diagram`.
The engine comes from `app.state.engine` on every request, so a hot reload shows at once.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Path as PathParam, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from service.errors import ApiError, ErrorResponse
from service.models import FlowInfo

STATIC = Path(__file__).parent / "static"
FLOW_ID = r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"
SVG_CACHE_SIZE = 64
NOT_FOUND = {404: {"model": ErrorResponse, "description": "`flow_not_found`: no flow with this id"}}

router = APIRouter()


class DesignerFlow(BaseModel):
    id: str
    title: str
    description: str
    intents: list[str] = Field(default_factory=list)
    kind: Literal["flow", "pattern"] = Field(description="`pattern`: a conversation-repair flow (pattern_*)")
    offered: bool = Field(description="listed by GET /v1/flows (shoppers can start it with `payload`)")
    payload: str | None = None
    steps: int
    calls: list[str] = Field(default_factory=list, description="flows its `call` steps run")
    file: str


class Diagram(BaseModel):
    flow: str
    format: Literal["mermaid", "dot"]
    source: str = Field(description="Mermaid `flowchart` or Graphviz DOT text")
    version: int = Field(description="engine version (increases with each hot reload)")


class ReloadEvent(BaseModel):
    kind: Literal["flows", "router"]
    ok: bool
    version: int
    message: str
    problems: list[str] = Field(default_factory=list, description="file:line:col: error: message (hint)")
    at: float


class DesignerStatus(BaseModel):
    version: int
    hot_reload: bool = Field(description="flows/ and intents/ are watched (`shoptalk serve --reload`)")
    graphviz: bool = Field(description="SVG diagrams available; otherwise use /diagram text")
    reloads: list[ReloadEvent] = Field(default_factory=list, description="recent reload attempts, newest last")


def catalog(engine: Any) -> list[FlowInfo]:
    """GET /v1/flows from the engine's current flows (so a hot reload shows at once)."""
    return [FlowInfo(**{k: f.get(k) for k in ("id", "description", "payload") if f.get(k) is not None})
            for f in engine.flow_catalog()]


def _engine(request: Request) -> Any:
    return request.app.state.engine


def _flows(request: Request):
    flows = getattr(_engine(request), "flows", None)
    if flows is None:
        raise ApiError("not_found", "This engine has no flows to show.", status=404)
    return flows


def _flow_graph(request: Request, name: str):
    from engine.flows.graph import build_graph

    flows = _flows(request)
    if name not in flows.flows:
        raise ApiError("flow_not_found", f"No flow {name!r}; known flows: {', '.join(sorted(flows.flows))}.",
                       status=404)
    return build_graph(flows, [name])


def _version(request: Request) -> int:
    return int(getattr(_engine(request), "version", 0))


class _SvgCache:
    """Rendered SVG by DOT text (so a reload that changes a flow changes the key), per app."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, dot_text: str) -> bytes:
        from engine.flows.graph_render import render

        key = hashlib.sha256(dot_text.encode("utf-8")).hexdigest()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        svg = render(dot_text, "svg")
        with self._lock:
            self._items[key] = svg
            while len(self._items) > SVG_CACHE_SIZE:
                self._items.popitem(last=False)
        return svg


@router.get("/designer", include_in_schema=False)
def designer_page(request: Request):
    if not request.app.state.settings.web_chat:  # the page needs /static, served with the web chat only
        raise ApiError("not_found", "The web pages are turned off (web_chat: false).", status=404)
    if not request.app.state.settings.designer:
        raise ApiError("not_found", "The designer view is turned off (designer: false).", status=404)
    return FileResponse(STATIC / "designer.html", headers={"Cache-Control": "no-cache"})


@router.get("/v1/designer/flows", response_model=list[DesignerFlow], tags=["designer"])
def designer_flows(request: Request):
    """Every flow, repair patterns included, with what starts it and which flows it calls."""
    flows = _flows(request)
    offered = {f["id"]: f.get("payload") for f in _engine(request).flow_catalog()}
    return [DesignerFlow(id=f.id, title=f.display, description=f.description, intents=list(f.intents),
                         kind="pattern" if f.pattern else "flow", offered=f.id in offered, payload=offered.get(f.id),
                         steps=len(f.steps), calls=sorted({s.flow for s in f.steps if s.kind == "call" and s.flow}),
                         file=f.loc.file)
            for f in flows.flows.values()]


@router.get("/v1/flows/{name}/diagram", response_model=Diagram, responses=NOT_FOUND, tags=["designer"])
def diagram_text(request: Request, name: str = PathParam(pattern=FLOW_ID),
                 format: Literal["mermaid", "dot"] = Query("mermaid")):
    """The flow's diagram as Mermaid or DOT text (needs nothing installed)."""
    from engine.flows.graph import to_dot, to_mermaid

    graph = _flow_graph(request, name)
    source = to_mermaid(graph) if format == "mermaid" else to_dot(graph)
    return Diagram(flow=name, format=format, source=source, version=_version(request))


@router.get("/v1/flows/{name}/diagram.svg", tags=["designer"], response_class=Response, responses={
    **NOT_FOUND, 200: {"content": {"image/svg+xml": {}}, "description": "the diagram drawn by Graphviz"},
    503: {"model": ErrorResponse, "description": "`graphviz_unavailable`: use /diagram (text) instead"}})
def diagram_svg(request: Request, name: str = PathParam(pattern=FLOW_ID)):
    """The flow's diagram as SVG; call and handoff nodes link to `#flow=<id>`."""
    from engine.flows.graph import to_dot
    from engine.flows.graph_render import GraphvizFailed, GraphvizMissing

    graph = _flow_graph(request, name)
    cache = getattr(request.app.state, "designer_svg", None)
    if cache is None:
        cache = request.app.state.designer_svg = _SvgCache()
    try:
        svg = cache.get(to_dot(graph))
    except GraphvizMissing:
        raise ApiError("graphviz_unavailable", "Graphviz (`dot`, Debian package graphviz) is not installed on the "
                       "server; the diagram is available as text from /diagram?format=mermaid.", status=503) from None
    except GraphvizFailed as exc:
        raise ApiError("internal_error", f"Graphviz could not draw {name!r}: {exc}", status=500) from None
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})


@router.get("/v1/designer/status", response_model=DesignerStatus, tags=["designer"])
def designer_status(request: Request):
    """Engine version and recent hot reloads (with each validation error's file:line)."""
    from engine.flows.graph_render import graphviz_available

    engine = _engine(request)
    history = getattr(engine, "history", [])
    return DesignerStatus(version=_version(request), hot_reload=getattr(request.app.state, "watcher", None) is not None,
                          graphviz=graphviz_available(),
                          reloads=[ReloadEvent(kind=o.kind, ok=o.ok, version=o.version, message=o.message,
                                               problems=list(o.problems), at=o.at) for o in history])
