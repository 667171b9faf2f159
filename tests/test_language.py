"""A message in a language the assistant does not speak gets a short reply in that language, with the task
buttons; English and the answers to a question are never touched (engine/language.py, languages.yaml)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import payloads, sign_in_by_email, talk
from engine.language import FILE, LanguageFileError, gate_for, read_replies

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = yaml.safe_load((ROOT / "bench/data/language_messages.yaml").read_text(encoding="utf-8"))
OTHER = [(code, text) for code, texts in MESSAGES["other"].items() for text in texts]


@pytest.fixture(scope="module")
def gate():
    return gate_for(ROOT, strict=True)


def test_each_language_of_the_issue_has_a_reply_written_in_it(gate):
    assert {"zh", "es", "fr", "de", "pt"} <= set(gate.replies)
    for code, reply in gate.replies.items():
        found = gate.identify(reply)
        assert found is not None and found.code == code, (code, reply, found)


@pytest.mark.parametrize("code,text", OTHER)
def test_short_shop_messages_are_told_apart(gate, code, text):
    found = gate.identify(text)
    assert found is not None and found.code == code, (text, found)


def test_english_stays_english(gate):
    """Ids, emails, names, addresses, typos, "ok", "yes", products with foreign names: never a reply."""
    wrong = [(text, found) for text in map(str, MESSAGES["english"]) if (found := gate.identify(text))]
    assert not wrong


def test_while_a_question_waits_only_another_script_is_looked_at(gate):
    for answer in ("Jean-Pierre Dubois", "Avenida Paulista 1000, São Paulo, SP 01310", "quiero devolver mi pedido"):
        assert gate.identify(answer, answering=True) is None, answer
    assert gate.identify("我想退货", answering=True).code == "zh"


@pytest.mark.parametrize("code,text", [(c, MESSAGES["other"][c][0]) for c in ("zh", "es", "fr", "de", "pt")])
def test_the_reply_is_in_that_language_with_the_task_buttons(rules_engine, code, text):
    e = rules_engine()
    conv = e.new_conversation()
    t = conv.send(text)
    assert t.text == read_replies(ROOT / FILE)[code]
    assert t.route.label == "other_language" and t.route.decided_by == f"rule:language:{code}"
    assert payloads(t) == [f["payload"] for f in e.flow_catalog()] and not t.flow_stack and not t.actions
    assert conv.send("2").flow_stack[0] == e.flow_catalog()[1]["id"]  # a typed number presses its button


def test_inside_a_task_the_question_stays_open(rules_engine):
    conv = rules_engine().new_conversation()
    talk(conv, "/return_items", *sign_in_by_email("raj.sanchez2046@example.com"))
    t = conv.send("我的订单在哪里？")
    assert t.route.decided_by == "rule:language:zh" and t.expecting.slot == "order_id"
    t = conv.send("quiero devolver mi pedido")  # Latin script while a question waits: read as an answer
    assert t.route.decided_by != "rule:language:es"
    assert conv.send("#W7736708").expecting.slot == "return_item_ids"


def test_english_openings_and_buttons_are_routed_as_before(rules_engine):
    conv = rules_engine().new_conversation()
    for text in ("i want to retrun my order", "/order_status", "hola! i need help with my order"):
        assert not conv.send(text).route.decided_by.startswith("rule:language"), text


def test_a_malformed_file_is_named_and_skipped_while_running(tmp_path):
    (tmp_path / FILE).write_text("replies:\n  xx: hello\n", encoding="utf-8")
    with pytest.raises(LanguageFileError, match=r"languages.yaml: replies.xx"):
        gate_for(tmp_path, strict=True)
    assert gate_for(tmp_path) is None  # an edit while the service runs never breaks a conversation
    (tmp_path / FILE).write_text("replies:\n  es: ''\n", encoding="utf-8")
    with pytest.raises(LanguageFileError, match="must be text"):
        read_replies(tmp_path / FILE)
    assert gate_for(tmp_path / "elsewhere") is None  # no file: no language replies


def test_validate_names_the_line_of_a_bad_reply(tmp_path):
    """`shoptalk validate` reports a broken languages.yaml at file:line instead of the service dropping it."""
    from engine.language import language_problems

    (tmp_path / "languages.yaml").write_text("replies:\n  es: Lo siento, solo hablo inglés.\n  pt: ''\n",
                                             encoding="utf-8")
    problems = language_problems(tmp_path)
    assert [(p.file, p.line) for p in problems] == [("languages.yaml", 3)], problems
    assert "pt" in problems[0].message and problems[0].severity == "error"
    (tmp_path / "languages.yaml").write_text("replies:\n  es: Lo siento, solo hablo inglés.\n", encoding="utf-8")
    assert language_problems(tmp_path) == []
