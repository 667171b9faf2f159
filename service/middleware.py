"""Pure ASGI middleware (no BaseHTTPMiddleware: it would buffer the SSE stream)."""
from __future__ import annotations

import asyncio
import json
import time


class BodyLimitMiddleware:
    """Rejects bodies over `max_bytes` with 413 before any handler (or the engine) sees them, and
    bodies that do not arrive in full within `timeout` seconds (a Content-Length larger than what is
    sent, a client that stalls) with 408: uvicorn itself would wait for them forever."""

    def __init__(self, app, max_bytes: int, on_error=None, timeout: float = 10.0):
        self.app = app
        self.max_bytes = max_bytes
        self.on_error = on_error
        self.timeout = timeout

    async def _reject(self, send, status: int, code: str, message: str):
        if self.on_error:
            self.on_error(code)
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        too_large = f"Request bodies are limited to {self.max_bytes} bytes."
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    if int(value) > self.max_bytes:
                        return await self._reject(send, 413, "body_too_large", too_large)
                except ValueError:
                    pass
        chunks, size = [], 0
        try:
            async with asyncio.timeout(self.timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        return await self._reject(send, 413, "body_too_large", too_large)
                    chunks.append(chunk)
                    if not message.get("more_body"):
                        break
        except TimeoutError:
            return await self._reject(send, 408, "request_timeout", f"The request body did not arrive within "
                                      f"{self.timeout:g} s (is Content-Length larger than the body?).")
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


class TimingMiddleware:
    def __init__(self, app, histogram):
        self.app = app
        self.histogram = histogram

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            self.histogram.labels(path, scope["method"]).observe(time.perf_counter() - start)
