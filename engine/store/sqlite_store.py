"""SQLite persistence for the store: seed-shaped JSON documents plus the few indexed columns we look up by.

Keeping each record's exact seed object in a `doc` column means export is lossless and the policy
functions work on the same dicts tau-bench does; the extra columns exist only for lookups. One
connection guarded by a lock serves every thread (FastAPI runs handlers in a pool); WAL lets other
processes read while we write. Every write is one `BEGIN IMMEDIATE` transaction: read, apply a pure
policy function, write back, commit -- or roll back on StoreError so nothing changes.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import policy
from .access import STAFF, check_owner, check_user, principal_user
from .errors import StoreError

SEED_DIR = Path(__file__).parent / "seed"
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


def _dump(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False)


class SqliteStore:
    """The shop's users, orders and products. Method names and semantics follow tau-bench's retail tools."""

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

    # -- plumbing -------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any exception (StoreError included) rolls everything back."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _load_seed(self, db: sqlite3.Connection) -> None:
        for table in ("users", "orders", "products", "handoffs", "meta", "write_log"):
            db.execute(f"DELETE FROM {table}")
        data = {name: json.loads((self.seed_dir / f"{name}.json").read_text(encoding="utf-8"))
                for name in ("users", "orders", "products")}
        db.executemany("INSERT INTO users VALUES (?,?,?,?,?,?)", [
            (uid, u["email"], u["name"]["first_name"], u["name"]["last_name"], u["address"]["zip"], _dump(u))
            for uid, u in data["users"].items()])
        db.executemany("INSERT INTO orders VALUES (?,?,?,?)", [
            (oid, o["user_id"], o["status"], _dump(o)) for oid, o in data["orders"].items()])
        db.executemany("INSERT INTO products VALUES (?,?,?)", [
            (pid, p["name"], _dump(p)) for pid, p in data["products"].items()])
        db.execute("INSERT INTO meta VALUES ('seeded', ?)", (datetime.now(timezone.utc).isoformat(),))

    def reset(self) -> None:
        """Rebuild everything (handoff tickets included) from the seed files."""
        with self._tx() as db:
            self._load_seed(db)

    def export_data(self) -> dict[str, dict[str, Any]]:
        """The whole store in exactly the seed files' shape: {"users": {id: doc}, "orders": ..., "products": ...}."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                return {table: {key: json.loads(doc) for key, doc in self._conn.execute(
                            f"SELECT {key_col}, doc FROM {table} ORDER BY rowid")}
                        for table, key_col in (("users", "user_id"), ("orders", "order_id"),
                                               ("products", "product_id"))}
            finally:
                self._conn.execute("COMMIT")

    def export(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.export_data(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    # -- loading documents ----------------------------------------------------------------------------
    def _user(self, db: sqlite3.Connection, user_id: str, as_user: Any) -> dict[str, Any]:
        check_user(user_id, as_user)
        row = db.execute("SELECT doc FROM users WHERE user_id=?", (str(user_id).strip(),)).fetchone()
        if row is None:
            raise StoreError("user_not_found", f"I couldn't find an account with user id {user_id}.")
        return json.loads(row[0])

    def _order(self, db: sqlite3.Connection, order_id: str, as_user: Any) -> dict[str, Any]:
        principal_user(as_user)  # refused before the order's existence is revealed
        oid = policy.normalize_order_id(order_id)
        row = db.execute("SELECT doc FROM orders WHERE order_id=?", (oid,)).fetchone()
        if row is None:
            raise StoreError("order_not_found", f"I couldn't find order {oid or order_id!r}.")
        order = json.loads(row[0])
        check_owner(order, as_user)
        return order

    def _products(self, db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
        return {pid: json.loads(doc) for pid, doc in db.execute("SELECT product_id, doc FROM products ORDER BY rowid")}

    @staticmethod
    def _save_user(db: sqlite3.Connection, user_id: str, user: dict[str, Any]) -> None:
        db.execute("UPDATE users SET email=?, first_name=?, last_name=?, zip=?, doc=? WHERE user_id=?",
                   (user["email"], user["name"]["first_name"], user["name"]["last_name"],
                    user["address"]["zip"], _dump(user), user_id))

    @staticmethod
    def _save_order(db: sqlite3.Connection, order: dict[str, Any]) -> None:
        db.execute("UPDATE orders SET status=?, doc=? WHERE order_id=?",
                   (order["status"], _dump(order), order["order_id"]))

    # -- reads ----------------------------------------------------------------------------------------
    def find_user_id_by_email(self, email: str) -> str:
        rows = self._query("SELECT user_id FROM users WHERE lower(email)=? ORDER BY rowid LIMIT 1",
                           (str(email).strip().lower(),))
        if not rows:
            raise StoreError("user_not_found", f"I couldn't find an account with the email {email}.")
        return rows[0][0]

    def find_user_id_by_name_zip(self, first_name: str, last_name: str, zip: str) -> str:
        rows = self._query(
            "SELECT user_id FROM users WHERE lower(first_name)=? AND lower(last_name)=? AND zip=? ORDER BY rowid LIMIT 1",
            (str(first_name).strip().lower(), str(last_name).strip().lower(), str(zip).strip()))
        if not rows:
            raise StoreError("user_not_found",
                             f"I couldn't find an account for {first_name} {last_name} with zip code {zip}.")
        return rows[0][0]

    def get_user_details(self, user_id: str, *, as_user: Any) -> dict[str, Any]:
        with self._lock:
            return self._user(self._conn, user_id, as_user)

    def get_order_details(self, order_id: str, *, as_user: Any) -> dict[str, Any]:
        with self._lock:
            return self._order(self._conn, order_id, as_user)

    def get_product_details(self, product_id: str) -> dict[str, Any]:
        rows = self._query("SELECT doc FROM products WHERE product_id=?", (str(product_id).strip(),))
        if not rows:
            raise StoreError("product_not_found", f"I couldn't find a product with id {product_id}.")
        return json.loads(rows[0][0])

    def list_all_product_types(self) -> dict[str, str]:
        return dict(sorted(self._query("SELECT name, product_id FROM products")))

    def find_product(self, name_or_id: str) -> dict[str, Any]:
        """By product id, or by name ignoring case, spaces and hyphens ("t shirt" finds "T-Shirt")."""
        key = str(name_or_id).strip()
        rows = self._query("SELECT doc FROM products WHERE product_id=? OR lower(name)=?", (key, key.lower()))
        if not rows:
            squash = _squash(key)
            rows = [(doc,) for name, doc in self._query("SELECT name, doc FROM products") if _squash(name) == squash]
        if not rows or not key:
            raise StoreError("product_not_found", f"We don't sell a product called {name_or_id!r}.")
        return json.loads(rows[0][0])

    def list_user_orders(self, user_id: str, *, as_user: Any) -> list[dict[str, Any]]:
        user_id = str(user_id).strip()
        with self._lock:
            user = self._user(self._conn, user_id, as_user)
            docs = {oid: json.loads(doc) for oid, doc in self._conn.execute(
                "SELECT order_id, doc FROM orders WHERE user_id=?", (user_id,))}
        return [{"order_id": o["order_id"], "status": o["status"], "items": [it["name"] for it in o["items"]],
                 "total": policy.money(sum(it["price"] for it in o["items"]))}
                for o in (docs[oid] for oid in user["orders"] if oid in docs)]

    # -- writes ---------------------------------------------------------------------------------------
    def _order_write(self, op: str, order_id: str, as_user: Any, apply: Any, with_products: bool = False) -> dict:
        with self._tx() as db:
            order = self._order(db, order_id, as_user)
            user = self._user(db, order["user_id"], STAFF)  # the owner, already checked against as_user
            args = (order, user, self._products(db)) if with_products else (order, user)
            apply(*args)
            self._save_order(db, order)
            self._save_user(db, order["user_id"], user)
            self._log_write(db, op, as_user, order["user_id"], order["order_id"])
            return order

    def cancel_pending_order(self, order_id: str, reason: str, *, as_user: Any) -> dict[str, Any]:
        return self._order_write("cancel_pending_order", order_id, as_user,
                                 lambda o, u: policy.cancel_pending_order(o, u, reason))

    def modify_pending_order_address(self, order_id: str, address1: str, address2: str, city: str, state: str,
                                     country: str, zip: str, *, as_user: Any) -> dict[str, Any]:
        def apply(order: dict, user: dict) -> None:
            policy.require_status(order, "pending", "changed")
            policy.modify_order_address(order, policy.make_address(address1, address2, city, state, country, zip))
        return self._order_write("modify_pending_order_address", order_id, as_user, apply)

    def modify_pending_order_payment(self, order_id: str, payment_method_id: str, *,
                                     as_user: Any) -> dict[str, Any]:
        return self._order_write("modify_pending_order_payment", order_id, as_user,
                                 lambda o, u: policy.modify_order_payment(o, u, payment_method_id))

    def modify_pending_order_items(self, order_id: str, item_ids: list[str], new_item_ids: list[str],
                                   payment_method_id: str, *, as_user: Any,
                                   allow_unchanged: bool = False) -> dict[str, Any]:
        """`allow_unchanged` admits an item "changed" to itself, as some tau-bench ground truths do."""
        return self._order_write("modify_pending_order_items", order_id, as_user, lambda o, u, p: policy.modify_order_items(
            o, u, p, list(item_ids), list(new_item_ids), payment_method_id, allow_unchanged), with_products=True)

    def return_delivered_order_items(self, order_id: str, item_ids: list[str], payment_method_id: str, *,
                                     as_user: Any) -> dict[str, Any]:
        return self._order_write("return_delivered_order_items", order_id, as_user, lambda o, u: policy.return_order_items(
            o, u, list(item_ids), payment_method_id))

    def exchange_delivered_order_items(self, order_id: str, item_ids: list[str], new_item_ids: list[str],
                                       payment_method_id: str, *, as_user: Any,
                                       allow_unchanged: bool = False) -> dict[str, Any]:
        return self._order_write("exchange_delivered_order_items", order_id, as_user, lambda o, u, p: policy.exchange_order_items(
            o, u, p, list(item_ids), list(new_item_ids), payment_method_id, allow_unchanged), with_products=True)

    def modify_user_address(self, user_id: str, address1: str, address2: str, city: str, state: str,
                            country: str, zip: str, *, as_user: Any) -> dict[str, Any]:
        address = policy.make_address(address1, address2, city, state, country, zip)
        with self._tx() as db:
            user = self._user(db, user_id, as_user)
            policy.modify_user_address(user, address)
            self._save_user(db, str(user_id).strip(), user)
            self._log_write(db, "modify_user_address", as_user, str(user_id).strip(), None)
            return user

    def place_order(self, user_id: str, item_ids: list[str], address: dict[str, str] | None,
                    payment_method_id: str, *, as_user: Any) -> dict[str, Any]:
        """Checkout. `address` None ships to the user's default address."""
        user_id = str(user_id).strip()
        with self._tx() as db:
            user = self._user(db, user_id, as_user)
            if address is None:
                ship_to = dict(user["address"])
            else:
                ship_to = policy.make_address(*(address.get(k, "") for k in
                                                ("address1", "address2", "city", "state", "country", "zip")))
            order = policy.new_order(self._next_order_id(db), user_id, user, self._products(db),
                                     list(item_ids), ship_to, payment_method_id)
            db.execute("INSERT INTO orders VALUES (?,?,?,?)", (order["order_id"], user_id, order["status"], _dump(order)))
            self._save_user(db, user_id, user)
            self._log_write(db, "place_order", as_user, user_id, order["order_id"])
            return order

    def transfer_to_human_agents(self, summary: str, user_id: str | None = None) -> dict[str, Any]:
        if not str(summary or "").strip():
            raise StoreError("bad_arguments", "Please tell me briefly what you need help with.")
        with self._tx() as db:
            cur = db.execute("INSERT INTO handoffs (user_id, summary, created) VALUES (?,?,?)",
                             (user_id, summary.strip(), datetime.now(timezone.utc).isoformat(timespec="seconds")))
            ticket = f"HT-{cur.lastrowid:06d}"
            self._log_write(db, "transfer_to_human_agents", user_id, user_id, None)
        return {"ticket_id": ticket,
                "message": f"I've passed this to a human colleague (ticket {ticket}); they'll get back to you soon."}

    @staticmethod
    def _log_write(db: sqlite3.Connection, op: str, as_user: Any, user_id: str | None, order_id: str | None) -> None:
        """Every write names who asked and whose data it touched, in the write's own transaction."""
        db.execute("INSERT INTO write_log (at, op, as_user, user_id, order_id) VALUES (?,?,?,?,?)",
                   (datetime.now(timezone.utc).isoformat(timespec="seconds"), op,
                    "staff" if as_user is STAFF else as_user, user_id, order_id))

    def write_log(self) -> list[dict[str, Any]]:
        """The store's own record of writes, oldest first: seq, at, op, as_user, user_id, order_id."""
        cols = ("seq", "at", "op", "as_user", "user_id", "order_id")
        return [dict(zip(cols, row)) for row in self._query(f"SELECT {', '.join(cols)} FROM write_log ORDER BY seq")]

    def list_handoffs(self) -> list[dict[str, Any]]:
        return [{"ticket_id": f"HT-{i:06d}", "user_id": u, "summary": s, "created": c}
                for i, u, s, c in self._query("SELECT id, user_id, summary, created FROM handoffs ORDER BY id")]

    @staticmethod
    def _next_order_id(db: sqlite3.Connection) -> str:
        """Deterministic per store state (a counter hashed to 7 digits), skipping ids already used."""
        row = db.execute("SELECT value FROM meta WHERE key='order_counter'").fetchone()
        counter = int(row[0]) if row else 0
        while True:
            counter += 1
            digits = int(hashlib.sha256(f"shoptalk-order-{counter}".encode()).hexdigest(), 16) % 10**7
            oid = f"#W{digits:07d}"
            if db.execute("SELECT 1 FROM orders WHERE order_id=?", (oid,)).fetchone() is None:
                break
        db.execute("INSERT OR REPLACE INTO meta VALUES ('order_counter', ?)", (str(counter),))
        return oid


def _squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())
