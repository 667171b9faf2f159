"""In-process, first-come-first-served locks per conversation, on the worker's event loop, and the
keeper of a tracker lease while a turn runs.

The tracker's lease lock serialises turns across workers and hosts; `KeyedFifoLock` sits in front of
it so messages of one conversation arriving at one worker queue in arrival order (asyncio.Lock wakes
waiters FIFO) instead of polling the tracker. A holder may release from another task (a streaming
turn finishes in a background task).

`Lease` renews the tracker lock every third of its lease while the turn is still running. Leases
can therefore be short (2 s): a lock whose holder was killed, or gave up after the store failed,
blocks its conversation for at most one lease, also across a Redis restart (the lock's expiry is
persisted as an absolute time).
"""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import Awaitable, Callable

log = logging.getLogger("shoptalk.service")


class LocalLockTimeout(Exception):
    pass


class KeyedFifoLock:
    def __init__(self):
        self._entries: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    async def acquire(self, key: str, timeout: float | None = None) -> None:
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = (asyncio.Lock(), [0])
        lock, refs = entry
        refs[0] += 1
        try:
            if timeout is None or not lock.locked():
                await lock.acquire()  # free: returns at once, no timer task
            else:
                await asyncio.wait_for(lock.acquire(), timeout)
        except asyncio.TimeoutError:
            self._drop(key, refs)
            raise LocalLockTimeout(key) from None
        except BaseException:
            self._drop(key, refs)
            raise

    def release(self, key: str) -> None:
        lock, refs = self._entries[key]
        lock.release()
        self._drop(key, refs)

    def _drop(self, key: str, refs: list[int]) -> None:
        refs[0] -= 1
        if refs[0] == 0:
            del self._entries[key]

    @asynccontextmanager
    async def hold(self, key: str, timeout: float | None = None):
        await self.acquire(key, timeout)
        try:
            yield
        finally:
            self.release(key)

    def __len__(self) -> int:
        return len(self._entries)


class Lease:
    """Renews one tracker lease every `ttl / 3` seconds until `stop()`. A turn that finishes within
    the first third (every button turn) costs one timer and no renewal. When the store cannot be
    reached the keeper keeps trying; when the lock is no longer ours it stops (the commit's fencing
    check then refuses the turn with `lock_lost`)."""

    def __init__(self, renew: Callable[[], Awaitable[bool]], ttl: float):
        self._renew = renew
        self._every = max(ttl / 3, 0.01)
        self._loop = asyncio.get_running_loop()
        self._stopped = False
        self._task: asyncio.Task | None = None
        self.lost = False
        self._handle = self._loop.call_later(self._every, self._tick)

    def _tick(self) -> None:
        if not self._stopped:
            self._task = self._loop.create_task(self._run())

    async def _run(self) -> None:
        try:
            ok = await self._renew()
        except Exception as exc:  # store unreachable: try again next time
            log.debug("lease renewal failed: %s", exc)
            ok = True
        if not ok:
            self.lost = True
        elif not self._stopped:
            self._handle = self._loop.call_later(self._every, self._tick)

    def stop(self) -> None:
        self._stopped = True
        self._handle.cancel()
