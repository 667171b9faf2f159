"""Rate limits per principal (API key name, conversation token, client address): `rate` requests a
minute with bursts of `burst`, answered with 429 + Retry-After.

* `RateLimiter`: a token bucket in the worker's memory (SQLite, one host: with N workers the
  effective limit is at most N times the configured one);
* `SharedRateLimiter`: the same bucket as one GCRA timestamp per key in Redis, so every worker on
  every host shares it (used whenever the tracker is Redis).
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict


class Limit:
    """What both limiters share: the configured rate and burst, and how a wait becomes Retry-After."""

    def __init__(self, per_minute: int, burst: int):
        self.per_minute = per_minute
        self.burst = max(1, burst)
        self.enabled = per_minute > 0

    async def check(self, key: str) -> float:
        """Take one request for `key`: 0 when allowed, else the seconds to wait before retrying."""
        raise NotImplementedError

    @staticmethod
    def retry_after(wait: float) -> int:
        return max(1, math.ceil(wait))


class RateLimiter(Limit):
    """A token bucket per key in this worker's memory (oldest keys dropped beyond `max_keys`)."""

    def __init__(self, per_minute: int, burst: int, max_keys: int = 100_000, clock=time.monotonic):
        super().__init__(per_minute, burst)
        self.rate = per_minute / 60.0
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._mu = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token. Returns 0 when allowed, else the seconds to wait before retrying."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        with self._mu:
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait

    async def check(self, key: str) -> float:
        return self.take(key)


class SharedRateLimiter(Limit):
    """Same limits, kept in Redis by the tracker (`RedisTrackerStore.take_token`)."""

    def __init__(self, tracker, name: str, per_minute: int, burst: int):
        super().__init__(per_minute, burst)
        self.tracker, self.name = tracker, name

    async def check(self, key: str) -> float:
        if not self.enabled:
            return 0.0
        return await self.tracker.take_token(f"{self.name}:{key}", per_minute=self.per_minute, burst=self.burst)


def limiter(tracker, name: str, per_minute: int, burst: int) -> Limit:
    """Shared across workers when the tracker can hold it (Redis), else per worker."""
    if hasattr(tracker, "take_token"):
        return SharedRateLimiter(tracker, name, per_minute, burst)
    return RateLimiter(per_minute, burst)
