"""PostgreSQL store: URL dispatch, migrations, the CLI, and a connection killed inside a write.

The operations themselves are covered on every backend by test_store_ops.py and friends; this
file holds what only PostgreSQL has.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from engine.store import SEED_DIR, STAFF, StoreUnavailable, open_store, policy, redact_url, sqlite_path, store_kind
from store_backends import pg_admin as admin

ROOT = Path(__file__).resolve().parents[1]
SEED = {n: json.loads((SEED_DIR / f"{n}.json").read_text()) for n in ("users", "orders", "products")}


@pytest.fixture
def pg(_backends):
    """The session's PostgreSQL backend, with fresh() databases dropped after the test."""
    backend = _backends("postgresql")
    backend.require_available()
    made = []

    class Made:
        def fresh(self) -> str:
            made.append(backend.fresh())
            return made[-1]

        def empty(self) -> str:
            """A database with no tables at all."""
            made.append(backend.scratch())
            return made[-1]

        def migrated(self) -> str:
            """A migrated and seeded database that is dropped after the test."""
            made.append(backend.scratch(migrated=True))
            return made[-1]

    yield Made()
    for url in made:
        backend.discard(url)


def shoptalk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", "store", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_store_urls():
    assert store_kind(None) == store_kind("var/store.sqlite") == store_kind("sqlite:///x.db") == "sqlite"
    assert store_kind("postgresql://u@h/db") == store_kind("postgres://u@h/db") == "postgresql"
    assert store_kind("https://shop.example/api") == "http"
    with pytest.raises(ValueError, match="unsupported store URL"):
        store_kind("mysql://u@h/db")
    assert sqlite_path("sqlite:///var/s.db") == Path("var/s.db")
    assert sqlite_path("sqlite:////tmp/s.db") == Path("/tmp/s.db")
    assert redact_url("postgresql://shop:hunter2@db:5432/shop") == "postgresql://shop:***@db:5432/shop"


def test_unmigrated_database_is_refused_with_the_command_to_run(pg):
    url = pg.empty()
    with pytest.raises(RuntimeError, match=r"schema version 0, this shoptalk needs \d+: run `shoptalk store "
                                           r"migrate --db postgresql://"):
        open_store(url)


def test_cli_migrate_reset_export(pg, tmp_path):
    url = pg.empty()
    done = shoptalk("migrate", "--db", url)
    assert done.returncode == 0, done.stderr
    assert "0001_initial" in done.stdout
    again = shoptalk("--db", url, "migrate")
    assert again.returncode == 0 and "already up to date" in again.stdout
    assert admin("SELECT 1") == [(1,)]
    out = tmp_path / "export.json"
    done = shoptalk("--db", url, "export", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text()) == SEED
    with open_store(url) as s:
        s.cancel_pending_order("#W6779827", "no longer needed", as_user=STAFF)
        s.transfer_to_human_agents("help", "ethan_lopez_6291")
    done = shoptalk("reset", "--db", url)
    assert done.returncode == 0, done.stderr
    with open_store(url) as s:
        assert s.export_data() == SEED and s.list_handoffs() == [] and s.write_log() == []


def test_newer_schema_is_refused(pg):
    url = pg.migrated()
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
    with pytest.raises(RuntimeError, match="newer than this shoptalk knows"):
        open_store(url)


def test_cli_names_an_unreachable_server():
    done = shoptalk("--db", "postgresql://postgres@127.0.0.1:1/nothing", "export", "/dev/null")
    assert done.returncode == 1 and "127.0.0.1:1" in done.stderr and not done.stdout


def test_connection_killed_inside_a_write_leaves_nothing_and_the_next_call_works(pg, monkeypatch):
    """The policy function runs between the locked read and the UPDATE; kill the connection there."""
    url = pg.fresh()
    with open_store(url) as s:
        before = s.export_data()
        real = policy.cancel_pending_order

        def kill_then_apply(order, user, reason):
            rows = admin("SELECT pid FROM pg_stat_activity WHERE datname = %s AND state = 'idle in transaction'",
                         url.rsplit("/", 1)[-1])
            assert len(rows) == 1, rows  # the write's own connection, holding the order's row lock
            pid = rows[0][0]
            admin("SELECT pg_terminate_backend(%s)", pid)
            real(order, user, reason)

        monkeypatch.setattr(policy, "cancel_pending_order", kill_then_apply)
        with pytest.raises(StoreUnavailable, match="PostgreSQL store at postgresql://.* failed"):
            s.cancel_pending_order("#W6779827", "no longer needed", as_user=STAFF)
        monkeypatch.setattr(policy, "cancel_pending_order", real)
        assert s.export_data() == before and s.write_log() == []
        done = s.cancel_pending_order("#W6779827", "no longer needed", as_user=STAFF)
        assert done["status"] == "cancelled"
        assert [w["op"] for w in s.write_log()] == ["cancel_pending_order"]


def test_two_stores_racing_on_one_order_serialise(pg):
    """Row locks: of a cancel and an item change on one pending order, exactly one applies."""
    url = pg.fresh()
    order, item, other = next(
        (o, it, v["item_id"]) for o in SEED["orders"].values() if o["status"] == "pending"
        and not o["payment_history"][0]["payment_method_id"].startswith("gift_card")
        for it in o["items"] for v in SEED["products"][it["product_id"]]["variants"].values()
        if v["available"] and v["item_id"] != it["item_id"])
    pay = order["payment_history"][0]["payment_method_id"]
    results = {}
    barrier = threading.Barrier(2)

    def run(name, call):
        with open_store(url) as s:
            barrier.wait()
            try:
                results[name] = call(s)["status"]
            except Exception as exc:  # noqa: BLE001 - recorded and asserted below
                results[name] = getattr(exc, "code", repr(exc))

    threads = [threading.Thread(target=run, args=("cancel", lambda s: s.cancel_pending_order(
                   order["order_id"], "no longer needed", as_user=STAFF))),
               threading.Thread(target=run, args=("modify", lambda s: s.modify_pending_order_items(
                   order["order_id"], [item["item_id"]], [other], pay, as_user=STAFF)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) in (["cancelled", "order_not_pending"],
                                         ["order_not_pending", "pending (item modified)"]), results
    with open_store(url) as s:
        assert len(s.write_log()) == 1
