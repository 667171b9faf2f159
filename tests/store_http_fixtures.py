"""The HTTP store under test: the reference server on a store file, and a fault-injecting proxy.

`serve_store(path)` runs `http_server.create_app` with uvicorn in a thread on a free port;
`HttpBackend` is the `http` entry of tests/store_backends.py (one reference server per fresh store);
`FaultProxy(upstream)` sits between the client and that server and, when armed, answers one
action's next calls with a 500, a 429, a malformed body, a late answer (after forwarding, so a write is
applied but its answer is lost) or no answer, to check what the shopper hears in each case.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import uvicorn

from engine.store.http_server import create_app
from engine.store.http_store import HttpStore, HttpStoreSettings
from engine.store.sqlite_store import SqliteStore

TOKEN = "test-store-token"
Fault = Literal["500", "429", "malformed", "late", "hang"]


def free_port() -> int:
    """A port nothing listens on (connection refused), as far as this process can tell."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def run_app(app: Any) -> Iterator[str]:
    """Serve an ASGI app on 127.0.0.1 in a thread; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test HTTP server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@dataclass
class Served:
    url: str
    store: SqliteStore  # the server's own store, for checking what was really written


@contextmanager
def serve_store(path: Path, *, allow_reset: bool = True) -> Iterator[Served]:
    with SqliteStore(path) as store, run_app(create_app(store, TOKEN, allow_reset=allow_reset)) as url:
        yield Served(url, store)


def client(url: str, **settings: Any) -> HttpStore:
    """An HttpStore on `url` with the test token and quick retries (settings override the defaults)."""
    values: dict[str, Any] = {"token": TOKEN, "backoff_seconds": 0.01, "timeout_seconds": 2.0}
    values.update(settings)
    return HttpStore(url, HttpStoreSettings(**values))


class HttpBackend:
    """Stores behind the reference server: each `fresh()` is a seeded SQLite copy served on its own port.

    `open_store(url)` reads the bearer token from SHOPTALK_STORE_TOKEN, as a deployment does, so the
    backend sets it for the test session when it is not set already and serves with that token."""

    name = "http"

    def __init__(self, workdir: Path):
        self.token = os.environ.setdefault("SHOPTALK_STORE_TOKEN", TOKEN)
        # the flow tests check behaviour, not speed: on two busy cores the in-thread reference server
        # may take longer than a deployment's 0.8 s read budget (the fault tests set their own budgets)
        os.environ.setdefault("SHOPTALK_STORE_READ_BUDGET_SECONDS", "10")
        self.workdir = workdir
        self.template = workdir / "seeded.sqlite"
        SqliteStore(self.template).close()
        self._served: dict[str, tuple[ExitStack, Path]] = {}
        self._n = 0

    def require_available(self) -> None:
        return None  # fastapi, uvicorn and httpx are test dependencies: nothing outside the repository

    def fresh(self) -> str:
        self._n += 1
        path = self.workdir / f"served{self._n}.sqlite"
        shutil.copyfile(self.template, path)
        stack = ExitStack()
        store = stack.enter_context(SqliteStore(path))
        url = stack.enter_context(run_app(create_app(store, self.token, allow_reset=True)))
        self._served[url] = (stack, path)
        return url

    def discard(self, url: str | Path) -> None:
        stack, path = self._served.pop(str(url))
        stack.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        for url in list(self._served):
            self.discard(url)


@dataclass
class FaultProxy:
    """An ASGI app forwarding to `upstream`, with faults armed per action path."""

    upstream: str
    delay: float = 1.0  # how late a "late" answer comes, and how long a "hang" holds the request
    armed: dict[str, list[Fault]] = field(default_factory=dict)
    seen: list[tuple[str, str | None]] = field(default_factory=list)  # (path, Idempotency-Key) per request

    def arm(self, action: str, *faults: Fault) -> None:
        self.armed.setdefault(f"/v1/actions/{action}", []).extend(faults)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"] if k.decode() != "host"}
        self.seen.append((scope["path"], headers.get("idempotency-key")))
        queue = self.armed.get(scope["path"]) or []
        fault = queue.pop(0) if queue else None
        if fault == "500":
            return await _answer(send, 500, b'{"error": {"code": "internal_error", "message": "boom"}}')
        if fault == "429":
            return await _answer(send, 429, b'{"error": {"code": "rate_limited", "message": "slow down"}}')
        if fault == "hang":
            await asyncio.sleep(self.delay)
            return await _answer(send, 504, b"gateway timeout")
        async with httpx.AsyncClient(base_url=self.upstream) as upstream:
            resp = await upstream.request(scope["method"], scope["path"], content=body, headers=headers)
        if fault == "late":
            await asyncio.sleep(self.delay)
        content = b'{"result": {"order_id": 7, "status": [' if fault == "malformed" else resp.content
        await _answer(send, resp.status_code, content)


async def _answer(send: Any, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
