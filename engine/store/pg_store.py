"""PostgreSQL persistence for the store: several service workers on several hosts, one database.

psycopg 3 with its connection pool (checked at checkout, so a connection the server dropped is
replaced rather than failing the next turn; the check costs no round trip unless the server spoke).
Every write is one transaction that first locks the rows it changes (`SELECT ... FOR UPDATE`: the
order, then its owner, then the order counter), so the policy check and the write see the same
state while other writes to other orders go on. The operations are docstore.DocStore's, shared with
SQLite; this module adds connections, the schema check and the translation of connection failures
into StoreUnavailable.

URL: `postgresql://user[:password]@host[:port]/dbname[?libpq options]`, plus our own query
options `pool_min` / `pool_max` (connections per process, default 1 / 10) and `pool_timeout`
(seconds a call waits for a connection before StoreUnavailable, default 5).
"""
from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg_pool import ConnectionPool

from . import pg_schema
from .docstore import SEED_DIR, DocStore
from .errors import StoreError, StoreUnavailable
from .urls import redact_url

POOL_OPTIONS = {"pool_min": int, "pool_max": int, "pool_timeout": float}


def split_url(url: str) -> tuple[str, dict[str, Any]]:
    """(libpq URL, our pool options) from a store URL; `postgres://` is accepted as an alias."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    options = {k: POOL_OPTIONS[k](v) for k, v in query if k in POOL_OPTIONS}
    rest = urlencode([(k, v) for k, v in query if k not in POOL_OPTIONS])
    return urlunsplit(parts._replace(scheme="postgresql", query=rest)), options


def connect(url: str, **kwargs: Any) -> psycopg.Connection:
    """One plain connection (migrations, admin), with connection failures as StoreUnavailable."""
    conninfo, _ = split_url(url)
    try:
        return psycopg.connect(conninfo, **kwargs)
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"can't reach the PostgreSQL store at {redact_url(url)}: {exc}") from exc


def migrate(url: str, seed_dir: Path | None = None, *, seed: bool = True) -> list[pg_schema.Migration]:
    """`shoptalk store migrate`: apply missing migrations, then (by default) load the seed into a store
    that was never seeded. Safe to run on every deploy and from several hosts at once."""
    with connect(url, autocommit=True) as conn:
        applied = pg_schema.migrate(conn)
    if seed:
        with PostgresStore(url, seed_dir, pool_min=1, pool_max=1) as store:
            store.seed_if_empty()
    return applied


def _check_idle_connection(conn: psycopg.Connection) -> None:
    """The pool's check before lending a connection, without a round trip when nothing happened: a
    server that ends a connection (pg_terminate_backend, a restart) first sends it a message, so an
    idle connection whose socket has something to read is verified with a real query (and replaced
    by the pool when that fails). A silent network loss is caught by the query itself instead."""
    if conn.closed:
        raise psycopg.OperationalError("the connection is closed")
    poller = select.poll()  # not select.select: a busy worker's descriptors may pass FD_SETSIZE
    poller.register(conn.fileno(), select.POLLIN)
    if poller.poll(0):
        ConnectionPool.check_connection(conn)


class PostgresStore(DocStore):
    """The store in a PostgreSQL database migrated by `shoptalk store migrate`."""

    ROW_ORDER = "pos"
    FOR_UPDATE = " FOR UPDATE"

    def __init__(self, url: str, seed_dir: Path | None = None, *, pool_min: int | None = None,
                 pool_max: int | None = None, pool_timeout: float | None = None):
        self._url = url
        self.seed_dir = Path(seed_dir) if seed_dir is not None else SEED_DIR
        conninfo, options = split_url(url)
        given = {"pool_min": pool_min, "pool_max": pool_max, "pool_timeout": pool_timeout}
        options.update({k: v for k, v in given.items() if v is not None})
        self._pool = ConnectionPool(
            conninfo, min_size=options.get("pool_min", 1), max_size=max(options.get("pool_max", 10),
                                                                           options.get("pool_min", 1)),
            timeout=options.get("pool_timeout", 5.0), kwargs={"autocommit": True},
            # give up reconnecting in the background after a second: the pool's backoff doubles without
            # bound, so a long outage would leave it waiting long after the server is back; after giving
            # up, the next call connects at once
            reconnect_timeout=1.0,
            check=_check_idle_connection, name=f"shoptalk-store {redact_url(url)}", open=False)
        try:
            self._pool.open(wait=True, timeout=options.get("pool_timeout", 5.0))
            with self._read() as db:
                pg_schema.check(db, redact_url(url))
        except BaseException:
            self._pool.close()
            raise

    @property
    def url(self) -> str:
        return self._url

    def close(self) -> None:
        self._pool.close()

    def seed_if_empty(self) -> bool:
        """Load the seed unless the store was seeded before; True if it loaded it."""
        with self._tx() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (pg_schema.ADVISORY_KEY,))
            if db.execute("SELECT 1 FROM meta WHERE key='seeded'").fetchone() is not None:
                return False
            self._load_seed(db)
            return True

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection; the server or network failing becomes StoreUnavailable (the open
        transaction, if any, was rolled back by the server: nothing is half-written)."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except StoreError:
            raise
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise StoreUnavailable(f"the PostgreSQL store at {redact_url(self._url)} failed: "
                                   f"{str(exc).strip() or type(exc).__name__}") from exc

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Connection]:
        with self._connection() as conn, conn.transaction():
            yield conn

    @contextmanager
    def _read(self) -> Iterator[psycopg.Connection]:
        with self._connection() as conn:
            yield conn

    @contextmanager
    def _snapshot(self) -> Iterator[psycopg.Connection]:
        with self._connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn


__all__ = ["PostgresStore", "migrate", "split_url"]
