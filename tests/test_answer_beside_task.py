"""A message that asks a question and starts a task ("... I'd like to return it. How do I go about that?"):
the task that starts answers "how do I go about it"; an answer that only says the shop's documents do not
cover the question is left out, while a real answer from the policy is still given first. Through the engine
with the trained router and the retrieval answerer (no language model)."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.generator import GeneratorSettings, load_answerer
from engine.generator.fixed_answers import SCOPE_TEXT

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def answerer():
    return load_answerer(ROOT, GeneratorSettings(backend="none", use_embeddings=False))


def _started(turn) -> list[str]:
    return [e["flow"] for e in turn.events if e.get("type") == "flow_started" and not e["flow"].startswith("pattern_")]


@pytest.mark.parametrize("said", [
    "Dear support team, I ordered a desk lamp last week and I would like to return it, as it does not match my "
    "room. Could you please let me know how to proceed? Kind regards, Maria",
    "hello, I want to exchange the hiking boots I got for a bigger size. how do i do that?",
])
def test_a_task_started_beside_a_question_is_not_prefixed_by_i_dont_have_an_answer(engine, answerer, said):
    t = engine(ROOT, generator=answerer).new_conversation().send(said)
    assert _started(t)[:1] in (["return_items"], ["exchange_items"]), (t.route, t.text)
    assert SCOPE_TEXT not in t.text, t.text


def test_a_question_the_policy_answers_is_still_answered_before_the_task(engine, answerer):
    t = engine(ROOT, generator=answerer).new_conversation().send(
        "Can I cancel an order that has already shipped? If not, I want to return the blender from #W2378156.")
    assert "return_items" in _started(t), (t.route, t.text)
    assert "pending" in t.text.lower(), t.text  # the rule: only pending orders can be cancelled
