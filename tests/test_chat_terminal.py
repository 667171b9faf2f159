"""`shoptalk chat` in a real terminal (pexpect): finish a return with button numbers and text."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from engine.store import STAFF, open_store

pexpect = pytest.importorskip("pexpect")
ROOT = Path(__file__).resolve().parents[1]
SHOPTALK = ROOT / ".venv/bin/shoptalk"


def test_chat_finishes_a_return(seeded_db, tmp_path, fresh_store):
    db = tmp_path / "chat.sqlite"
    shutil.copyfile(seeded_db, db)
    cmd = str(SHOPTALK) if SHOPTALK.exists() else f"{sys.executable} -m engine.cli"
    child = pexpect.spawn(f"{cmd} --project {ROOT} chat --rules --no-generator --db {db}", cwd=str(ROOT),
                          encoding="utf-8", timeout=30, dimensions=(50, 200), env={"TERM": "dumb", "PATH": "/usr/bin:/bin"})
    try:
        def step(send: str, expect: str) -> None:
            child.sendline(send)
            child.expect(expect)

        child.expect("you>")
        step("/return_items", r"\[1\] My email")
        child.expect("you>")
        step("1", "email address on your account")             # button 1: email
        step("raj.sanchez2046@example.com", "Which order would you like to return")
        step("#W7736708", "Which items would you like to return")
        step("the headphones", "Where should the refund go")
        child.expect("you>")
        step("1", "Shall I go ahead")                            # button 1: the original credit card
        assert "Headphones" in child.before
        child.expect(r"\[1\] Yes")
        child.expect("you>")
        step("1", "return requested")                            # button 1: Yes
        child.expect("you>")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    expected = fresh_store()
    expected.return_delivered_order_items("#W7736708", ["3104857380"], "credit_card_3362387", as_user=STAFF)
    with open_store(db) as s:
        assert s.export_data() == expected.export_data()
        assert s.get_order_details("#W7736708", as_user=STAFF)["status"] == "return requested"
