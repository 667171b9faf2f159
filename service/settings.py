"""Service settings: defaults < optional YAML file < environment variables (< CLI flags).

Every field can be set by the environment variable `SHOPTALK_<FIELD>` (upper case), lists as
comma-separated values, booleans as 1/0/true/false/yes/no. The YAML file is named by
`SHOPTALK_CONFIG` (or `shoptalk serve --config`) and holds the same field names (lower case),
either at top level or under a `service:` key.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator

ENV_PREFIX = "SHOPTALK_"


class Settings(BaseModel):
    # Engine
    project_dir: str = "."
    # engine store: a SQLite path or sqlite:///path, postgresql://user@host/db (run `shoptalk store migrate`
    # first) or http(s)://... (the shop's own system); None = $SHOPTALK_STORE or var/store.sqlite
    store_path: str | None = None
    # bearer token for an http(s):// store (docs/store_http.md); it reaches the store as SHOPTALK_STORE_TOKEN
    store_token: str | None = None
    generator: str = "auto"  # "auto": embedded generator for open questions (loaded lazily); "off": patterns only
    # true (`make run`, `shoptalk serve --quick-start`): without an up-to-date trained router, answer at once
    # with a TF-IDF-only one trained in seconds and swap in the full one when its background training ends
    # (engine/router/quick_start.py); false: train the full router before serving
    quick_start: bool = False
    # the designer view (/designer) and the chat page's state panel (/?designer=1); false for a public shop
    designer: bool = True
    # Tracker store: sqlite:///path/to/tracker.db (default) or redis://host:port/db
    tracker_url: str = "sqlite:///var/tracker.db"
    # lease of a conversation lock, renewed every third of it while a turn runs: a holder that dies
    # (or gives up after the store failed) blocks the conversation for at most this long
    lock_ttl_seconds: float = 2.0
    lock_wait_seconds: float = 20.0  # how long a message waits for its conversation's lock
    redis_timeout_seconds: float = 2.0
    # after a failed commit, how long to keep asking the store whether the turn was saved before
    # answering 503 commit_unknown
    commit_settle_seconds: float = 3.0
    # a request body that has not fully arrived after this long gets 408 request_timeout
    body_timeout_seconds: float = 10.0
    conversation_cache_size: int = 2000  # restored conversations kept in memory per worker
    # Auth
    api_keys: list[str] = Field(default_factory=list)  # "name:secret" or "secret"
    public_conversations: bool = True  # shoppers (web page) may start conversations without a key
    cors_origins: list[str] = Field(default_factory=list)  # [] = same origin only; ["*"] = any
    # Limits
    rate_limit_per_minute: int = 600  # per API key; 0 disables
    rate_limit_burst: int = 100
    shopper_rate_limit_per_minute: int = 60  # per conversation token, and per IP for creation
    shopper_rate_limit_burst: int = 20
    max_body_bytes: int = 16_384
    max_message_chars: int = 2_000
    retry_after_seconds: int = 2
    # Features
    web_chat: bool = True
    rasa_channel: bool = True
    # the Rasa channel continues a conversation by `sender` alone, so it needs an integrator key;
    # true opens it to anyone (local development only: a warning is logged at start)
    rasa_channel_open: bool = False
    log_level: str = "info"
    redact_logs: bool = True
    # Analytics, feedback and the review inbox (docs/analytics.md)
    analytics: bool = True
    analytics_url: str | None = None  # sqlite:///path.db or postgresql://...; None: beside a SQLite tracker
    analytics_refresh_seconds: float = 10.0  # endpoints derive new turns at most this often
    abandon_minutes: float = 30.0  # an open task with no message for this long counts as abandoned
    retention_days: int = 0  # analytics, feedback and review rows older than this are removed; 0 keeps them
    review_low_confidence: float = 0.5  # a classifier route below this joins the review inbox
    review_cluster_distance: float = 0.5  # a small review inbox is cut at this MiniLM cosine distance
    review_groups_per_sqrt: float = 1.5  # the inbox aims at this x sqrt(messages) groups (300 -> 26)
    review_router_weight: float = 3.0  # weight of the router's probabilities beside MiniLM when grouping
    feedback_rate_limit_per_minute: int = 30  # per conversation; 0 disables
    feedback_rate_limit_burst: int = 10
    feedback_rating_off: list[str] = Field(default_factory=list)  # flows that offer no 1-5 rating when done

    @field_validator("api_keys", "cors_origins", "feedback_rating_off", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [p.strip() for p in v.split(",") if p.strip()]
        return v

    @classmethod
    def load(cls, config: str | os.PathLike | None = None, env: dict[str, str] | None = None,
             **overrides: Any) -> "Settings":
        env = dict(os.environ if env is None else env)
        data: dict[str, Any] = {}
        config = config or env.get(ENV_PREFIX + "CONFIG")
        if config:
            import yaml

            loaded = yaml.safe_load(Path(config).read_text(encoding="utf-8")) or {}
            if not isinstance(loaded, dict):
                raise ValueError(f"{config}: expected a mapping of settings")
            loaded = loaded.get("service", loaded)
            unknown = set(loaded) - set(cls.model_fields)
            if unknown:
                raise ValueError(f"{config}: unknown settings {sorted(unknown)}")
            data.update(loaded)
        for name in cls.model_fields:
            key = ENV_PREFIX + name.upper()
            if key in env:
                data[name] = env[key]
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)

    def to_env(self) -> dict[str, str]:
        """The environment that reproduces these settings in a worker process."""
        out = {}
        for name, value in self.model_dump().items():
            if value is None:
                continue
            if isinstance(value, list):
                value = ",".join(value)
            elif isinstance(value, bool):
                value = "1" if value else "0"
            out[ENV_PREFIX + name.upper()] = str(value)
        return out

    def parsed_api_keys(self) -> dict[str, str]:
        """secret -> key name (the name labels metrics and rate limits, never the secret)."""
        keys = {}
        for i, item in enumerate(self.api_keys):
            name, sep, secret = item.partition(":")
            if not sep:
                name, secret = f"key{i + 1}", item
            keys[secret] = name
        return keys
