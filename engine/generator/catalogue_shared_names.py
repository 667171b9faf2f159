"""A word several products' names end with, read by the option value the shopper names with it.

"Is the 4K camera in stock?": "camera" is the synonym of the Digital Camera, which comes in 20MP, 24MP and 30MP and
never in 4K; the Action Camera and the Indoor Security Camera both come in 4K. The synonym alone chose a product
whose options the question names none of, and nothing was computed (the first camera passage was quoted, its prices
read as the 4K camera's). When the product found names no value of the question and other products whose names end
with the same word do, each of those is the product asked about, and each is answered.
"""
from __future__ import annotations

import re

from .catalogue_values import mentioned_values
from .recommend import _words, find_product


def shared_name_products(question: str, catalogue: dict) -> list[str]:
    """The product names `question` means by a word their names share ("camera"), read by the option value it
    names ("4K"); [] when the product found has a value named, or no other product does."""
    found = find_product(question, catalogue)
    if found is None:
        return []
    q = set(_words(question))
    if f" {' '.join(_words(found[1]))} " in f" {' '.join(_words(question))} ":
        return []  # named in full ("an electric kettle under $140"): that product, whatever the others come in
    variants = list(catalogue[found[0]]["variants"].values())
    if mentioned_values(question, variants):
        return []
    named = [p["name"] for p in catalogue.values()
             if p["name"] != found[1] and len(_words(p["name"])) > 1 and _words(p["name"])[-1] in q
             and _words(found[1])[-1] == _words(p["name"])[-1]
             and mentioned_values(question, list(p["variants"].values()))]
    return named


def as_named(question: str, name: str) -> str:
    """`question` with the shared word read as `name` ("the 4K camera" -> "the 4K Action Camera")."""
    head = name.split()[-1]
    return re.sub(rf"\b{re.escape(head.lower())}s?\b", name, question, count=1, flags=re.I)
