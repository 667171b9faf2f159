"""SQLite tracker store (the default): WAL, one `BEGIN IMMEDIATE` transaction per `begin` and per `commit`.

Statements run inline on the worker's event loop: a local WAL transaction takes tens of
microseconds, less than a hop to a thread would cost. One connection per store, guarded by a mutex
(TestClient and tools may call from other threads). Several workers on one host serialise through
the `locks` table; SQLite's busy handler then waits inside a call, so use Redis beyond one host or
for many workers.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path

from service.tracker_base import (Begin, ConversationExists, ConversationNotFound, ConversationRecord,
                                  DuplicateMessage, StaleWrite, TokenMismatch, TrackerStore, TrackerUnavailable,
                                  dumps, load_record, turn_record_json)

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
CREATE INDEX IF NOT EXISTS conversations_token ON conversations(token_hash);
-- Lock rows outlive their conversation on purpose: the fence keeps growing if an id is reused.
CREATE TABLE IF NOT EXISTS locks (
    conv_id TEXT PRIMARY KEY,
    fence INTEGER NOT NULL,
    holder INTEGER,
    expires REAL NOT NULL
);
"""


def _stored_turn(db: sqlite3.Connection, conv_id: str, message_id: str) -> dict | None:
    row = db.execute("SELECT data FROM turns WHERE conv_id=? AND message_id=?", (conv_id, message_id)).fetchone()
    return load_record(row[0]) if row else None


def _release(db: sqlite3.Connection, conv_id: str, fence: int) -> None:
    db.execute("UPDATE locks SET holder=NULL WHERE conv_id=? AND holder=?", (conv_id, fence))


class SQLiteTrackerStore(TrackerStore):
    kind = "sqlite"

    def __init__(self, path: str | os.PathLike, *, busy_timeout: float = 10.0):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.busy_timeout = busy_timeout
        self._mu = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        with self._mu:
            self._open()

    def _open(self) -> sqlite3.Connection:
        """The connection, opened on first use and again after `aclose` (an app's lifespan may end
        while tools still hold the store)."""
        if self._conn is None:
            try:
                db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None,
                                     check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(_SCHEMA)
            except sqlite3.Error as exc:
                raise TrackerUnavailable(f"cannot open tracker database: {exc}") from exc
            self._conn = db
        return self._conn

    def _run(self, fn, *args, write: bool = False):
        """Run `fn(db, *args)` under the mutex, in a transaction when it writes."""
        with self._mu:
            db = self._open()
            try:
                if not write:
                    return fn(db, *args)
                db.execute("BEGIN IMMEDIATE")
                try:
                    result = fn(db, *args)
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
                return result
            except sqlite3.OperationalError as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise TrackerUnavailable(f"tracker database error: {exc}") from exc

    async def create(self, conv_id, *, token_hash, owner, snapshot):
        now = time.time()

        def run(db):
            try:
                db.execute("INSERT INTO conversations VALUES (?,?,?,?,?,0,?)",
                           (conv_id, token_hash, owner, now, now, dumps(snapshot) if snapshot else None))
            except sqlite3.IntegrityError as exc:
                row = db.execute("SELECT token_hash FROM conversations WHERE id=?", (conv_id,)).fetchone()
                if row is None or row[0] != token_hash:  # the same token hash: our own earlier attempt
                    raise ConversationExists(conv_id) from exc

        self._run(run, write=True)
        return ConversationRecord(conv_id, token_hash, owner, now, now, 0, snapshot)

    async def token_known(self, token_hash):
        return self._run(lambda db: db.execute("SELECT 1 FROM conversations WHERE token_hash=? LIMIT 1",
                                               (token_hash,)).fetchone()) is not None

    async def get(self, conv_id, *, snapshot=True):
        column = "snapshot" if snapshot else "NULL"
        row = self._run(lambda db: db.execute(
            f"SELECT id, token_hash, owner, created_at, updated_at, seq, {column} FROM conversations WHERE id=?",
            (conv_id,)).fetchone())
        if row is None:
            return None
        return ConversationRecord(*row[:6], snapshot=json.loads(row[6]) if row[6] else None)

    async def _try_begin(self, conv_id, *, ttl, token_hash, cached_seq, message_id, nonce=""):
        # one transaction: it either happened or not, so `nonce` (for lost Redis replies) is not needed
        def run(db):
            row = db.execute("SELECT token_hash, seq, CASE WHEN seq=? OR ?=-2 THEN NULL ELSE snapshot END "
                             "FROM conversations WHERE id=?", (cached_seq, cached_seq, conv_id)).fetchone()
            if row is None:
                raise ConversationNotFound(conv_id)
            if token_hash is not None and row[0] != token_hash:
                raise TokenMismatch(conv_id)
            if message_id:
                stored = _stored_turn(db, conv_id, message_id)
                if stored is not None:
                    return Begin(seq=row[1], replay=stored)
            now = time.time()
            lock = db.execute("SELECT fence, holder, expires FROM locks WHERE conv_id=?", (conv_id,)).fetchone()
            if lock is None:
                fence = 1
                db.execute("INSERT INTO locks VALUES (?,?,?,?)", (conv_id, fence, fence, now + ttl))
            elif lock[1] is None or lock[2] <= now:
                fence = lock[0] + 1
                db.execute("UPDATE locks SET fence=?, holder=?, expires=? WHERE conv_id=?",
                           (fence, fence, now + ttl, conv_id))
            else:
                return lock[2] - now
            return Begin(fence=fence, seq=row[1], snapshot=json.loads(row[2]) if row[2] else None)

        return self._run(run, write=True)

    async def commit(self, conv_id, *, fence, expected_seq, record_json, snapshot_json, message_id=None,
                     release=True):
        def run(db):
            row = db.execute("SELECT seq FROM conversations WHERE id=?", (conv_id,)).fetchone()
            if row is None:
                raise ConversationNotFound(conv_id)
            if row[0] > expected_seq:  # a repeated commit: is the next record ours?
                stored = db.execute("SELECT data FROM turns WHERE conv_id=? AND seq=?",
                                    (conv_id, expected_seq + 1)).fetchone()
                if stored is not None and stored[0] == turn_record_json(record_json, expected_seq + 1, fence):
                    if release:
                        _release(db, conv_id, fence)
                    return expected_seq + 1
            holder = db.execute("SELECT holder FROM locks WHERE conv_id=?", (conv_id,)).fetchone()
            if holder is None or holder[0] != fence:
                raise StaleWrite(f"fencing token {fence} no longer holds {conv_id}")
            if row[0] != expected_seq:
                raise StaleWrite(f"conversation {conv_id} is at turn {row[0]}, not {expected_seq}")
            seq = expected_seq + 1
            try:
                db.execute("INSERT INTO turns VALUES (?,?,?,?)",
                           (conv_id, seq, message_id, turn_record_json(record_json, seq, fence)))
            except sqlite3.IntegrityError as exc:
                raise DuplicateMessage(message_id) from exc
            db.execute("UPDATE conversations SET seq=?, snapshot=?, updated_at=? WHERE id=?",
                       (seq, snapshot_json, time.time(), conv_id))
            if release:
                _release(db, conv_id, fence)
            return seq

        return self._run(run, write=True)

    async def release(self, conv_id, token):
        self._run(_release, conv_id, token, write=True)

    async def extend(self, conv_id, token, ttl):
        return self._run(lambda db: db.execute("UPDATE locks SET expires=? WHERE conv_id=? AND holder=?",
                                               (time.time() + ttl, conv_id, token)).rowcount > 0, write=True)

    async def find_message(self, conv_id, message_id):
        return self._run(_stored_turn, conv_id, message_id)

    async def turns(self, conv_id, *, after=0, limit=None):
        rows = self._run(lambda db: db.execute("SELECT data FROM turns WHERE conv_id=? AND seq>? ORDER BY seq LIMIT ?",
                                               (conv_id, after, -1 if limit is None else limit)).fetchall())
        return [load_record(r[0]) for r in rows]

    async def delete(self, conv_id):
        def run(db):
            db.execute("DELETE FROM turns WHERE conv_id=?", (conv_id,))
            return db.execute("DELETE FROM conversations WHERE id=?", (conv_id,)).rowcount > 0

        return self._run(run, write=True)

    async def ping(self):
        self._run(lambda db: db.execute("SELECT 1").fetchone())

    async def aclose(self):
        with self._mu:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
