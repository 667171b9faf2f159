"""Wiring of the analytics, feedback and review endpoints into the app (called by `create_app`)."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from service.ratelimit import Limit, limiter


def default_url(settings) -> str:
    """Beside a SQLite tracker (`var/tracker.db` -> `var/tracker.analytics.db`), in memory beside an
    in-memory one, else `var/analytics.db`."""
    if settings.analytics_url:
        return settings.analytics_url
    url = settings.tracker_url
    if url.startswith("sqlite://"):
        path = url[len("sqlite://"):]
        if path in ("", ":memory:", "/:memory:"):
            return "sqlite://:memory:"
        return "sqlite://" + str(Path(path).with_suffix("")) + ".analytics.db"
    return "sqlite:///var/analytics.db"


def install(app: FastAPI, *, principal, authorized, limit) -> None:
    """`principal`, `authorized` and `limit` are the app's own auth and rate-limit helpers."""
    from service import feedback, review
    from service.analytics import api

    state = app.state
    settings = state.settings
    state.principal, state.authorized = principal, authorized
    state.analytics = None
    if settings.analytics:
        from service.analytics.counters import AnalyticsCounters
        from service.analytics.db import AnalyticsDB
        from service.analytics.ingest import Analytics

        db = AnalyticsDB(default_url(settings))
        state.analytics = Analytics(db, state.tracker, state.engine, settings, AnalyticsCounters(state.metrics.registry))
    bucket = limiter(state.tracker, "feedback", settings.feedback_rate_limit_per_minute,
                     settings.feedback_rate_limit_burst)

    async def limit_feedback(key: str) -> None:
        await limit(bucket, key)

    state.limit_feedback = limit_feedback
    app.include_router(feedback.router)
    app.include_router(api.router)
    app.include_router(review.router)


def forget(app: FastAPI, conv_id: str) -> None:
    """DELETE /v1/conversations/{id}: its analytics, feedback and review rows go too."""
    analytics = getattr(app.state, "analytics", None)
    if analytics is not None:
        analytics.forget(conv_id)
