"""handoff: a ticket with a summary; the shop's orders, users and products are unchanged."""
import pytest

from conftest import sign_in_by_email, talk

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


def test_handoff_creates_ticket(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    t = conv.send("/handoff")
    assert "human agent" in t.text and "HT-" in t.text and t.ended
    assert [a.name for a in t.actions] == ["transfer_to_human_agents"] and t.actions[0].ok
    assert len(e.store.list_handoffs()) == 1
    assert e.store.export_data() == seed_export


def test_handoff_mid_flow_summarises_collected_slots(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    talk(conv, "/cancel_order", *sign_in_by_email("omar.silva4147@example.com"), "#W9728773")
    t = conv.send("/handoff")
    assert "human agent" in t.text and t.ended
    summary = e.store.list_handoffs()[0]["summary"]
    assert "#W9728773" in summary
    assert e.store.export_data() == seed_export
