"""Quick start (engine/router/quick_start.py): a fresh project answers with the quick TF-IDF router at once,
trains the full router in a background process and swaps it in; a failed training keeps the quick one."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.router import Router, StartingRouter, start_router
from engine.router.quick_start import QUICK_DIR, TRAIN_LOG

FIXTURE = Path(__file__).parent / "fixtures" / "intents_small"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "intents")
    return tmp_path


def test_quick_router_answers_then_the_full_one_is_swapped_in(project):
    r = start_router(project)
    assert isinstance(r, StartingRouter)
    assert r.kind == "quick" and r.describe().startswith("quick router")
    assert json.loads((project / QUICK_DIR / "manifest.json").read_text())["quick"] is True
    assert r.route("where is my order").label == "order_status"  # answered before the full router exists
    assert r.wait(timeout=120), (project / TRAIN_LOG).read_text()
    assert r.kind == "full" and r.describe().startswith("full router")
    assert r.route("please cancel my order").label == "cancel_order"
    assert "full router ready" in (project / TRAIN_LOG).read_text()
    manifest = json.loads((project / "models/router/manifest.json").read_text())
    assert manifest["quick"] is False
    again = start_router(project)  # a later start loads the full router straight away
    assert isinstance(again, Router) and again.kind == "full"


def test_a_failed_full_training_keeps_the_quick_router_and_says_why(project):
    r = start_router(project)
    r.wait(timeout=120)
    shutil.rmtree(project / "models" / "router", ignore_errors=False)
    quick_only = StartingRouter(Router.__new__(Router), project, start=False)
    (project / "models" / "router").mkdir(parents=True)
    (project / "intents" / "broken.yaml").write_text("intents: [not a mapping\n")
    quick_only._train_full()  # runs the background process, which fails on the broken file
    assert quick_only.kind == "quick"
    why = quick_only.describe()
    assert "full training failed" in why and "exit code" in why and "train.log" in why
