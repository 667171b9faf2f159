"""A request no task does gets the shop's rule and what it does instead (knowledge/cannot_do.yaml), with
those tasks as buttons and no task started; a broken cannot_do.yaml is named at its line by `shoptalk validate`."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import started_tasks
from engine.generator import load_answerer
from engine.knowledge.cannot_do import load_cannot_do
from engine.knowledge.validate import knowledge_problems
from engine.unsupported_asks import ALL_KINDS

ROOT = Path(__file__).resolve().parents[1]


def _answering(engine):
    return engine().replace(answerer=load_answerer(ROOT, load_generator=False))


@pytest.mark.parametrize("text,words,buttons", [
    ("cancel just the blender from my order and keep the rest", "cancelled as a whole", {"/cancel_order",
                                                                                        "/change_order_items"}),
    ("please take the toaster off order #W5918442", "same product with different options",
     {"/checkout", "/change_order_items"}),
    ("could you hold my parcel until I'm back from holiday", "can't schedule, speed up or hold",
     {"/order_status"}),
    ("i've got a voucher code, can you knock it off my order", "information says nothing", {"/handoff"}),
    ("can you write me a short birthday message for my sister's card?", "can't write", {"/handoff"}),
    ("please send the lamp from #W2378156 now and the rest of it next week", "cannot split an order",
     {"/order_status", "/handoff"}),
])
def test_a_request_no_task_does_gets_the_rule_and_the_tasks_instead(engine, text, words, buttons):
    t = _answering(engine).new_conversation().send(text)
    assert not started_tasks(t), (t.route, t.text)
    assert words in t.text, t.text
    assert buttons <= {b.payload for m in t.messages for b in m.buttons}, t.messages


def test_every_kind_in_the_file_is_one_the_engine_recognises():
    said = load_cannot_do(ROOT)
    assert said and set(said) <= set(ALL_KINDS)
    assert not knowledge_problems(ROOT)


def _project_with(tmp_path: Path, text: str) -> Path:
    shutil.copytree(ROOT / "flows", tmp_path / "flows")
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    (tmp_path / "knowledge" / "cannot_do.yaml").write_text(text)
    return tmp_path


def test_validate_names_an_unknown_kind_flow_and_hole_at_their_lines(tmp_path):
    project = _project_with(tmp_path, "partial_cancel:\n  reply: \"whole orders only\"\n  offer: [cancel_twice]\n"
                                      "gift_wrapping:\n  reply: \"no\"\n"
                                      "discounts:\n  reply: \"we take {code}\"\n  colour: red\n")
    found = {(p.line, p.code) for p in knowledge_problems(project)}
    assert found == {(3, "unknown_flow"), (4, "unknown_key"), (7, "invalid"), (8, "unknown_key")}, found
    assert all(str(p).startswith("knowledge/cannot_do.yaml:") for p in knowledge_problems(project))


def test_an_invalid_entry_is_left_out_not_said(tmp_path):
    project = _project_with(tmp_path, "discounts:\n  offer: [handoff]\npartial_cancel:\n  reply: \"whole orders only\"\n")
    assert set(load_cannot_do(project)) == {"partial_cancel"}


def test_an_entry_may_quote_the_faq_and_validate_names_a_question_the_faq_lacks(tmp_path):
    project = _project_with(tmp_path, "partial_delivery:\n  faq: \"Can part of my order be shipped now and the rest "
                                      "later, or two orders be combined into one delivery?\"\n"
                                      "split_payment:\n  faq: \"Can I pay with two cards?\"\n")
    said = load_cannot_do(project)
    assert set(said) == {"partial_delivery"} and said["partial_delivery"].reply.startswith("No. The assistant cannot")
    found = {(p.line, p.code) for p in knowledge_problems(project)}
    assert found == {(4, "invalid")}, found
