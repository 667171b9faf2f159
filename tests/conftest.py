"""Shared fixtures for the conversation tests.

A seeded store is built once per session and copied per test (seeding takes a while; a file copy
does not). `engine` is a factory for an Engine with the keyword router and no generator, so the
tests are fast and deterministic. `talk(conv, *msgs)` sends messages in order and returns the turns.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine import Engine
from engine.store import SqliteStore, open_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "store.sqlite"
    SqliteStore(path).close()
    return path


@pytest.fixture(scope="session")
def seed_export(seeded_db) -> dict:
    with open_store(seeded_db) as s:
        return s.export_data()


@pytest.fixture
def store_copy(seeded_db, tmp_path):
    """Factory: a fresh copy of the seeded store file (path)."""
    n = [0]

    def make() -> Path:
        n[0] += 1
        path = tmp_path / f"store{n[0]}.sqlite"
        shutil.copyfile(seeded_db, path)
        return path

    return make


@pytest.fixture
def fresh_store(store_copy):
    """Factory: an open store on a fresh copy of the seed (for computing expected end states)."""
    opened = []

    def make() -> SqliteStore:
        s = open_store(store_copy())
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def engine(store_copy):
    """Factory: Engine.load(project, router="rules", generator=None) on a fresh store copy."""
    made = []

    def make(project: Path | str = ROOT, **kwargs) -> Engine:
        kwargs.setdefault("router", "rules")
        kwargs.setdefault("generator", None)
        kwargs.setdefault("store_path", store_copy())
        e = Engine.load(project, **kwargs)
        made.append(e)
        return e

    yield make
    for e in made:
        try:
            e.store.close()
        except Exception:
            pass


def talk(conv, *msgs):
    """Send each message; return the list of turns."""
    return [conv.send(m) for m in msgs]


def payloads(turn) -> list[str]:
    return [b.payload for m in turn.messages for b in m.buttons]


def expected_after(fresh_store, op: str | None = None, *args, **kwargs) -> dict:
    """The export of a fresh seeded store after applying one store operation (or none)."""
    s = fresh_store()
    if op:
        getattr(s, op)(*args, **kwargs)
    return s.export_data()


def strip_volatile(data: dict) -> dict:
    return data


@pytest.fixture(scope="session")
def seed(seed_export):
    return seed_export
