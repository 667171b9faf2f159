"""The reference server of the HTTP store contract: `shoptalk store serve-http`, over the SQLite store.

It is what the HTTP backend's tests and scripted drives run against, and a starting point for
integrators: replace the `SqliteStore` calls with calls into the shop's order system and keep the
rest (bearer token, acting-for header, idempotency keys, error shape). The engine's policy runs
here, so its refusals are the engine's own sentences and codes.
"""
import hmac
import inspect
import json
import logging
import sys
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from . import http_contract as c
from .access import STAFF
from .actions import ACTIONS
from .errors import StoreError
from .http_idempotency import IdempotencyLog, Replay, fingerprint
from .sqlite_store import SqliteStore

log = logging.getLogger("shoptalk.store.http_server")


class ContractError(Exception):
    """A call the contract itself refuses (token, headers, keys), answered with the error shape."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def acting_for(request: Request) -> Any:
    """The principal of a call: STAFF, a shopper's user id, or None (nobody signed in)."""
    value = request.headers.get(c.ACTING_FOR_HEADER)
    if value is None:
        return None
    if value == "staff":
        return STAFF
    kind, _, user_id = value.partition(":")
    if kind != "user" or not user_id.strip():
        raise ContractError(400, c.BAD_ACTING_FOR,
                            f"{c.ACTING_FOR_HEADER} must be 'staff' or 'user:<user_id>', not {value!r}.")
    return user_id


def run_action(store: SqliteStore, name: str, args: dict[str, Any], as_user: Any) -> Any:
    """Call the store method for `name`; an omitted optional argument keeps the method's default."""
    method = getattr(store, name)
    params = inspect.signature(method).parameters
    call = {}
    for key, value in args.items():
        if value is None and key == "user_id" and isinstance(as_user, str):
            value = as_user  # as the engine's call_action does: the signed-in shopper's own account
        if value is None and params[key].default is not inspect.Parameter.empty:
            continue
        call[key] = value
    if "as_user" in params:
        call["as_user"] = as_user
    return method(**call)


def _header_docs(write: bool) -> list[dict[str, Any]]:
    acting = {"name": c.ACTING_FOR_HEADER, "in": "header", "required": False, "schema": {"type": "string"},
              "description": "Whom the call acts for: 'user:<user_id>' (the signed-in shopper, whose own data "
                             "only may be read or changed) or 'staff'. Absent: nobody is signed in."}
    key = {"name": c.IDEMPOTENCY_HEADER, "in": "header", "required": True, "schema": {"type": "string"},
           "description": "Unique per write; a request repeated with the same key is applied once and "
                          "answered with the first answer."}
    return [acting, key] if write else [acting]


def create_app(store: SqliteStore, token: str, *, allow_reset: bool = False) -> FastAPI:
    """The contract's routes over `store`; every route but /v1/health needs `Authorization: Bearer <token>`."""
    if not token:
        raise ValueError("the reference server needs a bearer token (SHOPTALK_STORE_TOKEN)")
    app = FastAPI(title="shoptalk store actions", version="1",
                  description="The JSON contract between shoptalk's flows and a shop's own order system. "
                              "See docs/store_http.md.")
    keys = IdempotencyLog(store.path)
    bearer = HTTPBearer(auto_error=False)

    def authorized(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
        if creds is None or not hmac.compare_digest(creds.credentials.encode(), token.encode()):
            raise ContractError(401, c.UNAUTHORIZED, "Missing or wrong bearer token.",
                                {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(ContractError)
    def _contract_error(request: Request, exc: ContractError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors())
        return error_response(422, "bad_arguments", f"The request doesn't fit the contract: {problems}.")

    @app.exception_handler(Exception)
    def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("store action %s failed", request.url.path)
        return error_response(500, "internal_error", "The order system failed on this request; nothing was "
                                                      "changed by it.")

    def answer(name: str, body: BaseModel, request: Request) -> JSONResponse:
        as_user = acting_for(request)
        try:
            result = run_action(store, name, body.model_dump(), as_user)
        except StoreError as exc:
            return error_response(c.refusal_status(exc.code), exc.code, exc.message)
        return JSONResponse({"result": result})

    def keyed(name: str, body: BaseModel, request: Request) -> JSONResponse:
        """A write: answered once per Idempotency-Key; a replay gets the first answer, applied once."""
        key = request.headers.get(c.IDEMPOTENCY_HEADER, "").strip()
        if not key:
            raise ContractError(400, c.IDEMPOTENCY_KEY_REQUIRED, f"A write needs an {c.IDEMPOTENCY_HEADER} header.")
        started = keys.begin(key, fingerprint(name, request.headers.get(c.ACTING_FOR_HEADER), body.model_dump()))
        if isinstance(started, Replay):
            return JSONResponse(json.loads(started.body), status_code=started.status,
                                headers={c.REPLAYED_HEADER: "true"})
        if started == "reused":
            raise ContractError(422, c.IDEMPOTENCY_KEY_REUSED,
                                f"{c.IDEMPOTENCY_HEADER} {key} was already used for a different request.")
        if started == "in_progress":
            raise ContractError(409, c.IDEMPOTENCY_IN_PROGRESS,
                                f"The first request with {c.IDEMPOTENCY_HEADER} {key} is still running.",
                                {"Retry-After": "1"})
        try:
            response = answer(name, body, request)
        except BaseException:
            keys.abandon(key)  # nothing was written: the same key may try again
            raise
        keys.finish(key, response.status_code, response.body.decode())
        return response

    def route(name: str, model: type[BaseModel]) -> None:
        spec = ACTIONS[name]
        handler = keyed if spec.write else answer

        def endpoint(body: model, request: Request) -> JSONResponse:  # type: ignore[valid-type]
            return handler(name, body, request)

        app.add_api_route(
            c.action_path(name), endpoint, methods=["POST"], response_model=c.RESPONSES[name],
            name=name, summary=spec.description, dependencies=[Depends(authorized)],
            tags=["writes" if spec.write else "reads"],
            responses={400: {"model": c.ErrorResponse}, 401: {"model": c.ErrorResponse},
                       403: {"model": c.ErrorResponse}, 404: {"model": c.ErrorResponse},
                       409: {"model": c.ErrorResponse}, 422: {"model": c.ErrorResponse},
                       500: {"model": c.ErrorResponse}},
            openapi_extra={"parameters": _header_docs(spec.write)})

    for action_name, request_model in c.REQUESTS.items():
        route(action_name, request_model)

    admin = {"dependencies": [Depends(authorized)], "tags": ["admin"],
             "responses": {401: {"model": c.ErrorResponse}, 403: {"model": c.ErrorResponse}}}

    @app.get(c.admin_path("export"), response_model=c.ADMIN_RESPONSES["export"], **admin)
    def export() -> JSONResponse:
        """The whole store in the seed files' shape."""
        return JSONResponse({"result": store.export_data()})

    @app.get(c.admin_path("write-log"), response_model=c.ADMIN_RESPONSES["write-log"], **admin)
    def write_log() -> JSONResponse:
        """Every write, oldest first: who asked and whose data it touched."""
        return JSONResponse({"result": store.write_log()})

    @app.get(c.admin_path("handoffs"), response_model=c.ADMIN_RESPONSES["handoffs"], **admin)
    def handoffs() -> JSONResponse:
        """The tickets of conversations handed to a person."""
        return JSONResponse({"result": store.list_handoffs()})

    @app.post(c.admin_path("reset"), response_model=c.ADMIN_RESPONSES["reset"], **admin)
    def reset() -> JSONResponse:
        """Rebuild the store from the seed (only when the server was started with reset allowed)."""
        if not allow_reset:
            raise ContractError(403, c.RESET_DISABLED, "This server was started without --allow-reset.")
        store.reset()
        keys.clear()
        return JSONResponse({"result": {"reset": True}})

    @app.get(f"{c.API_PREFIX}/health", tags=["admin"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def serve(args: Any) -> int:
    """`shoptalk store serve-http [--db PATH] [--host H] [--port P] [--allow-reset]`, token from the settings."""
    import os

    import uvicorn

    from .sqlite_store import default_path
    from .urls import sqlite_path, store_kind

    try:
        kind = store_kind(args.db)
    except ValueError as exc:
        kind = str(exc)
    if kind != "sqlite":
        print(f"shoptalk store serve-http: --db must be a SQLite file or sqlite:/// URL, not {args.db!r}",
              file=sys.stderr)
        return 2
    token = os.environ.get("SHOPTALK_STORE_TOKEN", "")
    if not token:
        print("shoptalk store serve-http: set SHOPTALK_STORE_TOKEN to the bearer token clients must send",
              file=sys.stderr)
        return 2
    with SqliteStore(sqlite_path(args.db) if args.db else default_path()) as store:
        app = create_app(store, token, allow_reset=args.allow_reset)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
