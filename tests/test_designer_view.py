"""The designer view: its API (flow list, diagrams as SVG or text, errors with codes, status) in process
with the real engine, and the page itself in headless Chromium (flow list, a drawn diagram, try-it chat)."""
from __future__ import annotations

import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.ci_guard import require
from tests.service_fixtures import Server, get_real_engine
from tests.test_web_chat import _seq, _wait, browser  # noqa: F401  (the shared headless Chromium fixture)


@pytest.fixture(scope="module")
def client():
    tmp = tempfile.mkdtemp(prefix="shoptalk-designer-")
    settings = Settings(tracker_url=f"sqlite:///{tmp}/tracker.db", rate_limit_per_minute=0,
                        shopper_rate_limit_per_minute=0)
    with TestClient(create_app(settings, engine=get_real_engine())) as c:
        yield c


def _require_dot():
    require(shutil.which("dot") is not None, "Graphviz `dot`", "apt-get install graphviz; make system-deps installs it")


def test_flow_lists(client):
    offered = client.get("/v1/flows").json()
    assert {"return_items", "cancel_order"} <= {f["id"] for f in offered}
    everything = client.get("/v1/designer/flows").json()
    by_id = {f["id"]: f for f in everything}
    assert set(by_id) == set(client.app.state.engine.flows.flows)
    assert by_id["pattern_cancel"]["kind"] == "pattern" and not by_id["pattern_cancel"]["offered"]
    ret = by_id["return_items"]
    assert ret["offered"] and ret["payload"] == "/return_items" and ret["calls"] == ["authenticate"]
    assert ret["file"].endswith("flows/return_items.yaml") and ret["steps"] > 3


def test_diagram_svg(client):
    _require_dot()
    r = client.get("/v1/flows/cancel_order/diagram.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.content)
    texts = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert "collect order_id" in texts and "STORE WRITE" in texts and "yes" in texts
    links = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("href")]
    assert "#flow=authenticate" in links  # the call node opens the called flow
    assert client.get("/v1/flows/cancel_order/diagram.svg").content == r.content  # cached, same drawing


def test_diagram_text_both_formats(client):
    r = client.get("/v1/flows/return_items/diagram", params={"format": "mermaid"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["flow"] == "return_items" and body["format"] == "mermaid" and body["source"].startswith("flowchart TD")
    dot = client.get("/v1/flows/return_items/diagram", params={"format": "dot"}).json()
    assert dot["source"].startswith("digraph shoptalk {")
    assert client.get("/v1/flows/return_items/diagram", params={"format": "png"}).json()["error"]["code"] == \
        "invalid_request"


def test_unknown_flow_is_a_404_with_code(client):
    for url in ("/v1/flows/no_such_flow/diagram.svg", "/v1/flows/no_such_flow/diagram"):
        r = client.get(url)
        assert r.status_code == 404
        error = r.json()["error"]
        assert error["code"] == "flow_not_found" and "no_such_flow" in error["message"]
        assert "return_items" in error["message"]  # the known flows are listed


def test_svg_without_graphviz_says_so(client, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    r = client.get("/v1/flows/order_status/diagram.svg")
    assert r.status_code == 503
    error = r.json()["error"]
    assert error["code"] == "graphviz_unavailable" and "graphviz" in error["message"]
    assert client.get("/v1/flows/order_status/diagram").status_code == 200  # the text fallback works


def test_pages_and_status(client):
    page = client.get("/designer")
    assert page.status_code == 200 and "/static/designer.js" in page.text
    assert 'href="/designer"' in client.get("/?designer=1").text  # the chat page with the state panel
    assert 'href="/designer"' not in client.get("/").text and 'id="designer"' not in client.get("/").text
    for asset in ("designer.js", "designer.css", "app.js"):
        assert client.get(f"/static/{asset}").status_code == 200
    status = client.get("/v1/designer/status").json()
    assert status["version"] == 0 and status["hot_reload"] is False and status["reloads"] == []
    paths = client.get("/openapi.json").json()["paths"]
    assert "/v1/flows/{name}/diagram.svg" in paths and "/v1/designer/flows" in paths


# -- the page in a real browser --------------------------------------------------------------------
@pytest.fixture(scope="module")
def server():
    _require_dot()
    tmp = Path(tempfile.mkdtemp(prefix="shoptalk-designer-web-"))
    srv = Server({"SHOPTALK_TRACKER_URL": f"sqlite:///{tmp}/tracker.db", "SHOPTALK_STORE_PATH": str(tmp / "store.db"),
                  "SHOPTALK_GENERATOR": "off"})
    try:
        srv.wait()
        yield srv
    finally:
        srv.stop()


@pytest.mark.browser
@pytest.mark.slow
def test_designer_view_in_the_browser(browser, server):  # noqa: F811
    d = browser
    d.get(server.url + "/designer")
    _wait(d, lambda d: len(d.find_elements("css selector", "#flow-list li")) >= 5, what="the flow list")
    names = [li.get_attribute("data-flow") for li in d.find_elements("css selector", "#flow-list li")]
    assert "return_items" in names and "cancel_order" in names
    assert "pattern_cancel" in [li.get_attribute("data-flow") for li in d.find_elements("css selector", "#pattern-list li")]
    # pick a flow: its diagram is drawn (inline SVG from Graphviz)
    d.find_element("css selector", '#flow-list li[data-flow="return_items"] button').click()
    _wait(d, lambda d: d.find_element("id", "diagram").get_attribute("data-flow") == "return_items", what="diagram")
    assert d.find_element("id", "diagram").get_attribute("data-rendered") == "svg"
    svg_text = d.find_element("css selector", "#diagram svg").text
    assert "collect" in svg_text and "return_items" in svg_text
    assert "Return" in d.find_element("id", "diagram-title").text
    # the call node links to the called flow
    d.find_element("css selector", '#diagram a[*|href="#flow=authenticate"]').click()
    _wait(d, lambda d: d.find_element("id", "diagram").get_attribute("data-flow") == "authenticate",
          what="the called flow's diagram")
    # try-it chat: start the flow from the diagram's button, then type an answer; the state panel follows
    d.find_element("css selector", '#flow-list li[data-flow="return_items"] button').click()
    _wait(d, lambda d: d.execute_script("return document.body.dataset.conversation"), what="conversation start")
    _wait(d, lambda d: d.find_element("id", "try-flow").is_displayed(), what="the try-it button")
    d.find_element("id", "try-flow").click()
    _wait(d, lambda d: _seq(d) == 1, what="turn 1")
    active = d.find_element("id", "d-flow").text
    assert active in ("return_items", "authenticate")
    # "Follow the chat": the diagram switches to the active flow and marks where the conversation waits
    _wait(d, lambda d: d.find_element("id", "diagram").get_attribute("data-current").startswith(active + "."),
          what="the current step marked in the diagram")
    assert d.find_element("id", "diagram").get_attribute("data-flow") == active
    assert d.find_elements("css selector", "#diagram g.current") and d.find_elements("css selector", "#diagram g.visited")
    box = d.find_element("id", "input")
    box.send_keys("yusuf.rossi7301@example.com")
    d.find_element("id", "send").click()
    _wait(d, lambda d: _seq(d) == 2, what="turn 2")
    assert "yusuf.rossi7301@example.com" in d.find_element("id", "messages").text
    assert d.find_element("id", "d-conversation").text != "-"
    _wait(d, lambda d: d.find_elements("css selector", ".flow-list li.active"), what="the active flow marked")
