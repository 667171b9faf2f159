"""change_order_address: a pending order ships to a new address."""
import pytest

from conftest import FlowSuite
from engine.store import STAFF

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend

NEW = "12 Oak Street, Apt 5, Austin, TX 78701"


class TestChangeOrderAddress(FlowSuite):
    trigger = "/change_order_address"
    email = "omar.silva4147@example.com"
    order_a, order_b = "#W9728773", "#W9673784"
    steps = [order_a, NEW]
    steps_b = [NEW]
    final = "will ship to"

    def write(self, store, order_id):
        store.modify_pending_order_address(order_id, "12 Oak Street", "Apt 5", "Austin", "TX", "USA", "78701", as_user=STAFF)
