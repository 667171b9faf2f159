"""Issue #19: personal data must not reach the logs, at any level, through any handler.

Each leak kind the issue reported is pinned here (names, user ids, street lines without a suite,
"19122 is my zip", card numbers with spaces or dashes, phone numbers), through the service's
real turn path where the leak came from a conversation, plus the filter's reach (loggers, handlers
added later, tracebacks, engine lines during a turn) and a small run of bench/pii_leak.py.
"""
from __future__ import annotations

import logging
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from service import pii
from service.redact import LOGGERS, RedactingFilter, install, redact

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from engine import Engine

    return Engine.load(ROOT, store_path=str(tmp_path_factory.mktemp("pii") / "store.db"), router="rules",
                       generator=None)


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@contextmanager
def served(engine, tmp_path):
    """The FastAPI app at DEBUG, with a handler added after it installed redaction (no filter of its own)."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    settings = Settings(project_dir=str(ROOT), generator="off", tracker_url=f"sqlite:///{tmp_path / 't.db'}",
                        log_level="debug", shopper_rate_limit_per_minute=0)
    root, lines = logging.getLogger(), Lines()
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        app = create_app(settings, engine=engine)
        root.addHandler(lines)
        with TestClient(app) as client:
            conv = client.post("/v1/conversations").json()

            def say(text: str) -> dict:
                r = client.post(f"/v1/conversations/{conv['conversation_id']}/messages", json={"text": text},
                                headers={"Authorization": f"Bearer {conv['token']}"})
                assert r.status_code == 200, r.text
                return r.json()

            yield say, lines
    finally:
        root.removeHandler(lines)
        root.setLevel(level)


def turn_lines(lines: Lines) -> list[str]:
    return [line for line in lines.lines if line.startswith("DEBUG shoptalk.service turn ")]


# ------------------------------------------------------------------ names, user ids, zips (conversation values)
def test_signing_in_by_name_and_zip_logs_no_name_zip_user_id_or_address(engine, tmp_path):
    with served(engine, tmp_path) as (say, lines):
        say("where is my order?")
        say("name and zip")
        say("Yusuf Rossi")
        turn = say("19122")
        assert turn["slots"]["user_id"] == "yusuf_rossi_9620"  # really signed in
        order = turn["messages"][-1]["buttons"][0]["payload"]
        shown = say(order)
    logged = turn_lines(lines)
    assert len(logged) == 5
    for secret in ("Yusuf", "Rossi", "19122", "yusuf_rossi_9620", "yusuf.rossi7301"):
        assert secret.lower() not in lines.text.lower(), secret
    assert "user='[name]'" in logged[2] and "Thanks, [name], you're signed in." in logged[3]
    assert "route=slot_answer user='[zip]'" in logged[3]
    street, city = re.search(r"ship to (.+?), (.+?)\.", "\n".join(m["text"] for m in shown["messages"])).groups()
    assert street not in lines.text and city not in lines.text  # the order's address, from the store
    assert "ship to [address], [city]." in logged[4]


def test_a_failed_sign_in_still_scrubs_the_name_the_slot_forgot(engine, tmp_path):
    with served(engine, tmp_path) as (say, lines):
        say("/order_status")
        say("name")
        say("Mei Kovacs")
        turn = say("zip 99999")  # no such customer: the flow clears name and zip
        assert "couldn't find an account" in turn["messages"][0]["text"]
        assert "name" not in turn["slots"]
    assert "Mei" not in lines.text and "Kovacs" not in lines.text
    assert "couldn't find an account for [name] with zip code [zip]" in turn_lines(lines)[-1]


def test_a_reply_to_the_name_question_is_scrubbed_even_when_not_understood(engine, tmp_path):
    with served(engine, tmp_path) as (say, lines):
        say("/order_status")
        say("name")
        turn = say("Zanele")  # one word: not a first and last name, the slot stays empty
        assert "name" not in turn["slots"]
    assert "Zanele" not in lines.text and "user='[name]'" in turn_lines(lines)[-1]


def test_a_name_typed_unasked_is_scrubbed_and_a_typo_stays_readable(engine, tmp_path):
    with served(engine, tmp_path) as (say, lines):
        say("Sophia Hernandez")   # nobody asked: the engine falls back, the log still must not name her
        say("daiki hernandez")
        say("james lee")          # both words occur in the intents, but only on a handful of lines
        say("trak my order")      # a misspelt request keeps its words: that is what debug logs are for
    logged = turn_lines(lines)
    assert not re.search(r"sophia|ernandez|daiki|james|lee\b", lines.text, re.I), lines.text
    assert all("user='[name]'" in line for line in logged[:3])
    assert "user='trak my order'" in logged[3]


def test_what_the_shapes_take_from_the_shopper_stays_out_of_a_bot_quote(engine):
    scope = pii.TurnScope(engine.new_conversation(), "I live at 986 Sunset Drive, San Diego")
    secrets = scope.after(None)
    assert redact("You have two orders that match “San Diego”.", secrets) == \
        "You have two orders that match “[city]”."


def test_a_street_named_like_the_shopper_is_still_an_address():
    secrets = pii.Secrets({"Hernandez": "name", "Sophia Hernandez": "name"})
    assert redact("I live at 318 Hernandez Lane, Fort Worth", secrets) == "I live at [address], [city]"


def test_conversation_secrets_cover_slots_profile_and_parts(engine):
    conv = engine.new_conversation()
    for text in ("/order_status", "email", "sofia.rossi2645@example.com"):
        turn = conv.send(text)
    secrets = pii.conversation_secrets(conv, turn)
    out = secrets.redact(f"{turn.text} | sofia ROSSI, user sofia_rossi_8776, 291 River Road Suite 271 Dallas")
    assert "Sofia" not in out and "ROSSI" not in out and "8776" not in out, out
    assert "[name]" in out and "[user_id]" in out and "[address]" in out
    assert "#W" in redact("order #W2378156", secrets)  # order ids stay readable


# ------------------------------------------------------------------ shapes
def test_user_ids_shaped_like_the_store_are_scrubbed_without_context():
    assert redact("lookup for sofia_rossi_8776 failed") == "lookup for [user_id] failed"


@pytest.mark.parametrize("text", ["ship it to 986 Sunset Drive", "986 sunset drive, Denver", "I live at 7 Elm Street",
                                  "477 Park Avenue, Dallas, TX 75277", "12 Main St."])
def test_street_addresses_without_a_suite(text):
    out = redact(text)
    assert not re.search(r"Sunset|Elm|Park|Main|Denver|Dallas|75277", out, re.I), out
    assert "[address]" in out


@pytest.mark.parametrize("text", ["19122 is my zip", "zip: 19122", "zip:19122", "my zip code is 19122-1234",
                                  "it's 19122", "19122"])
def test_zip_codes_in_a_sentence(text):
    out = redact(text)
    assert "19122" not in out and "[zip]" in out, out


@pytest.mark.parametrize("text", ["Started server process [12345]", "127.0.0.1:54321 - POST", "turn abc #12345",
                                  "took 0.12345 s", "total $12345.00", "order #W2378156"])
def test_numbers_that_are_not_zips_stay(text):
    assert redact(text) == text


@pytest.mark.parametrize("card", ["4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111",
                                  "3782 822463 10005", "3782-822463-10005", "5555 5555 5555 4444"])
def test_card_numbers_with_spaces_or_dashes(card):
    out = redact(f"my card is {card}, expiry 04/29")
    assert out == "my card is [card_number], expiry 04/29", out


@pytest.mark.parametrize("phone", ["(215) 867-5309", "215-867-5309", "215.867.5309", "+1 215 867 5309",
                                   "2158675309", "1-800-555-0199", "+44 20 7946 0958"])
def test_phone_numbers(phone):
    out = redact(f"call me at {phone} after 5")
    assert out == "call me at [phone] after 5", out


def test_names_after_a_cue_and_what_stays():
    assert redact("Hi, I am Yusuf Rossi and I want a refund") == "Hi, I am [name] and I want a refund"
    assert redact("my name is yusuf rossi") == "my name is [name]"
    assert redact("I'm looking for a lamp, ticket HT-000001, 47.84 dollars") == \
        "I'm looking for a lamp, ticket HT-000001, 47.84 dollars"


# ------------------------------------------------------------------ the filter's reach
def test_every_logger_in_engine_and_service_is_filtered():
    names = set()
    for path in [*ROOT.glob("engine/**/*.py"), *ROOT.glob("service/**/*.py")]:
        names |= set(re.findall(r"getLogger\(\s*[\"']([\w.]+)[\"']", path.read_text()))
    assert names and names <= set(LOGGERS), names - set(LOGGERS)
    install()
    for name in names:
        assert any(isinstance(f, RedactingFilter) for f in logging.getLogger(name).filters), name


def test_handlers_added_later_and_tracebacks_see_scrubbed_records():
    install()
    lines, log = Lines(), logging.getLogger("shoptalk.service")
    logging.getLogger().addHandler(lines)
    old = log.level
    log.setLevel(logging.DEBUG)
    try:
        log.info("card %s from %s", "4111 1111 1111 1111", "noah.brown7922@example.com")
        try:
            raise ValueError("no account for 986 Sunset Drive, phone 215-867-5309")
        except ValueError:
            log.exception("lookup failed")
        secrets = pii.Secrets({"Yusuf Rossi": "name"})
        log.debug("said %s", "yusuf  rossi here", extra={"pii": secrets})
    finally:
        logging.getLogger().removeHandler(lines)
        log.setLevel(old)
    assert "card [card_number] from [email]" in lines.text
    assert "ValueError: no account for [address], phone [phone]" in lines.text
    assert "said [name] here" in lines.text
    assert not re.search(r"4111|noah|Sunset|867|yusuf", lines.text, re.I), lines.text


def test_engine_lines_during_a_turn_use_that_conversations_secrets(engine):
    install()
    conv = engine.new_conversation()
    for text in ("/order_status", "email", "sofia.rossi2645@example.com"):
        conv.send(text)
    city = engine.store.get_user_details(conv.state.user_id, as_user=conv.state.user_id)["address"]["city"]
    lines, log = Lines(), logging.getLogger("shoptalk.engine")
    log.addHandler(lines)
    try:
        with pii.guard(conv, "please update Sofia's order"):
            log.error("flow error in conversation %s: cannot render 'Dear Sofia Rossi of %s'", conv.id, city)
            log.error("bad input %r", "please update Sofia's order")
        log.error("outside the turn: Sofia")  # no conversation known here: only shapes apply
    finally:
        log.removeHandler(lines)
    assert "cannot render 'Dear [name] of [city]'" in lines.lines[0]
    assert lines.lines[1].endswith('bad input "[message]"')
    assert lines.lines[2].endswith("outside the turn: Sofia")


# ------------------------------------------------------------------ the bench's check
def test_leak_finder_sees_seed_values_in_any_spacing():
    from pii_leak import LeakFinder
    from pii_scenarios import Seed

    seed = Seed.load()
    finder, p = LeakFinder(seed), seed.personas[0]
    phone = f"({p.phone[:3]}) {p.phone[3:6]}-{p.phone[6:]}"
    found = finder.find(f"user='{p.first} {p.last} {p.email} {phone} {p.address['zip']}'", p)
    assert {k for k, _ in found} == {"name", "email", "phone", "zip"}, found
    assert finder.find("user='[name] [email] [phone] [zip]' order #W2378156 brown", None) == []


def test_fifty_generated_conversations_leak_nothing(engine):
    from pii_leak import run

    report = run(conversations=50, seed=3, engine=engine)
    assert report.conversations == 50 and report.http_errors == 0
    assert report.turn_lines == report.turns >= 300 and report.signed_in >= 25
    for label in ("name", "zip", "address", "email", "phone", "card_number"):
        assert report.labels[label] > 0, label  # the data really went through the logs
    assert report.leaks == 0, report.examples


def test_without_conversation_values_the_check_finds_leaks(engine, monkeypatch):
    from pii_leak import run

    monkeypatch.setattr(pii, "conversation_secrets", lambda conv, turn=None: pii.Secrets())
    report = run(conversations=20, seed=3, engine=engine)
    assert report.leaks > 0 and report.leaks_by_kind["name"] > 0
