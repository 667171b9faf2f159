"""return_items: delivered items are returned, refunded to the original method or a gift card."""
import pytest

from conftest import FlowSuite
from engine.store import STAFF

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


class TestReturnItems(FlowSuite):
    trigger = "/return_items"
    email = "raj.sanchez2046@example.com"
    order_a, order_b = "#W7736708", "#W1067251"
    steps = [order_a, "the headphones", "to the original payment method"]
    steps_b = ["all of them", '/inform{"refund_method": "gift_card_2259499"}']
    final = "return requested"

    def write(self, store, order_id):
        if order_id == self.order_a:
            store.return_delivered_order_items(order_id, ["3104857380"], "credit_card_3362387", as_user=STAFF)
        else:
            items = [i["item_id"] for i in store.get_order_details(order_id, as_user=STAFF)["items"]]
            store.return_delivered_order_items(order_id, items, "gift_card_2259499", as_user=STAFF)
