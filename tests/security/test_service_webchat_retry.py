"""Security issue #19, part 1 in the browser: the web chat sends every message with a message_id and
reuses it when it retries, so a reply lost on the way back never stores the message twice.

Real headless Chromium against a real server; the page's `fetch` is wrapped to lose replies (the
request reaches the server, the page sees a network error) or to fail outright.
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.browser import headless_chromium
from tests.service_fixtures import RETURN_TRIGGER, Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]


# Wraps fetch: message requests are recorded; `lose` of them reach the server but their reply is
# thrown away; `fail` of them never leave the page.
WRAP = """
window.__sent = []; window.__lose = arguments[0]; window.__fail = arguments[1];
const realFetch = window.fetch.bind(window);
window.fetch = async (url, opts) => {
  if (String(url).includes("/messages") && opts && opts.body) {
    window.__sent.push(JSON.parse(opts.body).message_id);
    if (window.__fail > 0) { window.__fail--; throw new TypeError("test: network down"); }
    if (window.__lose > 0) {
      window.__lose--;
      const r = await realFetch(url, opts);
      await r.text();
      throw new TypeError("test: reply lost");
    }
  }
  return realFetch(url, opts);
};
"""


@pytest.fixture(scope="module")
def browser():
    yield from headless_chromium()


@pytest.fixture(scope="module")
def server():
    tmp = Path(tempfile.mkdtemp(prefix="shoptalk-webretry-"))
    with Server({"SHOPTALK_TRACKER_URL": f"sqlite:///{tmp}/tracker.db", "SHOPTALK_STORE_PATH": str(tmp / "store.db"),
                 "SHOPTALK_GENERATOR": "off"}) as srv:
        srv.wait()
        yield srv


def _wait(driver, script, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}; page: {driver.find_element('id', 'chat').text[-600:]}")


def _open(driver, srv, lose=0, fail=0):
    driver.get(srv.url + "/")
    _wait(driver, "return document.body.dataset.conversation")
    driver.execute_script(WRAP, lose, fail)
    return json.loads(driver.execute_script("return sessionStorage.getItem('shoptalk.conversation')"))


def _stored(srv, conv):
    r = httpx.get(f"{srv.url}/v1/conversations/{conv['conversation_id']}",
                  headers={"Authorization": f"Bearer {conv['token']}"})
    return r.json()["transcript"]


def _type(driver, text):
    driver.find_element("id", "input").send_keys(text)
    driver.find_element("id", "send").click()


def test_lost_reply_is_retried_with_the_same_message_id(browser, server):
    conv = _open(browser, server, lose=1)
    _type(browser, RETURN_TRIGGER)
    _wait(browser, "return document.body.dataset.seq === '1' && document.body.dataset.busy === '0'")
    sent = browser.execute_script("return window.__sent")
    assert len(sent) == 2 and sent[0] == sent[1] and sent[0], sent  # one key, reused
    stored = _stored(server, conv)
    assert [t["user"] for t in stored] == [RETURN_TRIGGER]  # stored once
    shown = browser.execute_script("return [...document.querySelectorAll('.msg.bot')].map(e => e.firstChild.textContent)")
    replies = [m["text"] for m in stored[0]["messages"]]
    assert shown[1:] == replies  # the greeting, then the turn's messages once
    assert not browser.find_element("id", "error").is_displayed()


def test_after_the_last_automatic_retry_a_retry_button_resends_the_same_message(browser, server):
    conv = _open(browser, server, fail=4)
    _type(browser, RETURN_TRIGGER)
    _wait(browser, "return document.getElementById('retry')", timeout=60)
    assert _stored(server, conv) == []
    browser.find_element("id", "retry").click()
    _wait(browser, "return document.body.dataset.seq === '1' && document.body.dataset.busy === '0'")
    sent = browser.execute_script("return window.__sent")
    assert len(sent) == 5 and len(set(sent)) == 1, sent
    assert [t["user"] for t in _stored(server, conv)] == [RETURN_TRIGGER]
    assert len(browser.find_elements("css selector", ".msg.user")) == 1  # the message is shown once
