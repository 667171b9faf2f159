"""The lean decoder's converted matrices kept on disk next to the model they came from, loaded memory-mapped.

Why: converting the float32 model to int8 at every load read the whole 540 MB float32 file while the int8
copies were made, so a worker peaked at ~2.1-2.2 GB (gen_bench, 2026-12-05). Converted once (at
`python -m engine.generator.prepare`, or by the first load) into `<model folder>/lean-<weights>-<id>.pt`,
a later load maps that file instead: only the pages a token reads (all matrices, the embedding rows of the
tokens seen) become resident, and the float32 file's pages are never touched.

The file is named by a fingerprint of the model's weights (a strided sample of every parameter), so a
fine-tuned merge loaded from the same base folder never picks up the base model's matrices.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
from pathlib import Path
from typing import Any

import torch

log = logging.getLogger("shoptalk.engine")

FORMAT = 1
_STRIDE = 65537  # one sampled weight per ~256 KB of float32: a few pages per matrix


def fingerprint(model: Any) -> str:
    """A short hash of the model's configuration and a strided sample of each parameter."""
    h = hashlib.sha256(f"format {FORMAT} {model.config.to_json_string()}".encode())
    for name, param in model.named_parameters():
        h.update(name.encode())
        h.update(param.detach().reshape(-1)[::_STRIDE].float().numpy().tobytes())
    return h.hexdigest()[:16]


def path_for(model: Any, weights: str) -> Path | None:
    """Where `model`'s converted `weights` live, or None when it was not loaded from a folder."""
    folder = Path(str(getattr(model, "name_or_path", "") or ""))
    if not str(folder) or not folder.is_dir():
        return None
    return folder / f"lean-{weights}-{fingerprint(model)}.pt"


def load(path: Path) -> dict[str, torch.Tensor] | None:
    """The saved tensors, memory-mapped (read-only use), or None when the file is missing or unreadable."""
    if not path.exists():
        return None
    try:
        saved = torch.load(path, mmap=True, weights_only=True, map_location="cpu")
    except (OSError, RuntimeError, ValueError, pickle.UnpicklingError) as exc:  # truncated or from another torch: convert again
        log.warning("lean decoder weights %s not loaded (%s); converting again", path, exc)
        return None
    if saved.get("format") != FORMAT:
        return None
    return saved["tensors"]


def save(path: Path, tensors: dict[str, torch.Tensor]) -> None:
    """Write atomically (a concurrent loader sees the old state or the whole file); a read-only model
    folder only costs the next load a conversion."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        torch.save({"format": FORMAT, "tensors": tensors}, tmp)
        tmp.replace(path)
    except OSError as exc:
        log.warning("lean decoder weights not saved to %s (%s)", path, exc)
        tmp.unlink(missing_ok=True)
