"""change_default_address: the account's default address changes."""
import pytest

from conftest import FlowSuite
from engine.store import STAFF

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


class TestChangeDefaultAddress(FlowSuite):
    trigger = "/change_default_address"
    email = "omar.silva4147@example.com"
    steps = ["12 Oak Street, Apt 5, Austin, TX 78701"]
    final = "default address is now"

    def write(self, store, order_id):
        store.modify_user_address("omar_silva_7446", "12 Oak Street", "Apt 5", "Austin", "TX", "USA", "78701", as_user=STAFF)
