"""`shoptalk store reset|export PATH [--db PATH]`: rebuild the demo store or dump it as seed-shaped JSON."""
from __future__ import annotations

import argparse
import sqlite3
import sys

from .errors import StoreError
from .sqlite_store import SqliteStore, default_path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None,
                        help="SQLite file (default: $SHOPTALK_STORE or var/store.sqlite)")
    sub = parser.add_subparsers(dest="store_command", required=True)
    reset = sub.add_parser("reset", help="rebuild the store from the seed data (drops all changes and handoffs)")
    export = sub.add_parser("export", help="write users, orders and products as JSON in the seed's shape")
    export.add_argument("path", help="output JSON file")
    serve = sub.add_parser("serve-http", help="serve the HTTP store contract over this store (docs/store_http.md)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8780)
    serve.add_argument("--allow-reset", action="store_true", help="allow POST /v1/admin/reset (tests, drives)")
    for child in (reset, export, serve):  # `store export out.json --db x` works as well as `store --db x export ...`
        child.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    if args.store_command == "serve-http":
        from .http_server import serve
        return serve(args)
    path = args.db or default_path()
    try:
        with SqliteStore(path) as store:
            if args.store_command == "reset":
                store.reset()
                print(f"Store reset from seed: {path}")
            elif args.store_command == "export":
                data = store.export_data()
                out = store.export(args.path)
                print(f"Exported {len(data['users'])} users, {len(data['orders'])} orders, "
                      f"{len(data['products'])} products to {out}")
            else:  # pragma: no cover - argparse enforces the choices
                print(f"unknown store command {args.store_command!r}", file=sys.stderr)
                return 2
    except (OSError, sqlite3.Error, StoreError) as exc:
        print(f"shoptalk store {args.store_command}: {exc}", file=sys.stderr)
        return 1
    return 0
