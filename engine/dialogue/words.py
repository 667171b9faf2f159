"""How the engine names its own things to a shopper: a slot as words, not as an identifier."""
from __future__ import annotations


def slot_words(name: str) -> str:
    """A slot's name as a shopper reads it: "return_item_ids" -> "items to return"."""
    words = name.split("_")
    if words[-2:] == ["item", "ids"] and words[0] in ("return", "exchange", "modify"):
        return f"items to {'change' if words[0] == 'modify' else words[0]}"
    if words == ["new", "item", "ids"]:
        return "new options"
    return " ".join(words[:-1] if words[-1] == "id" and len(words) > 2 else words)  # payment method id
