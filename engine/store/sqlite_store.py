"""SQLite persistence for the store: the embedded default, one file, no server.

One connection guarded by a lock serves every thread (FastAPI runs handlers in a pool); WAL lets
other processes read while we write. Every write is one `BEGIN IMMEDIATE` transaction, which takes
the database's write lock before the first read, so the policy check and the write see the same
state even with several processes on one file. The operations themselves are docstore.DocStore's.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .docstore import SEED_DIR, DocStore

DEFAULT_PATH = Path("var") / "store.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (user_id TEXT PRIMARY KEY, email TEXT NOT NULL, first_name TEXT NOT NULL,
    last_name TEXT NOT NULL, zip TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS users_email ON users(lower(email));
CREATE INDEX IF NOT EXISTS users_name_zip ON users(lower(first_name), lower(last_name), zip);
CREATE INDEX IF NOT EXISTS users_zip ON users(zip);
CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, status TEXT NOT NULL,
    doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS orders_user ON orders(user_id);
CREATE INDEX IF NOT EXISTS orders_status ON orders(status);
CREATE TABLE IF NOT EXISTS products (product_id TEXT PRIMARY KEY, name TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS products_name ON products(lower(name));
CREATE TABLE IF NOT EXISTS handoffs (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT, summary TEXT NOT NULL,
    created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS write_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, op TEXT NOT NULL,
    as_user TEXT, user_id TEXT, order_id TEXT);
"""


def default_path() -> Path:
    return Path(os.environ.get("SHOPTALK_STORE") or DEFAULT_PATH)


class SqliteStore(DocStore):
    """The store in one SQLite file, created and seeded on first use."""

    def __init__(self, path: str | Path | None = None, seed_dir: Path | None = None):
        self.path = Path(path) if path is not None else default_path()
        self.seed_dir = Path(seed_dir) if seed_dir is not None else SEED_DIR
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        with self._lock:
            self._conn.executescript(SCHEMA)  # idempotent; executescript would commit an open transaction
        with self._tx() as db:
            if db.execute("SELECT 1 FROM meta WHERE key='seeded'").fetchone() is None:
                self._load_seed(db)

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")


__all__ = ["DEFAULT_PATH", "SEED_DIR", "SqliteStore", "default_path"]
