"""The web chat page in real headless Chromium (selenium): finish a return by clicking and typing."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest

from tests.browser import headless_chromium
from tests.service_fixtures import RETURN_EMAIL, RETURN_TRIGGER, Server, informed, store_changes

pytestmark = [pytest.mark.browser, pytest.mark.slow]



@pytest.fixture(scope="module")
def browser():
    yield from headless_chromium()


@pytest.fixture(scope="module")
def server():
    tmp = Path(tempfile.mkdtemp(prefix="shoptalk-web-"))
    srv = Server({"SHOPTALK_TRACKER_URL": f"sqlite:///{tmp}/tracker.db", "SHOPTALK_STORE_PATH": str(tmp / "store.db"),
                  "SHOPTALK_GENERATOR": "off"})
    try:
        srv.wait()
        yield srv, tmp / "store.db"
    finally:
        srv.stop()


def _wait(driver, predicate, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate(driver)
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; page said: "
                         + driver.find_element("id", "messages").text[-800:])


def _seq(driver) -> int:
    return int(driver.execute_script("return document.body.dataset.seq || '0'"))


def _type(driver, text):
    box = driver.find_element("id", "input")
    box.send_keys(text)
    driver.find_element("id", "send").click()


def _click(driver, predicate) -> str:
    """Click the last enabled button that matches; return its payload."""
    buttons = [b for b in driver.find_elements("css selector", ".buttons button:not([disabled])") if predicate(b)]
    assert buttons, "no matching button on the page"
    payload = buttons[-1].get_attribute("data-payload")
    buttons[-1].click()
    return payload


def test_finish_a_return_in_the_browser(browser, server, tmp_path):
    from engine.store import SqliteStore, open_store

    srv, store_path = server
    with SqliteStore(tmp_path / "seed.sqlite") as seed:  # the server's store starts from the same seed
        before = seed.export_data()
    d = browser
    d.get(srv.url + "/?designer=1")  # the state panel is checked below
    _wait(d, lambda d: d.execute_script("return document.body.dataset.conversation"), what="conversation start")
    assert d.find_element("id", "designer").tag_name == "details"

    steps = [
        ("type", RETURN_TRIGGER),
        ("click", lambda b: "email" in b.get_attribute("data-payload")),   # "My email"
        ("type", RETURN_EMAIL),
        ("click", lambda b: "return_item_ids" in b.get_attribute("data-payload")),  # the first item
        ("click", lambda b: "refund_method" in b.get_attribute("data-payload")),  # refund to the card
        ("click", lambda b: b.get_attribute("data-payload") == "/affirm"),  # Yes
    ]
    clicked = []
    for n, (kind, what) in enumerate(steps, start=1):
        if kind == "type":
            _type(d, what)
        else:
            _wait(d, lambda d: d.find_elements("css selector", ".buttons button:not([disabled])"), what="buttons")
            clicked.append(_click(d, what))
        _wait(d, lambda d: _seq(d) == n, what=f"turn {n}")
        _wait(d, lambda d: d.execute_script("return document.body.dataset.busy") == "0", what="idle")
        assert not d.find_element("id", "typing").is_displayed()

    page = d.find_element("id", "messages").text
    assert "Yusuf" in page
    # the designer panel shows route, active flow and slots
    d.find_element("css selector", "#designer summary").click()
    assert d.find_element("id", "d-route").text.split()[0] in ("affirm", "slot_answer", "confirm")
    assert "#W2378156" in d.find_element("id", "d-slots").text
    # exactly the return the shopper clicked was written, and nothing else in the store changed
    chosen = informed(clicked)  # one item button, one refund button
    with open_store(str(store_path)) as after:
        changes = store_changes(before, after.export_data())
    assert changes == {("orders", "#W2378156"): {
        "status": ("delivered", "return requested"),
        "return_items": (None, [chosen["return_item_ids"]]),
        "return_payment_method_id": (None, chosen["refund_method"]),
    }}, changes

    # restart starts a fresh conversation
    old = d.execute_script("return document.body.dataset.conversation")
    d.find_element("id", "restart").click()
    _wait(d, lambda d: d.execute_script("return document.body.dataset.conversation") not in (None, old),
          what="restart")
    assert len(d.find_elements("css selector", "#messages li")) == 1
