"""Store knowledge for the generator: policy sections, the product catalogue and a designer FAQ.

`load_knowledge(project_dir)` builds the passages; `Retriever` ranks them with BM25 plus the
packaged all-MiniLM-L6-v2 embeddings (hybrid). Importing this package never imports torch.
"""
from __future__ import annotations

from .passages import Passage, catalogue_passages, faq_passages, load_catalogue, load_passages, policy_passages
from .retrieval import BM25, Hit, Retriever, tokenize

__all__ = [
    "BM25", "Hit", "Passage", "Retriever", "catalogue_passages", "faq_passages", "load_catalogue",
    "load_passages", "policy_passages", "tokenize",
]
