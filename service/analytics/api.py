"""`/v1/analytics/*` (integrator key), the analytics page, and a shopper's data export."""
from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Path as PathParam, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from service.analytics.models import Funnel, Summary
from service.analytics.queries import Filter, Queries
from service.errors import ApiError, ErrorResponse
from service.models import CONVERSATION_ID

router = APIRouter()
DAY = r"^\d{4}-\d{2}-\d{2}$"
ERRORS = {code: {"model": ErrorResponse} for code in (401, 403, 404, 422, 429)}


async def integrator(request: Request) -> None:
    """The analytics and the review inbox need an integrator key (X-API-Key)."""
    p = await request.app.state.principal(request)
    if not p.is_integrator:
        raise ApiError("unauthorized", "An integrator key in X-API-Key is required.")


def analytics(request: Request):
    a = getattr(request.app.state, "analytics", None)
    if a is None:
        raise ApiError("not_found", "Analytics are turned off (analytics: false).", status=404)
    return a


async def queries(request: Request) -> Queries:
    await integrator(request)
    a = analytics(request)
    await a.refresh()
    return Queries(a.db, a.settings, a.flows)


def _filter(flow, start, end) -> Filter:
    if start and end and start > end:
        raise ApiError("invalid_request", f"from ({start}) is after to ({end}).")
    return Filter(flow or None, start, end)


@router.get("/v1/analytics/summary", response_model=Summary, responses=ERRORS, tags=["analytics"])
async def summary(request: Request, flow: str | None = Query(None, max_length=128),
                  start: str | None = Query(None, alias="from", pattern=DAY),
                  end: str | None = Query(None, alias="to", pattern=DAY)):
    """Tasks by outcome, containment, fallback, clarification and repair rates, CSAT, thumbs, latency, by day."""
    q = await queries(request)
    return JSONResponse((await asyncio.to_thread(q.summary, _filter(flow, start, end))).model_dump())


@router.get("/v1/analytics/funnels", response_model=list[Funnel], responses=ERRORS, tags=["analytics"])
async def funnels(request: Request, flow: str | None = Query(None, max_length=128),
                  start: str | None = Query(None, alias="from", pattern=DAY),
                  end: str | None = Query(None, alias="to", pattern=DAY)):
    """Per flow: started -> each collect and confirm step -> confirmed -> done, with where tasks stopped."""
    q = await queries(request)
    return JSONResponse([f.model_dump() for f in await asyncio.to_thread(q.funnels, _filter(flow, start, end))])


@router.get("/v1/analytics/export.csv", responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
            tags=["analytics"], response_class=Response)
async def export_csv(request: Request, kind: Literal["days", "funnels", "tasks"] = "days",
                     flow: str | None = Query(None, max_length=128),
                     start: str | None = Query(None, alias="from", pattern=DAY),
                     end: str | None = Query(None, alias="to", pattern=DAY)):
    """The figures by day, the funnel stages, or every task, as CSV."""
    q = await queries(request)
    return Response(await asyncio.to_thread(q.csv, _filter(flow, start, end), kind), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="shoptalk-{kind}.csv"'})


@router.get("/v1/analytics/charts/{name}.svg", responses={**ERRORS, 200: {"content": {"image/svg+xml": {}}}},
            tags=["analytics"], response_class=Response)
async def chart(request: Request, name: Literal["funnels", "rates", "csat", "unrecognised"] = PathParam(),
                flow: str | None = Query(None, max_length=128),
                start: str | None = Query(None, alias="from", pattern=DAY),
                end: str | None = Query(None, alias="to", pattern=DAY)):
    """A chart drawn on the server (matplotlib SVG)."""
    from service.analytics import charts

    q = await queries(request)
    f = _filter(flow, start, end)
    if name == "unrecognised":
        from service.review import inbox

        groups = (await inbox(request.app, f)).groups
        svg = await asyncio.to_thread(charts.unrecognised, groups)
    elif name == "funnels":
        svg = await asyncio.to_thread(lambda: charts.funnels(q.funnels(f)))
    else:
        draw = charts.rates if name == "rates" else charts.csat
        svg = await asyncio.to_thread(lambda: draw(q.summary(f).by_day))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})


@router.get("/analytics", include_in_schema=False)
def analytics_page(request: Request):
    return _page(request, "analytics.html")


@router.get("/designer/review", include_in_schema=False)
def review_page(request: Request):
    return _page(request, "review.html")


def _page(request: Request, name: str):
    from service.designer import STATIC

    if not request.app.state.settings.web_chat:
        raise ApiError("not_found", "The web pages are turned off (web_chat: false).", status=404)
    return FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})


@router.get("/v1/conversations/{conversation_id}/export", responses=ERRORS, tags=["conversations"])
async def export_conversation(request: Request, conversation_id: str = PathParam(pattern=CONVERSATION_ID)):
    """Everything kept about one conversation, for its shopper (or an integrator): the transcript and events,
    its feedback, and the analytics and review rows derived from it."""
    _, record = await request.app.state.authorized(request, conversation_id)
    turns = await request.app.state.conversations.turns(conversation_id)
    out = {"conversation_id": record.id, "created_at": record.created_at, "updated_at": record.updated_at,
           "turns": turns, "feedback": [], "analytics": {"tasks": [], "turns": []}, "review": []}
    a = getattr(request.app.state, "analytics", None)
    if a is not None:
        def rows(sql: str, cols: tuple[str, ...]) -> list[dict]:
            return [dict(zip(cols, r)) for r in a.db.query(sql, (conversation_id,))]

        out["feedback"] = rows("SELECT seq, ts, flow, rating, thumb, comment FROM an_feedback WHERE conv_id=?",
                               ("message_seq", "ts", "flow", "rating", "thumb", "comment"))
        out["analytics"]["tasks"] = rows("SELECT n, flow, day, outcome, stage, messages FROM an_tasks WHERE conv_id=?",
                                         ("n", "flow", "day", "outcome", "stage", "messages"))
        out["analytics"]["turns"] = rows("SELECT seq, day, label, fallback, repair, latency_ms FROM an_turns WHERE "
                                         "conv_id=?", ("seq", "day", "label", "fallback", "repair", "latency_ms"))
        out["review"] = rows("SELECT seq, text, reasons, status FROM an_review WHERE conv_id=?",
                             ("seq", "text", "reasons", "status"))
    return JSONResponse(out, headers={"Content-Disposition": f'attachment; filename="{conversation_id}.json"'})
