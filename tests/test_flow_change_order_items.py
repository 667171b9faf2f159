"""change_order_items: items of a pending order change to other options of the same product."""
import pytest

from conftest import FlowSuite
from engine.store import STAFF

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


class TestChangeOrderItems(FlowSuite):
    trigger = "/change_order_items"
    email = "omar.silva4147@example.com"
    order_a, order_b = "#W9728773", "#W9673784"
    steps = [order_a, "the fantasy jigsaw puzzle", '/inform{"new_item_ids": "4068787148"}', '/inform{"payment_method_id": "paypal_2192303"}']
    steps_b = ["the t-shirt", '/inform{"new_item_ids": "9612497925"}']
    final = "pending (item modified)"

    def write(self, store, order_id):
        if order_id == self.order_a:
            store.modify_pending_order_items(order_id, ["7127170374"], ["4068787148"], "paypal_2192303", as_user=STAFF)
        else:
            store.modify_pending_order_items(order_id, ["8124970213"], ["9612497925"], "paypal_2192303", as_user=STAFF)
