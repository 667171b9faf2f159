"""Turn processing: the order of operations that keeps the tracker and the engine consistent.

For each message:

1. take the in-process FIFO lock of the conversation (threads of this worker queue in order);
2. take the tracker's lease lock (workers and hosts queue; yields a fencing token);
3. read the conversation record (metadata + bounded snapshot) - if the tracker is down we stop here,
   before the engine has done anything;
4. restore the conversation (or reuse the in-memory one if its turn number still matches) and run
   the turn in the engine;
5. in ONE tracker transaction / Lua script: append the turn record and replace the snapshot, only if
   our fencing token still holds the lock and the conversation is still at the turn we read.

If step 5 fails, the turn is not acknowledged (503/409) and the tracker still holds the previous
turn, so the conversation resumes from a consistent state. Store writes that the engine made in
step 4 (a return, a cancellation) are already committed in the engine's own store; they are
recorded in the response's `actions` only, so an integrator retrying the same `message_id` after a
503 re-runs the turn against the store, where the action's own checks (an order already returned,
already cancelled) refuse to apply it twice.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from typing import Any, Callable

from service.auth import hash_token, new_token
from service.errors import ApiError
from service.locks import KeyedFifoLock, LocalLockTimeout
from service.models import TurnResponse
from service.redact import redact
from service.tracker import (ConversationExists, ConversationNotFound, DuplicateMessage, LockTimeout,
                             StaleWrite, TrackerStore, TrackerUnavailable)

log = logging.getLogger("shoptalk.service")


class ConversationService:
    def __init__(self, engine, tracker: TrackerStore, settings, metrics=None):
        self.engine = engine
        self.tracker = tracker
        self.settings = settings
        self.metrics = metrics
        self.locks = KeyedFifoLock()
        self._cache: OrderedDict[str, tuple[int, Any]] = OrderedDict()
        self._cache_mu = threading.Lock()

    # ------------------------------------------------------------------ errors
    def _tracker_error(self, exc: Exception) -> ApiError:
        retry = self.settings.retry_after_seconds
        if isinstance(exc, TrackerUnavailable):
            log.warning("tracker unavailable: %s", exc)
            return ApiError("tracker_unavailable", "The conversation store is unavailable; retry shortly.",
                            retry_after=retry)
        if isinstance(exc, ConversationNotFound):
            return ApiError("conversation_not_found", "No such conversation.")
        if isinstance(exc, (LockTimeout, LocalLockTimeout)):
            return ApiError("conversation_busy", "Another message of this conversation is still being "
                                                 "processed; retry shortly.", retry_after=retry)
        if isinstance(exc, StaleWrite):
            return ApiError("lock_lost", "The turn took longer than the conversation lock lease and was not "
                                         "saved; retry.", retry_after=retry)
        if isinstance(exc, ConversationExists):
            return ApiError("conversation_exists", "A conversation with this id already exists.")
        raise exc

    # ------------------------------------------------------------------ cache
    def _cached(self, conv_id: str, seq: int):
        with self._cache_mu:
            hit = self._cache.get(conv_id)
            if hit is not None and hit[0] == seq:
                self._cache.move_to_end(conv_id)
                return hit[1]
        return None

    def _remember(self, conv_id: str, seq: int, conv) -> None:
        if self.settings.conversation_cache_size <= 0:
            return
        with self._cache_mu:
            self._cache[conv_id] = (seq, conv)
            self._cache.move_to_end(conv_id)
            while len(self._cache) > self.settings.conversation_cache_size:
                self._cache.popitem(last=False)

    def forget(self, conv_id: str) -> None:
        with self._cache_mu:
            self._cache.pop(conv_id, None)

    # ------------------------------------------------------------------ operations
    def create(self, owner: str, conversation_id: str | None = None):
        conv_id = conversation_id or uuid.uuid4().hex
        conv = self.engine.new_conversation(conv_id)
        token = new_token()
        try:
            record = self.tracker.create(conv.id, token_hash=hash_token(token), owner=owner,
                                         snapshot=conv.snapshot())
        except (TrackerUnavailable, ConversationExists) as exc:
            raise self._tracker_error(exc) from exc
        self._remember(conv.id, 0, conv)
        return record, token

    def get(self, conv_id: str):
        try:
            record = self.tracker.get(conv_id)
        except TrackerUnavailable as exc:
            raise self._tracker_error(exc) from exc
        if record is None:
            raise ApiError("conversation_not_found", "No such conversation.")
        return record

    def turns(self, conv_id: str, *, after: int = 0, limit: int | None = None) -> list[dict]:
        try:
            return self.tracker.turns(conv_id, after=after, limit=limit)
        except TrackerUnavailable as exc:
            raise self._tracker_error(exc) from exc

    def delete(self, conv_id: str) -> bool:
        s = self.settings
        try:
            with self.locks.hold(conv_id, s.lock_wait_seconds):
                with self.tracker.lock(conv_id, ttl=s.lock_ttl_seconds, wait=s.lock_wait_seconds):
                    deleted = self.tracker.delete(conv_id)
        except (TrackerUnavailable, LockTimeout, LocalLockTimeout) as exc:
            raise self._tracker_error(exc) from exc
        self.forget(conv_id)
        return deleted

    def process(self, conv_id: str, text: str, *, message_id: str | None = None, channel: str = "api",
                on_token: Callable[[str], None] | None = None) -> TurnResponse:
        s = self.settings
        try:
            with self.locks.hold(conv_id, s.lock_wait_seconds):
                with self.tracker.lock(conv_id, ttl=s.lock_ttl_seconds, wait=s.lock_wait_seconds) as fence:
                    return self._locked_turn(conv_id, text, message_id, channel, on_token, fence)
        except (TrackerUnavailable, LockTimeout, LocalLockTimeout, StaleWrite, ConversationNotFound) as exc:
            raise self._tracker_error(exc) from exc

    def _locked_turn(self, conv_id, text, message_id, channel, on_token, fence) -> TurnResponse:
        record = self.tracker.get(conv_id)
        if record is None:
            raise ConversationNotFound(conv_id)
        if message_id:
            stored = self.tracker.find_message(conv_id, message_id)
            if stored is not None:
                return TurnResponse(**stored["turn"], seq=stored["seq"], replayed=True)
        conv = self._cached(conv_id, record.seq)
        if conv is None:
            conv = self.engine.restore(conv_id, record.snapshot)
        started = time.perf_counter()
        try:
            turn = self._run_engine(conv, text, on_token)
            snapshot = conv.snapshot()
        except Exception as exc:
            self.forget(conv_id)
            log.exception("engine failed on conversation %s", conv_id)
            raise ApiError("engine_error", "The assistant failed on this message; nothing was saved.") from exc
        engine_seconds = time.perf_counter() - started
        turn_data = turn.model_dump(mode="json")
        entry = {"ts": time.time(), "message_id": message_id, "channel": channel, "user": text, "turn": turn_data}
        t0 = time.perf_counter()
        try:
            seq = self.tracker.append_turn(conv_id, entry, snapshot, expected_seq=record.seq, fence=fence,
                                           message_id=message_id)
        except DuplicateMessage:  # cannot happen under the lock, kept for safety
            self.forget(conv_id)
            stored = self.tracker.find_message(conv_id, message_id)
            return TurnResponse(**stored["turn"], seq=stored["seq"], replayed=True)
        except BaseException:
            self.forget(conv_id)  # the in-memory conversation ran ahead of the tracker
            raise
        if self.metrics is not None:
            self.metrics.tracker_seconds.observe(time.perf_counter() - t0)
            self.metrics.observe_turn(turn, channel, engine_seconds)
        self._remember(conv_id, seq, conv)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("turn %s #%d route=%s user=%r bot=%r", conv_id, seq,
                      turn.route.label if turn.route else None, redact(text), redact(turn.text))
        return TurnResponse(**turn_data, seq=seq)

    @staticmethod
    def _run_engine(conv, text: str, on_token):
        if on_token is None or not hasattr(conv, "send_stream"):
            turn = conv.send(text)
            if on_token is not None:
                for m in turn.messages:
                    on_token(m.text)
            return turn
        turn = None
        for event in conv.send_stream(text):
            if event.get("type") == "token":
                on_token(event.get("text", ""))
            elif event.get("type") == "turn":
                turn = event["turn"]
        if turn is None:
            raise RuntimeError("send_stream ended without a turn")
        return turn
