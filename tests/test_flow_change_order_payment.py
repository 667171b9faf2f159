"""change_order_payment: a pending order is paid with another of the shopper's methods."""
import pytest

from conftest import FlowSuite
from engine.store import STAFF

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


class TestChangeOrderPayment(FlowSuite):
    trigger = "/change_order_payment"
    email = "omar.silva4147@example.com"
    order_a, order_b = "#W9728773", "#W9673784"
    steps = [order_a, "my paypal"]
    steps_b = []
    final = "now paid with PayPal"

    def write(self, store, order_id):
        store.modify_pending_order_payment(order_id, "paypal_2192303", as_user=STAFF)
