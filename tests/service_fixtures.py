"""Shared fixtures and helpers for the service tests (imported explicitly; tests/conftest.py is shared).

The real engine is loaded ONCE per test process (`real_engine`), against a temporary copy of the store.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.ci_guard import in_ci, require

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
IN_CI = in_ci()
REDIS_URL = os.environ.get("SHOPTALK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available(url: str = REDIS_URL) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
        return True
    except Exception:
        return False


def require_redis(url: str = REDIS_URL) -> None:
    require(redis_available(url), f"a Redis server answering at {url}", "start redis-server; .ci/run starts one")


def redis_server_binary() -> str:
    """The `redis-server` binary (for tests that stop and start their own Redis)."""
    binary = shutil.which("redis-server")
    require(binary is not None, "the redis-server binary on PATH", "apt-get install redis-server")
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_ENGINE = None
_ENGINE_DIR = None


def engine_store_copy(dest: Path) -> str:
    """A fresh store file for a server under test; the engine seeds it on first load."""
    dest.mkdir(parents=True, exist_ok=True)
    return str(dest / "store.db")


def get_real_engine():
    """The real engine, loaded once per process against a temporary store."""
    global _ENGINE, _ENGINE_DIR
    if _ENGINE is None:
        from engine import Engine  # an ImportError here is a broken engine: an error, never a skip

        _ENGINE_DIR = Path(tempfile.mkdtemp(prefix="shoptalk-engine-"))
        _ENGINE = Engine.load(ROOT, store_path=str(_ENGINE_DIR / "store.db"), generator=None)
    return _ENGINE


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            r = httpx.get(url, timeout=1.0)
            if r.status_code == 200:
                return
            last = r.status_code
        except Exception as exc:
            last = exc
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout}s: {last}")


class Server:
    """A uvicorn process bound to 127.0.0.1, always stopped by `stop()` (use as a context manager)."""

    def __init__(self, env: dict[str, str], *, workers: int = 1, port: int | None = None, log: Path | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = dict(os.environ, PYTHONPATH=str(ROOT), **env)
        full_env.setdefault("SHOPTALK_PROJECT_DIR", str(ROOT))
        self.log_path = log or Path(tempfile.mkstemp(prefix="shoptalk-server-", suffix=".log")[1])
        self._log = open(self.log_path, "wb")
        cmd = [PYTHON, "-m", "uvicorn", "service.app:app_from_env", "--factory", "--host", "127.0.0.1",
               "--port", str(self.port), "--workers", str(workers), "--no-access-log", "--log-level", "warning"]
        self.proc = subprocess.Popen(cmd, env=full_env, cwd=str(ROOT), stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def wait(self, timeout: float = 90.0) -> "Server":
        wait_http(self.url + "/healthz", timeout, self.proc)
        return self

    def stop(self) -> None:
        if self.proc.poll() is None:
            import signal

            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except Exception:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(5)
        self._log.close()

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class RedisServer:
    """A private redis-server on a free loopback port (for stop/start tests), always stopped."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self) -> "RedisServer":
        self.proc = subprocess.Popen([redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while not redis_available(self.url):
            if time.monotonic() > deadline:
                raise TimeoutError("private redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


def informed(payloads) -> dict:
    """The slot values that the `/inform{...}` button payloads among `payloads` set (later ones win)."""
    values = {}
    for payload in payloads:
        if payload.startswith("/inform{"):
            values.update(json.loads(payload.removeprefix("/inform")))
    return values


def store_changes(before: dict, after: dict) -> dict:
    """What differs between two store exports ({"users", "orders", "products"}, each keyed by id):
    {(table, id): {field: (old, new)}}, with None for a record or field that is absent."""
    changes = {}
    for table in sorted(set(before) | set(after)):
        old_rows, new_rows = before.get(table, {}), after.get(table, {})
        for key in sorted(set(old_rows) | set(new_rows)):
            old, new = old_rows.get(key) or {}, new_rows.get(key) or {}
            if old != new:
                changes[(table, key)] = {f: (old.get(f), new.get(f)) for f in sorted(set(old) | set(new))
                                         if old.get(f) != new.get(f)}
    return changes


RETURN_TRIGGER = '/return_items{"order_id": "#W2378156"}'
RETURN_EMAIL = "yusuf.rossi7301@example.com"  # the owner of #W2378156 in the seed data


def next_return_step(turn: dict) -> tuple[str, str]:
    """What a shopper finishing the return does next: ("click", payload) or ("type", text)."""
    expecting = turn.get("expecting") or {}
    buttons = [b for m in turn.get("messages", []) for b in m.get("buttons", [])]
    slot = expecting.get("slot")
    if slot == "email":
        return "type", RETURN_EMAIL
    if slot == "auth_method":
        return "click", next(b["payload"] for b in buttons if "email" in b["payload"])
    if slot == "confirmation":
        return "click", next(b["payload"] for b in buttons if b["payload"] == "/affirm")
    if buttons:
        return "click", buttons[0]["payload"]
    raise AssertionError(f"no way forward from {turn}")


def return_done(turn: dict) -> bool:
    return any(a["name"].startswith("return") and a.get("write") and a.get("ok") for a in turn.get("actions", []))
