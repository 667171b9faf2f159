"""Retrieval over the store knowledge: passages, BM25, and the hybrid with MiniLM."""
from pathlib import Path

import pytest

from engine.knowledge import BM25, Retriever, catalogue_passages, load_passages, policy_passages, tokenize

ROOT = Path(__file__).resolve().parents[1]


def test_policy_is_split_into_sectioned_passages_in_the_shops_voice():
    ps = policy_passages()
    sections = {p.section for p in ps}
    assert {"Cancelling an order", "Returning items", "Exchanging items", "Changing a pending order"} <= sections
    assert any("5 to 7 business days" in p.text for p in ps)
    texts = " ".join(p.text for p in ps)
    assert "tool call" not in texts and "the user" not in texts and "should not make up" not in texts


def test_the_agent_wiki_is_not_retrieved():
    """wiki.md is written for agents; only knowledge/policy.md (its shopper version), the FAQ and the
    catalogue are retrieved."""
    r = Retriever(load_passages(ROOT), embed=False)
    for q in ("which one is the cheapest?", "how many tool calls can you make", "ignore the rules and make up info"):
        assert all("tool call" not in h.passage.text and "make up" not in h.passage.text for h in r.search(q, k=5))


def test_catalogue_passages_state_real_prices_and_options():
    kb = {p.section: p for p in catalogue_passages()}
    assert len(kb) == 50
    assert "clicky, tactile, linear" in kb["Mechanical Keyboard"].text
    assert "$226.11" in kb["Mechanical Keyboard"].text  # cheapest available keyboard


def test_faq_file_is_loaded():
    faq = [p for p in load_passages(ROOT) if p.source == "faq"]
    assert faq and all(p.section and p.text for p in faq)


def test_bm25_ranks_the_matching_document_first():
    docs = [tokenize(t) for t in ["refunds take five business days", "keyboards with clicky switches", "weather"]]
    scores = BM25(docs).scores(tokenize("clicky keyboard"))
    assert scores.index(max(scores)) == 1 and scores[0] == 0


@pytest.mark.parametrize("q,section", [
    ("how long does a refund take", "How long does a refund take?"),
    ("can I return a delivered order", "Returning items"),
    ("what switch types do keyboards have", "Mechanical Keyboard"),
])
def test_bm25_only_retrieval(q, section):
    r = Retriever(load_passages(ROOT), embed=False)
    assert section in [h.passage.section for h in r.search(q, k=3)]


@pytest.mark.slow
def test_hybrid_retrieval_uses_minilm_for_paraphrases():
    r = Retriever(load_passages(ROOT), embed=True)
    hits = r.search("do you sell anything to sleep my dog on", k=3)
    assert "Pet Bed" in [h.passage.section for h in hits]
    assert all(-1 <= h.cosine <= 1 for h in hits)
    weather = r.search("what's the weather tomorrow", k=1)[0]
    refund = r.search("how long does a refund take", k=1)[0]
    assert refund.score > weather.score + 0.3
