"""OpenAI-compatible HTTP backend (`POST {base_url}/chat/completions`, optionally `stream: true`).

Works with vLLM, llama.cpp server, Ollama and hosted models. Every failure becomes a
`GeneratorError` with a message naming the server and the cause; timeouts become `GeneratorTimeout`.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx

from .errors import GeneratorError, GeneratorTimeout


class OpenAIGenerator:
    def __init__(self, base_url: str, model: str, *, api_key: str | None = None, temperature: float = 0.0,
                 connect_timeout_s: float = 3.0, client: httpx.Client | None = None):
        self.base_url = base_url.rstrip("/")
        if not self.base_url.endswith("/v1"):
            self.base_url += "/v1"
        self.model, self.temperature, self.connect_timeout_s = model, temperature, connect_timeout_s
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = client or httpx.Client(headers=headers)
        self.load_seconds = 0.0

    @classmethod
    def from_settings(cls, project_dir, settings) -> "OpenAIGenerator":
        return cls(settings.base_url, settings.model, api_key=settings.api_key, temperature=settings.temperature,
                   connect_timeout_s=settings.connect_timeout_s)

    @property
    def url(self) -> str:
        return f"{self.base_url}/chat/completions"

    def _timeout(self, end: float | None) -> httpx.Timeout:
        remaining = max(0.05, end - time.monotonic()) if end else 60.0
        return httpx.Timeout(remaining, connect=min(self.connect_timeout_s, remaining))

    def _body(self, messages, max_tokens, stream):
        return {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                "temperature": self.temperature, "stream": stream}

    def _raise_for_status(self, resp: httpx.Response) -> None:
        if resp.status_code >= 400:
            try:
                detail = resp.read().decode("utf-8", "replace")[:300]
            except Exception:  # pragma: no cover
                detail = ""
            raise GeneratorError(f"generator server {self.url} answered HTTP {resp.status_code}: {detail}")

    def complete(self, messages, *, max_tokens: int = 96, deadline_s: float | None = None) -> str:
        end = time.monotonic() + deadline_s if deadline_s else None
        try:
            resp = self.client.post(self.url, json=self._body(messages, max_tokens, False), timeout=self._timeout(end))
        except httpx.TimeoutException as exc:
            raise GeneratorTimeout(f"generator server {self.url} timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise GeneratorError(f"cannot reach generator server {self.url}: {exc}") from exc
        self._raise_for_status(resp)
        try:
            return resp.json()["choices"][0]["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise GeneratorError(f"malformed response from {self.url}: {resp.text[:200]!r}") from exc

    def stream(self, messages, *, max_tokens: int = 96, deadline_s: float | None = None) -> Iterator[str]:
        end = time.monotonic() + deadline_s if deadline_s else None
        try:
            with self.client.stream("POST", self.url, json=self._body(messages, max_tokens, True),
                                    timeout=self._timeout(end)) as resp:
                self._raise_for_status(resp)
                for line in resp.iter_lines():
                    if end is not None and time.monotonic() > end:
                        raise GeneratorTimeout(f"generator server {self.url} exceeded the {deadline_s:.2f}s deadline")
                    line = line.strip()
                    if not line or line.startswith(":"):
                        continue
                    if not line.startswith("data:"):
                        raise GeneratorError(f"malformed stream from {self.url}: unexpected line {line[:80]!r}")
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    try:
                        chunk = json.loads(data)
                        choice = chunk["choices"][0]
                        delta = (choice.get("delta") or {}).get("content") or ""
                    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
                        raise GeneratorError(f"malformed stream from {self.url}: {data[:80]!r}") from exc
                    if delta:
                        yield delta
                    if choice.get("finish_reason"):
                        return
        except httpx.TimeoutException as exc:
            raise GeneratorTimeout(f"generator server {self.url} timed out ({type(exc).__name__})") from exc
        except httpx.HTTPError as exc:
            raise GeneratorError(f"generator server {self.url} failed: {exc}") from exc
        raise GeneratorError(f"stream from {self.url} ended without [DONE]")
