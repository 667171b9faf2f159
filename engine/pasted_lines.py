"""Lines pasted from the shop's emails: their field labels are not the shopper's words.

"Order status: pending. Payment: Visa ending 4242. I'd like to pay with PayPal instead": routed alone, the label
"Order status" reads as a request for it, and the message started order status. The labels are dropped (the values
stay) before an opening is routed. Only a short capitalised label (one to three words, no digits) before ": " at
the start of the message or of a sentence counts: "Order #W1234567: ..." keeps its order number, "I got it on
Monday: the lid ..." is a sentence. Pure text: importable without torch.
"""
from __future__ import annotations

import re

_FIELD_LABEL = re.compile(r"(?:^|(?<=[.!?\n])\s*)[A-Z][A-Za-z]*(?:\s+[A-Za-z]+){0,2}:(?=\s)")


def without_field_labels(text: str) -> str:
    """`text` with the labels of pasted fields blanked (offsets kept), or `text` itself when it has none."""
    return _FIELD_LABEL.sub(lambda m: " " * len(m.group()), text)
