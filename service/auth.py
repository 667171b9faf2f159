"""Integrator API keys and per-conversation shopper tokens."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request

from service.errors import ApiError

API_KEY_HEADER = "X-API-Key"


@dataclass(frozen=True)
class Principal:
    kind: str  # "key" (integrator), "shopper" (bearer token), "anonymous"
    name: str  # key name, or "" for shoppers/anonymous
    token: str | None = None  # the shopper's bearer token, kept only for this request

    @property
    def is_integrator(self) -> bool:
        return self.kind == "key"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str | None, token_hash: str) -> bool:
    return bool(token) and hmac.compare_digest(hash_token(token), token_hash)


class Authenticator:
    def __init__(self, api_keys: dict[str, str]):
        self.api_keys = api_keys  # secret -> name

    def identify(self, request: Request) -> Principal:
        key = request.headers.get(API_KEY_HEADER)
        if key is not None:
            # compare against every key in constant time per key
            name = None
            for secret, key_name in self.api_keys.items():
                if hmac.compare_digest(secret.encode(), key.encode()):
                    name = key_name
            if name is None:
                raise ApiError("unauthorized", "The API key is not valid.")
            return Principal("key", name)
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return Principal("shopper", "", value.strip())
        return Principal("anonymous", "")

    @staticmethod
    def authorize(principal: Principal, token_hash: str) -> None:
        """Integrators may use every conversation; a shopper only the one its token was issued for."""
        if principal.is_integrator:
            return
        if principal.kind == "anonymous":
            raise ApiError("unauthorized", "Send the conversation token as 'Authorization: Bearer <token>' "
                                           f"or an integrator key in {API_KEY_HEADER}.")
        if not token_matches(principal.token, token_hash):
            raise ApiError("forbidden", "This token does not give access to this conversation.")
