"""checkout: browse a product and its options, cart, address (a branch), payment, confirm, place."""
import pytest

from conftest import FlowSuite, talk
from engine.store import STAFF

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend

ADDR = "12 Oak Street, Apt 5, Austin, TX 78701"


class TestCheckout(FlowSuite):
    trigger = "/checkout"
    email = "omar.silva4147@example.com"
    steps = ["a t-shirt", '/inform{"item_id": "9612497925"}', "/deny", "/affirm",
             '/inform{"payment_method_id": "paypal_2192303"}']
    final = "is placed"

    def write(self, store, order_id):
        store.place_order("omar_silva_7446", ["9612497925"], None, "paypal_2192303", as_user=STAFF)


def test_two_products_and_a_new_address(engine, fresh_store):
    e = engine()
    conv = e.new_conversation()
    turns = talk(conv, "/checkout", '/inform{"auth_method": "email"}', "omar.silva4147@example.com",
                 "a t-shirt", '/inform{"item_id": "9612497925"}', "/affirm",  # more items: yes
                 "a water bottle")
    assert turns[-1].expecting.slot == "item_id"
    bottle = turns[-1].expecting.choices[0].value
    turns = talk(conv, f'/inform{{"item_id": "{bottle}"}}', "/deny",  # nothing else
                 "/deny", ADDR, "/inform{\"payment_method_id\": \"credit_card_5322562\"}")
    assert "order 2 item(s)" in turns[-1].text and "Austin" in turns[-1].text
    done = conv.send("/affirm")
    assert "is placed" in done.text
    s = fresh_store()
    s.place_order("omar_silva_7446", ["9612497925", bottle],
                  {"address1": "12 Oak Street", "address2": "Apt 5", "city": "Austin", "state": "TX",
                   "country": "USA", "zip": "78701"}, "credit_card_5322562", as_user=STAFF)
    assert e.store.export_data() == s.export_data()


def test_correction_after_the_address_branch(engine, fresh_store):
    """The shopper took the default-address branch, then gives a different address at the
    confirmation: the flow replays from the step that used it and ships to the new one."""
    e = engine()
    conv = e.new_conversation()
    talk(conv, "/checkout", '/inform{"auth_method": "email"}', "omar.silva4147@example.com",
         "a t-shirt", '/inform{"item_id": "9612497925"}', "/deny", "/affirm",
         '/inform{"payment_method_id": "paypal_2192303"}')
    t = conv.send(f"actually ship it to {ADDR}")
    assert "changed the shipping address" in t.text, t.text
    assert t.expecting is not None and t.expecting.slot == "confirmation", t.text
    assert "Austin" in t.text and "San Diego" not in t.text
    conv.send("/affirm")
    s = fresh_store()
    s.place_order("omar_silva_7446", ["9612497925"],
                  {"address1": "12 Oak Street", "address2": "Apt 5", "city": "Austin", "state": "TX",
                   "country": "USA", "zip": "78701"}, "paypal_2192303", as_user=STAFF)
    assert e.store.export_data() == s.export_data()
