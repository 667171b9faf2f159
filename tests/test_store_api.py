"""The action registry, named checks and the `shoptalk store` CLI."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.store import SEED_DIR, STAFF, SqliteStore, StoreError
from engine.store.actions import ACTIONS, ActionSpec, ParamSpec, call_action
from engine.store.checks import CHECKS

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend

ROOT = Path(__file__).resolve().parents[1]


def code_of(fn, *args, **kwargs) -> str:
    with pytest.raises(StoreError) as info:
        fn(*args, **kwargs)
    return info.value.code


# -- registry ----------------------------------------------------------------------------------------
def test_registry_covers_every_operation_and_is_immutable(store):
    expected = {
        "find_user_id_by_email", "find_user_id_by_name_zip", "get_user_details", "get_order_details",
        "get_product_details", "list_all_product_types", "find_product", "list_user_orders",
        "cancel_pending_order", "modify_pending_order_address", "modify_pending_order_payment",
        "modify_pending_order_items", "return_delivered_order_items", "exchange_delivered_order_items",
        "modify_user_address", "place_order", "transfer_to_human_agents"}
    assert set(ACTIONS) == expected
    with pytest.raises(TypeError):
        ACTIONS["x"] = None  # type: ignore[index]
    spec = ACTIONS["cancel_pending_order"]
    assert isinstance(spec, ActionSpec) and spec.write and spec.needs_user
    assert spec.params == (ParamSpec("order_id", "str", True), ParamSpec("reason", "str", True))
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.write = False  # type: ignore[misc]
    assert not ACTIONS["find_user_id_by_email"].write and not ACTIONS["find_user_id_by_email"].needs_user
    for name, spec in ACTIONS.items():
        assert callable(getattr(store, name)) and spec.description


def test_call_action_scopes_to_signed_in_user(store):
    order = call_action(store, "get_order_details", {"order_id": "#W7678072"}, "noah_brown_6181")
    assert order["user_id"] == "noah_brown_6181"
    assert code_of(call_action, store, "get_order_details", {"order_id": "#W2611340"}, "noah_brown_6181") \
        == "not_your_order"
    assert code_of(call_action, store, "cancel_pending_order",
                   {"order_id": "#W6779827", "reason": "no longer needed"}, "noah_brown_6181") == "not_your_order"
    assert store.get_order_details("#W6779827", as_user=STAFF)["status"] == "pending"
    assert call_action(store, "get_user_details", {}, "noah_brown_6181")["email"] == "noah.brown7922@example.com"
    assert code_of(call_action, store, "get_user_details", {"user_id": "james_li_5688"}, "noah_brown_6181") \
        == "not_your_order"
    assert code_of(call_action, store, "get_order_details", {"order_id": "#W7678072"}, None) == "not_authenticated"


def test_call_action_arguments(store):
    assert call_action(store, "find_user_id_by_name_zip",
                       {"first_name": "Noah", "last_name": "Brown", "zip": 80279}, None) == "noah_brown_6181"
    assert code_of(call_action, store, "find_user_id_by_name_zip", {"first_name": "Noah"}, None) == "bad_arguments"
    with pytest.raises(StoreError) as info:
        call_action(store, "find_user_id_by_email", {"email": "x@y.z", "colour": "red"}, None)
    assert info.value.code == "bad_arguments" and "colour" in info.value.message
    with pytest.raises(StoreError) as info:
        call_action(store, "cancel_pending_order", {"order_id": "#W6779827"}, "ethan_lopez_6291")
    assert "reason" in info.value.message
    assert code_of(call_action, store, "launch_rocket", {}, None) == "unknown_action"
    assert code_of(call_action, store, "return_delivered_order_items",
                   {"order_id": "#W7678072", "item_ids": {"a": 1}, "payment_method_id": "x"},
                   "noah_brown_6181") == "bad_arguments"


def test_call_action_writes_and_returns_json(store):
    result = call_action(store, "cancel_pending_order", {"order_id": "#W6779827", "reason": "ordered by mistake"},
                         "ethan_lopez_6291")
    assert json.loads(json.dumps(result))["status"] == "cancelled"
    placed = call_action(store, "place_order", {"item_ids": "9799386954", "payment_method_id": "paypal_8049766"},
                         "olivia_ito_3591")
    assert placed["user_id"] == "olivia_ito_3591" and placed["items"][0]["item_id"] == "9799386954"
    ticket = call_action(store, "transfer_to_human_agents", {"summary": "needs help"}, "olivia_ito_3591")
    assert store.list_handoffs()[-1]["user_id"] == "olivia_ito_3591" and ticket["ticket_id"]
    assert call_action(store, "list_all_product_types", {}, None)["T-Shirt"] == "9523456873"
    assert call_action(store, "list_user_orders", {}, "noah_brown_6181")[0]["order_id"] == "#W7678072"


# -- checks ------------------------------------------------------------------------------------------
def test_checks_pass(store):
    ok = [("order_of_user", "#W7678072", "noah_brown_6181"), ("order_delivered", "#W7678072", "noah_brown_6181"),
          ("order_pending", "#W6779827", "ethan_lopez_6291"), ("order_modifiable", "W6779827", "ethan_lopez_6291"),
          ("user_exists_email", "noah.brown7922@example.com", None), ("product_exists", "t-shirt", None),
          ("variant_available", "9612497925", None), ("payment_method_of_user", "paypal_5727330", "noah_brown_6181"),
          ("gift_card_of_user", "gift_card_7219486", "ethan_lopez_6291")]
    assert {name for name, _, _ in ok} <= set(CHECKS)
    for name, value, user in ok:
        assert CHECKS[name](store, value, user) is None, name


def test_checks_fail_with_messages_naming_the_value(store):
    store.modify_pending_order_items("#W4923227", ["7751905257"], ["2635605237"], "credit_card_8554680", as_user=STAFF)
    bad = [("order_of_user", "#W2611340", "noah_brown_6181", "not_your_order"),
           ("order_of_user", "#W0000000", "noah_brown_6181", "order_not_found"),
           ("order_of_user", "#W7678072", None, "not_authenticated"),
           ("order_pending", "#W7678072", "noah_brown_6181", "order_not_pending"),
           ("order_modifiable", "#W4923227", "isabella_lopez_6490", "order_not_pending"),
           ("order_delivered", "#W6779827", "ethan_lopez_6291", "order_not_delivered"),
           ("user_exists_email", "nobody@example.com", None, "user_not_found"),
           ("product_exists", "spaceship", None, "product_not_found"),
           ("variant_available", "5047954489", None, "variant_not_available"),
           ("variant_available", "1234", None, "variant_not_found"),
           ("payment_method_of_user", "paypal_1621947", "noah_brown_6181", "payment_method_not_found"),
           ("gift_card_of_user", "paypal_5727330", "noah_brown_6181", "not_a_gift_card")]
    for name, value, user, code in bad:
        with pytest.raises(StoreError) as info:
            CHECKS[name](store, value, user)
        assert info.value.code == code, (name, info.value)
        if user is not None:
            assert value.lstrip("#") in info.value.message, info.value.message
    # "pending (item modified)" still counts as pending, but is no longer modifiable
    assert CHECKS["order_pending"](store, "#W4923227", "isabella_lopez_6490") is None
    with pytest.raises(StoreError) as info:
        CHECKS["order_pending"](store, "#W7678072", "noah_brown_6181")
    assert info.value.message == "Order #W7678072 is delivered, not pending, so it can't be changed or cancelled."


# -- CLI ---------------------------------------------------------------------------------------------
def shoptalk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", "store", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_cli_export_and_reset(tmp_path):
    db, out = tmp_path / "cli.sqlite", tmp_path / "export.json"
    done = shoptalk("--db", str(db), "export", str(out))
    assert done.returncode == 0, done.stderr
    assert "1000 orders" in done.stdout
    seed = {n: json.loads((SEED_DIR / f"{n}.json").read_text()) for n in ("users", "orders", "products")}
    assert json.loads(out.read_text()) == seed
    with SqliteStore(db) as s:
        s.cancel_pending_order("#W6779827", "no longer needed", as_user=STAFF)
    done = shoptalk("reset", "--db", str(db))
    assert done.returncode == 0 and "reset" in done.stdout.lower()
    with SqliteStore(db) as s:
        assert s.export_data() == seed


def test_cli_errors_go_to_stderr(tmp_path):
    done = shoptalk("--db", str(tmp_path / "x.sqlite"), "export", str(tmp_path))  # a folder, not a file
    assert done.returncode != 0 and done.stderr and not done.stdout
    assert shoptalk("--db", str(tmp_path / "x.sqlite")).returncode != 0  # sub-command required


def test_store_imports_without_heavy_dependencies():
    code = ("import sys, engine.store, engine.store.actions, engine.store.checks, engine.store.cli, "
            "engine.store.tau; bad=[m for m in sys.modules if m.split('.')[0] in ('torch','spacy','pydantic')]; "
            "assert not bad, bad")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
