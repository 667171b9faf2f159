"""Tracker stores: where conversations live between turns.

One interface, two implementations:

* `SQLiteTrackerStore` (default): WAL mode, one `BEGIN IMMEDIATE` transaction per turn that appends
  the turn record and replaces the bounded snapshot.
* `RedisTrackerStore` (several workers or hosts): the turn records in a list, the snapshot in a key,
  metadata in a hash, all written by one Lua script (atomic).

Both keep a per-conversation lease lock with a **fencing token**: `lock()` hands out a token that
only grows, and `append_turn()` refuses to write unless the caller still holds the lock with that
token. A holder that stalled past the lease (GC pause, network partition) therefore cannot overwrite
a newer turn. The write also checks `expected_seq`, so a turn is appended exactly once, right after
the turn it was computed from.

A turn costs the same at turn 1 and at turn 1,000: writing appends one record and replaces one
bounded snapshot; reading loads the snapshot and metadata, never the event history.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator


class TrackerError(Exception):
    code = "tracker_error"


class TrackerUnavailable(TrackerError):
    """The tracker cannot be reached; nothing was written. Answer 503 with Retry-After."""

    code = "tracker_unavailable"


class ConversationNotFound(TrackerError):
    code = "conversation_not_found"


class ConversationExists(TrackerError):
    code = "conversation_exists"


class LockTimeout(TrackerError):
    """Another message of this conversation held the lock for longer than we were willing to wait."""

    code = "conversation_busy"


class StaleWrite(TrackerError):
    """The caller's lock expired and someone else took it (fencing token mismatch), or the
    conversation moved on (`expected_seq` mismatch). Nothing was written."""

    code = "lock_lost"


class DuplicateMessage(TrackerError):
    """A turn with this client message id is already stored."""

    code = "duplicate_message"


@dataclass
class ConversationRecord:
    id: str
    token_hash: str
    owner: str
    created_at: float
    updated_at: float
    seq: int  # number of turns stored
    snapshot: dict | None


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, default=str)


class TrackerStore(ABC):
    kind = "abstract"

    @abstractmethod
    def create(self, conv_id: str, *, token_hash: str, owner: str, snapshot: dict | None) -> ConversationRecord: ...

    @abstractmethod
    def get(self, conv_id: str) -> ConversationRecord | None: ...

    @abstractmethod
    def acquire(self, conv_id: str, *, ttl: float, wait: float) -> int:
        """Take the conversation's lease lock; returns the fencing token. Raises LockTimeout."""

    @abstractmethod
    def release(self, conv_id: str, token: int) -> None: ...

    @abstractmethod
    def append_turn(self, conv_id: str, record: dict, snapshot: dict, *, expected_seq: int, fence: int,
                    message_id: str | None = None) -> int:
        """Atomically append one turn record and replace the snapshot; returns the new seq."""

    @abstractmethod
    def find_message(self, conv_id: str, message_id: str) -> dict | None: ...

    @abstractmethod
    def turns(self, conv_id: str, *, after: int = 0, limit: int | None = None) -> list[dict]:
        """Turn records with seq > after, oldest first (at most `limit`)."""

    @abstractmethod
    def delete(self, conv_id: str) -> bool: ...

    @abstractmethod
    def ping(self) -> None: ...

    def close(self) -> None:
        pass

    def iter_turns(self, conv_id: str, page: int = 500) -> Iterator[dict]:
        after = 0
        while True:
            chunk = self.turns(conv_id, after=after, limit=page)
            if not chunk:
                return
            yield from chunk
            after = chunk[-1]["seq"]
            if len(chunk) < page:
                return

    @contextmanager
    def lock(self, conv_id: str, *, ttl: float = 30.0, wait: float = 20.0) -> Iterator[int]:
        token = self.acquire(conv_id, ttl=ttl, wait=wait)
        try:
            yield token
        finally:
            try:
                self.release(conv_id, token)
            except TrackerUnavailable:  # the lease expires on its own
                pass


# --------------------------------------------------------------------------------------------- SQLite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    owner TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    snapshot TEXT
);
CREATE TABLE IF NOT EXISTS turns (
    conv_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    message_id TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (conv_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS turns_message_id ON turns(conv_id, message_id) WHERE message_id IS NOT NULL;
-- Lock rows outlive their conversation on purpose: the fence keeps growing if an id is reused.
CREATE TABLE IF NOT EXISTS locks (
    conv_id TEXT PRIMARY KEY,
    fence INTEGER NOT NULL,
    holder INTEGER,
    expires REAL NOT NULL
);
"""


class SQLiteTrackerStore(TrackerStore):
    kind = "sqlite"

    def __init__(self, path: str | os.PathLike, *, busy_timeout: float = 10.0):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        # One writer per process at a time: threads queue here instead of in SQLite's busy handler,
        # whose sleeps (up to 100 ms) would dominate latency under concurrency.
        self._write_mu = threading.Lock()
        try:
            self._db().executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise TrackerUnavailable(f"cannot create tracker schema: {exc}") from exc

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None,
                                     check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("PRAGMA foreign_keys=ON")
            except sqlite3.Error as exc:
                raise TrackerUnavailable(f"cannot open tracker database: {exc}") from exc
            self._local.db = db
            with self._conns_lock:
                self._conns.append(db)
        return db

    @contextmanager
    def _tx(self, immediate: bool = True) -> Iterator[sqlite3.Connection]:
        db = self._db()
        with self._write_mu:
            try:
                db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            except sqlite3.OperationalError as exc:
                raise TrackerUnavailable(f"tracker database busy or unavailable: {exc}") from exc
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            else:
                try:
                    db.execute("COMMIT")
                except sqlite3.Error as exc:
                    db.execute("ROLLBACK")
                    raise TrackerUnavailable(f"tracker commit failed: {exc}") from exc

    def _wrap(self, fn, *args):
        try:
            return fn(*args)
        except sqlite3.OperationalError as exc:
            raise TrackerUnavailable(f"tracker database error: {exc}") from exc

    @staticmethod
    def _record(row) -> ConversationRecord:
        return ConversationRecord(id=row[0], token_hash=row[1], owner=row[2], created_at=row[3],
                                  updated_at=row[4], seq=row[5], snapshot=json.loads(row[6]) if row[6] else None)

    def create(self, conv_id, *, token_hash, owner, snapshot):
        now = time.time()

        def run():
            with self._tx() as db:
                try:
                    db.execute("INSERT INTO conversations VALUES (?,?,?,?,?,0,?)",
                               (conv_id, token_hash, owner, now, now, _dumps(snapshot) if snapshot else None))
                except sqlite3.IntegrityError as exc:
                    raise ConversationExists(conv_id) from exc
            return ConversationRecord(conv_id, token_hash, owner, now, now, 0, snapshot)

        return self._wrap(run)

    def get(self, conv_id):
        def run():
            row = self._db().execute(
                "SELECT id, token_hash, owner, created_at, updated_at, seq, snapshot FROM conversations WHERE id=?",
                (conv_id,)).fetchone()
            return self._record(row) if row else None

        return self._wrap(run)

    def acquire(self, conv_id, *, ttl, wait):
        deadline = time.monotonic() + wait
        delay = 0.002
        while True:
            def attempt():
                with self._tx() as db:
                    now = time.time()
                    row = db.execute("SELECT fence, holder, expires FROM locks WHERE conv_id=?", (conv_id,)).fetchone()
                    if row is None:
                        db.execute("INSERT INTO locks VALUES (?,?,?,?)", (conv_id, 1, 1, now + ttl))
                        return 1
                    fence, holder, expires = row
                    if holder is None or expires <= now:
                        fence += 1
                        db.execute("UPDATE locks SET fence=?, holder=?, expires=? WHERE conv_id=?",
                                   (fence, fence, now + ttl, conv_id))
                        return fence
                    return None

            token = self._wrap(attempt)
            if token is not None:
                return token
            if time.monotonic() >= deadline:
                raise LockTimeout(conv_id)
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def release(self, conv_id, token):
        def run():
            with self._tx() as db:
                db.execute("UPDATE locks SET holder=NULL WHERE conv_id=? AND holder=?", (conv_id, token))

        self._wrap(run)

    def append_turn(self, conv_id, record, snapshot, *, expected_seq, fence, message_id=None):
        def run():
            with self._tx() as db:
                row = db.execute("SELECT seq FROM conversations WHERE id=?", (conv_id,)).fetchone()
                if row is None:
                    raise ConversationNotFound(conv_id)
                holder = db.execute("SELECT holder FROM locks WHERE conv_id=?", (conv_id,)).fetchone()
                if holder is None or holder[0] != fence:
                    raise StaleWrite(f"fencing token {fence} no longer holds {conv_id}")
                if row[0] != expected_seq:
                    raise StaleWrite(f"conversation {conv_id} is at turn {row[0]}, not {expected_seq}")
                seq = expected_seq + 1
                now = time.time()
                data = dict(record, seq=seq)
                try:
                    db.execute("INSERT INTO turns VALUES (?,?,?,?)", (conv_id, seq, message_id, _dumps(data)))
                except sqlite3.IntegrityError as exc:
                    raise DuplicateMessage(message_id) from exc
                db.execute("UPDATE conversations SET seq=?, snapshot=?, updated_at=? WHERE id=?",
                           (seq, _dumps(snapshot), now, conv_id))
                return seq

        return self._wrap(run)

    def find_message(self, conv_id, message_id):
        row = self._wrap(lambda: self._db().execute(
            "SELECT data FROM turns WHERE conv_id=? AND message_id=?", (conv_id, message_id)).fetchone())
        return json.loads(row[0]) if row else None

    def turns(self, conv_id, *, after=0, limit=None):
        rows = self._wrap(lambda: self._db().execute(
            "SELECT data FROM turns WHERE conv_id=? AND seq>? ORDER BY seq LIMIT ?",
            (conv_id, after, -1 if limit is None else limit)).fetchall())
        return [json.loads(r[0]) for r in rows]

    def delete(self, conv_id):
        def run():
            with self._tx() as db:
                db.execute("DELETE FROM turns WHERE conv_id=?", (conv_id,))
                cur = db.execute("DELETE FROM conversations WHERE id=?", (conv_id,))
                return cur.rowcount > 0

        return self._wrap(run)

    def ping(self):
        self._wrap(lambda: self._db().execute("SELECT 1").fetchone())

    def close(self):
        with self._conns_lock:
            for db in self._conns:
                try:
                    db.close()
                except Exception:  # pragma: no cover
                    pass
            self._conns.clear()
        self._local = threading.local()


# ---------------------------------------------------------------------------------------------- Redis

_ACQUIRE = """
local lock, fence = KEYS[1], KEYS[2]
if redis.call('EXISTS', lock) == 1 then return -redis.call('PTTL', lock) - 1 end
local token = redis.call('INCR', fence)
redis.call('SET', lock, token, 'PX', ARGV[1])
return token
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: meta, snap, events, lock, mids   ARGV: fence, expected_seq, record_prefix, snapshot, message_id, now
_APPEND = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('GET', KEYS[4]) ~= ARGV[1] then return -2 end
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if seq ~= tonumber(ARGV[2]) then return -3 end
local new = seq + 1
if ARGV[5] ~= '' then
  if redis.call('HSETNX', KEYS[5], ARGV[5], new) == 0 then return -4 end
end
redis.call('RPUSH', KEYS[3], '{"seq":' .. new .. ',' .. string.sub(ARGV[3], 2))
redis.call('SET', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[1], 'seq', new, 'updated_at', ARGV[6])
return new
"""


class RedisTrackerStore(TrackerStore):
    """Keys use a `{conversation id}` hash tag so one conversation's keys share a Redis Cluster slot."""

    kind = "redis"

    def __init__(self, url: str, *, prefix: str = "shoptalk", timeout: float = 2.0, client=None):
        import redis

        self._redis_errors = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError,
                              redis.ReadOnlyError, OSError)
        self._response_error = redis.ResponseError
        self.url = url
        self.prefix = prefix
        self.client = client or redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=min(timeout, 1.0),
            health_check_interval=30, max_connections=256, decode_responses=True)
        self._acquire = self.client.register_script(_ACQUIRE)
        self._release = self.client.register_script(_RELEASE)
        self._append = self.client.register_script(_APPEND)

    def _k(self, conv_id: str, part: str) -> str:
        return f"{self.prefix}:{{{conv_id}}}:{part}"

    def _keys(self, conv_id):
        return [self._k(conv_id, p) for p in ("meta", "snap", "events", "lock", "mids")]

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except self._redis_errors as exc:
            raise TrackerUnavailable(f"redis unavailable: {exc}") from exc
        except self._response_error as exc:
            if "LOADING" in str(exc) or "MASTERDOWN" in str(exc) or "READONLY" in str(exc):
                raise TrackerUnavailable(f"redis not serving: {exc}") from exc
            raise

    def create(self, conv_id, *, token_hash, owner, snapshot):
        now = time.time()
        meta = self._k(conv_id, "meta")

        def run():
            pipe = self.client.pipeline(transaction=True)
            pipe.hsetnx(meta, "token_hash", token_hash)
            pipe.hsetnx(meta, "owner", owner)
            pipe.hsetnx(meta, "created_at", now)
            pipe.hsetnx(meta, "updated_at", now)
            pipe.hsetnx(meta, "seq", 0)
            created = pipe.execute()
            if not created[0]:
                raise ConversationExists(conv_id)
            if snapshot:
                self.client.set(self._k(conv_id, "snap"), _dumps(snapshot))

        self._call(run)
        return ConversationRecord(conv_id, token_hash, owner, now, now, 0, snapshot)

    def get(self, conv_id):
        def run():
            pipe = self.client.pipeline(transaction=False)
            pipe.hgetall(self._k(conv_id, "meta"))
            pipe.get(self._k(conv_id, "snap"))
            return pipe.execute()

        meta, snap = self._call(run)
        if not meta or "token_hash" not in meta:
            return None
        return ConversationRecord(conv_id, meta["token_hash"], meta.get("owner", ""), float(meta["created_at"]),
                                  float(meta.get("updated_at", meta["created_at"])), int(meta.get("seq", 0)),
                                  json.loads(snap) if snap else None)

    def acquire(self, conv_id, *, ttl, wait):
        deadline = time.monotonic() + wait
        keys = [self._k(conv_id, "lock"), self._k(conv_id, "fence")]
        delay = 0.002
        while True:
            result = int(self._call(self._acquire, keys=keys, args=[int(ttl * 1000)]))
            if result > 0:
                return result
            if time.monotonic() >= deadline:
                raise LockTimeout(conv_id)
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def release(self, conv_id, token):
        self._call(self._release, keys=[self._k(conv_id, "lock")], args=[token])

    def append_turn(self, conv_id, record, snapshot, *, expected_seq, fence, message_id=None):
        record = {k: v for k, v in record.items() if k != "seq"}
        payload = _dumps(record)
        if payload == "{}":
            payload = '{"_":0}'
        result = int(self._call(self._append, keys=self._keys(conv_id),
                                args=[fence, expected_seq, payload, _dumps(snapshot), message_id or "",
                                      time.time()]))
        if result == -1:
            raise ConversationNotFound(conv_id)
        if result == -2:
            raise StaleWrite(f"fencing token {fence} no longer holds {conv_id}")
        if result == -3:
            raise StaleWrite(f"conversation {conv_id} is not at turn {expected_seq}")
        if result == -4:
            raise DuplicateMessage(message_id)
        return result

    def find_message(self, conv_id, message_id):
        seq = self._call(self.client.hget, self._k(conv_id, "mids"), message_id)
        if seq is None:
            return None
        raw = self._call(self.client.lindex, self._k(conv_id, "events"), int(seq) - 1)
        return json.loads(raw) if raw else None

    def turns(self, conv_id, *, after=0, limit=None):
        end = -1 if limit is None else after + limit - 1
        raw = self._call(self.client.lrange, self._k(conv_id, "events"), after, end)
        return [json.loads(r) for r in raw]

    def delete(self, conv_id):
        keys = [self._k(conv_id, p) for p in ("meta", "snap", "events", "mids")]  # lock and fence stay
        return bool(self._call(self.client.delete, *keys))

    def ping(self):
        self._call(self.client.ping)

    def close(self):
        try:
            self.client.close()
        except Exception:  # pragma: no cover
            pass


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
