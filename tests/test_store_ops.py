"""Every store backend: every operation's exact effect on the seed data, and every rejection leaving it untouched."""
from __future__ import annotations

import inspect
import json
import threading
from pathlib import Path

import pytest

from engine.store import SEED_DIR, STAFF, Store, StoreError, open_store

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


def seed(name: str) -> dict:
    return json.loads((SEED_DIR / f"{name}.json").read_text())


def rejected(store: Store, code: str, method: str, *args, **kwargs) -> StoreError:
    """Assert the call fails with `code` and changes nothing at all."""
    before = store.export_data()
    call = getattr(store, method)
    if "as_user" in inspect.signature(call).parameters:
        kwargs.setdefault("as_user", STAFF)  # staff, unless the test names a shopper
    with pytest.raises(StoreError) as info:
        call(*args, **kwargs)
    assert info.value.code == code, info.value.message
    assert info.value.message and info.value.message[-1] in ".!?"
    assert store.export_data() == before
    return info.value


def balance(store: Store, user_id: str, method_id: str) -> float:
    return store.get_user_details(user_id, as_user=STAFF)["payment_methods"][method_id]["balance"]


# -- creation, export, reset -------------------------------------------------------------------------
def test_fresh_export_equals_seed_files_including_key_order(store):
    data = store.export_data()
    for name in ("users", "orders", "products"):
        expected = seed(name)
        assert data[name] == expected
        assert list(data[name]) == list(expected)
    first = next(iter(data["orders"].values()))
    assert list(first) == list(next(iter(seed("orders").values())))


def test_export_writes_seed_shaped_json(store, tmp_path):
    out = store.export(tmp_path / "out" / "dump.json")
    assert json.loads(out.read_text()) == {n: seed(n) for n in ("users", "orders", "products")}


def test_reset_restores_seed_and_clears_handoffs(store):
    store.cancel_pending_order("#W6779827", "no longer needed", as_user=STAFF)
    store.transfer_to_human_agents("help", "ethan_lopez_6291")
    store.reset()
    assert store.export_data()["orders"] == seed("orders")
    assert store.list_handoffs() == []


def test_open_store_default_path_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPTALK_STORE", str(tmp_path / "sub" / "env.sqlite"))
    with open_store() as s:
        assert s.path == tmp_path / "sub" / "env.sqlite"
        assert s.path.exists()
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    monkeypatch.delenv("SHOPTALK_STORE")
    monkeypatch.chdir(tmp_path)
    with open_store() as s:
        assert (tmp_path / "var" / "store.sqlite").exists()


def test_reopen_keeps_changes(store):
    store.cancel_pending_order("#W6779827", "ordered by mistake", as_user=STAFF)
    store.close()
    with open_store(store.url) as again:
        assert again.get_order_details("#W6779827", as_user=STAFF)["status"] == "cancelled"


# -- reads -------------------------------------------------------------------------------------------
def test_find_user(store):
    assert store.find_user_id_by_email(" Noah.Brown7922@example.com ") == "noah_brown_6181"
    assert store.find_user_id_by_name_zip(" noah ", "BROWN", "80279") == "noah_brown_6181"
    rejected(store, "user_not_found", "find_user_id_by_email", "nobody@example.com")
    rejected(store, "user_not_found", "find_user_id_by_name_zip", "Noah", "Brown", "00000")


def test_get_details(store):
    assert store.get_user_details("noah_brown_6181", as_user=STAFF) == seed("users")["noah_brown_6181"]
    assert store.get_order_details("#W2611340", as_user=STAFF) == seed("orders")["#W2611340"]
    assert store.get_order_details("w2611340", as_user=STAFF)["order_id"] == "#W2611340"  # typed without '#'
    assert store.get_product_details("9523456873") == seed("products")["9523456873"]
    rejected(store, "user_not_found", "get_user_details", "ghost_1", as_user=STAFF)
    rejected(store, "order_not_found", "get_order_details", "#W0000000", as_user=STAFF)
    rejected(store, "product_not_found", "get_product_details", "123")


def test_product_lookup(store):
    types = store.list_all_product_types()
    assert len(types) == 50 and types["T-Shirt"] == "9523456873"
    assert list(types) == sorted(types)
    assert store.find_product("t-shirt")["product_id"] == "9523456873"
    assert store.find_product("T Shirt")["product_id"] == "9523456873"
    assert store.find_product("9523456873")["name"] == "T-Shirt"
    rejected(store, "product_not_found", "find_product", "spaceship")


def test_list_user_orders(store):
    assert store.list_user_orders("noah_brown_6181", as_user=STAFF) == [{
        "order_id": "#W7678072", "status": "delivered",
        "items": ["Electric Kettle", "Gaming Mouse", "Backpack"], "total": 514.48}]


def test_as_user_refusals(store):
    rejected(store, "not_your_order", "get_order_details", "#W2611340", as_user="noah_brown_6181")
    rejected(store, "not_your_order", "get_user_details", "james_li_5688", as_user="noah_brown_6181")
    rejected(store, "not_your_order", "list_user_orders", "james_li_5688", as_user="noah_brown_6181")
    rejected(store, "not_your_order", "cancel_pending_order", "#W6779827", "no longer needed",
             as_user="noah_brown_6181")
    rejected(store, "not_your_order", "modify_user_address", "james_li_5688", "1 A St", "", "X", "NY", "USA",
             "10001", as_user="noah_brown_6181")
    assert store.get_order_details("#W2611340", as_user="james_li_5688")["user_id"] == "james_li_5688"


# -- cancel ------------------------------------------------------------------------------------------
def test_cancel_refunds_gift_card_at_once(store):
    order = store.cancel_pending_order("#W6779827", "no longer needed", as_user="ethan_lopez_6291")
    assert order["status"] == "cancelled"
    assert order["cancel_reason"] == "no longer needed"
    assert order["payment_history"] == [
        {"transaction_type": "payment", "amount": 4079.45, "payment_method_id": "gift_card_7219486"},
        {"transaction_type": "refund", "amount": 4079.45, "payment_method_id": "gift_card_7219486"}]
    assert balance(store, "ethan_lopez_6291", "gift_card_7219486") == 4128.45
    assert store.get_order_details("#W6779827", as_user=STAFF) == order


def test_cancel_rejections(store):
    err = rejected(store, "order_not_pending", "cancel_pending_order", "#W5866402", "no longer needed")
    assert "#W5866402" in err.message and "delivered" in err.message
    rejected(store, "invalid_reason", "cancel_pending_order", "#W6779827", "too expensive")
    rejected(store, "order_not_found", "cancel_pending_order", "#W0000000", "no longer needed")


# -- modify pending order ----------------------------------------------------------------------------
ADDRESS = ("1 Main St", "Apt 2", "Austin", "TX", "USA", "78701")


def test_modify_order_address(store):
    order = store.modify_pending_order_address("#W4923227", *ADDRESS, as_user=STAFF)
    assert order["address"] == {"address1": "1 Main St", "address2": "Apt 2", "city": "Austin",
                                "country": "USA", "state": "TX", "zip": "78701"}
    assert order["status"] == "pending"
    rejected(store, "order_not_pending", "modify_pending_order_address", "#W2611340", *ADDRESS)
    rejected(store, "invalid_address", "modify_pending_order_address", "#W4923227", "", "", "Austin", "TX",
             "USA", "78701")


def test_modify_payment_to_paypal(store):
    order = store.modify_pending_order_payment("#W4923227", "paypal_1621947", as_user=STAFF)
    assert order["status"] == "pending"
    assert order["payment_history"][1:] == [
        {"transaction_type": "payment", "amount": 321.18, "payment_method_id": "paypal_1621947"},
        {"transaction_type": "refund", "amount": 321.18, "payment_method_id": "credit_card_8554680"}]


def test_modify_payment_gift_card_debit_and_credit(store):
    # old payment on a gift card: credited back at once
    store.modify_pending_order_payment("#W6779827", "credit_card_9789590", as_user=STAFF)
    assert balance(store, "ethan_lopez_6291", "gift_card_7219486") == 4128.45
    # new payment on a gift card: debited
    placed = store.place_order("olivia_ito_3591", ["9799386954"], None, "paypal_8049766", as_user=STAFF)
    order = store.modify_pending_order_payment(placed["order_id"], "gift_card_7794233", as_user="olivia_ito_3591")
    assert order["payment_history"] == [
        {"transaction_type": "payment", "amount": 28.59, "payment_method_id": "paypal_8049766"},
        {"transaction_type": "payment", "amount": 28.59, "payment_method_id": "gift_card_7794233"},
        {"transaction_type": "refund", "amount": 28.59, "payment_method_id": "paypal_8049766"}]
    assert balance(store, "olivia_ito_3591", "gift_card_7794233") == 27.41
    rejected(store, "payment_not_changeable", "modify_pending_order_payment", order["order_id"], "paypal_8049766")


def test_modify_payment_rejections(store):
    rejected(store, "insufficient_gift_card_balance", "modify_pending_order_payment", "#W4923227",
             "gift_card_8245350")
    rejected(store, "same_payment_method", "modify_pending_order_payment", "#W4923227", "credit_card_8554680")
    rejected(store, "payment_method_not_found", "modify_pending_order_payment", "#W4923227", "paypal_5727330")
    rejected(store, "order_not_pending", "modify_pending_order_payment", "#W5866402", "gift_card_7794233")


def test_modify_items_refund_to_gift_card(store):
    order = store.modify_pending_order_items("#W4923227", ["7751905257"], ["2635605237"], "gift_card_8245350", as_user=STAFF)
    assert order["status"] == "pending (item modified)"
    item = order["items"][0]
    assert (item["item_id"], item["price"]) == ("2635605237", 271.89)
    assert item["options"] == seed("products")["4768869376"]["variants"]["2635605237"]["options"]
    assert order["payment_history"][-1] == {"transaction_type": "refund", "amount": 49.29,
                                            "payment_method_id": "gift_card_8245350"}
    assert balance(store, "isabella_lopez_6490", "gift_card_8245350") == 109.29
    # items can be modified once only
    rejected(store, "order_not_pending", "modify_pending_order_items", "#W4923227", ["2635605237"],
             ["1689914594"], "gift_card_8245350")
    rejected(store, "order_not_pending", "cancel_pending_order", "#W4923227", "no longer needed")


def test_modify_items_rejections(store):
    args = ("#W4923227",)
    pm = "credit_card_8554680"
    rejected(store, "variant_not_available", "modify_pending_order_items", *args, ["7751905257"], ["6455132774"], pm)
    rejected(store, "different_product", "modify_pending_order_items", *args, ["7751905257"], ["9612497925"], pm)
    rejected(store, "variant_not_found", "modify_pending_order_items", *args, ["7751905257"], ["1"], pm)
    rejected(store, "same_item", "modify_pending_order_items", *args, ["7751905257"], ["7751905257"], pm)
    rejected(store, "item_not_in_order", "modify_pending_order_items", *args, ["9612497925"], ["2635605237"], pm)
    rejected(store, "item_not_in_order", "modify_pending_order_items", *args, ["7751905257"] * 2,
             ["2635605237"] * 2, pm)
    rejected(store, "item_count_mismatch", "modify_pending_order_items", *args, ["7751905257"], [], pm)
    rejected(store, "payment_method_not_found", "modify_pending_order_items", *args, ["7751905257"],
             ["2635605237"], "paypal_5727330")
    rejected(store, "order_not_pending", "modify_pending_order_items", "#W5866402", ["9727387530"],
             ["6477915553"], "paypal_8049766")


def test_modify_items_allow_unchanged_for_tau(store):
    order = store.modify_pending_order_items("#W4923227", ["7751905257"], ["7751905257"], "credit_card_8554680",
                                             allow_unchanged=True, as_user=STAFF)
    assert order["payment_history"][-1] == {"transaction_type": "refund", "amount": 0.0,
                                            "payment_method_id": "credit_card_8554680"}
    assert order["status"] == "pending (item modified)"


# -- return / exchange -------------------------------------------------------------------------------
def test_return_to_original_or_gift_card(store):
    order = store.return_delivered_order_items("#W5866402", ["9727387530", "6242772310"], "paypal_8049766", as_user=STAFF)
    assert order["status"] == "return requested"
    assert order["return_items"] == ["6242772310", "9727387530"]
    assert order["return_payment_method_id"] == "paypal_8049766"
    assert order["payment_history"] == seed("orders")["#W5866402"]["payment_history"]
    store.reset()
    order = store.return_delivered_order_items("#W5866402", ["9727387530"], "gift_card_7794233", as_user=STAFF)
    assert order["return_payment_method_id"] == "gift_card_7794233"


def test_return_rejections(store):
    rejected(store, "refund_method_not_allowed", "return_delivered_order_items", "#W5866402", ["9727387530"],
             "credit_card_9753331")
    rejected(store, "payment_method_not_found", "return_delivered_order_items", "#W5866402", ["9727387530"],
             "paypal_1621947")
    rejected(store, "item_not_in_order", "return_delivered_order_items", "#W5866402", ["9727387530"] * 2,
             "paypal_8049766")
    rejected(store, "order_not_delivered", "return_delivered_order_items", "#W4923227", ["7751905257"],
             "credit_card_8554680")
    rejected(store, "no_items", "return_delivered_order_items", "#W5866402", [], "paypal_8049766")


def test_exchange(store):
    order = store.exchange_delivered_order_items("#W5866402", ["9727387530", "6242772310"],
                                                 ["6477915553", "3714494375"], "gift_card_7794233", as_user=STAFF)
    assert order["status"] == "exchange requested"
    assert order["exchange_items"] == ["6242772310", "9727387530"]
    assert order["exchange_new_items"] == ["3714494375", "6477915553"]
    assert order["exchange_payment_method_id"] == "gift_card_7794233"
    assert order["exchange_price_difference"] == -307.5
    assert order["items"] == seed("orders")["#W5866402"]["items"]  # nothing swapped until items come back
    assert balance(store, "olivia_ito_3591", "gift_card_7794233") == 56


def test_exchange_rejections(store):
    rejected(store, "insufficient_gift_card_balance", "exchange_delivered_order_items", "#W5866402",
             ["6242772310"], ["3951031513"], "gift_card_7794233")
    rejected(store, "order_not_delivered", "exchange_delivered_order_items", "#W4923227", ["7751905257"],
             ["2635605237"], "credit_card_8554680")
    rejected(store, "different_product", "exchange_delivered_order_items", "#W5866402", ["6242772310"],
             ["6477915553"], "paypal_8049766")
    rejected(store, "item_count_mismatch", "exchange_delivered_order_items", "#W5866402", ["6242772310"],
             ["3714494375", "6477915553"], "paypal_8049766")


# -- user address, checkout, handoff -----------------------------------------------------------------
def test_modify_user_address(store):
    user = store.modify_user_address("noah_brown_6181", *ADDRESS, as_user="noah_brown_6181")
    assert user["address"]["city"] == "Austin" and user["address"]["zip"] == "78701"
    assert store.find_user_id_by_name_zip("Noah", "Brown", "78701") == "noah_brown_6181"
    rejected(store, "user_not_found", "modify_user_address", "ghost_1", *ADDRESS)


def test_place_order_gift_card_debit_and_unique_ids(store):
    first = store.place_order("olivia_ito_3591", ["9799386954"], None, "gift_card_7794233", as_user="olivia_ito_3591")
    assert first["status"] == "pending" and first["fulfillments"] == []
    assert first["user_id"] == "olivia_ito_3591"
    assert first["address"] == seed("users")["olivia_ito_3591"]["address"]
    assert list(first) == list(next(iter(seed("orders").values())))
    (item,) = first["items"]
    assert (item["name"], item["item_id"], item["price"]) == ("Notebook", "9799386954", 28.59)
    assert list(item) == ["name", "product_id", "item_id", "price", "options"]
    assert first["payment_history"] == [{"transaction_type": "payment", "amount": 28.59,
                                         "payment_method_id": "gift_card_7794233"}]
    assert balance(store, "olivia_ito_3591", "gift_card_7794233") == 27.41
    rejected(store, "insufficient_gift_card_balance", "place_order", "olivia_ito_3591", ["9799386954"],
             None, "gift_card_7794233")
    address = dict(zip(("address1", "address2", "city", "state", "country", "zip"), ADDRESS))
    second = store.place_order("olivia_ito_3591", ["9799386954", "9799386954", "6477915553"], address,
                               "paypal_8049766", as_user=STAFF)
    assert second["payment_history"][0]["amount"] == round(2 * 28.59 + 186.45, 2) == 243.63
    assert second["address"]["city"] == "Austin"
    ids = [first["order_id"], second["order_id"]]
    ids += [store.place_order("olivia_ito_3591", ["9799386954"], None, "paypal_8049766", as_user=STAFF)["order_id"]
            for _ in range(5)]
    assert len(set(ids)) == 7 and all(len(i) == 9 and i.startswith("#W") and i[2:].isdigit() for i in ids)
    assert not set(ids) & set(seed("orders"))
    assert store.get_user_details("olivia_ito_3591", as_user=STAFF)["orders"][-7:] == ids
    assert list(store.export_data()["orders"])[-7:] == ids
    assert store.list_user_orders("olivia_ito_3591", as_user=STAFF)[-1]["total"] == 28.59


def test_place_order_rejections(store):
    rejected(store, "empty_cart", "place_order", "olivia_ito_3591", [], None, "paypal_8049766")
    rejected(store, "variant_not_available", "place_order", "olivia_ito_3591", ["5047954489"], None,
             "paypal_8049766")
    rejected(store, "variant_not_found", "place_order", "olivia_ito_3591", ["1"], None, "paypal_8049766")
    rejected(store, "payment_method_not_found", "place_order", "olivia_ito_3591", ["9799386954"], None,
             "paypal_1621947")
    rejected(store, "user_not_found", "place_order", "ghost_1", ["9799386954"], None, "paypal_8049766")
    rejected(store, "not_your_order", "place_order", "olivia_ito_3591", ["9799386954"], None, "paypal_8049766",
             as_user="noah_brown_6181")


def test_handoff_tickets(store):
    first = store.transfer_to_human_agents("Wants a refund to a new card", "noah_brown_6181")
    second = store.transfer_to_human_agents("Other question")
    assert first["ticket_id"] != second["ticket_id"] and first["ticket_id"] in first["message"]
    tickets = store.list_handoffs()
    assert [(t["user_id"], t["summary"]) for t in tickets] == [
        ("noah_brown_6181", "Wants a refund to a new card"), (None, "Other question")]
    assert "handoffs" not in store.export_data()
    rejected(store, "bad_arguments", "transfer_to_human_agents", "  ")


def test_concurrent_writers_from_threads(store):
    """One store shared by threads (as in the service): every checkout lands, ids stay unique."""
    errors: list[Exception] = []

    def buy() -> None:
        try:
            for _ in range(5):
                store.place_order("olivia_ito_3591", ["9799386954"], None, "paypal_8049766", as_user=STAFF)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=buy) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    orders = store.get_user_details("olivia_ito_3591", as_user=STAFF)["orders"]
    assert len(orders) == len(set(orders)) == len(seed("users")["olivia_ito_3591"]["orders"]) + 30


def test_second_connection_sees_committed_writes(store):
    with open_store(store.url) as other:
        store.cancel_pending_order("#W6779827", "no longer needed", as_user=STAFF)
        assert other.get_order_details("#W6779827", as_user=STAFF)["status"] == "cancelled"
