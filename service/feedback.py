"""Shoppers' feedback: a thumb on a bot message, a 1-5 rating when a task ends, an optional comment.

`POST /v1/conversations/{id}/feedback` stores it beside the turn it is about (`message_seq`, the
turn's seq; default the last turn) in the analytics database, with the turn's active flow and the
comment redacted like the logs. The Rasa REST channel carries the same body as a message
`/feedback{...}`. A thumbs-down puts the turn's message into the review inbox. Floods are limited
per conversation (`feedback_rate_limit_per_minute`, 429).
"""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Literal

from fastapi import APIRouter, Path as PathParam, Query, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from service.errors import ApiError, ErrorResponse
from service.models import CONVERSATION_ID

router = APIRouter()
RASA_PREFIX = "/feedback"
ERRORS = {code: {"model": ErrorResponse} for code in (401, 403, 404, 422, 429, 503)}


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message_seq: int | None = Field(None, ge=1, description="the turn (its seq) the feedback is about; default "
                                    "the last turn")
    rating: int | None = Field(None, ge=1, le=5, description="1-5, offered when a task ends")
    thumb: Literal["up", "down"] | None = Field(None, description="on one bot message")
    comment: str | None = Field(None, min_length=1, max_length=1000, description="stored redacted")

    @model_validator(mode="after")
    def _something(self) -> "FeedbackIn":
        if self.rating is None and self.thumb is None and self.comment is None:
            raise ValueError("give at least one of rating, thumb or comment")
        return self


class FeedbackStored(BaseModel):
    id: str
    conversation_id: str
    message_seq: int | None
    flow: str | None


class RatingPrompt(BaseModel):
    rating: bool = Field(description="offer the 1-5 rating after this turn")
    flow: str | None = Field(None, description="the task the turn finished")


def _analytics(request: Request):
    analytics = getattr(request.app.state, "analytics", None)
    if analytics is None:
        raise ApiError("not_found", "Analytics are turned off (analytics: false).", status=404)
    return analytics


async def store(request: Request, conv_id: str, body: FeedbackIn, seq_now: int) -> FeedbackStored:
    """Check the turn exists, redact the comment, write the row (shared by the API and the Rasa channel)."""
    from service.analytics.derive import conversation_secrets, day_of, turn_flow
    from service.redact import redact

    analytics, state = _analytics(request), request.app.state
    await state.limit_feedback("feedback:" + conv_id)
    seq = body.message_seq if body.message_seq is not None else (seq_now or None)
    if seq is not None and seq > seq_now:
        raise ApiError("invalid_request", f"message_seq {seq} does not exist: the conversation has {seq_now} turns.",
                       details={"field": "message_seq", "turns": seq_now})
    records = await state.conversations.turns(conv_id)
    flow = None
    if seq is not None:
        turn = records[seq - 1].get("turn", {}) if seq <= len(records) else {}
        flow = _ended_task(turn, analytics.flows) or turn_flow(turn, analytics.flows)
    comment = redact(body.comment, conversation_secrets(records, analytics.flows)) if body.comment else None
    thumb = None if body.thumb is None else (1 if body.thumb == "up" else -1)
    now = time.time()
    fid = uuid.uuid4().hex
    await asyncio.to_thread(analytics.db.execute, "INSERT INTO an_feedback (id, conv_id, seq, ts, day, flow, rating, "
                            "thumb, comment) VALUES (?,?,?,?,?,?,?,?,?)",
                            (fid, conv_id, seq, now, day_of(now), flow, body.rating, thumb, comment))
    if thumb == -1:
        await asyncio.to_thread(analytics.dirty, conv_id)
    if analytics.counters is not None:
        analytics.counters.received(thumb, body.rating, comment)
    return FeedbackStored(id=fid, conversation_id=conv_id, message_seq=seq, flow=flow)


def _ended_task(turn: dict, flows) -> str | None:
    """The shopper-facing flow a turn completed, if any (the last one to end)."""
    known = getattr(flows, "flows", {})
    for ev in reversed(turn.get("events") or ()):  # the outermost task ends last (after a called sign-in)
        if ev.get("type") == "flow_ended" and ev.get("reason", "completed") == "completed":
            flow = known.get(ev.get("flow"))
            if flow is not None and not flow.pattern:
                return flow.id
    return None


@router.post("/v1/conversations/{conversation_id}/feedback", response_model=FeedbackStored, status_code=201,
             responses=ERRORS, tags=["conversations"])
async def post_feedback(request: Request, body: FeedbackIn, conversation_id: str = PathParam(pattern=CONVERSATION_ID)):
    """A thumb, a 1-5 rating and/or a comment on one turn of the conversation."""
    _, record = await request.app.state.authorized(request, conversation_id)
    from fastapi.responses import JSONResponse

    stored = await store(request, conversation_id, body, record.seq)
    return JSONResponse(stored.model_dump(), status_code=201)


@router.get("/v1/conversations/{conversation_id}/feedback/prompt", response_model=RatingPrompt, responses=ERRORS,
            tags=["conversations"])
async def rating_prompt(request: Request, conversation_id: str = PathParam(pattern=CONVERSATION_ID),
                        seq: int = Query(ge=1)):
    """Whether the web chat offers the 1-5 rating after turn `seq`: it finished a task whose flow is not in
    `feedback_rating_off`, and the turn has no rating yet."""
    record = await _prompt_reader(request, conversation_id)
    analytics = _analytics(request)
    if seq > record.seq:
        raise ApiError("invalid_request", f"seq {seq} does not exist: the conversation has {record.seq} turns.")
    turns = await request.app.state.conversations.turns(conversation_id, after=seq - 1, limit=1)
    flow = _ended_task(turns[0].get("turn", {}), analytics.flows) if turns else None
    if flow is None or flow in request.app.state.settings.feedback_rating_off:
        return RatingPrompt(rating=False, flow=flow)
    rated = await asyncio.to_thread(analytics.db.query, "SELECT 1 FROM an_feedback WHERE conv_id=? AND seq=? AND "
                                    "rating IS NOT NULL", (conversation_id, seq))
    return RatingPrompt(rating=not rated, flow=flow)


async def _prompt_reader(request: Request, conv_id: str):
    """The app's own access check, limited by a bucket of its own (`prompt:<id>`, the feedback rate):
    the web chat asks after every turn, which must not spend the shopper's message allowance."""
    from service.auth import Authenticator, hash_token, token_matches

    state = request.app.state
    p = await state.principal(request)
    record = await state.conversations.get(conv_id)
    if p.kind == "shopper" and not token_matches(p.token, record.token_hash):
        raise await state.conversations.token_denied(hash_token(p.token))
    Authenticator.authorize(p, record.token_hash)
    if not p.is_integrator:
        await state.limit_feedback("prompt:" + conv_id)
    return record


def is_rasa_feedback(message: str) -> bool:
    return message.startswith(RASA_PREFIX + "{") or message.strip() == RASA_PREFIX


async def from_rasa(request: Request, conv_id: str, message: str) -> FeedbackStored:
    """`/feedback{"rating": 5}` on the Rasa channel: the same body, the same checks (422 on a bad one)."""
    raw = message[len(RASA_PREFIX):].strip() or "{}"
    try:
        body = FeedbackIn.model_validate(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise ApiError("invalid_request", f"/feedback needs a JSON object: {exc}") from exc
    except ValidationError as exc:
        raise ApiError("invalid_request", "Invalid /feedback body.",
                       details=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]) from exc
    record = await request.app.state.conversations.get(conv_id)
    return await store(request, conv_id, body, record.seq)
