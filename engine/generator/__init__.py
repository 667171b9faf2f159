"""The generative fallback: a local (or remote OpenAI-compatible) language model, grounded in store
knowledge, checked before it is shown, and streamed.

Importing this package does not import torch or transformers; they load with the embedded backend.

    from engine.generator import load_answerer, FlowInfo
    answerer = load_answerer(Path("."))
    answerer.answer("how long does a refund take?", flows=[FlowInfo("return_items", "Return items", "/return_items")])
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Protocol, runtime_checkable

from .answerer import Answer, AnswerEvent, Answerer, FlowInfo, SourceRef
from .errors import GeneratorError, GeneratorTimeout
from .settings import GeneratorSettings

Message = dict  # {"role": "system" | "user" | "assistant", "content": str}


@runtime_checkable
class Generator(Protocol):
    def complete(self, messages: list[Message], *, max_tokens: int, deadline_s: float | None) -> str: ...

    def stream(self, messages: list[Message], *, max_tokens: int, deadline_s: float | None) -> Iterator[str]: ...


def __getattr__(name: str):  # lazy: EmbeddedGenerator pulls torch only when asked for
    if name == "EmbeddedGenerator":
        from .embedded import EmbeddedGenerator

        return EmbeddedGenerator
    if name == "OpenAIGenerator":
        from .openai_backend import OpenAIGenerator

        return OpenAIGenerator
    raise AttributeError(name)


def make_generator(project_dir: Path, settings: GeneratorSettings) -> Generator | None:
    """The backend named in the settings (never chosen in code)."""
    if settings.backend == "embedded":
        from .embedded import EmbeddedGenerator

        return EmbeddedGenerator.from_settings(Path(project_dir), settings)
    if settings.backend == "openai":
        from .openai_backend import OpenAIGenerator

        return OpenAIGenerator.from_settings(Path(project_dir), settings)
    return None


def load_answerer(project_dir: Path, settings: GeneratorSettings | None = None, *,
                  generator: Generator | None = None, load_generator: bool = True) -> Answerer:
    """Build the retriever (policy + catalogue + FAQ) and the configured generator."""
    from engine.knowledge import Retriever, load_catalogue, load_passages
    from engine.knowledge.cannot_do import load_cannot_do

    project_dir = Path(project_dir)
    settings = settings or GeneratorSettings.load(project_dir)
    products = project_dir / "engine" / "store" / "seed" / "products.json"
    catalogue = load_catalogue(products if products.exists() else None)
    retriever = Retriever(load_passages(project_dir), embed=settings.use_embeddings)
    retriever.warm()
    if generator is None and load_generator:
        generator = make_generator(project_dir, settings)
    return Answerer(retriever, catalogue, generator, settings, load_cannot_do(project_dir))


__all__ = [
    "Answer", "AnswerEvent", "Answerer", "FlowInfo", "Generator", "GeneratorError", "GeneratorSettings",
    "GeneratorTimeout", "SourceRef", "load_answerer", "make_generator", "EmbeddedGenerator", "OpenAIGenerator",
]
