"""The store as the shop's own system over HTTP: `open_store("https://orders.example.com/shoptalk")`.

Every store action is one call of the contract in `http_contract` (docs/store_http.md). The backend
is the authority on policy: its refusals (`{"error": {"code", "message"}}`) become StoreErrors the
flows say as they say the engine's own.

* Reads are retried with exponential backoff (they change nothing).
* Every write carries an Idempotency-Key. It is sent again only with that same key: after an outcome
  the engine cannot know (a timeout, a 5xx, an unreadable answer) or when it never left (connection
  refused), so the backend applies it at most once.
* A circuit breaker (`http_breaker`) stops calling a backend that keeps failing.
* No usable answer and nothing changed: `BackendUnavailable` (a StoreUnavailable), so the turn fails
  as a whole, the service answers 503 with Retry-After and the shopper's message can be sent again.
  A write that may have been applied: StoreError("store_write_unknown"), so the turn completes, the
  flow ends and the shopper is told to check, because resending the message would repeat the write
  under a new key.
"""
from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, Field, ValidationError

from . import http_contract as c
from .access import STAFF
from .actions import ACTIONS
from .errors import StoreError, StoreUnavailable
from .http_breaker import CircuitBreaker

log = logging.getLogger("shoptalk.store.http")
ENV_PREFIX = "SHOPTALK_STORE_"


class HttpStoreSettings(BaseModel):
    """Set by `SHOPTALK_STORE_<FIELD>` environment variables (e.g. SHOPTALK_STORE_TOKEN), like the service's."""

    token: str
    timeout_seconds: float = 5.0          # per attempt: waiting for the answer
    call_budget_seconds: float = Field(5.0, gt=0)  # all attempts of one write; spent, it opens the breaker
    # all attempts of one read: a turn starts with reads, so a backend that accepts connections but
    # never answers is found dead (and the shopper told) within a second; raise it for a slow backend
    read_budget_seconds: float = Field(0.8, gt=0)
    connect_timeout_seconds: float = 1.0  # per attempt: opening the connection
    read_attempts: int = 3
    write_attempts: int = 3               # always with the write's one Idempotency-Key
    backoff_seconds: float = 0.05         # before attempt n+1: backoff * 2**(n-1)
    breaker_failures: int = 3             # consecutive failed attempts that open the breaker
    breaker_open_seconds: float = 5.0
    retry_after_seconds: float = 2.0      # told to the service (Retry-After) when the breaker is closed

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> HttpStoreSettings:
        env = os.environ if env is None else env
        data = {name: env[ENV_PREFIX + name.upper()] for name in cls.model_fields if ENV_PREFIX + name.upper() in env}
        data.update({k: v for k, v in overrides.items() if v is not None})
        if not data.get("token"):
            raise StoreError(c.STORE_MISCONFIGURED, f"{ENV_PREFIX}TOKEN is not set: the HTTP store sends the "
                                                    "bearer token its backend expects on every call.")
        return cls(**data)


class BackendUnavailable(StoreUnavailable):
    """Nothing was changed and the backend gave no usable answer; `code` says how (http_contract)."""

    def __init__(self, code: str, retry_after: float):
        super().__init__(c.SHOPPER_MESSAGES[code], retry_after=retry_after)
        self.code = code


class _Failed(Exception):
    """One attempt that did not settle the call; `sent` = the backend may have acted on it."""

    def __init__(self, code: str, why: str, *, sent: bool, breaker: bool = True, retry: bool = True):
        super().__init__(why)
        self.code, self.why, self.sent, self.breaker, self.retry = code, why, sent, breaker, retry


class HttpStore:
    """The store interface (the same methods and StoreErrors as SqliteStore) over the HTTP contract."""

    def __init__(self, url: str, settings: HttpStoreSettings | None = None, **overrides: Any):
        """`overrides` (token=..., timeout_seconds=...) take precedence over SHOPTALK_STORE_* variables."""
        self.url = url.rstrip("/")
        self.settings = settings or HttpStoreSettings.from_env(**overrides)
        s = self.settings
        self._client = httpx.Client(
            base_url=self.url, follow_redirects=False,
            headers={"Authorization": f"Bearer {s.token}", "User-Agent": "shoptalk-http-store"},
            timeout=httpx.Timeout(s.timeout_seconds, connect=s.connect_timeout_seconds))  # _call sets each attempt's
        self.breaker = CircuitBreaker(s.breaker_failures, s.breaker_open_seconds)

    def __repr__(self) -> str:
        return f"HttpStore({self.url!r})"

    # -- plumbing -------------------------------------------------------------------------------------
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _action(self, name: str, as_user: Any = None, **args: Any) -> Any:
        spec = ACTIONS[name]
        headers = {}
        if as_user is STAFF:
            headers[c.ACTING_FOR_HEADER] = "staff"
        elif as_user is not None:
            headers[c.ACTING_FOR_HEADER] = f"user:{as_user}"
        return self._call("POST", c.action_path(name), c.RESPONSES[name], write=spec.write, body=args,
                          headers=headers)

    def _call(self, method: str, path: str, model: type[BaseModel], *, write: bool,
              body: Any = None, headers: dict[str, str] | None = None) -> Any:
        """One logical call: attempts with backoff; a write's attempts share one Idempotency-Key."""
        headers = dict(headers or {})
        if write:
            headers[c.IDEMPOTENCY_HEADER] = uuid.uuid4().hex
        s = self.settings
        attempts = s.write_attempts if write else s.read_attempts
        deadline = time.monotonic() + (s.call_budget_seconds if write else s.read_budget_seconds)
        failure: _Failed | None = None
        maybe_applied = False
        for attempt in range(attempts):
            if attempt:
                time.sleep(s.backoff_seconds * 2 ** (attempt - 1))
            left = deadline - time.monotonic()
            if left <= 0:  # waited the whole budget without an answer: treat the backend as dead
                self.breaker.trip()
                break
            if not self.breaker.allow():
                failure = failure or _Failed(c.STORE_UNAVAILABLE, "circuit breaker open", sent=False)
                break
            timeout = httpx.Timeout(min(s.timeout_seconds, left), connect=min(s.connect_timeout_seconds, left))
            try:
                result = self._attempt(method, path, model, body, headers, timeout)
            except _Failed as exc:
                failure, maybe_applied = exc, maybe_applied or exc.sent
                (self.breaker.failure if exc.breaker else self.breaker.success)()
                log.warning("store %s %s attempt %d/%d failed: %s", method, path, attempt + 1, attempts, exc.why)
                if not exc.retry:
                    break
                continue
            self.breaker.success()
            return result
        assert failure is not None
        if write and maybe_applied:  # the turn must not fail for a resend: that write may have been done
            raise StoreError(c.STORE_WRITE_UNKNOWN, c.SHOPPER_MESSAGES[c.STORE_WRITE_UNKNOWN]) from failure
        raise BackendUnavailable(failure.code, self.breaker.retry_after(self.settings.retry_after_seconds)) \
            from failure

    def _attempt(self, method: str, path: str, model: type[BaseModel], body: Any, headers: dict[str, str],
                 timeout: httpx.Timeout) -> Any:
        """The result of one request, a StoreError for a refusal, or _Failed."""
        try:
            resp = self._client.request(method, path, json=body, headers=headers, timeout=timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise _Failed(c.STORE_UNAVAILABLE, f"cannot connect: {exc!r}", sent=False) from exc
        except httpx.TransportError as exc:  # timeouts while waiting, dropped connections: it may have run
            raise _Failed(c.STORE_UNAVAILABLE, f"no answer: {exc!r}", sent=True) from exc
        if resp.is_success:
            try:
                model.model_validate_json(resp.content)  # the shape; the document itself is returned as sent
                return json.loads(resp.content)["result"]
            except (ValidationError, ValueError, KeyError, TypeError) as exc:
                raise _Failed(c.STORE_BAD_RESPONSE, f"HTTP {resp.status_code} with a body that breaks the "
                                                    f"contract: {_first_error(exc)}", sent=True) from exc
        error = _error_body(resp)
        if resp.status_code >= 500 or resp.status_code == 429:  # 429: turned away before it ran
            raise _Failed(c.STORE_UNAVAILABLE, f"HTTP {resp.status_code} {error.code if error else ''}".rstrip(),
                          sent=resp.status_code >= 500, breaker=resp.status_code >= 500)
        if error is not None and error.code == c.IDEMPOTENCY_IN_PROGRESS:  # our earlier attempt still runs
            raise _Failed(c.STORE_UNAVAILABLE, "the first attempt with this key is still running", sent=True,
                          breaker=False)
        if error is None:
            raise _Failed(c.STORE_BAD_RESPONSE, f"HTTP {resp.status_code} without the contract's error body",
                          sent=False, retry=False)
        if error.code in c.CONTRACT_CODES or resp.status_code == 401:
            log.error("store %s %s: the backend refused the call itself (HTTP %d %s: %s); check the token and "
                      "the contract version", method, path, resp.status_code, error.code, error.message)
            raise _Failed(c.STORE_MISCONFIGURED, f"HTTP {resp.status_code} {error.code}", sent=False, retry=False)
        self.breaker.success()
        raise StoreError(error.code, error.message)  # the shop's policy said no: nothing was changed

    # -- reads ----------------------------------------------------------------------------------------
    def find_user_id_by_email(self, email: str) -> str:
        return self._action("find_user_id_by_email", email=email)

    def find_user_id_by_name_zip(self, first_name: str, last_name: str, zip: str) -> str:
        return self._action("find_user_id_by_name_zip", first_name=first_name, last_name=last_name, zip=zip)

    def get_user_details(self, user_id: str, *, as_user: Any) -> dict[str, Any]:
        return self._action("get_user_details", as_user, user_id=user_id)

    def get_order_details(self, order_id: str, *, as_user: Any) -> dict[str, Any]:
        return self._action("get_order_details", as_user, order_id=order_id)

    def get_product_details(self, product_id: str) -> dict[str, Any]:
        return self._action("get_product_details", product_id=product_id)

    def list_all_product_types(self) -> dict[str, str]:
        return self._action("list_all_product_types")

    def find_product(self, name_or_id: str) -> dict[str, Any]:
        return self._action("find_product", name_or_id=name_or_id)

    def list_user_orders(self, user_id: str, *, as_user: Any) -> list[dict[str, Any]]:
        return self._action("list_user_orders", as_user, user_id=user_id)

    # -- writes ---------------------------------------------------------------------------------------
    def cancel_pending_order(self, order_id: str, reason: str, *, as_user: Any) -> dict[str, Any]:
        return self._action("cancel_pending_order", as_user, order_id=order_id, reason=reason)

    def modify_pending_order_address(self, order_id: str, address1: str, address2: str, city: str, state: str,
                                     country: str, zip: str, *, as_user: Any) -> dict[str, Any]:
        return self._action("modify_pending_order_address", as_user, order_id=order_id, address1=address1,
                            address2=address2, city=city, state=state, country=country, zip=zip)

    def modify_pending_order_payment(self, order_id: str, payment_method_id: str, *,
                                     as_user: Any) -> dict[str, Any]:
        return self._action("modify_pending_order_payment", as_user, order_id=order_id,
                            payment_method_id=payment_method_id)

    def modify_pending_order_items(self, order_id: str, item_ids: list[str], new_item_ids: list[str],
                                   payment_method_id: str, *, as_user: Any,
                                   allow_unchanged: bool = False) -> dict[str, Any]:
        return self._action("modify_pending_order_items", as_user, order_id=order_id, item_ids=list(item_ids),
                            new_item_ids=list(new_item_ids), payment_method_id=payment_method_id,
                            allow_unchanged=allow_unchanged)

    def return_delivered_order_items(self, order_id: str, item_ids: list[str], payment_method_id: str, *,
                                     as_user: Any) -> dict[str, Any]:
        return self._action("return_delivered_order_items", as_user, order_id=order_id, item_ids=list(item_ids),
                            payment_method_id=payment_method_id)

    def exchange_delivered_order_items(self, order_id: str, item_ids: list[str], new_item_ids: list[str],
                                       payment_method_id: str, *, as_user: Any,
                                       allow_unchanged: bool = False) -> dict[str, Any]:
        return self._action("exchange_delivered_order_items", as_user, order_id=order_id, item_ids=list(item_ids),
                            new_item_ids=list(new_item_ids), payment_method_id=payment_method_id,
                            allow_unchanged=allow_unchanged)

    def modify_user_address(self, user_id: str, address1: str, address2: str, city: str, state: str,
                            country: str, zip: str, *, as_user: Any) -> dict[str, Any]:
        return self._action("modify_user_address", as_user, user_id=user_id, address1=address1, address2=address2,
                            city=city, state=state, country=country, zip=zip)

    def place_order(self, user_id: str, item_ids: list[str], address: dict[str, str] | None,
                    payment_method_id: str, *, as_user: Any) -> dict[str, Any]:
        return self._action("place_order", as_user, user_id=user_id, item_ids=list(item_ids), address=address,
                            payment_method_id=payment_method_id)

    def transfer_to_human_agents(self, summary: str, user_id: str | None = None) -> dict[str, Any]:
        return self._action("transfer_to_human_agents", summary=summary, user_id=user_id)

    # -- staff: exports, the write log, reset (the admin endpoints) ----------------------------------
    def export_data(self) -> dict[str, dict[str, Any]]:
        return self._call("GET", c.admin_path("export"), c.ADMIN_RESPONSES["export"], write=False)

    def export(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.export_data(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    def write_log(self) -> list[dict[str, Any]]:
        return self._call("GET", c.admin_path("write-log"), c.ADMIN_RESPONSES["write-log"], write=False)

    def list_handoffs(self) -> list[dict[str, Any]]:
        return self._call("GET", c.admin_path("handoffs"), c.ADMIN_RESPONSES["handoffs"], write=False)

    def reset(self) -> None:
        self._call("POST", c.admin_path("reset"), c.ADMIN_RESPONSES["reset"], write=True)


def _error_body(resp: httpx.Response) -> c.ErrorBody | None:
    try:
        return c.ErrorResponse.model_validate_json(resp.content).error
    except ValidationError:
        return None


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}"
    return f"{type(exc).__name__}: {exc}"
