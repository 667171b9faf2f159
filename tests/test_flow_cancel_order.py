"""cancel_order: a pending order is cancelled with a reason, refunded to its payment method."""
import pytest

from conftest import FlowSuite
from engine.store import STAFF

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


class TestCancelOrder(FlowSuite):
    trigger = "/cancel_order"
    email = "omar.silva4147@example.com"
    order_a, order_b = "#W9728773", "#W9673784"
    steps = [order_a, "I ordered it by mistake"]
    steps_b = ['/inform{"cancel_reason": "no longer needed"}']
    final = "is cancelled"

    def write(self, store, order_id):
        reason = "ordered by mistake" if order_id == self.order_a else "no longer needed"
        store.cancel_pending_order(order_id, reason, as_user=STAFF)
