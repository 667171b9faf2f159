"""`python -m engine.generator.prepare`: convert the embedded generator's GGUF once, and the lean decoder's
int8 matrices (engine/generator/lean_store.py), ahead of the first open question (`make setup` runs it in
the background; the service would otherwise convert them while a shopper waits). Does nothing for the
openai / none backends or when the files exist."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import GeneratorError
from .settings import GeneratorSettings


def prepare(project_dir: Path) -> str:
    """What was done, in one line."""
    settings = GeneratorSettings.load(project_dir)
    if settings.backend != "embedded":
        return f"generator backend is {settings.backend}: no local model to prepare"
    if settings.finetuned or settings.model_dir:
        return f"generator uses {settings.finetuned or settings.model_dir}: nothing to convert"
    from .embedded import convert_gguf, converted_dir

    out = converted_dir(Path(project_dir) / "models", dtype=settings.dtype)
    t0 = time.perf_counter()
    done = [f"generator model ready in {out}"]
    if not (out / "manifest.json").exists():
        convert_gguf(Path(project_dir) / "models", dtype=settings.dtype)
        done = [f"generator model converted into {out} in {time.perf_counter() - t0:.1f} s"]
    if settings.decoder == "lean" and settings.quantize == "none" and settings.weights != "float32":
        done.append(prepare_lean(out, settings.weights))
    return "; ".join(done)


def prepare_lean(model_dir: Path, weights: str) -> str:
    """Convert the lean decoder's matrices once into the model folder (lean_store) and build the int8 kernel,
    so a service's load maps them instead of converting the float32 model while a shopper waits."""
    import torch

    from . import int8_gemv, lean_store
    from .embedded import _load_model
    from .llama_decode import LlamaDecoder, supports

    t0 = time.perf_counter()
    kernel = int8_gemv.load() if weights == "int8" else None
    model = _load_model(model_dir)
    if supports(model) is not None:
        return f"lean decoder does not run this model ({supports(model)})"
    path = lean_store.path_for(model, weights)
    if path is not None and path.exists():
        return f"lean {weights} weights ready in {path.name}"
    with torch.inference_mode():
        LlamaDecoder(model, weights=weights, capacity=64)
    how = f", {kernel.describe()}" if kernel else ""
    return f"lean {weights} weights converted into {path.name if path else '?'} in {time.perf_counter() - t0:.1f} s{how}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--project", default=".")
    try:
        print(prepare(Path(p.parse_args(argv).project)), flush=True)
    except GeneratorError as exc:
        print(f"generator model: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
