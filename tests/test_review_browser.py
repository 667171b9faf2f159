"""The review loop end to end in headless Chromium, on a copy of the project (the retrain writes its
models/ and intents/): unknown messages appear in the inbox, grouped; a designer assigns the group
to an intent (an invalid intent is refused first, with file:line, and nothing is written); the
router retrains in the background with the route bench before and after; the same messages then
start the flow; the intents file holds them. Screenshots of the analytics page and the inbox, and
the charts must be drawn (non-empty SVG)."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.browser import headless_chromium
from tests.service_fixtures import ROOT, Server

pytestmark = [pytest.mark.browser, pytest.mark.slow]
KEY = "rev-secret"
UNKNOWN = ["the goods have gone walkabout", "my things went walkabout again", "the goods went walkabout again",
           "my gear is on a walkabout"]
OTHER = ["sing me a song about socks", "what's the weather on mars"]
SHOTS = Path(os.environ.get("SHOPTALK_SCREENSHOTS", tempfile.gettempdir())) / "shoptalk-review-screens"


@pytest.fixture(scope="module")
def browser():
    yield from headless_chromium()


@pytest.fixture(scope="module")
def project():
    tmp = Path(tempfile.mkdtemp(prefix="shoptalk-review-project-"))
    for name in ("flows", "intents", "knowledge", "schemas"):
        shutil.copytree(ROOT / name, tmp / name)
    (tmp / "models").mkdir()
    shutil.copytree(ROOT / "models" / "router", tmp / "models" / "router",
                    ignore=shutil.ignore_patterns(".train.lock"))
    for settings in (ROOT / "models").glob("*.yaml"):
        shutil.copy(settings, tmp / "models" / settings.name)
    (tmp / "bench").symlink_to(ROOT / "bench")  # the route bench and its realistic sets
    yield tmp
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def server(project):
    srv = Server({"SHOPTALK_PROJECT_DIR": str(project), "SHOPTALK_TRACKER_URL": f"sqlite:///{project}/tracker.db",
                  "SHOPTALK_STORE_PATH": str(project / "store.db"), "SHOPTALK_GENERATOR": "off",
                  "SHOPTALK_API_KEYS": f"rev:{KEY}", "SHOPTALK_ANALYTICS_REFRESH_SECONDS": "0"})
    try:
        srv.wait(timeout=900)  # trains the copy's router first when the code's model version moved on
        yield srv
    finally:
        srv.stop()


def _wait(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # the element is not there yet
            last = exc
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what} ({last})")


def _send(api: httpx.Client, text: str) -> dict:
    cid = api.post("/v1/conversations").json()["conversation_id"]
    r = api.post(f"/v1/conversations/{cid}/messages", json={"text": text})
    assert r.status_code == 200, r.text
    return r.json()


def _with_key(driver, url: str) -> None:
    driver.get(url)
    driver.execute_script("sessionStorage.setItem('shoptalk.apikey', arguments[0])", KEY)
    driver.refresh()
    _wait(lambda: driver.execute_script("return document.body.dataset.loaded") == "1", 120, f"{url} to load")


def test_review_loop(browser, server, project):
    SHOTS.mkdir(parents=True, exist_ok=True)
    api = httpx.Client(base_url=server.url, headers={"X-API-Key": KEY}, timeout=60)
    before = [_send(api, t)["route"] for t in UNKNOWN[1:] + OTHER]
    rated = _send(api, '/order_status{"order_id": "#W5918442"}')
    assert api.post(f"/v1/conversations/{rated['conversation_id']}/feedback", json={"rating": 4}).status_code == 201
    assert all(r["label"] != "order_status" for r in before), before

    # a shopper types the first one in the web chat and gives it a thumbs-down
    browser.get(server.url + "/")
    browser.execute_script("window.prompt = () => 'it did not understand me'")
    _wait(lambda: browser.find_element("css selector", "#messages li.msg.bot"), what="the greeting")
    browser.find_element("id", "input").send_keys(UNKNOWN[0])
    browser.find_element("id", "send").click()
    down = _wait(lambda: browser.find_element("css selector", "li.msg.bot .feedback button[data-thumb=down]"),
                 60, "the thumbs under the reply")
    down.click()
    _wait(lambda: "Thanks" in browser.find_element("css selector", ".feedback-note").text, what="feedback stored")
    browser.save_screenshot(str(SHOTS / "chat-thumbs.png"))

    # 1. the unknown messages appear in the inbox, grouped
    _with_key(browser, server.url + "/designer/review")
    group = _wait(lambda: next(g for g in browser.find_elements("css selector", ".group") if "walkabout" in g.text),
                  what="the walkabout group")
    assert int(group.get_attribute("data-count")) == len(UNKNOWN), group.text
    assert "thumbs_down" in group.text
    others = [g for g in browser.find_elements("css selector", ".group") if "walkabout" not in g.text]
    assert any("socks" in g.text for g in others) and all("walkabout" not in g.text for g in others)

    # an invalid intents write is refused with the validation error, and nothing is written
    box = group.find_element("css selector", "input.intent")
    box.send_keys("not_an_intent")
    group.find_element("css selector", "button.assign").click()
    error = _wait(lambda: group.find_element("css selector", ".result.error").text, what="the refusal")
    assert "unknown intent 'not_an_intent'" in error and "review_not_an_intent.yaml:3" in error, error
    assert not (project / "intents" / "review_not_an_intent.yaml").exists()
    assert not list((project / "intents").glob(".*tmp"))

    # 2. assign the group to order_status; 3. the retrain runs, with the route bench before and after
    box.clear()
    box.send_keys("order_status")
    group.find_element("css selector", "button.assign").click()
    written = _wait(lambda: group.find_element("css selector", ".result.ok").text, what="the write")
    shown = [line.rsplit(":", 1) for line in written.splitlines()[1:]]
    lines = (project / "intents" / "review_order_status.yaml").read_text().splitlines()
    on_lines = {next(t for t in UNKNOWN if f'"{t}"' in lines[int(n) - 1]) for _, n in shown}  # file:line is right
    assert on_lines == set(UNKNOWN) and len(shown) == len(UNKNOWN), written
    _wait(lambda: browser.find_element("id", "retrain").get_attribute("data-state") in ("done", "failed"), 1200,
          "the retrain")
    status = api.get("/v1/review/retrain").json()
    assert status["state"] == "done", status
    assert status["after"]["assigned"]["routed_to_intent"] == len(UNKNOWN), status["after"]
    assert status["before"]["overall"] > 0.8 and status["after"]["overall"] > 0.8
    assert browser.find_element("css selector", "tr.assigned .after").text == f"{len(UNKNOWN)} of {len(UNKNOWN)}"
    browser.save_screenshot(str(SHOTS / "review-inbox.png"))

    # 4. the same messages now start the flow
    for text in UNKNOWN:
        turn = _send(api, text)
        assert turn["route"]["label"] == "order_status", (text, turn["route"])
        assert any(e["type"] == "flow_started" and e["flow"] == "order_status" for e in turn["events"]), text

    # 5. the intents file holds the examples
    from engine.router.intent_data import parse_intent_file

    examples, problems = parse_intent_file(project / "intents" / "review_order_status.yaml")
    assert not problems and {e.text for e in examples} == set(UNKNOWN)

    # the analytics page draws its charts
    _with_key(browser, server.url + "/analytics")
    for name in ("funnels", "rates", "csat", "unrecognised"):
        drawn = browser.execute_script(
            "const s = document.querySelector('#chart-' + arguments[0] + ' svg');"
            "return s ? s.querySelectorAll('path, text, use').length : 0", name)
        assert drawn > 5, name
    assert "Tasks started" in browser.find_element("id", "tiles").text
    browser.save_screenshot(str(SHOTS / "analytics.png"))
