"""Scrub personal data from every log line the service and the engine write.

Two layers, because neither is enough alone:

* shapes (this module): emails, payment method ids, card numbers (plain, or grouped with spaces or
  dashes), phone numbers (Google's libphonenumber via `phonenumbers`, valid numbers only), street
  addresses with or without a suite, "City, ST 12345", user ids shaped like the store's
  (`sofia_rossi_8776`), names after "my name is" / "I'm", and 5-digit zips ("19122 is my zip");
* literal values the conversation holds (service/pii.py): names, user ids, addresses and their
  parts, zips, emails and payment ids from its slots, event log, store actions and profile. A
  record carries them as `record.pii` (logging's `extra`), or the running turn's `pii.guard`
  provides them.

`RedactingFilter` rewrites the record itself (message, traceback text, stack), so handlers added
after `install` (an operator's log config, pytest's caplog) only ever see the scrubbed text.
Order ids stay readable; item and product ids, which look exactly like US phone numbers
(646-956-7736), are scrubbed as phones - debug logs lose them rather than risk a real number.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from service import pii
from service.pii import Secrets

_STREET = (r"Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|"
           r"Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Square|Sq|Row|Alley|Plaza|Broadway")
_SUITE = r"(?:,?\s*(?:Suite|Ste|Apt|Apartment|Unit|#)\.?\s*\w+)?"
_CITY_STATE_ZIP = r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,?\s+[A-Z]{2},?\s+\d{5}(?:-\d{4})?\b"

_PATTERNS = [
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"), "[email]"),
    (re.compile(r"\b(?:credit_card|paypal|gift_card|debit_card|bank_account|apple_pay|card)_\d{3,}\b",
                re.IGNORECASE), "[payment_id]"),
    # cards: 4-4-4-(1..7) or Amex 4-6-5 with spaces/dashes/dots, or 13-19 digits in one run
    (re.compile(r"(?<![\w.])\d{4}([ .-]?)\d{4}\1\d{4}\1\d{1,7}(?![\w])"), "[card_number]"),
    (re.compile(r"(?<![\w.])\d{4}([ -])\d{6}\1\d{5}(?!\w)"), "[card_number]"),
    (re.compile(r"\b\d{13,19}\b"), "[card_number]"),
]
_AFTER_PHONES = [
    (re.compile(r"\b[a-z]+_[a-z]+_\d{4}\b", re.IGNORECASE), "[user_id]"),
    (re.compile(r"\b\d{1,6}(?:\s+[A-Za-z][a-z]+){1,4}\s+(?:" + _STREET + r")\b\.?" + _SUITE, re.IGNORECASE),
     "[address]"),
    (re.compile(r"\b\d{1,6}\s+Broadway\b" + _SUITE, re.IGNORECASE), "[address]"),
    (re.compile(r"\b(?:Suite|Ste|Apt|Apartment|Unit)\.?\s+\d+\w*\b", re.IGNORECASE), "[address]"),
    (re.compile(_CITY_STATE_ZIP), "[address]"),
    # the city after a street line: "[address], Denver" / "[address], denver, co 80279"
    (re.compile(r"(\[address\],\s*)[A-Za-z]+(?:\s+[A-Za-z]+)?(?=\s*[,.;]|\s*['\"]?$|\s+[A-Za-z]{2},?\s+\d{5}\b)"),
     r"\1[city]"),
    (re.compile(r"(\[address\]\s+)[A-Za-z]+(?:\s+[A-Za-z]+)?(?=,?\s+[A-Za-z]{2},?\s+(?:\d{5}|\[zip\]))"), r"\1[city]"),
    (re.compile(r"((?i:\bzip(?:\s*code)?|\bpostal\s+code|\bpostcode)\s*(?:is\s*)?[:#]?\s*)\d{5}(?:-\d{4})?\b"),
     r"\1[zip]"),
    # any other 5(+4)-digit number on its own: not "[12345]" (a pid), "#12345", "1.12345", "host:12345"
    (re.compile(r"(?<![\w\[#.:/$-])\d{5}(?:-\d{4})?(?![\w\]]|[.,:]\d)"), "[zip]"),
]
# a name after a cue: any case after "my name is", capitalised words after "I'm" / "this is"
_NAME_CUES = [
    re.compile(r"(?i:\b(?:my\s+name\s+is|my\s+name's|name\s+is|name:)\s+)"
               r"([A-Za-z][A-Za-z'\-]+(?:\s+(?!and\b|i\b|from\b|with\b)[A-Za-z][A-Za-z'\-]+)?)"),
    re.compile(r"(?i:\b(?:i\s+am|i'm|im|this\s+is|it's|signed\s+in\s+as)\s+)([A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)?)"),
]
_DIGITS7 = re.compile(r"\d(?:\D{0,3}\d){6}")


def _phones(text: str) -> str:
    """Replace every valid phone number (US by default, any country with a leading +)."""
    if not _DIGITS7.search(text):
        return text
    import phonenumbers

    spans = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, "US",
                                                                      leniency=phonenumbers.Leniency.VALID)]
    for start, end in reversed(spans):
        text = text[:start] + "[phone]" + text[end:]
    return text


def _names(text: str) -> str:
    for pattern in _NAME_CUES:
        text = pattern.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + "[name]", text)
    return text


def redact(text: str, secrets: Secrets | None = None) -> str:
    """`text` without personal data; `secrets` adds the literal values of one conversation."""
    if not text:
        return text
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    text = _phones(text)
    for pattern, repl in _AFTER_PHONES:
        text = pattern.sub(repl, text)
    text = _names(text)
    # literal values last: a street named like the shopper ("318 Hernandez Lane") is an address first
    return secrets.redact(text) if secrets is not None else text


def redact_value(value: Any, secrets: Secrets | None = None) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {k: redact_value(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v, secrets) for v in value)
    return value


class RedactingFilter(logging.Filter):
    """Rewrites each record (message after %-formatting, traceback, stack) with PII removed.

    Secrets come from the record (`extra={"pii": Secrets}`) or from the turn being run."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_shoptalk_redacted", False):
            return True  # already done at the logger; this is a handler seeing it again
        secrets = getattr(record, "pii", None)
        if not isinstance(secrets, Secrets):
            secrets = pii.current()
        try:
            message = record.getMessage()
        except Exception:  # pragma: no cover - a broken format string is logged as is
            return True
        record.msg, record.args = redact(message, secrets), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:  # formatters print exc_text when it is set, never exc_info again
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        record._shoptalk_redacted = True
        return True


# Every logger the engine and the service write to. A filter on "shoptalk" does NOT see records of
# "shoptalk.service" (logging runs only the originating logger's filters), so each is named;
# tests/security checks this list against the getLogger calls in engine/ and service/.
LOGGERS = ("shoptalk", "shoptalk.service", "shoptalk.engine", "shoptalk.reload", "shoptalk.store.http",
           "shoptalk.store.http_server", "shoptalk.router",
           "uvicorn", "uvicorn.access", "uvicorn.error", "")


def install(loggers: tuple[str, ...] = LOGGERS) -> RedactingFilter:
    """Attach the filter to the named loggers (and any other `shoptalk.*` logger that exists) and to
    their handlers, so records are scrubbed before any handler, present or future, sees them."""
    flt = RedactingFilter()
    names = set(loggers) | {n for n in logging.root.manager.loggerDict if n.startswith("shoptalk.")}
    for name in sorted(names):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(flt)
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(flt)
    return flt
