"""Security issue #19, part 2: the Rasa REST channel continues a conversation by `sender` alone, so
it is closed unless an integrator key comes with the message or settings open it for development."""
from __future__ import annotations

import logging
import tempfile

from fastapi.testclient import TestClient

from service.app import create_app
from service.rasa import conversation_id
from service.settings import Settings
from tests.service_fixtures import get_real_engine

RETURN = '/return_items{"order_id": "#W2378156"}'
KEY = {"X-API-Key": "rasa-secret"}


def _client(**settings) -> TestClient:
    tmp = tempfile.mkdtemp(prefix="shoptalk-rasa-")
    base = dict(tracker_url=f"sqlite:///{tmp}/tracker.db", rate_limit_per_minute=0, shopper_rate_limit_per_minute=0,
                web_chat=False)
    base.update(settings)
    return TestClient(create_app(Settings(**base), engine=get_real_engine()))


def _turns(client, sender, key=KEY):
    r = client.get(f"/v1/conversations/{conversation_id(sender)}", headers=key)
    return r.json()["transcript"] if r.status_code == 200 else []


def test_closed_by_default_even_without_any_api_keys(caplog):
    with caplog.at_level(logging.INFO, logger="shoptalk.service"):
        c = _client()  # the defaults: no keys configured
    said = [r for r in caplog.records if "Rasa channel needs an integrator key" in r.getMessage()]
    assert said and all(r.levelno == logging.INFO for r in said)  # the default state: no warning at each start
    r = c.post("/webhooks/rest/webhook", json={"sender": "shopper-1", "message": "hi"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert r.headers["WWW-Authenticate"]


def test_a_stranger_cannot_continue_a_shoppers_conversation():
    c = _client(api_keys=["frontend:rasa-secret"])
    r = c.post("/webhooks/rest/webhook", json={"sender": "shopper-7", "message": RETURN}, headers=KEY)
    assert r.status_code == 200 and r.json()
    before = _turns(c, "shopper-7")
    for headers in ({}, {"X-API-Key": "guess"}, {"Authorization": "Bearer guess"}):
        r = c.post("/webhooks/rest/webhook", json={"sender": "shopper-7", "message": "/affirm"}, headers=headers)
        assert r.status_code == 401, (headers, r.text)
    assert _turns(c, "shopper-7") == before  # nothing reached the conversation


def test_open_only_when_settings_say_so_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="shoptalk.service"):
        c = _client(rasa_channel_open=True, api_keys=["frontend:rasa-secret"])
    assert "OPEN" in caplog.text and "rasa_channel_open" in caplog.text
    r = c.post("/webhooks/rest/webhook", json={"sender": "dev", "message": RETURN})
    assert r.status_code == 200 and r.json()[0]["recipient_id"] == "dev"


def test_message_id_makes_a_resent_message_a_replay():
    c = _client(api_keys=["frontend:rasa-secret"])
    first = c.post("/webhooks/rest/webhook", json={"sender": "s", "message": RETURN, "message_id": "r-1"},
                   headers=KEY)
    again = c.post("/webhooks/rest/webhook", json={"sender": "s", "message": RETURN, "message_id": "r-1"},
                   headers=KEY)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    meta = c.post("/webhooks/rest/webhook", json={"sender": "s", "message": "/start_over",
                                                  "metadata": {"message_id": "r-2"}}, headers=KEY)
    meta_again = c.post("/webhooks/rest/webhook", json={"sender": "s", "message": "/start_over",
                                                        "metadata": {"message_id": "r-2"}}, headers=KEY)
    assert meta.json() == meta_again.json()
    # two messages stored, each once; a message without an id still gets one of its own
    c.post("/webhooks/rest/webhook", json={"sender": "s", "message": RETURN}, headers=KEY)
    stored = c.get(f"/v1/conversations/{conversation_id('s')}/events?format=json", headers=KEY).json()
    users = [e for e in stored if e["type"] == "user"]
    assert [u["text"] for u in users] == [RETURN, "/start_over", RETURN]
    assert [u["message_id"] for u in users][:2] == ["r-1", "r-2"] and users[2]["message_id"]
    assert {u["channel"] for u in users} == {"rasa"}


def test_empty_message_is_refused():
    c = _client(api_keys=["frontend:rasa-secret"])
    r = c.post("/webhooks/rest/webhook", json={"sender": "s", "message": ""}, headers=KEY)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
