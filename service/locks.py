"""In-process, first-come-first-served locks per conversation, on the worker's event loop.

The tracker's lease lock serialises turns across workers and hosts; this lock sits in front of it so
messages of one conversation arriving at one worker queue in arrival order (asyncio.Lock wakes
waiters FIFO) instead of polling the tracker. A holder may release from another task (a streaming
turn finishes in a background task).
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager


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
