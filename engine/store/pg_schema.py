"""Versioned schema migrations for the PostgreSQL store.

Migrations are the numbered files in pg_migrations/ (`0001_initial.sql`, ...), applied in order,
each recorded in `schema_migrations`. `migrate` applies the missing ones in one transaction under an
advisory lock, so several hosts running it at once apply each exactly once. A store opens only when
its database is at exactly the version this code knows (`check`): never on a half-migrated or newer
schema.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIGRATIONS_DIR = Path(__file__).parent / "pg_migrations"
ADVISORY_KEY = 0x73686F70  # "shop": serialises concurrent `shoptalk store migrate` runs
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


class SchemaError(RuntimeError):
    """The database's schema is not the one this code needs (not migrated, or migrated by newer code)."""


def migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise SchemaError(f"{path}: a migration file is named NNNN_name.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise SchemaError(f"{directory}: migration versions must run 1, 2, 3... without gaps, found {versions}")
    return found


def latest_version() -> int:
    return len(migrations())


def current_version(conn: Any) -> int:
    """The highest applied migration (0 for a database never migrated)."""
    exists = conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0]
    if exists is None:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def check(conn: Any, where: str) -> None:
    have, need = current_version(conn), latest_version()
    if have < need:
        raise SchemaError(f"the PostgreSQL store at {where} is at schema version {have}, this shoptalk needs "
                          f"{need}: run `shoptalk store migrate --db {where}` first")
    if have > need:
        raise SchemaError(f"the PostgreSQL store at {where} is at schema version {have}, newer than this "
                          f"shoptalk knows ({need}): upgrade shoptalk on this host")


def migrate(conn: Any) -> list[Migration]:
    """Apply the missing migrations in one transaction; returns those applied (none when up to date)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_KEY,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
                     "applied_at timestamptz NOT NULL DEFAULT now())")
        have = current_version(conn)
        todo = [m for m in migrations() if m.version > have]
        for m in todo:
            conn.execute(m.sql())
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (m.version, m.name))
    return todo
