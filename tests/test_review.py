"""The review inbox's parts: file writes that refuse invalid results, grouping by meaning, ignore."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.errors import ApiError
from service.review_actions import append_examples, append_faq

KEY = {"X-API-Key": "rv-secret"}


def test_examples_are_appended_with_file_and_line(tmp_path):
    out = append_examples(tmp_path, "order_status", ["where is my stuff", 'a "quoted" one: with colon # and hash'])
    path = tmp_path / "review_order_status.yaml"
    assert out["lines"] == [f"{path}:5", f"{path}:6"]
    again = append_examples(tmp_path, "order_status", ["third"])
    assert again["lines"] == [f"{path}:7"] and again["examples"] == 3
    from engine.router.intent_data import parse_intent_file

    examples, problems = parse_intent_file(path)
    assert not problems and [e.text for e in examples] == ["where is my stuff", 'a "quoted" one: with colon # and '
                                                           "hash", "third"]
    assert [e.line for e in examples] == [5, 6, 7]


@pytest.mark.parametrize("intent, texts, problem", [
    ("not_an_intent", ["hello there"], "review_not_an_intent.yaml:3:9: error: unknown intent 'not_an_intent'"),
    ("order_status", ["my order [W123 is late"], "review_order_status.yaml:5:5: error: unbalanced [ ]"),
])
def test_an_invalid_intents_write_is_refused_and_nothing_is_written(tmp_path, intent, texts, problem):
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(ApiError) as err:
        append_examples(tmp_path, intent, texts)
    assert err.value.status == 422 and err.value.code == "invalid_intents"
    assert any(problem in p for p in err.value.details["problems"]), err.value.details
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no file, no leftover temporary file


def test_an_existing_file_is_left_alone_when_the_write_is_refused(tmp_path):
    append_examples(tmp_path, "order_status", ["where is my stuff"])
    text = (tmp_path / "review_order_status.yaml").read_text()
    with pytest.raises(ApiError):
        append_examples(tmp_path, "order_status", ["broken [ bracket"])
    assert (tmp_path / "review_order_status.yaml").read_text() == text


def test_faq_entry_is_appended_and_read_back(tmp_path):
    from engine.knowledge.passages import faq_passages

    (tmp_path / "faq.yaml").write_text("faq:\n  - q: Old?\n    a: Yes.\n")
    out = append_faq(tmp_path, "Do you gift wrap?", "Yes: choose gift wrap at checkout, it is free.")
    assert out["lines"] == [f"{tmp_path / 'faq.yaml'}:4"]
    last = faq_passages(tmp_path / "faq.yaml")[-1]
    assert (last.section, last.text) == ("Do you gift wrap?", "Yes: choose gift wrap at checkout, it is free.")
    with pytest.raises(ApiError):
        append_faq(tmp_path, "Empty answer?", " ")


def test_groups_by_meaning():
    from engine.router import embed
    from service.review import cluster

    texts = ["my package never arrived", "the parcel has not arrived yet", "my package did not arrive",
             "do you sell pineapple pizza", "can I buy pizza here"]
    labels = cluster(embed.encode(texts))
    assert labels[0] == labels[1] == labels[2] and labels[3] == labels[4] and labels[0] != labels[3]


def test_ignore_takes_messages_out_of_the_inbox_and_unknown_ids_are_refused():
    from service.app import create_app
    from service.settings import Settings
    from tests.service_fixtures import get_real_engine

    tmp = tempfile.mkdtemp(prefix="shoptalk-review-")
    settings = Settings(tracker_url=f"sqlite:///{tmp}/tracker.db", api_keys=["rv:rv-secret"], rate_limit_per_minute=0,
                        analytics_refresh_seconds=0)
    with TestClient(create_app(settings, engine=get_real_engine())) as client:
        cid = client.post("/v1/conversations", headers=KEY).json()["conversation_id"]
        client.post(f"/v1/conversations/{cid}/messages", json={"text": "zxqv blorp"}, headers=KEY)
        inbox = client.get("/v1/review", headers=KEY).json()
        ids = [i["id"] for g in inbox["groups"] for i in g["items"] if i["conversation_id"] == cid]
        assert ids == [f"{cid}:1"]
        assert client.post("/v1/review/actions", json={"action": "ignore", "items": ids},
                           headers={"X-API-Key": "wrong"}).status_code == 401
        r = client.post("/v1/review/actions", json={"action": "ignore", "items": ids}, headers=KEY)
        assert r.status_code == 200 and r.json()["resolved"] == 1
        assert client.get("/v1/review", headers=KEY).json()["total"] == inbox["total"] - 1
        again = client.post("/v1/review/actions", json={"action": "ignore", "items": ids}, headers=KEY)
        assert again.status_code == 404 and again.json()["error"]["details"]["missing"] == ids
        bad = client.post("/v1/review/actions", json={"action": "delete_everything", "items": ids}, headers=KEY)
        assert bad.status_code == 422
        assert client.get("/v1/review/retrain", headers=KEY).json()["state"] == "idle"
        assert not Path(tmp, "intents").exists()

