"""The shop's data: users, orders and products, with the store policy enforced on every write.

Import-light on purpose (stdlib sqlite3 + json only) so the CLI, the validator and the service can
use it without loading any model.
"""
from __future__ import annotations

from pathlib import Path

from .access import STAFF
from .errors import StoreError
from .sqlite_store import SEED_DIR, SqliteStore, default_path


def open_store(path: str | Path | None = None, seed_dir: Path | None = None) -> SqliteStore:
    """Open (creating and seeding on first use) the store at `path`, `$SHOPTALK_STORE` or var/store.sqlite."""
    return SqliteStore(path, seed_dir)


__all__ = ["STAFF", "SEED_DIR", "SqliteStore", "StoreError", "default_path", "open_store"]
