"""The shoptalk HTTP service: FastAPI app, tracker stores, locks, auth, metrics, web chat.

`create_app(settings, engine=None)` builds the app; `service.cli` runs it under uvicorn.
"""
from __future__ import annotations

__all__ = ["create_app", "Settings"]


def __getattr__(name):  # lazy so `import service.tracker` does not pull FastAPI
    if name == "create_app":
        from service.app import create_app

        return create_app
    if name == "Settings":
        from service.settings import Settings

        return Settings
    raise AttributeError(name)
