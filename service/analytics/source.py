"""Which conversations the tracker changed since a time: the one read the analytics need beyond
the tracker's public interface. SQLite: one query on `conversations.updated_at`, on a read-only
connection of its own in a worker thread (a table scan: the turn's commit keeps its single write and
no extra index, and never waits for the scan); Redis: `SCAN` over the `:meta` hashes (non-blocking
for other clients). Each answer is (conversation id, seq, updated_at).
"""
from __future__ import annotations

import asyncio
import sqlite3

_CHANGED = "SELECT id, seq, updated_at FROM conversations WHERE updated_at >= ?"
_TURNS = "SELECT data FROM turns WHERE conv_id = ? ORDER BY seq"


def _read_only(path: str, sql: str, *params) -> list[tuple]:
    """On a connection of its own, in a worker thread: WAL readers never wait for the tracker's writes,
    and the read never holds the tracker's connection (turns keep committing meanwhile)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


async def turn_records(tracker, conv_id: str) -> list[dict]:
    """Every turn record of a conversation, oldest first; off the tracker's own connection for SQLite."""
    if getattr(tracker, "kind", "") == "sqlite" and tracker.path != ":memory:":
        from service.tracker_base import load_record

        return [load_record(r[0]) for r in await asyncio.to_thread(_read_only, tracker.path, _TURNS, conv_id)]
    return [rec async for rec in tracker.iter_turns(conv_id)]


async def changed_since(tracker, since: float) -> list[tuple[str, int, float]]:
    kind = getattr(tracker, "kind", "")
    if kind == "sqlite":
        if tracker.path == ":memory:":  # tests: only the tracker's own connection sees the data
            rows = tracker._run(lambda db: db.execute(_CHANGED, (since,)).fetchall())
        else:
            rows = await asyncio.to_thread(_read_only, tracker.path, _CHANGED, since)
        return [(r[0], int(r[1]), float(r[2])) for r in rows]
    if kind == "redis":
        return await _redis_changed(tracker, since)
    raise NotImplementedError(f"analytics cannot list the conversations of a {kind!r} tracker")


async def _redis_changed(tracker, since: float) -> list[tuple[str, int, float]]:
    client = tracker.client()[0]
    head, tail = f"{tracker.prefix}:{{", "}:meta"
    out: list[tuple[str, int, float]] = []
    keys: list[str] = []

    async def flush() -> None:
        pipe = client.pipeline(transaction=False)
        for key in keys:
            pipe.hmget(key, "seq", "updated_at", "created_at")
        for key, (seq, updated, created) in zip(keys, await tracker._call(pipe.execute())):
            at = float(updated or created or 0)
            if at >= since:
                out.append((key[len(head):-len(tail)], int(seq or 0), at))
        keys.clear()

    async for key in client.scan_iter(match=f"{tracker.prefix}:{{*}}:meta", count=500):
        keys.append(key)
        if len(keys) >= 500:
            await flush()
    if keys:
        await flush()
    return out
