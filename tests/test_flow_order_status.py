"""order_status (read-only): details, tracking or not, another user's order refused."""
import pytest

from conftest import sign_in_by_email, talk

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


def test_happy_path_with_tracking(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    t = talk(conv, "/order_status", *sign_in_by_email("raj.sanchez2046@example.com"), "#W7736708")[-1]
    assert "Order #W7736708 is delivered" in t.text and "Tracking number" in t.text and not t.ended and not t.flow_stack
    assert e.store.export_data() == seed_export


def test_pending_order_has_no_tracking(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    t = talk(conv, "/order_status", *sign_in_by_email("omar.silva4147@example.com"), "#W9728773")[-1]
    assert "is pending" in t.text and "no tracking number" in t.text
    assert e.store.export_data() == seed_export


def test_another_users_order_is_refused(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    t = talk(conv, "/order_status", *sign_in_by_email("omar.silva4147@example.com"), "#W7736708")[-1]
    assert "isn't one of your orders" in t.text and "Raj" not in t.text and "Headphones" not in t.text
    assert t.expecting.slot == "order_id"
    assert e.store.export_data() == seed_export


def test_cancel_and_escalation(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    talk(conv, "/order_status", *sign_in_by_email("omar.silva4147@example.com"))
    t = conv.send("never mind")
    assert "Nothing was changed" in t.text
    talk(conv, "/order_status")
    turns = talk(conv, "zzzz", "zzzz", "zzzz")
    assert "didn't get that" in turns[0].text and "couldn't get your" in turns[-1].text
    assert e.store.export_data() == seed_export
