"""Unit tests of the service's own parts: settings, redaction, rate limits, FIFO locks, errors, auth.

A tiny fake engine is used here ONLY to exercise HTTP plumbing (errors, limits, auth) in isolation;
everything that involves dialogue runs the real engine (test_service_api.py and the others).
"""
from __future__ import annotations

import asyncio
import logging

import pytest
from fastapi.testclient import TestClient

from engine.contracts import BotMessage, Button, Route, Turn
from service.app import create_app
from service.locks import KeyedFifoLock, LocalLockTimeout
from service.ratelimit import RateLimiter
from service.redact import RedactingFilter, redact
from service.settings import Settings


class FakeConversation:
    def __init__(self, cid, n=0):
        self.id, self.n = cid, n

    def send(self, text):
        self.n += 1
        return Turn(conversation_id=self.id, messages=[BotMessage(text=f"echo {self.n}: {text}",
                    buttons=[Button(title="Yes", payload="/affirm")])], route=Route(label="fallback"),
                    slots={"n": self.n}, events=[{"event": "user", "text": text}])

    def snapshot(self):
        return {"n": self.n}


class FakeEngine:
    def new_conversation(self, conversation_id=None):
        return FakeConversation(conversation_id or "x")

    def restore(self, cid, snap):
        return FakeConversation(cid, snap["n"])

    def flow_catalog(self):
        return [{"id": "return_items", "description": "Return delivered items", "payload": "/return_items"}]

    def health(self):
        return {"router": "ok", "store": "ok"}


def make_client(tmp_path, **overrides):
    settings = Settings(tracker_url=f"sqlite:///{tmp_path}/t.db", **overrides)
    return TestClient(create_app(settings, engine=FakeEngine()))


def test_settings_env_yaml_precedence(tmp_path):
    cfg = tmp_path / "shoptalk.yaml"
    cfg.write_text("service:\n  max_message_chars: 100\n  api_keys: [shop:abc]\n  rate_limit_per_minute: 5\n")
    s = Settings.load(cfg, env={"SHOPTALK_RATE_LIMIT_PER_MINUTE": "7", "SHOPTALK_CORS_ORIGINS": "https://a, https://b",
                                "SHOPTALK_WEB_CHAT": "no"})
    assert s.max_message_chars == 100 and s.rate_limit_per_minute == 7
    assert s.cors_origins == ["https://a", "https://b"] and s.web_chat is False
    assert s.parsed_api_keys() == {"abc": "shop"}
    assert Settings.load(env=s.to_env()) == s
    bad = tmp_path / "bad.yaml"
    bad.write_text("nonsense_setting: 1\n")
    with pytest.raises(ValueError, match="unknown settings"):
        Settings.load(bad, env={})


def test_redaction_of_emails_addresses_payment_ids(caplog):
    text = ("I am noah.brown7922@example.com at 986 Sunset Drive, Suite 259, Denver 80279, "
            "pay with credit_card_7815826 or paypal_5727330, ship to 763 Broadway Suite 135")
    out = redact(text)
    for secret in ("noah.brown7922", "Sunset Drive", "7815826", "5727330", "Broadway", "Suite 259"):
        assert secret not in out, out
    assert "[email]" in out and "[payment_id]" in out and "[address]" in out
    assert "80279" not in out and "[zip]" in out
    assert redact("Started server process [12345]") == "Started server process [12345]"
    logger = logging.getLogger("shoptalk.test.redact")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger="shoptalk.test.redact"):
        logger.info("user said %s", "mail me at a.b@example.org")
    assert "a.b@example.org" not in caplog.text and "[email]" in caplog.text


def test_rate_limiter_token_bucket():
    now = [0.0]
    rl = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert rl.take("k") == 0 and rl.take("k") == 0
    wait = rl.take("k")
    assert 0 < wait <= 1.0 and RateLimiter.retry_after(wait) == 1
    assert rl.take("other") == 0  # per key
    now[0] += 1.0
    assert rl.take("k") == 0
    assert RateLimiter(0, 1).take("k") == 0  # disabled


def test_fifo_lock_keeps_arrival_order_and_times_out():
    async def main():
        locks = KeyedFifoLock()
        order = []
        await locks.acquire("c")

        async def waiter(i):
            await locks.acquire("c")
            order.append(i)
            locks.release("c")

        tasks = []
        for i in range(5):
            tasks.append(asyncio.create_task(waiter(i)))
            await asyncio.sleep(0.01)  # arrival order 0..4
        with pytest.raises(LocalLockTimeout):
            await locks.acquire("c", timeout=0.01)
        locks.release("c")
        await asyncio.wait_for(asyncio.gather(*tasks), 5)
        assert order == [0, 1, 2, 3, 4]
        assert len(locks) == 0  # entries are dropped when idle
        async with locks.hold("d"):  # another key is independent
            pass

    asyncio.run(main())


def test_error_shapes_and_codes(tmp_path):
    c = make_client(tmp_path, max_body_bytes=2000, max_message_chars=50)
    created = c.post("/v1/conversations").json()
    cid, token = created["conversation_id"], created["token"]
    h = {"Authorization": f"Bearer {token}"}

    def code(r):
        return r.json()["error"]["code"]

    r = c.post("/v1/conversations/nope/messages", json={"text": "hi"}, headers=h)
    assert r.status_code == 404 and code(r) == "conversation_not_found"
    r = c.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and code(r) == "unauthorized"  # a token no conversation was issued
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    r = c.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"})
    assert r.status_code == 401 and code(r) == "unauthorized"
    r = c.post(f"/v1/conversations/{cid}/messages", json={"text": "x" * 51}, headers=h)
    assert r.status_code == 413 and code(r) == "message_too_large"
    r = c.post(f"/v1/conversations/{cid}/messages", content=b'{"text": "' + b"x" * 3000 + b'"}', headers=h)
    assert r.status_code == 413 and code(r) == "body_too_large"
    r = c.post(f"/v1/conversations/{cid}/messages", content=b'{"text": ', headers={**h, "content-type": "application/json"})
    assert r.status_code == 400 and code(r) == "invalid_json"
    r = c.post(f"/v1/conversations/{cid}/messages", content=b'{"text": "\xff\xfe"}',
               headers={**h, "content-type": "application/json"})
    assert r.status_code in (400, 422) and code(r) in ("invalid_encoding", "invalid_json")
    r = c.post(f"/v1/conversations/{cid}/messages", json={"txt": "hi"}, headers=h)
    assert r.status_code == 422 and code(r) == "invalid_request"
    # nothing of the above was written
    assert c.get(f"/v1/conversations/{cid}", headers=h).json()["turns"] == 0
    r = c.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"}, headers=h)
    assert r.status_code == 200 and r.json()["seq"] == 1


def test_rate_limit_429_with_retry_after(tmp_path):
    c = make_client(tmp_path, api_keys=["shop:s3cret"], rate_limit_per_minute=60, rate_limit_burst=3)
    k = {"X-API-Key": "s3cret"}
    cid = c.post("/v1/conversations", headers=k).json()["conversation_id"]
    statuses = [c.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"}, headers=k) for _ in range(4)]
    assert [r.status_code for r in statuses][:2] == [200, 200]
    last = statuses[-1]
    assert last.status_code == 429 and last.json()["error"]["code"] == "rate_limited"
    assert int(last.headers["Retry-After"]) >= 1
    assert c.get("/healthz").status_code == 200
    r = c.post("/v1/conversations", headers={"X-API-Key": "bad"})
    assert r.status_code == 401


def test_tracker_down_is_503_with_retry_after(tmp_path):
    settings = Settings(tracker_url="redis://127.0.0.1:1/0", redis_timeout_seconds=0.3)
    c = TestClient(create_app(settings, engine=FakeEngine()))
    r = c.post("/v1/conversations")
    assert r.status_code == 503 and r.json()["error"]["code"] == "tracker_unavailable"
    assert r.headers["Retry-After"] == "2"
    r = c.get("/readyz")
    assert r.status_code == 503 and r.json()["error"]["code"] == "not_ready" and "Retry-After" in r.headers


def test_cors_configurable(tmp_path):
    c = make_client(tmp_path, cors_origins=["https://shop.example"])
    r = c.options("/v1/conversations", headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"})
    assert r.headers.get("access-control-allow-origin") == "https://shop.example"
    r = c.options("/v1/conversations", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert r.headers.get("access-control-allow-origin") is None


def test_public_conversations_can_be_disabled(tmp_path):
    c = make_client(tmp_path, api_keys=["k"], public_conversations=False)
    assert c.post("/v1/conversations").status_code == 401
    assert c.post("/v1/conversations", headers={"X-API-Key": "k"}).status_code == 201
    # only integrators choose ids
    c2 = make_client(tmp_path / "b")
    assert c2.post("/v1/conversations", json={"conversation_id": "mine"}).status_code == 403


@pytest.mark.redis
def test_rate_limit_is_shared_across_workers_with_redis(tmp_path):
    """Two apps (as two workers) on one Redis tracker share each key's bucket: burst 3 in total, then
    429 + Retry-After from either; another key is unaffected. Retry-After is honest (GCRA in Redis)."""
    import uuid

    from service.tracker import RedisTrackerStore
    from tests.service_fixtures import REDIS_URL, require_redis

    require_redis()
    prefix = "test-rl-" + uuid.uuid4().hex[:8]
    settings = Settings(tracker_url=REDIS_URL, api_keys=["shop:s3cret", "other:0ther"], rate_limit_per_minute=30,
                        rate_limit_burst=3)
    workers = [TestClient(create_app(settings, engine=FakeEngine(), tracker=RedisTrackerStore(REDIS_URL, prefix=prefix)))
               for _ in range(2)]
    k = {"X-API-Key": "s3cret"}
    statuses = [workers[i % 2].post("/v1/conversations", headers=k) for i in range(5)]
    assert [r.status_code for r in statuses] == [201, 201, 201, 429, 429]
    last = statuses[-1]
    assert last.json()["error"]["code"] == "rate_limited" and 1 <= int(last.headers["Retry-After"]) <= 2
    assert workers[1].post("/v1/conversations", headers={"X-API-Key": "0ther"}).status_code == 201
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(prefix + ":*"):
        client.delete(key)


def test_rate_limit_is_per_worker_with_sqlite(tmp_path):
    """SQLite (one host): each worker keeps its own buckets, so two workers allow twice the burst."""
    settings = Settings(tracker_url=f"sqlite:///{tmp_path}/t.db", api_keys=["shop:s3cret"], rate_limit_per_minute=30,
                        rate_limit_burst=2)
    workers = [TestClient(create_app(settings, engine=FakeEngine())) for _ in range(2)]
    k = {"X-API-Key": "s3cret"}
    assert [workers[i % 2].post("/v1/conversations", headers=k).status_code for i in range(6)] == \
        [201, 201, 201, 201, 429, 429]
