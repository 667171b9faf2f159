"""The FastAPI app factory."""
from __future__ import annotations

import asyncio
import json
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Body, FastAPI, Path as PathParam, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from service import chat_page, designer, errors, reload as hot_reload
from service.auth import Authenticator, Principal, hash_token, token_matches
from service.conversations import ConversationService
from service.errors import ApiError, ErrorResponse
from service.generator_load import GeneratorLoader
from service.metrics import Metrics
from service.middleware import BodyLimitMiddleware, TimingMiddleware
from service.models import (CONVERSATION_ID, ConversationCreated, ConversationState, CreateConversation, Deleted,
                            FlowInfo, Health, SendMessage, TranscriptEntry, TurnResponse)
from service.analytics import setup as analytics_setup
from service.ratelimit import Limit, limiter
from service.settings import Settings
from service.tracker import TrackerStore, TrackerUnavailable, open_tracker

log = logging.getLogger("shoptalk.service")
STATIC = Path(__file__).parent / "static"

ERRORS = {code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 408, 409, 413, 422, 429, 503)}


def _json(model) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")


def load_engine(settings: Settings):
    from engine import Engine

    kwargs = {} if settings.generator == "auto" else {"generator": None}
    if settings.quick_start:  # answer within seconds on a fresh clone (engine/router/quick_start.py)
        from engine.router import start_router

        kwargs["router"] = start_router(Path(settings.project_dir))
    return Engine.load(Path(settings.project_dir), store_path=settings.store_path, **kwargs)


def create_app(settings: Settings | None = None, *, engine=None, tracker: TrackerStore | None = None) -> FastAPI:
    settings = settings or Settings.load()
    if settings.redact_logs:
        from service import redact

        redact.install()
    engine = hot_reload.hold(engine if engine is not None else load_engine(settings))  # swappable (--reload)
    generator_load = GeneratorLoader(getattr(getattr(engine, "current", lambda: engine)(), "answerer", None))
    generator_load.start()  # in the background: the first open question no longer waits for the model
    tracker = tracker or open_tracker(settings.tracker_url, timeout=settings.redis_timeout_seconds)
    metrics = Metrics()
    service = ConversationService(engine, tracker, settings, metrics)
    auth = Authenticator(settings.parsed_api_keys())
    key_limits = limiter(tracker, "key", settings.rate_limit_per_minute, settings.rate_limit_burst)
    shopper_limits = limiter(tracker, "shopper", settings.shopper_rate_limit_per_minute,
                             settings.shopper_rate_limit_burst)

    @asynccontextmanager
    async def lifespan(app):
        with hot_reload.watching(app):
            yield
        await tracker.aclose()

    app = FastAPI(title="shoptalk", version="0.1.0", lifespan=lifespan,
                  description="Dialogue engine for online shops: conversations, streaming turns, Rasa REST channel.")
    app.state.settings = settings
    app.state.engine = engine
    app.state.generator_load = generator_load
    app.state.tracker = tracker
    app.state.metrics = metrics
    app.state.conversations = service
    errors.install(app, on_error=lambda code: metrics.errors.labels(code).inc())

    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
                           allow_headers=["Authorization", "Content-Type", "X-API-Key"],
                           allow_credentials=False, max_age=600)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       on_error=lambda code: metrics.errors.labels(code).inc(), timeout=settings.body_timeout_seconds)
    app.add_middleware(TimingMiddleware, histogram=metrics.request_seconds)

    # ------------------------------------------------------------------ helpers
    async def limit(bucket: Limit, key: str) -> None:
        if not bucket.enabled:
            return
        try:
            wait = await bucket.check(key)
        except TrackerUnavailable as exc:
            raise service.tracker_error(exc) from exc
        if wait > 0:
            raise ApiError("rate_limited", "Too many requests; slow down.", retry_after=Limit.retry_after(wait))

    async def principal(request: Request) -> Principal:
        p = auth.identify(request)
        if p.is_integrator:
            await limit(key_limits, "key:" + p.name)
        return p

    async def turn_principal(request: Request, conv_id: str) -> str | None:
        """Who sends a message: None for an integrator, else the shopper token's hash, which the
        tracker checks in the same round trip that takes the conversation's lock."""
        p = await principal(request)
        if p.is_integrator:
            return None
        if p.kind == "anonymous":
            auth.authorize(p, "")  # 401: no credentials
        token_hash = hash_token(p.token)
        # keyed by conversation AND token: a wrong token cannot spend the shopper's allowance
        await limit(shopper_limits, f"conv:{conv_id}:{token_hash[:16]}")
        return token_hash

    async def authorized(request: Request, conv_id: str):
        p = await principal(request)
        record = await service.get(conv_id)
        if p.kind == "shopper" and not token_matches(p.token, record.token_hash):
            raise await service.token_denied(hash_token(p.token))  # 403 another conversation's, else 401
        auth.authorize(p, record.token_hash)
        if not p.is_integrator:
            await limit(shopper_limits, f"conv:{conv_id}:{record.token_hash[:16]}")
        return p, record

    def check_text(text: str) -> None:
        if len(text) > settings.max_message_chars:
            raise ApiError("message_too_large", f"Messages are limited to {settings.max_message_chars} characters.")
        if not text.strip():
            raise ApiError("invalid_request", "The message is empty.", status=422)

    def client_ip(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    # ------------------------------------------------------------------ web chat
    if settings.web_chat and STATIC.exists():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

        @app.get("/", include_in_schema=False)
        def index(designer: str | None = None):
            """The shopper's chat; /?designer=1 adds the designer's state panel when the settings allow it."""
            return chat_page.chat_page(settings, designer)

        @app.get("/favicon.ico", include_in_schema=False)
        def favicon():
            return FileResponse(STATIC / "favicon.ico", media_type="image/x-icon",
                                headers={"Cache-Control": "max-age=86400"})

    # ------------------------------------------------------------------ API
    @app.post("/v1/conversations", response_model=ConversationCreated, status_code=201, responses=ERRORS,
              tags=["conversations"])
    async def create_conversation(request: Request, body: CreateConversation | None = Body(None)):
        """Start a conversation; the response's token authorises the shopper for this conversation only."""
        p = await principal(request)
        if p.is_integrator:
            owner = "key:" + p.name
        else:
            if not settings.public_conversations:
                raise ApiError("unauthorized", f"An integrator key in X-API-Key is required.")
            if body is not None and body.conversation_id:
                raise ApiError("forbidden", "Only integrators may choose a conversation id.")
            await limit(shopper_limits, "ip:" + client_ip(request))
            owner = "shopper"
        record, token = await service.create(owner, body.conversation_id if body else None)
        return JSONResponse(ConversationCreated(conversation_id=record.id, token=token,
                                                created_at=record.created_at).model_dump(), status_code=201)

    @app.post("/v1/conversations/{conversation_id}/messages", response_model=TurnResponse, responses=ERRORS,
              tags=["conversations"])
    async def send_message(request: Request, body: SendMessage,
                           conversation_id: str = PathParam(pattern=CONVERSATION_ID)):
        """Process one shopper message (or button payload) and return the engine's turn."""
        check_text(body.text)
        token_hash = await turn_principal(request, conversation_id)
        result = await service.process(conversation_id, body.text, token_hash=token_hash,
                                       message_id=body.message_id, channel="api")
        return Response(result.json, media_type="application/json")

    @app.post("/v1/conversations/{conversation_id}/messages/stream", responses={
        **ERRORS, 200: {"content": {"text/event-stream": {}},
                        "description": "Server-Sent Events: `token` ({text}) while generating, then `turn` "
                                       "(the TurnResponse), or `error` ({error:{code,message}})"}},
              tags=["conversations"], response_class=StreamingResponse)
    async def send_message_stream(request: Request, body: SendMessage,
                                  conversation_id: str = PathParam(pattern=CONVERSATION_ID)):
        """The streaming variant of messages: Server-Sent Events."""
        check_text(body.text)
        token_hash = await turn_principal(request, conversation_id)
        # errors up to here (and taking the conversation) are plain JSON responses, before the stream
        pending = await service.begin_turn(conversation_id, token_hash=token_hash, message_id=body.message_id)
        events: asyncio.Queue = asyncio.Queue()

        async def work():
            try:
                result = await service.finish_turn(pending, body.text, channel="stream",
                                                   on_token=lambda t: events.put_nowait(("token", {"text": t})))
                events.put_nowait(("turn", result.json))
            except ApiError as exc:
                metrics.errors.labels(exc.code).inc()
                events.put_nowait(("error", errors.error_payload(exc.code, exc.message, exc.details)))
            except Exception:  # pragma: no cover
                log.exception("stream turn failed")
                events.put_nowait(("error", errors.error_payload("internal_error", "Something went wrong on our side.")))
            finally:
                events.put_nowait(None)

        # The turn runs to completion and is saved even if the shopper closes the page mid-stream.
        service.in_background(work())

        async def sse():
            yield ": stream open\n\n"
            while (item := await events.get()) is not None:
                kind, data = item
                payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
                yield f"event: {kind}\ndata: {payload}\n\n"

        return StreamingResponse(sse(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @app.get("/v1/conversations/{conversation_id}", response_model=ConversationState, responses=ERRORS,
             tags=["conversations"])
    async def get_conversation(request: Request, conversation_id: str = PathParam(pattern=CONVERSATION_ID),
                               limit_: int = Query(100, alias="limit", ge=1, le=1000)):
        """State (active flow, slots, expecting) and the transcript of the last `limit` turns."""
        _, record = await authorized(request, conversation_id)
        turns = await service.turns(conversation_id, after=max(0, record.seq - limit_), limit=limit_)
        last = turns[-1]["turn"] if turns else {}
        state = ConversationState(
            conversation_id=record.id, created_at=record.created_at, updated_at=record.updated_at, turns=record.seq,
            active_flow=last.get("active_flow"), flow_stack=last.get("flow_stack", []), slots=last.get("slots", {}),
            expecting=last.get("expecting"), ended=last.get("ended", False),
            transcript=[TranscriptEntry(seq=t["seq"], ts=t["ts"], user=t["user"], messages=t["turn"]["messages"],
                                        route=(t["turn"].get("route") or {}).get("label")) for t in turns])
        return _json(state)

    @app.get("/v1/conversations/{conversation_id}/events", responses={
        **ERRORS, 200: {"content": {"application/x-ndjson": {}, "application/json": {}},
                        "description": "One JSON object per line: {conversation_id, seq, ts, type, ...}"}},
             tags=["conversations"])
    async def export_events(request: Request, conversation_id: str = PathParam(pattern=CONVERSATION_ID),
                            format: str = Query("jsonl", pattern="^(jsonl|json)$")):
        """Export the conversation's events for analytics and fine-tuning."""
        await authorized(request, conversation_id)
        from service.export import event_lines

        try:
            lines = await event_lines(service.tracker, conversation_id)
        except TrackerUnavailable as exc:
            raise service.tracker_error(exc) from exc
        if format == "json":
            return JSONResponse([json.loads(line) for line in lines])
        return Response("".join(line + "\n" for line in lines), media_type="application/x-ndjson")

    @app.delete("/v1/conversations/{conversation_id}", response_model=Deleted, responses=ERRORS,
                tags=["conversations"])
    async def delete_conversation(request: Request, conversation_id: str = PathParam(pattern=CONVERSATION_ID)):
        """Erase the conversation everywhere: tracker events, snapshot, metadata and worker caches."""
        await authorized(request, conversation_id)
        deleted = await service.delete(conversation_id)
        analytics_setup.forget(app, conversation_id)  # its analytics, feedback and review rows too
        return _json(Deleted(conversation_id=conversation_id, deleted=deleted))

    @app.get("/v1/flows", response_model=list[FlowInfo], tags=["assistant"])
    async def flows():
        """What the assistant can do; `payload` starts the flow when sent as a message."""
        return designer.catalog(engine)

    app.include_router(designer.router)  # /designer page, diagrams, reload status
    # feedback, /v1/analytics/*, the review inbox, /analytics (docs/analytics.md)
    analytics_setup.install(app, principal=principal, authorized=authorized, limit=limit)

    # ------------------------------------------------------------------ Rasa REST channel
    if settings.rasa_channel:
        from service import rasa

        rasa.install(app, service=service, settings=settings, principal=principal, check_text=check_text,
                     responses=ERRORS)

    # ------------------------------------------------------------------ operations
    @app.get("/healthz", response_model=Health, tags=["operations"])
    async def healthz():
        """Liveness: the process answers."""
        return Health(status="ok")

    @app.get("/readyz", response_model=Health, responses={503: {"model": ErrorResponse}}, tags=["operations"])
    async def readyz():
        """Readiness: models loaded, store and tracker reachable."""
        components: dict[str, str] = {}
        try:
            components.update({k: str(v) for k, v in (engine.health() or {}).items()})
        except Exception as exc:
            components["engine"] = f"error: {exc}"
        if "generator" in components:  # loading (not ready yet), ok (what answers, load time) or the error
            components["generator"] = generator_load.status().component()
        try:
            await tracker.ping()
            components["tracker"] = "ok"
        except Exception as exc:
            components["tracker"] = f"error: {exc}"
        healthy = lambda v: v.startswith("ok") or v == "disabled"  # noqa: E731
        if all(healthy(v) for v in components.values()):
            return Health(status="ready", components=components)
        metrics.errors.labels("not_ready").inc()
        return JSONResponse({"error": {"code": "not_ready", "message": "Not ready: " + ", ".join(
            f"{k}: {v}" for k, v in components.items() if not healthy(v)), "details": components}},
            status_code=503, headers={"Retry-After": str(settings.retry_after_seconds)})

    @app.get("/metrics", include_in_schema=False)
    def prometheus():
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    return app


def app_from_env() -> FastAPI:
    """uvicorn factory (`service.app:app_from_env`): settings from SHOPTALK_* and the YAML file."""
    settings = Settings.load()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    return create_app(settings)
