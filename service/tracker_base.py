"""The tracker-store interface: where conversations live between turns.

A turn is two calls, so a turn costs two round trips to the store at turn 1 and at turn 1,000:

* `begin`: check the shopper's token, replay a stored turn for a known `message_id`, take the
  conversation's lease lock (a **fencing token** that only grows) and read the bounded snapshot -
  skipped when the worker's cached conversation is already at the stored turn;
* `commit`: append the turn record, replace the snapshot and release the lock, only if the fencing
  token still holds the lock and the conversation is still at the turn that was read. A holder that
  stalled past its lease (GC pause, partition) therefore cannot overwrite a newer turn.

Every call may be repeated after a lost reply (a Redis restart, a timeout) without doing its work
twice, so "the store failed" never has to mean "maybe saved": `create` with the same token hash
finds its own conversation, `begin` with the same nonce gets the same grant back, and `commit`
recognises its own record (the same record, which starts with `{"seq":N,"fence":F`) and answers N
again. Leases are short (`lock_ttl_seconds`, 2 s) and kept alive with `extend` while a turn runs, so
a lock whose holder died or gave up blocks its conversation for at most one lease.

Readers never load the event history to run a turn. The interface is async so a worker serves many
conversations on one event loop without a thread per request (threads convoyed on the GIL).
"""
from __future__ import annotations

import asyncio
import json
import secrets
import time
from abc import ABC, abstractmethod
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator


class TrackerError(Exception):
    """Base of the tracker's errors; the service maps each to a stable API error code."""


class TrackerUnavailable(TrackerError):
    """The tracker cannot be reached; nothing was written (503 + Retry-After)."""


class ConversationNotFound(TrackerError):
    pass


class ConversationExists(TrackerError):
    pass


class TokenMismatch(TrackerError):
    """The shopper token is not this conversation's (checked with the lock, in one round trip)."""


class LockTimeout(TrackerError):
    """Another message of this conversation held the lock longer than we were willing to wait."""


class StaleWrite(TrackerError):
    """Our lease expired and someone else took the lock (fencing token mismatch), or the
    conversation moved on (`expected_seq` mismatch). Nothing was written."""


class DuplicateMessage(TrackerError):
    """A turn with this client message id is already stored."""


@dataclass
class ConversationRecord:
    id: str
    token_hash: str
    owner: str
    created_at: float
    updated_at: float
    seq: int  # number of turns stored
    snapshot: dict | None


@dataclass
class Begin:
    """What `begin` found: either a stored turn to replay (no lock taken), or the lock's fencing
    token, the stored turn number and the snapshot (None when the caller's cached copy is current)."""

    fence: int = 0
    seq: int = 0
    snapshot: dict | None = None
    replay: dict | None = None


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, default=str)


def turn_record_json(record_json: str, seq: int, fence: int) -> str:
    """Put `seq` and the writer's fencing token first into a serialised turn record (`{...}`) without
    parsing it again; the fence lets a repeated commit recognise the record as its own."""
    head = '{"seq":%d,"fence":%d' % (seq, fence)
    return head + "}" if record_json == "{}" else head + "," + record_json[1:]


def load_record(data: str) -> dict:
    """A stored turn record without its internal fencing token."""
    record = json.loads(data)
    record.pop("fence", None)
    return record


class TrackerStore(ABC):
    kind = "abstract"

    @abstractmethod
    async def create(self, conv_id: str, *, token_hash: str, owner: str,
                     snapshot: dict | None) -> ConversationRecord: ...

    @abstractmethod
    async def get(self, conv_id: str, *, snapshot: bool = True) -> ConversationRecord | None: ...

    @abstractmethod
    async def _try_begin(self, conv_id: str, *, ttl: float, token_hash: str | None, cached_seq: int,
                         message_id: str | None, nonce: str = "") -> Begin | float:
        """One attempt: a Begin, or the seconds the current holder's lease still runs (busy). A lock
        held under the same `nonce` is this call's own (an earlier attempt's reply was lost)."""

    @abstractmethod
    async def commit(self, conv_id: str, *, fence: int, expected_seq: int, record_json: str, snapshot_json: str,
                     message_id: str | None = None, release: bool = True) -> int:
        """Atomically append one turn record, replace the snapshot and (by default) release the lock;
        returns the new seq. Repeating a commit whose record is already stored returns its seq again
        (and releases the lock if still held) instead of failing: callers retry after a lost reply."""

    @abstractmethod
    async def release(self, conv_id: str, token: int) -> None: ...

    @abstractmethod
    async def extend(self, conv_id: str, token: int, ttl: float) -> bool:
        """Renew the lease of a lock still held by `token` (False: it was lost)."""

    @abstractmethod
    async def token_known(self, token_hash: str) -> bool:
        """Whether any conversation was issued this token: a wrong token for a conversation is then
        'another conversation's' (403) rather than unknown (401)."""

    @abstractmethod
    async def find_message(self, conv_id: str, message_id: str) -> dict | None: ...

    @abstractmethod
    async def turns(self, conv_id: str, *, after: int = 0, limit: int | None = None) -> list[dict]:
        """Turn records with seq > after, oldest first (at most `limit`)."""

    @abstractmethod
    async def delete(self, conv_id: str) -> bool: ...

    @abstractmethod
    async def ping(self) -> None: ...

    async def aclose(self) -> None:
        pass

    async def begin(self, conv_id: str, *, ttl: float = 30.0, wait: float = 20.0, token_hash: str | None = None,
                    cached_seq: int = -1, message_id: str | None = None) -> Begin:
        """Take the conversation for one turn (see the module doc). A busy lock is retried with a
        short backoff: within one worker messages already queue on the in-process lock, so this only
        waits for a turn of the same conversation running on another worker or host."""
        deadline = time.monotonic() + wait
        delay = 0.002
        nonce = secrets.token_hex(8)
        while True:
            result = await self._try_begin(conv_id, ttl=ttl, token_hash=token_hash, cached_seq=cached_seq,
                                           message_id=message_id, nonce=nonce)
            if isinstance(result, Begin):
                return result
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LockTimeout(conv_id)
            await asyncio.sleep(min(delay, remaining, max(result, 0.001)))
            delay = min(delay * 2, 0.02)

    async def acquire(self, conv_id: str, *, ttl: float, wait: float) -> int:
        """Take the lease lock; returns the fencing token. Raises LockTimeout."""
        return (await self.begin(conv_id, ttl=ttl, wait=wait, cached_seq=-2)).fence

    @asynccontextmanager
    async def lock(self, conv_id: str, *, ttl: float = 30.0, wait: float = 20.0) -> AsyncIterator[int]:
        token = await self.acquire(conv_id, ttl=ttl, wait=wait)
        try:
            yield token
        finally:
            try:
                await self.release(conv_id, token)
            except TrackerUnavailable:  # the lease expires on its own
                pass

    async def append_turn(self, conv_id: str, record: dict, snapshot: dict, *, expected_seq: int, fence: int,
                          message_id: str | None = None) -> int:
        """`commit` of a record given as a dict, keeping the lock (tests and tools)."""
        record = {k: v for k, v in record.items() if k != "seq"}
        return await self.commit(conv_id, fence=fence, expected_seq=expected_seq, record_json=dumps(record),
                                 snapshot_json=dumps(snapshot), message_id=message_id, release=False)

    async def iter_turns(self, conv_id: str, page: int = 500) -> AsyncIterator[dict]:
        after = 0
        while True:
            chunk = await self.turns(conv_id, after=after, limit=page)
            for rec in chunk:
                yield rec
            if len(chunk) < page:
                return
            after = chunk[-1]["seq"]
