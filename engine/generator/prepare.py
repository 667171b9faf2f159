"""`python -m engine.generator.prepare`: convert the embedded generator's GGUF once, ahead of the first
open question (`make setup` runs it in the background; the service would otherwise convert it while a
shopper waits). Does nothing for the openai / none backends or when the folder exists."""
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
    if (out / "manifest.json").exists():
        return f"generator model ready in {out}"
    t0 = time.perf_counter()
    convert_gguf(Path(project_dir) / "models", dtype=settings.dtype)
    return f"generator model converted into {out} in {time.perf_counter() - t0:.1f} s"


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
