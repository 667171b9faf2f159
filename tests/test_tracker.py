"""Tracker stores: SQLite (always) and Redis (marked `redis`), same behaviour through one interface."""
from __future__ import annotations

import asyncio
import re
import uuid

import pytest

from service.tracker import (ConversationExists, ConversationNotFound, DuplicateMessage, LockTimeout,
                             RedisTrackerStore, SQLiteTrackerStore, StaleWrite, TokenMismatch, TrackerUnavailable, open_tracker)
from tests.service_fixtures import REDIS_URL, require_redis


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def tracker(request, tmp_path):
    if request.param == "sqlite":
        store = SQLiteTrackerStore(tmp_path / "tracker.db")
    else:
        require_redis()
        store = RedisTrackerStore(REDIS_URL, prefix="test-" + uuid.uuid4().hex[:8])
    yield store
    if request.param == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(store.prefix + ":*"):
            client.delete(key)


def run(coro):
    return asyncio.run(coro)


async def _new(tracker, conv_id=None):
    conv_id = conv_id or uuid.uuid4().hex
    await tracker.create(conv_id, token_hash="h", owner="test", snapshot={"turn": 0})
    return conv_id


def test_create_get_append_turns_delete(tracker):
    async def main():
        cid = await _new(tracker)
        with pytest.raises(ConversationExists):
            await tracker.create(cid, token_hash="x", owner="o", snapshot=None)
        rec = await tracker.get(cid)
        assert rec.seq == 0 and rec.snapshot == {"turn": 0} and rec.token_hash == "h"
        for i in range(3):
            async with tracker.lock(cid) as fence:
                seq = await tracker.append_turn(cid, {"user": f"m{i}"}, {"turn": i + 1}, expected_seq=i, fence=fence,
                                                message_id=f"id{i}")
            assert seq == i + 1
        rec = await tracker.get(cid)
        assert rec.seq == 3 and rec.snapshot == {"turn": 3}
        assert (await tracker.get(cid, snapshot=False)).snapshot is None
        assert [t["user"] for t in await tracker.turns(cid)] == ["m0", "m1", "m2"]
        assert [t["seq"] for t in await tracker.turns(cid, after=1, limit=1)] == [2]
        assert (await tracker.find_message(cid, "id1"))["user"] == "m1"
        assert await tracker.find_message(cid, "nope") is None
        assert await tracker.delete(cid) is True
        assert await tracker.get(cid) is None and await tracker.turns(cid) == []
        assert await tracker.find_message(cid, "id1") is None
        assert await tracker.get("missing") is None

    run(main())


def test_begin_checks_token_replays_and_skips_a_current_snapshot(tracker):
    """One round trip takes the conversation: token, replay, lock, snapshot only when needed."""
    async def main():
        cid = await _new(tracker)
        with pytest.raises(ConversationNotFound):
            await tracker.begin("missing", token_hash="h")
        with pytest.raises(TokenMismatch):
            await tracker.begin(cid, token_hash="not-h")
        b = await tracker.begin(cid, token_hash="h", cached_seq=-1)
        assert b.seq == 0 and b.snapshot == {"turn": 0} and b.fence > 0 and b.replay is None
        with pytest.raises(LockTimeout):  # held: a second begin waits, then gives up
            await tracker.begin(cid, wait=0.05)
        seq = await tracker.commit(cid, fence=b.fence, expected_seq=0, record_json='{"user":"a"}',
                                   snapshot_json='{"turn":1}', message_id="m1")
        assert seq == 1
        b2 = await tracker.begin(cid, cached_seq=1, wait=1)  # released by commit; cache is current
        assert b2.seq == 1 and b2.snapshot is None and b2.fence > b.fence
        await tracker.release(cid, b2.fence)
        assert (await tracker.begin(cid, cached_seq=0, wait=1)).snapshot == {"turn": 1}  # cache is behind
        replay = await tracker.begin(cid, message_id="m1", wait=0.05)  # replays without the lock
        assert replay.replay == {"seq": 1, "user": "a"}
        assert [t["user"] for t in await tracker.turns(cid)] == ["a"]

    run(main())


def test_fencing_rejects_a_stale_holder(tracker):
    async def main():
        cid = await _new(tracker)
        stale = await tracker.acquire(cid, ttl=0.05, wait=1)
        await asyncio.sleep(0.1)  # the lease expires: a stalled holder
        fresh = await tracker.acquire(cid, ttl=5, wait=1)
        assert fresh > stale
        with pytest.raises(StaleWrite):
            await tracker.append_turn(cid, {"user": "late"}, {"turn": "stale"}, expected_seq=0, fence=stale)
        assert await tracker.append_turn(cid, {"user": "ok"}, {"turn": 1}, expected_seq=0, fence=fresh) == 1
        await tracker.release(cid, stale)  # a stale release does not free the new holder
        with pytest.raises(LockTimeout):
            await tracker.acquire(cid, ttl=5, wait=0.05)
        await tracker.release(cid, fresh)
        assert [t["user"] for t in await tracker.turns(cid)] == ["ok"]
        assert (await tracker.get(cid)).snapshot == {"turn": 1}

    run(main())


def test_expected_seq_and_duplicate_message_write_nothing(tracker):
    async def main():
        cid = await _new(tracker)
        async with tracker.lock(cid) as fence:
            await tracker.append_turn(cid, {"user": "a"}, {"n": 1}, expected_seq=0, fence=fence, message_id="m")
            with pytest.raises(StaleWrite):
                await tracker.append_turn(cid, {"user": "b"}, {"n": 2}, expected_seq=0, fence=fence)
            with pytest.raises(DuplicateMessage):
                await tracker.append_turn(cid, {"user": "c"}, {"n": 3}, expected_seq=1, fence=fence, message_id="m")
        rec = await tracker.get(cid)
        assert rec.seq == 1 and rec.snapshot == {"n": 1}
        assert len(await tracker.turns(cid)) == 1

    run(main())


def test_append_to_deleted_conversation(tracker):
    async def main():
        cid = await _new(tracker)
        fence = await tracker.acquire(cid, ttl=5, wait=1)
        await tracker.delete(cid)
        with pytest.raises(ConversationNotFound):
            await tracker.append_turn(cid, {"user": "x"}, {}, expected_seq=0, fence=fence)
        await tracker.release(cid, fence)

    run(main())


def test_lock_serialises_tasks_and_every_turn_lands_once(tracker):
    """Four writers on one conversation (as four workers would be): 40 turns, once each, each writer in order."""
    async def main():
        cid = await _new(tracker)

        async def worker(n):
            for i in range(10):
                async with tracker.lock(cid, ttl=5, wait=10) as fence:
                    seq = (await tracker.get(cid)).seq
                    await asyncio.sleep(0)  # let the others try the lock meanwhile
                    await tracker.append_turn(cid, {"user": f"{n}-{i}"}, {"seq": seq + 1}, expected_seq=seq,
                                              fence=fence)

        await asyncio.gather(*[worker(n) for n in range(4)])
        turns = await tracker.turns(cid)
        assert [t["seq"] for t in turns] == list(range(1, 41))
        assert sorted(t["user"] for t in turns) == sorted(f"{n}-{i}" for n in range(4) for i in range(10))
        for n in range(4):  # each writer's own messages stay in its order
            mine = [t["user"] for t in turns if t["user"].startswith(f"{n}-")]
            assert mine == [f"{n}-{i}" for i in range(10)]

    run(main())


async def _sqlite_work(tracker, turn):
    """The statements one turn runs (numbers masked) and the SQLite VM instructions they took; every
    statement must find its rows through a key or an index (no SCAN)."""
    db = tracker._open()
    statements, steps = [], [0]

    def tick():
        steps[0] += 1
        return 0

    db.set_trace_callback(statements.append)
    db.set_progress_handler(tick, 1)
    try:
        await turn()
    finally:
        db.set_trace_callback(None)
        db.set_progress_handler(None, 1)
    for sql in statements:
        if not sql.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            plan = " | ".join(str(row[-1]) for row in db.execute("EXPLAIN QUERY PLAN " + sql))
            assert "SCAN" not in plan, (sql[:120], plan)
    return [re.sub(r"\d+(\.\d+)?", "N", sql) for sql in statements], steps[0]


async def _redis_work(tracker, turn):
    """The Redis commands one turn runs on this conversation's keys (scripts' own commands included, seen
    through MONITOR): names and keys only. None may read the turn history."""
    import threading

    import redis

    marker = "end-of-turn-" + uuid.uuid4().hex
    seen: list[tuple[str, ...]] = []
    with redis.Redis.from_url(REDIS_URL, decode_responses=True).monitor() as mon:
        def collect():
            for item in mon.listen():
                if marker in item["command"]:
                    return
                parts = item["command"].split(" ")
                if any(p.startswith(tracker.prefix) for p in parts):
                    seen.append((parts[0].upper(), *[p for p in parts[1:] if p.startswith(tracker.prefix)]))

        reader = threading.Thread(target=collect, daemon=True)
        reader.start()
        await turn()
        redis.Redis.from_url(REDIS_URL).echo(marker)
        reader.join(10)
    assert not reader.is_alive(), "MONITOR never showed the end marker"
    assert seen and not [c for c in seen if c[0] in ("LRANGE", "LINDEX", "LPOS", "LREM", "LSET", "SCAN", "KEYS")], seen
    return seen


def test_turn_one_thousand_does_the_work_of_turn_two(tracker):
    """Writing turn 1,000 touches one record and one bounded snapshot, like turn 2 (turn 1 also creates the lock
    row). Counted, not timed: the same statements and VM instructions (SQLite) or the same commands on the same
    keys (Redis). The time per turn at turn 1 vs 1,000 is in bench/load_bench.py ("turn 1 vs later")."""
    snapshot = '{"slots":{"x":"%s"},"recent":[%s]}' % ("y" * 200, ",".join(['"' + "e" * 50 + '"'] * 20))
    record = '{"user":"hello","turn":{"messages":[{"text":"%s"}]}}' % ("hi" * 50)
    observe = _sqlite_work if isinstance(tracker, SQLiteTrackerStore) else _redis_work

    async def main():
        cid = await _new(tracker)

        async def one(seq):
            b = await tracker.begin(cid, cached_seq=-1)
            assert b.snapshot is not None and b.seq == seq
            await tracker.commit(cid, fence=b.fence, expected_seq=seq, record_json=record, snapshot_json=snapshot)

        await one(0)
        second = await observe(tracker, lambda: one(1))
        for i in range(2, 999):
            await one(i)
        last = await observe(tracker, lambda: one(999))
        assert (await tracker.get(cid)).seq == 1000 and len(await tracker.turns(cid)) == 1000
        return second, last

    second, last = run(main())
    assert last == second


def test_sqlite_is_wal(tmp_path):
    store = SQLiteTrackerStore(tmp_path / "t.db")
    assert store._open().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_open_tracker_urls(tmp_path):
    s = open_tracker(f"sqlite:///{tmp_path}/a.db")
    assert isinstance(s, SQLiteTrackerStore) and s.path == f"{tmp_path}/a.db"
    assert isinstance(open_tracker("redis://127.0.0.1:1/0"), RedisTrackerStore)
    with pytest.raises(ValueError):
        open_tracker("mongodb://x")


def test_redis_down_raises_unavailable():
    store = RedisTrackerStore("redis://127.0.0.1:1/0", timeout=0.3)  # nothing listens on port 1

    async def main():
        with pytest.raises(TrackerUnavailable):
            await store.get("x")
        with pytest.raises(TrackerUnavailable):
            await store.acquire("x", ttl=1, wait=0.1)

    run(main())
