"""Redact emails, street addresses and payment ids before anything reaches a log."""
from __future__ import annotations

import logging
import re

_PATTERNS = [
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"), "[email]"),
    (re.compile(r"\b(?:credit_card|paypal|gift_card|debit_card|bank_account|apple_pay|card)_\d{3,}\b",
                re.IGNORECASE), "[payment_id]"),
    (re.compile(r"\b\d{2,6}(?:\s+[A-Z][a-z]+){1,4}\s+(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|"
                r"Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Circle|Parkway|Broadway)\b\.?"
                r"(?:,?\s*(?:Suite|Apt|Unit|#)\s*\w+)?", re.IGNORECASE), "[address]"),
    (re.compile(r"\b\d{1,6}\s+Broadway\b(?:,?\s*(?:Suite|Apt|Unit|#)\s*\w+)?", re.IGNORECASE), "[address]"),
    (re.compile(r"\b(?:Suite|Apt|Unit)\s+\d+\b", re.IGNORECASE), "[address]"),
    (re.compile(r"\b\d{13,19}\b"), "[card_number]"),
    # a zip ends an address or a sentence; "[12345]" is a process id in uvicorn's own log lines
    (re.compile(r"(?<!\[)\b\d{5}(?:-\d{4})?\b(?=\s*$|\s*[,.;)}\"'])"), "[zip]"),
]


def redact(text: str) -> str:
    if not text:
        return text
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def redact_value(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v) for v in value)
    return value


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (after %-formatting) with PII removed."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # pragma: no cover - a broken format string is logged as is
            return True
        record.msg = redact(message)
        record.args = ()
        return True


def install(loggers=("shoptalk", "uvicorn", "uvicorn.access", "uvicorn.error", "")) -> RedactingFilter:
    """Attach the filter to the named loggers and to every handler of the root logger."""
    flt = RedactingFilter()
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(flt)
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(flt)
    return flt
