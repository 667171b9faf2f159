"""authenticate: by email and by name + zip; unknown accounts retried then handed off."""
import pytest

from conftest import talk

pytestmark = pytest.mark.store_backends  # every test here runs on each store backend


def test_by_email(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    t = talk(conv, "/authenticate", '/inform{"auth_method": "email"}', "omar.silva4147@example.com")[-1]
    assert "Thanks, Omar, you're signed in." in t.text and conv.state.user_id == "omar_silva_7446"
    assert e.store.export_data() == seed_export


def test_by_name_and_zip(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    t = talk(conv, "/authenticate", '/inform{"auth_method": "name_zip"}', "Omar Silva", "92107")[-1]
    assert "Thanks, Omar" in t.text and conv.state.user_id == "omar_silva_7446"
    assert e.store.export_data() == seed_export


def test_unknown_account_retries_then_hands_off(engine, seed_export):
    """Five tries (shoppers often have several emails), each offering the other way to sign in."""
    e = engine()
    conv = e.new_conversation()
    turns = talk(conv, "/authenticate", *(["email", "nobody@example.com"] * 5))
    assert conv.state.user_id is None
    assert "couldn't find an account" in turns[2].text and turns[2].expecting.slot == "retry_method"  # retry
    assert all("human agent" not in t.text for t in turns[:-1])
    assert "couldn't find an account" in turns[-1].text and "human agent" in turns[-1].text and turns[-1].ended
    assert e.store.export_data() == seed_export


def test_invalid_zip_escalates(engine, seed_export):
    e = engine()
    conv = e.new_conversation()
    turns = talk(conv, "/authenticate", '/inform{"auth_method": "name_zip"}', "Omar Silva", "zzzz", "zzzz", "zzzz")
    assert "5-digit zip code of your address" in turns[3].text  # second wording
    assert "couldn't get your" in turns[-1].text
    assert e.store.export_data() == seed_export


def test_an_email_typed_with_the_retry_answer_is_tried(engine):
    """"Last one I have: x@y.com" after failed emails: the email is tried, not read as "the last
    choice" (name and zip)."""
    conv = engine().new_conversation()
    talk(conv, "/authenticate", "email", "raj.lee@example.com", "rajlee@gmail.com")
    t = conv.send("Last one I have: raj.sanchez2046@example.com")
    assert conv.state.user_id == "raj_sanchez_2970" and "signed in" in t.text, t.text
