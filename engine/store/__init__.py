"""The shop's data: users, orders and products, with the store policy enforced on every write.

One interface (`protocol.Store`), three backends chosen by URL in `open_store`:
- a plain path or `sqlite:///path` -- embedded SQLite (the default: var/store.sqlite);
- `postgresql://user@host:port/db` -- PostgreSQL (psycopg 3, the `postgres` extra; run
  `shoptalk store migrate` first);
- `http://...` / `https://...` -- the shop's own system through the JSON contract (http_store.py).

Import-light on purpose (stdlib sqlite3 + json only; the other backends' libraries load only when
their URL is opened) so the CLI, the validator and the service can use it without loading any model.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .access import STAFF
from .errors import StoreError, StoreUnavailable
from .protocol import Store
from .sqlite_store import SEED_DIR, SqliteStore, default_path
from .urls import redact_url, sqlite_path, store_kind


def open_store(url: str | Path | None = None, seed_dir: Path | None = None, **options: Any) -> Store:
    """Open the store at `url` (a path or URL; None: `$SHOPTALK_STORE` or var/store.sqlite).

    SQLite creates and seeds its file on first use. PostgreSQL must have been migrated
    (`shoptalk store migrate --db URL`); `options` go to the backend (e.g. pool sizes, an HTTP token)."""
    if url is None:
        url = str(default_path())
    kind = store_kind(url)
    if kind == "postgresql":
        try:
            from .pg_store import PostgresStore
        except ImportError as exc:
            raise RuntimeError(f"store URL {redact_url(url)} needs psycopg 3: pip install 'shoptalk[postgres]' "
                               f"({exc})") from exc
        return PostgresStore(str(url), seed_dir, **options)
    if kind == "http":
        try:
            from .http_store import HttpStore
        except ImportError as exc:
            raise RuntimeError(f"store URL {redact_url(url)}: the HTTP store backend is not available ({exc})") from exc
        return HttpStore(str(url), **options)
    return SqliteStore(sqlite_path(url), seed_dir)


__all__ = ["STAFF", "SEED_DIR", "SqliteStore", "Store", "StoreError", "StoreUnavailable", "default_path",
           "open_store", "redact_url", "sqlite_path", "store_kind"]
