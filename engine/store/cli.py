"""`shoptalk store migrate|reset|export|serve-http [--db PATH_OR_URL]`: prepare, rebuild or dump the shop's store.

`--db` takes what `open_store` takes: a SQLite path or `sqlite:///path`, `postgresql://...` or
`http(s)://...` (default: $SHOPTALK_STORE, else var/store.sqlite).
"""
from __future__ import annotations

import argparse
import sqlite3
import sys

from . import open_store, redact_url, store_kind
from .errors import StoreError, StoreUnavailable
from .pg_schema import SchemaError
from .sqlite_store import default_path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None,
                        help="store path or URL: a SQLite file, sqlite:///path, postgresql://user@host/db or "
                             "http(s)://... (default: $SHOPTALK_STORE or var/store.sqlite)")
    sub = parser.add_subparsers(dest="store_command", required=True)
    migrate = sub.add_parser("migrate", help="bring the store's schema up to date (PostgreSQL: versioned "
                                             "migrations) and load the seed into a store never seeded")
    migrate.add_argument("--no-seed", action="store_true", help="leave a new store empty (your own data)")
    reset = sub.add_parser("reset", help="rebuild the store from the seed data (drops all changes and handoffs)")
    export = sub.add_parser("export", help="write users, orders and products as JSON in the seed's shape")
    export.add_argument("path", help="output JSON file")
    serve = sub.add_parser("serve-http", help="serve the HTTP store contract over this store (docs/store_http.md)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8780)
    serve.add_argument("--allow-reset", action="store_true", help="allow POST /v1/admin/reset (tests, drives)")
    for child in (migrate, reset, export, serve):  # `store export out.json --db x` works as well as `store --db x export ...`
        child.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _migrate(url: str, seed: bool) -> str:
    kind = store_kind(url)
    if kind == "postgresql":
        from .pg_store import migrate

        applied = migrate(url, seed=seed)
        done = ", ".join(f"{m.version:04d}_{m.name}" for m in applied) or "none (already up to date)"
        return f"PostgreSQL store {redact_url(url)}: migrations applied: {done}"
    if kind == "http":
        raise StoreError("not_supported", f"{url} is the shop's own system: it has no schema to migrate here.")
    open_store(url).close()  # SQLite creates its tables (and seeds) on open
    return f"SQLite store ready: {url}"


def run(args: argparse.Namespace) -> int:
    if args.store_command == "serve-http":
        from .http_server import serve
        return serve(args)
    url = str(args.db or default_path())
    try:
        if args.store_command == "migrate":
            print(_migrate(url, seed=not args.no_seed))
            return 0
        with open_store(url) as store:
            if args.store_command == "reset":
                store.reset()
                print(f"Store reset from seed: {redact_url(url)}")
            elif args.store_command == "export":
                data = store.export_data()
                out = store.export(args.path)
                print(f"Exported {len(data['users'])} users, {len(data['orders'])} orders, "
                      f"{len(data['products'])} products to {out}")
            else:  # pragma: no cover - argparse enforces the choices
                print(f"unknown store command {args.store_command!r}", file=sys.stderr)
                return 2
    except (OSError, sqlite3.Error, StoreError, StoreUnavailable, SchemaError, RuntimeError, ValueError) as exc:
        print(f"shoptalk store {args.store_command}: {exc}", file=sys.stderr)
        return 1
    return 0
