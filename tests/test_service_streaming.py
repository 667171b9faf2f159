"""SSE with the real embedded generator (SmolLM2, CPU): an open question that the router sends to
fallback streams the generator's tokens as `token` events before the final `turn` event."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
QUESTION = "What time zone are order times in?"


@pytest.fixture(scope="module")
def client():
    from engine import Engine
    from engine.generator import GeneratorSettings, load_answerer

    settings = GeneratorSettings.load(ROOT, env={}).model_copy(update={"backend": "embedded", "deadline_s": 30.0})
    tmp = Path(tempfile.mkdtemp(prefix="shoptalk-sse-"))
    engine = Engine.load(ROOT, store_path=str(tmp / "store.db"), generator=load_answerer(ROOT, settings))
    app = create_app(Settings(tracker_url=f"sqlite:///{tmp}/tracker.db", rate_limit_per_minute=0,
                              shopper_rate_limit_per_minute=0), engine=engine)
    with TestClient(app) as c:
        yield c


def sse_events(response) -> list[tuple[str, dict]]:
    """(event, data) for each event, in the order the stream sent them."""
    out, kind = [], None
    for line in response.iter_lines():
        if line.startswith("event: "):
            kind = line.removeprefix("event: ")
        elif line.startswith("data: "):
            out.append((kind, json.loads(line.removeprefix("data: "))))
    return out


def test_generated_answer_streams_tokens_before_the_turn(client):
    created = client.post("/v1/conversations").json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    with client.stream("POST", f"/v1/conversations/{created['conversation_id']}/messages/stream",
                       json={"text": QUESTION}, headers=headers) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r)
    kinds = [k for k, _ in events]
    # the order on the wire: the answer's pieces first, then exactly one turn, which ends the stream
    assert kinds == ["token"] * (len(kinds) - 1) + ["turn"], kinds
    turn = events[-1][1]
    assert turn["route"]["label"] == "fallback", turn["route"]
    tokens = [d["text"] for k, d in events if k == "token"]
    assert len(tokens) >= 3, kinds  # several pieces, not one message at the end
    # the pieces, in the order they came, are the answer the turn then carries (its sources follow)
    streamed = "".join(tokens).strip()
    said = [m["text"] for m in turn["messages"]]
    assert streamed and any(text.startswith(streamed) for text in said), (streamed, said)
    state = client.get(f"/v1/conversations/{created['conversation_id']}", headers=headers).json()
    assert state["turns"] == 1  # the streamed turn was saved like any other
