"""Hot reload in a temporary copy of the project: an edited prompt shows on the next turn, a broken
flow keeps the running version (error logged at file:line), a removed active flow ends politely, and
changed intents retrain the router in the background, then swap. Through the watcher and the app."""
from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import pytest

from engine import Engine
from engine.reload import EngineHolder
from service.reload import ProjectWatcher

ROOT = Path(__file__).resolve().parents[1]
SMALL_INTENTS = ROOT / "tests" / "fixtures" / "intents_small"
CANCEL = '/cancel_order{"order_id": "#W2378156"}'
RETURN = '/return_items{"order_id": "#W2378156"}'
EMAIL_PROMPT = "What's the email address on your account?"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from engine.store import open_store

    return open_store(str(tmp_path_factory.mktemp("store") / "store.db"))


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ROOT / "flows", tmp_path / "flows")
    shutil.copytree(SMALL_INTENTS, tmp_path / "intents")
    (tmp_path / "models").mkdir()
    shutil.copy(ROOT / "models" / "router_settings.yaml", tmp_path / "models")
    return tmp_path


@pytest.fixture
def holder(project, store):
    return EngineHolder(Engine.load(project, store=store, router="rules", generator=None, spacy=False))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def poll(watcher: ProjectWatcher) -> list:
    """Two polls: the first sees the change, the second finds it settled and acts."""
    assert watcher.poll_once() == []
    return watcher.poll_once()


def test_edited_prompt_is_used_on_the_next_turn(holder, project):
    watcher = ProjectWatcher(holder, project)
    conv = holder.new_conversation()
    assert conv.send(CANCEL).active_flow == "authenticate"
    edit(project / "flows" / "authenticate.yaml", EMAIL_PROMPT, "Which email do you shop with? (edited)")
    [outcome] = poll(watcher)
    assert outcome.ok and outcome.kind == "flows" and holder.version == 1
    turn = conv.send("email")
    assert "Which email do you shop with? (edited)" in turn.text and turn.active_flow == "authenticate"
    assert holder.new_conversation().send(CANCEL).active_flow == "authenticate"  # new conversations too
    assert watcher.poll_once() == []  # nothing changed since


def test_broken_flow_keeps_the_running_version(holder, project, caplog):
    watcher = ProjectWatcher(holder, project)
    conv = holder.new_conversation()
    conv.send(CANCEL)
    path = project / "flows" / "authenticate.yaml"
    edit(path, EMAIL_PROMPT, "Email, please? (broken version)")
    with path.open("a", encoding="utf-8") as f:
        f.write("  - fly: away\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    with caplog.at_level(logging.ERROR, logger="shoptalk.reload"):
        [outcome] = poll(watcher)
    assert not outcome.ok and holder.version == 0
    assert any(p.startswith(f"flows/authenticate.yaml:{line}:") for p in outcome.problems), outcome.problems
    assert f"flows/authenticate.yaml:{line}:" in caplog.text and ": error: " in caplog.text
    assert EMAIL_PROMPT in conv.send("email").text  # the running version answered
    # fixing the file swaps in the fixed version
    edit(path, "  - fly: away\n", "")
    [outcome] = poll(watcher)
    assert outcome.ok and holder.version == 1
    fresh = holder.new_conversation()
    fresh.send(CANCEL)
    assert "Email, please? (broken version)" in fresh.send("email").text


def test_removed_active_flow_ends_politely(holder, project):
    watcher = ProjectWatcher(holder, project)
    inside = holder.new_conversation()
    assert inside.send(RETURN).flow_stack == ["return_items", "authenticate"]
    elsewhere = holder.new_conversation()
    assert elsewhere.send(CANCEL).flow_stack == ["cancel_order", "authenticate"]
    (project / "flows" / "return_items.yaml").unlink()
    [outcome] = poll(watcher)
    assert outcome.ok and "return_items" not in holder.flows.flows
    turn = inside.send("email")
    assert not turn.ended and turn.flow_stack == [] and turn.route.label == "flow_removed"  # the chat goes on
    assert "return items" in turn.text and "no longer available" in turn.text and "Nothing more was changed" in turn.text
    assert not turn.actions
    assert any(e.get("reason") == "flow_removed" for e in turn.events)
    # the conversation goes on afterwards, and one in a flow that still exists just continues
    assert inside.send(CANCEL).active_flow == "authenticate"
    turn = elsewhere.send("email")
    assert turn.flow_stack == ["cancel_order", "authenticate"] and EMAIL_PROMPT in turn.text


def test_moved_question_ends_politely(holder, project):
    """A collect inserted before the one a conversation waits at takes its place (and its auto id):
    the conversation is not fed into the wrong question but told the flow changed."""
    watcher = ProjectWatcher(holder, project)
    conv = holder.new_conversation()
    assert conv.send(CANCEL).expecting.slot == "auth_method"
    edit(project / "flows" / "authenticate.yaml", "  - collect: auth_method\n", "  - collect: zip\n  - collect: auth_method\n")
    [outcome] = poll(watcher)
    assert outcome.ok
    turn = conv.send("email")
    assert not turn.ended and not turn.flow_stack and "was changed while we were talking" in turn.text
    assert any(e.get("reason") == "flow_changed" for e in turn.events)


def test_changed_intents_retrain_in_the_background_then_swap(project, store, caplog):
    engine = Engine.load(project, store=store, router="auto", generator=None, spacy=False)
    holder = EngineHolder(engine)
    watcher = ProjectWatcher(holder, project)
    old_router = engine.router
    probe = "zorblax wibble gronk"
    assert old_router.route(probe).label == "fallback"
    with (project / "intents" / "order_status.yaml").open("a", encoding="utf-8") as f:
        f.write("".join(f"- {probe} {word}\n" for word in ("now", "please", "today", "again", "status", "soon")))
    with caplog.at_level(logging.INFO, logger="shoptalk.reload"):
        assert poll(watcher) == ["retraining"]
        assert holder.wait_for_training(120)
    assert holder.version == 1 and holder.current().router is not old_router
    assert holder.current().flows is engine.flows  # only the router changed
    assert holder.history[-1].kind == "router" and holder.history[-1].ok
    assert holder.new_conversation().send(probe).route.label == "order_status"
    assert "retraining the router in the background" in caplog.text and "swapped in" in caplog.text
    # broken intents: the retrained router stays, the error is logged with file:line
    bad = project / "intents" / "cancel_order.yaml"
    bad.write_text("intent: cancel_order\nexamples:\n- [unclosed\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="shoptalk.reload"):
        assert poll(watcher) == ["retraining"]
        assert holder.wait_for_training(120)
    assert holder.version == 1 and not holder.history[-1].ok
    where = f"{project / 'intents' / 'cancel_order.yaml'}:4:"
    assert any(p.startswith(where) for p in holder.history[-1].problems), holder.history[-1].problems
    assert where in caplog.text


def test_rules_router_does_not_retrain(holder, project):
    watcher = ProjectWatcher(holder, project)
    (project / "intents" / "order_status.yaml").write_text("intent: order_status\nexamples:\n- where\n")
    assert poll(watcher) == ["not retrained (keyword rules)"] and holder.version == 0


def test_serve_reload_in_the_app(project, store, monkeypatch):
    """The app's lifespan starts the watcher when SHOPTALK_RELOAD is set (as `serve --reload` does per
    worker); an edit shows over HTTP without a restart."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    monkeypatch.setenv("SHOPTALK_RELOAD", "1")
    engine = Engine.load(project, store=store, router="rules", generator=None, spacy=False)
    settings = Settings(tracker_url=f"sqlite:///{project}/tracker.db", project_dir=str(project))
    with TestClient(create_app(settings, engine=engine)) as client:
        app = client.app
        app.state.watcher.interval = 0.05
        created = client.post("/v1/conversations").json()
        auth = {"Authorization": f"Bearer {created['token']}"}
        send = lambda text: client.post(f"/v1/conversations/{created['conversation_id']}/messages",  # noqa: E731
                                        json={"text": text}, headers=auth).json()
        send(CANCEL)
        edit(project / "flows" / "authenticate.yaml", EMAIL_PROMPT, "Your shop email, please (hot)?")
        deadline = time.monotonic() + 20
        while client.get("/v1/designer/status").json()["version"] < 1:
            assert time.monotonic() < deadline, "the watcher did not reload the edited flow"
            time.sleep(0.05)
        status = client.get("/v1/designer/status").json()
        assert status["hot_reload"] and status["reloads"][-1]["ok"]
        assert "Your shop email, please (hot)?" in " ".join(m["text"] for m in send("email")["messages"])
        (project / "flows" / "order_status.yaml").unlink()
        while "order_status" in {f["id"] for f in client.get("/v1/flows").json()}:
            assert time.monotonic() < deadline + 20, "/v1/flows still lists a removed flow"
            time.sleep(0.05)
    assert app.state.watcher is None  # stopped with the app


def test_serve_flags(monkeypatch):
    """`--reload` turns on the flows/intents watcher in every worker; `--reload-code` is uvicorn's reloader."""
    import argparse
    import os

    import uvicorn

    from service import cli

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(kw))
    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items() if k != "SHOPTALK_RELOAD"})
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    assert cli.run(parser.parse_args(["--reload"])) == 0
    assert os.environ.get("SHOPTALK_RELOAD") == "1" and calls[-1]["reload"] is False
    del os.environ["SHOPTALK_RELOAD"]
    assert cli.run(parser.parse_args(["--reload-code"])) == 0
    assert "SHOPTALK_RELOAD" not in os.environ and calls[-1]["reload"] is True
