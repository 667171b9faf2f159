"""An FAQ entry added from the review inbox is retrieved by the next open question, without a restart."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from tests.test_review import KEY

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Can you engrave a monogram on a backpack?"
ANSWER = "Yes: monogram engraving is offered on every backpack for $9, added at checkout."


def _project() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="shoptalk-review-faq-"))
    for name in ("flows", "knowledge"):
        shutil.copytree(ROOT / name, tmp / name)
    return tmp


def _engine(project: Path):
    """The real engine on a copy of the project, with the real retriever and answerer; no language model
    (backend none: the answer quotes the best retrieved passage) and BM25 only, to stay light."""
    from engine import Engine
    from engine.generator import GeneratorSettings, load_answerer

    answerer = load_answerer(project, GeneratorSettings(backend="none", use_embeddings=False), load_generator=False)
    return Engine.load(project, store_path=str(project / "store.db"), router="rules", generator=answerer)


def test_faq_action_reaches_the_next_open_question():
    from service.app import create_app
    from service.settings import Settings

    project = _project()
    settings = Settings(tracker_url=f"sqlite:///{project}/tracker.db", api_keys=["rv:rv-secret"],
                        rate_limit_per_minute=0, analytics_refresh_seconds=0)
    try:
        with TestClient(create_app(settings, engine=_engine(project))) as client:
            holder = client.app.state.engine
            cid = client.post("/v1/conversations", headers=KEY).json()["conversation_id"]
            before = client.post(f"/v1/conversations/{cid}/messages", json={"text": QUESTION}, headers=KEY).json()
            assert ANSWER not in str(before)
            items = [i["id"] for g in client.get("/v1/review", headers=KEY).json()["groups"] for i in g["items"]
                     if i["conversation_id"] == cid]
            assert items, "the unanswered question should be in the inbox"
            r = client.post("/v1/review/actions", headers=KEY,
                            json={"action": "add_faq", "items": items, "question": QUESTION, "answer": ANSWER})
            assert r.status_code == 200 and r.json()["knowledge_reload"] == "started"
            assert holder._knowledge.wait(60)
            assert holder.history[-1].kind == "knowledge" and holder.history[-1].ok, holder.history[-1]
            hit = holder.current().answerer.retriever.search(QUESTION, k=1)[0].passage
            assert (hit.source, hit.section, hit.text) == ("faq", QUESTION, ANSWER)
            cid2 = client.post("/v1/conversations", headers=KEY).json()["conversation_id"]
            after = client.post(f"/v1/conversations/{cid2}/messages", json={"text": QUESTION}, headers=KEY).json()
            assert ANSWER in str(after)
    finally:
        shutil.rmtree(project, ignore_errors=True)


def test_knowledge_edits_are_watched():
    from engine.reload import EngineHolder
    from service.reload import ProjectWatcher

    project = _project()
    try:
        holder = EngineHolder(_engine(project))
        watcher = ProjectWatcher(holder, project)
        faq = project / "knowledge" / "faq.yaml"
        faq.write_text(faq.read_text(encoding="utf-8") + f'  - q: "{QUESTION}"\n    a: "{ANSWER}"\n', encoding="utf-8")
        assert watcher.poll_once(settle=False) == ["reloading knowledge"]
        assert holder._knowledge.wait(60)
        hit = holder.current().answerer.retriever.search(QUESTION, k=1)[0].passage
        assert hit.text == ANSWER
        faq.write_text("faq: [", encoding="utf-8")  # broken YAML: the running index stays
        watcher.poll_once(settle=False)
        assert holder._knowledge.wait(60)
        assert not holder.history[-1].ok and "knowledge reload failed" in holder.history[-1].message
        assert holder.current().answerer.retriever.search(QUESTION, k=1)[0].passage.text == ANSWER
    finally:
        shutil.rmtree(project, ignore_errors=True)
