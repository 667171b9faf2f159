"""The store operations once, over any SQL database holding seed-shaped JSON documents.

Each record's exact seed object lives in a `doc` column (so export is lossless and the policy
functions work on the same dicts tau-bench does); the other columns exist only for lookups. A
backend (sqlite_store.py, pg_store.py) supplies connections and transactions; this class supplies
the SQL (written with `?` placeholders, translated by `_sql`) and the read-check-write sequence of
every operation: inside one write transaction, load the rows (locked where the database locks
rows), apply a pure policy function, write back and log -- or roll back on StoreError so nothing
changes.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Self

from . import policy
from .access import STAFF, check_owner, check_user, principal_user
from .errors import StoreError

SEED_DIR = Path(__file__).parent / "seed"
TABLES = ("users", "orders", "products")
LOG_COLUMNS = ("seq", "at", "op", "as_user", "user_id", "order_id")


def dump(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False)


def load_seed_files(seed_dir: Path) -> dict[str, dict[str, Any]]:
    return {name: json.loads((seed_dir / f"{name}.json").read_text(encoding="utf-8")) for name in TABLES}


class DocStore:
    """The shop's users, orders and products. Method names and semantics follow tau-bench's retail tools."""

    seed_dir: Path
    ROW_ORDER = "rowid"      # the column that keeps seed (insertion) order
    FOR_UPDATE = ""          # appended to the reads of a write transaction

    # -- backend hooks --------------------------------------------------------------------------------
    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tx(self) -> AbstractContextManager[Any]:
        """One write transaction; any exception (StoreError included) rolls everything back."""
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Any]:
        """A connection for one or a few reads."""
        raise NotImplementedError

    def _snapshot(self) -> AbstractContextManager[Any]:
        """A connection whose reads all see one consistent state (for export)."""
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql

    # -- SQL helpers ----------------------------------------------------------------------------------
    def _x(self, db: Any, sql: str, params: Sequence[Any] = ()) -> Any:
        return db.execute(self._sql(sql), tuple(params))

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._read() as db:
            return list(self._x(db, sql, params).fetchall())

    @staticmethod
    def _doc(value: Any) -> Any:
        """A doc column's value: JSON text (SQLite) or already decoded (PostgreSQL json)."""
        return json.loads(value) if isinstance(value, (str, bytes)) else value

    # -- seed, reset, export --------------------------------------------------------------------------
    def _load_seed(self, db: Any) -> None:
        for table in ("users", "orders", "products", "handoffs", "meta", "write_log"):
            self._x(db, f"DELETE FROM {table}")
        data = load_seed_files(self.seed_dir)
        cur = db.cursor()
        cur.executemany(self._sql("INSERT INTO users (user_id, email, first_name, last_name, zip, doc) "
                                  "VALUES (?,?,?,?,?,?)"), [
            (uid, u["email"], u["name"]["first_name"], u["name"]["last_name"], u["address"]["zip"], dump(u))
            for uid, u in data["users"].items()])
        cur.executemany(self._sql("INSERT INTO orders (order_id, user_id, status, doc) VALUES (?,?,?,?)"), [
            (oid, o["user_id"], o["status"], dump(o)) for oid, o in data["orders"].items()])
        cur.executemany(self._sql("INSERT INTO products (product_id, name, doc) VALUES (?,?,?)"), [
            (pid, p["name"], dump(p)) for pid, p in data["products"].items()])
        self._x(db, "INSERT INTO meta (key, value) VALUES ('seeded', ?)", (datetime.now(timezone.utc).isoformat(),))
        self._x(db, "INSERT INTO meta (key, value) VALUES ('order_counter', '0')")

    def reset(self) -> None:
        """Rebuild everything (handoff tickets and the write log included) from the seed files."""
        with self._tx() as db:
            self._load_seed(db)

    def export_data(self) -> dict[str, dict[str, Any]]:
        """The whole store in exactly the seed files' shape: {"users": {id: doc}, "orders": ..., "products": ...}."""
        with self._snapshot() as db:
            return {table: {key: self._doc(doc) for key, doc in self._x(
                        db, f"SELECT {table[:-1]}_id, doc FROM {table} ORDER BY {self.ROW_ORDER}").fetchall()}
                    for table in TABLES}

    def export(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.export_data(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    # -- loading documents ----------------------------------------------------------------------------
    def _user(self, db: Any, user_id: str, as_user: Any, lock: bool = False) -> dict[str, Any]:
        check_user(user_id, as_user)
        row = self._x(db, "SELECT doc FROM users WHERE user_id=?" + (self.FOR_UPDATE if lock else ""),
                      (str(user_id).strip(),)).fetchone()
        if row is None:
            raise StoreError("user_not_found", f"I couldn't find an account with user id {user_id}.")
        return self._doc(row[0])

    def _order(self, db: Any, order_id: str, as_user: Any, lock: bool = False) -> dict[str, Any]:
        principal_user(as_user)  # refused before the order's existence is revealed
        oid = policy.normalize_order_id(order_id)
        row = self._x(db, "SELECT doc FROM orders WHERE order_id=?" + (self.FOR_UPDATE if lock else ""),
                      (oid,)).fetchone()
        if row is None:
            raise StoreError("order_not_found", f"I couldn't find order {oid or order_id!r}.")
        order = self._doc(row[0])
        check_owner(order, as_user)
        return order

    def _products(self, db: Any) -> dict[str, dict[str, Any]]:
        return {pid: self._doc(doc) for pid, doc in self._x(
            db, f"SELECT product_id, doc FROM products ORDER BY {self.ROW_ORDER}").fetchall()}

    def _save_user(self, db: Any, user_id: str, user: dict[str, Any]) -> None:
        self._x(db, "UPDATE users SET email=?, first_name=?, last_name=?, zip=?, doc=? WHERE user_id=?",
                (user["email"], user["name"]["first_name"], user["name"]["last_name"],
                 user["address"]["zip"], dump(user), user_id))

    def _save_order(self, db: Any, order: dict[str, Any]) -> None:
        self._x(db, "UPDATE orders SET status=?, doc=? WHERE order_id=?",
                (order["status"], dump(order), order["order_id"]))

    # -- reads ----------------------------------------------------------------------------------------
    def find_user_id_by_email(self, email: str) -> str:
        rows = self._all(f"SELECT user_id FROM users WHERE lower(email)=? ORDER BY {self.ROW_ORDER} LIMIT 1",
                         (str(email).strip().lower(),))
        if not rows:
            raise StoreError("user_not_found", f"I couldn't find an account with the email {email}.")
        return rows[0][0]

    def find_user_id_by_name_zip(self, first_name: str, last_name: str, zip: str) -> str:
        rows = self._all(
            "SELECT user_id FROM users WHERE lower(first_name)=? AND lower(last_name)=? AND zip=? "
            f"ORDER BY {self.ROW_ORDER} LIMIT 1",
            (str(first_name).strip().lower(), str(last_name).strip().lower(), str(zip).strip()))
        if not rows:
            raise StoreError("user_not_found",
                             f"I couldn't find an account for {first_name} {last_name} with zip code {zip}.")
        return rows[0][0]

    def get_user_details(self, user_id: str, *, as_user: Any) -> dict[str, Any]:
        with self._read() as db:
            return self._user(db, user_id, as_user)

    def get_order_details(self, order_id: str, *, as_user: Any) -> dict[str, Any]:
        with self._read() as db:
            return self._order(db, order_id, as_user)

    def get_product_details(self, product_id: str) -> dict[str, Any]:
        rows = self._all("SELECT doc FROM products WHERE product_id=?", (str(product_id).strip(),))
        if not rows:
            raise StoreError("product_not_found", f"I couldn't find a product with id {product_id}.")
        return self._doc(rows[0][0])

    def list_all_product_types(self) -> dict[str, str]:
        return dict(sorted(self._all("SELECT name, product_id FROM products")))

    def find_product(self, name_or_id: str) -> dict[str, Any]:
        """By product id, or by name ignoring case, spaces and hyphens ("t shirt" finds "T-Shirt")."""
        key = str(name_or_id).strip()
        rows = self._all(f"SELECT doc FROM products WHERE product_id=? OR lower(name)=? ORDER BY {self.ROW_ORDER}",
                         (key, key.lower()))
        if not rows:
            squash = _squash(key)
            rows = [(doc,) for name, doc in self._all(f"SELECT name, doc FROM products ORDER BY {self.ROW_ORDER}")
                    if _squash(name) == squash]
        if not rows or not key:
            raise StoreError("product_not_found", f"We don't sell a product called {name_or_id!r}.")
        return self._doc(rows[0][0])

    def list_user_orders(self, user_id: str, *, as_user: Any) -> list[dict[str, Any]]:
        user_id = str(user_id).strip()
        with self._read() as db:
            user = self._user(db, user_id, as_user)
            docs = {oid: self._doc(doc) for oid, doc in self._x(
                db, "SELECT order_id, doc FROM orders WHERE user_id=?", (user_id,)).fetchall()}
        return [{"order_id": o["order_id"], "status": o["status"], "items": [it["name"] for it in o["items"]],
                 "total": policy.money(sum(it["price"] for it in o["items"]))}
                for o in (docs[oid] for oid in user["orders"] if oid in docs)]

    def write_log(self) -> list[dict[str, Any]]:
        """The store's own record of writes, oldest first: seq, at, op, as_user, user_id, order_id."""
        return [dict(zip(LOG_COLUMNS, row))
                for row in self._all(f"SELECT {', '.join(LOG_COLUMNS)} FROM write_log ORDER BY seq")]

    def list_handoffs(self) -> list[dict[str, Any]]:
        return [{"ticket_id": f"HT-{i:06d}", "user_id": u, "summary": s, "created": c}
                for i, u, s, c in self._all("SELECT id, user_id, summary, created FROM handoffs ORDER BY id")]

    # -- writes ---------------------------------------------------------------------------------------
    def _order_write(self, op: str, order_id: str, as_user: Any, apply: Any, with_products: bool = False) -> dict:
        """Lock the order, then its owner (always in this order, so two writes cannot deadlock)."""
        with self._tx() as db:
            order = self._order(db, order_id, as_user, lock=True)
            user = self._user(db, order["user_id"], STAFF, lock=True)  # the owner, already checked against as_user
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
            user = self._user(db, user_id, as_user, lock=True)
            policy.modify_user_address(user, address)
            self._save_user(db, str(user_id).strip(), user)
            self._log_write(db, "modify_user_address", as_user, str(user_id).strip(), None)
            return user

    def place_order(self, user_id: str, item_ids: list[str], address: dict[str, str] | None,
                    payment_method_id: str, *, as_user: Any) -> dict[str, Any]:
        """Checkout. `address` None ships to the user's default address."""
        user_id = str(user_id).strip()
        with self._tx() as db:
            user = self._user(db, user_id, as_user, lock=True)
            if address is None:
                ship_to = dict(user["address"])
            else:
                ship_to = policy.make_address(*(address.get(k, "") for k in
                                                ("address1", "address2", "city", "state", "country", "zip")))
            order = policy.new_order(self._next_order_id(db), user_id, user, self._products(db),
                                     list(item_ids), ship_to, payment_method_id)
            self._x(db, "INSERT INTO orders (order_id, user_id, status, doc) VALUES (?,?,?,?)",
                    (order["order_id"], user_id, order["status"], dump(order)))
            self._save_user(db, user_id, user)
            self._log_write(db, "place_order", as_user, user_id, order["order_id"])
            return order

    def transfer_to_human_agents(self, summary: str, user_id: str | None = None) -> dict[str, Any]:
        if not str(summary or "").strip():
            raise StoreError("bad_arguments", "Please tell me briefly what you need help with.")
        with self._tx() as db:
            (number,) = self._x(db, "INSERT INTO handoffs (user_id, summary, created) VALUES (?,?,?) RETURNING id",
                                (user_id, summary.strip(), _now())).fetchone()
            ticket = f"HT-{number:06d}"
            self._log_write(db, "transfer_to_human_agents", user_id, user_id, None)
        return {"ticket_id": ticket,
                "message": f"I've passed this to a human colleague (ticket {ticket}); they'll get back to you soon."}

    def _log_write(self, db: Any, op: str, as_user: Any, user_id: str | None, order_id: str | None) -> None:
        """Every write names who asked and whose data it touched, in the write's own transaction."""
        self._x(db, "INSERT INTO write_log (at, op, as_user, user_id, order_id) VALUES (?,?,?,?,?)",
                (_now(), op, "staff" if as_user is STAFF else as_user, user_id, order_id))

    def _next_order_id(self, db: Any) -> str:
        """Deterministic per store state (a counter hashed to 7 digits), skipping ids already used."""
        row = self._x(db, "SELECT value FROM meta WHERE key='order_counter'" + self.FOR_UPDATE).fetchone()
        counter = int(row[0]) if row else 0
        while True:
            counter += 1
            digits = int(hashlib.sha256(f"shoptalk-order-{counter}".encode()).hexdigest(), 16) % 10**7
            oid = f"#W{digits:07d}"
            if self._x(db, "SELECT 1 FROM orders WHERE order_id=?", (oid,)).fetchone() is None:
                break
        self._x(db, "INSERT INTO meta (key, value) VALUES ('order_counter', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value=excluded.value", (str(counter),))
        return oid


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


__all__ = ["DocStore", "LOG_COLUMNS", "SEED_DIR", "TABLES", "dump", "load_seed_files"]
