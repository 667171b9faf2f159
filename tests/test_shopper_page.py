"""The shopper's chat page in headless Chromium at desktop and phone (360 px) widths: no designer panel or
link, a favicon, labelled controls, new messages announced (aria-live), focus kept in the message box, no
sideways scrolling, and no axe-core accessibility violations (tests/tools/axe-core, vendored from npm).
Screenshots go to tmp/artefacts/ (SHOPTALK_ARTEFACTS overrides) for a person to look at."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.service_fixtures import RETURN_TRIGGER, get_real_engine
from tests.test_web_chat import _seq, _wait, browser, server  # noqa: F401  (headless Chromium, a served app)

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tests" / "tools" / "axe-core" / "axe.min.js"
ARTEFACTS = Path(os.environ.get("SHOPTALK_ARTEFACTS", ROOT / "tmp" / "artefacts"))
WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}
# WCAG 2.x A and AA rules and axe's best practices (landmarks, one h1, region)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _axe_violations(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        "  .then((r) => done(JSON.stringify(r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,"
        "      nodes: v.nodes.map((n) => n.target.join(' '))})))))"
        "  .catch((e) => done(JSON.stringify([{id: 'axe-error', help: String(e)}])));", AXE_TAGS)
    return json.loads(result)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_shopper_page_at_desktop_and_phone_widths(browser, server, width):  # noqa: F811
    d, url = browser, server[0].url
    d.set_window_size(*WIDTHS[width])
    d.get(url + "/")
    _wait(d, lambda d: d.execute_script("return document.body.dataset.conversation"), what="conversation start")
    # for shoppers: no designer panel, no link to the designer view
    assert not d.find_elements("id", "designer") and not d.find_elements("css selector", 'a[href="/designer"]')
    # labelled message box; the conversation is a live region; the typing notice is a status
    box = d.find_element("id", "input")
    assert d.find_element("css selector", 'label[for="input"]').get_attribute("textContent").strip()
    messages = d.find_element("id", "messages")
    assert messages.get_attribute("aria-live") == "polite" and messages.get_attribute("aria-label")
    assert d.find_element("id", "typing").get_attribute("role") == "status"
    # the router that answers: the trained one here, so no quick-model note
    _wait(d, lambda d: d.execute_script("return document.body.dataset.router") == "full", what="router status")
    assert not d.find_element("id", "model-status").is_displayed()
    # a turn by keyboard: type, Enter; the reply is announced and focus stays in the box
    box.click()
    box.send_keys(RETURN_TRIGGER + "\n")
    _wait(d, lambda d: _seq(d) == 1, what="turn 1")
    _wait(d, lambda d: d.execute_script("return document.body.dataset.busy") == "0", what="idle")
    assert d.switch_to.active_element == d.find_element("id", "input")
    assert len(d.find_elements("css selector", "#messages li.msg.bot")) >= 2
    buttons = d.find_elements("css selector", ".buttons button")
    assert buttons and all(b.size["height"] >= 24 for b in buttons)  # tappable
    # usable at this width: nothing wider than the window, the composer fully on screen
    overflow = d.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px of sideways scrolling at {width} width"
    send = d.find_element("id", "send")
    assert send.location["x"] + send.size["width"] <= WIDTHS[width][0]
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / f"shopper-page-{width}.png"
    d.save_screenshot(str(shot))
    assert shot.stat().st_size > 1000
    violations = _axe_violations(d)
    assert violations == [], json.dumps(violations, indent=1)


@pytest.mark.browser
@pytest.mark.slow
def test_the_favicon_is_served(server):  # noqa: F811
    import httpx

    r = httpx.get(server[0].url + "/favicon.ico", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon" and r.content[:4] == b"\0\0\1\0"


def test_the_designer_panel_only_when_asked_for_and_allowed(tmp_path):
    from service.app import create_app
    from service.settings import Settings

    for allowed in (True, False):
        settings = Settings(designer=allowed, tracker_url=f"sqlite:///{tmp_path}/tracker-{allowed}.db")
        with TestClient(create_app(settings, engine=get_real_engine())) as client:
            shopper = client.get("/").text
            asked = client.get("/?designer=1").text
            assert 'id="designer"' not in shopper and 'href="/designer"' not in shopper and "<!--" not in shopper
            assert ('id="designer"' in asked) is allowed and ('href="/designer"' in asked) is allowed
            assert (client.get("/designer").status_code == 200) is allowed
            assert client.get("/favicon.ico").status_code == 200
