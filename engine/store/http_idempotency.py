"""Idempotency keys of the reference server: a replayed write returns the first answer, applied once.

The keys live in the store's own SQLite file (table `http_idempotency`), so every server process on
that file sees them. A key is claimed before the write runs (`begin`, in one IMMEDIATE transaction,
so two processes cannot both claim it) and holds the answer after (`finish`). A write that crashed
gives its key up (`abandon`) so the same key may try again; a request that reuses a key with a
different body is refused instead of answered with someone else's result.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

SCHEMA = """CREATE TABLE IF NOT EXISTS http_idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
    status INTEGER, body TEXT, created TEXT NOT NULL)"""


@dataclass(frozen=True)
class Replay:
    status: int
    body: str


def fingerprint(action: str, acting_for: str | None, body: Any) -> str:
    canonical = json.dumps({"action": action, "acting_for": acting_for, "body": body}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyLog:
    def __init__(self, path: str | Path):
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        self._conn.execute(SCHEMA)

    def begin(self, key: str, print_: str) -> Literal["new", "reused", "in_progress"] | Replay:
        """Claim `key` for a request with fingerprint `print_`, or say why it was claimed before."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                row = self._conn.execute("SELECT fingerprint, status, body FROM http_idempotency WHERE key=?",
                                         (key,)).fetchone()
                if row is None:
                    self._conn.execute("INSERT INTO http_idempotency VALUES (?,?,NULL,NULL,?)",
                                       (key, print_, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            finally:
                self._conn.execute("COMMIT")
        if row is None:
            return "new"
        if row[0] != print_:
            return "reused"
        return "in_progress" if row[1] is None else Replay(row[1], row[2])

    def finish(self, key: str, status: int, body: str) -> None:
        with self._lock:
            self._conn.execute("UPDATE http_idempotency SET status=?, body=? WHERE key=?", (status, body, key))

    def abandon(self, key: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM http_idempotency WHERE key=? AND status IS NULL", (key,))

    def clear(self) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM http_idempotency")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
