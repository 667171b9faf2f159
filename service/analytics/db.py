"""The analytics database: SQLite (`sqlite:///var/analytics.db`, the default) or PostgreSQL
(`postgresql://user@host/db`, psycopg 3), with one set of statements.

Statements are written with `?` placeholders and only portable SQL (TEXT, INTEGER, DOUBLE
PRECISION, `INSERT ... ON CONFLICT`), so the same code runs on both; psycopg gets `%s`. Percentiles
and medians are computed in Python from the selected rows, not with dialect-specific functions.
Only redacted text is ever stored here (see `derive`).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Iterable, Sequence

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS an_conversations (
        conv_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, last_ts DOUBLE PRECISION NOT NULL,
        first_ts DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS an_tasks (
        conv_id TEXT NOT NULL, n INTEGER NOT NULL, flow TEXT NOT NULL, day TEXT NOT NULL,
        start_ts DOUBLE PRECISION NOT NULL, last_ts DOUBLE PRECISION NOT NULL, start_seq INTEGER NOT NULL,
        end_seq INTEGER, outcome TEXT NOT NULL, stage TEXT NOT NULL, reached TEXT NOT NULL,
        messages INTEGER NOT NULL, policy_failed TEXT NOT NULL, PRIMARY KEY (conv_id, n))""",
    """CREATE TABLE IF NOT EXISTS an_turns (
        conv_id TEXT NOT NULL, seq INTEGER NOT NULL, ts DOUBLE PRECISION NOT NULL, day TEXT NOT NULL,
        flow TEXT, label TEXT, decided_by TEXT, confidence DOUBLE PRECISION, typed INTEGER NOT NULL,
        fallback INTEGER NOT NULL, low_confidence INTEGER NOT NULL, clarification INTEGER NOT NULL,
        repair INTEGER NOT NULL, handoff INTEGER NOT NULL, generated INTEGER NOT NULL,
        latency_ms DOUBLE PRECISION, PRIMARY KEY (conv_id, seq))""",
    """CREATE TABLE IF NOT EXISTS an_feedback (
        id TEXT PRIMARY KEY, conv_id TEXT NOT NULL, seq INTEGER, ts DOUBLE PRECISION NOT NULL,
        day TEXT NOT NULL, flow TEXT, rating INTEGER, thumb INTEGER, comment TEXT)""",
    """CREATE TABLE IF NOT EXISTS an_review (
        id TEXT PRIMARY KEY, conv_id TEXT NOT NULL, seq INTEGER NOT NULL, ts DOUBLE PRECISION NOT NULL,
        day TEXT NOT NULL, text TEXT NOT NULL, reasons TEXT NOT NULL, label TEXT,
        confidence DOUBLE PRECISION, flow TEXT, status TEXT NOT NULL, resolution TEXT,
        resolved_at DOUBLE PRECISION)""",
    "CREATE INDEX IF NOT EXISTS an_tasks_day ON an_tasks(day)",
    "CREATE INDEX IF NOT EXISTS an_turns_day ON an_turns(day)",
    "CREATE INDEX IF NOT EXISTS an_feedback_conv ON an_feedback(conv_id)",
    "CREATE INDEX IF NOT EXISTS an_review_status ON an_review(status)",
    """CREATE TABLE IF NOT EXISTS an_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
)
# Every table that holds a conversation's rows (DELETE /v1/conversations/{id} empties them all).
CONVERSATION_TABLES = ("an_tasks", "an_turns", "an_feedback", "an_review", "an_conversations")


class AnalyticsDB:
    """One connection guarded by a mutex (calls come from the event loop and from worker threads)."""

    def __init__(self, url: str):
        self.url = url
        self._mu = threading.Lock()
        if url.startswith(("postgresql://", "postgres://")):
            import psycopg

            self.kind = "postgresql"
            self._conn = psycopg.connect(url, autocommit=True)
        elif url.startswith("sqlite://") or url.endswith((".db", ".sqlite")) or url == ":memory:":
            import sqlite3

            path = url[len("sqlite://"):] if url.startswith("sqlite://") else url
            if path.startswith("/"):
                path = path[1:]  # sqlite:///var/a.db -> var/a.db ; sqlite:////tmp/a.db -> /tmp/a.db
            path = path or ":memory:"
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.kind = "sqlite"
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
            self._conn.execute("PRAGMA journal_mode=WAL")
        else:
            raise ValueError(f"unsupported analytics_url {url!r}: use sqlite:///path.db or postgresql://...")
        for statement in SCHEMA:
            self.execute(statement)

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.kind == "postgresql" else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        with self._mu:
            cur = self._conn.execute(self._sql(sql), tuple(params))
            return cur.rowcount

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._mu:
            return list(self._conn.execute(self._sql(sql), tuple(params)).fetchall())

    def transaction(self, statements: Iterable[tuple[str, Sequence[Any]]]) -> None:
        """Run statements atomically (one conversation's rows are replaced all at once)."""
        with self._mu:
            c = self._conn
            if self.kind == "postgresql":
                with c.transaction():
                    for sql, params in statements:
                        c.execute(self._sql(sql), tuple(params))
                return
            c.execute("BEGIN IMMEDIATE")
            try:
                for sql, params in statements:
                    c.execute(sql, tuple(params))
            except BaseException:
                c.execute("ROLLBACK")
                raise
            c.execute("COMMIT")

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        rows = self.query("SELECT value FROM an_meta WHERE key=?", (key,))
        return rows[0][0] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        self.execute("INSERT INTO an_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                     (key, value))

    def forget(self, conv_id: str) -> None:
        """Erase every row of one conversation."""
        self.transaction([(f"DELETE FROM {t} WHERE conv_id=?", (conv_id,)) for t in CONVERSATION_TABLES])

    def close(self) -> None:
        with self._mu:
            self._conn.close()
