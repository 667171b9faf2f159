"""A lean greedy decoder for Llama-architecture models (SmolLM2): static KV cache, fused projections,
optional weight-only int8, and reuse of the previous prompt's cached prefix.

Why not transformers' forward: for one new token of a 135M model it spent ~12 of 54 ms in Python
(30 layers of modules, cache objects, masks), and its float32 weights (540 MB read per token) bound
the rest by memory bandwidth. Here a token is ~15 tensor ops per layer on preallocated buffers, and
with `weights="int8"` each linear layer's weights are int8 with one float scale per output row
(activations are not quantised, unlike torch's dynamic int8, whose int8 activations cost answer quality).
Prefill (many tokens at once, compute-bound) turns each int8 matrix into bfloat16 for one GEMM.

Only plain Llama configurations are accepted (default RoPE, no biases); `supports()` says which, and
the caller falls back to transformers' loop for anything else.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import torch
import torch.nn.functional as F

from . import int8_gemv, lean_store

Weights = Literal["float32", "bfloat16", "int8"]


def supports(model: Any) -> str | None:
    """None if this decoder reproduces `model`, else why not (the caller then uses transformers)."""
    cfg = model.config
    if getattr(cfg, "model_type", None) != "llama":
        return f"model type {getattr(cfg, 'model_type', '?')} is not llama"
    rope = getattr(cfg, "rope_parameters", None) or getattr(cfg, "rope_scaling", None) or {}
    if rope.get("rope_type", rope.get("type", "default")) != "default":
        return f"rope type {rope.get('rope_type')} is not supported"
    if getattr(cfg, "attention_bias", False) or getattr(cfg, "mlp_bias", False):
        return "biased projections are not supported"
    if getattr(cfg, "hidden_act", "silu") != "silu":
        return f"activation {cfg.hidden_act} is not supported"
    if model.dtype != torch.float32:
        return f"dtype {model.dtype} is not float32"
    return None


class Linear:
    """y = x @ W.T with W float32 or bfloat16, or int8 rows times a float scale per row."""

    def __init__(self, weight: torch.Tensor, kind: Weights, scale: torch.Tensor | None = None):
        """`weight` in float (converted here), or already stored as `kind` with its `scale` (lean_store)."""
        self.kind = kind
        if kind == "int8":
            if scale is None:  # symmetric per output row: the GGUF source was 4-bit, so 8 bits per row lose little more
                weight = weight.detach().float().contiguous()
                scale = (weight.abs().amax(dim=1) / 127.0).clamp_min(1e-12)
                weight = torch.round(weight / scale[:, None]).clamp_(-127, 127).to(torch.int8)
            self.scale, self.weight = scale.contiguous(), weight.contiguous()
            self.scale_bf16 = self.scale.to(torch.bfloat16)
            self.gemv = int8_gemv.load()  # None without a C compiler: torch's int8 kernel then
        else:
            target = getattr(torch, kind)
            self.scale = None
            self.weight = weight.detach() if weight.dtype == target else weight.detach().float().contiguous().to(target)

    def parts(self, name: str) -> dict[str, torch.Tensor]:
        """What lean_store saves to rebuild this matrix."""
        return {f"{name}.weight": self.weight, **({f"{name}.scale": self.scale} if self.scale is not None else {})}

    @classmethod
    def from_parts(cls, tensors: dict[str, torch.Tensor], name: str, kind: Weights) -> "Linear":
        return cls(tensors[f"{name}.weight"], kind, tensors.get(f"{name}.scale"))

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if self.scale is None:
            if self.weight.dtype != torch.float32:
                if x.shape[0] == 1:  # bfloat16 GEMV: torch.mv measured ~1.5x faster than F.linear for one row
                    return torch.mv(self.weight, x[0].to(self.weight.dtype)).float()[None]
                return F.linear(x.to(self.weight.dtype), self.weight).float()
            return F.linear(x, self.weight)
        if x.shape[0] == 1 and self.gemv is not None:  # decoding: float32 activations, prefetched int8 rows
            return self.gemv(x.contiguous(), self.weight, self.scale, torch.empty(self.weight.shape[0]))[None]
        if x.shape[0] <= 4:  # the int8 GEMV kernel reads a quarter of the bytes; its bfloat16
            # input path is vectorised (float32 input measured 4x slower than a float32 GEMV)
            return torch.ops.aten._weight_int8pack_mm(x.to(torch.bfloat16), self.weight, self.scale_bf16).float()
        # prefill: one bfloat16 GEMM over the dequantised rows (bfloat16 like the decoding kernel's input;
        # measured 0.39 -> 0.10 s for a 99-token prompt against a float32 GEMM on this CPU)
        return (F.linear(x.to(torch.bfloat16), self.weight.to(torch.bfloat16)) * self.scale_bf16).float()


@dataclass
class _Layer:
    norm_in: torch.Tensor
    qkv: Linear
    out: Linear
    norm_post: torch.Tensor
    gate_up: Linear
    down: Linear


class LlamaDecoder:
    """`feed(ids)` appends tokens to the cache and returns the last position's logits.

    The cache remembers which token ids it holds, so `start(prompt_ids)` only computes the part of a
    new prompt after the longest prefix shared with what is cached (the system prompt, mostly).
    """

    def __init__(self, model: Any, *, weights: Weights = "float32", capacity: int = 512):
        """Takes `model` apart: its decoder layers are replaced by the fused copies (do not run it afterwards)."""
        why = supports(model)
        if why:
            raise ValueError(why)
        cfg = model.config
        body = model.model
        self.n_heads, self.n_kv = cfg.num_attention_heads, cfg.num_key_value_heads
        self.head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
        self.eps = float(cfg.rms_norm_eps)
        self.max_positions = int(cfg.max_position_embeddings)
        self.rope_scale = float(getattr(body.rotary_emb, "attention_scaling", 1.0))
        self._inv_freq = body.rotary_emb.inv_freq.detach().float()
        n_layers = len(body.layers)
        # float32 keeps using the loaded (memory-mapped) tensors; other kinds are converted once and kept
        # next to the model (lean_store), so a later load maps them and never reads the float32 file
        path = lean_store.path_for(model, weights) if weights != "float32" else None
        tensors = lean_store.load(path) if path else None
        if tensors is None:
            tensors = self._convert(model, weights)
            if path:
                lean_store.save(path, tensors)
        self.embed, self.final_norm = tensors["embed"], tensors["final_norm"]
        self.lm_head = Linear.from_parts(tensors, "lm_head", weights)
        self.layers = [_Layer(
            norm_in=tensors[f"{i}.norm_in"], norm_post=tensors[f"{i}.norm_post"],
            **{name: Linear.from_parts(tensors, f"{i}.{name}", weights) for name in ("qkv", "out", "gate_up", "down")})
            for i in range(n_layers)]
        self.capacity = 0
        self.cached: list[int] = []  # token ids whose keys/values are in the cache, in order
        self.reused = 0  # prompt tokens the last `start` took from the cache
        self._grow(capacity)

    @staticmethod
    def _convert(model: Any, weights: Weights) -> dict[str, torch.Tensor]:
        """The fused (and for bfloat16 / int8, converted) tensors, by name; `model`'s layers are consumed."""
        body = model.model
        embed = body.embed_tokens.weight.detach()
        out = {"embed": embed if weights == "float32" else embed.clone(),
               "final_norm": body.norm.weight.detach().clone()}
        lm_head = model.get_output_embeddings().weight
        out.update(Linear(out["embed"] if lm_head is body.embed_tokens.weight else lm_head, weights).parts("lm_head"))
        for i in range(len(body.layers)):
            layer = body.layers[i]
            body.layers[i] = torch.nn.Identity()  # its weights are freed as soon as fused: the peak stays ~1 layer over
            a, m = layer.self_attn, layer.mlp
            out[f"{i}.norm_in"] = layer.input_layernorm.weight.detach().clone()
            out[f"{i}.norm_post"] = layer.post_attention_layernorm.weight.detach().clone()
            out.update(Linear(torch.cat([a.q_proj.weight, a.k_proj.weight, a.v_proj.weight]), weights).parts(f"{i}.qkv"))
            out.update(Linear(a.o_proj.weight, weights).parts(f"{i}.out"))
            out.update(Linear(torch.cat([m.gate_proj.weight, m.up_proj.weight]), weights).parts(f"{i}.gate_up"))
            out.update(Linear(m.down_proj.weight, weights).parts(f"{i}.down"))
        return out

    def _grow(self, need: int) -> None:
        cap = max(need, 2 * self.capacity, 64)
        cap = min(cap, self.max_positions)
        if need > cap:
            raise ValueError(f"{need} tokens exceed the model's {self.max_positions} positions")
        shape = (len(self.layers), self.n_kv, cap, self.head_dim)
        k, v = torch.zeros(shape), torch.zeros(shape)
        if self.capacity:
            n = len(self.cached)
            k[:, :, :n], v[:, :, :n] = self.k[:, :, :n], self.v[:, :, :n]
        self.k, self.v, self.capacity = k, v, cap
        freqs = torch.outer(torch.arange(cap, dtype=torch.float32), self._inv_freq)
        emb = torch.cat([freqs, freqs], dim=-1)
        self.cos, self.sin = emb.cos() * self.rope_scale, emb.sin() * self.rope_scale

    def forget(self) -> None:
        """Drop what the cache holds: the next prompt is computed whole (benches measure a cold prompt)."""
        self.cached.clear()

    def start(self, prompt: list[int]) -> torch.Tensor:
        """Logits after `prompt`, reusing the cached keys/values of its longest cached prefix."""
        same = 0
        for a, b in zip(self.cached, prompt[:-1]):  # at least one token is computed (its logits are needed)
            if a != b:
                break
            same += 1
        del self.cached[same:]
        self.reused = same
        return self.feed(prompt[same:])

    def feed(self, ids: list[int]) -> torch.Tensor:
        """Append `ids` to the cache; the logits after the last of them ([vocab])."""
        start, n = len(self.cached), len(ids)
        if start + n > self.capacity:
            self._grow(start + n)
        end = start + n
        x = self.embed[torch.tensor(ids)]  # [n, hidden]
        cos, sin = self.cos[start:end], self.sin[start:end]
        mask = None
        if n > 1:  # query i (position start+i) sees keys 0..start+i
            mask = torch.arange(end)[None, :] <= torch.arange(start, end)[:, None]
        hq, hk, d = self.n_heads * self.head_dim, self.n_kv * self.head_dim, self.head_dim
        for i, layer in enumerate(self.layers):
            h = _rms(x, layer.norm_in, self.eps)
            qkv = layer.qkv(h)
            q = _rope(qkv[:, :hq].view(n, self.n_heads, d), cos, sin).transpose(0, 1)
            k = _rope(qkv[:, hq:hq + hk].view(n, self.n_kv, d), cos, sin).transpose(0, 1)
            self.k[i, :, start:end] = k
            self.v[i, :, start:end] = qkv[:, hq + hk:].view(n, self.n_kv, d).transpose(0, 1)
            att = F.scaled_dot_product_attention(q[None], self.k[i:i + 1, :, :end], self.v[i:i + 1, :, :end],
                                                 attn_mask=mask, enable_gqa=True)
            x = x + layer.out(att[0].transpose(0, 1).reshape(n, hq))
            h = _rms(x, layer.norm_post, self.eps)
            gate, up = layer.gate_up(h).chunk(2, dim=-1)
            x = x + layer.down(F.silu(gate) * up)
        self.cached.extend(ids)
        return self.lm_head(_rms(x[-1:], self.final_norm, self.eps))[0]


def _rms(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def _rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """x: [n, heads, d]; the rotate-half form transformers' Llama uses."""
    half = x.shape[-1] // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
    return x * cos[:, None] + rotated * sin[:, None]
