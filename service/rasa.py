"""The Rasa REST channel (`POST /webhooks/rest/webhook`): existing Rasa front ends work unchanged.

One conversation per `sender`, so whoever may post here can continue any sender's conversation,
signed-in shoppers' included. The channel therefore needs an integrator key (`X-API-Key`) unless
`rasa_channel_open` is set for local development (a warning is logged at start).

Every message gets an idempotency key: the front end's `message_id` (or `metadata.message_id`), else
one made up here. The channel retries a turn whose outcome the store could not tell, or that was not
saved because the store failed, with that same key, so a turn is never stored twice and the front end
gets the stored turn when an earlier attempt had in fact been saved.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from service import feedback
from service.errors import ApiError
from service.models import RasaMessage, RasaReply
from service.tracker import TrackerUnavailable

log = logging.getLogger("shoptalk.service")
RETRYABLE = frozenset({"commit_unknown", "tracker_unavailable", "lock_lost"})
ATTEMPTS = 3


def conversation_id(sender: str) -> str:
    return "rasa-" + hashlib.sha256(sender.encode("utf-8")).hexdigest()[:32]


def message_id(body: RasaMessage) -> str:
    given = body.message_id or (body.metadata or {}).get("message_id")
    return str(given)[:128] if given else "rasa-" + uuid.uuid4().hex


def warn_if_open(settings) -> None:
    if settings.rasa_channel_open:
        log.warning("the Rasa channel /webhooks/rest/webhook is OPEN (rasa_channel_open): anyone who knows a "
                    "shopper's sender id continues that shopper's conversation; for local development only")
    elif not settings.api_keys:  # the closed default of a fresh install: said, not warned about
        log.info("the Rasa channel needs an integrator key in X-API-Key but no api_keys are set: it answers "
                 "401 to every request")


def install(app: FastAPI, *, service, settings, principal, check_text, responses) -> None:
    warn_if_open(settings)

    @app.get("/webhooks/rest/", tags=["rasa"])
    async def rasa_status() -> dict:
        return {"status": "ok"}

    @app.post("/webhooks/rest/webhook", response_model=list[RasaReply], responses=responses, tags=["rasa"])
    async def rasa_webhook(request: Request, body: RasaMessage):
        """Rasa-compatible REST channel (needs `X-API-Key` unless `rasa_channel_open`)."""
        check_text(body.message)
        p = await principal(request)
        if not p.is_integrator and not settings.rasa_channel_open:
            raise ApiError("unauthorized", "An integrator key in X-API-Key is required for this channel.")
        conv_id = conversation_id(body.sender)
        if feedback.is_rasa_feedback(body.message):  # /feedback{"rating": 5}: stored, not a turn
            await feedback.from_rasa(request, conv_id, body.message)
            return JSONResponse([RasaReply(recipient_id=body.sender, text="Thanks for your feedback.").model_dump()])
        try:
            if await service.tracker.get(conv_id, snapshot=False) is None:
                try:
                    await service.create("rasa", conv_id)
                except ApiError as exc:
                    if exc.code != "conversation_exists":
                        raise
        except TrackerUnavailable as exc:
            raise service.tracker_error(exc) from exc
        turn = (await _process(service, conv_id, body.message, message_id(body))).data()
        replies = [RasaReply(recipient_id=body.sender, text=m["text"], buttons=[
            {"title": b["title"], "payload": b["payload"]} for b in m.get("buttons", [])])
            for m in turn["messages"]]
        return JSONResponse([r.model_dump() for r in replies])


async def _process(service, conv_id: str, text: str, mid: str):
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await service.process(conv_id, text, message_id=mid, channel="rasa")
        except ApiError as exc:
            if exc.code not in RETRYABLE or attempt == ATTEMPTS:
                raise
            log.warning("rasa channel: %s on %s, retrying message %s", exc.code, conv_id, mid)
            await asyncio.sleep(0.25 * attempt)
