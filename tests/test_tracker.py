"""Tracker stores: SQLite (always) and Redis (marked `redis`), same behaviour through one interface."""
from __future__ import annotations

import threading
import time
import uuid

import pytest

from service.tracker import (ConversationExists, ConversationNotFound, DuplicateMessage, LockTimeout,
                             RedisTrackerStore, SQLiteTrackerStore, StaleWrite, TrackerUnavailable, open_tracker)
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
        for key in store.client.scan_iter(store.prefix + ":*"):
            store.client.delete(key)
    store.close()


def _new(tracker, conv_id=None):
    conv_id = conv_id or uuid.uuid4().hex
    tracker.create(conv_id, token_hash="h", owner="test", snapshot={"turn": 0})
    return conv_id


def test_create_get_append_turns_delete(tracker):
    cid = _new(tracker)
    with pytest.raises(ConversationExists):
        tracker.create(cid, token_hash="x", owner="o", snapshot=None)
    rec = tracker.get(cid)
    assert rec.seq == 0 and rec.snapshot == {"turn": 0} and rec.token_hash == "h"
    for i in range(3):
        with tracker.lock(cid) as fence:
            seq = tracker.append_turn(cid, {"user": f"m{i}"}, {"turn": i + 1}, expected_seq=i, fence=fence,
                                      message_id=f"id{i}")
        assert seq == i + 1
    rec = tracker.get(cid)
    assert rec.seq == 3 and rec.snapshot == {"turn": 3}
    assert [t["user"] for t in tracker.turns(cid)] == ["m0", "m1", "m2"]
    assert [t["seq"] for t in tracker.turns(cid, after=1, limit=1)] == [2]
    assert tracker.find_message(cid, "id1")["user"] == "m1"
    assert tracker.find_message(cid, "nope") is None
    assert tracker.delete(cid) is True
    assert tracker.get(cid) is None and tracker.turns(cid) == []
    assert tracker.find_message(cid, "id1") is None
    assert tracker.get("missing") is None


def test_fencing_rejects_a_stale_holder(tracker):
    cid = _new(tracker)
    stale = tracker.acquire(cid, ttl=0.05, wait=1)
    time.sleep(0.1)  # the lease expires: a stalled holder
    fresh = tracker.acquire(cid, ttl=5, wait=1)
    assert fresh > stale
    with pytest.raises(StaleWrite):
        tracker.append_turn(cid, {"user": "late"}, {"turn": "stale"}, expected_seq=0, fence=stale)
    assert tracker.append_turn(cid, {"user": "ok"}, {"turn": 1}, expected_seq=0, fence=fresh) == 1
    tracker.release(cid, stale)  # a stale release does not free the new holder
    with pytest.raises(LockTimeout):
        tracker.acquire(cid, ttl=5, wait=0.05)
    tracker.release(cid, fresh)
    assert [t["user"] for t in tracker.turns(cid)] == ["ok"]
    assert tracker.get(cid).snapshot == {"turn": 1}


def test_expected_seq_and_duplicate_message_write_nothing(tracker):
    cid = _new(tracker)
    with tracker.lock(cid) as fence:
        tracker.append_turn(cid, {"user": "a"}, {"n": 1}, expected_seq=0, fence=fence, message_id="m")
        with pytest.raises(StaleWrite):
            tracker.append_turn(cid, {"user": "b"}, {"n": 2}, expected_seq=0, fence=fence)
        with pytest.raises(DuplicateMessage):
            tracker.append_turn(cid, {"user": "c"}, {"n": 3}, expected_seq=1, fence=fence, message_id="m")
    rec = tracker.get(cid)
    assert rec.seq == 1 and rec.snapshot == {"n": 1}
    assert len(tracker.turns(cid)) == 1


def test_append_to_deleted_conversation(tracker):
    cid = _new(tracker)
    fence = tracker.acquire(cid, ttl=5, wait=1)
    tracker.delete(cid)
    with pytest.raises(ConversationNotFound):
        tracker.append_turn(cid, {"user": "x"}, {}, expected_seq=0, fence=fence)
    tracker.release(cid, fence)


def test_lock_serialises_threads_and_every_turn_lands_once(tracker):
    cid = _new(tracker)
    errors = []

    def worker(n):
        try:
            for i in range(10):
                with tracker.lock(cid, ttl=5, wait=10) as fence:
                    seq = tracker.get(cid).seq
                    tracker.append_turn(cid, {"user": f"{n}-{i}"}, {"seq": seq + 1}, expected_seq=seq, fence=fence)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    turns = tracker.turns(cid)
    assert [t["seq"] for t in turns] == list(range(1, 41))
    assert sorted(t["user"] for t in turns) == sorted(f"{n}-{i}" for n in range(4) for i in range(10))
    for n in range(4):  # each thread's own messages stay in its order
        mine = [t["user"] for t in turns if t["user"].startswith(f"{n}-")]
        assert mine == [f"{n}-{i}" for i in range(10)]


def test_turn_one_and_turn_thousand_cost_the_same(tracker):
    """Writing turn 1,000 touches one record and one bounded snapshot, like turn 1."""
    cid = _new(tracker)
    snapshot = {"slots": {"x": "y" * 200}, "recent": ["e" * 50] * 20}

    def one(seq):
        t0 = time.perf_counter()
        with tracker.lock(cid) as fence:
            tracker.get(cid)
            tracker.append_turn(cid, {"user": "hello", "turn": {"messages": [{"text": "hi" * 50}]}}, snapshot,
                                expected_seq=seq, fence=fence)
        return time.perf_counter() - t0

    early = [one(i) for i in range(50)]
    for i in range(50, 950):
        one(i)
    late = [one(i) for i in range(950, 1000)]
    early_med = sorted(early)[25]
    late_med = sorted(late)[25]
    assert tracker.get(cid).seq == 1000
    assert late_med < early_med * 3 + 0.002, (early_med, late_med)


def test_sqlite_is_wal(tmp_path):
    store = SQLiteTrackerStore(tmp_path / "t.db")
    assert store._db().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_open_tracker_urls(tmp_path):
    s = open_tracker(f"sqlite:///{tmp_path}/a.db")
    assert isinstance(s, SQLiteTrackerStore) and s.path == f"{tmp_path}/a.db"
    assert isinstance(open_tracker("redis://127.0.0.1:1/0"), RedisTrackerStore)
    with pytest.raises(ValueError):
        open_tracker("mongodb://x")


def test_redis_down_raises_unavailable():
    store = RedisTrackerStore("redis://127.0.0.1:1/0", timeout=0.3)  # nothing listens on port 1
    with pytest.raises(TrackerUnavailable):
        store.get("x")
    with pytest.raises(TrackerUnavailable):
        store.acquire("x", ttl=1, wait=0.1)
