"""Errors as JSON with a stable code: `{"error": {"code": "...", "message": "..."}}`."""
from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

# code -> HTTP status. Codes are part of the API; never rename one.
CODES: dict[str, int] = {
    "invalid_json": 400,
    "invalid_encoding": 400,
    "bad_request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "conversation_not_found": 404,
    "method_not_allowed": 405,
    "request_timeout": 408,
    "conversation_exists": 409,
    "conversation_busy": 409,
    "lock_lost": 409,
    "message_too_large": 413,
    "body_too_large": 413,
    "unsupported_media_type": 415,
    "invalid_request": 422,
    "rate_limited": 429,
    "internal_error": 500,
    "engine_error": 500,
    "tracker_unavailable": 503,
    "commit_unknown": 503,
    "not_ready": 503,
    "store_unavailable": 503,
}

# Every 401 names the scheme that would work (RFC 9110 requires a challenge with a 401).
CHALLENGE = 'Bearer realm="shoptalk"'
INVALID_TOKEN = CHALLENGE + ', error="invalid_token"'



class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class ApiError(Exception):
    def __init__(self, code: str, message: str, *, retry_after: int | None = None,
                 status: int | None = None, details: Any = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or CODES.get(code, 400)
        self.retry_after = retry_after
        self.details = details
        self.headers = dict(headers or {})
        if self.status == 401:
            self.headers.setdefault("WWW-Authenticate", CHALLENGE)


def error_payload(code: str, message: str, details: Any = None) -> dict:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


def error_response(code: str, message: str, status: int | None = None, *,
                   retry_after: int | None = None, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    headers = dict(headers or {})
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return JSONResponse(error_payload(code, message, details), status_code=status or CODES.get(code, 400),
                        headers=headers or None)


_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 408: "request_timeout", 413: "body_too_large",
                 415: "unsupported_media_type", 422: "invalid_request", 429: "rate_limited", 503: "not_ready"}


def allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette's 405 names only the first route's)."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in request.app.router.routes:
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(request.scope)[0] != Match.NONE:
            methods |= set(route_methods)
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def install(app, on_error=None) -> None:
    """Register handlers so every error leaves the app in the one JSON shape."""

    def count(code: str) -> None:
        if on_error is not None:
            on_error(code)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        count(exc.code)
        return error_response(exc.code, exc.message, exc.status, retry_after=exc.retry_after, details=exc.details,
                              headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            count("invalid_json")
            return error_response("invalid_json", "The request body is not valid JSON.")
        details = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
                   for e in errors]
        count("invalid_request")
        return error_response("invalid_request", "The request does not match the schema.", details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = _STATUS_CODES.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal_error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        headers = {}
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            # FastAPI wraps every body-parsing failure alike: only a decoding error is an encoding
            # problem; a body nested past the parser's depth (RecursionError) is bad JSON
            if isinstance(exc.__cause__, UnicodeDecodeError):
                code, message = "invalid_encoding", "The request body is not valid UTF-8."
            else:
                code, message = "invalid_json", "The request body is not valid JSON."
        elif exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        elif exc.status_code == 401:
            headers["WWW-Authenticate"] = CHALLENGE
        count(code)
        return error_response(code, message, exc.status_code, retry_after=headers_retry(exc), headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):  # pragma: no cover - last resort
        count("internal_error")
        import logging

        logging.getLogger("shoptalk.service").exception("unhandled error on %s", request.url.path)
        return error_response("internal_error", "Something went wrong on our side.", 500)


def headers_retry(exc) -> int | None:
    headers = getattr(exc, "headers", None) or {}
    value = headers.get("Retry-After")
    return int(value) if value and str(value).isdigit() else None
