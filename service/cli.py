"""`shoptalk serve`: run the HTTP service (and web chat) under uvicorn."""
from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8000)")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default 1; "
                        "use a redis:// tracker for more than one host)")
    parser.add_argument("--config", default=None, help="YAML settings file (see docs/service.md)")
    parser.add_argument("--reload", action="store_true", help="hot reload: watch flows/ and intents/ and swap "
                        "valid edits in between turns (each worker watches on its own)")
    parser.add_argument("--reload-code", action="store_true", help="restart on Python code changes (uvicorn's "
                        "reloader, development only; one worker)")
    parser.add_argument("--quick-start", action="store_true", default=None, help="without an up-to-date trained "
                        "router, answer at once with a quick TF-IDF one and swap in the full router when its "
                        "background training ends (what `make run` does)")
    parser.add_argument("--tracker-url", default=None, help="sqlite:///var/tracker.db or redis://host:6379/0")
    parser.add_argument("--store-path", default=None, help="the engine's store: a SQLite path, "
                        "sqlite:///path, postgresql://user@host/db or http(s)://...")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from service.settings import Settings

    project = getattr(args, "project", None) or "."
    settings = Settings.load(getattr(args, "config", None), project_dir=str(Path(project).resolve()),
                             tracker_url=getattr(args, "tracker_url", None),
                             store_path=getattr(args, "store_path", None),
                             quick_start=getattr(args, "quick_start", None))
    if settings.tracker_url.startswith("sqlite:///") and not settings.tracker_url.startswith("sqlite:////"):
        # a relative tracker path is relative to the project folder, not the shell's directory
        rel = settings.tracker_url[len("sqlite:///"):]
        settings.tracker_url = "sqlite:///" + str(Path(settings.project_dir) / rel)
    os.environ.update(settings.to_env())  # workers rebuild the same settings from the environment
    if getattr(args, "reload", False):
        from service.reload import ENV

        os.environ[ENV] = "1"  # each worker's lifespan starts its own watcher
    workers = getattr(args, "workers", None) or int(os.environ.get("SHOPTALK_WORKERS", "1"))
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="shoptalk-metrics-")
    host = getattr(args, "host", None) or os.environ.get("SHOPTALK_HOST", "127.0.0.1")
    port = getattr(args, "port", None) or int(os.environ.get("SHOPTALK_PORT", "8000"))
    if workers > 1 and settings.tracker_url.startswith("sqlite"):
        print("note: several workers share the SQLite tracker through its lease locks; use Redis across hosts")
    reload_code = bool(getattr(args, "reload_code", False))
    watched = ", hot reload of flows/ and intents/" if getattr(args, "reload", False) else ""
    print(f"shoptalk serving http://{host}:{port}/  (workers={workers}, tracker={settings.tracker_url.split('@')[-1]}"
          f"{watched}); designer view: http://{host}:{port}/designer")
    uvicorn.run("service.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                reload=reload_code, log_level=settings.log_level.lower(),
                access_log=False, timeout_graceful_shutdown=10)
    return 0
