"""Generator configuration: `models/generator_settings.yaml`, overridden by SHOPTALK_GENERATOR_* env vars.

The backend is chosen here, never in code: `embedded` (SmolLM2 on CPU) or `openai` (any
OpenAI-compatible `/v1/chat/completions` server: vLLM, llama.cpp server, Ollama, a hosted model).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel

ENV_PREFIX = "SHOPTALK_GENERATOR_"
# env var suffix -> field name (URL is the documented short form of BASE_URL)
_ENV_ALIASES = {"URL": "base_url"}


class GeneratorSettings(BaseModel):
    backend: Literal["embedded", "openai", "none"] = "embedded"
    # openai backend
    base_url: str = "http://127.0.0.1:8080/v1"
    model: str = "local-model"
    api_key: str | None = None
    connect_timeout_s: float = 3.0
    # shared
    max_tokens: int = 64
    deadline_s: float = 8.0
    temperature: float = 0.0
    # 1 thread: with 2, libgomp's spinning barriers made decoding 5-10x slower whenever the 2 cores
    # were shared (router, web server, other workers); see docs/generator.md for the measurements
    threads: int = 1
    # float32: this CPU has no bf16 matrix instructions, so bf16 prefill was 3-4x slower (first token)
    dtype: Literal["bfloat16", "float32"] = "float32"
    # none (plain float32): on this session's CPU int8 linears were 2x faster but stated the expected fact
    # in 87% of gen_bench answers against 95.7%; int8 remains an option (docs/generator.md)
    quantize: Literal["int8", "none"] = "none"
    # lean: engine/generator/llama_decode.py (static KV cache, prompt-prefix reuse) for Llama models;
    # transformers: the model's own forward with a dynamic cache (any architecture, slower)
    decoder: Literal["lean", "transformers"] = "lean"
    # lean decoder: how its matrices are stored (int8: one scale per row, float activations)
    weights: Literal["float32", "bfloat16", "int8"] = "float32"
    # embedded greedy decoding: divides the logits of word tokens already generated (1.0 = off). gen_bench,
    # answers the model itself got right (kept and stating the fact): 1.0 23/42, 1.05 22/42, 1.1 and 1.15 17/42;
    # at 1.15 the refund answer ran on past its sentence ("..., and 72 hours") and was replaced
    repetition_penalty: float = 1.0
    # embedded backend: converted folder override (else models/generator/<gguf-hash>/) and
    # an optional fine-tuned folder under models/finetuned/ to use instead of the base model
    model_dir: str | None = None
    finetuned: str | None = None
    # retrieval / grounding
    top_k: int = 2  # passages in the prompt: prefill time grows with the prompt
    use_embeddings: bool = True
    min_retrieval_score: float = 0.2

    @classmethod
    def load(cls, project_dir: Path | str = ".", env: dict[str, str] | None = None) -> "GeneratorSettings":
        env = dict(os.environ if env is None else env)
        data: dict = {}
        path = Path(project_dir) / "models" / "generator_settings.yaml"
        if path.exists():
            data = yaml.safe_load(path.read_text()) or {}
        fields = cls.model_fields
        for key, value in env.items():
            if not key.startswith(ENV_PREFIX):
                continue
            suffix = key[len(ENV_PREFIX):]
            name = _ENV_ALIASES.get(suffix, suffix.lower())
            if name in fields:
                data[name] = value
        return cls.model_validate(data)

