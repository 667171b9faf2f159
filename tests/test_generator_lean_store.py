"""The lean decoder's converted matrices saved next to the model (engine/generator/lean_store.py): a later
load maps them and computes exactly what the conversion computed; another model's weights get another file."""
from __future__ import annotations

import pytest
import torch
import transformers

from engine.generator import lean_store
from engine.generator.llama_decode import LlamaDecoder


def tiny_llama(folder, seed=0):
    torch.manual_seed(seed)
    cfg = transformers.LlamaConfig(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                   num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                                   tie_word_embeddings=True)
    transformers.LlamaForCausalLM(cfg).save_pretrained(str(folder))
    return transformers.AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32)


@pytest.mark.parametrize("weights", ["int8", "bfloat16"])
def test_saved_matrices_are_loaded_and_compute_the_same(tmp_path, weights, monkeypatch):
    prompt = [1, 5, 9, 3, 7]
    with torch.inference_mode():
        first = LlamaDecoder(tiny_llama(tmp_path), weights=weights)
        saved = list(tmp_path.glob(f"lean-{weights}-*.pt"))
        assert len(saved) == 1
        expected = [first.start(prompt)] + [first.feed([t]) for t in (2, 4)]
        model = tiny_llama(tmp_path / "again")  # same seed: same weights, loaded from another folder
        model.name_or_path = str(tmp_path)
        monkeypatch.setattr(LlamaDecoder, "_convert", lambda *a: pytest.fail("converted again, not loaded"))
        again = LlamaDecoder(model, weights=weights)
        assert list(tmp_path.glob(f"lean-{weights}-*.pt")) == saved
        assert again.layers[0].qkv.weight.dtype == first.layers[0].qkv.weight.dtype
        got = [again.start(prompt)] + [again.feed([t]) for t in (2, 4)]
    for e, g in zip(expected, got):
        assert torch.equal(e, g)


def test_other_weights_in_the_same_folder_get_their_own_file(tmp_path):
    with torch.inference_mode():
        LlamaDecoder(tiny_llama(tmp_path, seed=0), weights="int8")
        tuned = tiny_llama(tmp_path / "tuned", seed=1)
        tuned.name_or_path = str(tmp_path)  # a merged fine-tune keeps its base folder's name
        assert lean_store.path_for(tuned, "int8") not in set(tmp_path.glob("lean-int8-*.pt"))
        LlamaDecoder(tuned, weights="int8")
    assert len(list(tmp_path.glob("lean-int8-*.pt"))) == 2


def test_float32_writes_nothing_and_a_broken_file_is_converted_again(tmp_path):
    with torch.inference_mode():
        model = tiny_llama(tmp_path)
        LlamaDecoder(model, weights="float32")
        assert not list(tmp_path.glob("lean-*"))
        model = tiny_llama(tmp_path / "x")
        model.name_or_path = str(tmp_path)
        path = lean_store.path_for(model, "int8")
        path.write_bytes(b"not a torch file")
        LlamaDecoder(model, weights="int8")
    assert lean_store.load(path) is not None  # replaced by a good file
