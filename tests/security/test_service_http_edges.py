"""Security issue #19, part 3: error answers at the HTTP edges say what the docs promise.

A deeply nested body is bad JSON (not an encoding problem), a token nobody was issued is 401 with a
challenge (another conversation's token stays 403), a 405 names the allowed methods, the schema
refuses empty messages, and a body shorter than its Content-Length gets 408 from a real uvicorn
server instead of holding the connection forever.
"""
from __future__ import annotations

import socket
import tempfile

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.service_fixtures import Server, get_real_engine


@pytest.fixture(scope="module")
def client():
    tmp = tempfile.mkdtemp(prefix="shoptalk-edges-")
    settings = Settings(tracker_url=f"sqlite:///{tmp}/tracker.db", api_keys=["it:k"], rate_limit_per_minute=0,
                        shopper_rate_limit_per_minute=0)
    with TestClient(create_app(settings, engine=get_real_engine())) as c:
        yield c


def _conversation(client):
    body = client.post("/v1/conversations").json()
    return body["conversation_id"], {"Authorization": f"Bearer {body['token']}"}


def test_deeply_nested_json_is_invalid_json(client):
    cid, h = _conversation(client)
    nested = b'{"text": ' + b"[" * 3000 + b"]" * 3000 + b"}"  # 6 KB, deeper than the parser recurses
    r = client.post(f"/v1/conversations/{cid}/messages", content=nested,
                    headers={**h, "content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_json", r.text
    r = client.post(f"/v1/conversations/{cid}/messages", content='{"text": "\xff"}'.encode("latin-1"),
                    headers={**h, "content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_encoding"
    assert client.get(f"/v1/conversations/{cid}", headers=h).json()["turns"] == 0


def test_unknown_bearer_token_is_401_with_challenge_and_another_conversations_is_403(client):
    cid, h = _conversation(client)
    _, other = _conversation(client)
    calls = (("POST", f"/v1/conversations/{cid}/messages", {"text": "hi"}),
             ("POST", f"/v1/conversations/{cid}/messages/stream", {"text": "hi"}),
             ("GET", f"/v1/conversations/{cid}", None), ("GET", f"/v1/conversations/{cid}/events", None),
             ("DELETE", f"/v1/conversations/{cid}", None))
    for method, path, body in calls:
        r = client.request(method, path, json=body, headers={"Authorization": "Bearer made-up-token"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized", (method, path, r.text)
        assert r.headers["WWW-Authenticate"].startswith("Bearer") and "invalid_token" in r.headers["WWW-Authenticate"]
        r = client.request(method, path, json=body, headers=other)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", (method, path, r.text)
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"})
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get(f"/v1/conversations/{cid}", headers=h).json()["turns"] == 0  # nothing got through


def test_405_names_every_allowed_method(client):
    cid, h = _conversation(client)
    r = client.put(f"/v1/conversations/{cid}", headers=h)
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    assert set(r.headers["Allow"].split(", ")) >= {"GET", "DELETE"}
    r = client.get("/v1/conversations")
    assert r.status_code == 405 and r.headers["Allow"] == "POST"


def test_openapi_requires_message_text(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["SendMessage"]["properties"]["text"]["minLength"] == 1
    assert schemas["RasaMessage"]["properties"]["message"]["minLength"] == 1
    cid, h = _conversation(client)
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": ""}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def _raw(port: int, request: bytes) -> bytes:
    """Send raw bytes, read until the server closes (a 30 s guard: the old server never answered)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
        except socket.timeout:
            pytest.fail(f"no answer and no close within 30 s; got {b''.join(chunks)!r}")
        return b"".join(chunks)


def test_body_shorter_than_content_length_gets_408_from_uvicorn(tmp_path):
    env = {"SHOPTALK_TRACKER_URL": f"sqlite:///{tmp_path}/tracker.db", "SHOPTALK_STORE_PATH": str(tmp_path / "s.db"),
           "SHOPTALK_GENERATOR": "off", "SHOPTALK_BODY_TIMEOUT_SECONDS": "1", "SHOPTALK_LOG_LEVEL": "warning"}
    with Server(env) as server:
        server.wait()
        head = (f"POST /v1/conversations HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n").encode()
        answer = _raw(server.port, head + b"{}")  # 2 of the 100 bytes announced
        status_line, _, rest = answer.partition(b"\r\n")
        assert status_line.startswith(b"HTTP/1.1 408"), answer
        assert b'"code": "request_timeout"' in rest or b'"code":"request_timeout"' in rest
        # the server still serves complete requests
        ok = _raw(server.port, (f"POST /v1/conversations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").encode())
        assert ok.startswith(b"HTTP/1.1 201"), ok
