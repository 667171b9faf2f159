"""Store URLs: which backend a path or URL names, and how to show one without its password."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
HTTP_SCHEMES = ("http://", "https://")


def store_kind(url: str | Path | None) -> str:
    """"sqlite", "postgresql" or "http" for a store URL or path (None: the default SQLite file)."""
    text = str(url) if url is not None else ""
    if text.startswith(POSTGRES_SCHEMES):
        return "postgresql"
    if text.startswith(HTTP_SCHEMES):
        return "http"
    if "://" in text and not text.startswith("sqlite://"):
        raise ValueError(f"unsupported store URL {text!r}: use a file path, sqlite:///path, "
                         "postgresql://user@host:port/db or http(s)://host/...")
    return "sqlite"


def sqlite_path(url: str | Path) -> Path:
    """`sqlite:///relative.db` -> relative.db, `sqlite:////abs.db` -> /abs.db, a plain path as it is."""
    text = str(url)
    return Path(text[len("sqlite:///"):] if text.startswith("sqlite:///") else text)


def redact_url(url: str | Path) -> str:
    """The URL with any password replaced by ***, fit for messages and logs."""
    parts = urlsplit(str(url))
    if parts.password:
        return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))
    return str(url)
