"""Turn processing: the order of operations that keeps the tracker and the engine consistent.

For each message, on the worker's event loop:

1. take the in-process FIFO lock of the conversation (messages to one worker queue in order);
2. `tracker.begin` - ONE round trip: check the shopper's token, replay a known `message_id`, take
   the lease lock (fencing token) and read the bounded snapshot unless the cached conversation is
   at the stored turn. If the tracker is down we stop here, before the engine has done anything;
3. run the turn in the engine: inline for button payloads (`/intent{...}`, well under a
   millisecond, never the generator), on a thread for free text (the router's model, the generator),
   while `locks.Lease` renews the short lease every third of it;
4. `tracker.commit` - ONE round trip: append the turn record, replace the snapshot and release the
   lock, only if our fencing token still holds it and the conversation is still at the turn we read.

An error answer always says whether the turn was saved. If the store fails during step 4, the reply
may have been lost after the write, so the commit is repeated (commits are idempotent: a stored
record of ours answers its seq again) until the store answers or `commit_settle_seconds` pass:
saved -> the turn is answered normally; not saved -> `lock_lost`/`tracker_unavailable` ("nothing
saved"); the store never answered -> `commit_unknown` (resend with the same `message_id` to learn
the outcome). A lock we could not release is released in the background, and its lease ends by
itself within `lock_ttl_seconds` anyway. Store writes the engine made in step 3 (a return, a
cancellation) are already committed in the engine's own store; a retry re-runs against the store,
whose own checks refuse to apply the same action twice.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable

from engine.store.errors import StoreUnavailable
from service.auth import new_token
from service.errors import INVALID_TOKEN, ApiError
from service.locks import KeyedFifoLock, Lease, LocalLockTimeout
from service import pii
from service.redact import redact
from service.tracker import (Begin, ConversationExists, ConversationNotFound, DuplicateMessage, LockTimeout,
                             StaleWrite, TokenMismatch, TrackerStore, TrackerUnavailable)
from service.tracker_base import dumps

log = logging.getLogger("shoptalk.service")
_TRACKER_ERRORS = (TrackerUnavailable, LockTimeout, LocalLockTimeout, StaleWrite, ConversationNotFound,
                   TokenMismatch, ConversationExists)


@dataclass
class TurnResult:
    """One processed (or replayed) turn: `json` is the TurnResponse body, serialised once."""

    json: str
    seq: int
    turn: Any = None  # the engine's Turn (None when replayed)

    def data(self) -> dict:
        import json

        return json.loads(self.json)


@dataclass
class PendingTurn:
    """A conversation taken for one turn (both locks held) or a replay (no lock held)."""

    conv_id: str
    begin: Begin
    message_id: str | None
    conv: Any = None
    done: bool = field(default=False)
    lease: Lease | None = None


def is_trigger(text: str) -> bool:
    """Button payloads never reach the router's model or the generator, so they run inline."""
    try:
        from engine.understand import TriggerError, parse_trigger
    except ImportError:  # pragma: no cover - a stand-in engine
        return text.lstrip().startswith("/")
    try:
        return parse_trigger(text) is not None
    except TriggerError:
        return True  # answered with an error message, no routing


class ConversationService:
    def __init__(self, engine, tracker: TrackerStore, settings, metrics=None):
        self.engine = engine
        self.tracker = tracker
        self.settings = settings
        self.metrics = metrics
        self.locks = KeyedFifoLock()
        self._cache: OrderedDict[str, tuple[int, Any]] = OrderedDict()
        self._background: set[asyncio.Task] = set()

    # ------------------------------------------------------------------ errors
    def tracker_error(self, exc: Exception) -> ApiError:
        retry = self.settings.retry_after_seconds
        if isinstance(exc, TrackerUnavailable):
            log.warning("tracker unavailable: %s", exc)
            return ApiError("tracker_unavailable", "The conversation store is unavailable; retry shortly.",
                            retry_after=retry)
        if isinstance(exc, ConversationNotFound):
            return ApiError("conversation_not_found", "No such conversation.")
        if isinstance(exc, TokenMismatch):
            return ApiError("forbidden", "This token does not give access to this conversation.")
        if isinstance(exc, (LockTimeout, LocalLockTimeout)):
            return ApiError("conversation_busy", "Another message of this conversation is still being "
                                                 "processed; retry shortly.", retry_after=retry)
        if isinstance(exc, StaleWrite):
            return ApiError("lock_lost", "The turn took longer than the conversation lock lease and was not "
                                         "saved; retry.", retry_after=retry)
        if isinstance(exc, ConversationExists):
            return ApiError("conversation_exists", "A conversation with this id already exists.")
        raise exc

    async def token_denied(self, token_hash: str) -> ApiError:
        """A shopper token that is not this conversation's: 403 when it belongs to another
        conversation, 401 (with a Bearer challenge) when no conversation was ever issued it."""
        try:
            known = await self.tracker.token_known(token_hash)
        except TrackerUnavailable:
            known = False  # denied either way
        if known:
            return ApiError("forbidden", "This token does not give access to this conversation.")
        return ApiError("unauthorized", "The bearer token is not valid.", headers={"WWW-Authenticate": INVALID_TOKEN})

    # ------------------------------------------------------------------ cache
    def _remember(self, conv_id: str, seq: int, conv) -> None:
        if self.settings.conversation_cache_size <= 0:
            return
        self._cache[conv_id] = (seq, conv)
        self._cache.move_to_end(conv_id)
        while len(self._cache) > self.settings.conversation_cache_size:
            self._cache.popitem(last=False)

    def forget(self, conv_id: str) -> None:
        self._cache.pop(conv_id, None)

    # ------------------------------------------------------------------ operations
    async def create(self, owner: str, conversation_id: str | None = None, token_hash: str | None = None):
        from service.auth import hash_token

        conv_id = conversation_id or uuid.uuid4().hex
        conv = self.engine.new_conversation(conv_id)
        token = new_token()
        try:
            record = await self.tracker.create(conv.id, token_hash=token_hash or hash_token(token), owner=owner,
                                               snapshot=conv.snapshot())
        except _TRACKER_ERRORS as exc:
            raise self.tracker_error(exc) from exc
        self._remember(conv.id, 0, conv)
        return record, token

    async def get(self, conv_id: str, *, snapshot: bool = False):
        try:
            record = await self.tracker.get(conv_id, snapshot=snapshot)
        except TrackerUnavailable as exc:
            raise self.tracker_error(exc) from exc
        if record is None:
            raise ApiError("conversation_not_found", "No such conversation.")
        return record

    async def turns(self, conv_id: str, *, after: int = 0, limit: int | None = None) -> list[dict]:
        try:
            return await self.tracker.turns(conv_id, after=after, limit=limit)
        except TrackerUnavailable as exc:
            raise self.tracker_error(exc) from exc

    async def delete(self, conv_id: str) -> bool:
        s = self.settings
        try:
            async with self.locks.hold(conv_id, s.lock_wait_seconds):
                async with self.tracker.lock(conv_id, ttl=s.lock_ttl_seconds, wait=s.lock_wait_seconds):
                    deleted = await self.tracker.delete(conv_id)
        except _TRACKER_ERRORS as exc:
            raise self.tracker_error(exc) from exc
        self.forget(conv_id)
        return deleted

    async def process(self, conv_id: str, text: str, *, token_hash: str | None = None,
                      message_id: str | None = None, channel: str = "api",
                      on_token: Callable[[str], None] | None = None) -> TurnResult:
        pending = await self.begin_turn(conv_id, token_hash=token_hash, message_id=message_id)
        return await self.finish_turn(pending, text, channel=channel, on_token=on_token)

    async def begin_turn(self, conv_id: str, *, token_hash: str | None = None,
                         message_id: str | None = None) -> PendingTurn:
        """Steps 1-2. Raises ApiError (404, 403, 409, 503) before anything ran."""
        s = self.settings
        try:
            await self.locks.acquire(conv_id, s.lock_wait_seconds)
        except LocalLockTimeout as exc:
            raise self.tracker_error(exc) from exc
        cached = self._cache.pop(conv_id, None)  # back in only after a successful commit
        try:
            begin = await self.tracker.begin(conv_id, ttl=s.lock_ttl_seconds, wait=s.lock_wait_seconds,
                                             token_hash=token_hash, message_id=message_id,
                                             cached_seq=cached[0] if cached else -1)
        except BaseException as exc:
            self.locks.release(conv_id)
            if cached is not None and not isinstance(exc, (ConversationNotFound, TokenMismatch)):
                self._cache[conv_id] = cached  # nothing happened to it
            if isinstance(exc, TokenMismatch) and token_hash:
                raise await self.token_denied(token_hash) from exc
            if isinstance(exc, _TRACKER_ERRORS):
                raise self.tracker_error(exc) from exc
            raise
        pending = PendingTurn(conv_id, begin, message_id)
        if begin.replay is not None:
            self.locks.release(conv_id)
            pending.done = True
            if cached is not None:
                self._cache[conv_id] = cached
        else:
            pending.conv = cached[1] if cached is not None and begin.snapshot is None else None
            pending.lease = Lease(functools.partial(self.tracker.extend, conv_id, begin.fence, s.lock_ttl_seconds),
                                  s.lock_ttl_seconds)
        return pending

    async def finish_turn(self, pending: PendingTurn, text: str, *, channel: str = "api",
                          on_token: Callable[[str], None] | None = None) -> TurnResult:
        """Steps 3-4; always releases both locks."""
        conv_id, begin = pending.conv_id, pending.begin
        if pending.done:
            return _replayed(begin.replay)
        committed = False
        try:
            conv = pending.conv if pending.conv is not None else self.engine.restore(conv_id, begin.snapshot or {})
            started = time.perf_counter()
            with pii.guard(conv, text) as scope:  # engine log lines and tracebacks of this turn lose its PII
                try:
                    turn = await self._run_engine(conv, text, on_token)
                    snapshot_json = _snapshot_json(conv)
                except StoreUnavailable as exc:  # the store rolled its write back; the same message may work soon
                    log.warning("store unavailable on conversation %s: %s", conv_id, exc)
                    raise ApiError("store_unavailable", "The shop's order system is not answering right now, so "
                                   "nothing was done or saved; send the message again in a moment.",
                                   retry_after=max(1, round(exc.retry_after))) from exc
                except Exception as exc:
                    log.exception("engine failed on conversation %s", conv_id)
                    raise ApiError("engine_error", "The assistant failed on this message; nothing was saved.") from exc
            engine_seconds = time.perf_counter() - started
            turn_json = turn.model_dump_json()
            record = dumps({"ts": time.time(), "message_id": pending.message_id, "channel": channel,
                            "user": text, "engine_ms": round(engine_seconds * 1000, 3)})[:-1] + ',"turn":' + turn_json + "}"
            t0 = time.perf_counter()
            seq = await self._commit(pending, record, snapshot_json)
            if seq is None:  # DuplicateMessage: cannot happen under the lock, kept for safety
                return _replayed(await self.tracker.find_message(conv_id, pending.message_id))
            committed = True
            if self.metrics is not None:
                self.metrics.tracker_seconds.observe(time.perf_counter() - t0)
                self.metrics.observe_turn(turn, channel, engine_seconds)
            self._remember(conv_id, seq, conv)
            if log.isEnabledFor(logging.DEBUG):
                secrets = scope.after(turn)  # names, ids, addresses it holds now, and answers to personal questions
                log.debug("turn %s #%d route=%s user=%r bot=%r", conv_id, seq, turn.route.label if turn.route
                          else None, redact(text, secrets), redact(turn.text, secrets), extra={"pii": secrets})
            return TurnResult('{"seq":%d,"replayed":false,%s' % (seq, turn_json[1:]), seq, turn)
        finally:
            if pending.lease is not None:
                pending.lease.stop()
            if not committed:
                await asyncio.shield(self._release(conv_id, begin.fence))
            self.locks.release(conv_id)

    async def _commit(self, pending: PendingTurn, record: str, snapshot_json: str) -> int | None:
        """Step 4, settled: the new seq once the store says the record is stored (by this attempt or
        an earlier one whose reply was lost). Raises `lock_lost`/`conversation_not_found` when it was
        not saved, `commit_unknown` when the store did not answer within `commit_settle_seconds`."""
        conv_id, begin = pending.conv_id, pending.begin
        deadline, delay, failures = None, 0.05, 0
        while True:
            try:
                seq = await self.tracker.commit(conv_id, fence=begin.fence, expected_seq=begin.seq,
                                                record_json=record, snapshot_json=snapshot_json,
                                                message_id=pending.message_id)
                if failures:
                    log.warning("conversation %s turn %d: saved after %d failed commit attempts", conv_id, seq,
                                failures)
                return seq
            except DuplicateMessage:
                return None
            except TrackerUnavailable as exc:
                failures += 1
                now = time.monotonic()
                deadline = deadline or now + self.settings.commit_settle_seconds
                if now >= deadline:
                    log.warning("conversation %s turn %d: outcome unknown after %d commit attempts: %s",
                                conv_id, begin.seq + 1, failures, exc)
                    raise ApiError("commit_unknown", "The conversation store failed while saving this turn and "
                                   "did not come back in time: it may or may not be saved. Resend the message "
                                   "with the same message_id: a saved turn is answered from the store, an "
                                   "unsaved one runs again.", retry_after=self.settings.retry_after_seconds,
                                   details={"message_id": pending.message_id, "seq": begin.seq + 1}) from exc
                await asyncio.sleep(min(delay, deadline - now))
                delay = min(delay * 2, 0.5)
            except _TRACKER_ERRORS as exc:  # StaleWrite: checked atomically, our record is not there
                raise self.tracker_error(exc) from exc

    async def _release(self, conv_id: str, fence: int) -> None:
        """Give the lock back after a turn that was not committed; when the store is unreachable keep
        trying in the background for one lease (after that it has expired on its own)."""
        try:
            await self.tracker.release(conv_id, fence)
        except Exception:
            self.in_background(self._release_later(conv_id, fence))

    async def _release_later(self, conv_id: str, fence: int) -> None:
        deadline = time.monotonic() + self.settings.lock_ttl_seconds
        delay = 0.05
        while time.monotonic() < deadline:
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.25)
            try:
                await self.tracker.release(conv_id, fence)
                return
            except Exception:
                continue

    def in_background(self, coro) -> asyncio.Task:
        """A task that finishes even if its HTTP client goes away (streamed turns are always saved)."""
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    @staticmethod
    async def _run_engine(conv, text: str, on_token):
        streams = on_token is not None and _accepts_on_token(type(conv))
        if is_trigger(text):
            turn = conv.send(text, on_token=on_token) if streams else conv.send(text)
        elif streams:
            loop = asyncio.get_running_loop()
            turn = await asyncio.to_thread(conv.send, text,
                                           on_token=lambda t: loop.call_soon_threadsafe(on_token, t))
        else:
            turn = await asyncio.to_thread(conv.send, text)
        if on_token is not None and not streams:
            for m in turn.messages:
                on_token(m.text)
        return turn


def _replayed(stored: dict) -> TurnResult:
    """The stored turn record of a known `message_id`, answered again instead of re-running it."""
    return TurnResult(dumps({**stored["turn"], "seq": stored["seq"], "replayed": True}), stored["seq"])


@functools.lru_cache(maxsize=32)
def _accepts_on_token(cls) -> bool:
    import inspect

    try:
        return "on_token" in inspect.signature(cls.send).parameters
    except (TypeError, ValueError):  # pragma: no cover
        return False


def _snapshot_json(conv) -> str:
    """The bounded snapshot, serialised by pydantic in one pass when the state is a model."""
    state = getattr(conv, "state", None)
    if hasattr(state, "model_dump_json"):
        return state.model_dump_json()
    return dumps(conv.snapshot())
