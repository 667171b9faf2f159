"""Tracker stores: the interface (`tracker_base`), SQLite (`tracker_sqlite`, default) and Redis
(`tracker_redis`, several workers or hosts), chosen by URL with `open_tracker`."""
from __future__ import annotations

from service.tracker_base import (Begin, ConversationExists, ConversationNotFound, ConversationRecord,  # noqa: F401
                                  DuplicateMessage, LockTimeout, StaleWrite, TokenMismatch, TrackerError,
                                  TrackerStore, TrackerUnavailable)
from service.tracker_redis import RedisTrackerStore
from service.tracker_sqlite import SQLiteTrackerStore


def open_tracker(url: str, *, timeout: float = 2.0) -> TrackerStore:
    """`sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, `sqlite://:memory:` or `redis://...`."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisTrackerStore(url, timeout=timeout)
    if url.startswith("sqlite://"):
        path = url[len("sqlite://"):]
        if path.startswith("/"):
            path = path[1:]  # sqlite:///var/t.db -> var/t.db ; sqlite:////tmp/t.db -> /tmp/t.db
        return SQLiteTrackerStore(path or ":memory:")
    if url.endswith(".db") or url.endswith(".sqlite"):
        return SQLiteTrackerStore(url)
    raise ValueError(f"unsupported tracker url {url!r}: use sqlite:///path.db or redis://host:port/db")
