"""Security issue #19, part 1: an error answer after a failed commit must say whether the turn was saved.

The real engine and real tracker stores (SQLite, and Redis when one answers), wrapped in a
fault injector that loses the store's reply the way a Redis restart does: the write happened (or
not) and the caller only sees a connection error. Checked as a shopper would notice it: the answer
(turn, `commit_unknown`, replay) and the number of stored turns (never two for one message).
"""
from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from service.tracker import RedisTrackerStore, SQLiteTrackerStore, TrackerUnavailable
from tests.service_fixtures import REDIS_URL, get_real_engine, require_redis

RETURN = '/return_items{"order_id": "#W2378156"}'
KEY = {"X-API-Key": "k"}


class FaultyTracker:
    """A real tracker whose commits (and releases, lease renewals) fail as scripted.

    `lose_replies`: commits that are written, then raise (the reply was lost);
    `refuse`: commits that raise before writing; `down`: commit/release/extend all raise."""

    def __init__(self, inner):
        self.inner = inner
        self.lose_replies = 0
        self.refuse = 0
        self.down = False
        self.down_after_begin = False
        self.down_after_commit = False
        self.commit_calls = 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    async def begin(self, *args, **kwargs):
        result = await self.inner.begin(*args, **kwargs)
        if self.down_after_begin:
            self.down_after_begin, self.down = False, True
        return result

    async def commit(self, *args, **kwargs):
        self.commit_calls += 1
        if self.down:
            raise TrackerUnavailable("injected: store down")
        if self.refuse > 0:
            self.refuse -= 1
            raise TrackerUnavailable("injected: connection refused")
        seq = await self.inner.commit(*args, **kwargs)
        if self.down_after_commit:
            self.down_after_commit, self.down = False, True
            raise TrackerUnavailable("injected: connection lost after the write, then the store went away")
        if self.lose_replies > 0:
            self.lose_replies -= 1
            raise TrackerUnavailable("injected: connection lost after the write")
        return seq

    async def release(self, *args, **kwargs):
        if self.down:
            raise TrackerUnavailable("injected: store down")
        return await self.inner.release(*args, **kwargs)

    async def extend(self, *args, **kwargs):
        if self.down:
            raise TrackerUnavailable("injected: store down")
        return await self.inner.extend(*args, **kwargs)


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def real_tracker(request, tmp_path):
    if request.param == "sqlite":
        yield SQLiteTrackerStore(tmp_path / "tracker.db")
        return
    require_redis()
    store = RedisTrackerStore(REDIS_URL, prefix="sec-" + uuid.uuid4().hex[:8])
    yield store
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(store.prefix + ":*"):
        client.delete(key)


def _app(tracker, **settings):
    base = dict(api_keys=["it:k"], rate_limit_per_minute=0, shopper_rate_limit_per_minute=0,
                commit_settle_seconds=1.0, web_chat=False)
    base.update(settings)
    return create_app(Settings(**base), engine=get_real_engine(), tracker=tracker)


def _turns(client, cid):
    return client.get(f"/v1/conversations/{cid}?limit=1000", headers=KEY).json()["transcript"]


def test_reply_lost_after_the_write_answers_the_stored_turn(real_tracker):
    faulty = FaultyTracker(real_tracker)
    with TestClient(_app(faulty)) as c:
        cid = c.post("/v1/conversations", headers=KEY).json()["conversation_id"]
        faulty.lose_replies = 1
        r = c.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN, "message_id": "m1"}, headers=KEY)
        assert r.status_code == 200, r.text  # not a 503 for a turn that was saved
        assert r.json()["seq"] == 1 and r.json()["replayed"] is False
        assert faulty.commit_calls == 2  # the second commit found its own record
        again = c.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN, "message_id": "m1"}, headers=KEY)
        assert again.json()["replayed"] is True and again.json()["messages"] == r.json()["messages"]
        assert [t["user"] for t in _turns(c, cid)] == [RETURN]
        # without a message_id too: the service itself found out, so the client has nothing to retry
        faulty.lose_replies = 1
        r = c.post(f"/v1/conversations/{cid}/messages", json={"text": "/start_over"}, headers=KEY)
        assert r.status_code == 200 and r.json()["seq"] == 2
        assert [t["user"] for t in _turns(c, cid)] == [RETURN, "/start_over"]
        # and the lock went with the commit: the next message is not kept waiting
        r = c.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN}, headers=KEY)
        assert r.status_code == 200 and r.json()["seq"] == 3


def test_store_refusing_a_moment_saves_the_turn_once(real_tracker):
    faulty = FaultyTracker(real_tracker)
    with TestClient(_app(faulty)) as c:
        cid = c.post("/v1/conversations", headers=KEY).json()["conversation_id"]
        faulty.refuse = 2
        r = c.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN, "message_id": "a"}, headers=KEY)
        assert r.status_code == 200, r.text
        assert r.json()["seq"] == 1 and faulty.commit_calls == 3
        assert len(_turns(c, cid)) == 1


@pytest.mark.parametrize("written", [True, False], ids=["written", "not-written"])
def test_store_gone_past_the_settle_window_says_commit_unknown(real_tracker, written):
    faulty = FaultyTracker(real_tracker)
    with TestClient(_app(faulty, commit_settle_seconds=0.3)) as c:
        cid = c.post("/v1/conversations", headers=KEY).json()["conversation_id"]
        if written:
            faulty.down_after_commit = True  # the first commit lands, its reply and every later attempt fail
        else:
            faulty.down = True
        r = c.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN, "message_id": "x1"}, headers=KEY)
        assert r.status_code == 503, r.text
        error = r.json()["error"]
        assert error["code"] == "commit_unknown"  # distinct from "nothing saved"
        assert error["details"] == {"message_id": "x1", "seq": 1}
        assert int(r.headers["Retry-After"]) >= 1
        # the store comes back; the client resends the same message_id
        faulty.down = False
        again = c.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN, "message_id": "x1"}, headers=KEY)
        assert again.status_code == 200, again.text
        assert again.json()["replayed"] is written and again.json()["seq"] == 1
        assert [t["user"] for t in _turns(c, cid)] == [RETURN]  # 0 lost, 0 duplicated


def test_lock_of_a_failed_commit_is_released_when_the_store_returns(real_tracker, tmp_path):
    """A 30 s lease, so only the release (not the lease running out) lets the second worker in."""
    faulty = FaultyTracker(real_tracker)
    settings = dict(lock_ttl_seconds=30, lock_wait_seconds=3, commit_settle_seconds=0.2)
    with TestClient(_app(faulty, **settings)) as worker1, TestClient(_app(real_tracker, **settings)) as worker2:
        cid = worker1.post("/v1/conversations", headers=KEY).json()["conversation_id"]
        faulty.down_after_begin = True  # the store goes away while the engine runs the turn
        r = worker1.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN, "message_id": "p"}, headers=KEY)
        assert r.json()["error"]["code"] == "commit_unknown"
        faulty.down = False  # the store is back: worker1 releases the lock in the background
        r = worker2.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN, "message_id": "p"}, headers=KEY)
        assert r.status_code == 200, r.text  # not 409 conversation_busy
        assert r.json()["replayed"] is False and r.json()["seq"] == 1
        assert len(_turns(worker2, cid)) == 1


class _SlowConversation:
    """The real engine's conversation, taking `delay` seconds over free text (as the generator can)."""

    def __init__(self, conv, delay):
        self._conv, self._delay = conv, delay

    def __getattr__(self, name):
        return getattr(self._conv, name)

    def send(self, text, **kwargs):
        import time

        if not text.startswith("/"):
            time.sleep(self._delay)  # on the service's worker thread, like a model
        return self._conv.send(text, **kwargs)


class _SlowEngine:
    def __init__(self, engine, delay):
        self._engine, self._delay = engine, delay

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def new_conversation(self, *args, **kwargs):
        return _SlowConversation(self._engine.new_conversation(*args, **kwargs), self._delay)

    def restore(self, *args, **kwargs):
        return _SlowConversation(self._engine.restore(*args, **kwargs), self._delay)


def test_a_turn_longer_than_its_lease_keeps_its_lock(tmp_path):
    """A 0.6 s lease and a 2 s turn: the lease is renewed, so a second worker waits instead of taking
    the conversation (and the slow turn is not refused as lock_lost)."""
    import threading

    settings = dict(api_keys=["it:k"], rate_limit_per_minute=0, shopper_rate_limit_per_minute=0, web_chat=False,
                    lock_ttl_seconds=0.6, lock_wait_seconds=20)
    slow = create_app(Settings(**settings), engine=_SlowEngine(get_real_engine(), 2.0),
                      tracker=SQLiteTrackerStore(tmp_path / "t.db"))
    fast = create_app(Settings(**settings), engine=get_real_engine(), tracker=SQLiteTrackerStore(tmp_path / "t.db"))
    with TestClient(slow) as worker1, TestClient(fast) as worker2:
        cid = worker1.post("/v1/conversations", headers=KEY).json()["conversation_id"]
        answers = {}
        started = threading.Event()

        def slow_turn():
            started.set()
            answers["slow"] = worker1.post(f"/v1/conversations/{cid}/messages",
                                           json={"text": "where is my order?"}, headers=KEY)

        thread = threading.Thread(target=slow_turn)
        thread.start()
        started.wait()
        import time

        time.sleep(0.8)  # past one lease: without renewal the lock would be free now
        other = worker2.post(f"/v1/conversations/{cid}/messages", json={"text": RETURN}, headers=KEY)
        thread.join()
        assert answers["slow"].status_code == 200, answers["slow"].text
        assert other.status_code == 200, other.text
        assert (answers["slow"].json()["seq"], other.json()["seq"]) == (1, 2)  # waited its turn
        assert [t["user"] for t in _turns(worker2, cid)] == ["where is my order?", RETURN]
