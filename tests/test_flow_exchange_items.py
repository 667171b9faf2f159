"""exchange_items: delivered items are exchanged for available options of the same product."""
import pytest

from conftest import FlowSuite
from engine.store import STAFF

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


class TestExchangeItems(FlowSuite):
    trigger = "/exchange_items"
    email = "raj.sanchez2046@example.com"
    order_a, order_b = "#W7736708", "#W1067251"
    steps = [order_a, "the headphones", '/inform{"new_item_ids": "3374679624"}', '/inform{"payment_method_id": "gift_card_2259499"}']
    steps_b = ["the wireless earbuds", '/inform{"new_item_ids": "9580569596"}']
    final = "exchange for order"

    def write(self, store, order_id):
        if order_id == self.order_a:
            store.exchange_delivered_order_items(order_id, ["3104857380"], ["3374679624"], "gift_card_2259499", as_user=STAFF)
        else:
            store.exchange_delivered_order_items(order_id, ["6452271382"], ["9580569596"], "gift_card_2259499", as_user=STAFF)
