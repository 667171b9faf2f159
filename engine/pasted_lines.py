"""Lines pasted from the shop's emails: their field labels are not the shopper's words.

"Order status: pending. Payment: Visa ending 4242. I'd like to pay with PayPal instead": routed alone, the label
"Order status" reads as a request for it, and the message started order status. Each field is said as a statement
before an opening is routed ("Order status is pending."). Only a short capitalised label with a field's word
(order, status, payment, delivery, tracking, total ...) before ": " at the start of the message or of a sentence
counts: "Two things:" is the shopper's own list, "name and zip works:" an answer, "Order #W1234567: ..." keeps its
order number. Pure text: importable without torch.
"""
from __future__ import annotations

import re

_FIELD_WORD = (r"(?:order|status|payment|method|card|shipping|shipment|delivery|delivered|tracking|carrier|total|"
               r"subtotal|items?|qty|quantity|price|address|ship|date|placed|expected|estimated|update|summary)")
# "Order status:", "Expected delivery:", "Payment method:" (not "Two things:", a shopper's own list)
_FIELD_LABEL = re.compile(r"(?:^|(?<=[.!?\n])\s*)(?-i:(?=[A-Z]))(?:[A-Za-z]+\s+){0,2}?" + _FIELD_WORD + r"(?:\s+[A-Za-z]+)?:(?=\s)",
                          re.I)


def without_field_labels(text: str) -> str:
    """`text` with each pasted field said as a statement ("Order status: pending." -> "Order status is pending."):
    the label still tells what the value is (a pending order, an expected delivery), and asks for nothing."""
    return _FIELD_LABEL.sub(lambda m: m.group()[:-1] + " is", text)


# a line quoted whole (a notice, an email subject, the assistant's last reply): four words or more in quotes
QUOTED_LINE = re.compile(r"[\"“](?=(?:[^\"“”]*?\w+\b){4})[^\"“”\n]{12,300}[\"”]")


def without_quoted_lines(text: str) -> tuple[str, list[str]]:
    """`text` without the lines it quotes whole, and those lines: "“Your order is being prepared and will ship soon.”
    Before it ships I need the address changed" asks only what follows the quote; the quote asks nothing."""
    quoted = [m.group() for m in QUOTED_LINE.finditer(text)]
    return (QUOTED_LINE.sub(" ", text).strip() if quoted else text), quoted
