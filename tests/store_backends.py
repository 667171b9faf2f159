"""The store backends the store and flow tests run against, each handing out fresh seeded stores.

A test module opts in with `pytestmark = pytest.mark.store_backends`: conftest then parametrizes
its `store_backend` fixture over every name in BACKENDS, and `store_copy()` returns a fresh seeded
store's URL (a Path for SQLite) on that backend. Other modules get SQLite only.

Each backend seeds one template per session (per xdist worker) and copies it per store: SQLite
copies a file, PostgreSQL runs `CREATE DATABASE ... TEMPLATE` (about 0.1 s) from a migrated and
seeded template database and drops every database it made at the end.

Adding a backend (the HTTP one): write a class with the `Backend` methods and add it to BACKENDS;
`require_available()` must call ci_guard.require so a missing server skips locally and fails in CI.
"""
from __future__ import annotations

import os
import shutil
import socket
import uuid
from pathlib import Path
from typing import Protocol

from ci_guard import require

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
PG_ADMIN_URL = f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/postgres"


def pg_admin(sql: str, *params) -> list[tuple]:
    """Run one statement on the server's `postgres` database (autocommit); its rows, if any."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


class Backend(Protocol):
    name: str

    def require_available(self) -> None: ...

    def fresh(self) -> str | Path:
        """A newly made store holding exactly the seed, as `open_store` accepts it."""
        ...

    def discard(self, url: str | Path) -> None:
        """Remove a store made by `fresh` (its connections are closed by then)."""
        ...

    def close(self) -> None:
        """End of session: remove the template and anything left."""
        ...


class SqliteBackend:
    name = "sqlite"

    def __init__(self, workdir: Path):
        from engine.store import SqliteStore

        self.workdir = workdir
        self.template = workdir / "seeded.sqlite"
        SqliteStore(self.template).close()
        self._n = 0

    def require_available(self) -> None:
        return None

    def fresh(self) -> Path:
        self._n += 1
        path = self.workdir / f"store{self._n}.sqlite"
        shutil.copyfile(self.template, path)
        return path

    def discard(self, url: str | Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(url) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        return None


def postgres_answers(host: str = PG_HOST, port: int = PG_PORT) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class PostgresBackend:
    """Databases `shoptalk_test_<run>_<n>` on the local server, cloned from one seeded template.

    A discarded database is recycled rather than dropped: its other connections are ended, its tables
    emptied with their identities restarted and the seed loaded again, which is the state of a fresh
    clone. Creating and dropping a database per test costs a checkpoint each (seconds on a busy
    machine); every database is dropped at the end of the session."""

    name = "postgresql"

    def __init__(self):
        self.prefix = f"shoptalk_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.template: str | None = None
        self._made: set[str] = set()
        self._spare: list[str] = []
        self._scratch: set[str] = set()  # made by scratch(): dropped, never recycled
        self._n = 0
        self._admin = None

    def require_available(self) -> None:
        present = postgres_answers()
        require(present, f"PostgreSQL on {PG_HOST}:{PG_PORT}", "start a server there with trust auth for user "
                f"{PG_USER}, e.g. `pg_ctlcluster 15 main start`")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            require(False, "psycopg 3", "pip install -e '.[postgres]' (make setup does)")
        if self.template is None:
            self._make_template()

    def url(self, dbname: str) -> str:
        return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{dbname}"

    def _sql(self, statement: str) -> None:
        import psycopg

        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(PG_ADMIN_URL, autocommit=True)
        self._admin.execute(statement)

    def _make_template(self) -> None:
        from engine.store.pg_store import migrate

        name = f"{self.prefix}_tmpl"
        self._sql(f"CREATE DATABASE {name}")
        self._made.add(name)
        migrate(self.url(name))
        self.template = name

    def fresh(self) -> str:
        self.require_available()
        if self._spare:
            return self._recycle(self._spare.pop())
        self._n += 1
        name = f"{self.prefix}_{self._n}"
        self._sql(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        self._made.add(name)
        return self.url(name)

    def scratch(self, migrated: bool = False) -> str:
        """A database of its own (empty, or migrated and seeded) that `discard` drops: for tests that
        change what recycling relies on (the schema, its version)."""
        self.require_available()
        self._n += 1
        name = f"{self.prefix}_{self._n}_scratch"
        self._sql(f"CREATE DATABASE {name}")
        self._made.add(name)
        self._scratch.add(name)
        if migrated:
            from engine.store.pg_store import migrate

            migrate(self.url(name))
        return self.url(name)

    def discard(self, url: str | Path) -> None:
        name = str(url).rsplit("/", 1)[-1].split("?")[0]
        if name in self._scratch:
            self._sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            self._scratch.discard(name)
            self._made.discard(name)
        elif name in self._made and name != self.template:
            self._spare.append(name)

    def _recycle(self, name: str) -> str:
        import psycopg

        from engine.store.pg_store import PostgresStore

        pg_admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", name)
        pg_admin(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")  # a fault test may have left it closed
        url = self.url(name)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("TRUNCATE users, orders, products, handoffs, meta, write_log RESTART IDENTITY")
        with PostgresStore(url, pool_min=1, pool_max=1) as store:
            store.reset()
        return url

    def close(self) -> None:
        for name in sorted(self._made):
            self._sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._made.clear()
        if self._admin is not None:
            self._admin.close()


# name -> factory(workdir). The HTTP helper adds "http" here.
BACKENDS = {
    "sqlite": SqliteBackend,
    "postgresql": lambda workdir: PostgresBackend(),
    "http": lambda workdir: __import__("store_http_fixtures").HttpBackend(workdir),  # imported on first use
}
