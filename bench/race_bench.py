"""Races: two worker processes write to one order at the same instant; exactly one may win.

    .venv/bin/python bench/race_bench.py                       # 200 races on PostgreSQL and on SQLite
    .venv/bin/python bench/race_bench.py --store-url postgresql://postgres@127.0.0.1:5432/mydb --races 50
    flock /tmp/shoptalk-cpu.lock .venv/bin/python bench/race_bench.py --json bench/results/race_bench.json

Three kinds of race, in turn: cancel against modify-items on a pending order, two returns of a
delivered order, two payment changes of a pending order. Each side alone is valid on the seed
(checked before the race), so a correct store lets exactly one win and answers the other with the
policy's refusal (order_not_pending, order_not_delivered, payment_not_changeable). The two workers
are separate processes with their own store connection, released together by a barrier.

After all races the exported store must equal the seed with each race's winner applied by the pure
policy functions (engine/store/policy.py): any lost or duplicated refund or payment, or a loser's
half-applied change, shows up as a difference. Races in one round touch distinct users; the store is
reset between rounds. Without `--store-url` the bench makes its own PostgreSQL database (dropped at
the end) and SQLite file.
"""
from __future__ import annotations

import argparse
import copy
import json
import multiprocessing as mp
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine.store import STAFF, StoreError, open_store, policy  # noqa: E402
from engine.store.docstore import SEED_DIR, load_seed_files  # noqa: E402

LOSER_CODE = {"cancel_vs_modify": "order_not_pending", "two_returns": "order_not_delivered",
              "two_payments": "payment_not_changeable"}
KINDS = tuple(LOSER_CODE)


@dataclass(frozen=True)
class Op:
    name: str          # a store method
    kwargs: dict[str, Any]


@dataclass(frozen=True)
class Race:
    kind: str
    order_id: str
    user_id: str
    a: Op
    b: Op


def _apply(op: Op, seed: dict, state: dict) -> None:
    """Apply `op` with the pure policy functions to `state` (seed-shaped dicts), as the store would."""
    order = state["orders"][op.kwargs["order_id"]]
    user = state["users"][order["user_id"]]
    kw = op.kwargs
    if op.name == "cancel_pending_order":
        policy.cancel_pending_order(order, user, kw["reason"])
    elif op.name == "modify_pending_order_items":
        policy.modify_order_items(order, user, seed["products"], kw["item_ids"], kw["new_item_ids"],
                                  kw["payment_method_id"])
    elif op.name == "return_delivered_order_items":
        policy.return_order_items(order, user, kw["item_ids"], kw["payment_method_id"])
    elif op.name == "modify_pending_order_payment":
        policy.modify_order_payment(order, user, kw["payment_method_id"])
    else:  # pragma: no cover - plan_races makes only these
        raise ValueError(op.name)


def _valid_alone(op: Op, seed: dict) -> bool:
    order = seed["orders"][op.kwargs["order_id"]]
    try:
        _apply(op, seed, {"orders": {order["order_id"]: copy.deepcopy(order)},
                          "users": {order["user_id"]: copy.deepcopy(seed["users"][order["user_id"]])}})
        return True
    except StoreError:
        return False


def _candidates(kind: str, seed: dict) -> list[Race]:
    """Every order on which both sides of a `kind` race are valid alone."""
    out = []
    for oid, order in seed["orders"].items():
        uid, methods = order["user_id"], seed["users"][order["user_id"]]["payment_methods"]
        paid_with = order["payment_history"][0]["payment_method_id"] if order["payment_history"] else None
        if kind == "cancel_vs_modify" and order["status"] == "pending":
            swap = next(((it["item_id"], v["item_id"]) for it in order["items"]
                         for v in seed["products"][it["product_id"]]["variants"].values()
                         if v["available"] and v["item_id"] != it["item_id"]), None)
            if swap is None or paid_with is None:
                continue
            a = Op("cancel_pending_order", {"order_id": oid, "reason": "no longer needed"})
            b = Op("modify_pending_order_items", {"order_id": oid, "item_ids": [swap[0]], "new_item_ids": [swap[1]],
                                                  "payment_method_id": paid_with})
        elif kind == "two_returns" and order["status"] == "delivered" and paid_with is not None:
            items = [it["item_id"] for it in order["items"]]
            a = Op("return_delivered_order_items", {"order_id": oid, "item_ids": items[:1],
                                                    "payment_method_id": paid_with})
            b = Op("return_delivered_order_items", {"order_id": oid, "item_ids": items[-1:],
                                                    "payment_method_id": paid_with})
        elif kind == "two_payments" and order["status"] == "pending" and len(order["payment_history"]) == 1:
            others = [m for m in methods if m != paid_with]
            if len(others) < 2:
                continue
            a = Op("modify_pending_order_payment", {"order_id": oid, "payment_method_id": others[0]})
            b = Op("modify_pending_order_payment", {"order_id": oid, "payment_method_id": others[1]})
        else:
            continue
        if _valid_alone(a, seed) and _valid_alone(b, seed):
            out.append(Race(kind, oid, uid, a, b))
    return out


def plan_races(n: int, seed: dict) -> list[list[Race]]:
    """`n` races, kinds in turn, in rounds whose races touch distinct users (reset between rounds)."""
    pools = {kind: _candidates(kind, seed) for kind in KINDS}
    for kind, pool in pools.items():
        if not pool:
            raise RuntimeError(f"no order in the seed fits a {kind} race")
    rounds: list[list[Race]] = []
    used: list[set[str]] = []
    cursor = dict.fromkeys(KINDS, 0)
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        race = pools[kind][cursor[kind] % len(pools[kind])]
        cursor[kind] += 1
        home = next((k for k, users in enumerate(used) if race.user_id not in users), None)
        if home is None:
            rounds.append([])
            used.append(set())
            home = len(rounds) - 1
        rounds[home].append(race)
        used[home].add(race.user_id)
    return rounds


# -- the two workers --------------------------------------------------------------------------------
def _worker(url: str, side: int, jobs: Any, results: Any, barrier: Any) -> None:
    """Open its own store; for each job wait at the barrier with the other worker, then call."""
    with open_store(url) as store:
        while True:
            job = jobs.get()
            if job is None:
                return
            race_index, op = job
            barrier.wait(timeout=60)
            try:
                getattr(store, op.name)(**op.kwargs, as_user=STAFF)
                results.put((race_index, side, "ok"))
            except StoreError as exc:
                results.put((race_index, side, exc.code))
            except Exception as exc:  # noqa: BLE001 - reported as a failed race, never hidden
                results.put((race_index, side, f"exception: {type(exc).__name__}: {exc}"))


def run_races(url: str, rounds: list[list[Race]]) -> list[dict[str, Any]]:
    """Run every race (rounds in order, the store reset before each round); one record per race."""
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    jobs = [ctx.Queue(), ctx.Queue()]
    workers = [ctx.Process(target=_worker, args=(url, side, jobs[side], results, barrier), daemon=True)
               for side in (0, 1)]
    for w in workers:
        w.start()
    records = []
    try:
        with open_store(url) as admin:
            for rnd in rounds:
                admin.reset()
                for race in rnd:
                    index = len(records)
                    jobs[0].put((index, race.a))
                    jobs[1].put((index, race.b))
                    got = dict((side, outcome) for _, side, outcome in (results.get(timeout=120) for _ in (0, 1)))
                    records.append({"kind": race.kind, "order_id": race.order_id, "a": got[0], "b": got[1]})
                rnd_records = records[len(records) - len(rnd):]
                _check_round(admin.export_data(), rnd, rnd_records)
    finally:
        for q in jobs:
            q.put(None)
        for w in workers:
            w.join(timeout=30)
    return records


def _check_round(exported: dict, rnd: list[Race], records: list[dict]) -> None:
    """Judge each race and compare the exported store with the seed plus the winners, applied purely."""
    seed = load_seed_files(SEED_DIR)
    expected = copy.deepcopy(seed)
    for race, rec in zip(rnd, records):
        outcomes = (rec["a"], rec["b"])
        winners = [op for op, out in zip((race.a, race.b), outcomes) if out == "ok"]
        loser = [out for out in outcomes if out != "ok"]
        rec["one_winner"] = len(winners) == 1
        rec["loser_got_policy_answer"] = loser == [LOSER_CODE[race.kind]]
        if winners:
            for op in winners:  # two winners: apply both, so the comparison below shows the damage too
                try:
                    _apply(op, seed, expected)
                except StoreError:
                    pass
        got_order, want_order = exported["orders"][race.order_id], expected["orders"][race.order_id]
        rec["order_matches"] = got_order == want_order
        rec["user_matches"] = exported["users"][race.user_id] == expected["users"][race.user_id]
        pays = lambda o, t: [p for p in o["payment_history"] if p["transaction_type"] == t]  # noqa: E731
        rec["payments"] = len(pays(got_order, "payment")) - len(pays(want_order, "payment"))
        rec["refunds"] = len(pays(got_order, "refund")) - len(pays(want_order, "refund"))
    rest_equal = all(exported[t][k] == expected[t][k] for t in ("users", "orders") for k in expected[t]
                     if k not in {r.order_id for r in rnd} | {r.user_id for r in rnd})
    for rec in records:
        rec["rest_of_store_untouched"] = rest_equal


def summarize(records: list[dict]) -> dict[str, Any]:
    ok = [r for r in records if r["one_winner"] and r["loser_got_policy_answer"] and r["order_matches"]
          and r["user_matches"] and r["rest_of_store_untouched"]]
    by_kind = {k: {"races": sum(r["kind"] == k for r in records),
                   "a_won": sum(r["kind"] == k and r["a"] == "ok" for r in records),
                   "b_won": sum(r["kind"] == k and r["b"] == "ok" for r in records)} for k in KINDS}
    return {"races": len(records), "races_correct": len(ok),
            "races_with_two_winners": sum(r["a"] == r["b"] == "ok" for r in records),
            "races_with_no_winner": sum("ok" not in (r["a"], r["b"]) for r in records),
            "payments_lost_or_duplicated": sum(abs(r["payments"]) for r in records),
            "refunds_lost_or_duplicated": sum(abs(r["refunds"]) for r in records),
            "by_kind": by_kind, "failures": [r for r in records if r not in ok][:10]}


def bench(url: str, n: int) -> dict[str, Any]:
    rounds = plan_races(n, load_seed_files(SEED_DIR))
    t0 = time.perf_counter()
    records = run_races(url, rounds)
    out = summarize(records)
    out.update(rounds=len(rounds), seconds=round(time.perf_counter() - t0, 2))
    return out


def own_postgres() -> tuple[str, Any]:
    """A fresh migrated database on the local server and a function that drops it."""
    import psycopg

    from engine.store.pg_store import migrate

    admin_url, name = "postgresql://postgres@127.0.0.1:5432/postgres", f"shoptalk_race_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    migrate(url)

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return url, drop


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store-url", action="append", help="store to race on (repeatable); default: own "
                                                         "PostgreSQL database and SQLite file")
    ap.add_argument("--races", type=int, default=200)
    ap.add_argument("--json", help="write the figures (with commit and machine) to this file")
    args = ap.parse_args(argv)
    from machine import machine

    runs, cleanups = [], []
    if args.store_url:
        runs = [(u.split("://")[0] if "://" in u else "sqlite", u) for u in args.store_url]
    else:
        pg_url, drop = own_postgres()
        cleanups.append(drop)
        tmp = tempfile.TemporaryDirectory()
        cleanups.append(tmp.cleanup)
        runs = [("postgresql", pg_url), ("sqlite", str(Path(tmp.name) / "race.sqlite"))]
    report: dict[str, Any] = {"machine": machine(), "races_per_backend": args.races, "backends": {}}
    try:
        for name, url in runs:
            result = bench(url, args.races)
            report["backends"][name] = result
            print(f"{name}: {result['races_correct']}/{result['races']} races correct, two winners "
                  f"{result['races_with_two_winners']}, no winner {result['races_with_no_winner']}, payments "
                  f"lost/duplicated {result['payments_lost_or_duplicated']}, refunds lost/duplicated "
                  f"{result['refunds_lost_or_duplicated']}, {result['seconds']} s; by kind {result['by_kind']}")
    finally:
        for clean in cleanups:
            clean()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    bad = [n for n, r in report["backends"].items() if r["races_correct"] != r["races"]]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["KINDS", "LOSER_CODE", "Race", "bench", "plan_races", "run_races", "summarize"]
