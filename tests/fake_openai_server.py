"""A tiny OpenAI-compatible server for tests, on loopback, in a background thread.

The requested `model` chooses the behaviour: "ok" (streams/returns FAKE_REPLY), "slow" (stalls
before answering), "error500", "malformed" (a broken SSE stream), "nodone" (stream ends without
[DONE]), "garbage" (non-JSON body for a non-streaming call).
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAKE_REPLY = "Refunds to a gift card are immediate."


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str = "application/json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        req = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append({"path": self.path, "body": req, "auth": self.headers.get("Authorization")})
        mode = req.get("model", "ok")
        if self.path != "/v1/chat/completions":
            return self._send(404, b'{"error": "not found"}')
        if mode == "error500":
            return self._send(500, b'{"error": {"message": "model crashed"}}')
        if mode == "slow":
            time.sleep(3)
        if mode == "garbage" and not req.get("stream"):
            return self._send(200, b"this is not json")
        if not req.get("stream"):
            body = {"choices": [{"message": {"role": "assistant", "content": FAKE_REPLY}, "finish_reason": "stop"}]}
            return self._send(200, json.dumps(body).encode())
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        words = FAKE_REPLY.split(" ")
        for i, w in enumerate(words):
            if mode == "malformed" and i == 2:
                self.wfile.write(b"data: {not json\n\n")
                self.wfile.flush()
                return
            chunk = {"choices": [{"delta": {"content": (" " if i else "") + w}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
            time.sleep(0.01)
        if mode != "nodone":
            self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True


class FakeOpenAIServer:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    @property
    def requests(self) -> list:
        return self.httpd.requests

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
